/* layers: see layers.h. */
#include "layers.h"

#include <stdio.h>

TF_Output conv_relu(gb *b, const char *name, TF_Output x, int k, int64_t cin, int64_t cout, int64_t seed,
                    int64_t seed2)
{
    char sub[160];
    int64_t wdims[4] = { k, k, cin, cout }, bdims[1] = { cout };
    snprintf(sub, sizeof sub, "%s/kernel/initial", name);
    TF_Output w0 = gb_glorot(b, sub, wdims, 4, k * k * cin, k * k * cout, seed, seed2);
    snprintf(sub, sizeof sub, "%s/kernel", name);
    TF_Output w = gb_variable(b, sub, wdims, 4, w0);
    snprintf(sub, sizeof sub, "%s/bias/zeros", name);
    TF_Output b0 = gb_zeros(b, sub, cout);
    snprintf(sub, sizeof sub, "%s/bias", name);
    TF_Output bias = gb_variable(b, sub, bdims, 1, b0);
    snprintf(sub, sizeof sub, "%s/Conv2D", name);
    TF_OperationDescription *d = gb_begin(b, "Conv2D", sub);
    if (d) {
        TF_AddInput(d, x);
        TF_AddInput(d, w);
        TF_SetAttrIntList(d, "strides", (int64_t[]){ 1, 1, 1, 1 }, 4);
        TF_SetAttrString(d, "padding", "SAME", 4);
    }
    TF_Output y = gb_out(gb_finish(b, d));
    snprintf(sub, sizeof sub, "%s/BiasAdd", name);
    y = gb_op2(b, "BiasAdd", sub, y, bias);
    return gb_op1(b, "Relu", name, y);
}

TF_Output max_pool_2x2(gb *b, const char *name, TF_Output x)
{
    TF_OperationDescription *d = gb_begin(b, "MaxPool", name);
    if (d) {
        TF_AddInput(d, x);
        TF_SetAttrIntList(d, "ksize", (int64_t[]){ 1, 2, 2, 1 }, 4);
        TF_SetAttrIntList(d, "strides", (int64_t[]){ 1, 2, 2, 1 }, 4);
        TF_SetAttrString(d, "padding", "VALID", 5);
    }
    return gb_out(gb_finish(b, d));
}

TF_Output dropout(gb *b, const char *name, TF_Output x, TF_Output keep_prob, int64_t seed, int64_t seed2)
{
    char sub[160];
    snprintf(sub, sizeof sub, "%s/shape", name);
    TF_Output shape = gb_op1(b, "Shape", sub, x);
    snprintf(sub, sizeof sub, "%s/uniform", name);
    TF_OperationDescription *d = gb_begin(b, "RandomUniform", sub);
    if (d) {
        TF_AddInput(d, shape);
        TF_SetAttrType(d, "dtype", TF_FLOAT);
        TF_SetAttrInt(d, "seed", seed);
        TF_SetAttrInt(d, "seed2", seed2);
    }
    TF_Output u = gb_out(gb_finish(b, d));
    snprintf(sub, sizeof sub, "%s/add", name);
    TF_Output shifted = gb_op2(b, "AddV2", sub, u, keep_prob);
    snprintf(sub, sizeof sub, "%s/mask", name);
    TF_Output mask = gb_op1(b, "Floor", sub, shifted);
    snprintf(sub, sizeof sub, "%s/mask/stop", name);
    mask = gb_op1(b, "StopGradient", sub, mask); /* tfc's TF_AddGradients would walk into RandomUniform */
    snprintf(sub, sizeof sub, "%s/scaled", name);
    TF_Output scaled = gb_op2(b, "RealDiv", sub, x, keep_prob);
    return gb_op2(b, "Mul", name, scaled, mask);
}
