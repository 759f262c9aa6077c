/* test_gpu_conv: the GPU's convolutions (cuDNN) against the CPU's: Conv2D,
 * DepthwiseConv2dNative, Conv2DBackpropInput and Conv2DBackpropFilter. Every case builds the same
 * graph with the op under test on GPU:0 and on CPU:0 and compares the outputs within rounding:
 * VALID, SAME with an even and an odd total padding (TensorFlow's extra row at the bottom, which
 * cuDNN cannot pad and our gather writes), EXPLICIT, strides, dilations, grouped filters, 1x1
 * filters, batches of one and of 32 (the MNIST CNN's layers), float and double. The CPU convolves
 * only NHWC, so a GPU run in NCHW gets its operands through transposes (on the CPU) and is
 * compared with the CPU's NHWC result. The backprops with dilations or groups, which the CPU lacks,
 * are checked by the adjoint identities of the CPU's forward convolution. Errors only the kernels
 * see are the CPU's, code for code.
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

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

typedef struct conv_case {
    int64_t in[4];      /* NHWC */
    int64_t filter[4];  /* HWIO; depthwise: [kh, kw, c, multiplier] */
    int64_t s[2], d[2]; /* spatial strides and dilations (0: 1) */
    const char *padding;
    int64_t pad[4];     /* EXPLICIT: top, bottom, left, right */
} conv_case;

typedef struct conv_run {
    const char *op;
    const conv_case *c;
    TF_DataType dt;
    bool nchw; /* the GPU runs NCHW (between transposes) */
} conv_run;

static int64_t or_one(int64_t v) { return v ? v : 1; }

/* The convolved size of a spatial dim, TensorFlow's GetWindowedOutputSize. */
static int64_t convolved(const conv_case *c, int dim)
{
    int64_t in = c->in[1 + dim], s = or_one(c->s[dim]), k = (c->filter[dim] - 1) * or_one(c->d[dim]) + 1;
    if (!strcmp(c->padding, "SAME")) return (in + s - 1) / s;
    if (!strcmp(c->padding, "EXPLICIT")) return (in + c->pad[2 * dim] + c->pad[2 * dim + 1] - k + s) / s;
    return (in - k + s) / s;
}

/* The forward output's NHWC dims. */
static void output_dims(const conv_run *r, int64_t dims[4])
{
    const conv_case *c = r->c;
    bool depthwise = !strcmp(r->op, "DepthwiseConv2dNative");
    dims[0] = c->in[0], dims[1] = convolved(c, 0), dims[2] = convolved(c, 1);
    dims[3] = depthwise ? c->in[3] * c->filter[3] : c->filter[3];
}

typedef struct conv_attrs {
    const conv_case *c;
    bool nchw;
} conv_attrs;

static void set_conv_attrs(TF_OperationDescription *d, const void *ctx)
{
    const conv_attrs *a = ctx;
    const conv_case *c = a->c;
    int64_t sh = or_one(c->s[0]), sw = or_one(c->s[1]), dh = or_one(c->d[0]), dw = or_one(c->d[1]);
    const int64_t strides[2][4] = { { 1, sh, sw, 1 }, { 1, 1, sh, sw } };
    const int64_t dilations[2][4] = { { 1, dh, dw, 1 }, { 1, 1, dh, dw } };
    TF_SetAttrIntList(d, "strides", strides[a->nchw], 4);
    TF_SetAttrIntList(d, "dilations", dilations[a->nchw], 4);
    TF_SetAttrString(d, "padding", c->padding, strlen(c->padding));
    TF_SetAttrString(d, "data_format", a->nchw ? "NCHW" : "NHWC", 4);
    if (!strcmp(c->padding, "EXPLICIT")) {
        const int64_t *p = c->pad;
        const int64_t pads[2][8] = { { 0, 0, p[0], p[1], p[2], p[3], 0, 0 }, { 0, 0, 0, 0, p[0], p[1], p[2], p[3] } };
        TF_SetAttrIntList(d, "explicit_paddings", pads[a->nchw], 8);
    }
}

/* r's op on device: operands made on the CPU in NHWC, transposed when the GPU runs NCHW, and the
 * result transposed back. */
