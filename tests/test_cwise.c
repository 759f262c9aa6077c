/* test_cwise: the element-wise op family (math, unary, comparison, select, clip, cast) beyond what
 * the TensorFlow fixtures (tests/data/cwise_cases.txt) cover: every registered (op, dtype) has a
 * working kernel; integer division never traps; 64-bit wrapping; the behaviour tfc defines where
 * C or TensorFlow do not (float -> int casts, Round on integers); in-place reuse of inputs;
 * parallel runs on big tensors against a serial reference; and graph-time shape inference. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/dtype.h"
#include "core/tensor.h"
#include "core/threadpool.h"
#include "graph_util.h"
#include "kernels/kernel.h"
#include "tfc/c_api.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_IO 4

static const char *const cwise_ops[] = {
    "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "FloorDiv", "FloorMod", "Maximum", "Minimum", "Pow",
    "SquaredDifference", "Neg", "Abs", "Sign", "Square", "Sqrt", "Rsqrt", "Exp", "Log", "Log1p", "Reciprocal",
    "Floor", "Ceil", "Round", "Sin", "Cos", "Tanh", "Sigmoid", "Erf", "Greater", "GreaterEqual", "Less",
    "LessEqual", "Equal", "NotEqual", "LogicalAnd", "LogicalOr", "LogicalNot", "Select", "SelectV2",
    "ClipByValue", "Cast",
};

static const TF_DataType all_types[] = { TF_FLOAT, TF_DOUBLE, TF_INT8, TF_INT16, TF_INT32, TF_INT64,
                                         TF_UINT8, TF_UINT16, TF_UINT32, TF_UINT64, TF_BOOL };

// ---- a kernel run on a hand-built context ----

typedef struct run {
    const char *op;
    tfc_attrs attrs;
    int n_in;
    TF_Tensor *in[MAX_IO];
    bool forwardable[MAX_IO];
    TF_DataType in_types[MAX_IO], out_type;
    TF_Tensor *out;
    tfc_threadpool *pool;
    TF_Status *st;
} run;

static void put_type(tfc_attrs *a, const char *name, TF_DataType t)
{
    tfc_attr_value v = { .type = TF_ATTR_TYPE, .u.type = t };
    assert_int_equal(tfc_attrs_put(a, name, &v), 0);
}

static void put_bool(tfc_attrs *a, const char *name, bool b)
{
    tfc_attr_value v = { .type = TF_ATTR_BOOL, .u.b = b };
    assert_int_equal(tfc_attrs_put(a, name, &v), 0);
}

/* A run of op whose type attr T (when t is non-zero) is t and whose output has out_type. */
static void run_init(run *r, const char *op, TF_DataType t, TF_DataType out_type)
{
    memset(r, 0, sizeof *r);
    r->op = op;
    r->out_type = out_type;
    r->st = TF_NewStatus();
    if (t) put_type(&r->attrs, "T", t);
}

static TF_Tensor *tensor(TF_DataType t, const int64_t *dims, int nd)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    TF_Tensor *x = TF_AllocateTensor(t, dims, nd, (size_t)n * TF_DataTypeSize(t));
    assert_non_null(x);
    return x;
}

/* Adds an input tensor taking ownership; returns its data. */
static void *add_input(run *r, TF_Tensor *t)
{
    assert_true(r->n_in < MAX_IO);
    r->in_types[r->n_in] = t->dtype;
    r->in[r->n_in++] = t;
    return TF_TensorData(t);
}

/* A vector input of n elements copied from vals (element size of dtype t). */
static void *add_vec(run *r, TF_DataType t, int64_t n, const void *vals)
{
    TF_Tensor *x = tensor(t, &n, 1);
    if (n) memcpy(TF_TensorData(x), vals, (size_t)n * TF_DataTypeSize(t));
    return add_input(r, x);
}

static TF_Code run_kernel(run *r)
{
    const tfc_kernel_def *kd = tfc_kernel_lookup(r->op, "CPU", &r->attrs);
    if (!kd) fail_msg("no kernel for %s", r->op);
    tfc_kernel_init_ctx ic = { "node", r->op, &r->attrs, r->n_in, r->in_types, 1, &r->out_type, NULL, r->st };
    void *state = NULL;
    if (kd->init && kd->init(&ic, &state)) return TF_GetCode(r->st);
    tfc_kernel_ctx k = { .op_name = "node", .op_type = r->op, .state = state, .n_inputs = r->n_in,
                         .inputs = r->in, .input_forwardable = r->forwardable, .n_outputs = 1,
                         .outputs = &r->out, .output_types = &r->out_type, .intra_pool = r->pool,
                         .status = r->st };
    kd->compute(&k);
    if (kd->free_state) kd->free_state(state);
    return TF_GetCode(r->st);
}

static void *run_ok(run *r)
{
    if (run_kernel(r) != TF_OK) fail_msg("%s: %s", r->op, TF_Message(r->st));
    assert_non_null(r->out);
    return TF_TensorData(r->out);
}

