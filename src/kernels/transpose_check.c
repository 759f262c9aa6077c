/* transpose_check: Transpose's perm check and collapsed plan (see transpose_check.h). */
#include "kernels/transpose_check.h"

#include <inttypes.h>

#include "core/shape.h"
#include "core/tensor.h"
#include "ops/slice_spec.h"

/* Validates perm against rank and writes it to p. */
static TF_Code read_perm(tfc_kernel_ctx *k, const TF_Tensor *t, int rank, int *p)
{
    int64_t v[TFC_MAX_RANK];
    if (t->ndims != 1 || t->nelems != rank || tfc_read_index_values(t, v, TFC_MAX_RANK) != rank)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                "transpose expects a vector of size %d. But input(1) is "
                                "a vector of size %" PRId64,
                                rank, t->nelems);
    bool seen[TFC_MAX_RANK] = { false };
    for (int i = 0; i < rank; i++) {
        if (v[i] < 0 || v[i] >= rank)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%" PRId64 " is out of range [0 .. %d)", v[i],
                                    rank);
        if (seen[v[i]])
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%" PRId64 " is duplicated in the input.", v[i]);
        seen[v[i]] = true;
        p[i] = (int)v[i];
    }
    return TF_OK;
}

/* Drops size-1 dims and merges input dims that stay adjacent in the output; returns the new rank. */
static int collapse(const int64_t *dims, const int *perm, int rank, int64_t *cdims, int *cperm)
{
    int keep[TFC_MAX_RANK], newidx[TFC_MAX_RANK], n = 0;
    for (int i = 0; i < rank; i++) newidx[i] = dims[i] == 1 ? -1 : n++, keep[i] = dims[i] != 1;
    int64_t d1[TFC_MAX_RANK];
    int p1[TFC_MAX_RANK], m = 0;
    for (int i = 0; i < rank; i++)
        if (keep[i]) d1[newidx[i]] = dims[i];
    for (int i = 0; i < rank; i++)
        if (keep[perm[i]]) p1[m++] = newidx[perm[i]];
    /* merge: output positions j, j+1 with p1[j+1] == p1[j] + 1 are one input dim */
    int head[TFC_MAX_RANK], n_out = 0; /* input dims that start a merged group, in output order */
    bool starts[TFC_MAX_RANK] = { false };
    for (int j = 0; j < m; j++)
        if (j == 0 || p1[j] != p1[j - 1] + 1) head[n_out++] = p1[j], starts[p1[j]] = true;
    int gid[TFC_MAX_RANK], g = -1;
    for (int i = 0; i < n; i++) {
        if (starts[i]) cdims[++g] = 1;
        cdims[g] *= d1[i], gid[i] = g;
    }
    for (int j = 0; j < n_out; j++) cperm[j] = gid[head[j]];
    return n_out;
}

bool tfc_transpose_prepare(tfc_kernel_ctx *k, tfc_transpose_plan *p)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    int perm[TFC_MAX_RANK];
    p->rank = in->ndims;
    if (read_perm(k, tfc_kernel_input(k, 1), p->rank, perm)) return false;
    for (int i = 0; i < p->rank; i++) p->dims[i] = in->dims[perm[i]];
    p->cr = collapse(in->dims, perm, p->rank, p->cdims, p->cperm);
    if (p->cr <= 1 || in->nelems == 0) { /* the same bytes in the same order */
        TF_Tensor *t = tfc_tensor_ref_reshaped(in, p->dims, p->rank);
        if (!t) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        else tfc_kernel_set_output(k, 0, t);
        return false;
    }
    int64_t stride[TFC_MAX_RANK], s = 1;
    for (int d = p->cr - 1; d >= 0; d--) stride[d] = s, s *= p->cdims[d];
    for (int j = 0; j < p->cr; j++) p->odims[j] = p->cdims[p->cperm[j]], p->istride[j] = stride[p->cperm[j]];
    return true;
}
