/* pool_check: see pool_check.h. */
#include "kernels/pool_check.h"

#include <string.h>

#include "core/alloc.h"
#include "core/shape.h"
#include "core/tensor.h"

/* Checks the data format; sets p->nchw. */
static TF_Code pool_format(const tfc_kernel_init_ctx *c, bool nchw_supported, tfc_pool_params *p)
{
    const char *fmt = tfc_attrs_string(c->attrs, "data_format", "NHWC");
    bool is_max = !strncmp(c->op_type, "MaxPool", 7);
    p->nchw = !strcmp(fmt, "NCHW");
    if (!nchw_supported && strcmp(fmt, "NHWC"))
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "Default %s only supports NHWC on device type CPU",
                                     is_max ? "MaxPoolingOp" : "AvgPoolingOp");
    if (strcmp(fmt, "NHWC") && !p->nchw)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "%s pooling is not supported on %s", fmt,
                                     c->device->type);
    return TF_OK;
}

/* The checks of the window sizes, strides and paddings; sd is the depth stride. */
static TF_Code pool_window_checks(const tfc_kernel_init_ctx *c, const tfc_pool_params *s, int64_t sd)
{
    bool is_max = !strncmp(c->op_type, "MaxPool", 7);
    int64_t lim = INT32_MAX;
    if (s->kh <= 0 || s->kw <= 0 || s->kd <= 0 || s->kh > lim || s->kw > lim || s->kd > lim)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "Sliding window ksize must be positive.");
    if (s->sh <= 0 || s->sw <= 0 || sd <= 0 || s->sh > lim || s->sw > lim)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "Stride must be > 0");
    if (s->pt < 0 || s->pb < 0 || s->pl < 0 || s->pr < 0 || s->pt > lim || s->pb > lim || s->pl > lim ||
        s->pr > lim)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "All explicit paddings must be nonnegative");
    if ((s->kd != 1 || sd != 1) && !strcmp(c->op_type, "MaxPoolGrad"))
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED,
                                     "MaxPoolingGrad is not yet supported on the depth dimension.");
    if (s->kd != 1 || sd != 1) {
        if (!is_max)
            return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "Non-spatial pooling is not yet supported.");
        if (s->kh != 1 || s->kw != 1 || s->kd != sd)
            return tfc_kernel_init_error(c, TF_UNIMPLEMENTED,
                                         "Depthwise max pooling requires no spatial "
                                         "pooling and the depth window equal to the depth stride");
    }
    return TF_OK;
}

TF_Code tfc_pool_init(const tfc_kernel_init_ctx *c, bool nchw_supported, void **state)
{
    const int64_t *ks, *st, *ep = NULL;
    int nk = tfc_attrs_int_list(c->attrs, "ksize", &ks), ns = tfc_attrs_int_list(c->attrs, "strides", &st);
    int ne = tfc_attrs_int_list(c->attrs, "explicit_paddings", &ep);
    const char *pad = tfc_attrs_string(c->attrs, "padding", "VALID");
    tfc_pool_params s = {0};
    TF_Code rc = pool_format(c, nchw_supported, &s);
    if (rc) return rc;
    if (nk != 4)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "Sliding window ksize field must specify 4 dimensions");
    if (ns != 4)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "Sliding window stride field must specify 4 dimensions");
    if (ks[0] != 1 || st[0] != 1)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "Pooling is not yet supported on the batch dimension.");
    int hi = s.nchw ? 2 : 1, wi = s.nchw ? 3 : 2, ci = s.nchw ? 1 : 3; /* H, W, C in ksize and strides */
    s.pad_mode = !strcmp(pad, "SAME") ? TFC_PAD_SAME : !strcmp(pad, "EXPLICIT") ? TFC_PAD_EXPLICIT : TFC_PAD_VALID;
    s.kh = ks[hi], s.kw = ks[wi], s.kd = ks[ci], s.sh = st[hi], s.sw = st[wi];
    if (s.pad_mode == TFC_PAD_EXPLICIT) {
        if (ne != 8) return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "explicit_paddings must have 8 entries");
        s.pt = ep[2 * hi], s.pb = ep[2 * hi + 1], s.pl = ep[2 * wi], s.pr = ep[2 * wi + 1];
    }
    rc = pool_window_checks(c, &s, st[ci]);
    if (rc) return rc;
    tfc_pool_params *p = tfc_malloc(sizeof *p);
    if (!p) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *p = s;
    *state = p;
    return TF_OK;
}