static void run_free(run *r)
{
    for (int i = 0; i < r->n_in; i++) TF_DeleteTensor(r->in[i]);
    TF_DeleteTensor(r->out);
    tfc_attrs_clear(&r->attrs);
    TF_DeleteStatus(r->st);
}

// ---- every registered (op, dtype) has a working kernel ----

static void test_every_kernel_inits(void **state)
{
    int checked = 0;
    for (size_t o = 0; o < ARRAY_LEN(cwise_ops); o++) {
        const char *op = cwise_ops[o];
        assert_true(tfc_kernel_exists(op, "CPU"));
        for (size_t i = 0; i < ARRAY_LEN(all_types); i++)
            for (size_t j = 0; j < (strcmp(op, "Cast") ? 1 : ARRAY_LEN(all_types)); j++) {
                tfc_attrs a = { 0 };
                put_type(&a, strcmp(op, "Cast") ? "T" : "SrcT", all_types[i]);
                put_type(&a, "DstT", all_types[j]);
                const tfc_kernel_def *kd = tfc_kernel_lookup(op, "CPU", &a);
                if (kd && kd->types && (kd->types & TFC_TYPE_BIT(all_types[i]))) {
                    TF_Status *st = TF_NewStatus();
                    tfc_kernel_init_ctx ic = { "node", op, &a, 0, NULL, 0, NULL, NULL, st };
                    void *s = NULL;
                    if (kd->init && kd->init(&ic, &s) != TF_OK)
                        fail_msg("%s %s: %s", op, tfc_dtype_name(all_types[i]), TF_Message(st));
                    if (kd->free_state) kd->free_state(s);
                    TF_DeleteStatus(st);
                    checked++;
                }
                tfc_attrs_clear(&a);
            }
    }
    assert_true(checked > 200);
    char buf[256];
    /* The CPU's list; a CUDA build adds "; GPU {float}". */
    const char *pow_cpu = "CPU {float, double, int32, int16, int8, int64}", *round_cpu = "CPU {float, double, int32, int64}";
    assert_memory_equal(tfc_kernel_list_for_op("Pow", buf, sizeof buf), pow_cpu, strlen(pow_cpu));
    assert_memory_equal(tfc_kernel_list_for_op("Round", buf, sizeof buf), round_cpu, strlen(round_cpu));
}

// ---- integer division ----

/* Div, FloorDiv, FloorMod on every integer type: a zero divisor is INVALID_ARGUMENT, never SIGFPE. */
static void test_integer_division_by_zero(void **state)
{
    static const char *const ops[] = { "Div", "FloorDiv", "FloorMod" };
    static const TF_DataType ints[] = { TF_INT8, TF_INT16, TF_INT32, TF_INT64, TF_UINT8, TF_UINT16, TF_UINT32,
                                        TF_UINT64 };
    for (size_t o = 0; o < ARRAY_LEN(ops); o++)
        for (size_t i = 0; i < ARRAY_LEN(ints); i++) {
            run r;
            run_init(&r, ops[o], ints[i], ints[i]);
            uint64_t x[3] = { 5, 6, 7 }, y[3] = { 1, 0, 2 }; /* zero bytes are zero in every width */
            uint8_t xb[3 * 8], yb[3 * 8];
            size_t es = TF_DataTypeSize(ints[i]);
            for (int e = 0; e < 3; e++) {
                memset(xb + e * es, 0, es), memset(yb + e * es, 0, es);
                xb[e * es] = (uint8_t)x[e], yb[e * es] = (uint8_t)y[e]; /* little-endian low byte */
            }
            add_vec(&r, ints[i], 3, xb);
            add_vec(&r, ints[i], 3, yb);
            assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
            assert_string_equal(TF_Message(r.st), ops[o][0] == 'D'   ? "Div 'node': Integer division by zero"
                                                  : ops[o][5] == 'D' ? "FloorDiv 'node': Integer division by zero"
                                                                     : "FloorMod 'node': Integer division by zero");
            assert_null(r.out);
            run_free(&r);
        }
}

/* MIN / -1 and MIN % -1 wrap instead of trapping (TensorFlow itself would trap on these). */
static void test_integer_min_by_minus_one(void **state)
{
    static const char *const ops[] = { "Div", "FloorDiv", "FloorMod", "RealDiv" };
    for (size_t o = 0; o < ARRAY_LEN(ops); o++) {
        bool mod = !strcmp(ops[o], "FloorMod");
        run r;
        run_init(&r, ops[o], TF_INT32, TF_INT32);
        add_vec(&r, TF_INT32, 4, (const int32_t[]){ INT32_MIN, INT32_MIN, -7, 7 });
        add_vec(&r, TF_INT32, 4, (const int32_t[]){ -1, 1, 2, -2 });
        const int32_t *z = run_ok(&r);
        bool floor = ops[o][0] == 'F';
        assert_int_equal(z[0], mod ? 0 : INT32_MIN);
        assert_int_equal(z[1], mod ? 0 : INT32_MIN);
        assert_int_equal(z[2], mod ? 1 : floor ? -4 : -3);
        assert_int_equal(z[3], mod ? -1 : floor ? -4 : -3);
        run_free(&r);

        run_init(&r, ops[o], TF_INT64, TF_INT64);
        add_vec(&r, TF_INT64, 2, (const int64_t[]){ INT64_MIN, INT64_MAX });
        add_vec(&r, TF_INT64, 1, (const int64_t[]){ -1 });
        const int64_t *w = run_ok(&r);
        assert_true(w[0] == (mod ? 0 : INT64_MIN));
        assert_true(w[1] == (mod ? 0 : -INT64_MAX));
        run_free(&r);
    }
}

