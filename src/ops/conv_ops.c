/* conv_ops: op definitions and shape functions of the image-shaped neural-net ops, as
 * tensorflow/core/ops/nn_ops.cc defines them: Conv2D, DepthwiseConv2dNative, MaxPool, AvgPool and
 * FusedBatchNormV3 (+ its grad op FusedBatchNormGradV3). Window arithmetic follows TensorFlow's
 * GetWindowedOutputSize (VALID, SAME, EXPLICIT padding, dilations). Shape functions accept both
 * data formats; the CPU kernels (kernels/cpu/conv_cpu.c, pool_cpu.c) take NHWC only, as
 * TensorFlow's do (batchnorm_cpu.c takes every format). */
#include <string.h>

#include "core/dtype.h"
#include "ops/conv_grad.h"
#include "ops/op_def.h"

#define CONV_TYPES (TFC_TYPES_FLOAT | TFC_TYPE_BIT(TF_INT32))
#define DEPTHWISE_TYPES TFC_TYPES_FLOAT
#define BP_FILTER_TYPES TFC_TYPES_FLOAT
#define BP_INPUT_TYPES (BP_FILTER_TYPES | TFC_TYPE_BIT(TF_INT32))
#define MAXPOOL_TYPES                                                                                        \
    (TFC_TYPES_FLOAT | TFC_TYPES_SIGNED_INT | TFC_TYPE_BIT(TF_UINT8) | TFC_TYPE_BIT(TF_UINT16) |             \
     TFC_TYPE_BIT(TF_QINT8))
#define MAXPOOL_GRAD_TYPES                                                                                   \
    (TFC_TYPES_FLOAT | TFC_TYPES_SIGNED_INT | TFC_TYPE_BIT(TF_UINT8) | TFC_TYPE_BIT(TF_UINT16) |             \
     TFC_TYPE_BIT(TF_UINT32) | TFC_TYPE_BIT(TF_UINT64))
#define BN_T_TYPES (TFC_TYPE_BIT(TF_HALF) | TFC_TYPE_BIT(TF_BFLOAT16) | TFC_TYPE_BIT(TF_FLOAT))
#define BN_U_TYPES (TFC_TYPE_BIT(TF_BFLOAT16) | TFC_TYPE_BIT(TF_FLOAT))

static const char *const padding3[] = {"SAME", "VALID", "EXPLICIT", NULL};
static const char *const padding2[] = {"SAME", "VALID", NULL};
static const char *const formats2[] = {"NHWC", "NCHW", NULL};
static const char *const formats_maxpool[] = {"NHWC", "NCHW", "NCHW_VECT_C", NULL};
static const char *const formats_bn[] = {"NHWC", "NCHW", "NDHWC", "NCDHW", NULL};
static const int64_t ones4[] = {1, 1, 1, 1};

/* Output size of one spatial dim, or -1 when unknown; fails the context when impossible. */
static TF_Code window_size(tfc_shape_ctx *c, int64_t in, int64_t k, int64_t d, int64_t s, const char *pad,
                           int64_t pb, int64_t pa, int64_t *out)
{
    if (s <= 0) return tfc_shape_fail(c, "Stride must be > 0, but got %lld", (long long)s);
    if (d <= 0) return tfc_shape_fail(c, "Dilated rates should be larger than 0.");
    if (k > INT32_MAX || d > INT32_MAX || s > INT32_MAX || pb > INT32_MAX || pa > INT32_MAX)
        return tfc_shape_fail(c, "window sizes, strides, dilations and paddings must be below 2^31");
    if (in < 0 || k < 0) {
        *out = -1;
        return TF_OK;
    }
    int64_t eff = (k - 1) * d + 1;
    if (!strcmp(pad, "SAME"))
        *out = (in + s - 1) / s;
    else if (!strcmp(pad, "EXPLICIT"))
        *out = (in + pb + pa - eff + s) / s;
    else
        *out = (in - eff + s) / s;
    if (*out < 0)
        return tfc_shape_fail(c,
                              "Computed output size would be negative: %lld [input_size: %lld, "
                              "effective_filter_size: %lld, stride: %lld]",
                              (long long)*out, (long long)in, (long long)eff, (long long)s);
    return TF_OK;
}