static TF_Output build_conv(TF_Graph *g, const char *device, const void *ctx)
{
    const conv_run *r = ctx;
    const conv_case *c = r->c;
    bool nchw = r->nchw && !strcmp(device, GPU0);
    conv_attrs attrs = { c, nchw };
    int64_t out[4];
    output_dims(r, out);
    TF_Output x = typed_random(g, "x", c->in, 4, r->dt, 50), f = typed_random(g, "f", c->filter, 4, r->dt, 51);
    TF_Output dy = typed_random(g, "dy", out, 4, r->dt, 52);
    TF_Output in[3];
    if (!strcmp(r->op, "Conv2DBackpropInput")) {
        const int64_t *n = c->in;
        const int64_t sizes[4] = { n[0], nchw ? n[3] : n[1], nchw ? n[1] : n[2], nchw ? n[2] : n[3] };
        in[0] = ints_as(g, "input_sizes", sizes, 4, TF_INT32), in[1] = f;
        in[2] = nchw ? cpu_nchw_transpose(g, "dy_t", dy, true) : dy;
    } else if (!strcmp(r->op, "Conv2DBackpropFilter")) {
        in[0] = nchw ? cpu_nchw_transpose(g, "x_t", x, true) : x;
        in[1] = ints_as(g, "filter_sizes", c->filter, 4, TF_INT32);
        in[2] = nchw ? cpu_nchw_transpose(g, "dy_t", dy, true) : dy;
    } else {
        in[0] = nchw ? cpu_nchw_transpose(g, "x_t", x, true) : x, in[1] = f;
    }
    bool backprop = !strncmp(r->op, "Conv2DBackprop", 14);
    TF_Output res = out0(op_with(g, r->op, "op", device, in, backprop ? 3 : 2, set_conv_attrs, &attrs));
    bool image_out = strcmp(r->op, "Conv2DBackpropFilter") != 0;
    return nchw && image_out ? cpu_nchw_transpose(g, "back", res, false) : res;
}

static void compare(const char *op, const conv_case *c, TF_DataType dt, bool nchw, const char *what)
{
    conv_run r = { op, c, dt, nchw };
    /* float sums of up to a few thousand products in [-1, 1), in another order on each device */
    double rtol = dt == TF_FLOAT ? 1e-4 : 1e-10, atol = dt == TF_FLOAT ? 2e-4 : 1e-10;
    char name[160];
    snprintf(name, sizeof name, "%s %s %s %s", what, op, dt == TF_FLOAT ? "float" : "double", nchw ? "NCHW" : "NHWC");
    gpu_compare(build_conv, &r, rtol, atol, name);
}

/* Each case through op in float and double, NHWC and NCHW. */
static void compare_all(const char *op, const conv_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int v = 0; v < 4; v++) {
            char what[32];
            snprintf(what, sizeof what, "case %zu", i);
            compare(op, &cases[i], v & 1 ? TF_DOUBLE : TF_FLOAT, v & 2, what);
        }
}

/* Shapes every convolution takes (no dilation, no groups: the CPU's backprops take neither). */
static const conv_case plain_cases[] = {
    { { 2, 5, 5, 3 }, { 3, 3, 3, 4 }, .padding = "VALID" },
    { { 1, 7, 6, 2 }, { 3, 3, 2, 3 }, { 2, 2 }, .padding = "SAME" },        /* odd total padding */
    { { 2, 4, 5, 2 }, { 2, 2, 2, 3 }, .padding = "SAME" },                  /* even kernel: extra at the end */
    { { 1, 8, 8, 3 }, { 3, 2, 3, 2 }, { 2, 3 }, .padding = "VALID" },
    { { 2, 6, 5, 2 }, { 3, 3, 2, 2 }, { 1, 2 }, .padding = "EXPLICIT", .pad = { 2, 0, 1, 3 } },
    { { 3, 4, 4, 5 }, { 1, 1, 5, 6 }, .padding = "SAME" },                  /* 1x1 */
    { { 1, 3, 3, 1 }, { 3, 3, 1, 1 }, .padding = "VALID" },                 /* one output */
    { { 32, 28, 28, 1 }, { 5, 5, 1, 32 }, .padding = "SAME" },              /* the MNIST CNN's layers */
    { { 32, 14, 14, 32 }, { 5, 5, 32, 64 }, .padding = "SAME" },
};

