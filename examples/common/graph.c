/* graph: see graph.h. */
#include "graph.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void gb_init(gb *b, TF_Graph *graph, TF_Status *status)
{
    memset(b, 0, sizeof *b);
    b->graph = graph;
    b->status = status;
    TF_SetStatus(status, TF_OK, "");
}

int gb_ok(const gb *b) { return TF_GetCode(b->status) == TF_OK; }

void gb_fail(gb *b, const char *fmt, ...)
{
    if (!gb_ok(b)) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    TF_SetStatus(b->status, TF_INVALID_ARGUMENT, msg);
}

TF_OperationDescription *gb_begin(gb *b, const char *type, const char *name)
{
    return gb_ok(b) ? TF_NewOperation(b->graph, type, name) : NULL;
}

TF_Operation *gb_finish(gb *b, TF_OperationDescription *desc)
{
    if (!desc) return NULL;
    if (gb_ok(b)) return TF_FinishOperation(desc, b->status);
    TF_Status *ignored = TF_NewStatus(); /* a description is always finished, which frees it */
    TF_FinishOperation(desc, ignored);
    TF_DeleteStatus(ignored);
    return NULL;
}

TF_Output gb_out(TF_Operation *op) { return (TF_Output){ op, 0 }; }

TF_Output gb_op1(gb *b, const char *type, const char *name, TF_Output x)
{
    TF_OperationDescription *d = gb_begin(b, type, name);
    if (d) TF_AddInput(d, x);
    return gb_out(gb_finish(b, d));
}

TF_Output gb_op2(gb *b, const char *type, const char *name, TF_Output x, TF_Output y)
{
    TF_OperationDescription *d = gb_begin(b, type, name);
    if (d) {
        TF_AddInput(d, x);
        TF_AddInput(d, y);
    }
    return gb_out(gb_finish(b, d));
}

TF_Output gb_placeholder(gb *b, const char *name, TF_DataType dtype, const int64_t *dims, int ndims)
{
    TF_OperationDescription *d = gb_begin(b, "Placeholder", name);
    if (d) {
        TF_SetAttrType(d, "dtype", dtype);
        TF_SetAttrShape(d, "shape", dims, ndims);
    }
    return gb_out(gb_finish(b, d));
}

/* A Const holding t (which it deletes). */
static TF_Output const_tensor(gb *b, const char *name, TF_Tensor *t)
{
    if (!t) {
        gb_fail(b, "Const '%s': cannot allocate its tensor", name);
        return gb_out(NULL);
    }
    TF_OperationDescription *d = gb_begin(b, "Const", name);
    if (d) {
        TF_SetAttrType(d, "dtype", TF_TensorType(t));
        TF_SetAttrTensor(d, "value", t, b->status);
    }
    TF_Output out = gb_out(gb_finish(b, d));
    TF_DeleteTensor(t);
    return out;
}

static TF_Tensor *new_tensor(TF_DataType dtype, const int64_t *dims, int ndims, const void *values, size_t size)
{
    int64_t n = 1;
    for (int i = 0; i < ndims; i++) n *= dims[i];
    TF_Tensor *t = TF_AllocateTensor(dtype, dims, ndims, (size_t)n * size);
    if (t && n > 0) memcpy(TF_TensorData(t), values, (size_t)n * size);
    return t;
}

TF_Output gb_const_f32(gb *b, const char *name, const int64_t *dims, int ndims, const float *values)
{
    return const_tensor(b, name, new_tensor(TF_FLOAT, dims, ndims, values, sizeof(float)));
}

TF_Output gb_const_i32(gb *b, const char *name, const int64_t *dims, int ndims, const int32_t *values)
{
    return const_tensor(b, name, new_tensor(TF_INT32, dims, ndims, values, sizeof(int32_t)));
}

TF_Output gb_scalar_f32(gb *b, const char *name, float value)
{
    return gb_const_f32(b, name, NULL, 0, &value);
}

TF_Output gb_const_strings(gb *b, const char *name, const char *const *strings, int n)
{
    int64_t dims[1] = { n };
    TF_Tensor *t = TF_AllocateTensor(TF_STRING, dims, 1, (size_t)n * sizeof(TF_TString));
    if (t) {
        TF_TString *s = TF_TensorData(t);
        for (int i = 0; i < n; i++) {
            TF_TString_Init(&s[i]);
            TF_TString_Copy(&s[i], strings[i], strlen(strings[i]));
        }
    }
    return const_tensor(b, name, t);
}

TF_Output gb_cast(gb *b, const char *name, TF_Output x, TF_DataType to)
{
    TF_OperationDescription *d = gb_begin(b, "Cast", name);
    if (d) {
        TF_AddInput(d, x);
        TF_SetAttrType(d, "DstT", to);
    }
    return gb_out(gb_finish(b, d));
}

TF_Output gb_mean_all(gb *b, const char *name, TF_Output x, int rank)
{
    int32_t axes[8];
    char cname[128];
    if (rank < 1 || rank > 8) {
        gb_fail(b, "Mean '%s': rank %d out of range", name, rank);
        return gb_out(NULL);
    }
    for (int i = 0; i < rank; i++) axes[i] = i;
    snprintf(cname, sizeof cname, "%s/axes", name);
    TF_Output ax = gb_const_i32(b, cname, (int64_t[]){ rank }, 1, axes);
    return gb_op2(b, "Mean", name, x, ax);
}

TF_Operation *gb_group(gb *b, const char *name, TF_Operation *const *ops, int n)
{
    TF_OperationDescription *d = gb_begin(b, "NoOp", name);
    for (int i = 0; d && i < n; i++) TF_AddControlInput(d, ops[i]);
    return gb_finish(b, d);
}
