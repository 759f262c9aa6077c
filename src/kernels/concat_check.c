/* concat_check: ConcatV2's run-time checks (see concat_check.h). */
#include "kernels/concat_check.h"

#include <inttypes.h>
#include <string.h>

#include "core/shape.h"
#include "core/tensor.h"

static TF_Code read_axis(tfc_kernel_ctx *k, const TF_Tensor *t, int rank, int64_t *axis)
{
    if (t->nelems != 1 || (t->dtype != TF_INT32 && t->dtype != TF_INT64) || t->ndims > 1)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "axis must be a scalar int32 or int64");
    *axis =
        t->dtype == TF_INT32 ? *(const int32_t *)tfc_tensor_data(t) : *(const int64_t *)tfc_tensor_data(t);
    if (*axis < -rank || *axis >= rank)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "ConcatOp : Expected concatenating dimensions in the "
                                "range [%d, %d), but got %" PRId64, -rank, rank, *axis);
    if (*axis < 0) *axis += rank;
    return TF_OK;
}

/* Checks every input against input 0 (all dims but the axis) and sums the axis dims. */
static TF_Code check_dims(tfc_kernel_ctx *k, int n, int axis, int64_t *sum)
{
    const TF_Tensor *a = tfc_kernel_input(k, 0);
    *sum = 0;
    for (int i = 0; i < n; i++) {
        const TF_Tensor *b = tfc_kernel_input(k, i);
        char sa[256], sb[256];
        bool ok = b->ndims == a->ndims;
        for (int d = 0; ok && d < a->ndims; d++) ok = d == axis || a->dims[d] == b->dims[d];
        if (!ok)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                    "ConcatOp : Dimensions of inputs should match: "
                                    "shape[0] = %s vs. shape[%d] = %s",
                                    tfc_dims_str(a->dims, a->ndims, sa, sizeof sa), i,
                                    tfc_dims_str(b->dims, b->ndims, sb, sizeof sb));
        if (__builtin_add_overflow(*sum, b->dims[axis], sum))
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "ConcatOp : output dimension overflows");
    }
    return TF_OK;
}

bool tfc_concat_v2_check(tfc_kernel_ctx *k, int n, const TF_Tensor *axis_t, int64_t *axis, int64_t *dims)
{
    const TF_Tensor *first = tfc_kernel_input(k, 0);
    int64_t sum = 0;
    if (first->ndims == 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "ConcatOp : Can't concatenate scalars (use tf.stack instead)");
        return false;
    }
    if (read_axis(k, axis_t, first->ndims, axis) || check_dims(k, n, (int)*axis, &sum)) return false;
    memcpy(dims, first->dims, sizeof(int64_t) * (size_t)first->ndims);
    dims[*axis] = sum;
    return true;
}
