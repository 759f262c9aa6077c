/* test_conv: what the TensorFlow fixtures cannot show for Conv2D, DepthwiseConv2dNative, MaxPool,
 * AvgPool and FusedBatchNormV3: shape inference with partial shapes and its errors (the op name in
 * the message, the graph unchanged), runtime validation of fed tensors (mismatched depths, huge
 * dims), and large inputs that take the parallel paths, checked against naive references. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tfc/c_api.h"
#include "graph_util.h"

/* Attrs of one test op; zeroed fields take the op's defaults. */
typedef struct op_attrs {
    int64_t strides[4], ksize[4], dil[4], ep[8];
    const char *padding, *format;
    int n_ep;
    int is_training; /* 0: default, 1: true, 2: false */
    float avg_factor;
} op_attrs;

/* "[2,?,3]" → dims (? = -1), "*" → -1 (unknown rank). */
static int parse_dims(const char *s, int64_t *dims)
{
    if (*s == '*') return -1;
    int n = 0;
    for (s++; *s && *s != ']';) {
        if (*s == '?')
            dims[n++] = -1, s++;
        else
            dims[n++] = strtoll(s, (char **)&s, 10);
        if (*s == ',') s++;
    }
    return n;
}

static TF_Operation *ph(TF_Graph *g, const char *name, const char *shape)
{
    int64_t dims[8];
    return placeholder(g, name, TF_FLOAT, dims, parse_dims(shape, dims));
}

static void set_attrs(TF_OperationDescription *d, const char *op, const op_attrs *a)
{
    bool conv = !strcmp(op, "Conv2D") || !strcmp(op, "DepthwiseConv2dNative"),
         pool = strstr(op, "Pool") != NULL;
    if (conv || pool) {
        TF_SetAttrIntList(d, "strides", a->strides[0] ? a->strides : (const int64_t[]){1, 1, 1, 1}, 4);
        TF_SetAttrString(d, "padding", a->padding ? a->padding : "VALID",
                         strlen(a->padding ? a->padding : "VALID"));
    }
    if (pool) TF_SetAttrIntList(d, "ksize", a->ksize, 4);
    if (conv && a->dil[0]) TF_SetAttrIntList(d, "dilations", a->dil, 4);
    if (a->n_ep) TF_SetAttrIntList(d, "explicit_paddings", a->ep, a->n_ep);
    if (a->format) TF_SetAttrString(d, "data_format", a->format, strlen(a->format));
    if (a->is_training) TF_SetAttrBool(d, "is_training", a->is_training == 1);
    if (a->avg_factor) TF_SetAttrFloat(d, "exponential_avg_factor", a->avg_factor);
}

static TF_OperationDescription *new_op(TF_Graph *g, const char *op, const char *name, TF_Operation **in,
                                       int n, const op_attrs *a)
{
    TF_OperationDescription *d = TF_NewOperation(g, op, name);
    for (int i = 0; i < n; i++) TF_AddInput(d, (TF_Output){in[i], 0});
    set_attrs(d, op, a);
    TF_SetDevice(d, "/device:CPU:0"); /* the CPU kernels are under test (a GPU's take NCHW) */
    return d;
}

// ---- shape inference ----

typedef struct shape_row {
    const char *op;
    const char *in[5];
    op_attrs a;
    const char *want; /* "[..]" output 0, or "!substring" of the error */
} shape_row;

#define S(...)                                                                                               \
    {                                                                                                        \
        __VA_ARGS__                                                                                          \
    }
