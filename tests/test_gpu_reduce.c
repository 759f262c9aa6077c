/* test_gpu_reduce: the GPU's reductions against the CPU's. Every case builds the same graph with the
 * op under test on GPU:0 and on CPU:0 and compares the outputs: Sum, Mean, Prod, Max and Min over
 * every axis pattern (inner, outer, middle, several axes in one or more passes, all, none, negative
 * axes, keep_dims, a scalar axis), ArgMax and ArgMin along each axis with every output type, and
 * BiasAddGrad in NHWC and NCHW; float and double, empty inputs, scalars, size-1 dims and tensors of
 * a million elements (the split passes). Random data: sums and products within rtol 1e-5 (float;
 * both sides accumulate in double), Max, Min and the Arg ops bit for bit. Special data — a few
 * distinct values (exact sums and products, ties) with NaNs and infinities — bit for bit for every
 * op. Errors that only the kernels see (axes hidden from shape inference) must be the CPU's, code
 * and message. Exits 77 (ctest: skipped) without a GPU. */
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

static const TF_DataType dtypes[] = { TF_FLOAT, TF_DOUBLE };

/* RANDOM: values in [-1, 1). NANS: values from {+-2, +-1, +-0.5} (sums and products exact, many
 * ties) with NaNs (the first element too), infinities of both signs; INFS: the same without NaN. */
enum { RANDOM, NANS, INFS, N_MODES };

static int64_t count_of(const int64_t *dims, int nd)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    return n;
}

static TF_Output input_of(TF_Graph *g, const int64_t *dims, int nd, TF_DataType dt, int mode)
{
    if (mode == RANDOM) return typed_random(g, "x", dims, nd, dt, 7);
    static const double few[] = { -2, -1, -0.5, 0.5, 1, 2 };
    int64_t n = count_of(dims, nd);
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    uint32_t h = 2024;
    for (int64_t i = 0; i < n; i++) {
        h = h * 1664525u + 1013904223u;
        unsigned r = h >> 24;
        v[i] = r < 4 ? (mode == NANS ? NAN : INFINITY) : r < 8 ? INFINITY : r < 12 ? -INFINITY : few[r % 6];
    }
    if (n > 0 && mode == NANS) v[0] = NAN; /* ArgMax/ArgMin of a row starting with NaN: 0 */
    TF_Output x = values_as(g, "x", dims, nd, v, dt);
    free(v);
    return x;
}

static const char *dt_name(TF_DataType dt) { return dt == TF_FLOAT ? "float" : "double"; }

/* Tolerances of the sums (float: both accumulate in double and round once per pass). */
static double rtol_of(TF_DataType dt) { return dt == TF_FLOAT ? 1e-5 : 1e-10; }

/* x with its rank hidden from shape inference: a CPU Reshape by a shape vector of unknown length
 * (the dims, reshaped through [1, nd] and back with hidden shapes so that nothing infers them). */
static TF_Output hide_rank(TF_Graph *g, TF_Output x, const int64_t *dims, int nd)
{
    TF_Output shape = ints_as(g, "hr_dims", dims, nd, TF_INT32);
    shape = unknown_shape(g, "hr_matrix", shape, (const int64_t[]){ 1, nd }, 2);
    shape = unknown_shape(g, "hr_vector", shape, (const int64_t[]){ nd }, 1);
    TF_Output in[2] = { x, shape };
    return out0(op_on(g, "Reshape", "hr", CPU0, in, 2));
}

/* ---- Sum, Mean, Prod, Max, Min ---- */

static const char *const reduce_ops[] = { "Sum", "Mean", "Prod", "Max", "Min" };

typedef struct reduce_case {
    int nd;
    int64_t dims[4];
    int naxes; /* < 0: a scalar axis, axes[0] */
    int64_t axes[4];
    bool keep;
    TF_DataType axes_dt; /* 0: int32 */
} reduce_case;

/* One run of a case: the op (of the case's family), the dtype and the input mode. */
typedef struct op_run {
    const void *c;
    const char *op;
    TF_DataType dt;
    int mode;
} op_run;

static void set_keep(TF_OperationDescription *d, const void *ctx)
{
    TF_SetAttrBool(d, "keep_dims", *(const bool *)ctx);
}