static void test_conv2d(void **state)
{
    (void)state;
    compare_all("Conv2D", plain_cases, LEN(plain_cases));
    const conv_case more[] = {
        { { 1, 7, 7, 2 }, { 3, 2, 2, 2 }, .d = { 2, 3 }, .padding = "VALID" },        /* dilations */
        { { 2, 9, 8, 3 }, { 3, 3, 3, 2 }, { 2, 1 }, { 2, 2 }, .padding = "SAME" },
        { { 2, 5, 5, 4 }, { 3, 3, 2, 6 }, .padding = "SAME" },                         /* 2 groups */
        { { 1, 6, 6, 6 }, { 1, 1, 1, 6 }, .padding = "VALID" },                        /* 6 groups */
        { { 0, 5, 5, 3 }, { 3, 3, 3, 4 }, .padding = "VALID" },                        /* empty batch */
    };
    compare_all("Conv2D", more, LEN(more));
}

static void test_depthwise(void **state)
{
    (void)state;
    const conv_case cases[] = {
        { { 2, 5, 5, 3 }, { 3, 3, 3, 2 }, .padding = "VALID" },
        { { 1, 7, 6, 4 }, { 3, 3, 4, 1 }, { 2, 2 }, .padding = "SAME" },
        { { 2, 6, 5, 2 }, { 2, 3, 2, 3 }, .padding = "EXPLICIT", .pad = { 1, 2, 0, 1 } },
        { { 8, 16, 16, 32 }, { 3, 3, 32, 1 }, .padding = "SAME" },
    };
    compare_all("DepthwiseConv2dNative", cases, LEN(cases));
}

static void test_backprop_input(void **state)
{
    (void)state;
    compare_all("Conv2DBackpropInput", plain_cases, LEN(plain_cases));
}

static void test_backprop_filter(void **state)
{
    (void)state;
    compare_all("Conv2DBackpropFilter", plain_cases, LEN(plain_cases));
}

/* The CPU's backprops take neither dilations nor groups, so for those the GPU's are checked by
 * the adjoint identities of the CPU's forward convolution y = conv(x, f):
 *   <y, dy> = <x, BackpropInput(f, dy)> = <f, BackpropFilter(x, dy)>,
 * with x, f and dy the values build_conv makes (fill_random with its seeds). */
static double *operand(const int64_t dims[4], uint32_t seed, int64_t *n)
{
    *n = dims[0] * dims[1] * dims[2] * dims[3];
    float *f = malloc(sizeof(float) * (size_t)(*n > 0 ? *n : 1));
    double *d = malloc(sizeof(double) * (size_t)(*n > 0 ? *n : 1));
    fill_random(f, *n, seed);
    for (int64_t i = 0; i < *n; i++) d[i] = f[i];
    free(f);
    return d;
}

static double tensor_at(const TF_Tensor *t, int64_t i)
{
    return TF_TensorType(t) == TF_FLOAT ? ((const float *)TF_TensorData(t))[i] : ((const double *)TF_TensorData(t))[i];
}

static TF_Tensor *run_ok(const conv_run *r, const char *device, const char *what)
{
    char msg[512];
    TF_Tensor *t = NULL;
    if (run_on(build_conv, r, device, msg, sizeof msg, &t) != TF_OK) fail_msg("%s %s: %s", what, r->op, msg);
    return t;
}

/* <t, v> matches want within rounding of sums of products with magnitudes summing to scale. */
static void expect_dot(const TF_Tensor *t, const double *v, int64_t n, double want, double scale, TF_DataType dt,
                       const char *what)
{
    assert_int_equal(TF_TensorElementCount(t), n);
    double got = 0;
    for (int64_t i = 0; i < n; i++) got += tensor_at(t, i) * v[i];
    double tol = (dt == TF_FLOAT ? 1e-4 : 1e-10) * scale + 1e-12;
    if (fabs(got - want) > tol) fail_msg("%s: <got, operand> = %.9g, want %.9g (tolerance %.3g)", what, got, want, tol);
}

static void check_adjoints(const conv_case *c, TF_DataType dt, bool nchw, const char *what)
{
    conv_run fwd = { "Conv2D", c, dt, false }, bpi = { "Conv2DBackpropInput", c, dt, nchw },
             bpf = { "Conv2DBackpropFilter", c, dt, nchw };
    int64_t out[4], nx, nf, ny;
    output_dims(&fwd, out);
    double *x = operand(c->in, 50, &nx), *f = operand(c->filter, 51, &nf), *dy = operand(out, 52, &ny);
    TF_Tensor *y = run_ok(&fwd, CPU0, what);
    double want = 0, scale = 0;
    assert_int_equal(TF_TensorElementCount(y), ny);
    for (int64_t i = 0; i < ny; i++) want += tensor_at(y, i) * dy[i], scale += fabs(tensor_at(y, i) * dy[i]);
    TF_Tensor *dx = run_ok(&bpi, GPU0, what), *df = run_ok(&bpf, GPU0, what);
    char name[160];
    snprintf(name, sizeof name, "%s %s %s: <y, dy> = <x, dx>", what, dt == TF_FLOAT ? "float" : "double", nchw ? "NCHW" : "NHWC");
    expect_dot(dx, x, nx, want, scale, dt, name);
    snprintf(name, sizeof name, "%s %s %s: <y, dy> = <f, df>", what, dt == TF_FLOAT ? "float" : "double", nchw ? "NCHW" : "NHWC");
    expect_dot(df, f, nf, want, scale, dt, name);
    TF_DeleteTensor(y);
    TF_DeleteTensor(dx);
    TF_DeleteTensor(df);
    free(x);
    free(f);
    free(dy);
}

