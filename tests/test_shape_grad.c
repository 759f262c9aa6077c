/* shape_grad: the gradients of the reductions, the shape-moving array ops and BatchMatMulV2
 * (ops/shape_grad.c) checked against central finite differences in float64, plus exact cases
 * (Max ties, StopGradient, PreventGradient, unsupported GatherV2 batch_dims). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gradcheck.h"
#include "tfc/c_api.h"

/* A Const of dtype dt (INT32, INT64 or DOUBLE) from n int values; rank 0 when n < 0. */
static TF_Output cnst(TF_Graph *g, TF_DataType dt, const int64_t *v, int n, TF_Status *s, int rank2_cols)
{
    int count = n < 0 ? 1 : n;
    int64_t dims[2] = { rank2_cols ? count / rank2_cols : count, rank2_cols };
    size_t es = dt == TF_INT32 ? 4 : 8;
    TF_Tensor *t = TF_AllocateTensor(dt, dims, n < 0 ? 0 : rank2_cols ? 2 : 1, es * (size_t)count);
    for (int i = 0; i < count; i++) {
        if (dt == TF_INT32) ((int32_t *)TF_TensorData(t))[i] = (int32_t)v[i];
        else if (dt == TF_INT64) ((int64_t *)TF_TensorData(t))[i] = v[i];
        else ((double *)TF_TensorData(t))[i] = (double)v[i];
    }
    TF_OperationDescription *d = TF_NewOperation(g, "Const", gradcheck_name("c"));
    TF_SetAttrTensor(d, "value", t, s);
    TF_SetAttrType(d, "dtype", dt);
    TF_DeleteTensor(t);
    return (TF_Output){ TF_FinishOperation(d, s), 0 };
}

#define I32(...) cnst(g, TF_INT32, (const int64_t[]){ __VA_ARGS__ }, \
                      (int)(sizeof((const int64_t[]){ __VA_ARGS__ }) / 8), s, 0)
#define I64(...) cnst(g, TF_INT64, (const int64_t[]){ __VA_ARGS__ }, \
                      (int)(sizeof((const int64_t[]){ __VA_ARGS__ }) / 8), s, 0)
#define SCALAR(v) cnst(g, TF_INT32, (const int64_t[]){ v }, -1, s, 0)

static TF_Output reduce(TF_Graph *g, const char *type, TF_Output x, TF_Output axes, int keep, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, type, gradcheck_name(type));
    TF_AddInput(d, x);
    TF_AddInput(d, axes);
    TF_SetAttrBool(d, "keep_dims", (unsigned char)keep);
    return (TF_Output){ TF_FinishOperation(d, s), 0 };
}

/* Multiplies y by a fixed non-uniform weight (x * x) so that sum(y) weighs elements differently. */
static TF_Output weigh(TF_Graph *g, TF_Output y, TF_Status *s)
{
    return gradcheck_op2(g, "Mul", y, gradcheck_op1(g, "Square", y, s), s);
}

// ---- reductions ----
static TF_Output b_sum1(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Sum", x[0], I32(1), 0, s), s);
}
static TF_Output b_sum02k(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Sum", x[0], I32(0, 2), 1, s), s);
}
static TF_Output b_sum_neg(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Sum", x[0], I64(-1), 0, s), s);
}
static TF_Output b_sum_scalar_axis(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Sum", x[0], SCALAR(1), 0, s), s);
}
static TF_Output b_sum_all(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Sum", x[0], I32(0, 1), 0, s), s);
}
static TF_Output b_mean12(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Mean", x[0], I32(1, 2), 0, s), s);
}
static TF_Output b_mean0k(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Mean", x[0], I64(0), 1, s), s);
}
static TF_Output b_max1(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Max", x[0], I32(1), 0, s), s);
}
static TF_Output b_min02k(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Min", x[0], I32(0, -1), 1, s), s);
}
static TF_Output b_prod1(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Prod", x[0], I32(1), 0, s), s);
}
static TF_Output b_prod02k(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, reduce(g, "Prod", x[0], I64(0, 2), 1, s), s);
}

static TF_Output b_mean_scalar(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    TF_Output none = cnst(g, TF_INT32, NULL, 0, s, 0);
    return weigh(g, reduce(g, "Mean", x[0], none, 0, s), s);
}

// ---- array ops ----
static TF_Output b_transpose(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, gradcheck_op2(g, "Transpose", x[0], I32(2, 0, 1), s), s);
}
static TF_Output b_transpose64(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, gradcheck_op2(g, "Transpose", x[0], I64(1, 0), s), s);
}