// ---- 64-bit wrapping (the fixture format cannot carry these values) ----

static void test_int64_wraps(void **state)
{
    static const struct {
        const char *op;
        int64_t x, y, want;
    } cases[] = {
        { "AddV2", INT64_MAX, 1, INT64_MIN },
        { "Sub", INT64_MIN, 1, INT64_MAX },
        { "Mul", INT64_MAX, 2, -2 },
        { "SquaredDifference", INT64_MIN, 0, 0 },
        { "Pow", 3, 50, 6048575297968530377 }, /* TensorFlow's value */
        { "Pow", INT64_MIN, 1, INT64_MIN },
        { "Maximum", INT64_MIN, INT64_MAX, INT64_MAX },
        { "Minimum", INT64_MIN, INT64_MAX, INT64_MIN },
        { "FloorDiv", INT64_MIN, 3, -3074457345618258603 },
        { "FloorMod", INT64_MIN, 3, 1 },
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        run r;
        run_init(&r, cases[i].op, TF_INT64, TF_INT64);
        add_vec(&r, TF_INT64, 1, &cases[i].x);
        add_vec(&r, TF_INT64, 1, &cases[i].y);
        const int64_t *z = run_ok(&r);
        if (z[0] != cases[i].want)
            fail_msg("%s(%lld, %lld) = %lld, want %lld", cases[i].op, (long long)cases[i].x, (long long)cases[i].y,
                     (long long)z[0], (long long)cases[i].want);
        run_free(&r);
    }
    static const struct {
        const char *op;
        int64_t x, want;
    } unary[] = {
        { "Neg", INT64_MIN, INT64_MIN }, { "Abs", INT64_MIN, INT64_MIN }, { "Abs", -INT64_MAX, INT64_MAX },
        { "Square", INT64_MAX, 1 },      { "Sign", INT64_MIN, -1 },        { "Round", INT64_MAX, INT64_MAX },
    };
    for (size_t i = 0; i < ARRAY_LEN(unary); i++) {
        run r;
        run_init(&r, unary[i].op, TF_INT64, TF_INT64);
        add_vec(&r, TF_INT64, 1, &unary[i].x);
        const int64_t *z = run_ok(&r);
        assert_true(z[0] == unary[i].want);
        run_free(&r);
    }
    run r; /* negative exponents are an error for integers */
    run_init(&r, "Pow", TF_INT64, TF_INT64);
    add_vec(&r, TF_INT64, 2, (const int64_t[]){ 2, 2 });
    add_vec(&r, TF_INT64, 2, (const int64_t[]){ 1, -1 });
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    assert_string_equal(TF_Message(r.st), "Pow 'node': Integers to negative integer powers are not allowed");
    run_free(&r);
}

// ---- behaviour tfc defines ----

/* Round on integers returns the input (TensorFlow 2.21's CPU kernel returns zeros), as a view. */
static void test_round_integers(void **state)
{
    run r;
    run_init(&r, "Round", TF_INT32, TF_INT32);
    const void *x = add_vec(&r, TF_INT32, 3, (const int32_t[]){ 3, -3, 100 });
    const int32_t *z = run_ok(&r);
    assert_ptr_equal(z, x);
    assert_int_equal(z[0], 3), assert_int_equal(z[1], -3), assert_int_equal(z[2], 100);
    run_free(&r);
}

/* Element i of an integer or bool buffer as int64 (uint64 as its bit pattern). */
static int64_t int_elem(TF_DataType t, const void *d, int i)
{
    switch (t) {
    case TF_INT8: return ((const int8_t *)d)[i];
    case TF_INT16: return ((const int16_t *)d)[i];
    case TF_INT32: return ((const int32_t *)d)[i];
    case TF_INT64: return ((const int64_t *)d)[i];
    case TF_UINT16: return ((const uint16_t *)d)[i];
    case TF_UINT32: return ((const uint32_t *)d)[i];
    case TF_UINT64: return (int64_t)((const uint64_t *)d)[i];
    default: return ((const uint8_t *)d)[i]; /* uint8, bool */
    }
}

