/* bias_check: see bias_check.h. */
#include "kernels/bias_check.h"

#include "core/shape.h"
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/tensor.h"

bool tfc_bias_add_check(tfc_kernel_ctx *k, bool nchw_attr, bool *nchw, int64_t *c, int64_t *inner)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0), *b = tfc_kernel_input(k, 1);
    char a[256], d[256];
    if (x->ndims < 2) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Input tensor must be at least 2D: %s",
                         tfc_dims_str(x->dims, x->ndims, a, sizeof a));
        return false;
    }
    if (b->ndims != 1) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Biases must be 1D: %s", tfc_dims_str(b->dims, b->ndims, a, sizeof a));
        return false;
    }
    *nchw = nchw_attr && x->ndims >= 3;
    int cd = *nchw ? 1 : x->ndims - 1;
    if (b->dims[0] != x->dims[cd]) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "Must provide as many biases as the %s dimension of the input tensor: %s vs. %s",
                         *nchw ? "channel" : "last", tfc_dims_str(b->dims, 1, a, sizeof a),
                         tfc_dims_str(x->dims, x->ndims, d, sizeof d));
        return false;
    }
    *c = x->dims[cd];
    *inner = 1;
    for (int i = cd + 1; i < x->ndims; i++) *inner *= x->dims[i]; /* divides nelems: no overflow */
    return true;
}

bool tfc_bias_add_grad_check(tfc_kernel_ctx *k, TF_DataType dtype, bool nchw_attr, int64_t *outer, int64_t *c,
                             int64_t *inner)
{
    if (k->n_inputs < 1 || k->n_outputs < 1) {
        tfc_kernel_error(k, TF_INTERNAL, "expected at least 1 inputs and an output");
        return false;
    }
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    if (x->dtype != dtype || k->output_types[0] != dtype) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input 0 has dtype %s, expected %s", tfc_dtype_name(x->dtype),
                         tfc_dtype_name(dtype));
        return false;
    }
    if (x->ndims < 2) {
        char a[256];
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Input tensor must be at least 2D: %s",
                         tfc_dims_str(x->dims, x->ndims, a, sizeof a));
        return false;
    }
    int cd = nchw_attr && x->ndims >= 3 ? 1 : x->ndims - 1;
    *c = x->dims[cd];
    *outer = *inner = 0;
    if (x->nelems == 0) return true; /* the products below could overflow next to a 0 dim */
    *outer = *inner = 1;
    for (int i = 0; i < cd; i++) *outer *= x->dims[i]; /* divide nelems: no overflow */
    for (int i = cd + 1; i < x->ndims; i++) *inner *= x->dims[i];
    return true;
}

TF_Code tfc_bias_add_grad_init(const tfc_kernel_init_ctx *c, const char *device, void **state)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    if (t != TF_FLOAT && t != TF_DOUBLE)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no %s kernel for dtype %s", device, tfc_dtype_name(t));
    tfc_bias_grad_params *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (tfc_bias_grad_params){ t, !strcmp(tfc_attrs_string(c->attrs, "data_format", "NHWC"), "NCHW") };
    *state = s;
    return TF_OK;
}
