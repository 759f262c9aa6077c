/* bias_check: see bias_check.h. */
#include "kernels/bias_check.h"

#include "core/shape.h"
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
