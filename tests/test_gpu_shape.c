/* test_gpu_shape: the GPU's shape and conversion kernels against the CPU's. Every case builds the
 * same graph with the op under test on GPU:0 and on CPU:0 and compares the outputs: the views
 * (Identity, Snapshot, StopGradient, PreventGradient, Reshape, ExpandDims, Squeeze) feeding a
 * GPU consumer, Cast between every GPU source and every Cast type over NaN, infinities, ties and
 * out-of-range values (bit-exact: both devices use the same rules), Fill, OneHot on every index
 * type and axis with out-of-range indices, Select and SelectV2 with every condition shape; empty
 * tensors, scalars, size-1 dims and tensors of a million elements. Errors that only the kernels
 * can see (shape values hidden from shape inference) must be the CPU's, code and message. Exits
 * 77 (ctest: skipped) without a GPU. */
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
#include "graph_util.h"
#include "gpu_util.h"
#include "gpu_cases.h"
#include "tfc/c_api.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MILLION 1000000

/* Each of the n cases (size bytes each) in four variants, each as expect_cpu_result: vary(run, v)
 * sets the run's dtype (float for even v, double for odd) and its other option (v & 2). */
static void each_variant(build_fn build, const void *cases, size_t n, size_t size, void (*vary)(void *run, int v),
                         const char *what)
{
    void *run = malloc(size);
    for (size_t i = 0; i < n; i++)
        for (int v = 0; v < 4; v++) {
            memcpy(run, (const char *)cases + i * size, size);
            vary(run, v);
            char name[96];
            snprintf(name, sizeof name, "%s case %zu variant %d", what, i, v);
            expect_cpu_result(build, run, name);
        }
    free(run);
}

static TF_DataType float_or_double(int v) { return v & 1 ? TF_DOUBLE : TF_FLOAT; }

/* ---- views: Identity, Snapshot, StopGradient, PreventGradient ---- */

typedef struct view_case {
    const char *op;
    TF_DataType dt;
    int nd;
    int64_t dims[4];
} view_case;

/* op(x), then a second view and, for float, a GPU consumer reading the shared buffer. */
static TF_Output build_view(TF_Graph *g, const char *device, const void *ctx)
{
    const view_case *c = ctx;
    TF_Output x = typed_random(g, "x", c->dims, c->nd, c->dt, 1);
    TF_Output y = out0(op_on(g, c->op, "op", device, &x, 1));
    y = out0(op_on(g, "Identity", "again", device, &y, 1));
    return c->dt == TF_FLOAT ? out0(op_on(g, "Neg", "use", device, &y, 1)) : y;
}

static void test_forwarding_views(void **state)
{
    (void)state;
    const char *ops[] = { "Identity", "Snapshot", "StopGradient", "PreventGradient" };
    const struct { int nd; int64_t dims[4]; } shapes[] = {
        { 0, { 0 } }, { 1, { 0 } }, { 2, { 1, 1 } }, { 3, { 2, 3, 4 } }, { 2, { 1000, 1000 } },
    };
    for (size_t o = 0; o < LEN(ops); o++)
        for (int dt = 0; dt < 2; dt++)
            for (size_t s = 0; s < LEN(shapes); s++) {
                view_case c = { ops[o], dt ? TF_DOUBLE : TF_FLOAT, shapes[s].nd, { 0 } };
                memcpy(c.dims, shapes[s].dims, sizeof c.dims);
                char what[96];
                snprintf(what, sizeof what, "%s %s shape %zu", ops[o], dt ? "double" : "float", s);
                expect_cpu_result(build_view, &c, what);
            }
}

/* ---- Reshape ---- */

typedef struct reshape_run {
    int nd;
    int64_t dims[4];
    int n_shape;
    int64_t shape[4];
    TF_DataType dt, shape_dt;
} reshape_run;

static void vary_reshape(void *run, int v)
{
    reshape_run *r = run;
    r->dt = float_or_double(v), r->shape_dt = v & 2 ? TF_INT64 : TF_INT32;
}

