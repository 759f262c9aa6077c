/* test_gpu_pool: the GPU's pooling (MaxPool, AvgPool, MaxPoolGrad, AvgPoolGrad) and batch norm
 * (FusedBatchNormV3, FusedBatchNormGradV3) kernels against the CPU's. Every case builds the same
 * graph with the op under test on GPU:0 and on CPU:0 and compares the outputs: VALID, SAME (with
 * TensorFlow's asymmetric padding) and EXPLICIT windows, depthwise MaxPool, tied maxima, every
 * dtype, empty tensors, size-1 dims and tensors of a million elements. The CPU pools only NHWC,
 * so a GPU run in NCHW gets NCHW through transposes (on the CPU) and is compared with the CPU's
 * NHWC. Batch norm runs in its four data formats, training and inference, with the gradient fed
 * the reserve spaces of the forward op on the same device. Errors are the CPU's, code for code.
 * Exits 77 (ctest: skipped) without a GPU. */
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

/* ---- graph helpers ---- */

/* A Const of dtype dt and the given shape: fill_random(seed) values, times 100 for integer types
 * (plus 100 for unsigned ones), or rounded to {-2, ..., 2} with ties (windows with equal maxima). */
static TF_Output typed_const(TF_Graph *g, const char *name, const int64_t *dims, int nd, TF_DataType dt, uint32_t seed,
                             bool ties)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    float *v = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
    fill_random(v, n, seed);
    TF_Tensor *t = TF_AllocateTensor(dt, dims, nd, (size_t)n * TF_DataTypeSize(dt));
    void *p = TF_TensorData(t);
    for (int64_t i = 0; i < n; i++) {
        double x = ties ? round(v[i] * 2) : v[i];
        switch (dt) {
        case TF_FLOAT: ((float *)p)[i] = (float)x; break;
        case TF_DOUBLE: ((double *)p)[i] = x; break;
        case TF_INT8: ((int8_t *)p)[i] = (int8_t)(x * 100); break;
        case TF_INT16: ((int16_t *)p)[i] = (int16_t)(x * 100); break;
        case TF_INT32: ((int32_t *)p)[i] = (int32_t)(x * 100); break;
        case TF_INT64: ((int64_t *)p)[i] = (int64_t)(x * 100); break;
        case TF_UINT8: ((uint8_t *)p)[i] = (uint8_t)(x * 100 + 100); break;
        case TF_UINT16: ((uint16_t *)p)[i] = (uint16_t)(x * 100 + 100); break;
        default: fail_msg("typed_const: dtype %d", (int)dt);
        }
    }
    free(v);
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, "Const", name);
    TF_SetAttrTensor(d, "value", t, s);
    assert_ok(s);
    TF_SetAttrType(d, "dtype", dt);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_DeleteTensor(t);
    TF_DeleteStatus(s);
    return out0(op);
}

static void set_dst_double(TF_OperationDescription *d, const void *ctx)
{
    (void)ctx;
    TF_SetAttrType(d, "DstT", TF_DOUBLE);
}

/* Integer results become doubles (exactly) for assert_close. */
static TF_Output comparable(TF_Graph *g, TF_Output r, TF_DataType dt)
{
    if (dt == TF_FLOAT || dt == TF_DOUBLE) return r;
    return out0(op_with(g, "Cast", "to_double", CPU0, &r, 1, set_dst_double, NULL));
}