static const shape_row rows[] = {
    {"Conv2D", {"[2,5,5,3]", "[3,3,3,4]"}, {}, "[2,3,3,4]"},
    {"Conv2D", {"[?,28,28,1]", "[5,5,1,32]"}, {.padding = "SAME"}, "[?,28,28,32]"},
    {"Conv2D", {"[1,7,6,2]", "[3,3,2,3]"}, {.strides = S(1, 2, 2, 1), .padding = "SAME"}, "[1,4,3,3]"},
    {"Conv2D", {"[1,?,6,2]", "[3,3,?,3]"}, {}, "[1,?,4,3]"},
    {"Conv2D", {"*", "[3,3,2,3]"}, {}, "[?,?,?,3]"},
    {"Conv2D", {"[1,8,8,2]", "*"}, {}, "[1,?,?,?]"},
    {"Conv2D", {"[1,7,7,2]", "[3,3,2,2]"}, {.dil = S(1, 2, 2, 1)}, "[1,3,3,2]"},
    {"Conv2D",
     {"[1,5,6,2]", "[3,3,2,2]"},
     {.padding = "EXPLICIT", .ep = S(0, 0, 1, 2, 2, 1, 0, 0), .n_ep = 8},
     "[1,6,7,2]"},
    {"Conv2D", {"[1,2,5,5]", "[3,3,2,4]"}, {.format = "NCHW"}, "[1,4,3,3]"},
    {"Conv2D", {"[1,5,5,4]", "[3,3,2,6]"}, {}, "[1,3,3,6]"}, /* grouped */
    {"Conv2D", {"[1,5,5,4]", "[3,3,3,6]"}, {}, "!Conv2D 'op': input depth must be evenly divisible"},
    {"Conv2D", {"[1,5,5,4]", "[3,3,2,5]"}, {}, "!number of groups"},
    {"Conv2D", {"[1,5,5,0]", "[3,3,2,6]"}, {}, "!input depth must be at least the filter depth"},
    {"Conv2D", {"[1,5,5]", "[3,3,5,6]"}, {}, "!rank 4"},
    {"Conv2D", {"[1,4,4,1]", "[6,1,1,1]"}, {}, "!Computed output size would be negative"},
    {"Conv2D", {"[1,4,4,1]", "[1,1,1,1]"}, {.strides = S(2, 1, 1, 1)}, "!strides in the batch"},
    {"Conv2D", {"[1,4,4,1]", "[1,1,1,1]"}, {.strides = S(1, 0, 1, 1)}, "!Stride must be > 0"},
    {"Conv2D",
     {"[1,4,4,1]", "[1,1,1,1]"},
     {.padding = "EXPLICIT", .ep = S(1, 1), .n_ep = 2},
     "!explicit_paddings must have 8"},
    {"Conv2D", {"[1,4,4,1]", "[1,1,1,1]"}, {.ep = S(1, 1, 1, 1, 1, 1, 1, 1), .n_ep = 8}, "!must be empty"},
    {"Conv2D", {"[1,4,4,1]", "[1,1,1,1]"}, {.padding = "FULL"}, "!not allowed"},
    {"DepthwiseConv2dNative", {"[2,5,5,3]", "[3,3,3,2]"}, {}, "[2,3,3,6]"},
    {"DepthwiseConv2dNative", {"[2,5,5,?]", "[3,3,3,2]"}, {.padding = "SAME"}, "[2,5,5,6]"},
    {"DepthwiseConv2dNative",
     {"[2,5,5,4]", "[3,3,3,2]"},
     {},
     "!DepthwiseConv2dNative 'op': input and filter"},
    {"MaxPool", {"[2,4,4,3]"}, {.ksize = S(1, 2, 2, 1), .strides = S(1, 2, 2, 1)}, "[2,2,2,3]"},
    {"MaxPool",
     {"[?,7,?,3]"},
     {.ksize = S(1, 3, 3, 1), .strides = S(1, 2, 2, 1), .padding = "SAME"},
     "[?,4,?,3]"},
    {"MaxPool", {"[1,3,3,6]"}, {.ksize = S(1, 1, 1, 3), .strides = S(1, 1, 1, 3)}, "[1,3,3,2]"},
    {"MaxPool", {"[1,3,3,6]"}, {.ksize = S(1, 1, 1, 4), .strides = S(1, 1, 1, 4)}, "!evenly divide"},
    {"MaxPool", {"[1,3,3,6]"}, {.ksize = S(2, 1, 1, 1), .strides = S(1, 1, 1, 1)}, "!batch dimension"},
    {"MaxPool", {"[1,3,3,6]"}, {.ksize = S(1, 0, 1, 1), .strides = S(1, 1, 1, 1)}, "!ksize must be positive"},
    {"MaxPool", {"[1,2,2,1]"}, {.ksize = S(1, 4, 1, 1), .strides = S(1, 1, 1, 1)}, "!would be negative"},
    {"AvgPool", {"*"}, {.ksize = S(1, 2, 2, 1), .strides = S(1, 2, 2, 1)}, "[?,?,?,?]"},
    {"AvgPool",
     {"[1,4,4,2]"},
     {.ksize = S(1, 1, 1, 2), .strides = S(1, 1, 1, 2)},
     "!AvgPool 'op': Non-spatial"},
    {"AvgPool",
     {"[1,4,4,2]"},
     {.ksize = S(1, 2, 2, 1), .strides = S(1, 1, 1, 1), .padding = "EXPLICIT"},
     "!not allowed"},
    {"FusedBatchNormV3", {"[2,3,4,5]", "[5]", "[5]", "[0]", "[0]"}, {}, "[2,3,4,5]"},
    {"FusedBatchNormV3", {"[2,5,4,4]", "[?]", "[5]", "[0]", "[0]"}, {.format = "NCHW"}, "[2,5,4,4]"},
    {"FusedBatchNormV3", {"[2,3,4,5]", "[4]", "[5]", "[0]", "[0]"}, {}, "!FusedBatchNormV3 'op': scale must"},
    {"FusedBatchNormV3", {"[2,3,4,5]", "[5]", "[5]", "[0]", "[0]"}, {.is_training = 2}, "!mean must have"},
    {"FusedBatchNormV3", {"[2,3,4,5]", "[5]", "[5]", "[0]", "[0]"}, {.avg_factor = 0.5f}, "!mean must have"},
    {"FusedBatchNormV3", {"[2,3,4]", "[5]", "[5]", "[0]", "[0]"}, {}, "!rank 4"},
    {"FusedBatchNormV3", {"[2,3,4,4,5]", "[5]", "[5]", "[0]", "[0]"}, {.format = "NDHWC"}, "[2,3,4,4,5]"},
};

