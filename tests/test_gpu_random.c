/* test_gpu_random: the GPU's RandomUniform, RandomStandardNormal, TruncatedNormal (float, double)
 * and RandomUniformInt (int32, int64) give the CPU kernels' streams (TensorFlow's Philox, which
 * test_random and the TensorFlow fixtures pin on the CPU). Every case runs two steps of one session
 * with fixed seeds on GPU:0 and on CPU:0: each step must equal the CPU's same step (the node's
 * counters advance alike on both devices) and the second must differ from the first. Uniform and
 * integer values must match bit for bit; the normal ones within rtol 1e-6 (float) / 1e-14 (double),
 * since device log, sqrt, sin and cos may differ by an ulp. Sizes that are not a multiple of a
 * Philox group (4 values of 32 bits, 2 of 64), scalars, size-1 dims, empty shapes and about a
 * million elements. Errors only the kernels see (shape values hidden from shape inference,
 * minval >= maxval) must be the CPU's, code and message. Exits 77 (ctest: skipped) without a GPU.
 *
 * TruncatedNormal keeps Box-Muller values under 2 in magnitude: a candidate within an ulp or two of
 * 2 could be kept on one device and rejected on the other, and that group's values would then
 * differ. Its seeds here (TRUNC_SEED, TRUNC_SEED2) were chosen so that, over both steps of every
 * case, no candidate lies within 27 float ulps of 2 (checked on the CPU); other seeds can hit it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "graph_util.h"
#include "gpu_util.h"
#include "gpu_cases.h"
#include "tfc/c_api.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

#define SEED INT64_C(0x123456789)
#define SEED2 INT64_C(0xabcdef0123) /* both words of key and high counter in use */
#define TRUNC_SEED INT64_C(0x123456789)
#define TRUNC_SEED2 INT64_C(17)

typedef struct random_case {
    const char *op;
    TF_DataType dt;       /* the output's dtype (attr dtype, or Tout for RandomUniformInt) */
    int nd;               /* length of the shape input */
    int64_t dims[4];      /* its values */
    TF_DataType shape_dt; /* int32 or int64 */
    int64_t lo, hi;       /* RandomUniformInt's minval, maxval */
} random_case;

static bool is_int_op(const random_case *c) { return !strcmp(c->op, "RandomUniformInt"); }
static bool is_trunc_op(const random_case *c) { return !strcmp(c->op, "TruncatedNormal"); }

static void set_random_attrs(TF_OperationDescription *d, const void *ctx)
{
    const random_case *c = ctx;
    TF_SetAttrType(d, is_int_op(c) ? "Tout" : "dtype", c->dt);
    TF_SetAttrInt(d, "seed", is_trunc_op(c) ? TRUNC_SEED : SEED);
    TF_SetAttrInt(d, "seed2", is_trunc_op(c) ? TRUNC_SEED2 : SEED2);
}

/* The op under test on device, its shape (and bounds) made on the CPU, hidden from shape inference. */
static TF_Output build_random(TF_Graph *g, const char *device, const void *ctx)
{
    const random_case *c = ctx;
    TF_Output in[3] = { ints_as(g, "shape", c->dims, c->nd, c->shape_dt) };
    if (is_int_op(c)) {
        in[1] = int_scalar(g, "minval", c->lo, c->dt);
        in[2] = int_scalar(g, "maxval", c->hi, c->dt);
    }
    return out0(op_with(g, c->op, "rand", device, in, is_int_op(c) ? 3 : 1, set_random_attrs, c));
}

