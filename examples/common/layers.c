/* layers: variables, their initial values and dense layers (declared in graph.h). */
#include "graph.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

TF_Output gb_variable(gb *b, const char *name, const int64_t *dims, int ndims, TF_Output init)
{
    char sub[160];
    if (gb_ok(b) && b->nvars == GB_MAX_VARS) gb_fail(b, "variable '%s': more than %d variables", name, GB_MAX_VARS);
    TF_OperationDescription *d = gb_begin(b, "VarHandleOp", name);
    if (d) {
        TF_SetAttrType(d, "dtype", TF_FLOAT);
        TF_SetAttrShape(d, "shape", dims, ndims);
        TF_SetAttrString(d, "shared_name", name, strlen(name));
    }
    TF_Output handle = gb_out(gb_finish(b, d));
    snprintf(sub, sizeof sub, "%s/assign", name);
    d = gb_begin(b, "AssignVariableOp", sub);
    if (d) {
        TF_AddInput(d, handle);
        TF_AddInput(d, init);
    }
    TF_Operation *assign = gb_finish(b, d);
    snprintf(sub, sizeof sub, "%s/read", name);
    d = gb_begin(b, "ReadVariableOp", sub);
    if (d) {
        TF_AddInput(d, handle);
        TF_SetAttrType(d, "dtype", TF_FLOAT);
    }
    TF_Output value = gb_out(gb_finish(b, d));
    if (!gb_ok(b)) return gb_out(NULL);
    b->vars[b->nvars] = handle;
    b->inits[b->nvars++] = assign;
    return value;
}

TF_Output gb_glorot(gb *b, const char *name, const int64_t *dims, int ndims, int64_t fan_in,
                    int64_t fan_out, int64_t seed, int64_t seed2)
{
    char sub[160];
    snprintf(sub, sizeof sub, "%s/shape", name);
    int32_t shape[8];
    for (int i = 0; i < ndims && i < 8; i++) shape[i] = (int32_t)dims[i];
    TF_Output s = gb_const_i32(b, sub, (int64_t[]){ ndims }, 1, shape);
    snprintf(sub, sizeof sub, "%s/uniform", name);
    TF_OperationDescription *d = gb_begin(b, "RandomUniform", sub);
    if (d) {
        TF_AddInput(d, s);
        TF_SetAttrType(d, "dtype", TF_FLOAT);
        TF_SetAttrInt(d, "seed", seed);
        TF_SetAttrInt(d, "seed2", seed2);
    }
    TF_Output u = gb_out(gb_finish(b, d)); /* U[0, 1) */
    float limit = (float)sqrt(6.0 / (double)(fan_in + fan_out));
    snprintf(sub, sizeof sub, "%s/scale", name);
    TF_Output scale = gb_scalar_f32(b, sub, 2 * limit);
    snprintf(sub, sizeof sub, "%s/offset", name);
    TF_Output offset = gb_scalar_f32(b, sub, -limit);
    snprintf(sub, sizeof sub, "%s/scaled", name);
    TF_Output scaled = gb_op2(b, "Mul", sub, u, scale);
    return gb_op2(b, "AddV2", name, scaled, offset);
}

TF_Output gb_zeros(gb *b, const char *name, int64_t n)
{
    char sub[160];
    snprintf(sub, sizeof sub, "%s/value", name);
    TF_Output zero = gb_scalar_f32(b, sub, 0);
    snprintf(sub, sizeof sub, "%s/dims", name);
    TF_Output dims = gb_const_i32(b, sub, (int64_t[]){ 1 }, 1, (int32_t[]){ (int32_t)n });
    return gb_op2(b, "Fill", name, dims, zero);
}

TF_Output gb_dense(gb *b, const char *name, TF_Output x, int64_t in, int64_t out, int relu,
                   int64_t seed, int64_t seed2)
{
    char sub[160];
    int64_t wdims[2] = { in, out }, bdims[1] = { out };
    snprintf(sub, sizeof sub, "%s/kernel/initial", name);
    TF_Output w0 = gb_glorot(b, sub, wdims, 2, in, out, seed, seed2);
    snprintf(sub, sizeof sub, "%s/kernel", name);
    TF_Output w = gb_variable(b, sub, wdims, 2, w0);
    snprintf(sub, sizeof sub, "%s/bias/zeros", name);
    TF_Output b0 = gb_zeros(b, sub, out);
    snprintf(sub, sizeof sub, "%s/bias", name);
    TF_Output bias = gb_variable(b, sub, bdims, 1, b0);
    snprintf(sub, sizeof sub, "%s/MatMul", name);
    TF_Output y = gb_op2(b, "MatMul", sub, x, w);
    snprintf(sub, sizeof sub, relu ? "%s/BiasAdd" : "%s", name);
    y = gb_op2(b, "BiasAdd", sub, y, bias);
    if (!relu) return y;
    snprintf(sub, sizeof sub, "%s", name);
    return gb_op1(b, "Relu", sub, y);
}