static TF_Output build_reshape(TF_Graph *g, const char *device, const void *ctx)
{
    const reshape_run *r = ctx;
    TF_Output in[2] = { typed_random(g, "x", r->dims, r->nd, r->dt, 2),
                        ints_as(g, "shape", r->shape, r->n_shape, r->shape_dt) };
    TF_Output y = out0(op_on(g, "Reshape", "op", device, in, 2));
    return r->dt == TF_FLOAT ? out0(op_on(g, "Neg", "use", device, &y, 1)) : y;
}

static void test_reshape(void **state)
{
    (void)state;
    const reshape_run ok[] = {
        { 1, { 12 }, 2, { 3, -1 } },         { 1, { 12 }, 3, { 2, 3, 2 } },     { 3, { 2, 3, 2 }, 1, { -1 } },
        { 0, { 0 }, 1, { 1 } },              { 1, { 1 }, 0, { 0 } },            { 2, { 0, 4 }, 3, { 2, 0, 5 } },
        { 2, { 1000, 1000 }, 2, { -1, 500 } }, { 2, { 4, 1 }, 4, { 1, 2, 1, 2 } },
    };
    each_variant(build_reshape, ok, LEN(ok), sizeof ok[0], vary_reshape, "Reshape");
    const reshape_run bad[] = {
        { 1, { 12 }, 2, { 5, -1 }, TF_FLOAT, TF_INT32 },  /* not a multiple */
        { 1, { 12 }, 2, { -1, -1 }, TF_FLOAT, TF_INT32 }, /* two unknowns */
        { 1, { 12 }, 2, { -2, -6 }, TF_FLOAT, TF_INT32 }, /* negative */
        { 1, { 12 }, 2, { 4, 4 }, TF_FLOAT, TF_INT64 },   /* wrong count */
        { 2, { 0, 3 }, 2, { 0, -1 }, TF_FLOAT, TF_INT32 }, /* cannot infer for an empty tensor */
    };
    for (size_t i = 0; i < LEN(bad); i++) expect_cpu_error(build_reshape, &bad[i], "Reshape error");
}

/* ---- ExpandDims ---- */

typedef struct expand_run {
    int nd;
    int64_t dims[4];
    int64_t axis;
    TF_DataType dt, axis_dt;
} expand_run;

static TF_Output build_expand(TF_Graph *g, const char *device, const void *ctx)
{
    const expand_run *r = ctx;
    TF_Output in[2] = { typed_random(g, "x", r->dims, r->nd, r->dt, 3), int_scalar(g, "dim", r->axis, r->axis_dt) };
    TF_Output y = out0(op_on(g, "ExpandDims", "op", device, in, 2));
    return r->dt == TF_FLOAT ? out0(op_on(g, "Neg", "use", device, &y, 1)) : y;
}

static void test_expand_dims(void **state)
{
    (void)state;
    const struct { int nd; int64_t dims[4]; } shapes[] = { { 0, { 0 } }, { 2, { 2, 3 } }, { 2, { 0, 2 } },
                                                         { 3, { 100, 1, 10000 } } };
    for (size_t s = 0; s < LEN(shapes); s++)
        for (int64_t axis = -shapes[s].nd - 1; axis <= shapes[s].nd; axis++)
            for (int v = 0; v < 4; v++) {
                expand_run r = { shapes[s].nd, { 0 }, axis, float_or_double(v), v & 2 ? TF_INT64 : TF_INT32 };
                memcpy(r.dims, shapes[s].dims, sizeof r.dims);
                char what[80];
                snprintf(what, sizeof what, "ExpandDims shape %zu axis %lld variant %d", s, (long long)axis, v);
                expect_cpu_result(build_expand, &r, what);
            }
    const int64_t bad_axes[] = { 3, -4, 100 };
    for (size_t i = 0; i < LEN(bad_axes); i++) {
        expand_run r = { 2, { 2, 3 }, bad_axes[i], TF_FLOAT, TF_INT32 };
        expect_cpu_error(build_expand, &r, "ExpandDims bad axis");
    }
}

