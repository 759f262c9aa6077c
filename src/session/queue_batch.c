/* queue_batch: moving tensors between batches and queue elements (see queue.h) — EnqueueMany
 * slices a batch into rows, DequeueMany / DequeueUpTo stack rows into a batch, padding them for
 * PaddingFIFOQueue. Elements move as bytes; TF_STRING elements are copied string by string. */
#include <string.h>

#include "core/dtype.h"
#include "session/queue.h"
#include "tfc/tstring.h"

/* Copies count elements of dtype dt from src[src_at] to dst[dst_at] (element indices). */
static TF_Code copy_elems(TF_DataType dt, void *dst, int64_t dst_at, const void *src, int64_t src_at, int64_t count,
                          TF_Status *st)
{
    if (count <= 0) return TF_OK;
    if (dt != TF_STRING) {
        size_t es = tfc_dtype_elem_size(dt);
        memcpy((char *)dst + (size_t)dst_at * es, (const char *)src + (size_t)src_at * es, (size_t)count * es);
        return TF_OK;
    }
    TF_TString *d = (TF_TString *)dst + dst_at;
    const TF_TString *s = (const TF_TString *)src + src_at;
    for (int64_t i = 0; i < count; i++) {
        size_t len = TF_TString_GetSize(&s[i]);
        char *p = TF_TString_ResizeUninitialized(&d[i], len);
        if (!p) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory copying a %zu-byte string", len);
        if (len) memcpy(p, TF_TString_GetDataPointer(&s[i]), len);
    }
    return TF_OK;
}

TF_Code tfc_queue_slice_row(const TF_Tensor *batch, int64_t i, TF_Tensor **out, TF_Status *st)
{
    *out = NULL;
    TF_Tensor *t = NULL;
    TF_Code rc = tfc_tensor_new(batch->dtype, batch->dims + 1, batch->ndims - 1, &t, st, "queue element");
    if (rc) return rc;
    rc = copy_elems(batch->dtype, tfc_tensor_data(t), 0, tfc_tensor_data(batch), i * t->nelems, t->nelems, st);
    if (rc) {
        TF_DeleteTensor(t);
        return rc;
    }
    *out = t;
    return TF_OK;
}

/* Copies element e (shape e->dims) into row `row` of out, whose row shape `rdims` is at least
 * e's in every dimension: one contiguous run per index of e's leading dimensions. */
static TF_Code copy_padded(const TF_Tensor *e, TF_Tensor *out, int64_t row, const int64_t *rdims, int rank,
                           int64_t row_elems, TF_Status *st)
{
    if (e->nelems == 0) return TF_OK;
    if (rank == 0)
        return copy_elems(e->dtype, tfc_tensor_data(out), row, tfc_tensor_data(e), 0, 1, st);
    int64_t idx[TFC_MAX_RANK] = { 0 }, run = e->dims[rank - 1];
    for (int64_t src = 0; src < e->nelems; src += run) {
        int64_t dst = 0; /* offset of (idx, 0) in the padded row */
        for (int d = 0; d < rank - 1; d++) dst = dst * rdims[d] + idx[d];
        dst *= rdims[rank - 1];
        TF_Code rc = copy_elems(e->dtype, tfc_tensor_data(out), row * row_elems + dst, tfc_tensor_data(e), src, run, st);
        if (rc) return rc;
        for (int d = rank - 2; d >= 0; d--) { /* odometer over the leading dims */
            if (++idx[d] < e->dims[d]) break;
            idx[d] = 0;
        }
    }
    return TF_OK;
}

/* The row shape of the stacked result: the first element's, or each dimension's maximum. */
static TF_Code row_shape(TF_Tensor *const *elems, int64_t n, int stride, bool pad, const tfc_pshape *empty_shape,
                         int64_t *rdims, int *rank, TF_Status *st)
{
    if (n == 0) {
        *rank = empty_shape && empty_shape->rank >= 0 ? empty_shape->rank : 0;
        for (int d = 0; d < *rank; d++) rdims[d] = empty_shape->dims[d] < 0 ? 0 : empty_shape->dims[d];
        return TF_OK;
    }
    const TF_Tensor *e0 = elems[0];
    *rank = e0->ndims;
    memcpy(rdims, e0->dims, sizeof(int64_t) * (size_t)e0->ndims);
    for (int64_t i = 1; i < n; i++) {
        const TF_Tensor *e = elems[i * stride];
        bool same = e->ndims == e0->ndims;
        for (int d = 0; same && d < e->ndims; d++) {
            if (pad && e->dims[d] > rdims[d]) rdims[d] = e->dims[d];
            same = pad || e->dims[d] == rdims[d];
        }
        if (!same) {
            char a[256], b[256];
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "elements of shapes %s and %s cannot be batched",
                                  tfc_dims_str(e0->dims, e0->ndims, a, sizeof a), tfc_dims_str(e->dims, e->ndims, b, sizeof b));
        }
    }
    return TF_OK;
}

TF_Code tfc_queue_stack(TF_Tensor *const *elems, int64_t n, int stride, TF_DataType dt, bool pad,
                        const tfc_pshape *empty_shape, TF_Tensor **out, TF_Status *st)
{
    *out = NULL;
    int64_t dims[TFC_MAX_RANK + 1];
    int rank = 0;
    TF_Code rc = row_shape(elems, n, stride, pad, empty_shape, dims + 1, &rank, st);
    if (rc) return rc;
    if (rank + 1 > TFC_MAX_RANK)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "a batch of rank %d elements exceeds the maximum rank", rank);
    dims[0] = n;
    TF_Tensor *t = NULL;
    rc = tfc_tensor_new(dt, dims, rank + 1, &t, st, "queue batch");
    if (rc) return rc;
    int64_t row_elems = n ? t->nelems / n : 0;
    if (pad && dt != TF_STRING && t->nbytes) memset(tfc_tensor_data(t), 0, t->nbytes);
    for (int64_t i = 0; i < n && !rc; i++) {
        const TF_Tensor *e = elems[i * stride];
        rc = pad ? copy_padded(e, t, i, dims + 1, rank, row_elems, st)
                 : copy_elems(dt, tfc_tensor_data(t), i * row_elems, tfc_tensor_data(e), 0, row_elems, st);
    }
    if (rc) {
        TF_DeleteTensor(t);
        return rc;
    }
    *out = t;
    return TF_OK;
}