/* Runs the graph build(device) makes and checks the step fails with code. */
static void expect_step_error(TF_Output (*build)(TF_Graph *g, const char *device, const void *ctx), const void *ctx,
                              const char *device, TF_Code code, const char *what)
{
    TF_Graph *g = TF_NewGraph();
    TF_Output out = build(g, device, ctx);
    TF_Session *sess = new_test_session(g, NULL, 0);
    char msg[512];
    TF_Code got;
    TF_Tensor *v = fetch(sess, out, &got, msg, sizeof msg);
    if (got != code) fail_msg("%s on %s: code %d (%s), want %d", what, device, (int)got, msg, (int)code);
    TF_DeleteTensor(v);
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* ---- pooling ---- */

typedef struct pool_case {
    int64_t in[4];         /* NHWC */
    int64_t k[2], s[2];    /* spatial window and strides */
    const char *padding;
    int64_t pad[4];        /* EXPLICIT: top, bottom, left, right */
    int64_t kd;            /* > 1: depthwise MaxPool over kd channels (then k = s = 1) */
} pool_case;

typedef struct pool_run {
    const char *op;
    const pool_case *c;
    TF_DataType dt;
    bool nchw;             /* the GPU runs NCHW (between transposes) */
    bool ties;
    const char *format;    /* overrides the data format (error cases) */
    int64_t batch_k;       /* overrides ksize[0] (error cases) */
    int64_t grad_rows;     /* added to dy's rows (error cases) */
} pool_run;

/* The pooled size of a dim, as TensorFlow computes it. */
static int64_t pooled(int64_t in, int64_t k, int64_t s, const char *padding, int64_t before, int64_t after)
{
    if (!strcmp(padding, "SAME")) return (in + s - 1) / s;
    if (!strcmp(padding, "EXPLICIT")) return (in + before + after - k + s) / s;
    return (in - k + s) / s;
}

typedef struct pool_attrs {
    const pool_run *r;
    bool nchw;
    bool plain; /* ignore r's error-case overrides (the forward op a gradient case needs) */
} pool_attrs;

static void set_pool_attrs(TF_OperationDescription *d, const void *ctx)
{
    const pool_attrs *a = ctx;
    const pool_case *c = a->r->c;
    const char *fmt = a->r->format && !a->plain ? a->r->format : a->nchw ? "NCHW" : "NHWC";
    int64_t kd = c->kd > 1 ? c->kd : 1, kb = a->r->batch_k && !a->plain ? a->r->batch_k : 1;
    int64_t ks[4] = { kb, c->k[0], c->k[1], kd }, st[4] = { 1, c->s[0], c->s[1], kd };
    int64_t ep[8] = { 0, 0, c->pad[0], c->pad[1], c->pad[2], c->pad[3], 0, 0 };
    if (!strncmp(fmt, "NCHW", 4)) {
        int64_t ksn[4] = { kb, kd, c->k[0], c->k[1] }, stn[4] = { 1, kd, c->s[0], c->s[1] };
        int64_t epn[8] = { 0, 0, 0, 0, c->pad[0], c->pad[1], c->pad[2], c->pad[3] };
        memcpy(ks, ksn, sizeof ks), memcpy(st, stn, sizeof st), memcpy(ep, epn, sizeof ep);
    }
    TF_SetAttrIntList(d, "ksize", ks, 4);
    TF_SetAttrIntList(d, "strides", st, 4);
    TF_SetAttrString(d, "padding", c->padding, strlen(c->padding));
    if (!strcmp(c->padding, "EXPLICIT")) TF_SetAttrIntList(d, "explicit_paddings", ep, 8);
    TF_SetAttrString(d, "data_format", fmt, strlen(fmt));
}

/* The op of r on device (inputs made on the CPU, in NHWC, transposed when the GPU runs NCHW). */
static TF_Output build_pool(TF_Graph *g, const char *device, const void *ctx)
{
    const pool_run *r = ctx;
    const pool_case *c = r->c;
    bool nchw = r->nchw && !strcmp(device, GPU0);
    pool_attrs attrs = { r, nchw, false }, nhwc = { r, false, true };
    int64_t kd = c->kd > 1 ? c->kd : 1;
    int64_t out[4] = { c->in[0], pooled(c->in[1], c->k[0], c->s[0], c->padding, c->pad[0], c->pad[1]),
                       pooled(c->in[2], c->k[1], c->s[1], c->padding, c->pad[2], c->pad[3]), c->in[3] / kd };
    out[1] += r->grad_rows;
    TF_Output x = typed_const(g, "x", c->in, 4, r->dt, 1, r->ties), in[3];
    int n_in = 0;
    if (!strcmp(r->op, "MaxPool") || !strcmp(r->op, "AvgPool")) {
        in[n_in++] = nchw ? cpu_nchw_transpose(g, "x_t", x, true) : x;
    } else if (!strcmp(r->op, "MaxPoolGrad")) {
        TF_Output y = out0(op_with(g, "MaxPool", "y", CPU0, &x, 1, set_pool_attrs, &nhwc));
        TF_Output dy = typed_const(g, "dy", out, 4, r->dt, 2, false);
        in[n_in++] = nchw ? cpu_nchw_transpose(g, "x_t", x, true) : x;
        in[n_in++] = nchw ? cpu_nchw_transpose(g, "y_t", y, true) : y;
        in[n_in++] = nchw ? cpu_nchw_transpose(g, "dy_t", dy, true) : dy;
    } else {
        const int32_t shape[4] = { (int32_t)c->in[0], (int32_t)(nchw ? c->in[3] : c->in[1]),
                                   (int32_t)(nchw ? c->in[1] : c->in[2]), (int32_t)(nchw ? c->in[2] : c->in[3]) };
        TF_Output dy = typed_const(g, "dy", out, 4, r->dt, 2, false);
        in[n_in++] = out0(const_int32(g, "shape", shape, (const int64_t[]){ 4 }, 1));
        in[n_in++] = nchw ? cpu_nchw_transpose(g, "dy_t", dy, true) : dy;
    }
    TF_Output res = out0(op_with(g, r->op, "op", device, in, n_in, set_pool_attrs, &attrs));
    return comparable(g, nchw ? cpu_nchw_transpose(g, "back", res, false) : res, r->dt);
}

static const pool_case pool_cases[] = {
    { { 2, 8, 8, 3 }, { 2, 2 }, { 2, 2 }, "VALID" },
    { { 2, 9, 10, 5 }, { 3, 3 }, { 2, 2 }, "SAME" },  /* rows padded 1 + 1, columns 0 + 1 */
    { { 1, 8, 8, 4 }, { 3, 3 }, { 2, 2 }, "SAME" },   /* 0 + 1 both ways */
    { { 3, 5, 7, 2 }, { 2, 3 }, { 1, 1 }, "SAME" },
    { { 2, 17, 17, 8 }, { 2, 2 }, { 3, 3 }, "VALID" }, /* stride > window: rows no window reads */
    { { 1, 16, 16, 4 }, { 7, 7 }, { 1, 1 }, "SAME" },  /* windows overlapping 49 deep */
    { { 1, 1, 1, 1 }, { 1, 1 }, { 1, 1 }, "VALID" },
    { { 4, 1, 9, 3 }, { 1, 3 }, { 1, 2 }, "SAME" },    /* a size-1 spatial dim */
    { { 1, 4, 4, 2 }, { 5, 5 }, { 1, 1 }, "VALID" },   /* window past the input: empty output */
    { { 0, 4, 4, 2 }, { 2, 2 }, { 2, 2 }, "SAME" },    /* empty batch */
    { { 2, 4, 4, 0 }, { 2, 2 }, { 2, 2 }, "VALID" },   /* no channels */
    { { 8, 64, 64, 32 }, { 3, 3 }, { 2, 2 }, "SAME" }, /* a million inputs */
};
static const pool_case explicit_cases[] = {
    { { 1, 6, 7, 3 }, { 3, 3 }, { 2, 2 }, "EXPLICIT", { 1, 2, 0, 1 } },
    { { 2, 5, 5, 2 }, { 2, 2 }, { 1, 2 }, "EXPLICIT", { 0, 1, 1, 0 } },
};
static const pool_case depthwise_cases[] = {
    { { 2, 5, 5, 6 }, { 1, 1 }, { 1, 1 }, "VALID", { 0 }, 3 },
    { { 1, 3, 4, 8 }, { 1, 1 }, { 1, 1 }, "VALID", { 0 }, 2 },
};

static void compare_pool(const char *op, const pool_case *c, TF_DataType dt, bool nchw, bool ties)
{
    pool_run r = { op, c, dt, nchw, ties };
    char what[160];
    snprintf(what, sizeof what, "%s %lldx%lldx%lldx%lld k%lldx%lld s%lldx%lld %s kd%lld dtype %d %s%s", op,
             (long long)c->in[0], (long long)c->in[1], (long long)c->in[2], (long long)c->in[3], (long long)c->k[0],
             (long long)c->k[1], (long long)c->s[0], (long long)c->s[1], c->padding, (long long)c->kd, (int)dt,
             nchw ? "NCHW" : "NHWC", ties ? " ties" : "");
    /* The kernels clip windows and order sums as the CPU does: equal but for the last bit. */
    gpu_compare(build_pool, &r, 1e-6, 1e-7, what);
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_pool_matches_cpu(void **state)
{
    (void)state;
    static const char *const ops[] = { "MaxPool", "AvgPool", "MaxPoolGrad", "AvgPoolGrad" };
    for (size_t o = 0; o < N_OF(ops); o++)
        for (size_t i = 0; i < N_OF(pool_cases); i++)
            for (int nchw = 0; nchw < 2; nchw++) {
                compare_pool(ops[o], &pool_cases[i], TF_FLOAT, nchw, false);
                if (i < 4) compare_pool(ops[o], &pool_cases[i], TF_DOUBLE, nchw, false);
            }
}

static void test_pool_explicit_padding(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(explicit_cases); i++)
        for (int nchw = 0; nchw < 2; nchw++) {
            compare_pool("MaxPool", &explicit_cases[i], TF_FLOAT, nchw, false);
            compare_pool("MaxPoolGrad", &explicit_cases[i], TF_FLOAT, nchw, false);
            compare_pool("MaxPoolGrad", &explicit_cases[i], TF_DOUBLE, nchw, true);
        }
}

/* Tied maxima: the gradient goes to the first of them in row-major order, on both devices. */
static void test_max_pool_grad_ties(void **state)
{
    (void)state;
    for (size_t i = 0; i < 6; i++)
        for (int nchw = 0; nchw < 2; nchw++) {
            compare_pool("MaxPoolGrad", &pool_cases[i], TF_FLOAT, nchw, true);
            compare_pool("MaxPool", &pool_cases[i], TF_FLOAT, nchw, true);
        }
}

static void test_max_pool_dtypes_and_depthwise(void **state)
{
    (void)state;
    static const TF_DataType types[] = { TF_FLOAT, TF_DOUBLE, TF_INT8,  TF_INT16,
                                         TF_INT32, TF_INT64,  TF_UINT8, TF_UINT16 };
    for (size_t t = 0; t < N_OF(types); t++)
        for (int nchw = 0; nchw < 2; nchw++) {
            compare_pool("MaxPool", &pool_cases[1], types[t], nchw, false);
            compare_pool("MaxPool", &explicit_cases[0], types[t], nchw, false);
            for (size_t i = 0; i < N_OF(depthwise_cases); i++)
                compare_pool("MaxPool", &depthwise_cases[i], types[t], nchw, false);
        }
}

/* The GPU rejects what the CPU rejects, with the same code; NCHW_VECT_C is UNIMPLEMENTED there. */
static void test_pool_errors(void **state)
{
    (void)state;
    pool_run bad_grad = { "MaxPoolGrad", &pool_cases[0], TF_FLOAT, .grad_rows = 1 };
    pool_run bad_avg_grad = { "AvgPoolGrad", &pool_cases[1], TF_FLOAT, .grad_rows = -1 };
    pool_run batch = { "MaxPoolGrad", &pool_cases[0], TF_FLOAT, .batch_k = 2 };
    pool_run depth_grad = { "MaxPoolGrad", &depthwise_cases[0], TF_FLOAT };
    pool_run vect_c = { "MaxPool", &pool_cases[0], TF_FLOAT, .format = "NCHW_VECT_C" };
    const struct { const pool_run *r; TF_Code cpu, gpu; } cases[] = {
        { &bad_grad, TF_INVALID_ARGUMENT, TF_INVALID_ARGUMENT },
        { &bad_avg_grad, TF_INVALID_ARGUMENT, TF_INVALID_ARGUMENT },
        { &batch, TF_UNIMPLEMENTED, TF_UNIMPLEMENTED },
        { &depth_grad, TF_UNIMPLEMENTED, TF_UNIMPLEMENTED },
        { &vect_c, TF_INVALID_ARGUMENT, TF_UNIMPLEMENTED },
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        char what[64];
        snprintf(what, sizeof what, "pool error case %zu", i);
        expect_step_error(build_pool, cases[i].r, CPU0, cases[i].cpu, what);
        expect_step_error(build_pool, cases[i].r, GPU0, cases[i].gpu, what);
    }
}

/* ---- batch norm ---- */

typedef struct bn_case {
    const char *format;
    int rank;
    int64_t dims[5];
    bool training;
    float epsilon, factor;
} bn_case;

typedef struct bn_run {
    const bn_case *c;
    bool grad;
    int output;
    bool nchw_infer_grad; /* error case: the gradient in NCHW inference */
} bn_run;

/* fill_random(seed) values, times scale, plus shift, as a float Const. */
static TF_Output scaled_const(TF_Graph *g, const char *name, const int64_t *dims, int nd, uint32_t seed, float scale,
                              float shift)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    float *v = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
    fill_random(v, n, seed);
    for (int64_t i = 0; i < n; i++) v[i] = v[i] * scale + shift;
    TF_Output o = out0(const_float(g, name, dims, nd, v));
    free(v);
    return o;
}