/* Float -> integer casts of NaN and out-of-range values: x86-64's results, defined in C. */
static void test_cast_float_to_int_defined(void **state)
{
    const double in[] = { NAN, INFINITY, -INFINITY, 3e9, -3e9, 1e20, -2.7, 300.0, 5e9, 1.5 * 9223372036854775808.0 };
    enum { N = sizeof in / sizeof in[0] };
    static const struct {
        TF_DataType dst;
        int64_t want[N]; /* as int64 (uint64 results as their bit pattern) */
    } cases[] = {
        { TF_INT8, { 0, 0, 0, 0, 0, 0, -2, 44, 0, 0 } },
        { TF_INT16, { 0, 0, 0, 0, 0, 0, -2, 300, 0, 0 } },
        { TF_INT32, { INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN, -2, 300, INT32_MIN,
                      INT32_MIN } },
        { TF_INT64, { INT64_MIN, INT64_MIN, INT64_MIN, 3000000000, -3000000000, INT64_MIN, -2, 300, 5000000000,
                      INT64_MIN } },
        { TF_UINT8, { 0, 0, 0, 0, 0, 0, 254, 44, 0, 0 } },
        { TF_UINT16, { 0, 0, 0, 0, 0, 0, 65534, 300, 0, 0 } },
        { TF_UINT32, { 0, 0, 0, 3000000000, 1294967296, 0, 4294967294, 300, 705032704, 0 } },
        { TF_UINT64, { INT64_MIN, INT64_MIN, INT64_MIN, 3000000000, -3000000000, INT64_MIN, -2, 300, 5000000000,
                       (int64_t)0xC000000000000000u } },
        { TF_BOOL, { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 } },
    };
    for (int src = 0; src < 2; src++)
        for (size_t c = 0; c < ARRAY_LEN(cases); c++) {
            TF_DataType st = src ? TF_DOUBLE : TF_FLOAT, dt = cases[c].dst;
            run r;
            run_init(&r, "Cast", 0, dt);
            put_type(&r.attrs, "SrcT", st);
            put_type(&r.attrs, "DstT", dt);
            float f[N];
            for (int i = 0; i < N; i++) f[i] = (float)in[i];
            add_vec(&r, st, N, src ? (const void *)in : (const void *)f);
            const void *z = run_ok(&r);
            for (int i = 0; i < N; i++) {
                if (!src && i == 8) continue; /* 5e9 is not a float */
                int64_t got = int_elem(dt, z, i);
                if (got != cases[c].want[i])
                    fail_msg("Cast %s(%g) to %s = %lld, want %lld", tfc_dtype_name(st), in[i], tfc_dtype_name(dt),
                             (long long)got, (long long)cases[c].want[i]);
            }
            run_free(&r);
        }
}

/* Cast between identical types views the input; double -> float honours Truncate. */
static void test_cast_identity_and_truncate(void **state)
{
    run r;
    run_init(&r, "Cast", 0, TF_INT16);
    put_type(&r.attrs, "SrcT", TF_INT16);
    put_type(&r.attrs, "DstT", TF_INT16);
    const void *x = add_vec(&r, TF_INT16, 2, (const int16_t[]){ 1, -1 });
    assert_ptr_equal(run_ok(&r), x);
    run_free(&r);

    for (int truncate = 0; truncate < 2; truncate++) {
        run_init(&r, "Cast", 0, TF_FLOAT);
        put_type(&r.attrs, "SrcT", TF_DOUBLE);
        put_type(&r.attrs, "DstT", TF_FLOAT);
        put_bool(&r.attrs, "Truncate", truncate);
        const double v[] = { 1.0 + 0x1.8p-24, -(1.0 + 0x1.8p-24), 3.4028235677973366e38, NAN };
        add_vec(&r, TF_DOUBLE, 4, v);
        const float *z = run_ok(&r);
        assert_true(z[0] == (truncate ? 1.0f : 1.0f + 0x1p-23f));
        assert_true(z[1] == -z[0]);
        assert_true(truncate ? z[2] == 3.4028234663852886e38f : isinf(z[2]));
        assert_true(isnan(z[3]));
        run_free(&r);
    }
}

/* Sigmoid never overflows; bool inputs read non-zero as true. */
static void test_sigmoid_and_bools(void **state)
{
    for (int d = 0; d < 2; d++) {
        run r;
        run_init(&r, "Sigmoid", d ? TF_DOUBLE : TF_FLOAT, d ? TF_DOUBLE : TF_FLOAT);
        const double v[] = { -1000, 1000, -50, 0, NAN };
        float f[5];
        for (int i = 0; i < 5; i++) f[i] = (float)v[i];
        add_vec(&r, r.out_type, 5, d ? (const void *)v : (const void *)f);
        const void *zv = run_ok(&r);
        for (int i = 0; i < 5; i++) {
            double z = d ? ((const double *)zv)[i] : ((const float *)zv)[i];
            double want = i == 0 ? 0 : i == 1 ? 1 : i == 2 ? exp(-50) / (1 + exp(-50)) : i == 3 ? 0.5 : NAN;
            if (isnan(want)) assert_true(isnan(z));
            else assert_true(fabs(z - want) <= 1e-6 * want + 1e-300);
        }
        run_free(&r);
    }
    static const char *const ops[] = { "LogicalAnd", "Equal", "LogicalOr" };
    for (size_t o = 0; o < ARRAY_LEN(ops); o++) {
        run r;
        run_init(&r, ops[o], o == 1 ? TF_BOOL : 0, TF_BOOL);
        add_vec(&r, TF_BOOL, 2, (const uint8_t[]){ 2, 0 });
        add_vec(&r, TF_BOOL, 2, (const uint8_t[]){ 1, 0 });
        const uint8_t *z = run_ok(&r);
        assert_int_equal(z[0], 1);
        assert_int_equal(z[1], o == 1 ? 1 : 0);
        run_free(&r);
    }
}