/* ---- Squeeze ---- */

typedef struct squeeze_run {
    int nd;
    int64_t dims[5];
    int n_sq; /* -1: no squeeze_dims attr */
    int64_t sq[4];
    TF_DataType dt;
    bool hide_shape; /* the input's shape unknown to shape inference */
} squeeze_run;

static void set_squeeze_dims(TF_OperationDescription *d, const void *ctx)
{
    const squeeze_run *r = ctx;
    if (r->n_sq >= 0) TF_SetAttrIntList(d, "squeeze_dims", r->sq, r->n_sq);
}

static void vary_squeeze(void *run, int v)
{
    squeeze_run *r = run;
    r->dt = float_or_double(v), r->hide_shape = v & 2;
}

static TF_Output build_squeeze(TF_Graph *g, const char *device, const void *ctx)
{
    const squeeze_run *r = ctx;
    TF_Output x = typed_random(g, "x", r->dims, r->nd, r->dt, 4);
    if (r->hide_shape) x = unknown_shape(g, "hidden", x, r->dims, r->nd);
    TF_Output y = out0(op_with(g, "Squeeze", "op", device, &x, 1, set_squeeze_dims, r));
    return r->dt == TF_FLOAT ? out0(op_on(g, "Neg", "use", device, &y, 1)) : y;
}

static void test_squeeze(void **state)
{
    (void)state;
    const squeeze_run ok[] = {
        { 5, { 1, 2, 1, 3, 1 }, -1, { 0 } }, { 5, { 1, 2, 1, 3, 1 }, 2, { 0, -1 } }, { 5, { 1, 2, 1, 3, 1 }, 1, { 2 } },
        { 1, { 1 }, -1, { 0 } },             { 2, { 1, 1 }, 1, { -2 } },             { 3, { 0, 1, 2 }, 1, { 1 } },
        { 2, { 2, 3 }, -1, { 0 } },          { 4, { 1, 1000, 1, 1000 }, -1, { 0 } },
    };
    each_variant(build_squeeze, ok, LEN(ok), sizeof ok[0], vary_squeeze, "Squeeze");
    /* Only the kernel sees the sizes (a squeeze dim out of range fails at graph time: the rank is known). */
    const squeeze_run bad = { 3, { 1, 2, 1 }, 1, { 1 }, TF_FLOAT, true };
    expect_cpu_error(build_squeeze, &bad, "Squeeze of a dim that is not 1");
}

/* A GPU chain of views and consumers: nothing is copied in between, and the values survive. */
static TF_Output build_view_chain(TF_Graph *g, const char *device, const void *ctx)
{
    (void)ctx;
    TF_Output x = typed_random(g, "x", (const int64_t[]){ 64, 250 }, 2, TF_FLOAT, 5);
    TF_Output in[2] = { x, ints_as(g, "s1", (const int64_t[]){ 1, 16000 }, 2, TF_INT32) };
    TF_Output y = out0(op_on(g, "Reshape", "r1", device, in, 2));
    y = out0(op_on(g, "Relu", "relu", device, &y, 1));
    TF_Output ex[2] = { y, int_scalar(g, "ax", -1, TF_INT32) };
    y = out0(op_on(g, "ExpandDims", "ex", device, ex, 2));
    y = out0(op_with(g, "Squeeze", "sq", device, &y, 1, NULL, NULL));
    TF_Output both[2] = { y, out0(op_on(g, "StopGradient", "sg", device, &y, 1)) };
    return out0(op_on(g, "AddV2", "sum", device, both, 2));
}

static void test_view_chain(void **state)
{
    (void)state;
    expect_cpu_result(build_view_chain, NULL, "Reshape/ExpandDims/Squeeze chain");
}

