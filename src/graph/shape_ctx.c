/* shape_ctx: the context shape functions see (ops/op_def.h), and the driver that runs an op's
 * shape function at TF_FinishOperation. Runs with the graph locked, so producers' shapes and
 * constant values can be read directly. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/tensor.h"
#include "graph/op_desc.h"

struct tfc_shape_ctx {
    TF_Operation *op;
    tfc_pshape *inputs;
    TF_Status *st;
};

int tfc_shape_num_inputs(const tfc_shape_ctx *c) { return c->op->n_inputs; }
int tfc_shape_num_outputs(const tfc_shape_ctx *c) { return c->op->n_outputs; }
const tfc_attrs *tfc_shape_attrs(const tfc_shape_ctx *c) { return &c->op->attrs; }
const char *tfc_shape_op_name(const tfc_shape_ctx *c) { return c->op->name; }

const tfc_pshape *tfc_shape_input(const tfc_shape_ctx *c, int i)
{
    static const tfc_pshape unknown = { .rank = -1 };
    return i >= 0 && i < c->op->n_inputs ? &c->inputs[i] : &unknown;
}

TF_DataType tfc_shape_input_type(const tfc_shape_ctx *c, int i)
{
    return i >= 0 && i < c->op->n_inputs ? c->op->input_types[i] : 0;
}

const TF_Tensor *tfc_shape_input_tensor(const tfc_shape_ctx *c, int i)
{
    if (i < 0 || i >= c->op->n_inputs) return NULL;
    TF_Operation *p = c->op->inputs[i].oper;
    if (strcmp(p->def->name, "Const") != 0) return NULL;
    return tfc_attrs_tensor(&p->attrs, "value");
}

void tfc_shape_set_output(tfc_shape_ctx *c, int i, const tfc_pshape *s)
{
    if (i >= 0 && i < c->op->n_outputs) c->op->output_shapes[i] = *s;
}

TF_Code tfc_shape_fail(tfc_shape_ctx *c, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tfc_status_set(c->st, TF_INVALID_ARGUMENT, "%s '%s': %s", c->op->def->name, c->op->name, msg);
}

/* Reads a rank-1 int32/int64 constant into a partial shape (-1 entries stay unknown). */
static TF_Code shape_from_const(tfc_shape_ctx *c, int i, const TF_Tensor *t, tfc_pshape *out)
{
    if (t->ndims != 1 && !(t->ndims == 0 && t->nelems == 1))
        return tfc_shape_fail(c, "input %d must be a vector describing a shape, got rank %d", i, t->ndims);
    if (t->dtype != TF_INT32 && t->dtype != TF_INT64)
        return tfc_shape_fail(c, "input %d must be int32 or int64, got %s", i, tfc_dtype_name(t->dtype));
    if (t->nelems > TFC_MAX_RANK)
        return tfc_shape_fail(c, "input %d describes %lld dims, more than %d", i, (long long)t->nelems, TFC_MAX_RANK);
    out->rank = (int)t->nelems;
    for (int j = 0; j < out->rank; j++) {
        int64_t v = t->dtype == TF_INT32 ? ((const int32_t *)tfc_tensor_data(t))[j]
                                         : ((const int64_t *)tfc_tensor_data(t))[j];
        if (v < -1) return tfc_shape_fail(c, "input %d has dimension %d = %lld", i, j, (long long)v);
        out->dims[j] = v;
    }
    return TF_OK;
}

tfc_pshape tfc_shape_input_handle_shape(const tfc_shape_ctx *c, int i)
{
    if (i < 0 || i >= c->op->n_inputs) return tfc_pshape_unknown();
    const TF_Operation *p = c->op->inputs[i].oper;
    const tfc_pshape *s = strcmp(p->def->name, "VarHandleOp") ? NULL : tfc_attrs_shape(&p->attrs, "shape");
    return s ? *s : tfc_pshape_unknown();
}

const tfc_attrs *tfc_shape_input_producer(const tfc_shape_ctx *c, int i, const char **op_type)
{
    if (i < 0 || i >= c->op->n_inputs) return NULL;
    const TF_Operation *p = c->op->inputs[i].oper;
    if (op_type) *op_type = p->def->name;
    return &p->attrs;
}

TF_Code tfc_shape_input_as_shape(tfc_shape_ctx *c, int i, tfc_pshape *out)
{
    *out = tfc_pshape_unknown();
    if (i < 0 || i >= c->op->n_inputs) return TF_OK;
    const TF_Tensor *t = tfc_shape_input_tensor(c, i);
    if (t) return shape_from_const(c, i, t, out);
    TF_Output src = c->op->inputs[i];
    if (!strcmp(src.oper->def->name, "Shape") && src.oper->n_inputs == 1) {
        TF_Output shaped = src.oper->inputs[0];
        *out = shaped.oper->output_shapes[shaped.index];
        return TF_OK;
    }
    const tfc_pshape *vec = &c->inputs[i];
    if (vec->rank == 1 && vec->dims[0] >= 0 && vec->dims[0] <= TFC_MAX_RANK) *out = tfc_pshape_unknown_dims((int)vec->dims[0]);
    return TF_OK;
}

/* One dim of NumPy broadcasting; -2 marks an incompatibility. */
static int64_t broadcast_dim(int64_t a, int64_t b)
{
    if (a == 1) return b;
    if (b == 1) return a;
    if (a == -1 || b == -1) return a == -1 ? (b == -1 ? -1 : b) : a; /* unknown vs n>1 (or 0): n */
    return a == b ? a : -2;
}

TF_Code tfc_shape_broadcast(tfc_shape_ctx *c, const tfc_pshape *a, const tfc_pshape *b, tfc_pshape *out)
{
    if (a->rank < 0 || b->rank < 0) {
        *out = tfc_pshape_unknown();
        return TF_OK;
    }
    int rank = a->rank > b->rank ? a->rank : b->rank;
    out->rank = rank;
    for (int i = 0; i < rank; i++) {
        int ia = i - (rank - a->rank), ib = i - (rank - b->rank);
        int64_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
        int64_t d = broadcast_dim(da, db);
        if (d == -2) {
            char sa[256], sb[256];
            return tfc_shape_fail(c, "Incompatible shapes: %s vs. %s", tfc_pshape_str(a, sa, sizeof sa),
                                  tfc_pshape_str(b, sb, sizeof sb));
        }
        out->dims[i] = d;
    }
    return TF_OK;
}

TF_Code tfc_infer_shapes(TF_Operation *op, TF_Status *st)
{
    tfc_pshape *inputs = tfc_calloc((size_t)op->n_inputs + 1, sizeof(tfc_pshape));
    if (!inputs) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory");
    for (int i = 0; i < op->n_inputs; i++) inputs[i] = op->inputs[i].oper->output_shapes[op->inputs[i].index];
    tfc_shape_ctx c = { .op = op, .inputs = inputs, .st = st };
    TF_Code rc = op->def->shape_fn ? op->def->shape_fn(&c) : TF_OK;
    tfc_free(inputs);
    return rc;
}
