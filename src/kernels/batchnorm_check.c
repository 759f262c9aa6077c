/* batchnorm_check: see batchnorm_check.h. */
#include "kernels/batchnorm_check.h"

#include <string.h>

#include "core/alloc.h"
#include "core/shape.h"
#include "core/tensor.h"

TF_Code tfc_bn_init(const tfc_kernel_init_ctx *c, void **state)
{
    tfc_bn_params *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    const char *fmt = tfc_attrs_string(c->attrs, "data_format", "NHWC");
    s->epsilon = tfc_attrs_float(c->attrs, "epsilon", 0.0001f);
    s->factor = tfc_attrs_float(c->attrs, "exponential_avg_factor", 1.0f);
    s->training = tfc_attrs_bool(c->attrs, "is_training", true);
    s->channels_first = fmt[0] && fmt[1] == 'C';
    s->rank = strlen(fmt) == 5 ? 5 : 4;
    *state = s;
    return TF_OK;
}

/* The [outer, C, inner] view of x (rank checked by the caller). */
static void bn_view(const TF_Tensor *x, const tfc_bn_params *s, int64_t *outer, int64_t *c, int64_t *inner)
{
    int cd = s->channels_first ? 1 : s->rank - 1;
    *c = x->dims[cd];
    *outer = x->dims[0], *inner = 1;
    for (int i = 1; i < s->rank; i++) {
        if (i == cd) continue;
        if (s->channels_first) *inner *= x->dims[i];
        else *outer *= x->dims[i];
    }
}

/* Checks parameter vector i of k, called name: float like x, 1-D, and, when must_match, of c
 * elements (the message then starts with why). */
static bool bn_check_vector(tfc_kernel_ctx *k, const TF_Tensor *x, int i, const char *name, bool must_match,
                            const char *why, int64_t c)
{
    const TF_Tensor *p = tfc_kernel_input(k, i);
    char buf[256];
    if (p->dtype != TF_FLOAT || x->dtype != TF_FLOAT) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "only T = U = float is supported on %s, got %s and %s", k->device->type,
                         tfc_dtype_name(x->dtype), tfc_dtype_name(p->dtype));
        return false;
    }
    if (p->ndims != 1) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s must be 1-dimensional, got %s", name,
                         tfc_dims_str(p->dims, p->ndims, buf, sizeof buf));
        return false;
    }
    if (must_match && p->dims[0] != c) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "%s%s must have the same number of elements as the channels of x, got %lld and %lld", why,
                         name, (long long)p->dims[0], (long long)c);
        return false;
    }
    return true;
}

bool tfc_bn_check(tfc_kernel_ctx *k, const tfc_bn_params *s, int64_t *outer, int64_t *c, int64_t *inner)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    char buf[256];
    if (x->ndims != s->rank) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input must be %d-dimensional, got %s", s->rank,
                         tfc_dims_str(x->dims, x->ndims, buf, sizeof buf));
        return false;
    }
    bn_view(x, s, outer, c, inner);
    static const char *const names[] = {"scale", "offset", "mean", "variance"};
    bool use_stats = !s->training || s->factor != 1.0f;
    const char *why = s->training ? "When exponential_avg_factor != 1, " : "When is_training=false, ";
    for (int i = 1; i < 5; i++)
        if (!bn_check_vector(k, x, i, names[i - 1], i < 3 || use_stats, i < 3 ? "" : why, *c)) return false;
    return true;
}

bool tfc_bn_grad_check(tfc_kernel_ctx *k, const tfc_bn_params *s, int64_t *outer, int64_t *c, int64_t *inner)
{
    const TF_Tensor *dy = tfc_kernel_input(k, 0), *x = tfc_kernel_input(k, 1);
    char buf[256], buf2[256];
    if (x->ndims != s->rank || dy->ndims != s->rank) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input must be %d-dimensional, got %s", s->rank,
                         tfc_dims_str(x->ndims != s->rank ? x->dims : dy->dims,
                                      x->ndims != s->rank ? x->ndims : dy->ndims, buf, sizeof buf));
        return false;
    }
    if (memcmp(x->dims, dy->dims, sizeof *x->dims * (size_t)x->ndims) != 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "x and y_backprop must have same shape, but x has shape %s and y_backprop has shape %s",
                         tfc_dims_str(x->dims, x->ndims, buf, sizeof buf),
                         tfc_dims_str(dy->dims, dy->ndims, buf2, sizeof buf2));
        return false;
    }
    if (!s->training && s->channels_first) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "The implementation of FusedBatchNormGrad with "
                                                 "is_training=False only support NHWC tensor format for now.");
        return false;
    }
    bn_view(x, s, outer, c, inner);
    static const char *const names[] = {"scale", "reserve_space_1", "reserve_space_2"};
    for (int i = 2; i < 5; i++)
        if (!bn_check_vector(k, x, i, names[i - 2], true, "", *c)) return false;
    return true;
}