static TF_Output concat(TF_Graph *g, TF_Output *x, int n, TF_Output axis, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, "ConcatV2", gradcheck_name("concat"));
    TF_AddInputList(d, x, n);
    TF_AddInput(d, axis);
    return weigh(g, (TF_Output){ TF_FinishOperation(d, s), 0 }, s);
}
static TF_Output b_concat1(TF_Graph *g, TF_Output *x, TF_Status *s) { return concat(g, x, 3, SCALAR(1), s); }
static TF_Output b_concat_neg(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return concat(g, x, 2, SCALAR(-1), s);
}
static TF_Output b_concat0(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return concat(g, x, 2, cnst(g, TF_INT64, (const int64_t[]){ 0 }, -1, s, 0), s);
}

static TF_Output pack(TF_Graph *g, TF_Output *x, int n, int axis, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, "Pack", gradcheck_name("pack"));
    TF_AddInputList(d, x, n);
    TF_SetAttrInt(d, "axis", axis);
    return weigh(g, (TF_Output){ TF_FinishOperation(d, s), 0 }, s);
}
static TF_Output b_pack0(TF_Graph *g, TF_Output *x, TF_Status *s) { return pack(g, x, 3, 0, s); }
static TF_Output b_pack1(TF_Graph *g, TF_Output *x, TF_Status *s) { return pack(g, x, 2, 1, s); }
static TF_Output b_pack_neg(TF_Graph *g, TF_Output *x, TF_Status *s) { return pack(g, x, 2, -1, s); }

/* Unpack into 3 and use outputs 0 and 2 only: output 1 gets a zero gradient. */
static TF_Output unpack(TF_Graph *g, TF_Output x, int axis, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, "Unpack", gradcheck_name("unpack"));
    TF_AddInput(d, x);
    TF_SetAttrInt(d, "num", 3);
    TF_SetAttrInt(d, "axis", axis);
    TF_Operation *u = TF_FinishOperation(d, s);
    return gradcheck_op2(g, "Mul", weigh(g, (TF_Output){ u, 0 }, s), (TF_Output){ u, 2 }, s);
}
static TF_Output b_unpack0(TF_Graph *g, TF_Output *x, TF_Status *s) { return unpack(g, x[0], 0, s); }
static TF_Output b_unpack1(TF_Graph *g, TF_Output *x, TF_Status *s) { return unpack(g, x[0], 1, s); }

static TF_Output slice(TF_Graph *g, TF_Output x, TF_Output b, TF_Output sz, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, "Slice", gradcheck_name("slice"));
    TF_AddInput(d, x);
    TF_AddInput(d, b);
    TF_AddInput(d, sz);
    return weigh(g, (TF_Output){ TF_FinishOperation(d, s), 0 }, s);
}
static TF_Output b_slice2(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return slice(g, x[0], I32(1, 0), I32(2, -1), s);
}
static TF_Output b_slice3(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return slice(g, x[0], I64(0, 1, 1), I64(2, 1, 2), s);
}

static TF_Output sslice(TF_Graph *g, TF_Output x, TF_Output b, TF_Output e, TF_Output st, const int *m,
                        TF_Status *s)
{
    static const char *const masks[] = { "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                                          "shrink_axis_mask" };
    TF_OperationDescription *d = TF_NewOperation(g, "StridedSlice", gradcheck_name("sslice"));
    TF_AddInput(d, x);
    TF_AddInput(d, b);
    TF_AddInput(d, e);
    TF_AddInput(d, st);
    for (int i = 0; i < 5; i++) TF_SetAttrInt(d, masks[i], m[i]);
    return weigh(g, (TF_Output){ TF_FinishOperation(d, s), 0 }, s);
}
/* x[1:, ::2] */
static TF_Output b_ss_basic(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return sslice(g, x[0], I32(1, 0), I32(0, 0), I32(1, 2), (const int[]){ 0, 3, 0, 0, 0 }, s);
}
/* x[::-1, 1] (shrink), int64 */
static TF_Output b_ss_shrink(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return sslice(g, x[0], I64(0, 1), I64(0, 2), I64(-1, 1), (const int[]){ 1, 1, 0, 0, 2 }, s);
}
/* x[..., newaxis, -2:] */
static TF_Output b_ss_ellipsis(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return sslice(g, x[0], I32(0, 0, -2), I32(0, 0, 0), I32(1, 1, 1), (const int[]){ 0, 4, 1, 2, 0 }, s);
}

static TF_Output b_pad(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    TF_Output p = cnst(g, TF_INT32, (const int64_t[]){ 1, 0, 2, 1 }, 4, s, 2);
    return weigh(g, gradcheck_op2(g, "Pad", x[0], p, s), s);
}
static TF_Output b_padv2(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    TF_Output p = cnst(g, TF_INT64, (const int64_t[]){ 0, 1, 1, 1, 2, 0 }, 6, s, 2);
    TF_Output c = cnst(g, TF_DOUBLE, (const int64_t[]){ 2 }, -1, s, 0);
    TF_OperationDescription *d = TF_NewOperation(g, "PadV2", gradcheck_name("padv2"));
    TF_AddInput(d, x[0]);
    TF_AddInput(d, p);
    TF_AddInput(d, c);
    return weigh(g, (TF_Output){ TF_FinishOperation(d, s), 0 }, s);
}

static TF_Output b_tile(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, gradcheck_op2(g, "Tile", x[0], I32(2, 1), s), s);
}
static TF_Output b_tile3(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, gradcheck_op2(g, "Tile", x[0], I64(3, 2, 2), s), s);
}

