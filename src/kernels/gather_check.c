/* gather_check: GatherV2's run-time checks (see gather_check.h). */
#include "kernels/gather_check.h"

#include <inttypes.h>
#include <stdio.h>

#include "core/tensor.h"

static int64_t product(const int64_t *dims, int from, int to)
{
    int64_t p = 1;
    for (int i = from; i < to; i++) p *= dims[i]; /* sub-products of a valid tensor's dims cannot overflow */
    return p;
}

/* Resolves axis and batch_dims with TensorFlow's checks. */
static TF_Code gather_axes(tfc_kernel_ctx *k, const TF_Tensor *params, const TF_Tensor *indices,
                           int64_t *axis, int64_t *bd)
{
    const TF_Tensor *a = tfc_kernel_input(k, 2);
    if (a->ndims != 0 || (a->dtype != TF_INT32 && a->dtype != TF_INT64))
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "axis must be an int32 or int64 scalar");
    if (params->ndims < 1)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "params must be at least 1 dimensional");
    *axis = tfc_index_at(a, 0);
    if (*axis < -params->ndims || *axis >= params->ndims)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                "Expected axis in the range [%d, %d), but got %" PRId64, -params->ndims,
                                params->ndims, *axis);
    if (*axis < 0) *axis += params->ndims;
    *bd = (int64_t)(intptr_t)tfc_kernel_state(k);
    if (*bd == 0) return TF_OK;
    if (*bd < -indices->ndims || *bd > indices->ndims)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                "Expected batch_dims in the range [%d, %d], but got %" PRId64,
                                -indices->ndims, indices->ndims, *bd);
    if (*bd < 0) *bd += indices->ndims;
    if (*bd >= params->ndims)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                "batch_dims (%" PRId64 ") must be less than rank(params) (%d).", *bd,
                                params->ndims);
    if (*axis < *bd)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                "batch_dims (%" PRId64 ") must be less than or equal to axis (%" PRId64 ").",
                                *bd, *axis);
    for (int i = 0; i < *bd; i++)
        if (params->dims[i] != indices->dims[i])
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                    "params.shape[%d]: %" PRId64
                                    " should be equal to indices.shape[%d]: %" PRId64,
                                    i, params->dims[i], i, indices->dims[i]);
    return TF_OK;
}

/* Finds the first index outside [0, n) and reports it with its position in indices. */
static TF_Code gather_check_indices(tfc_kernel_ctx *k, const TF_Tensor *indices, int64_t n)
{
    for (int64_t i = 0; i < indices->nelems; i++) {
        int64_t v = tfc_index_at(indices, i);
        if (v >= 0 && v < n) continue;
        char pos[TFC_MAX_RANK * 22 + 3] = "";
        int64_t rest = i, coord[TFC_MAX_RANK];
        for (int d = indices->ndims - 1; d >= 0; d--)
            coord[d] = rest % indices->dims[d], rest /= indices->dims[d];
        size_t len = 0;
        for (int d = 0; d < indices->ndims; d++)
            len += (size_t)snprintf(pos + len, sizeof pos - len, "%s%" PRId64, d ? "," : "[", coord[d]);
        if (indices->ndims) snprintf(pos + len, sizeof pos - len, "]");
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "indices%s = %" PRId64 " is not in [0, %" PRId64 ")",
                                pos, v, n);
    }
    return TF_OK;
}

TF_Code tfc_gather_init(const tfc_kernel_init_ctx *c, void **state)
{
    int64_t bd = tfc_attrs_int(c->attrs, "batch_dims", 0);
    if (bd < -TFC_MAX_RANK || bd > TFC_MAX_RANK)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "batch_dims %" PRId64 " is out of range", bd);
    *state = (void *)(intptr_t)bd;
    return TF_OK;
}

bool tfc_gather_check(tfc_kernel_ctx *k, tfc_gather_geom *g)
{
    const TF_Tensor *params = tfc_kernel_input(k, 0), *indices = tfc_kernel_input(k, 1);
    int64_t axis = 0, bd = 0;
    if (!tfc_is_index_type(indices->dtype)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "indices must be int16, int32 or int64");
        return false;
    }
    if (gather_axes(k, params, indices, &axis, &bd)) return false;
    int rank = params->ndims + indices->ndims - 1 - (int)bd, o = 0;
    if (rank > TFC_MAX_RANK) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "output rank %d exceeds %d", rank, TFC_MAX_RANK);
        return false;
    }
    g->rank = rank;
    for (int i = 0; i < axis; i++) g->dims[o++] = params->dims[i];
    for (int i = (int)bd; i < indices->ndims; i++) g->dims[o++] = indices->dims[i];
    for (int i = (int)axis + 1; i < params->ndims; i++) g->dims[o++] = params->dims[i];
    g->batch = product(params->dims, 0, (int)bd);
    g->outer = product(params->dims, (int)bd, (int)axis);
    g->gather = params->dims[axis];
    g->inner = product(params->dims, (int)axis + 1, params->ndims);
    g->nidx = product(indices->dims, (int)bd, indices->ndims);
    int64_t units = g->batch * g->outer * g->nidx; /* output elements / inner: cannot overflow */
    return !(units > 0 && g->inner > 0 && gather_check_indices(k, indices, g->gather));
}