static void set_bn_attrs(TF_OperationDescription *d, const void *ctx)
{
    const bn_case *c = ctx;
    TF_SetAttrFloat(d, "epsilon", c->epsilon);
    TF_SetAttrString(d, "data_format", c->format, strlen(c->format));
    TF_SetAttrBool(d, "is_training", c->training);
}

static void set_bn_forward_attrs(TF_OperationDescription *d, const void *ctx)
{
    set_bn_attrs(d, ctx);
    TF_SetAttrFloat(d, "exponential_avg_factor", ((const bn_case *)ctx)->factor);
}

static TF_Output build_bn(TF_Graph *g, const char *device, const void *ctx)
{
    const bn_run *r = ctx;
    const bn_case *c = r->c;
    int64_t ch = c->dims[c->format[1] == 'C' ? 1 : c->rank - 1], vec[1] = { ch }, none[1] = { 0 };
    bool stats = !c->training || c->factor != 1.0f; /* TensorFlow feeds empty running stats otherwise */
    TF_Output x = scaled_const(g, "x", c->dims, c->rank, 1, 2.0f, 0.5f);
    TF_Output in[5] = { x, scaled_const(g, "scale", vec, 1, 2, 1.0f, 0.2f),
                        scaled_const(g, "offset", vec, 1, 3, 1.0f, 0),
                        scaled_const(g, "mean", stats ? vec : none, 1, 4, 0.5f, 0.5f),
                        scaled_const(g, "var", stats ? vec : none, 1, 5, 0.5f, 1.0f) };
    TF_Operation *fwd = op_with(g, "FusedBatchNormV3", "bn", device, in, 5, set_bn_forward_attrs, c);
    if (!r->grad) return (TF_Output){ fwd, r->output };
    /* The gradient reads the forward's reserve spaces (training) or the population statistics. */
    TF_Output gin[6] = { scaled_const(g, "dy", c->dims, c->rank, 6, 1.0f, 0.1f), x, in[1],
                         c->training ? (TF_Output){ fwd, 3 } : in[3], c->training ? (TF_Output){ fwd, 4 } : in[4],
                         (TF_Output){ fwd, 5 } };
    bn_case grad_attrs = *c;
    if (r->nchw_infer_grad) grad_attrs.format = "NCHW", grad_attrs.training = false;
    return (TF_Output){ op_with(g, "FusedBatchNormGradV3", "bn_grad", device, gin, 6, set_bn_attrs, &grad_attrs),
                        r->output };
}