/* The vectorised float Exp, Tanh and Sigmoid against double-precision libm over a spread of all
 * float bit patterns: within 3 ulp (an exhaustive sweep of all 2^32 floats measured at most 1.2,
 * 1.3 and 2.8), exact on NaN, infinities and overflow. Erf (libm's erff) is checked alike. */
static void test_float_approximations(void **state)
{
    static const char *const ops[] = { "Exp", "Tanh", "Sigmoid", "Erf" };
    enum { STEP = 4099 };
    int64_t n = (INT64_C(1) << 32) / STEP + 1;
    for (size_t o = 0; o < ARRAY_LEN(ops); o++) {
        run r;
        run_init(&r, ops[o], TF_FLOAT, TF_FLOAT);
        float *x = add_input(&r, tensor(TF_FLOAT, &n, 1));
        for (int64_t i = 0; i < n; i++) {
            uint32_t bits = (uint32_t)(i * STEP);
            memcpy(&x[i], &bits, sizeof bits);
        }
        float *xs = malloc((size_t)n * sizeof *xs);
        assert_non_null(xs);
        memcpy(xs, x, (size_t)n * sizeof *xs); /* the kernel may work in place */
        r.forwardable[0] = true;
        const float *y = run_ok(&r);
        for (int64_t i = 0; i < n; i++) {
            double v = xs[i], g = y[i];
            double want = o == 0 ? exp(v) : o == 1 ? tanh(v) : o == 2 ? 1 / (1 + exp(-v)) : erf(v);
            float wf = (float)want;
            if (isnan(v) || isinf(wf)) {
                if (!(isnan(v) ? isnan(g) : g == wf)) fail_msg("%s(%.9g) = %.9g, want %.9g", ops[o], v, g, want);
                continue;
            }
            float a = fabsf(wf);
            if (fabs(v) < FLT_MIN || a < FLT_MIN) continue; /* subnormals: TensorFlow flushes them */
            double ulp = nextafterf(a, INFINITY) - a;
            if (fabs(g - want) > 3 * ulp)
                fail_msg("%s(%.9g) = %.9g, want %.9g (%.1f ulp)", ops[o], v, g, want, fabs(g - want) / ulp);
        }
        free(xs);
        run_free(&r);
    }
}

/* Select and SelectV2 move elements by size, so they serve dtypes the fixtures cannot express:
 * half (2 bytes) and complex128 (16 bytes). */
static void test_select_by_size(void **state)
{
    static const TF_DataType types[] = { TF_HALF, TF_COMPLEX64, TF_COMPLEX128 };
    for (size_t i = 0; i < ARRAY_LEN(types); i++)
        for (int v2 = 0; v2 < 2; v2++) {
            size_t es = TF_DataTypeSize(types[i]);
            run r;
            run_init(&r, v2 ? "SelectV2" : "Select", types[i], types[i]);
            add_vec(&r, TF_BOOL, 3, (const uint8_t[]){ 1, 0, 1 });
            uint8_t t[3 * 16], e[3 * 16];
            for (size_t b = 0; b < 3 * es; b++) t[b] = (uint8_t)b, e[b] = (uint8_t)(200 + b);
            add_vec(&r, types[i], 3, t);
            add_vec(&r, types[i], 3, e);
            const uint8_t *z = run_ok(&r);
            assert_memory_equal(z, t, es);
            assert_memory_equal(z + es, e + es, es);
            assert_memory_equal(z + 2 * es, t + 2 * es, es);
            run_free(&r);
        }
}

/* incompatible_shape_error = false: a scalar false (Equal) or true (NotEqual). */
static void test_equal_without_shape_error(void **state)
{
    for (int ne = 0; ne < 2; ne++) {
        run r;
        run_init(&r, ne ? "NotEqual" : "Equal", TF_FLOAT, TF_BOOL);
        put_bool(&r.attrs, "incompatible_shape_error", false);
        add_vec(&r, TF_FLOAT, 3, (const float[]){ 1, 2, 3 });
        add_vec(&r, TF_FLOAT, 2, (const float[]){ 1, 2 });
        const uint8_t *z = run_ok(&r);
        assert_int_equal(r.out->ndims, 0);
        assert_int_equal(z[0], ne);
        run_free(&r);
    }
    run r;
    run_init(&r, "Equal", TF_FLOAT, TF_BOOL);
    add_vec(&r, TF_FLOAT, 3, (const float[]){ 1, 2, 3 });
    add_vec(&r, TF_FLOAT, 2, (const float[]){ 1, 2 });
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    assert_string_equal(TF_Message(r.st), "Equal 'node': Incompatible shapes: [3] vs. [2]");
    run_free(&r);
}