/* ---- Cast ---- */

/* Values that test every conversion rule: NaN, infinities, signed zeros, ties and fractions
 * (truncation toward zero), the edges of every integer type and past them, float's edges
 * (denormal, max, overflow), and doubles with low mantissa bits (Truncate). */
static const double cast_values[] = {
    NAN, INFINITY, -INFINITY, 0.0, -0.0, 0.5, -0.5, 0.7, -0.7, 1.0, 1.5, -1.5, 2.5, -2.5, 127.0, 127.9, 128.0,
    -128.0, -129.0, 255.0, 255.5, 256.0, 300.0, -300.0, -1.0, 32767.0, 32768.0, -32769.0, 65535.0, 65536.0,
    2147483647.0, 2147483648.0, -2147483648.0, -2147483649.0, 4294967295.0, 4294967296.0, 9.2e18, 9.3e18, -9.3e18,
    1.8e19, 1.9e19, 1e20, -1e20, 1e-40, -1e-45, 3.4e38, 1e39, -1e39, 0.1, 1.0 / 3.0, 16777217.0, 1.0 + 0x1p-30,
    -(1.0 + 0x1p-29), 123456789.123456789, 1e300,
};

typedef struct cast_run {
    TF_DataType src, dst;
    bool truncate;
    int64_t n; /* -1: a scalar; else the first n of cast_values, repeated, then random values */
} cast_run;

static void set_cast_attrs(TF_OperationDescription *d, const void *ctx)
{
    const cast_run *r = ctx;
    TF_SetAttrType(d, "DstT", r->dst);
    TF_SetAttrBool(d, "Truncate", r->truncate);
}

static TF_Output build_cast(TF_Graph *g, const char *device, const void *ctx)
{
    const cast_run *r = ctx;
    int64_t n = r->n < 0 ? 1 : r->n, k = (int64_t)LEN(cast_values);
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    float *noise = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
    fill_random(noise, n, 6);
    for (int64_t i = 0; i < n; i++) /* the values, then 3 and -7 times them, then noise */
        v[i] = i < 4 * k ? cast_values[i % k] * (i < k ? 1 : i < 2 * k ? 3 : -7) : noise[i] * 1e6;
    TF_Output x = values_as(g, "x", &n, r->n < 0 ? 0 : 1, v, r->src);
    free(v);
    free(noise);
    return out0(op_with(g, "Cast", "op", device, &x, 1, set_cast_attrs, r));
}

static const TF_DataType gpu_cast_sources[] = { TF_FLOAT, TF_DOUBLE, TF_INT32, TF_INT64, TF_UINT8, TF_BOOL };
static const TF_DataType cast_types[] = { TF_FLOAT, TF_DOUBLE, TF_INT8,   TF_INT16,  TF_INT32, TF_INT64,
                                          TF_UINT8, TF_UINT16, TF_UINT32, TF_UINT64, TF_BOOL };

static void test_cast_every_pair(void **state)
{
    (void)state;
    const int64_t sizes[] = { (int64_t)LEN(cast_values), 0, -1, 1000 };
    for (size_t s = 0; s < LEN(gpu_cast_sources); s++)
        for (size_t d = 0; d < LEN(cast_types); d++)
            for (size_t z = 0; z < LEN(sizes); z++) {
                cast_run r = { gpu_cast_sources[s], cast_types[d], false, sizes[z] };
                char what[96];
                snprintf(what, sizeof what, "Cast %s to %s, %lld values", tfc_dtype_name(r.src),
                         tfc_dtype_name(r.dst), (long long)r.n);
                expect_cpu_result(build_cast, &r, what);
            }
}