/* Reads a list(int) attr that must have 4 entries. */
static TF_Code attr_list4(tfc_shape_ctx *c, const char *name, const int64_t **v)
{
    int n = tfc_attrs_int_list(tfc_shape_attrs(c), name, v);
    if (n < 0 && !strcmp(name, "dilations")) {
        *v = ones4;
        return TF_OK;
    }
    if (n != 4) return tfc_shape_fail(c, "%s must have 4 entries, got %d", name, n < 0 ? 0 : n);
    return TF_OK;
}

static TF_Code check_rank(tfc_shape_ctx *c, const tfc_pshape *s, int rank, const char *what)
{
    if (s->rank >= 0 && s->rank != rank)
        return tfc_shape_fail(c, "Shape must be rank %d but is rank %d for %s", rank, s->rank, what);
    return TF_OK;
}

/* Dim i of s, or -1. */
static int64_t dim_of(const tfc_pshape *s, int i) { return s->rank > i ? s->dims[i] : -1; }

/* Shared window attrs of the convolutions and pools, already in NHWC order. */
typedef struct window_attrs {
    const char *padding;
    bool nchw;
    int64_t k[4], s[4], d[4], pad[8];
} window_attrs;

/* Reads strides, dilations (convolutions: is_conv), padding, explicit_paddings and data_format.
 * Pools may stride over depth (checked by pool_shape_common). */
static TF_Code read_window(tfc_shape_ctx *c, window_attrs *w, bool is_conv)
{
    const tfc_attrs *a = tfc_shape_attrs(c);
    const int64_t *st, *dl = ones4, *ep = NULL;
    TF_Code rc = attr_list4(c, "strides", &st);
    if (!rc && is_conv) rc = attr_list4(c, "dilations", &dl);
    if (rc) return rc;
    w->padding = tfc_attrs_string(a, "padding", "VALID");
    w->nchw = !strncmp(tfc_attrs_string(a, "data_format", "NHWC"), "NCHW", 4);
    int h = w->nchw ? 2 : 1, wd = w->nchw ? 3 : 2, ch = w->nchw ? 1 : 3;
    const int map[4] = {0, h, wd, ch};
    int n_ep = tfc_attrs_int_list(a, "explicit_paddings", &ep);
    bool explicit_pad = !strcmp(w->padding, "EXPLICIT");
    if (explicit_pad && n_ep != 8)
        return tfc_shape_fail(c, "explicit_paddings must have 8 entries for EXPLICIT padding, got %d", n_ep);
    if (!explicit_pad && n_ep > 0)
        return tfc_shape_fail(c, "explicit_paddings must be empty when padding is not EXPLICIT");
    for (int i = 0; i < 4; i++) {
        w->s[i] = st[map[i]], w->d[i] = dl[map[i]];
        w->pad[2 * i] = explicit_pad ? ep[2 * map[i]] : 0;
        w->pad[2 * i + 1] = explicit_pad ? ep[2 * map[i] + 1] : 0;
        if (w->pad[2 * i] < 0 || w->pad[2 * i + 1] < 0)
            return tfc_shape_fail(c, "All explicit paddings must be nonnegative");
    }
    if (w->s[0] != 1 || (is_conv && w->s[3] != 1))
        return tfc_shape_fail(c, "Current implementation does not yet support strides in the batch and "
                                 "depth dimensions.");
    if (w->d[0] != 1 || w->d[3] != 1)
        return tfc_shape_fail(c, "Current implementation does not yet support dilations in the batch and "
                                 "depth dimensions.");
    if (w->pad[0] || w->pad[1] || w->pad[6] || w->pad[7])
        return tfc_shape_fail(c, "explicit_paddings in the batch and depth dimensions must be 0");
    return TF_OK;
}