/* Shapes whose broadcast has zero elements but whose other dims overflow int64 when multiplied:
 * an error or an empty result, never a wrapped count. */
static void test_broadcast_overflow(void **state)
{
    run r;
    run_init(&r, "AddV2", TF_FLOAT, TF_FLOAT);
    add_input(&r, tensor(TF_FLOAT, (const int64_t[]){ INT64_C(1) << 40, 1, 0 }, 3));
    add_input(&r, tensor(TF_FLOAT, (const int64_t[]){ 1, INT64_C(1) << 40, 0 }, 3));
    TF_Code rc = run_kernel(&r);
    assert_true(rc == TF_INVALID_ARGUMENT || (rc == TF_OK && r.out->nelems == 0));
    run_free(&r);
}

// ---- in-place reuse ----

/* A kernel may write into a forwardable input with the output's shape and dtype, and must not
 * when that input is not forwardable or differs in shape or dtype. */
static void test_forwarding(void **state)
{
    static const struct {
        const char *op;
        TF_DataType t, out;
        int n_in;
        int64_t dims[MAX_IO];   /* input i: a vector of dims[i] elements (0: a scalar) */
        int want;               /* the input whose buffer the output takes, -1: none */
    } cases[] = {
        { "Neg", TF_FLOAT, TF_FLOAT, 1, { 6 }, 0 },
        { "Exp", TF_DOUBLE, TF_DOUBLE, 1, { 6 }, 0 },
        { "Maximum", TF_INT32, TF_INT32, 2, { 0, 6 }, 1 },
        { "Pow", TF_FLOAT, TF_FLOAT, 2, { 6, 6 }, 0 },
        { "Greater", TF_FLOAT, TF_BOOL, 2, { 6, 6 }, -1 },       /* bool output, float inputs */
        { "LogicalAnd", 0, TF_BOOL, 2, { 6, 0 }, 0 },
        { "LogicalNot", 0, TF_BOOL, 1, { 6 }, 0 },
        { "SelectV2", TF_FLOAT, TF_FLOAT, 3, { 6, 0, 6 }, 2 },
        { "Select", TF_INT64, TF_INT64, 3, { 6, 6, 6 }, 1 },
        { "ClipByValue", TF_FLOAT, TF_FLOAT, 3, { 6, 0, 0 }, 0 },
        { "Cast", 0, TF_DOUBLE, 1, { 6 }, -1 },                  /* float -> double */
    };
    for (size_t c = 0; c < ARRAY_LEN(cases); c++)
        for (int allow = 0; allow < 2; allow++) {
            run r;
            run_init(&r, cases[c].op, cases[c].t, cases[c].out);
            if (!strcmp(cases[c].op, "Cast")) {
                put_type(&r.attrs, "SrcT", TF_FLOAT);
                put_type(&r.attrs, "DstT", TF_DOUBLE);
            }
            void *data[MAX_IO];
            for (int i = 0; i < cases[c].n_in; i++) {
                TF_DataType t = cases[c].t ? cases[c].t : cases[c].out == TF_BOOL ? TF_BOOL : TF_FLOAT;
                if (i == 0 && !strncmp(cases[c].op, "Select", 6)) t = TF_BOOL;
                int64_t n = cases[c].dims[i];
                TF_Tensor *x = tensor(t, &n, n ? 1 : 0);
                memset(TF_TensorData(x), 1, TF_TensorByteSize(x));
                data[i] = add_input(&r, x);
                r.forwardable[i] = allow;
            }
            const void *z = run_ok(&r);
            int want = allow ? cases[c].want : -1;
            for (int i = 0; i < cases[c].n_in; i++)
                if ((z == data[i]) != (i == want))
                    fail_msg("%s (forwardable %d): output %s input %d's buffer", cases[c].op, allow,
                             z == data[i] ? "reuses" : "does not reuse", i);
            run_free(&r);
        }
}

// ---- parallel runs on big tensors ----