static void test_cast_truncate_and_large(void **state)
{
    (void)state;
    for (size_t s = 0; s < LEN(gpu_cast_sources); s++)
        for (int t = 0; t < 2; t++) {
            cast_run to_float = { gpu_cast_sources[s], TF_FLOAT, t, (int64_t)LEN(cast_values) };
            expect_cpu_result(build_cast, &to_float, t ? "Cast to float, Truncate" : "Cast to float");
            to_float.n = MILLION;
            expect_cpu_result(build_cast, &to_float, "Cast to float, a million values");
        }
    for (size_t d = 0; d < LEN(cast_types); d++) {
        cast_run from_float = { TF_FLOAT, cast_types[d], true, MILLION };
        expect_cpu_result(build_cast, &from_float, "Cast from float, a million values");
    }
    cast_run half = { TF_FLOAT, TF_HALF, false, 4 }; /* no Cast kernel converts half */
    expect_cpu_error(build_cast, &half, "Cast float to half");
}

/* ---- Fill ---- */

typedef struct fill_run {
    TF_DataType dt, dims_dt;
    int nd;
    int64_t dims[4];
    double value;
} fill_run;

static void vary_fill(void *run, int v)
{
    fill_run *r = run;
    r->dt = float_or_double(v), r->dims_dt = v & 2 ? TF_INT64 : TF_INT32;
}

static TF_Output build_fill(TF_Graph *g, const char *device, const void *ctx)
{
    const fill_run *r = ctx;
    TF_Output in[2] = { ints_as(g, "dims", r->dims, r->nd, r->dims_dt),
                        values_as(g, "value", NULL, 0, &r->value, r->dt) };
    TF_Output y = out0(op_on(g, "Fill", "op", device, in, 2));
    return r->dt == TF_FLOAT ? out0(op_on(g, "Neg", "use", device, &y, 1)) : y;
}

static void test_fill(void **state)
{
    (void)state;
    const fill_run ok[] = {
        { .nd = 2, .dims = { 2, 3 }, .value = 2.5 },     { .nd = 0, .value = -7 },
        { .nd = 2, .dims = { 0, 4 }, .value = 1 },       { .nd = 3, .dims = { 1, 1, 1 }, .value = NAN },
        { .nd = 1, .dims = { 5 }, .value = -0.0 },       { .nd = 2, .dims = { 1000, 1000 }, .value = 1.0 / 3.0 },
        { .nd = 4, .dims = { 3, 1, 7, 1 }, .value = INFINITY },
    };
    each_variant(build_fill, ok, LEN(ok), sizeof ok[0], vary_fill, "Fill");
    fill_run negative = { TF_FLOAT, TF_INT32, 2, { 2, -3 }, 1 };
    expect_cpu_error(build_fill, &negative, "Fill negative dim");
}

/* ---- OneHot ---- */

typedef struct one_hot_run {
    TF_DataType dt, index_dt;
    int nd;
    int64_t dims[3];
    int64_t depth, axis;
} one_hot_run;

static void set_axis(TF_OperationDescription *d, const void *ctx)
{
    TF_SetAttrInt(d, "axis", ((const one_hot_run *)ctx)->axis);
}

/* Indices in [-2, depth + 2): some below, some past the range (uint8 wraps -2 and -1 to 254, 255). */
static TF_Output build_one_hot(TF_Graph *g, const char *device, const void *ctx)
{
    const one_hot_run *r = ctx;
    int64_t n = 1;
    for (int i = 0; i < r->nd; i++) n *= r->dims[i];
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    float *u = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
    fill_random(u, n, 7);
    for (int64_t i = 0; i < n; i++) v[i] = floor((u[i] + 1) / 2 * (double)(r->depth + 4)) - 2;
    double on = 2.5, off = -0.75;
    TF_Output in[4] = { values_as(g, "indices", r->dims, r->nd, v, r->index_dt),
                        int_scalar(g, "depth", r->depth, TF_INT32),
                        values_as(g, "on", NULL, 0, &on, r->dt), values_as(g, "off", NULL, 0, &off, r->dt) };
    free(v);
    free(u);
    return out0(op_with(g, "OneHot", "op", device, in, 4, set_axis, r));
}

