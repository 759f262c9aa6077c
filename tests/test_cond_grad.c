/* cond_grad: finite-difference checks of TF_AddGradients through TFC_NewCond conditionals (the
 * Switch and Merge gradients): each branch taken in turn, a branch that ignores an input (its
 * gradient is zero), a cond whose result is also used outside it (gradients add up across the
 * Merge), two outputs, and a predicate computed from the differentiated input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gradcheck.h"
#include "tfc/c_api.h"

static TF_Output const_bool(TF_Graph *g, int v, TF_Status *s)
{
    TF_Tensor *t = TF_AllocateTensor(TF_BOOL, NULL, 0, 1);
    *(unsigned char *)TF_TensorData(t) = (unsigned char)v;
    TF_OperationDescription *d = TF_NewOperation(g, "Const", gradcheck_name("pred"));
    TF_SetAttrTensor(d, "value", t, s);
    TF_SetAttrType(d, "dtype", TF_BOOL);
    TF_DeleteTensor(t);
    return (TF_Output){ TF_FinishOperation(d, s), 0 };
}

/* true branch: x0 * x1 + sin(x0); false branch: x0 / x1 (or, when ignore_x1, exp(x0)). */
static TF_Output cond_of(TF_Graph *g, TF_Output pred, TF_Output *x, int ignore_x1, TF_Status *s)
{
    TFC_CondParams c = TFC_NewCond(g, pred, x, 2, 1, s);
    if (TF_GetCode(s) != TF_OK) return (TF_Output){ NULL, 0 };
    TF_Graph *t = c.true_graph, *f = c.false_graph;
    const TF_Output *ti = c.true_inputs, *fi = c.false_inputs;
    c.true_outputs[0] = gradcheck_op2(t, "AddV2", gradcheck_op2(t, "Mul", ti[0], ti[1], s), gradcheck_op1(t, "Sin", ti[0], s), s);
    c.false_outputs[0] = ignore_x1 ? gradcheck_op1(f, "Exp", fi[0], s) : gradcheck_op2(f, "RealDiv", fi[0], fi[1], s);
    c.name = gradcheck_name("cond");
    TF_Output y;
    if (TF_GetCode(s) != TF_OK) {
        TFC_AbortCond(&c);
        return (TF_Output){ NULL, 0 };
    }
    TFC_FinishCond(&c, s, &y);
    return y;
}

static TF_Output taken_true(TF_Graph *g, TF_Output *x, TF_Status *s) { return cond_of(g, const_bool(g, 1, s), x, 0, s); }
static TF_Output taken_false(TF_Graph *g, TF_Output *x, TF_Status *s) { return cond_of(g, const_bool(g, 0, s), x, 0, s); }
static TF_Output ignores_x1(TF_Graph *g, TF_Output *x, TF_Status *s) { return cond_of(g, const_bool(g, 0, s), x, 1, s); }

/* y = cond(x) * x0 + x1: x0 and x1 reach y both through the cond and around it. */
static TF_Output used_outside(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    TF_Output c = cond_of(g, const_bool(g, 1, s), x, 0, s);
    if (TF_GetCode(s) != TF_OK) return c;
    return gradcheck_op2(g, "AddV2", gradcheck_op2(g, "Mul", c, x[0], s), x[1], s);
}

/* Two outputs: (x0 * x1, tanh(x1)) when pred, (x1 - x0, x0 * x0) otherwise; y = out0 * out1. */
static TF_Output two_outputs(TF_Graph *g, TF_Output *x, int pred, TF_Status *s)
{
    TFC_CondParams c = TFC_NewCond(g, const_bool(g, pred, s), x, 2, 2, s);
    if (TF_GetCode(s) != TF_OK) return (TF_Output){ NULL, 0 };
    TF_Graph *t = c.true_graph, *f = c.false_graph;
    const TF_Output *ti = c.true_inputs, *fi = c.false_inputs;
    c.true_outputs[0] = gradcheck_op2(t, "Mul", ti[0], ti[1], s);
    c.true_outputs[1] = gradcheck_op1(t, "Tanh", ti[1], s);
    c.false_outputs[0] = gradcheck_op2(f, "Sub", fi[1], fi[0], s);
    c.false_outputs[1] = gradcheck_op2(f, "Mul", fi[0], fi[0], s);
    c.name = gradcheck_name("cond2");
    TF_Output y[2];
    TFC_FinishCond(&c, s, y);
    if (TF_GetCode(s) != TF_OK) return (TF_Output){ NULL, 0 };
    return gradcheck_op2(g, "Mul", y[0], y[1], s);
}

static TF_Output two_outputs_true(TF_Graph *g, TF_Output *x, TF_Status *s) { return two_outputs(g, x, 1, s); }
static TF_Output two_outputs_false(TF_Graph *g, TF_Output *x, TF_Status *s) { return two_outputs(g, x, 0, s); }

/* The predicate is a function of the input: sum(x0) > 0 (a step, flat almost everywhere). With
 * positive inputs the true branch runs, at every finite-difference probe too. */
static TF_Output data_pred(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    TF_Tensor *axes = TF_AllocateTensor(TF_INT32, (const int64_t[]){ 1 }, 1, 4);
    *(int32_t *)TF_TensorData(axes) = 0;
    TF_OperationDescription *d = TF_NewOperation(g, "Const", gradcheck_name("axes"));
    TF_SetAttrTensor(d, "value", axes, s);
    TF_SetAttrType(d, "dtype", TF_INT32);
    TF_DeleteTensor(axes);
    TF_Output ax = { TF_FinishOperation(d, s), 0 };
    TF_Output sum = gradcheck_op2(g, "Sum", x[0], ax, s);
    TF_Tensor *z = TF_AllocateTensor(TF_DOUBLE, NULL, 0, 8);
    *(double *)TF_TensorData(z) = 0;
    d = TF_NewOperation(g, "Const", gradcheck_name("zero"));
    TF_SetAttrTensor(d, "value", z, s);
    TF_SetAttrType(d, "dtype", TF_DOUBLE);
    TF_DeleteTensor(z);
    TF_Output zero = { TF_FinishOperation(d, s), 0 };
    return cond_of(g, gradcheck_op2(g, "Greater", sum, zero, s), x, 0, s);
}

#define VEC3 .nx = 2, .rank = { 1, 1 }, .dims = { { 3 }, { 3 } }

static const gradcheck_case cases[] = {
    { "cond true branch", VEC3, taken_true },
    { "cond false branch", VEC3, taken_false },
    { "cond branch ignoring an input", VEC3, ignores_x1 },
    { "cond result used outside", VEC3, used_outside },
    { "cond two outputs, true", VEC3, two_outputs_true },
    { "cond two outputs, false", VEC3, two_outputs_false },
    { "cond on a computed predicate", VEC3, data_pred, .positive_only = 1 },
};

static void test_cond_gradients(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int bad = gradcheck_run(&cases[i], 17u + (unsigned)i);
        if (bad) fprintf(stderr, "  FAILED: %s\n", cases[i].name);
        failed += bad;
    }
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cond_gradients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