/* Sets output 0 to [batch, oh, ow, depth] in the op's data format. */
static TF_Code set_nhwc_output(tfc_shape_ctx *c, const window_attrs *w, int64_t n, int64_t oh, int64_t ow,
                               int64_t depth)
{
    tfc_pshape out = w->nchw ? tfc_pshape_make((const int64_t[]){n, depth, oh, ow}, 4)
                             : tfc_pshape_make((const int64_t[]){n, oh, ow, depth}, 4);
    tfc_shape_set_output(c, 0, &out);
    return TF_OK;
}

/* Conv2D and DepthwiseConv2dNative: input [N,H,W,C] (or NCHW), filter [KH,KW,Cin,M]. */
static TF_Code conv_shape_common(tfc_shape_ctx *c, bool depthwise)
{
    const tfc_pshape *in = tfc_shape_input(c, 0), *f = tfc_shape_input(c, 1);
    window_attrs w;
    TF_Code rc = check_rank(c, in, 4, "input");
    if (!rc) rc = check_rank(c, f, 4, "filter");
    if (!rc) rc = read_window(c, &w, true);
    if (rc) return rc;
    int hi = w.nchw ? 2 : 1, wi = w.nchw ? 3 : 2, ci = w.nchw ? 1 : 3;
    int64_t n = dim_of(in, 0), ih = dim_of(in, hi), iw = dim_of(in, wi), cin = dim_of(in, ci);
    int64_t kh = dim_of(f, 0), kw = dim_of(f, 1), fd = dim_of(f, 2), m = dim_of(f, 3), depth = -1;
    if (depthwise) {
        if (cin >= 0 && fd >= 0 && cin != fd)
            return tfc_shape_fail(c, "input and filter must have the same depth: %lld vs %lld",
                                  (long long)cin, (long long)fd);
        if (m >= 0 && (cin >= 0 || fd >= 0)) depth = (cin >= 0 ? cin : fd) * m;
    } else {
        if (fd == 0) return tfc_shape_fail(c, "filter depth must be stricly positive, got 0");
        if (cin >= 0 && fd > 0 && cin % fd != 0)
            return tfc_shape_fail(c, "input depth must be evenly divisible by filter depth: %lld vs %lld",
                                  (long long)cin, (long long)fd);
        if (cin == 0 && fd > 0) /* no groups: the group check below would divide by zero */
            return tfc_shape_fail(c, "input depth must be at least the filter depth: 0 vs %lld", (long long)fd);
        if (cin >= 0 && fd > 0 && m >= 0 && m % (cin / fd) != 0)
            return tfc_shape_fail(c,
                                  "output depth must be evenly divisible by number of groups: %lld vs %lld",
                                  (long long)m, (long long)(cin / fd));
        depth = m;
    }
    int64_t oh, ow;
    rc = window_size(c, ih, kh, w.d[1], w.s[1], w.padding, w.pad[2], w.pad[3], &oh);
    if (!rc) rc = window_size(c, iw, kw, w.d[2], w.s[2], w.padding, w.pad[4], w.pad[5], &ow);
    if (rc) return rc;
    return set_nhwc_output(c, &w, n, oh, ow, depth);
}

static TF_Code conv2d_shape(tfc_shape_ctx *c) { return conv_shape_common(c, false); }
static TF_Code depthwise_shape(tfc_shape_ctx *c) { return conv_shape_common(c, true); }

/* Conv2DBackpropInput (sizes_input 0, other 1) and Conv2DBackpropFilter (sizes_input 1, other 0):
 * the output takes the shape the Const sizes vector describes. */
