/* conv_check: see conv_check.h. */
#include "kernels/conv_check.h"

#include <string.h>

#include "core/shape.h"
#include "core/tensor.h"

TF_Code tfc_conv_parse(const tfc_kernel_init_ctx *c, bool nchw_supported, tfc_conv_params *p)
{
    const int64_t *st, *dl, *ep = NULL;
    int ns = tfc_attrs_int_list(c->attrs, "strides", &st), nd = tfc_attrs_int_list(c->attrs, "dilations", &dl);
    int ne = tfc_attrs_int_list(c->attrs, "explicit_paddings", &ep);
    const char *pad = tfc_attrs_string(c->attrs, "padding", "VALID");
    const char *fmt = tfc_attrs_string(c->attrs, "data_format", "NHWC");
    bool nchw = !strcmp(fmt, "NCHW");
    if (!(nchw && nchw_supported) && strcmp(fmt, "NHWC"))
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED,
                                     "The %s op currently only supports the NHWC tensor format on the CPU. "
                                     "The op was given the format: %s",
                                     c->op_type, fmt);
    int hi = nchw ? 2 : 1, wi = nchw ? 3 : 2, ci = nchw ? 1 : 3; /* H, W, C in strides and dilations */
    if (ns != 4 || nd != 4 || st[0] != 1 || st[ci] != 1 || dl[0] != 1 || dl[ci] != 1)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT,
                                     "strides and dilations must have 4 entries, "
                                     "1 in the batch and depth dimensions");
    if (!strcmp(c->op_type, "DepthwiseConv2dNative") && (dl[hi] != 1 || dl[wi] != 1))
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED,
                                     "Current kernel implementation does not support "
                                     "dilations, received [%lld %lld %lld %lld]",
                                     (long long)dl[0], (long long)dl[1], (long long)dl[2], (long long)dl[3]);
    tfc_conv_params s = {.pad_mode = !strcmp(pad, "SAME")       ? TFC_CONV_PAD_SAME
                                     : !strcmp(pad, "EXPLICIT") ? TFC_CONV_PAD_EXPLICIT
                                                                : TFC_CONV_PAD_VALID,
                         .nchw = nchw,
                         .sh = st[hi],
                         .sw = st[wi],
                         .dh = dl[hi],
                         .dw = dl[wi]};
    if (s.pad_mode == TFC_CONV_PAD_EXPLICIT) {
        if (ne != 8) return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "explicit_paddings must have 8 entries");
        s.pt = ep[2 * hi], s.pb = ep[2 * hi + 1], s.pl = ep[2 * wi], s.pr = ep[2 * wi + 1];
    }
    int64_t lim = INT32_MAX;
    if (s.sh <= 0 || s.sw <= 0 || s.dh <= 0 || s.dw <= 0 || s.sh > lim || s.sw > lim || s.dh > lim || s.dw > lim ||
        s.pt < 0 || s.pb < 0 || s.pl < 0 || s.pr < 0 || s.pt > lim || s.pb > lim || s.pl > lim || s.pr > lim)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT,
                                     "strides and dilations must be in [1, 2^31), paddings in [0, 2^31)");
    *p = s;
    return TF_OK;
}

/* TensorFlow's GetWindowedOutputSize for one dim; all values below 2^31, so no overflow. */
static bool window(const tfc_conv_params *p, int64_t in, int64_t k, int64_t d, int64_t st, int64_t eb, int64_t ea,
                   int64_t *out, int64_t *pad_before, int64_t *pad_after)
{
    int64_t eff = (k - 1) * d + 1;
    if (p->pad_mode == TFC_CONV_PAD_SAME) {
        *out = (in + st - 1) / st;
        int64_t need = (*out - 1) * st + eff - in;
        *pad_before = need > 0 ? need / 2 : 0;
        *pad_after = need > 0 ? need - *pad_before : 0;
    } else if (p->pad_mode == TFC_CONV_PAD_EXPLICIT) {
        *out = (in + eb + ea - eff + st) / st;
        *pad_before = eb, *pad_after = ea;
    } else {
        *out = (in - eff + st) / st;
        *pad_before = *pad_after = 0;
    }
    return *out >= 0;
}

/* The groups of a convolution of input depth c by a filter of depth cg and k outputs. */
static bool check_groups(tfc_kernel_ctx *k, tfc_conv_geom *g)
{
    if (g->c < g->cg) { /* zero groups: the group check below would divide by zero */
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input depth must be at least the filter depth: %lld vs %lld",
                         (long long)g->c, (long long)g->cg);
        return false;
    }
    if (g->c % g->cg) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "input depth must be evenly divisible by filter depth: "
                         "%lld vs %lld",
                         (long long)g->c, (long long)g->cg);
        return false;
    }
    g->groups = g->c / g->cg;
    if (g->k % g->groups) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "output depth must be evenly divisible by number of "
                         "groups: %lld vs %lld",
                         (long long)g->k, (long long)g->groups);
        return false;
    }
    return true;
}