static void test_dilated_and_grouped_backprops(void **state)
{
    (void)state;
    const conv_case cases[] = {
        { { 1, 7, 7, 2 }, { 3, 2, 2, 2 }, .d = { 2, 3 }, .padding = "VALID" },  /* TensorFlow's fixture cases */
        { { 1, 8, 7, 3 }, { 3, 3, 3, 2 }, { 2, 1 }, { 2, 2 }, .padding = "SAME" },
        { { 2, 9, 8, 3 }, { 3, 3, 3, 2 }, { 2, 1 }, { 2, 2 }, .padding = "SAME" },
        { { 2, 6, 5, 2 }, { 2, 3, 2, 3 }, .d = { 2, 1 }, .padding = "EXPLICIT", .pad = { 1, 2, 0, 1 } },
        { { 2, 5, 5, 4 }, { 3, 3, 2, 6 }, .padding = "SAME" },                  /* 2 groups */
        { { 1, 6, 6, 6 }, { 1, 1, 1, 6 }, .padding = "VALID" },                 /* 6 groups */
    };
    for (size_t i = 0; i < LEN(cases); i++)
        for (int v = 0; v < 4; v++) {
            char what[32];
            snprintf(what, sizeof what, "case %zu", i);
            check_adjoints(&cases[i], v & 1 ? TF_DOUBLE : TF_FLOAT, v & 2, what);
        }
}

/* Sizes vectors hidden from shape inference that disagree with the other operands: the kernels'
 * own checks, the CPU's messages. */
typedef struct bad_sizes {
    const char *op;
    int64_t sizes[4];
} bad_sizes;

static TF_Output build_bad_sizes(TF_Graph *g, const char *device, const void *ctx)
{
    const bad_sizes *b = ctx;
    static const conv_case c = { { 2, 5, 5, 3 }, { 3, 3, 3, 4 }, .padding = "VALID" };
    conv_attrs attrs = { &c, false };
    TF_Output x = typed_random(g, "x", c.in, 4, TF_FLOAT, 60), f = typed_random(g, "f", c.filter, 4, TF_FLOAT, 61);
    TF_Output dy = typed_random(g, "dy", (const int64_t[]){ 2, 3, 3, 4 }, 4, TF_FLOAT, 62);
    TF_Output sizes = ints_as(g, "sizes", b->sizes, 4, TF_INT32);
    bool input_grad = !strcmp(b->op, "Conv2DBackpropInput");
    TF_Output in[3] = { input_grad ? sizes : x, input_grad ? f : sizes, dy };
    return out0(op_with(g, b->op, "op", device, in, 3, set_conv_attrs, &attrs));
}

static void test_backprop_errors(void **state)
{
    (void)state;
    const bad_sizes cases[] = {
        { "Conv2DBackpropInput", { 2, 6, 5, 3 } },  /* dy does not match the convolved size */
        { "Conv2DBackpropInput", { 2, 5, 5, 2 } },  /* channels differ from the filter's */
        { "Conv2DBackpropFilter", { 3, 3, 2, 4 } }, /* in-depth differs from x's */
        { "Conv2DBackpropFilter", { 3, 3, 3, 5 } }, /* out-depth differs from dy's */
    };
    expect_cpu_errors(build_bad_sizes, cases, LEN(cases), sizeof cases[0], "conv backprop");
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_conv")) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv2d),
        cmocka_unit_test(test_depthwise),
        cmocka_unit_test(test_backprop_input),
        cmocka_unit_test(test_backprop_filter),
        cmocka_unit_test(test_dilated_and_grouped_backprops),
        cmocka_unit_test(test_backprop_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