static TF_Output build_reduce(TF_Graph *g, const char *device, const void *ctx)
{
    const op_run *r = ctx;
    const reduce_case *c = r->c;
    TF_DataType adt = c->axes_dt ? c->axes_dt : TF_INT32;
    TF_Output in[2] = { input_of(g, c->dims, c->nd, r->dt, r->mode),
                        c->naxes < 0 ? int_scalar(g, "axes", c->axes[0], adt) : ints_as(g, "axes", c->axes, c->naxes, adt) };
    return out0(op_with(g, r->op, "op", device, in, 2, set_keep, &c->keep));
}

static const reduce_case reduce_cases[] = {
    { 2, { 64, 100 }, 1, { 1 } },                         /* inner, short rows: a warp each */
    { 2, { 16, 3000 }, 1, { 1 } },                        /* inner, long rows: a block each */
    { 2, { 4, 100000 }, 1, { -1 } },                      /* few long rows: a split pass */
    { 1, { 1000000 }, 1, { 0 } },                         /* a million, reduce-all */
    { 2, { 1000, 1000 }, 1, { 1 } },                      /* a million, inner */
    { 2, { 1000, 1000 }, 1, { 0 } },                      /* a million, outer: columns, split */
    { 2, { 300, 7 }, 1, { 0 } },                          /* outer, a partial column tile */
    { 3, { 4, 200000, 2 }, 1, { 1 } },                    /* middle, few long columns: split */
    { 3, { 5, 40, 6 }, 1, { 1 }, false, TF_INT64 },       /* middle */
    { 4, { 3, 4, 5, 6 }, 2, { 0, 2 } },                   /* several axes: two passes */
    { 4, { 3, 4, 5, 6 }, 2, { 3, 1 } },
    { 4, { 2, 500, 3, 400 }, 2, { 1, 3 } },               /* two passes over 1.2 million */
    { 4, { 3, 4, 5, 6 }, 3, { 0, 1, 3 }, true },          /* merged neighbours, two passes */
    { 3, { 2, 3, 4 }, 3, { 0, 1, 2 } },                   /* all axes */
    { 3, { 2, 3, 4 }, 3, { -1, 0, -2 }, true, TF_INT64 }, /* all, negative, keep_dims */
    { 3, { 2, 3, 4 }, 0, { 0 } },                         /* none: a copy */
    { 3, { 2, 3, 4 }, 0, { 0 }, true },
    { 3, { 2, 1, 4 }, 1, { 1 } },                         /* only a size-1 dim: a copy */
    { 3, { 2, 3, 4 }, 2, { -1, -3 }, true },              /* negative axes, keep_dims */
    { 2, { 3, 4 }, 1, { 1 }, true },
    { 2, { 6, 7 }, -1, { 1 } },                           /* a scalar axis */
    { 2, { 6, 7 }, -1, { -2 }, true, TF_INT64 },
    { 3, { 1, 50, 1 }, 1, { 1 } },                        /* size-1 dims around */
    { 0, { 0 }, 0, { 0 } },                               /* a scalar */
    { 1, { 1 }, 1, { 0 } },
    { 2, { 0, 5 }, 1, { 0 } },                            /* empty: the value over nothing */
    { 3, { 3, 0, 2 }, 1, { 1 }, true },
    { 1, { 0 }, 1, { 0 } },                               /* to a scalar */
    { 2, { 0, 5 }, 0, { 0 } },                            /* empty, nothing reduced */
    { 2, { 5, 0 }, 1, { 0 } },                            /* empty output */
    { 2, { 0, 5 }, 1, { 1 } },
};

static void check_reduce(const op_run *r, const char *what)
{
    bool exact = r->mode != RANDOM || !strcmp(r->op, "Max") || !strcmp(r->op, "Min");
    if (exact) expect_cpu_result(build_reduce, r, what);
    else gpu_compare(build_reduce, r, rtol_of(r->dt), rtol_of(r->dt), what);
}

static void run_reduce_cases(int mode)
{
    for (size_t i = 0; i < LEN(reduce_cases); i++) {
        const reduce_case *c = &reduce_cases[i];
        for (size_t o = 0; o < LEN(reduce_ops); o++) {
            /* Long special products could overflow and underflow in an order-dependent way. */
            if (mode != RANDOM && !strcmp(reduce_ops[o], "Prod") && count_of(c->dims, c->nd) > 100000) continue;
            for (size_t t = 0; t < LEN(dtypes); t++) {
                op_run r = { c, reduce_ops[o], dtypes[t], mode };
                char what[96];
                snprintf(what, sizeof what, "%s %s case %zu mode %d", reduce_ops[o], dt_name(dtypes[t]), i, mode);
                check_reduce(&r, what);
            }
        }
    }
}