static void test_one_hot(void **state)
{
    (void)state;
    const one_hot_run shapes[] = {
        { .nd = 1, .dims = { 4 }, .depth = 3, .axis = -1 },
        { .nd = 1, .dims = { 4 }, .depth = 3, .axis = 0 },
        { .nd = 2, .dims = { 2, 3 }, .depth = 4, .axis = 0 },
        { .nd = 2, .dims = { 2, 3 }, .depth = 4, .axis = 1 },
        { .nd = 2, .dims = { 2, 3 }, .depth = 4, .axis = 2 },
        { .nd = 2, .dims = { 2, 3 }, .depth = 4, .axis = -1 },
        { .nd = 0, .depth = 5, .axis = -1 },
        { .nd = 0, .depth = 5, .axis = 0 },
        { .nd = 1, .dims = { 0 }, .depth = 4, .axis = -1 },
        { .nd = 1, .dims = { 3 }, .depth = 0, .axis = -1 },
        { .nd = 3, .dims = { 3, 4, 5 }, .depth = 6, .axis = 1 },
        { .nd = 3, .dims = { 1, 1, 1 }, .depth = 1, .axis = 2 },
        { .nd = 1, .dims = { 1000 }, .depth = 1000, .axis = -1 },
        { .nd = 2, .dims = { 100, 100 }, .depth = 100, .axis = 0 },
    };
    const TF_DataType index_types[] = { TF_INT32, TF_INT64, TF_UINT8, TF_INT8 };
    for (size_t i = 0; i < LEN(shapes); i++)
        for (size_t t = 0; t < LEN(index_types); t++)
            for (int dt = 0; dt < 2; dt++) {
                one_hot_run r = shapes[i];
                r.index_dt = index_types[t];
                r.dt = dt ? TF_DOUBLE : TF_FLOAT;
                char what[96];
                snprintf(what, sizeof what, "OneHot case %zu indices %s %s", i, tfc_dtype_name(r.index_dt),
                         dt ? "double" : "float");
                expect_cpu_result(build_one_hot, &r, what);
            }
    one_hot_run negative = { TF_FLOAT, TF_INT32, 1, { 2 }, -1, -1 };
    expect_cpu_error(build_one_hot, &negative, "OneHot negative depth");
}

/* ---- Select, SelectV2 ---- */

typedef struct select_run {
    const char *op;
    TF_DataType dt;
    int nc, nt, ne;
    int64_t c[10], t[10], e[10];
    bool hide; /* t's and e's shapes unknown to shape inference */
} select_run;

static void vary_select(void *run, int v)
{
    select_run *r = run;
    r->dt = float_or_double(v), r->hide = v & 2;
}

static TF_Output build_select(TF_Graph *g, const char *device, const void *ctx)
{
    const select_run *r = ctx;
    TF_Output cmp[2] = { typed_random(g, "c_values", r->c, r->nc, TF_FLOAT, 8),
                         out0(const_float(g, "zero", NULL, 0, (float[]){ 0 })) };
    TF_Output t = typed_random(g, "t", r->t, r->nt, r->dt, 9), e = typed_random(g, "e", r->e, r->ne, r->dt, 10);
    if (r->hide) {
        t = unknown_shape(g, "t_hidden", t, r->t, r->nt);
        e = unknown_shape(g, "e_hidden", e, r->e, r->ne);
    }
    TF_Output in[3] = { out0(op_on(g, "Greater", "cond", CPU0, cmp, 2)), t, e };
    return out0(op_on(g, r->op, "op", device, in, 3));
}