/* TensorFlow's GetWindowedOutputSize; values are below 2^31 (checked), so no overflow. */
static bool window(int mode, int64_t in, int64_t k, int64_t st, int64_t eb, int64_t ea, int64_t *out,
                   int64_t *pad_before)
{
    if (mode == TFC_PAD_SAME) {
        *out = (in + st - 1) / st;
        int64_t need = (*out - 1) * st + k - in;
        *pad_before = need > 0 ? need / 2 : 0;
    } else if (mode == TFC_PAD_EXPLICIT) {
        *out = (in + eb + ea - k + st) / st;
        *pad_before = eb;
    } else {
        *out = (in - k + st) / st;
        *pad_before = 0;
    }
    return *out >= 0;
}

/* Sets g's input sizes from dims (in the data format's order) and its spatial output sizes. */
static bool pool_windows(tfc_kernel_ctx *k, const tfc_pool_params *p, const int64_t dims[4], tfc_pool_geom *g)
{
    g->n = dims[0];
    g->c = g->oc = dims[p->nchw ? 1 : 3];
    g->ih = dims[p->nchw ? 2 : 1];
    g->iw = dims[p->nchw ? 3 : 2];
    if (!window(p->pad_mode, g->ih, p->kh, p->sh, p->pt, p->pb, &g->oh, &g->pad_top) ||
        !window(p->pad_mode, g->iw, p->kw, p->sw, p->pl, p->pr, &g->ow, &g->pad_left)) {
        char buf[256];
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Computed output size would be negative (input %s)",
                         tfc_dims_str(dims, 4, buf, sizeof buf));
        return false;
    }
    return true;
}

bool tfc_pool_check(tfc_kernel_ctx *k, const tfc_pool_params *p, tfc_pool_geom *g)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    char buf[256];
    if (in->ndims != 4) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input must be 4-dimensional, got %s",
                         tfc_dims_str(in->dims, in->ndims, buf, sizeof buf));
        return false;
    }
    for (int i = 1; i < 4; i++)
        if (in->dims[i] > INT32_MAX) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input dims too large: %s",
                             tfc_dims_str(in->dims, 4, buf, sizeof buf));
            return false;
        }
    if (p->kd == 1) return pool_windows(k, p, in->dims, g);
    tfc_pool_geom d = {.n = in->dims[0], .c = in->dims[p->nchw ? 1 : 3]};
    d.ih = d.oh = in->dims[p->nchw ? 2 : 1];
    d.iw = d.ow = in->dims[p->nchw ? 3 : 2];
    if (d.c % p->kd) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED,
                         "Depthwise max pooling requires the depth window to evenly divide the input depth");
        return false;
    }
    d.oc = d.c / p->kd;
    *g = d;
    return true;
}

/* The input dims of a pooling gradient: orig_input's (MaxPoolGrad) or orig_input_shape's values. */
static bool pool_grad_in_dims(tfc_kernel_ctx *k, bool is_max, int64_t dims[4])
{
    const TF_Tensor *t = tfc_kernel_input(k, 0);
    char buf[256];
    if (is_max) {
        if (t->ndims != 4) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "orig_input must be 4-dimensional, got %s",
                             tfc_dims_str(t->dims, t->ndims, buf, sizeof buf));
            return false;
        }
        memcpy(dims, t->dims, 4 * sizeof *dims);
    } else {
        if (t->ndims != 1 || t->nelems != 4) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "orig_input_shape must be 1-dimensional and 4 elements");
            return false;
        }
        for (int i = 0; i < 4; i++) dims[i] = ((const int32_t *)tfc_tensor_data(t))[i];
    }
    for (int i = 0; i < 4; i++)
        if (dims[i] < 0 || dims[i] > INT32_MAX) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input dims out of range: %s",
                             tfc_dims_str(dims, 4, buf, sizeof buf));
            return false;
        }
    return true;
}

bool tfc_pool_grad_check(tfc_kernel_ctx *k, const tfc_pool_params *p, tfc_pool_geom *g, int64_t in_dims[4])
{
    bool is_max = !strcmp(k->op_type, "MaxPoolGrad");
    if (!pool_grad_in_dims(k, is_max, in_dims) || !pool_windows(k, p, in_dims, g)) return false;
    int64_t want[4];
    tfc_pool_out_dims(p, g, want);
    char a[256], b[256];
    for (int i = 1; i <= (is_max ? 2 : 1); i++) {
        const TF_Tensor *t = tfc_kernel_input(k, i);
        if (t->ndims != 4 || memcmp(t->dims, want, sizeof want)) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s has shape %s but the pooled output is %s",
                             i == 1 && is_max ? "orig_output" : "grad", tfc_dims_str(t->dims, t->ndims, a, sizeof a),
                             tfc_dims_str(want, 4, b, sizeof b));
            return false;
        }
    }
    return true;
}

void tfc_pool_out_dims(const tfc_pool_params *p, const tfc_pool_geom *g, int64_t dims[4])
{
    dims[0] = g->n;
    dims[p->nchw ? 1 : 3] = g->oc;
    dims[p->nchw ? 2 : 1] = g->oh;
    dims[p->nchw ? 3 : 2] = g->ow;
}
