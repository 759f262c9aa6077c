/* xent_check: the cross-entropies' run-time checks (see xent_check.h). */
#include "kernels/xent_check.h"

#include <stdio.h>
#include <string.h>

#include "core/dtype.h"
#include "core/shape.h"

bool tfc_xent_check_types(tfc_kernel_ctx *k, int n_in, const TF_DataType *in, int n_out)
{
    if (k->n_inputs != n_in || k->n_outputs != n_out) {
        tfc_kernel_error(k, TF_INTERNAL, "expected %d inputs and %d outputs", n_in, n_out);
        return false;
    }
    for (int i = 0; i < n_in; i++)
        if (in[i] && k->inputs[i]->dtype != in[i]) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input %d has dtype %s, expected %s", i,
                             tfc_dtype_name(k->inputs[i]->dtype), tfc_dtype_name(in[i]));
            return false;
        }
    return true;
}

/* Pads t's dims (rank <= 2) to [d0, d1] and sets its element strides; 0 where a dim is 1. */
static void matrix_view(const TF_Tensor *t, int64_t d[2], int64_t stride[2])
{
    d[0] = t->ndims >= 2 ? t->dims[0] : 1;
    d[1] = t->ndims >= 1 ? t->dims[t->ndims - 1] : 1;
    stride[1] = d[1] == 1 ? 0 : 1;
    stride[0] = d[0] == 1 ? 0 : d[1];
}

bool tfc_xent_check(tfc_kernel_ctx *k, TF_DataType dtype, tfc_xent_geom *g)
{
    if (!tfc_xent_check_types(k, 2, (const TF_DataType[]){ dtype, dtype }, 2)) return false;
    const TF_Tensor *f = tfc_kernel_input(k, 0), *l = tfc_kernel_input(k, 1);
    char a[256], b[256];
    bool same = f->ndims == l->ndims && !memcmp(f->dims, l->dims, sizeof(int64_t) * (size_t)f->ndims);
    int rank = f->ndims > l->ndims ? f->ndims : l->ndims;
    if ((same && f->ndims != 2) || (!same && rank != 2)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "logits and labels must be either 2-dimensional, or "
                                                 "broadcasted to be 2-dimensional");
        return false;
    }
    int64_t fd[2], ld[2], out[2];
    matrix_view(f, fd, g->fs);
    matrix_view(l, ld, g->ls);
    for (int i = 0; i < 2; i++) {
        if (fd[i] != ld[i] && fd[i] != 1 && ld[i] != 1) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                             "logits and labels must be broadcastable: logits_size=%s labels_size=%s",
                             tfc_dims_str(f->dims, f->ndims, a, sizeof a),
                             tfc_dims_str(l->dims, l->ndims, b, sizeof b));
            return false;
        }
        out[i] = fd[i] == 1 ? ld[i] : fd[i];
    }
    g->rows = out[0];
    g->classes = out[1];
    return true;
}

TF_Code tfc_xent_alloc_outputs(tfc_kernel_ctx *k, const tfc_xent_geom *g, TF_Tensor **loss, TF_Tensor **bp)
{
    const TF_Tensor *f = tfc_kernel_input(k, 0);
    const int64_t out[2] = { g->rows, g->classes };
    TF_Code rc = tfc_kernel_alloc_output(k, 0, out, 1, loss);
    if (rc) return rc;
    bool fits = f->ndims == 2 && f->dims[0] == g->rows && f->dims[1] == g->classes;
    return fits ? tfc_kernel_forward_or_alloc(k, 0, 1, out, 2, bp) : tfc_kernel_alloc_output(k, 1, out, 2, bp);
}

/* Checks every label against [0, classes) and reports the first bad one with (some of) the
 * labels, as TensorFlow's message does. */
static bool labels_in_range(tfc_kernel_ctx *k, const TF_Tensor *labels, int64_t classes)
{
    bool l64 = labels->dtype == TF_INT64;
    const void *d = tfc_tensor_data(labels);
    for (int64_t i = 0; i < labels->nelems; i++) {
        int64_t v = l64 ? ((const int64_t *)d)[i] : ((const int32_t *)d)[i];
        if (v >= 0 && v < classes) continue;
        char list[256];
        size_t used = 0;
        for (int64_t j = 0; j < labels->nelems && used + 24 < sizeof list; j++) {
            int64_t w = l64 ? ((const int64_t *)d)[j] : ((const int32_t *)d)[j];
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%lld", j ? " " : "", (long long)w);
            if (j + 1 < labels->nelems && used + 24 >= sizeof list)
                snprintf(list + used, sizeof list - used, " ...");
        }
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "Received a label value of %lld which is outside the valid range of [0, %lld).  "
                         "Label values: %s", (long long)v, (long long)classes, list);
        return false;
    }
    return true;
}

static bool sparse_shapes(tfc_kernel_ctx *k, const TF_Tensor *f, const TF_Tensor *l)
{
    char a[256], b[256];
    if (f->ndims != 2) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "logits must be 2-D, but got shape %s",
                         tfc_dims_str(f->dims, f->ndims, a, sizeof a));
        return false;
    }
    if (l->ndims != 1) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "labels must be 1-D, but got shape %s",
                         tfc_dims_str(l->dims, l->ndims, a, sizeof a));
        return false;
    }
    if (f->dims[0] != l->dims[0]) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "logits and labels must have the same first dimension, got logits shape %s and "
                         "labels shape %s",
                         tfc_dims_str(f->dims, 2, a, sizeof a), tfc_dims_str(l->dims, 1, b, sizeof b));
        return false;
    }
    if (f->dims[1] == 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Must have at least one class, but got logits shape %s",
                         tfc_dims_str(f->dims, 2, a, sizeof a));
        return false;
    }
    return true;
}

bool tfc_sparse_xent_check(tfc_kernel_ctx *k, TF_DataType dtype)
{
    if (!tfc_xent_check_types(k, 2, (const TF_DataType[]){ dtype, 0 }, 2)) return false;
    const TF_Tensor *f = tfc_kernel_input(k, 0), *l = tfc_kernel_input(k, 1);
    if (l->dtype != TF_INT32 && l->dtype != TF_INT64) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "labels must be int32 or int64, got %s",
                         tfc_dtype_name(l->dtype));
        return false;
    }
    return sparse_shapes(k, f, l) && labels_in_range(k, l, f->dims[1]);
}