/* Two steps of one session on device. */
static void run_two_steps(const random_case *c, const char *device, TF_Tensor *out[2])
{
    TF_Graph *g = TF_NewGraph();
    TF_Output fetched = build_random(g, device, c);
    TF_Session *sess = new_test_session(g, NULL, 0);
    out[0] = fetch_ok(sess, fetched);
    out[1] = fetch_ok(sess, fetched);
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* Element i of t as a double (any of the four output dtypes). */
static double value_at(const TF_Tensor *t, int64_t i)
{
    const void *p = TF_TensorData(t);
    switch (TF_TensorType(t)) {
    case TF_FLOAT: return ((const float *)p)[i];
    case TF_DOUBLE: return ((const double *)p)[i];
    case TF_INT32: return ((const int32_t *)p)[i];
    default: return (double)((const int64_t *)p)[i];
    }
}

/* t's values lie where the op's distribution puts them. */
static void expect_in_distribution(const random_case *c, const TF_Tensor *t, const char *what)
{
    bool uniform = !strcmp(c->op, "RandomUniform");
    for (int64_t i = 0; i < TF_TensorElementCount(t); i++) {
        double v = value_at(t, i);
        bool ok = uniform ? v >= 0 && v < 1
                  : is_trunc_op(c) ? fabs(v) < 2
                  : is_int_op(c) ? v >= (double)c->lo && v <= (double)c->hi /* hi itself: int64 rounding to double */
                                 : isfinite(v);
        if (!ok) fail_msg("%s: element %lld = %.17g is out of range", what, (long long)i, v);
    }
}

/* Both steps on the GPU are the CPU's; the second differs from the first. */
static void expect_cpu_streams(const random_case *c, const char *what)
{
    TF_Tensor *gpu[2], *cpu[2];
    run_two_steps(c, GPU0, gpu);
    run_two_steps(c, CPU0, cpu);
    bool exact = is_int_op(c) || !strcmp(c->op, "RandomUniform");
    double rtol = c->dt == TF_FLOAT ? 1e-6 : 1e-14;
    for (int step = 0; step < 2; step++) {
        char name[160];
        snprintf(name, sizeof name, "%s step %d", what, step + 1);
        if (exact)
            assert_same(gpu[step], cpu[step], name);
        else
            assert_close(gpu[step], cpu[step], rtol, 0, name);
        expect_in_distribution(c, gpu[step], name);
    }
    int64_t n = TF_TensorElementCount(cpu[0]);
    size_t bytes = (size_t)n * TF_DataTypeSize(c->dt);
    bool one_value = is_int_op(c) && (uint64_t)c->hi - (uint64_t)c->lo == 1; /* [0, 1): always 0 */
    if (n >= 4 && !one_value && !memcmp(TF_TensorData(cpu[0]), TF_TensorData(cpu[1]), bytes))
        fail_msg("%s: the second step repeats the first", what);
    for (int step = 0; step < 2; step++) {
        TF_DeleteTensor(gpu[step]);
        TF_DeleteTensor(cpu[step]);
    }
}

/* Each shape below for op and dt, the shape alternately int32 and int64, bounds from the table. */
static void expect_cpu_streams_for(const char *op, TF_DataType dt)
{
    static const struct {
        int nd;
        int64_t dims[4];
    } shapes[] = {
        { 1, { 7 } },          /* one partial group after whole ones */
        { 2, { 3, 5 } },       /* 15: partial for both group sizes */
        { 0, { 0 } },          /* a scalar */
        { 1, { 1 } },          /* a single value */
        { 4, { 2, 3, 1, 5 } }, /* size-1 dim */
        { 1, { 0 } },          /* empty */
        { 3, { 2, 0, 3 } },    /* empty, rank 3 */
        { 2, { 1025, 1023 } }, /* 1048575 values, odd */
    };
    const int64_t i32_bounds[][2] = { { -3, 10 }, { INT32_MIN, INT32_MAX }, { 0, 1 } };
    const int64_t i64_bounds[][2] = { { -3, 10 }, { -(INT64_C(1) << 62), INT64_C(1) << 62 }, { 0, INT64_C(1) << 40 } };
    for (size_t i = 0; i < LEN(shapes); i++) {
        const int64_t *b = dt == TF_INT32 ? i32_bounds[i % 3] : i64_bounds[i % 3];
        random_case c = { op, dt, shapes[i].nd, { 0 }, i % 2 ? TF_INT64 : TF_INT32, b[0], b[1] };
        memcpy(c.dims, shapes[i].dims, sizeof c.dims);
        char what[128];
        snprintf(what, sizeof what, "%s %s case %zu", op, TF_DataTypeSize(dt) == 4 ? "32-bit" : "64-bit", i);
        expect_cpu_streams(&c, what);
    }
}

static void test_uniform(void **state)
{
    expect_cpu_streams_for("RandomUniform", TF_FLOAT);
    expect_cpu_streams_for("RandomUniform", TF_DOUBLE);
}

static void test_standard_normal(void **state)
{
    expect_cpu_streams_for("RandomStandardNormal", TF_FLOAT);
    expect_cpu_streams_for("RandomStandardNormal", TF_DOUBLE);
}

static void test_truncated_normal(void **state)
{
    expect_cpu_streams_for("TruncatedNormal", TF_FLOAT);
    expect_cpu_streams_for("TruncatedNormal", TF_DOUBLE);
}

static void test_uniform_int(void **state)
{
    expect_cpu_streams_for("RandomUniformInt", TF_INT32);
    expect_cpu_streams_for("RandomUniformInt", TF_INT64);
}

// ---- errors the kernels see ----

typedef struct bad_case {
    const char *op;
    TF_DataType dt;
    int shape_rank;          /* of the shape input (1: a vector) */
    int64_t shape_dims[2];   /* its dims */
    double shape[TFC_MAX_RANK + 1]; /* its values */
    TF_DataType shape_dt;
    int64_t lo, hi;          /* RandomUniformInt's bounds */
    bool vector_minval;      /* minval as a [1] vector, not a scalar */
} bad_case;

/* Like build_random, but the shape input (values, dims and rank) and minval's shape are hidden. */
static TF_Output build_bad(TF_Graph *g, const char *device, const void *ctx)
{
    const bad_case *c = ctx;
    random_case rc = { c->op, c->dt };
    TF_Output shape = values_as(g, "shape_v", c->shape_dims, c->shape_rank, c->shape, c->shape_dt);
    TF_Output in[3] = { unknown_rank(g, "shape", shape, c->shape_dims, c->shape_rank) };
    if (is_int_op(&rc)) {
        double lo = (double)c->lo;
        in[1] = c->vector_minval ? unknown_rank(g, "minval", values_as(g, "minval_v", (const int64_t[]){ 1 }, 1, &lo, c->dt),
                                                (const int64_t[]){ 1 }, 1)
                                 : int_scalar(g, "minval", c->lo, c->dt);
        in[2] = int_scalar(g, "maxval", c->hi, c->dt);
    }
    return out0(op_with(g, c->op, "rand", device, in, is_int_op(&rc) ? 3 : 1, set_random_attrs, &rc));
}

static void test_errors(void **state)
{
    const double big = (double)(INT64_C(1) << 62);
    const bad_case bad[] = {
        { "RandomUniform", TF_FLOAT, 1, { 2 }, { 2, -1 }, TF_INT32 },                   /* negative dim */
        { "RandomUniform", TF_DOUBLE, 1, { 2 }, { big, 4 }, TF_INT64 },                 /* 2^64 elements */
        { "RandomStandardNormal", TF_FLOAT, 2, { 1, 2 }, { 3, 4 }, TF_INT32 },          /* shape not a vector */
        { "RandomStandardNormal", TF_DOUBLE, 1, { TFC_MAX_RANK + 1 }, { 0 }, TF_INT64 }, /* too many dims */
        { "TruncatedNormal", TF_FLOAT, 1, { 3 }, { 4, -7, 2 }, TF_INT64 },
        { "TruncatedNormal", TF_DOUBLE, 2, { 1, 1 }, { 5 }, TF_INT64 },
        { "RandomUniformInt", TF_INT32, 1, { 1 }, { 5 }, TF_INT32, 5, 5 },              /* minval == maxval */
        { "RandomUniformInt", TF_INT64, 1, { 1 }, { 5 }, TF_INT32, 7, -3 },             /* minval > maxval */
        { "RandomUniformInt", TF_INT32, 1, { 1 }, { 5 }, TF_INT64, 0, 3, .vector_minval = true },
        { "RandomUniformInt", TF_INT64, 1, { 2 }, { -1, 3 }, TF_INT32, 0, 3 },          /* bad shape, good bounds */
        { "RandomUniformInt", TF_INT32, 1, { 2 }, { -1, 3 }, TF_INT32, 3, 3 },          /* both: bounds first */
    };
    expect_cpu_errors(build_bad, bad, LEN(bad), sizeof bad[0], "random");
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_random")) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_standard_normal),
        cmocka_unit_test(test_truncated_normal),
        cmocka_unit_test(test_uniform_int),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
