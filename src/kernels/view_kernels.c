/* view_kernels: see view_kernels.h. */
#include "kernels/view_kernels.h"

#include <inttypes.h>

#include "core/alloc.h"
#include "core/shape.h"

static void out_of_memory(tfc_kernel_ctx *k) { tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory"); }

// ---- Identity and the forwarding ops ----

/* Output i views input i's buffer, for every output. */
void tfc_forward_compute(tfc_kernel_ctx *k)
{
    for (int i = 0; i < k->n_outputs && i < k->n_inputs; i++) {
        TF_Tensor *t = tfc_tensor_ref(tfc_kernel_input(k, i));
        if (!t) {
            out_of_memory(k);
            return;
        }
        tfc_kernel_set_output(k, i, t);
    }
}

// ---- Reshape ----

/* Reads the shape vector into dims (int32 or int64 entries). */
static TF_Code read_shape_vector(tfc_kernel_ctx *k, const TF_Tensor *s, int64_t *dims, int *ndims)
{
    char buf[256];
    if (s->ndims != 1)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "sizes input must be 1-D, not %s",
                                tfc_dims_str(s->dims, s->ndims, buf, sizeof buf));
    if (s->dtype != TF_INT32 && s->dtype != TF_INT64)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "shape must be int32 or int64, not %s",
                                tfc_dtype_name(s->dtype));
    if (s->dims[0] > TFC_MAX_RANK)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "requested shape has %" PRId64 " dims, more than %d",
                                s->dims[0], TFC_MAX_RANK);
    *ndims = (int)s->dims[0];
    const void *data = tfc_tensor_data(s);
    for (int i = 0; i < *ndims; i++)
        dims[i] = s->dtype == TF_INT32 ? ((const int32_t *)data)[i] : ((const int64_t *)data)[i];
    return TF_OK;
}

/* Validates dims against the input's element count and fills in the one -1, if any. */
static TF_Code resolve_shape(tfc_kernel_ctx *k, const TF_Tensor *in, int64_t *dims, int ndims)
{
    int unknown = -1;
    int64_t product = 1;
    for (int i = 0; i < ndims; i++) {
        if (dims[i] == -1) {
            if (unknown >= 0)
                return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                        "only one input size may be -1, not both %d and %d", unknown, i);
            unknown = i;
        } else if (dims[i] < 0) {
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "size %d must be non-negative, not %" PRId64, i,
                                    dims[i]);
        } else if (!tfc_mul_checked_i64(product, dims[i], &product)) {
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "requested shape has too many elements");
        }
    }
    if (unknown >= 0 && product == 0)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                "Reshape cannot infer the missing input size for an empty "
                                "tensor unless all specified input sizes are non-zero");
    if (unknown >= 0 && in->nelems % product == 0) {
        dims[unknown] = in->nelems / product;
        return TF_OK;
    }
    if (unknown < 0 && product == in->nelems) return TF_OK;

    char a[256], b[256];
    tfc_dims_str(in->dims, in->ndims, a, sizeof a);
    tfc_dims_str(dims, ndims, b, sizeof b);
    return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                            "Input to reshape is a tensor with %" PRId64 " values, but the "
                            "requested shape %s %" PRId64 " (input shape %s, requested shape %s)",
                            in->nelems, unknown >= 0 ? "requires a multiple of" : "has", product, a, b);
}

void tfc_reshape_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    int64_t dims[TFC_MAX_RANK];
    int ndims = 0;
    if (read_shape_vector(k, tfc_kernel_input(k, 1), dims, &ndims)) return;
    if (resolve_shape(k, in, dims, ndims)) return;
    TF_Tensor *out = tfc_tensor_ref_reshaped(in, dims, ndims);
    if (!out) {
        out_of_memory(k);
        return;
    }
    tfc_kernel_set_output(k, 0, out);
}

// ---- ExpandDims, Squeeze ----

static void set_reshaped(tfc_kernel_ctx *k, const TF_Tensor *in, const int64_t *dims, int ndims)
{
    TF_Tensor *out = tfc_tensor_ref_reshaped(in, dims, ndims);
    if (!out) {
        out_of_memory(k);
        return;
    }
    tfc_kernel_set_output(k, 0, out);
}

void tfc_expand_dims_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0), *dim = tfc_kernel_input(k, 1);
    int64_t axis;
    if (dim->nelems != 1 || (dim->dtype != TF_INT32 && dim->dtype != TF_INT64)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "'dim' must be a tensor with a single value, not %" PRId64
                         " values", dim->nelems);
        return;
    }
    axis = dim->dtype == TF_INT32 ? *(const int32_t *)tfc_tensor_data(dim)
                                  : *(const int64_t *)tfc_tensor_data(dim);
    if (axis < -1 - in->ndims || axis > in->ndims || in->ndims >= TFC_MAX_RANK) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Tried to expand dim index %" PRId64 " for tensor with %d "
                         "dimensions.", axis, in->ndims);
        return;
    }
    if (axis < 0) axis += in->ndims + 1;
    int64_t dims[TFC_MAX_RANK];
    for (int i = 0, j = 0; i <= in->ndims; i++) dims[i] = i == axis ? 1 : in->dims[j++];
    set_reshaped(k, in, dims, in->ndims + 1);
}

/* Squeeze's state: a copy of squeeze_dims. */
typedef struct squeeze_state {
    int n;
    int64_t dims[2 * TFC_MAX_RANK];
} squeeze_state;

TF_Code tfc_squeeze_init(const tfc_kernel_init_ctx *c, void **state)
{
    const int64_t *sq = NULL;
    int n = tfc_attrs_int_list(c->attrs, "squeeze_dims", &sq);
    if (n > 2 * TFC_MAX_RANK)
        return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "squeeze_dims has %d entries, more than %d", n,
                                     2 * TFC_MAX_RANK);
    squeeze_state *s = tfc_calloc(1, sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    s->n = n < 0 ? 0 : n;
    for (int i = 0; i < s->n; i++) s->dims[i] = sq[i];
    *state = s;
    return TF_OK;
}

void tfc_squeeze_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    const squeeze_state *st = tfc_kernel_state(k);
    const int64_t *sq = st->dims;
    int n = st->n;
    bool listed[TFC_MAX_RANK] = { false };
    for (int i = 0; i < n; i++) {
        int64_t a = sq[i];
        if (a < -in->ndims || a >= in->ndims) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                             "Tried to squeeze dim index %" PRId64 " for tensor with %d "
                             "dimensions.",
                             a, in->ndims);
            return;
        }
        listed[a < 0 ? a + in->ndims : a] = true;
    }
    int64_t dims[TFC_MAX_RANK];
    int nd = 0;
    for (int i = 0; i < in->ndims; i++) {
        if (n > 0 && listed[i] && in->dims[i] != 1) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                             "Can not squeeze dim[%d], expected a dimension of 1, got %" PRId64, i,
                             in->dims[i]);
            return;
        }
        if ((n > 0 && !listed[i]) || (n <= 0 && in->dims[i] != 1)) dims[nd++] = in->dims[i];
    }
    set_reshaped(k, in, dims, nd);
}
