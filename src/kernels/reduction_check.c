/* reduction_check: see reduction_check.h. */
#include "kernels/reduction_check.h"

#include <inttypes.h>
#include <string.h>

#include "core/dtype.h"
#include "core/shape.h"
#include "core/tensor.h"

/* Element i of an int16/int32/int64 tensor. */
static int64_t index_at(const TF_Tensor *t, int64_t i)
{
    const void *d = tfc_tensor_data(t);
    if (t->dtype == TF_INT64) return ((const int64_t *)d)[i];
    if (t->dtype == TF_INT16) return ((const int16_t *)d)[i];
    return ((const int32_t *)d)[i];
}

static bool is_index_type(TF_DataType t) { return t == TF_INT32 || t == TF_INT64 || t == TF_INT16; }

bool tfc_reduce_check_dtype(tfc_kernel_ctx *k, TF_DataType want)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0), *axes = tfc_kernel_input(k, 1);
    if (x->dtype != want || !is_index_type(axes->dtype)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "inputs have dtypes %s and %s, expected %s and an integer type",
                         tfc_dtype_name(x->dtype), tfc_dtype_name(axes->dtype), tfc_dtype_name(want));
        return false;
    }
    return true;
}

/* Marks the axes to reduce; false (error set) on an axis out of range or named twice. */
static bool parse_axes(tfc_kernel_ctx *k, const TF_Tensor *axes, int rank, bool *reduce)
{
    for (int d = 0; d < rank; d++) reduce[d] = false;
    for (int64_t i = 0; i < axes->nelems; i++) {
        int64_t a = index_at(axes, i);
        if (a < -rank || a >= rank) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Invalid reduction dimension (%" PRId64
                             " for input with %d dimension(s)", a, rank);
            return false;
        }
        int d = (int)(a < 0 ? a + rank : a);
        if (reduce[d]) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Invalid reduction arguments: Axes contains duplicate "
                             "dimension: %d", d);
            return false;
        }
        reduce[d] = true;
    }
    return true;
}

bool tfc_reduce_check(tfc_kernel_ctx *k, TF_DataType dtype, bool keep_dims, tfc_reduce_shape *sh)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0), *axes = tfc_kernel_input(k, 1);
    if (!tfc_reduce_check_dtype(k, dtype) || !parse_axes(k, axes, x->ndims, sh->reduce)) return false;
    sh->rank = 0;
    sh->div = 1;
    for (int d = 0; d < x->ndims; d++) {
        if (!sh->reduce[d]) sh->dims[sh->rank++] = x->dims[d];
        else if (keep_dims) sh->dims[sh->rank++] = 1;
        if (sh->reduce[d] && !tfc_mul_checked_i64(sh->div, x->dims[d], &sh->div))
            sh->div = 0; /* only when x is empty */
    }
    return true;
}

int tfc_reduce_groups(const TF_Tensor *x, const bool *reduce, tfc_reduce_group *g, int *n_reduced)
{
    int n = 0;
    *n_reduced = 0;
    for (int d = 0; d < x->ndims; d++) {
        if (x->dims[d] == 1) continue;
        if (n > 0 && g[n - 1].reduced == reduce[d]) {
            g[n - 1].size *= x->dims[d]; /* divides x's element count: no overflow */
        } else {
            g[n++] = (tfc_reduce_group){ x->dims[d], reduce[d] };
            *n_reduced += reduce[d];
        }
    }
    return n;
}

tfc_reduce_pass tfc_reduce_next_pass(tfc_reduce_group *g, int *n)
{
    int last = -1, reduced = 0;
    for (int i = 0; i < *n; i++)
        if (g[i].reduced) last = i, reduced++;
    tfc_reduce_pass p = { 1, g[last].size, 1, reduced == 1 };
    for (int i = 0; i < last; i++) p.O *= g[i].size;
    for (int i = last + 1; i < *n; i++) p.K *= g[i].size;
    /* Drop the group; its kept neighbours (if both exist) become one. */
    if (last > 0 && last + 1 < *n) {
        g[last - 1].size *= g[last + 1].size;
        memmove(&g[last], &g[last + 2], (size_t)(*n - last - 2) * sizeof *g);
        *n -= 2;
    } else {
        memmove(&g[last], &g[last + 1], (size_t)(*n - last - 1) * sizeof *g);
        *n -= 1;
    }
    return p;
}

bool tfc_reduce_scalar_axis(tfc_kernel_ctx *k, const char *what, const char *range_fmt, int64_t *axis)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0), *a = tfc_kernel_input(k, 1);
    char buf[256];
    if (a->ndims != 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s must be a scalar, but received tensor of shape: %s",
                         what, tfc_dims_str(a->dims, a->ndims, buf, sizeof buf));
        return false;
    }
    int64_t v = index_at(a, 0);
    if (v < -x->ndims || v >= x->ndims) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, range_fmt, -x->ndims, x->ndims, v);
        return false;
    }
    *axis = v < 0 ? v + x->ndims : v;
    return true;
}

void tfc_reduce_around_axis(const TF_Tensor *x, int64_t axis, int64_t *O, int64_t *N, int64_t *K)
{
    *O = 1, *K = 1, *N = x->dims[axis];
    for (int64_t d = 0; d < axis; d++) *O *= x->dims[d];
    for (int64_t d = axis + 1; d < x->ndims; d++) *K *= x->dims[d];
}

bool tfc_arg_check(tfc_kernel_ctx *k, TF_DataType dtype, TF_DataType out_type, tfc_arg_shape *sh)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    char buf[256];
    if (!tfc_reduce_check_dtype(k, dtype)) return false;
    if (!tfc_reduce_scalar_axis(k, "dim", "Expected dimension in the range [%d, %d), but got %" PRId64, &sh->axis))
        return false;
    int64_t N = x->dims[sh->axis];
    int64_t limit = out_type == TF_INT64 ? INT64_MAX : out_type == TF_INT32 ? INT32_MAX
                    : out_type == TF_INT16 ? INT16_MAX : UINT16_MAX;
    sh->rank = 0;
    for (int d = 0; d < x->ndims; d++)
        if (d != sh->axis) sh->dims[sh->rank++] = x->dims[d];
    if (N > 0 && N - 1 > limit) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "dimension %" PRId64 " of size %" PRId64 " does not fit %s indices",
                         sh->axis, N, tfc_dtype_name(out_type));
        return false;
    }
    if (N == 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Reduction axis %" PRId64 " is empty in shape %s", sh->axis,
                         tfc_dims_str(x->dims, x->ndims, buf, sizeof buf));
        return false;
    }
    sh->O = sh->N = sh->K = 0;
    if (x->nelems > 0) tfc_reduce_around_axis(x, sh->axis, &sh->O, &sh->N, &sh->K); /* no dim is 0: no overflow */
    return true;
}