static TF_Code conv_backprop_shape(tfc_shape_ctx *c, int sizes_input)
{
    window_attrs w;
    tfc_pshape out;
    TF_Code rc = check_rank(c, tfc_shape_input(c, 1 - sizes_input), 4, sizes_input ? "input" : "filter");
    if (!rc) rc = check_rank(c, tfc_shape_input(c, 2), 4, "out_backprop");
    if (!rc) rc = read_window(c, &w, true);
    if (!rc) rc = tfc_shape_input_as_shape(c, sizes_input, &out);
    if (rc) return rc;
    if (out.rank >= 0 && out.rank != 4)
        return tfc_shape_fail(c, "%s must describe a 4-D shape, got %d values",
                              sizes_input ? "filter_sizes" : "input_sizes", out.rank);
    tfc_shape_set_output(c, 0, &out);
    return TF_OK;
}

static TF_Code conv_backprop_input_shape(tfc_shape_ctx *c) { return conv_backprop_shape(c, 0); }
static TF_Code conv_backprop_filter_shape(tfc_shape_ctx *c) { return conv_backprop_shape(c, 1); }

/* MaxPool and AvgPool: ksize and strides of 4 entries in the data format's order. Only MaxPool
 * pools over depth. */
static TF_Code pool_shape_common(tfc_shape_ctx *c, bool is_max)
{
    const tfc_pshape *in = tfc_shape_input(c, 0);
    window_attrs w;
    const int64_t *ks;
    TF_Code rc = check_rank(c, in, 4, "input");
    if (!rc) rc = attr_list4(c, "ksize", &ks);
    if (!rc) rc = read_window(c, &w, false);
    if (rc) return rc;
    int hi = w.nchw ? 2 : 1, wi = w.nchw ? 3 : 2, ci = w.nchw ? 1 : 3;
    int64_t k[4] = {ks[0], ks[hi], ks[wi], ks[ci]};
    for (int i = 0; i < 4; i++)
        if (k[i] <= 0) return tfc_shape_fail(c, "Sliding window ksize must be positive.");
    if (k[0] != 1) return tfc_shape_fail(c, "Pooling is not yet supported on the batch dimension.");
    int64_t n = dim_of(in, 0), ih = dim_of(in, hi), iw = dim_of(in, wi), depth = dim_of(in, ci);
    if (k[3] != 1 || w.s[3] != 1) {
        /* Depthwise pooling (MaxPool only): windows over channels, none over space. */
        if (!is_max) return tfc_shape_fail(c, "Non-spatial pooling is not yet supported.");
        if (k[1] != 1 || k[2] != 1 || k[3] != w.s[3])
            return tfc_shape_fail(c, "Depthwise pooling requires no spatial pooling and the depth window "
                                     "equal to the depth stride");
        if (depth >= 0 && depth % k[3] != 0)
            return tfc_shape_fail(c, "Depthwise max pooling requires the depth window to evenly divide the "
                                     "input depth");
        return set_nhwc_output(c, &w, n, ih, iw, depth >= 0 ? depth / k[3] : -1);
    }
    int64_t oh, ow;
    rc = window_size(c, ih, k[1], 1, w.s[1], w.padding, w.pad[2], w.pad[3], &oh);
    if (!rc) rc = window_size(c, iw, k[2], 1, w.s[2], w.padding, w.pad[4], w.pad[5], &ow);
    if (rc) return rc;
    return set_nhwc_output(c, &w, n, oh, ow, depth);
}

static TF_Code maxpool_shape(tfc_shape_ctx *c) { return pool_shape_common(c, true); }
static TF_Code avgpool_shape(tfc_shape_ctx *c) { return pool_shape_common(c, false); }

/* MaxPoolGrad: the gradient has orig_input's shape. */
static TF_Code maxpool_grad_shape(tfc_shape_ctx *c)
{
    for (int i = 0; i < 3; i++) {
        static const char *const names[] = {"orig_input", "orig_output", "grad"};
        TF_Code rc = check_rank(c, tfc_shape_input(c, i), 4, names[i]);
        if (rc) return rc;
    }
    tfc_shape_set_output(c, 0, tfc_shape_input(c, 0));
    return TF_OK;
}