static void check_row(const shape_row *r)
{
    TF_Graph *g = TF_NewGraph();
    TF_Operation *in[5];
    int n = 0;
    char name[8];
    for (; n < 5 && r->in[n]; n++) snprintf(name, sizeof name, "in%d", n), in[n] = ph(g, name, r->in[n]);
    TF_OperationDescription *d = new_op(g, r->op, "op", in, n, &r->a);
    if (r->want[0] == '!') {
        expect_finish_fails(g, d, "op", TF_INVALID_ARGUMENT, r->want + 1, NULL);
        TF_DeleteGraph(g);
        return;
    }
    TF_Status *s = TF_NewStatus();
    TF_Operation *op = TF_FinishOperation(d, s);
    if (!op) fail_msg("%s %s: %s", r->op, r->in[0], TF_Message(s));
    int64_t want[8], got[8];
    int wn = parse_dims(r->want, want), gn = TF_GraphGetTensorNumDims(g, (TF_Output){op, 0}, s);
    assert_ok(s);
    if (gn >= 0) TF_GraphGetTensorShape(g, (TF_Output){op, 0}, got, gn, s);
    if (gn != wn || (gn > 0 && memcmp(got, want, (size_t)gn * sizeof got[0])))
        fail_msg("%s %s: rank %d, want %s", r->op, r->in[0], gn, r->want);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

static void test_shape_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) check_row(&rows[i]);
}

// ---- running ----

static TF_Tensor *tensor(TF_DataType t, const int64_t *dims, int nd)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    TF_Tensor *x = TF_AllocateTensor(t, dims, nd, (size_t)n * TF_DataTypeSize(t));
    assert_non_null(x);
    return x;
}