/* Runs op over inputs with a 4-thread pool and without one; the outputs must be equal bytes. */
static void check_parallel(const char *op, TF_DataType t, TF_DataType out, int n_in, const int64_t dims[][3],
                           const int *ranks)
{
    tfc_threadpool *pool = tfc_threadpool_new(4, "cwise");
    assert_non_null(pool);
    TF_Tensor *results[2] = { NULL, NULL };
    for (int p = 0; p < 2; p++) {
        run r;
        run_init(&r, op, t, out);
        r.pool = p ? pool : NULL;
        for (int i = 0; i < n_in; i++) {
            TF_DataType ti = i == 0 && !strcmp(op, "SelectV2") ? TF_BOOL : t;
            TF_Tensor *x = tensor(ti, dims[i], ranks[i]);
            int64_t n = x->nelems;
            for (int64_t j = 0; j < n; j++) {
                double v = (double)((j * 7919 + i * 104729) % 2001) / 100.0 - 10.0; /* [-10, 10] */
                void *d = TF_TensorData(x);
                if (ti == TF_FLOAT) ((float *)d)[j] = (float)v;
                else if (ti == TF_DOUBLE) ((double *)d)[j] = v;
                else if (ti == TF_INT32) ((int32_t *)d)[j] = (int32_t)(v * 10) | (i == 1); /* odd divisors */
                else ((uint8_t *)d)[j] = v > 0;
            }
            add_input(&r, x);
        }
        run_ok(&r);
        results[p] = r.out;
        r.out = NULL;
        run_free(&r);
    }
    assert_int_equal(results[0]->nbytes, results[1]->nbytes);
    assert_true(results[0]->nelems > 100000);
    assert_memory_equal(TF_TensorData(results[0]), TF_TensorData(results[1]), results[0]->nbytes);
    TF_DeleteTensor(results[0]);
    TF_DeleteTensor(results[1]);
    tfc_threadpool_free(pool);
}

static void test_parallel_matches_serial(void **state)
{
    static const int64_t vec[][3] = { { 1 << 20 } }, mat[][3] = { { 64, 1, 300 }, { 1, 70, 300 } },
                         sel[][3] = { { 700, 1, 1 }, { 1, 600, 1 }, { 700, 600, 1 } },
                         clip[][3] = { { 900, 1000 }, { 900, 1000 }, { 0 } };
    static const char *const unary[] = { "Exp", "Sigmoid", "Tanh", "Round", "Sqrt", "Erf" };
    for (size_t i = 0; i < ARRAY_LEN(unary); i++) {
        check_parallel(unary[i], TF_FLOAT, TF_FLOAT, 1, vec, (const int[]){ 1 });
        check_parallel(unary[i], TF_DOUBLE, TF_DOUBLE, 1, vec, (const int[]){ 1 });
    }
    check_parallel("FloorMod", TF_INT32, TF_INT32, 2, mat, (const int[]){ 3, 3 });
    check_parallel("Pow", TF_DOUBLE, TF_DOUBLE, 2, mat, (const int[]){ 3, 3 });
    check_parallel("Less", TF_FLOAT, TF_BOOL, 2, mat, (const int[]){ 3, 3 });
    check_parallel("SelectV2", TF_FLOAT, TF_FLOAT, 3, sel, (const int[]){ 3, 3, 3 });
    check_parallel("ClipByValue", TF_FLOAT, TF_FLOAT, 3, clip, (const int[]){ 2, 2, 0 });
}

// ---- shape inference ----

static TF_Operation *build(TF_Graph *g, const char *type, const char *name, const TF_Output *in, int n,
                           TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    for (int i = 0; i < n; i++) TF_AddInput(d, in[i]);
    if (!strcmp(type, "Equal")) TF_SetAttrBool(d, "incompatible_shape_error", 0);
    if (!strcmp(type, "Cast")) TF_SetAttrType(d, "DstT", TF_INT8);
    return TF_FinishOperation(d, s);
}

static void expect_shape(TF_Graph *g, TF_Operation *op, int rank, const int64_t *dims)
{
    TF_Status *s = TF_NewStatus();
    int got = TF_GraphGetTensorNumDims(g, out0(op), s);
    assert_ok(s);
    assert_int_equal(got, rank);
    int64_t d[8];
    if (rank > 0) TF_GraphGetTensorShape(g, out0(op), d, rank, s);
    for (int i = 0; i < rank; i++) assert_int_equal(d[i], dims[i]);
    TF_DeleteStatus(s);
}