/* AvgPoolGrad: the gradient takes the shape orig_input_shape describes. */
static TF_Code avgpool_grad_shape(tfc_shape_ctx *c)
{
    tfc_pshape out;
    TF_Code rc = check_rank(c, tfc_shape_input(c, 1), 4, "grad");
    if (!rc) rc = tfc_shape_input_as_shape(c, 0, &out);
    if (rc) return rc;
    if (out.rank >= 0 && out.rank != 4)
        return tfc_shape_fail(c, "orig_input_shape must describe a 4-D shape, got %d values", out.rank);
    tfc_shape_set_output(c, 0, &out);
    return TF_OK;
}

/* FusedBatchNormV3: x of rank 4 (NHWC, NCHW) or 5 (NDHWC, NCDHW); the params are [C] vectors
 * (mean and variance only when they are used). reserve_space_3 is a scalar, as TensorFlow's CPU
 * kernel makes it. */
static TF_Code batchnorm_shape(tfc_shape_ctx *c)
{
    const tfc_attrs *a = tfc_shape_attrs(c);
    const char *fmt = tfc_attrs_string(a, "data_format", "NHWC");
    int rank = strlen(fmt) == 5 ? 5 : 4;
    bool channels_first = fmt[1] == 'C';
    const tfc_pshape *x = tfc_shape_input(c, 0);
    TF_Code rc = check_rank(c, x, rank, "x");
    if (rc) return rc;
    int64_t ch = dim_of(x, channels_first ? 1 : rank - 1);
    bool training = tfc_attrs_bool(a, "is_training", true);
    bool use_stats = !training || tfc_attrs_float(a, "exponential_avg_factor", 1.0f) != 1.0f;
    static const char *const names[] = {"scale", "offset", "mean", "variance"};
    for (int i = 1; i < 5; i++) {
        const tfc_pshape *p = tfc_shape_input(c, i);
        rc = check_rank(c, p, 1, names[i - 1]);
        if (rc) return rc;
        if (i >= 3 && !use_stats) continue;
        int64_t d = dim_of(p, 0);
        if (d >= 0 && ch >= 0 && d != ch)
            return tfc_shape_fail(c,
                                  "%s must have the same number of elements as the channels of x, got %lld "
                                  "and %lld",
                                  names[i - 1], (long long)d, (long long)ch);
        if (ch < 0) ch = d;
    }
    tfc_shape_set_output(c, 0, x);
    tfc_pshape vec = tfc_pshape_make((const int64_t[]){ch}, 1), scalar = tfc_pshape_make(NULL, 0);
    for (int i = 1; i < 5; i++) tfc_shape_set_output(c, i, &vec);
    tfc_shape_set_output(c, 5, &scalar);
    return TF_OK;
}

/* FusedBatchNormGradV3: y_backprop and x of the same rank-4/5 shape; scale and reserve_space_1/2
 * are [C] vectors. x_backprop takes x's shape, scale/offset_backprop are [C], and
 * reserve_space_4/5 are empty vectors, as TensorFlow's shape function makes them. */
static TF_Code batchnorm_grad_shape(tfc_shape_ctx *c)
{
    const char *fmt = tfc_attrs_string(tfc_shape_attrs(c), "data_format", "NHWC");
    int rank = strlen(fmt) == 5 ? 5 : 4;
    const tfc_pshape *dy = tfc_shape_input(c, 0), *x = tfc_shape_input(c, 1);
    TF_Code rc = check_rank(c, dy, rank, "y_backprop");
    if (!rc) rc = check_rank(c, x, rank, "x");
    if (rc) return rc;
    tfc_pshape xs;
    if (!tfc_pshape_merge(dy, x, &xs)) return tfc_shape_fail(c, "y_backprop and x must have the same shape");
    int64_t ch = dim_of(&xs, fmt[1] == 'C' ? 1 : rank - 1);
    static const char *const names[] = {"scale", "reserve_space_1", "reserve_space_2"};
    for (int i = 2; i < 5; i++) {
        const tfc_pshape *p = tfc_shape_input(c, i);
        rc = check_rank(c, p, 1, names[i - 2]);
        if (rc) return rc;
        int64_t d = dim_of(p, 0);
        if (d >= 0 && ch >= 0 && d != ch)
            return tfc_shape_fail(c, "%s must have the same number of elements as the channels of x, got "
                                  "%lld and %lld", names[i - 2], (long long)d, (long long)ch);
        if (ch < 0) ch = d;
    }
    tfc_shape_set_output(c, 0, &xs);
    tfc_pshape vec = tfc_pshape_make((const int64_t[]){ch}, 1);
    tfc_pshape empty = tfc_pshape_make((const int64_t[]){0}, 1);
    tfc_shape_set_output(c, 1, &vec);
    tfc_shape_set_output(c, 2, &vec);
    tfc_shape_set_output(c, 3, &empty);
    tfc_shape_set_output(c, 4, &empty);
    return TF_OK;
}