static TF_Tensor *random_tensor(const int64_t *dims, int nd, unsigned seed)
{
    TF_Tensor *t = tensor(TF_FLOAT, dims, nd);
    float *p = TF_TensorData(t);
    size_t n = TF_TensorElementCount(t);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (float)((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
    }
    return t;
}

/* Feeds n tensors into unknown-shape float placeholders, runs op with attrs a on `intra` threads,
 * and returns output 0 (NULL on error, with the status in st). */
static TF_Tensor *run_op(const char *op, TF_Tensor **in, int n, const op_attrs *a, int intra, TF_Status *st)
{
    TF_Graph *g = TF_NewGraph();
    TF_Operation *p[5];
    TF_Output feeds[5];
    char name[16];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "in%d", i);
        p[i] = placeholder(g, name, TF_TensorType(in[i]), NULL, -1);
        feeds[i] = (TF_Output){p[i], 0};
    }
    TF_Operation *o = TF_FinishOperation(new_op(g, op, "op", p, n, a), st);
    assert_ok(st);
    TF_SessionOptions *opts = TF_NewSessionOptions();
    if (intra) TFC_SessionOptionsSetIntraOpThreads(opts, intra);
    TF_Session *sess = TF_NewSession(g, opts, st);
    assert_ok(st);
    TF_Output fetch = {o, 0};
    TF_Tensor *out = NULL;
    TF_SessionRun(sess, NULL, feeds, in, n, &fetch, &out, 1, NULL, 0, NULL, st);
    TF_Status *s2 = TF_NewStatus();
    TF_CloseSession(sess, s2);
    TF_DeleteSession(sess, s2);
    TF_DeleteStatus(s2);
    TF_DeleteSessionOptions(opts);
    TF_DeleteGraph(g);
    return out;
}

static void expect_run_error(const char *op, TF_Tensor **in, int n, const op_attrs *a, TF_Code code,
                             const char *needle)
{
    TF_Status *st = TF_NewStatus();
    TF_Tensor *out = run_op(op, in, n, a, 1, st);
    if (out) fail_msg("%s ran, expected an error containing '%s'", op, needle);
    assert_code(st, code);
    assert_msg_has(st, op);
    assert_msg_has(st, needle);
    TF_DeleteStatus(st);
}

static void test_runtime_errors(void **state)
{
    (void)state;
    TF_Tensor *x = random_tensor((const int64_t[]){1, 4, 4, 4}, 4, 1);
    TF_Tensor *f3 = random_tensor((const int64_t[]){2, 2, 3, 4}, 4, 2);
    TF_Tensor *f6 = random_tensor((const int64_t[]){6, 1, 4, 4}, 4, 3);
    TF_Tensor *f0 = tensor(TF_FLOAT, (const int64_t[]){2, 2, 0, 4}, 4);
    TF_Tensor *x3 = random_tensor((const int64_t[]){4, 4, 4}, 3, 4);
    /* a tensor with no elements but dims past 2^31 */
    TF_Tensor *huge = tensor(TF_FLOAT, (const int64_t[]){0, INT64_C(1) << 40, INT64_C(1) << 40, 4}, 4);
    op_attrs a = {0};
    expect_run_error("Conv2D", (TF_Tensor *[]){x, f3}, 2, &a, TF_INVALID_ARGUMENT, "evenly divisible");
    expect_run_error("Conv2D", (TF_Tensor *[]){x, f6}, 2, &a, TF_INVALID_ARGUMENT, "would be negative");
    expect_run_error("Conv2D", (TF_Tensor *[]){x, f0}, 2, &a, TF_INVALID_ARGUMENT, "zero elements");
    TF_Tensor *x0 = tensor(TF_FLOAT, (const int64_t[]){1, 4, 4, 0}, 4); /* zero groups */
    expect_run_error("Conv2D", (TF_Tensor *[]){x0, f3}, 2, &a, TF_INVALID_ARGUMENT, "at least the filter depth");
    TF_DeleteTensor(x0);
    expect_run_error("Conv2D", (TF_Tensor *[]){x3, f3}, 2, &a, TF_INVALID_ARGUMENT, "4-dimensional");
    expect_run_error("Conv2D", (TF_Tensor *[]){huge, f3}, 2, &a, TF_INVALID_ARGUMENT, "too large");
    expect_run_error("DepthwiseConv2dNative", (TF_Tensor *[]){x, f3}, 2, &a, TF_INVALID_ARGUMENT,
                     "same depth");
    op_attrs nchw = {.format = "NCHW"};
    TF_Tensor *f4 = random_tensor((const int64_t[]){2, 2, 4, 4}, 4, 5);
    expect_run_error("Conv2D", (TF_Tensor *[]){x, f4}, 2, &nchw, TF_UNIMPLEMENTED, "NHWC");
    op_attrs mp = {.ksize = {1, 2, 2, 1}, .strides = {1, 2, 2, 1}};
    expect_run_error("MaxPool", (TF_Tensor *[]){x3}, 1, &mp, TF_INVALID_ARGUMENT, "4-dimensional");
    expect_run_error("AvgPool", (TF_Tensor *[]){huge}, 1, &mp, TF_INVALID_ARGUMENT, "too large");
    op_attrs big = {.ksize = {1, 6, 1, 1}, .strides = {1, 1, 1, 1}};
    expect_run_error("MaxPool", (TF_Tensor *[]){x}, 1, &big, TF_INVALID_ARGUMENT, "would be negative");
    TF_Tensor *v3 = random_tensor((const int64_t[]){3}, 1, 6),
              *v4 = random_tensor((const int64_t[]){4}, 1, 7);
    TF_Tensor *e = tensor(TF_FLOAT, (const int64_t[]){0}, 1);
    expect_run_error("FusedBatchNormV3", (TF_Tensor *[]){x, v3, v4, e, e}, 5, &a, TF_INVALID_ARGUMENT,
                     "scale");
    op_attrs infer = {.is_training = 2};
    expect_run_error("FusedBatchNormV3", (TF_Tensor *[]){x, v4, v4, e, v4}, 5, &infer, TF_INVALID_ARGUMENT,
                     "mean must have");
    expect_run_error("FusedBatchNormV3", (TF_Tensor *[]){x3, v4, v4, e, e}, 5, &a, TF_INVALID_ARGUMENT,
                     "4-dimensional");
    TF_Tensor *all[] = {x, f3, f6, f0, x3, huge, f4, v3, v4, e};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) TF_DeleteTensor(all[i]);
}