static TF_Output gather(TF_Graph *g, TF_Output p, TF_Output idx, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, "GatherV2", gradcheck_name("gather"));
    TF_AddInput(d, p);
    TF_AddInput(d, idx);
    TF_AddInput(d, SCALAR(0));
    return weigh(g, (TF_Output){ TF_FinishOperation(d, s), 0 }, s);
}
static TF_Output b_gather2(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return gather(g, x[0], I32(0, 2, 2, 4), s);
}
static TF_Output b_gather1(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return gather(g, x[0], cnst(g, TF_INT64, (const int64_t[]){ 1, 1, 0, 3, 2, 1 }, 6, s, 3), s);
}
static TF_Output b_gather_scalar(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return gather(g, x[0], SCALAR(2), s);
}

static TF_Output b_bcast(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, gradcheck_op2(g, "BroadcastTo", x[0], I32(2, 3, 4), s), s);
}
static TF_Output b_bcast1(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    return weigh(g, gradcheck_op2(g, "BroadcastTo", x[0], I64(3, 4), s), s);
}

static TF_Output bmm(TF_Graph *g, TF_Output *x, int ax, int ay, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, "BatchMatMulV2", gradcheck_name("bmm"));
    TF_AddInput(d, x[0]);
    TF_AddInput(d, x[1]);
    TF_SetAttrBool(d, "adj_x", (unsigned char)ax);
    TF_SetAttrBool(d, "adj_y", (unsigned char)ay);
    return weigh(g, (TF_Output){ TF_FinishOperation(d, s), 0 }, s);
}
static TF_Output b_bmm00(TF_Graph *g, TF_Output *x, TF_Status *s) { return bmm(g, x, 0, 0, s); }
static TF_Output b_bmm01(TF_Graph *g, TF_Output *x, TF_Status *s) { return bmm(g, x, 0, 1, s); }
static TF_Output b_bmm10(TF_Graph *g, TF_Output *x, TF_Status *s) { return bmm(g, x, 1, 0, s); }
static TF_Output b_bmm11(TF_Graph *g, TF_Output *x, TF_Status *s) { return bmm(g, x, 1, 1, s); }

/* Mean of a Transpose of a Concat of a Tile: several gradients chained. */
static TF_Output b_chain(TF_Graph *g, TF_Output *x, TF_Status *s)
{
    TF_Output t = gradcheck_op2(g, "Tile", x[0], I32(1, 2), s);
    TF_Output parts[2] = { t, x[1] };
    TF_OperationDescription *d = TF_NewOperation(g, "ConcatV2", gradcheck_name("concat"));
    TF_AddInputList(d, parts, 2);
    TF_AddInput(d, SCALAR(0));
    TF_Output c = { TF_FinishOperation(d, s), 0 };
    TF_Output tr = gradcheck_op2(g, "Transpose", weigh(g, c, s), I32(1, 0), s);
    return weigh(g, reduce(g, "Mean", tr, I32(0), 0, s), s);
}