static void test_reduce_random(void **state)
{
    (void)state;
    run_reduce_cases(RANDOM);
}

static void test_reduce_nan_inf(void **state)
{
    (void)state;
    run_reduce_cases(NANS);
    run_reduce_cases(INFS);
}

static void test_reduce_errors(void **state)
{
    (void)state;
    static const reduce_case bad[] = {
        { 2, { 3, 4 }, 1, { 2 } },                   /* out of range */
        { 2, { 3, 4 }, 1, { -3 }, false, TF_INT64 },
        { 2, { 3, 4 }, 2, { 0, 0 } },                /* duplicates */
        { 2, { 3, 4 }, 2, { 1, -1 }, true },
        { 0, { 0 }, 1, { 0 } },                      /* a scalar has no axis 0 */
        { 2, { 0, 4 }, -1, { 5 } },                  /* checked when empty too */
    };
    for (size_t i = 0; i < LEN(bad); i++)
        for (size_t o = 0; o < LEN(reduce_ops); o++)
            for (size_t t = 0; t < LEN(dtypes); t++) {
                op_run r = { &bad[i], reduce_ops[o], dtypes[t], RANDOM };
                char what[96];
                snprintf(what, sizeof what, "%s %s error case %zu", reduce_ops[o], dt_name(dtypes[t]), i);
                expect_cpu_error(build_reduce, &r, what);
            }
}

/* ---- ArgMax, ArgMin ---- */

typedef struct arg_case {
    int nd;
    int64_t dims[3];
    int64_t axis;
    TF_DataType axis_dt, out_dt; /* 0: int32, int64 */
    bool vector_axis;            /* the dimension as a 1-element vector */
} arg_case;

static void set_output_type(TF_OperationDescription *d, const void *ctx)
{
    TF_DataType t = *(const TF_DataType *)ctx;
    TF_SetAttrType(d, "output_type", t ? t : TF_INT64);
}

static TF_Output build_arg(TF_Graph *g, const char *device, const void *ctx)
{
    const op_run *r = ctx;
    const arg_case *c = r->c;
    TF_DataType adt = c->axis_dt ? c->axis_dt : TF_INT32;
    TF_Output in[2] = { input_of(g, c->dims, c->nd, r->dt, r->mode),
                        c->vector_axis ? ints_as(g, "dim", &c->axis, 1, adt) : int_scalar(g, "dim", c->axis, adt) };
    return out0(op_with(g, r->op, "op", device, in, 2, set_output_type, &c->out_dt));
}

static void run_arg_cases(const char *op, const arg_case *cases, size_t n, bool errors)
{
    for (size_t i = 0; i < n; i++)
        for (int mode = 0; mode < (errors ? 1 : N_MODES); mode++)
            for (size_t t = 0; t < LEN(dtypes); t++) {
                op_run r = { &cases[i], op, dtypes[t], mode };
                char what[96];
                snprintf(what, sizeof what, "%s %s %scase %zu mode %d", op, dt_name(dtypes[t]),
                         errors ? "error " : "", i, mode);
                if (errors) expect_cpu_error(build_arg, &r, what);
                else expect_cpu_result(build_arg, &r, what);
            }
}

static void test_arg(void **state)
{
    (void)state;
    static const arg_case ok[] = {
        { 2, { 128, 10 }, 1 },                      /* MNIST: batch x 10 classes */
        { 2, { 128, 10 }, -1, TF_INT64, TF_INT32 },
        { 2, { 64, 300 }, 1 },                      /* long rows: a block each */
        { 1, { 1000000 }, 0, TF_INT64 },            /* a million */
        { 2, { 1000, 1000 }, 0, 0, TF_INT32 },      /* columns */
        { 2, { 1000, 1000 }, 1 },
        { 3, { 5, 40, 6 }, 1 },                     /* middle */
        { 3, { 5, 40, 6 }, 0, TF_INT64 },
        { 3, { 5, 40, 6 }, -1, 0, TF_INT32 },
        { 1, { 7 }, 0 },                            /* to a scalar */
        { 2, { 1, 1 }, 0 },
        { 2, { 3, 1 }, 1 },                         /* a single candidate */
        { 2, { 0, 4 }, 1 },                         /* empty output */
    };
    run_arg_cases("ArgMax", ok, LEN(ok), false);
    run_arg_cases("ArgMin", ok, LEN(ok), false);
    static const arg_case argmax_only[] = {         /* int16 dimensions, int16 and uint16 indices */
        { 2, { 50, 20 }, 0, 0, TF_INT16 },
        { 2, { 50, 20 }, 1, 0, TF_UINT16 },
        { 2, { 50, 20 }, 1, TF_INT16 },
    };
    run_arg_cases("ArgMax", argmax_only, LEN(argmax_only), false);
}