static void test_select(void **state)
{
    (void)state;
    const select_run ok[] = {
        { "Select", .nc = 0, .nt = 2, .t = { 3, 4 }, .ne = 2, .e = { 3, 4 } }, /* scalar condition */
        { "Select", .nc = 2, .c = { 3, 4 }, .nt = 2, .t = { 3, 4 }, .ne = 2, .e = { 3, 4 } },
        { "Select", .nc = 1, .c = { 3 }, .nt = 3, .t = { 3, 4, 5 }, .ne = 3, .e = { 3, 4, 5 } }, /* over dim 0 */
        { "Select", .nc = 1, .c = { 5 }, .nt = 1, .t = { 5 }, .ne = 1, .e = { 5 } },
        { "Select", .nc = 1, .c = { 0 }, .nt = 2, .t = { 0, 4 }, .ne = 2, .e = { 0, 4 } },
        { "Select", .nc = 2, .c = { 1000, 1000 }, .nt = 2, .t = { 1000, 1000 }, .ne = 2, .e = { 1000, 1000 } },
        { "Select", .nc = 1, .c = { 1000 }, .nt = 2, .t = { 1000, 1000 }, .ne = 2, .e = { 1000, 1000 } },
        { "SelectV2", .nc = 3, .c = { 3, 1, 5 }, .nt = 2, .t = { 4, 5 }, .ne = 1, .e = { 1 } },
        { "SelectV2", .nc = 0, .nt = 2, .t = { 2, 3 }, .ne = 2, .e = { 2, 3 } },
        { "SelectV2", .nc = 2, .c = { 4, 1 }, .nt = 2, .t = { 1, 5 }, .ne = 2, .e = { 4, 5 } },
        { "SelectV2", .nc = 2, .c = { 0, 1 }, .nt = 1, .t = { 3 }, .ne = 0 },
        { "SelectV2", .nc = 2, .c = { 1000, 1 }, .nt = 2, .t = { 1000, 1000 }, .ne = 1, .e = { 1000 } },
        { "SelectV2", .nc = 8, .c = { 2, 1, 2, 1, 2, 1, 2, 1 }, .nt = 8, .t = { 1, 2, 1, 2, 1, 2, 1, 2 }, .ne = 0 },
    };
    each_variant(build_select, ok, LEN(ok), sizeof ok[0], vary_select, "Select/SelectV2");
    const select_run bad[] = {
        { "SelectV2", TF_FLOAT, 2, 2, 1, { 4, 5 }, { 2, 3 }, { 1 }, true },       /* not broadcastable */
        { "Select", TF_FLOAT, 1, 2, 2, { 4 }, { 3, 5 }, { 3, 5 }, true },         /* batch of 4 vs 3 */
        { "Select", TF_FLOAT, 0, 2, 2, { 0 }, { 3, 5 }, { 5, 3 }, true },         /* then vs else */
        { "Select", TF_FLOAT, 2, 2, 2, { 3, 4 }, { 3, 5 }, { 3, 5 }, true },      /* condition vs then */
    };
    expect_cpu_errors(build_select, bad, LEN(bad), sizeof bad[0], "Select/SelectV2");
}

/* Ten dims that do not merge are more than the GPU's broadcast handles: UNIMPLEMENTED there,
 * where the CPU computes it. */
static void test_select_deep_broadcast(void **state)
{
    (void)state;
    select_run r = { "SelectV2", TF_FLOAT, 10, 10, 0, { 2, 1, 2, 1, 2, 1, 2, 1, 2, 1 },
                     { 1, 2, 1, 2, 1, 2, 1, 2, 1, 2 } };
    char msg[512];
    assert_int_equal(run_on(build_select, &r, CPU0, msg, sizeof msg, NULL), TF_OK);
    assert_int_equal(run_on(build_select, &r, GPU0, msg, sizeof msg, NULL), TF_UNIMPLEMENTED);
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_shape")) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forwarding_views),
        cmocka_unit_test(test_reshape),
        cmocka_unit_test(test_expand_dims),
        cmocka_unit_test(test_squeeze),
        cmocka_unit_test(test_view_chain),
        cmocka_unit_test(test_cast_every_pair),
        cmocka_unit_test(test_cast_truncate_and_large),
        cmocka_unit_test(test_fill),
        cmocka_unit_test(test_one_hot),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_select_deep_broadcast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