static const gradcheck_case cases[] = {
    { "Sum axis 1", 1, { 3 }, { { 2, 3, 4 } }, b_sum1 },
    { "Sum axes 0,2 keep_dims", 1, { 3 }, { { 2, 3, 4 } }, b_sum02k },
    { "Sum axis -1 int64", 1, { 2 }, { { 3, 2 } }, b_sum_neg },
    { "Sum scalar axis", 1, { 2 }, { { 3, 2 } }, b_sum_scalar_axis },
    { "Sum all", 1, { 2 }, { { 3, 2 } }, b_sum_all },
    { "Mean of a scalar, no axes", 1, { 0 }, { { 0 } }, b_mean_scalar },
    { "Mean axes 1,2", 1, { 3 }, { { 2, 3, 4 } }, b_mean12 },
    { "Mean axis 0 int64 keep_dims", 1, { 2 }, { { 3, 2 } }, b_mean0k },
    { "Max axis 1", 1, { 2 }, { { 3, 4 } }, b_max1 },
    { "Min axes 0,-1 keep_dims", 1, { 3 }, { { 2, 3, 4 } }, b_min02k },
    { "Prod axis 1", 1, { 2 }, { { 2, 3 } }, b_prod1 },
    { "Prod axes 0,2 int64 keep_dims", 1, { 3 }, { { 2, 3, 2 } }, b_prod02k },
    { "Transpose [2,0,1]", 1, { 3 }, { { 2, 3, 4 } }, b_transpose },
    { "Transpose int64 perm", 1, { 2 }, { { 2, 3 } }, b_transpose64 },
    { "ConcatV2 axis 1", 3, { 2, 2, 2 }, { { 2, 1 }, { 2, 3 }, { 2, 2 } }, b_concat1 },
    { "ConcatV2 axis -1", 2, { 3, 3 }, { { 2, 2, 1 }, { 2, 2, 3 } }, b_concat_neg },
    { "ConcatV2 axis 0 int64", 2, { 2, 2 }, { { 1, 3 }, { 2, 3 } }, b_concat0 },
    { "Pack axis 0", 3, { 2, 2, 2 }, { { 2, 3 }, { 2, 3 }, { 2, 3 } }, b_pack0 },
    { "Pack axis 1", 2, { 2, 2 }, { { 2, 3 }, { 2, 3 } }, b_pack1 },
    { "Pack axis -1", 2, { 1, 1 }, { { 4 }, { 4 } }, b_pack_neg },
    { "Unpack axis 0 (one output unused)", 1, { 2 }, { { 3, 2 } }, b_unpack0 },
    { "Unpack axis 1", 1, { 3 }, { { 2, 3, 2 } }, b_unpack1 },
    { "Slice [3,4] size -1", 1, { 2 }, { { 3, 4 } }, b_slice2 },
    { "Slice rank 3 int64", 1, { 3 }, { { 2, 3, 4 } }, b_slice3 },
    { "StridedSlice x[1:, ::2]", 1, { 2 }, { { 3, 5 } }, b_ss_basic },
    { "StridedSlice x[::-1, 1] int64", 1, { 2 }, { { 3, 4 } }, b_ss_shrink },
    { "StridedSlice x[..., newaxis, -2:]", 1, { 3 }, { { 2, 3, 4 } }, b_ss_ellipsis },
    { "Pad", 1, { 2 }, { { 2, 3 } }, b_pad },
    { "PadV2 int64 paddings", 1, { 3 }, { { 2, 1, 3 } }, b_padv2 },
    { "Tile [2,1]", 1, { 2 }, { { 2, 3 } }, b_tile },
    { "Tile int64 rank 3", 1, { 3 }, { { 1, 2, 3 } }, b_tile3 },
    { "GatherV2 [5,3] repeated indices", 1, { 2 }, { { 5, 3 } }, b_gather2 },
    { "GatherV2 [4] int64 indices [2,3]", 1, { 1 }, { { 4 } }, b_gather1 },
    { "GatherV2 [3,2,2] scalar index", 1, { 3 }, { { 3, 2, 2 } }, b_gather_scalar },
    { "BroadcastTo [3,1]->[2,3,4]", 1, { 2 }, { { 3, 1 } }, b_bcast },
    { "BroadcastTo [4]->[3,4]", 1, { 1 }, { { 4 } }, b_bcast1 },
    { "BatchMatMulV2", 2, { 3, 3 }, { { 2, 3, 4 }, { 2, 4, 5 } }, b_bmm00 },
    { "BatchMatMulV2 broadcast batch", 2, { 4, 3 }, { { 2, 1, 3, 4 }, { 3, 4, 2 } }, b_bmm00 },
    { "BatchMatMulV2 adj_y", 2, { 2, 3 }, { { 3, 4 }, { 2, 5, 4 } }, b_bmm01 },
    { "BatchMatMulV2 adj_x", 2, { 3, 2 }, { { 2, 4, 3 }, { 4, 5 } }, b_bmm10 },
    { "BatchMatMulV2 adj_x adj_y", 2, { 3, 3 }, { { 1, 4, 3 }, { 2, 5, 4 } }, b_bmm11 },
    { "chain Tile Concat Transpose Mean", 2, { 2, 2 }, { { 2, 1 }, { 1, 2 } }, b_chain },
};

