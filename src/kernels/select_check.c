/* select_check: see select_check.h. */
#include "kernels/select_check.h"

#include "core/dtype.h"
#include "core/shape.h"

/* Checks the dtypes: condition is bool, t and e of dtype. */
static bool dtypes_ok(tfc_kernel_ctx *k, TF_DataType dtype)
{
    if (!tfc_cwise_check(k, 3, 0, dtype)) return false;
    for (int i = 0; i < 3; i++) {
        TF_DataType want = i == 0 ? TF_BOOL : dtype;
        if (k->inputs[i]->dtype != want) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input %d has dtype %s, expected %s", i,
                             tfc_dtype_name(k->inputs[i]->dtype), tfc_dtype_name(want));
            return false;
        }
    }
    return true;
}

bool tfc_selectv2_check(tfc_kernel_ctx *k, TF_DataType dtype, tfc_bcast *b)
{
    if (!dtypes_ok(k, dtype)) return false;
    const TF_Tensor *c = k->inputs[0], *t = k->inputs[1], *e = k->inputs[2];
    const int64_t *dims[3] = { c->dims, t->dims, e->dims };
    int ranks[3] = { c->ndims, t->ndims, e->ndims };
    if (tfc_bcast_init(b, 3, dims, ranks)) return true;
    char a[256], bb[256], cc[256];
    tfc_kernel_error(k, TF_INVALID_ARGUMENT, "condition %s, then %s, and else %s must be broadcastable",
                     tfc_dims_str(c->dims, c->ndims, a, sizeof a), tfc_dims_str(t->dims, t->ndims, bb, sizeof bb),
                     tfc_dims_str(e->dims, e->ndims, cc, sizeof cc));
    return false;
}

static bool same_shape(const TF_Tensor *a, const TF_Tensor *b)
{
    return tfc_same_dims(a->dims, a->ndims, b->dims, b->ndims);
}

/* TensorFlow's SelectOp rules, with its messages. */
static bool select_shapes_ok(tfc_kernel_ctx *k, bool scalar, bool batch)
{
    const TF_Tensor *c = k->inputs[0], *t = k->inputs[1], *e = k->inputs[2];
    char a[256], bb[256];
    if (batch && t->ndims == 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "'then' must be at least a vector, but saw shape: %s",
                         tfc_dims_str(t->dims, t->ndims, a, sizeof a));
        return false;
    }
    if (batch && t->dims[0] != c->dims[0]) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "Number of batches of 'then' must match size of 'cond', but saw: %lld vs. %lld",
                         (long long)t->dims[0], (long long)c->dims[0]);
        return false;
    }
    if ((scalar || batch) && !same_shape(t, e)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "'then' and 'else' must have the same size.  but received: %s vs. %s",
                         tfc_dims_str(t->dims, t->ndims, a, sizeof a), tfc_dims_str(e->dims, e->ndims, bb, sizeof bb));
        return false;
    }
    for (int i = 1; !scalar && !batch && i < 3; i++)
        if (!same_shape(c, k->inputs[i])) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                             "Inputs must have the same size and shape. Input 0: %s != input %d: %s",
                             tfc_dims_str(c->dims, c->ndims, a, sizeof a), i,
                             tfc_dims_str(k->inputs[i]->dims, k->inputs[i]->ndims, bb, sizeof bb));
            return false;
        }
    return true;
}

bool tfc_select_check(tfc_kernel_ctx *k, TF_DataType dtype, tfc_bcast *b, bool *scalar)
{
    if (!dtypes_ok(k, dtype)) return false;
    const TF_Tensor *c = k->inputs[0], *t = k->inputs[1], *e = k->inputs[2];
    bool batch = c->ndims == 1 && t->ndims != 1;
    *scalar = c->ndims == 0;
    if (!select_shapes_ok(k, *scalar, batch)) return false;
    int64_t cdims[TFC_MAX_RANK];
    for (int i = 0; i < t->ndims; i++) cdims[i] = i == 0 ? c->dims[0] : 1;
    const int64_t *dims[3] = { batch ? cdims : c->dims, t->dims, e->dims };
    int ranks[3] = { *scalar ? 0 : t->ndims, t->ndims, t->ndims };
    tfc_bcast_init(b, 3, dims, ranks); /* cannot fail: the shapes were checked above */
    return true;
}