// ---- large inputs: parallel paths against naive references ----

/* Naive NHWC convolution (SAME or VALID, strides, dilations) in double. */
static double *ref_conv(const float *x, const float *f, int n, int h, int w, int c, int kh, int kw, int k,
                        int s, int d, bool same, int *oh, int *ow)
{
    int eh = (kh - 1) * d + 1, ew = (kw - 1) * d + 1;
    *oh = same ? (h + s - 1) / s : (h - eh + s) / s, *ow = same ? (w + s - 1) / s : (w - ew + s) / s;
    int pt = same ? ((*oh - 1) * s + eh - h > 0 ? ((*oh - 1) * s + eh - h) / 2 : 0) : 0;
    int pl = same ? ((*ow - 1) * s + ew - w > 0 ? ((*ow - 1) * s + ew - w) / 2 : 0) : 0;
    double *o = calloc((size_t)n * *oh * *ow * k, sizeof *o);
    for (int b = 0; b < n; b++)
        for (int y = 0; y < *oh; y++)
            for (int xx = 0; xx < *ow; xx++)
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++) {
                        int iy = y * s - pt + ky * d, ix = xx * s - pl + kx * d;
                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                        for (int q = 0; q < c; q++)
                            for (int m = 0; m < k; m++)
                                o[(((size_t)b * *oh + y) * *ow + xx) * k + m] +=
                                    (double)x[(((size_t)b * h + iy) * w + ix) * c + q] *
                                    f[((size_t)(ky * kw + kx) * c + q) * k + m];
                    }
    return o;
}

static void check_close(const float *got, const double *want, size_t n, double tol)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(got[i] - want[i]) > tol * (1 + fabs(want[i])))
            fail_msg("element %zu: got %.7g, want %.7g", i, got[i], want[i]);
}