static void test_finite_differences(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        failures += gradcheck_run(&cases[i], 7 + (unsigned)i);
    assert_int_equal(failures, 0);
}

static TF_Output placeholder(TF_Graph *g, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, "Placeholder", gradcheck_name("x"));
    TF_SetAttrType(d, "dtype", TF_DOUBLE);
    return (TF_Output){ TF_FinishOperation(d, s), 0 };
}

/* Runs dy (fed x = v[0..n)) and copies it into out. */
static void run_grad(TF_Graph *g, TF_Output x, TF_Output dy, const double *v, int n, double *out)
{
    TF_Status *s = TF_NewStatus();
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *sess = TF_NewSession(g, o, s);
    int64_t dims[1] = { n };
    TF_Tensor *in = TF_AllocateTensor(TF_DOUBLE, dims, 1, (size_t)n * 8), *res = NULL;
    memcpy(TF_TensorData(in), v, (size_t)n * 8);
    TF_SessionRun(sess, NULL, &x, &in, 1, &dy, &res, 1, NULL, 0, NULL, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    assert_int_equal(TF_TensorElementCount(res), n);
    memcpy(out, TF_TensorData(res), (size_t)n * 8);
    TF_DeleteTensor(res);
    TF_DeleteTensor(in);
    TF_DeleteSession(sess, s);
    TF_DeleteSessionOptions(o);
    TF_DeleteStatus(s);
}

/* Max over [1, 3, 3, 2]: the two tied maxima share the gradient. */
static void test_max_ties(void **state)
{
    (void)state;
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Output x = placeholder(g, s), y = reduce(g, "Max", x, I32(0), 0, s), dx;
    TF_AddGradients(g, &y, 1, &x, 1, NULL, s, &dx);
    assert_int_equal(TF_GetCode(s), TF_OK);
    double out[4];
    run_grad(g, x, dx, (const double[]){ 1, 3, 3, 2 }, 4, out);
    assert_true(out[0] == 0 && out[1] == 0.5 && out[2] == 0.5 && out[3] == 0);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

/* y = StopGradient(x) + x * x: only the second term differentiates (2x); through StopGradient
 * alone x gets no gradient. */
static void test_stop_gradient(void **state)
{
    (void)state;
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Output x = placeholder(g, s), stop = gradcheck_op1(g, "StopGradient", x, s), dx;
    TF_Output y = gradcheck_op2(g, "AddV2", stop, gradcheck_op1(g, "Square", x, s), s);
    TF_AddGradients(g, &y, 1, &x, 1, NULL, s, &dx);
    assert_int_equal(TF_GetCode(s), TF_OK);
    double out[2];
    run_grad(g, x, dx, (const double[]){ 1.5, -2 }, 2, out);
    assert_true(out[0] == 3 && out[1] == -4);
    TF_AddGradients(g, &stop, 1, &x, 1, NULL, s, &dx);
    assert_int_equal(TF_GetCode(s), TF_OK);
    assert_null(dx.oper);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_prevent_gradient_and_unsupported(void **state)
{
    (void)state;
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Output x = placeholder(g, s), dx;
    TF_OperationDescription *d = TF_NewOperation(g, "PreventGradient", "prevent");
    TF_AddInput(d, x);
    TF_SetAttrString(d, "message", "no", 2);
    TF_Output p = { TF_FinishOperation(d, s), 0 };
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_AddGradients(g, &p, 1, &x, 1, NULL, s, &dx);
    assert_int_equal(TF_GetCode(s), TF_INVALID_ARGUMENT);
    assert_string_equal(TF_Message(s), "Gradient explicitly disabled. Reason: no");
    /* GatherV2 with batch_dims 1: unimplemented */
    TF_Output m = gradcheck_op2(g, "Reshape", x, I32(2, -1), s);
    d = TF_NewOperation(g, "GatherV2", "gather_batch1");
    TF_AddInput(d, m);
    TF_AddInput(d, I32(0, 1));
    TF_AddInput(d, SCALAR(1));
    TF_SetAttrInt(d, "batch_dims", 1);
    TF_Output ga = { TF_FinishOperation(d, s), 0 };
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_AddGradients(g, &ga, 1, &x, 1, NULL, s, &dx);
    assert_int_equal(TF_GetCode(s), TF_UNIMPLEMENTED);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finite_differences),
        cmocka_unit_test(test_max_ties),
        cmocka_unit_test(test_stop_gradient),
        cmocka_unit_test(test_prevent_gradient_and_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