// ---- the table ----

static const tfc_arg_def arg_input_filter[] = {
    {"input", .type_attr = "T"}, {"filter", .type_attr = "T"}, {0}};
static const tfc_arg_def arg_output[] = {{"output", .type_attr = "T"}, {0}};

#define STRIDES_ATTR                                                                                         \
    {                                                                                                        \
        "strides", TF_ATTR_INT, .is_list = true                                                              \
    }
#define POOL_LIST_ATTR(n)                                                                                    \
    {                                                                                                        \
        n, TF_ATTR_INT, .is_list = true, .has_minimum = true, .minimum = 4                                   \
    }
#define EXPLICIT_PAD_ATTR                                                                                    \
    {                                                                                                        \
        "explicit_paddings", TF_ATTR_INT, .is_list = true, .has_default = true                               \
    }
#define FORMAT_ATTR(list)                                                                                    \
    {                                                                                                        \
        "data_format", TF_ATTR_STRING, .has_default = true, .dflt.s = "NHWC", .allowed_strings = list        \
    }
#define CUDNN_ATTR                                                                                           \
    {                                                                                                        \
        "use_cudnn_on_gpu", TF_ATTR_BOOL, .has_default = true, .dflt.b = true                                \
    }
#define DILATIONS_ATTR                                                                                       \
    {                                                                                                        \
        "dilations", TF_ATTR_INT, .is_list = true, .has_default = true, .dflt = {.n = 4, .ints = ones4 }     \
    }