static void conv_case(int n, int h, int w, int c, int kh, int kw, int k, int s, int d, bool same)
{
    TF_Tensor *x = random_tensor((const int64_t[]){n, h, w, c}, 4, 11);
    TF_Tensor *f = random_tensor((const int64_t[]){kh, kw, c, k}, 4, 12);
    op_attrs a = {.strides = {1, s, s, 1}, .dil = {1, d, d, 1}, .padding = same ? "SAME" : "VALID"};
    TF_Status *st = TF_NewStatus();
    TF_Tensor *out = run_op("Conv2D", (TF_Tensor *[]){x, f}, 2, &a, 4, st);
    assert_ok(st);
    int oh, ow;
    double *want = ref_conv(TF_TensorData(x), TF_TensorData(f), n, h, w, c, kh, kw, k, s, d, same, &oh, &ow);
    assert_int_equal(TF_Dim(out, 1), oh);
    assert_int_equal(TF_Dim(out, 2), ow);
    check_close(TF_TensorData(out), want, TF_TensorElementCount(out), 1e-4);
    free(want);
    TF_DeleteTensor(out);
    TF_DeleteTensor(x);
    TF_DeleteTensor(f);
    TF_DeleteStatus(st);
}

static void test_conv_parallel(void **state)
{
    (void)state;
    conv_case(4, 20, 19, 8, 3, 3, 16, 1, 1, true);  /* im2col, many tiles */
    conv_case(3, 17, 16, 5, 3, 2, 7, 2, 2, true);   /* strides and dilations */
    conv_case(2, 12, 12, 3, 5, 5, 6, 1, 1, false);  /* LeNet-like, VALID */
    conv_case(4, 16, 16, 32, 1, 1, 24, 1, 1, true); /* 1x1: a plain GEMM */
}

/* MaxPool / AvgPool 3x3 stride 2 SAME and depthwise 3x3 SAME on a large input, against naive loops. */
static void test_pool_depthwise_parallel(void **state)
{
    (void)state;
    int n = 4, h = 33, w = 30, c = 16, oh = 17, ow = 15;
    TF_Tensor *x = random_tensor((const int64_t[]){n, h, w, c}, 4, 21);
    const float *px = TF_TensorData(x);
    TF_Status *st = TF_NewStatus();
    op_attrs pa = {.ksize = {1, 3, 3, 1}, .strides = {1, 2, 2, 1}, .padding = "SAME"};
    TF_Tensor *mx = run_op("MaxPool", &x, 1, &pa, 4, st);
    assert_ok(st);
    TF_Tensor *av = run_op("AvgPool", &x, 1, &pa, 4, st);
    assert_ok(st);
    size_t total = (size_t)n * oh * ow * c;
    double *wmax = malloc(total * sizeof *wmax), *wavg = malloc(total * sizeof *wavg);
    for (size_t i = 0; i < total; i++) {
        int q = (int)(i % c), xx = (int)(i / c % ow), y = (int)(i / c / ow % oh), b = (int)(i / c / ow / oh);
        double m = -INFINITY, sum = 0;
        int cnt = 0;
        for (int iy = y * 2 - 1; iy < y * 2 + 2; iy++) /* pad 1 before: (16*2+3-33)/2 = 1 */
            for (int ix = xx * 2 - 0; ix < xx * 2 + 3; ix++) {
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                double v = px[(((size_t)b * h + iy) * w + ix) * c + q];
                m = v > m ? v : m, sum += v, cnt++;
            }
        wmax[i] = m, wavg[i] = sum / cnt;
    }
    check_close(TF_TensorData(mx), wmax, total, 0);
    check_close(TF_TensorData(av), wavg, total, 1e-5);
    free(wmax);
    free(wavg);
    TF_DeleteTensor(mx);
    TF_DeleteTensor(av);
    /* depthwise 3x3 SAME, multiplier 1 */
    TF_Tensor *f = random_tensor((const int64_t[]){3, 3, c, 1}, 4, 22);
    op_attrs da = {.padding = "SAME"};
    TF_Tensor *dw = run_op("DepthwiseConv2dNative", (TF_Tensor *[]){x, f}, 2, &da, 4, st);
    assert_ok(st);
    TF_DeleteStatus(st);
    const float *pf = TF_TensorData(f), *pd = TF_TensorData(dw);
    for (int b = 0; b < n; b++)
        for (int y = 0; y < h; y++)
            for (int xx = 0; xx < w; xx++)
                for (int q = 0; q < c; q++) {
                    double sum = 0;
                    for (int ky = 0; ky < 3; ky++)
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = y - 1 + ky, ix = xx - 1 + kx;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                            sum += (double)px[(((size_t)b * h + iy) * w + ix) * c + q] *
                                   pf[(ky * 3 + kx) * c + q];
                        }
                    double got = pd[(((size_t)b * h + y) * w + xx) * c + q];
                    if (fabs(got - sum) > 1e-4 * (1 + fabs(sum))) fail_msg("depthwise %g vs %g", got, sum);
                }
    TF_DeleteTensor(dw);
    TF_DeleteTensor(f);
    TF_DeleteTensor(x);
}

