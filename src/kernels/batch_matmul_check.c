/* batch_matmul_check: BatchMatMulV2's checks and broadcast (see batch_matmul_check.h). */
#include "kernels/batch_matmul_check.h"

#include <limits.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"

TF_Code tfc_bmm_init(const tfc_kernel_init_ctx *c, void **state)
{
    tfc_bmm_attrs *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (tfc_bmm_attrs){ tfc_attrs_type(c->attrs, "T", TF_FLOAT), tfc_attrs_bool(c->attrs, "adj_x", false),
                          tfc_attrs_bool(c->attrs, "adj_y", false) };
    *state = s;
    return TF_OK;
}

/* Broadcasts the batch dims; fills g's batch dims and the output dims. */
static bool broadcast(tfc_kernel_ctx *k, const TF_Tensor *x, const TF_Tensor *y, tfc_bmm_geom *g, int64_t *dims)
{
    int rx = x->ndims - 2, ry = y->ndims - 2;
    g->rb = rx > ry ? rx : ry;
    for (int d = g->rb - 1; d >= 0; d--) {
        int ix = d - (g->rb - rx), iy = d - (g->rb - ry);
        int64_t dx = ix >= 0 ? x->dims[ix] : 1, dy = iy >= 0 ? y->dims[iy] : 1;
        if (dx != dy && dx != 1 && dy != 1) {
            char a[256], b[256];
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "In[0] and In[1] must have compatible batch dimensions: "
                             "%s vs. %s", tfc_dims_str(x->dims, x->ndims, a, sizeof a),
                             tfc_dims_str(y->dims, y->ndims, b, sizeof b));
            return false;
        }
        g->out_batch[d] = dims[d] = dx == 1 ? dy : dx;
    }
    dims[g->rb] = g->m, dims[g->rb + 1] = g->n;
    return true;
}

void tfc_bmm_strides(const TF_Tensor *x, const TF_Tensor *y, tfc_bmm_geom *g)
{
    int rx = x->ndims - 2, ry = y->ndims - 2;
    int64_t xs = g->m * g->k, ys = g->k * g->n;
    for (int d = g->rb - 1; d >= 0; d--) {
        int ix = d - (g->rb - rx), iy = d - (g->rb - ry);
        int64_t dx = ix >= 0 ? x->dims[ix] : 1, dy = iy >= 0 ? y->dims[iy] : 1;
        g->x_stride[d] = dx == 1 ? 0 : xs;
        g->y_stride[d] = dy == 1 ? 0 : ys;
        xs *= dx, ys *= dy;
    }
}

bool tfc_bmm_check(tfc_kernel_ctx *k, const tfc_bmm_attrs *s, tfc_bmm_geom *g, int64_t *dims)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0), *y = tfc_kernel_input(k, 1);
    char a[256], b[256];
    if (x->ndims < 2 || y->ndims < 2) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "In[%d] ndims must be >= 2: %d", x->ndims < 2 ? 0 : 1,
                         x->ndims < 2 ? x->ndims : y->ndims);
        return false;
    }
    if (x->dtype != s->dtype || y->dtype != s->dtype) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "inputs have dtypes %s and %s, expected %s",
                         tfc_dtype_name(x->dtype), tfc_dtype_name(y->dtype), tfc_dtype_name(s->dtype));
        return false;
    }
    int64_t xr = x->dims[x->ndims - 2], xc = x->dims[x->ndims - 1];
    int64_t yr = y->dims[y->ndims - 2], yc = y->dims[y->ndims - 1];
    *g = (tfc_bmm_geom){ .ta = s->adj_x, .tb = s->adj_y, .m = s->adj_x ? xc : xr, .k = s->adj_x ? xr : xc,
                         .n = s->adj_y ? yr : yc };
    if (g->k != (s->adj_y ? yc : yr)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Matrix size-incompatible: In[0]: %s, In[1]: %s",
                         tfc_dims_str(x->dims, x->ndims, a, sizeof a),
                         tfc_dims_str(y->dims, y->ndims, b, sizeof b));
        return false;
    }
    if (xr > INT_MAX || xc > INT_MAX || yr > INT_MAX || yc > INT_MAX) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "matrix dims above %d are not supported: In[0]: %s, In[1]: %s",
                         INT_MAX, tfc_dims_str(x->dims, x->ndims, a, sizeof a),
                         tfc_dims_str(y->dims, y->ndims, b, sizeof b));
        return false;
    }
    return broadcast(k, x, y, g, dims);
}