static const bn_case bn_cases[] = {
    { "NHWC", 4, { 2, 3, 4, 3 }, true, 1e-3f, 1.0f },
    { "NCHW", 4, { 2, 3, 4, 3 }, true, 1e-4f, 1.0f },
    { "NDHWC", 5, { 1, 2, 3, 2, 2 }, true, 1e-4f, 1.0f },
    { "NCDHW", 5, { 2, 2, 2, 3, 2 }, true, 1e-4f, 1.0f },
    { "NHWC", 4, { 3, 2, 2, 2 }, true, 1e-4f, 0.25f },  /* running averages */
    { "NCHW", 4, { 3, 2, 2, 2 }, true, 1e-3f, 0.6f },
    { "NHWC", 4, { 2, 3, 3, 4 }, false, 1e-2f, 1.0f },  /* inference */
    { "NCHW", 4, { 2, 4, 3, 3 }, false, 1e-3f, 1.0f },
    { "NDHWC", 5, { 2, 2, 2, 2, 3 }, false, 1e-3f, 1.0f },
    { "NHWC", 4, { 1, 1, 1, 4 }, true, 1e-4f, 1.0f },   /* one element a channel */
    { "NCHW", 4, { 64, 8, 1, 1 }, true, 1e-7f, 1.0f },  /* channels first with inner 1; tiny epsilon */
    { "NHWC", 4, { 4, 2, 2, 2000 }, true, 1e-3f, 1.0f }, /* many channels */
    { "NCHW", 4, { 2, 2000, 3, 3 }, true, 1e-3f, 1.0f },
    { "NHWC", 4, { 16, 32, 32, 64 }, true, 1e-3f, 1.0f }, /* a million elements */
    { "NCHW", 4, { 16, 64, 32, 32 }, true, 1e-3f, 1.0f },
    { "NCDHW", 5, { 4, 8, 8, 16, 16 }, true, 1e-3f, 0.1f },
    { "NHWC", 4, { 0, 2, 2, 3 }, true, 1e-3f, 1.0f },   /* empty: NaN batch statistics */
    { "NHWC", 4, { 0, 2, 2, 3 }, false, 1e-3f, 1.0f },
    { "NHWC", 4, { 2, 2, 2, 0 }, true, 1e-3f, 1.0f },   /* no channels */
};