/* Training-mode batch norm on a large NCHW input: y has zero mean and unit variance per channel
 * (times scale, plus offset), batch_variance is the unbiased variance. */
static void test_batchnorm_parallel(void **state)
{
    (void)state;
    int n = 8, c = 6, hw = 32 * 32;
    TF_Tensor *x = random_tensor((const int64_t[]){n, c, 32, 32}, 4, 31);
    TF_Tensor *scale = tensor(TF_FLOAT, (const int64_t[]){c}, 1),
              *off = tensor(TF_FLOAT, (const int64_t[]){c}, 1);
    TF_Tensor *e = tensor(TF_FLOAT, (const int64_t[]){0}, 1);
    for (int i = 0; i < c; i++)
        ((float *)TF_TensorData(scale))[i] = 2.0f, ((float *)TF_TensorData(off))[i] = 1.0f;
    TF_Graph *g = TF_NewGraph();
    TF_Status *st = TF_NewStatus();
    TF_Operation *p[5];
    TF_Output feeds[5];
    for (int i = 0; i < 5; i++) {
        char name[8];
        snprintf(name, sizeof name, "in%d", i);
        p[i] = placeholder(g, name, TF_FLOAT, NULL, -1);
        feeds[i] = (TF_Output){p[i], 0};
    }
    op_attrs a = {.format = "NCHW"};
    TF_Operation *bn = TF_FinishOperation(new_op(g, "FusedBatchNormV3", "bn", p, 5, &a), st);
    assert_ok(st);
    TF_SessionOptions *opts = TF_NewSessionOptions();
    TFC_SessionOptionsSetIntraOpThreads(opts, 4);
    TF_Session *sess = TF_NewSession(g, opts, st);
    TF_Output fetch[6];
    TF_Tensor *out[6] = {0};
    for (int i = 0; i < 6; i++) fetch[i] = (TF_Output){bn, i};
    TF_SessionRun(sess, NULL, feeds, (TF_Tensor *[]){x, scale, off, e, e}, 5, fetch, out, 6, NULL, 0, NULL,
                  st);
    assert_ok(st);
    const float *px = TF_TensorData(x), *py = TF_TensorData(out[0]), *bv = TF_TensorData(out[2]);
    for (int q = 0; q < c; q++) {
        double s = 0, s2 = 0, xs = 0, xs2 = 0;
        for (int b = 0; b < n; b++)
            for (int i = 0; i < hw; i++) {
                double y = (py[((size_t)b * c + q) * hw + i] - 1.0) / 2.0,
                       v = px[((size_t)b * c + q) * hw + i];
                s += y, s2 += y * y, xs += v, xs2 += v * v;
            }
        double cnt = (double)n * hw, mean = xs / cnt, var = xs2 / cnt - mean * mean;
        assert_true(fabs(s / cnt) < 1e-4);
        assert_true(fabs(s2 / cnt - var / (var + 1e-4)) < 1e-3);
        assert_true(fabs(bv[q] - var * cnt / (cnt - 1)) < 1e-4);
    }
    for (int i = 0; i < 6; i++) TF_DeleteTensor(out[i]);
    TF_CloseSession(sess, st);
    TF_DeleteSession(sess, st);
    TF_DeleteSessionOptions(opts);
    TF_DeleteGraph(g);
    TF_DeleteStatus(st);
    TF_DeleteTensor(x);
    TF_DeleteTensor(scale);
    TF_DeleteTensor(off);
    TF_DeleteTensor(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape_rows),         cmocka_unit_test(test_runtime_errors),
        cmocka_unit_test(test_conv_parallel),      cmocka_unit_test(test_pool_depthwise_parallel),
        cmocka_unit_test(test_batchnorm_parallel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