/* Checks the dims of input (id, in p's format) and filter and computes the output geometry. */
static bool check_dims(tfc_kernel_ctx *k, const tfc_conv_params *p, bool depthwise, const int64_t *id, int ind,
                       const int64_t *fdims, int fnd, tfc_conv_geom *g)
{
    char a[256], b[256];
    if (ind != 4 || fnd != 4) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input and filter must be 4-dimensional: %s and %s",
                         tfc_dims_str(id, ind, a, sizeof a), tfc_dims_str(fdims, fnd, b, sizeof b));
        return false;
    }
    for (int i = 0; i < 4; i++)
        if (id[i] < 0 || fdims[i] < 0 || id[i] > INT32_MAX || fdims[i] > INT32_MAX) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input or filter dims too large or negative: %s and %s",
                             tfc_dims_str(id, 4, a, sizeof a), tfc_dims_str(fdims, 4, b, sizeof b));
            return false;
        }
    int hi = p->nchw ? 2 : 1, wi = p->nchw ? 3 : 2, ci = p->nchw ? 1 : 3;
    *g = (tfc_conv_geom){.n = id[0],
                         .ih = id[hi],
                         .iw = id[wi],
                         .c = id[ci],
                         .kh = fdims[0],
                         .kw = fdims[1],
                         .cg = fdims[2],
                         .k = fdims[3],
                         .groups = 1};
    if (g->kh == 0 || g->kw == 0 || g->cg == 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "filter must not have zero elements (i.e. all dimensions "
                         "must be non-zero), got %s",
                         tfc_dims_str(fdims, 4, b, sizeof b));
        return false;
    }
    if (depthwise && g->c != g->cg) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input and filter must have the same depth: %lld vs %lld",
                         (long long)g->c, (long long)g->cg);
        return false;
    }
    if (!depthwise && !check_groups(k, g)) return false;
    if (!window(p, g->ih, g->kh, p->dh, p->sh, p->pt, p->pb, &g->oh, &g->pad_top, &g->pad_bottom) ||
        !window(p, g->iw, g->kw, p->dw, p->sw, p->pl, p->pr, &g->ow, &g->pad_left, &g->pad_right)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "Computed output size would be negative (input %s, "
                         "filter %s)",
                         tfc_dims_str(id, 4, a, sizeof a), tfc_dims_str(fdims, 4, b, sizeof b));
        return false;
    }
    return true;
}

bool tfc_conv_check(tfc_kernel_ctx *k, const tfc_conv_params *p, bool depthwise, tfc_conv_geom *g)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0), *f = tfc_kernel_input(k, 1);
    return check_dims(k, p, depthwise, in->dims, in->ndims, f->dims, f->ndims, g);
}

void tfc_conv_image_dims(const tfc_conv_params *p, int64_t n, int64_t h, int64_t w, int64_t c, int64_t dims[4])
{
    dims[0] = n;
    dims[p->nchw ? 2 : 1] = h;
    dims[p->nchw ? 3 : 2] = w;
    dims[p->nchw ? 1 : 3] = c;
}

/* Reads the int32 shape vector of input i (input_sizes, filter_sizes) into dims[4]. */
static bool read_sizes(tfc_kernel_ctx *k, int i, const char *what, int64_t dims[4])
{
    const TF_Tensor *t = tfc_kernel_input(k, i);
    if (t->ndims != 1 || t->nelems != 4) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "%s: %s must be a vector of 4 values, got %d dims and %lld "
                         "values",
                         k->op_type, what, t->ndims, (long long)t->nelems);
        return false;
    }
    const int32_t *v = tfc_tensor_data(t);
    for (int d = 0; d < 4; d++) dims[d] = v[d];
    return true;
}

bool tfc_conv_backprop_check(tfc_kernel_ctx *k, const tfc_conv_params *p, bool filter_grad, tfc_conv_geom *g)
{
    const TF_Tensor *other = tfc_kernel_input(k, filter_grad ? 0 : 1), *dy = tfc_kernel_input(k, 2);
    int64_t sizes[4];
    if (!read_sizes(k, filter_grad ? 1 : 0, filter_grad ? "filter_sizes" : "input_sizes", sizes)) return false;
    bool ok = filter_grad ? check_dims(k, p, false, other->dims, other->ndims, sizes, 4, g)
                          : check_dims(k, p, false, sizes, 4, other->dims, other->ndims, g);
    if (!ok) return false;
    int64_t want[4];
    tfc_conv_image_dims(p, g->n, g->oh, g->ow, g->k, want);
    char a[256], b[256];
    if (dy->ndims != 4 || memcmp(dy->dims, want, sizeof want)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "%s: out_backprop has shape %s but the convolution's output "
                         "is %s",
                         k->op_type, tfc_dims_str(dy->dims, dy->ndims, a, sizeof a),
                         tfc_dims_str(want, 4, b, sizeof b));
        return false;
    }
    return true;
}
