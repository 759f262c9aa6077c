/* array_build_check: see array_build_check.h. */
#include "kernels/array_build_check.h"

#include <inttypes.h>

#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/gather_check.h"

TF_Code tfc_check_int_vector(tfc_kernel_ctx *k, const TF_Tensor *t, const char *what, int64_t max)
{
    char buf[256];
    if (t->ndims != 1)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s must be a vector, got shape %s", what,
                                tfc_dims_str(t->dims, t->ndims, buf, sizeof buf));
    if (t->dtype != TF_INT32 && t->dtype != TF_INT64)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s must be int32 or int64", what);
    if (t->dims[0] > max)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s has %" PRId64 " entries, more than %" PRId64,
                                what, t->dims[0], max);
    return TF_OK;
}

TF_Code tfc_check_scalar(tfc_kernel_ctx *k, const TF_Tensor *t, TF_DataType dtype, const char *what, bool vec_ok)
{
    char buf[256];
    if (!(t->ndims == 0 || (vec_ok && t->ndims == 1 && t->dims[0] == 1)))
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s must be a scalar, not shape %s", what,
                                tfc_dims_str(t->dims, t->ndims, buf, sizeof buf));
    if (t->dtype != dtype)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s has dtype %s, expected %s", what,
                                tfc_dtype_name(t->dtype), tfc_dtype_name(dtype));
    return TF_OK;
}

bool tfc_fill_check(tfc_kernel_ctx *k, int64_t *dims, int *rank)
{
    const TF_Tensor *dims_t = tfc_kernel_input(k, 0), *value = tfc_kernel_input(k, 1);
    if (tfc_check_int_vector(k, dims_t, "dims", TFC_MAX_RANK)) return false;
    if (tfc_check_scalar(k, value, k->output_types[0], "value", false)) return false;
    *rank = (int)dims_t->dims[0];
    for (int i = 0; i < *rank; i++) {
        dims[i] = tfc_int_at(dims_t, i);
        if (dims[i] < 0) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Dimension %" PRId64 " must be >= 0", dims[i]);
            return false;
        }
    }
    return true;
}

TF_Code tfc_one_hot_init(const tfc_kernel_init_ctx *c, void **state)
{
    int64_t axis = tfc_attrs_int(c->attrs, "axis", -1);
    if (axis < -1 || axis > TFC_MAX_RANK)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT,
                                     "Expected axis to be -1 or between [0, %d).  But received: %" PRId64,
                                     TFC_MAX_RANK, axis);
    *state = (void *)(intptr_t)axis;
    return TF_OK;
}

bool tfc_one_hot_check(tfc_kernel_ctx *k, int64_t *dims, int *rank, int64_t *depth, int64_t *suffix)
{
    const TF_Tensor *idx = tfc_kernel_input(k, 0), *depth_t = tfc_kernel_input(k, 1);
    const TF_Tensor *on = tfc_kernel_input(k, 2), *off = tfc_kernel_input(k, 3);
    int64_t axis = (int64_t)(intptr_t)tfc_kernel_state(k);
    if (depth_t->ndims != 0 || depth_t->dtype != TF_INT32 || on->ndims != 0 || off->ndims != 0 ||
        on->dtype != k->output_types[0] || off->dtype != k->output_types[0] || !tfc_is_index_type(idx->dtype)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "depth, on_value and off_value must be scalars");
        return false;
    }
    if (axis != -1 && (axis < 0 || axis > idx->ndims)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "Expected axis to be -1 or between [0, %d).  But received: %" PRId64, idx->ndims + 1,
                         axis);
        return false;
    }
    *depth = *(const int32_t *)tfc_tensor_data(depth_t);
    if (*depth < 0 || idx->ndims + 1 > TFC_MAX_RANK) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "depth must be non-negative, got: %" PRId64, *depth);
        return false;
    }
    int a = axis < 0 ? idx->ndims : (int)axis;
    for (int i = 0, o = 0; i <= idx->ndims; i++) {
        if (i == a) dims[o++] = *depth;
        if (i < idx->ndims) dims[o++] = idx->dims[i];
    }
    *rank = idx->ndims + 1;
    *suffix = 1;
    for (int i = a; i < idx->ndims; i++) *suffix *= idx->dims[i]; /* divides nelems: no overflow */
    return true;
}

bool tfc_tile_check(tfc_kernel_ctx *k, int64_t *dims)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0), *m = tfc_kernel_input(k, 1);
    if (tfc_check_int_vector(k, m, "multiples", TFC_MAX_RANK)) return false;
    if (m->dims[0] != in->ndims) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "Expected multiples argument to be a vector of length %d but got length %" PRId64,
                         in->ndims, m->dims[0]);
        return false;
    }
    for (int i = 0; i < in->ndims; i++) {
        int64_t mult = tfc_int_at(m, i);
        if (mult < 0) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Expected multiples[%d] >= 0, but got %" PRId64, i, mult);
            return false;
        }
        if (!tfc_mul_checked_i64(in->dims[i], mult, &dims[i])) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "output dim %d (%" PRId64 " * %" PRId64 ") overflows", i,
                             in->dims[i], mult);
            return false;
        }
    }
    return true;
}

bool tfc_broadcast_to_check(tfc_kernel_ctx *k, int64_t *dims, int *rank, int64_t *in_dims)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0), *s = tfc_kernel_input(k, 1);
    if (tfc_check_int_vector(k, s, "shape", TFC_MAX_RANK)) return false;
    *rank = (int)s->dims[0];
    char a[256], b[256];
    for (int i = 0; i < *rank; i++) {
        dims[i] = tfc_int_at(s, i);
        if (dims[i] < 0) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Dimension %" PRId64 " must be >= 0", dims[i]);
            return false;
        }
    }
    bool ok = in->ndims <= *rank;
    for (int i = 0; ok && i < *rank; i++) {
        int j = i - (*rank - in->ndims);
        in_dims[i] = j >= 0 ? in->dims[j] : 1;
        ok = in_dims[i] == dims[i] || in_dims[i] == 1;
    }
    if (!ok)
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Unable to broadcast tensor of shape %s to tensor of shape %s",
                         tfc_dims_str(in->dims, in->ndims, a, sizeof a), tfc_dims_str(dims, *rank, b, sizeof b));
    return ok;
}