static void test_batch_norm_matches_cpu(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(bn_cases); i++)
        for (int out = 0; out < 6; out++) {
            bn_run r = { &bn_cases[i], false, out };
            char what[96];
            snprintf(what, sizeof what, "FusedBatchNormV3 case %zu (%s) output %d", i, bn_cases[i].format, out);
            /* Per-channel sums in double in another order: the last bit of a float may differ. */
            gpu_compare(build_bn, &r, 1e-5, 1e-5, what);
        }
}

static void test_batch_norm_grad_matches_cpu(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(bn_cases); i++) {
        if (!bn_cases[i].training && bn_cases[i].format[1] == 'C') continue; /* an error: below */
        for (int out = 0; out < 3; out++) {
            bn_run r = { &bn_cases[i], true, out };
            char what[96];
            snprintf(what, sizeof what, "FusedBatchNormGradV3 case %zu (%s) output %d", i, bn_cases[i].format, out);
            gpu_compare(build_bn, &r, 1e-5, 1e-4, what);
        }
    }
}

static void test_batch_norm_errors(void **state)
{
    (void)state;
    bn_run infer_nchw = { &bn_cases[1], true, 0, true };
    for (int dev = 0; dev < 2; dev++)
        expect_step_error(build_bn, &infer_nchw, dev ? CPU0 : GPU0, TF_INVALID_ARGUMENT, "NCHW inference gradient");
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_pool")) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_matches_cpu),
        cmocka_unit_test(test_pool_explicit_padding),
        cmocka_unit_test(test_max_pool_grad_ties),
        cmocka_unit_test(test_max_pool_dtypes_and_depthwise),
        cmocka_unit_test(test_pool_errors),
        cmocka_unit_test(test_batch_norm_matches_cpu),
        cmocka_unit_test(test_batch_norm_grad_matches_cpu),
        cmocka_unit_test(test_batch_norm_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