static void test_shape_inference(void **state)
{
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Output c4 = out0(placeholder(g, "c4", TF_BOOL, (const int64_t[]){ 4 }, 1));
    TF_Output c41 = out0(placeholder(g, "c41", TF_BOOL, (const int64_t[]){ 4, 1 }, 2));
    TF_Output cs = out0(placeholder(g, "cs", TF_BOOL, NULL, 0));
    TF_Output m = out0(placeholder(g, "m", TF_FLOAT, (const int64_t[]){ -1, 3 }, 2));
    TF_Output v3 = out0(placeholder(g, "v3", TF_FLOAT, (const int64_t[]){ 3 }, 1));
    TF_Output v2 = out0(placeholder(g, "v2", TF_FLOAT, (const int64_t[]){ 2 }, 1));
    TF_Output u = out0(placeholder(g, "u", TF_FLOAT, NULL, -1));

    /* As TensorFlow: the vector condition is checked against dim 0 but does not refine it. */
    expect_shape(g, build(g, "Select", "sel_batch", (TF_Output[]){ c4, m, m }, 3, s), 2, (const int64_t[]){ -1, 3 });
    assert_ok(s);
    expect_shape(g, build(g, "Select", "sel_scalar", (TF_Output[]){ cs, m, m }, 3, s), 2, (const int64_t[]){ -1, 3 });
    expect_shape(g, build(g, "SelectV2", "sel2", (TF_Output[]){ c41, v3, u }, 3, s), -1, NULL);
    TF_Output sc = out0(placeholder(g, "sc", TF_FLOAT, NULL, 0));
    expect_shape(g, build(g, "SelectV2", "sel2b", (TF_Output[]){ c41, v3, sc }, 3, s), 2, (const int64_t[]){ 4, 3 });
    expect_shape(g, build(g, "Equal", "eq_scalar", (TF_Output[]){ v3, v2 }, 2, s), 0, NULL);
    expect_shape(g, build(g, "Equal", "eq_bcast", (TF_Output[]){ m, v3 }, 2, s), 2, (const int64_t[]){ -1, 3 });
    expect_shape(g, build(g, "ClipByValue", "clip", (TF_Output[]){ m, v2, sc }, 3, s), 2, (const int64_t[]){ -1, 3 });
    expect_shape(g, build(g, "Cast", "cast", (TF_Output[]){ m }, 1, s), 2, (const int64_t[]){ -1, 3 });
    expect_shape(g, build(g, "Maximum", "max", (TF_Output[]){ m, v3 }, 2, s), 2, (const int64_t[]){ -1, 3 });
    expect_shape(g, build(g, "Sigmoid", "sig", (TF_Output[]){ m }, 1, s), 2, (const int64_t[]){ -1, 3 });
    assert_ok(s);

    static const struct {
        const char *type, *name;
        int n;
        const char *needle;
    } bad[] = {
        { "Select", "bad_batch", 3, "first dim" },
        { "SelectV2", "bad_v2", 3, "Incompatible shapes" },
        { "Less", "bad_less", 2, "Incompatible shapes" },
    };
    TF_Output ins[][3] = { { c4, v3, v3 }, { c4, v3, v3 }, { v3, v2 } };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        assert_null(build(g, bad[i].type, bad[i].name, ins[i], bad[i].n, s));
        assert_code(s, TF_INVALID_ARGUMENT);
        assert_msg_has(s, bad[i].needle);
        TF_SetStatus(s, TF_OK, "");
    }
    TF_Output b = out0(placeholder(g, "b", TF_BOOL, (const int64_t[]){ 2 }, 1));
    assert_null(build(g, "Neg", "neg_bool", &b, 1, s)); /* dtype not allowed by the op */
    assert_code(s, TF_INVALID_ARGUMENT);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

/* Through a session: a chain of element-wise ops where intermediate buffers are reused. */
static void test_session_chain(void **state)
{
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Output x = out0(placeholder(g, "x", TF_FLOAT, (const int64_t[]){ 4 }, 1));
    TF_Operation *neg = build(g, "Neg", "neg", &x, 1, s);
    TF_Operation *sq = build(g, "Square", "sq", (TF_Output[]){ out0(neg) }, 1, s);
    TF_Operation *mx = build(g, "Maximum", "mx", (TF_Output[]){ out0(sq), x }, 2, s);
    TF_Operation *gt = build(g, "Greater", "gt", (TF_Output[]){ out0(mx), x }, 2, s);
    TF_Operation *sel = build(g, "SelectV2", "sel", (TF_Output[]){ out0(gt), out0(mx), out0(neg) }, 3, s);
    assert_ok(s);
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *sess = TF_NewSession(g, o, s);
    assert_ok(s);
    TF_Tensor *in = float_tensor((const int64_t[]){ 4 }, 1, (const float[]){ -2, 0.5f, 3, 0 });
    TF_Output fetch = out0(sel);
    TF_Tensor *res = NULL;
    TF_SessionRun(sess, NULL, &x, &in, 1, &fetch, &res, 1, NULL, 0, NULL, s);
    assert_ok(s);
    const float *z = TF_TensorData(res);
    /* max(x^2, x) > x ? max(x^2, x) : -x */
    assert_true(z[0] == 4.0f && z[1] == -0.5f && z[2] == 9.0f && z[3] == 0.0f);
    TF_DeleteTensor(res);
    TF_DeleteTensor(in);
    TF_DeleteSession(sess, s);
    TF_DeleteSessionOptions(o);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kernel_inits),
        cmocka_unit_test(test_integer_division_by_zero),
        cmocka_unit_test(test_integer_min_by_minus_one),
        cmocka_unit_test(test_int64_wraps),
        cmocka_unit_test(test_round_integers),
        cmocka_unit_test(test_cast_float_to_int_defined),
        cmocka_unit_test(test_cast_identity_and_truncate),
        cmocka_unit_test(test_sigmoid_and_bools),
        cmocka_unit_test(test_float_approximations),
        cmocka_unit_test(test_select_by_size),
        cmocka_unit_test(test_equal_without_shape_error),
        cmocka_unit_test(test_broadcast_overflow),
        cmocka_unit_test(test_forwarding),
        cmocka_unit_test(test_parallel_matches_serial),
        cmocka_unit_test(test_shape_inference),
        cmocka_unit_test(test_session_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