static void test_arg_errors(void **state)
{
    (void)state;
    static const arg_case bad[] = {
        { 2, { 3, 4 }, 2 },                         /* out of range */
        { 2, { 3, 4 }, -3, TF_INT64 },
        { 2, { 3, 0 }, 1 },                         /* an empty axis */
        { 2, { 0, 3 }, 0, 0, TF_INT32 },
        { 2, { 3, 4 }, 1, 0, 0, true },             /* not a scalar */
    };
    run_arg_cases("ArgMax", bad, LEN(bad), true);
    run_arg_cases("ArgMin", bad, LEN(bad), true);
}

/* ---- BiasAddGrad ---- */

typedef struct bias_case {
    int nd;
    int64_t dims[5];
    bool nchw, hide; /* hide: x's rank unknown to shape inference */
} bias_case;

static void set_format(TF_OperationDescription *d, const void *ctx)
{
    TF_SetAttrString(d, "data_format", *(const bool *)ctx ? "NCHW" : "NHWC", 4);
}

static TF_Output build_bias_grad(TF_Graph *g, const char *device, const void *ctx)
{
    const op_run *r = ctx;
    const bias_case *c = r->c;
    TF_Output x = input_of(g, c->dims, c->nd, r->dt, r->mode);
    if (c->hide) x = hide_rank(g, x, c->dims, c->nd);
    return out0(op_with(g, "BiasAddGrad", "op", device, &x, 1, set_format, &c->nchw));
}

static void test_bias_grad(void **state)
{
    (void)state;
    static const bias_case ok[] = {
        { 2, { 64, 10 } },                          /* NHWC: columns */
        { 4, { 32, 8, 8, 16 } },
        { 2, { 1000, 1000 } },                      /* a million: split columns */
        { 2, { 200000, 5 } },
        { 2, { 1, 7 } },
        { 5, { 2, 3, 4, 5, 6 } },
        { 4, { 32, 16, 8, 8 }, true },              /* NCHW: rows, then columns */
        { 3, { 2, 3, 100000 }, true },              /* few long rows: split */
        { 4, { 8, 3, 1, 1 }, true },
        { 4, { 100, 10, 32, 32 }, true },           /* a million */
        { 2, { 4, 5 }, true, true },                /* NCHW of rank 2: the last dim */
        { 2, { 0, 5 } },                            /* empty: zeros */
        { 3, { 2, 3, 0 }, true },
        { 2, { 5, 0 } },                            /* no channels */
        { 3, { 2, 0, 3 }, true },
    };
    for (size_t i = 0; i < LEN(ok); i++)
        for (int mode = 0; mode < N_MODES; mode++)
            for (size_t t = 0; t < LEN(dtypes); t++) {
                op_run r = { &ok[i], "BiasAddGrad", dtypes[t], mode };
                char what[96];
                snprintf(what, sizeof what, "BiasAddGrad %s case %zu mode %d", dt_name(dtypes[t]), i, mode);
                if (mode == RANDOM) gpu_compare(build_bias_grad, &r, rtol_of(r.dt), rtol_of(r.dt), what);
                else expect_cpu_result(build_bias_grad, &r, what);
            }
    static const bias_case bad[] = {
        { 1, { 5 }, false, true },                  /* below rank 2 */
        { 0, { 0 }, true, true },
    };
    for (size_t i = 0; i < LEN(bad); i++)
        for (size_t t = 0; t < LEN(dtypes); t++) {
            op_run r = { &bad[i], "BiasAddGrad", dtypes[t], RANDOM };
            char what[96];
            snprintf(what, sizeof what, "BiasAddGrad %s error case %zu", dt_name(dtypes[t]), i);
            expect_cpu_error(build_bias_grad, &r, what);
        }
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_reduce")) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reduce_random),
        cmocka_unit_test(test_reduce_nan_inf),
        cmocka_unit_test(test_reduce_errors),
        cmocka_unit_test(test_arg),
        cmocka_unit_test(test_arg_errors),
        cmocka_unit_test(test_bias_grad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