const tfc_op_def tfc_conv_ops[] = {
    {
        .name = "Conv2D",
        .summary = "Computes a 2-D convolution given 4-D input and filter tensors.",
        .inputs = arg_input_filter,
        .outputs = arg_output,
        .attrs =
            (const tfc_attr_def[]){{"T", TF_ATTR_TYPE, .allowed = CONV_TYPES},
                                   STRIDES_ATTR,
                                   {"use_cudnn_on_gpu", TF_ATTR_BOOL, .has_default = true, .dflt.b = true},
                                   {"padding", TF_ATTR_STRING, .allowed_strings = padding3},
                                   EXPLICIT_PAD_ATTR,
                                   FORMAT_ATTR(formats2),
                                   DILATIONS_ATTR,
                                   {0}},
        .shape_fn = conv2d_shape,
        .grad_fn = tfc_grad_conv2d,
    },
    {
        .name = "Conv2DBackpropInput",
        .summary = "Computes the gradients of convolution with respect to the input.",
        .inputs = (const tfc_arg_def[]){{"input_sizes", .type = TF_INT32},
                                        {"filter", .type_attr = "T"},
                                        {"out_backprop", .type_attr = "T"},
                                        {0}},
        .outputs = arg_output,
        .attrs = (const tfc_attr_def[]){{"T", TF_ATTR_TYPE, .allowed = BP_INPUT_TYPES},
                                        STRIDES_ATTR,
                                        CUDNN_ATTR,
                                        {"padding", TF_ATTR_STRING, .allowed_strings = padding3},
                                        EXPLICIT_PAD_ATTR,
                                        FORMAT_ATTR(formats2),
                                        DILATIONS_ATTR,
                                        {0}},
        .shape_fn = conv_backprop_input_shape,
    },
    {
        .name = "Conv2DBackpropFilter",
        .summary = "Computes the gradients of convolution with respect to the filter.",
        .inputs = (const tfc_arg_def[]){{"input", .type_attr = "T"},
                                        {"filter_sizes", .type = TF_INT32},
                                        {"out_backprop", .type_attr = "T"},
                                        {0}},
        .outputs = arg_output,
        .attrs = (const tfc_attr_def[]){{"T", TF_ATTR_TYPE, .allowed = BP_FILTER_TYPES},
                                        STRIDES_ATTR,
                                        CUDNN_ATTR,
                                        {"padding", TF_ATTR_STRING, .allowed_strings = padding3},
                                        EXPLICIT_PAD_ATTR,
                                        FORMAT_ATTR(formats2),
                                        DILATIONS_ATTR,
                                        {0}},
        .shape_fn = conv_backprop_filter_shape,
    },
    {
        .name = "DepthwiseConv2dNative",
        .summary = "Computes a 2-D depthwise convolution given 4-D input and filter tensors.",
        .inputs = arg_input_filter,
        .outputs = arg_output,
        .attrs = (const tfc_attr_def[]){{"T", TF_ATTR_TYPE, .allowed = DEPTHWISE_TYPES},
                                        STRIDES_ATTR,
                                        {"padding", TF_ATTR_STRING, .allowed_strings = padding3},
                                        EXPLICIT_PAD_ATTR,
                                        FORMAT_ATTR(formats2),
                                        DILATIONS_ATTR,
                                        {0}},
        .shape_fn = depthwise_shape,
    },
    {
        .name = "MaxPool",
        .summary = "Performs max pooling on the input.",
        .inputs = (const tfc_arg_def[]){{"input", .type_attr = "T"}, {0}},
        .outputs = arg_output,
        .attrs = (const tfc_attr_def[]){{"T", TF_ATTR_TYPE, .has_default = true, .dflt.type = TF_FLOAT,
                                         .allowed = MAXPOOL_TYPES},
                                        POOL_LIST_ATTR("ksize"),
                                        POOL_LIST_ATTR("strides"),
                                        {"padding", TF_ATTR_STRING, .allowed_strings = padding3},
                                        EXPLICIT_PAD_ATTR,
                                        FORMAT_ATTR(formats_maxpool),
                                        {0}},
        .shape_fn = maxpool_shape,
        .grad_fn = tfc_grad_max_pool,
    },
    {
        .name = "AvgPool",
        .summary = "Performs average pooling on the input.",
        .inputs = (const tfc_arg_def[]){{"value", .type_attr = "T"}, {0}},
        .outputs = arg_output,
        .attrs = (const tfc_attr_def[]){POOL_LIST_ATTR("ksize"),
                                        POOL_LIST_ATTR("strides"),
                                        {"padding", TF_ATTR_STRING, .allowed_strings = padding2},
                                        FORMAT_ATTR(formats2),
                                        {"T", TF_ATTR_TYPE, .allowed = TFC_TYPES_FLOAT},
                                        {0}},
        .shape_fn = avgpool_shape,
        .grad_fn = tfc_grad_avg_pool,
    },
    {
        .name = "MaxPoolGrad",
        .summary = "Computes gradients of the maxpooling function.",
        .inputs = (const tfc_arg_def[]){{"orig_input", .type_attr = "T"},
                                        {"orig_output", .type_attr = "T"},
                                        {"grad", .type_attr = "T"},
                                        {0}},
        .outputs = arg_output,
        .attrs = (const tfc_attr_def[]){POOL_LIST_ATTR("ksize"),
                                        POOL_LIST_ATTR("strides"),
                                        {"padding", TF_ATTR_STRING, .allowed_strings = padding3},
                                        EXPLICIT_PAD_ATTR,
                                        FORMAT_ATTR(formats2),
                                        {"T", TF_ATTR_TYPE, .has_default = true, .dflt.type = TF_FLOAT,
                                         .allowed = MAXPOOL_GRAD_TYPES},
                                        {0}},
        .shape_fn = maxpool_grad_shape,
    },
    {
        .name = "AvgPoolGrad",
        .summary = "Computes gradients of the average pooling function.",
        .inputs =
            (const tfc_arg_def[]){{"orig_input_shape", .type = TF_INT32}, {"grad", .type_attr = "T"}, {0}},
        .outputs = arg_output,
        .attrs = (const tfc_attr_def[]){POOL_LIST_ATTR("ksize"),
                                        POOL_LIST_ATTR("strides"),
                                        {"padding", TF_ATTR_STRING, .allowed_strings = padding2},
                                        FORMAT_ATTR(formats2),
                                        {"T", TF_ATTR_TYPE, .allowed = TFC_TYPES_FLOAT},
                                        {0}},
        .shape_fn = avgpool_grad_shape,
    },
    {
        .name = "FusedBatchNormV3",
        .summary = "Batch normalization.",
        .inputs = (const tfc_arg_def[]){{"x", .type_attr = "T"},
                                        {"scale", .type_attr = "U"},
                                        {"offset", .type_attr = "U"},
                                        {"mean", .type_attr = "U"},
                                        {"variance", .type_attr = "U"},
                                        {0}},
        .outputs = (const tfc_arg_def[]){{"y", .type_attr = "T"},
                                         {"batch_mean", .type_attr = "U"},
                                         {"batch_variance", .type_attr = "U"},
                                         {"reserve_space_1", .type_attr = "U"},
                                         {"reserve_space_2", .type_attr = "U"},
                                         {"reserve_space_3", .type_attr = "U"},
                                         {0}},
        .attrs = (const tfc_attr_def[]){{"T", TF_ATTR_TYPE, .allowed = BN_T_TYPES},
                                        {"U", TF_ATTR_TYPE, .allowed = BN_U_TYPES},
                                        {"epsilon", TF_ATTR_FLOAT, .has_default = true, .dflt.f = 0.0001f},
                                        {"exponential_avg_factor", TF_ATTR_FLOAT, .has_default = true,
                                         .dflt.f = 1.0f},
                                        FORMAT_ATTR(formats_bn),
                                        {"is_training", TF_ATTR_BOOL, .has_default = true, .dflt.b = true},
                                        {0}},
        .shape_fn = batchnorm_shape,
        .grad_fn = tfc_grad_fused_batch_norm,
    },
    {
        .name = "FusedBatchNormGradV3",
        .summary = "Gradient for batch normalization.",
        .inputs = (const tfc_arg_def[]){{"y_backprop", .type_attr = "T"},
                                        {"x", .type_attr = "T"},
                                        {"scale", .type = TF_FLOAT},
                                        {"reserve_space_1", .type_attr = "U"},
                                        {"reserve_space_2", .type_attr = "U"},
                                        {"reserve_space_3", .type_attr = "U"},
                                        {0}},
        .outputs = (const tfc_arg_def[]){{"x_backprop", .type_attr = "T"},
                                         {"scale_backprop", .type_attr = "U"},
                                         {"offset_backprop", .type_attr = "U"},
                                         {"reserve_space_4", .type_attr = "U"},
                                         {"reserve_space_5", .type_attr = "U"},
                                         {0}},
        .attrs = (const tfc_attr_def[]){{"T", TF_ATTR_TYPE, .allowed = BN_T_TYPES},
                                        {"U", TF_ATTR_TYPE, .allowed = TFC_TYPE_BIT(TF_FLOAT)},
                                        {"epsilon", TF_ATTR_FLOAT, .has_default = true, .dflt.f = 0.0001f},
                                        FORMAT_ATTR(formats_bn),
                                        {"is_training", TF_ATTR_BOOL, .has_default = true, .dflt.b = true},
                                        {0}},
        .shape_fn = batchnorm_grad_shape,
    },
    {0}};
