/* gpu_cases: helpers of the test_gpu_* suites that compare a GPU kernel with the CPU's exactly
 * (bit for bit) or error for error, and build inputs hidden from shape inference so that the
 * kernels' own checks see them (static inline; include after <cmocka.h>, graph_util.h and
 * gpu_util.h). */
#ifndef TFC_TESTS_GPU_CASES_H_
#define TFC_TESTS_GPU_CASES_H_
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/shape.h"
#include "tfc/c_api.h"

static inline void set_dst(TF_OperationDescription *d, const void *ctx)
{
    TF_SetAttrType(d, "DstT", *(const TF_DataType *)ctx);
}

/* x as dtype dt through the CPU's Cast (the reference conversion); x itself when it is dt already. */
static inline TF_Output cpu_cast(TF_Graph *g, const char *name, TF_Output x, TF_DataType from, TF_DataType dt)
{
    if (from == dt) return x;
    return out0(op_with(g, "Cast", name, CPU0, &x, 1, set_dst, &dt));
}

/* A tensor of dtype dt holding v[0..n) (n = the dims' product), made from a double Const on the
 * CPU. Not a Const itself unless dt is double, so shape inference does not see its values: shape
 * and axis inputs made this way reach the kernels' own checks. */
static inline TF_Output values_as(TF_Graph *g, const char *name, const int64_t *dims, int nd, const double *v, TF_DataType dt)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    TF_Tensor *t = TF_AllocateTensor(TF_DOUBLE, dims, nd, (size_t)n * sizeof(double));
    if (n > 0) memcpy(TF_TensorData(t), v, (size_t)n * sizeof(double));
    TF_Status *s = TF_NewStatus();
    char cname[80];
    snprintf(cname, sizeof cname, "%s_f64", name);
    TF_OperationDescription *d = TF_NewOperation(g, "Const", cname);
    TF_SetAttrTensor(d, "value", t, s);
    assert_ok(s);
    TF_SetAttrType(d, "dtype", TF_DOUBLE);
    TF_SetDevice(d, CPU0);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_DeleteTensor(t);
    TF_DeleteStatus(s);
    return cpu_cast(g, name, out0(op), TF_DOUBLE, dt);
}

/* An int vector (dt int32 or int64) of n entries, hidden from shape inference. */
static inline TF_Output ints_as(TF_Graph *g, const char *name, const int64_t *v, int n, TF_DataType dt)
{
    double d[TFC_MAX_RANK];
    for (int i = 0; i < n; i++) d[i] = (double)v[i];
    return values_as(g, name, (const int64_t[]){ n }, 1, d, dt);
}

/* An int scalar of dtype dt, hidden from shape inference. */
static inline TF_Output int_scalar(TF_Graph *g, const char *name, int64_t v, TF_DataType dt)
{
    double d = (double)v;
    return values_as(g, name, NULL, 0, &d, dt);
}

/* Random data in [-1, 1) of dtype dt (float: a Const, which the session puts on the GPU). */
static inline TF_Output typed_random(TF_Graph *g, const char *name, const int64_t *dims, int nd, TF_DataType dt, uint32_t seed)
{
    char fname[64];
    snprintf(fname, sizeof fname, "%s_f32", name);
    return cpu_cast(g, name, random_const(g, dt == TF_FLOAT ? name : fname, dims, nd, seed), TF_FLOAT, dt);
}

/* A view of x whose shape is unknown to shape inference (a CPU Reshape to x's own dims, hidden),
 * so errors about it surface in the kernel under test. */
static inline TF_Output unknown_shape(TF_Graph *g, const char *name, TF_Output x, const int64_t *dims, int nd)
{
    char sname[64];
    snprintf(sname, sizeof sname, "%s_shape", name);
    TF_Output in[2] = { x, ints_as(g, sname, dims, nd, TF_INT32) };
    return out0(op_on(g, "Reshape", name, CPU0, in, 2));
}

/* A view of x (of dims[0..nd)) whose rank is unknown to shape inference: a CPU Reshape by a shape
 * vector of unknown length (the dims, through [1, nd] and back with hidden shapes), so that
 * rank errors surface in the kernel under test. */
static inline TF_Output unknown_rank(TF_Graph *g, const char *name, TF_Output x, const int64_t *dims, int nd)
{
    char dname[48], mname[48], vname[48]; /* short enough for unknown_shape's suffix */
    snprintf(dname, sizeof dname, "%s_dims", name);
    snprintf(mname, sizeof mname, "%s_matrix", name);
    snprintf(vname, sizeof vname, "%s_vector", name);
    TF_Output shape = ints_as(g, dname, dims, nd, TF_INT32);
    shape = unknown_shape(g, mname, shape, (const int64_t[]){ 1, nd }, 2);
    shape = unknown_shape(g, vname, shape, (const int64_t[]){ nd }, 1);
    TF_Output in[2] = { x, shape };
    return out0(op_on(g, "Reshape", name, CPU0, in, 2));
}

typedef TF_Output (*build_fn)(TF_Graph *g, const char *device, const void *ctx);

/* Runs build's graph (its op under test on device) once: the step's code and message, and in *out
 * (when not NULL) the fetched output, NULL when the step failed. */
static inline TF_Code run_on(build_fn build, const void *ctx, const char *device, char *msg, size_t size, TF_Tensor **out)
{
    TF_Graph *g = TF_NewGraph();
    TF_Output fetched = build(g, device, ctx);
    TF_Session *sess = new_test_session(g, NULL, 0);
    TF_Code code;
    TF_Tensor *v = fetch(sess, fetched, &code, msg, size);
    if (out) *out = v;
    else TF_DeleteTensor(v);
    close_test_session(sess);
    TF_DeleteGraph(g);
    return code;
}

/* got (GPU) is want (CPU) bit for bit — these kernels compute nothing that could round
 * differently — except that any NaN matches any NaN (GPU conversions give the canonical NaN). */
static inline void assert_same(const TF_Tensor *got, const TF_Tensor *want, const char *what)
{
    TF_DataType dt = TF_TensorType(want);
    assert_int_equal(TF_TensorType(got), dt);
    assert_int_equal(TF_NumDims(got), TF_NumDims(want));
    for (int d = 0; d < TF_NumDims(want); d++) assert_int_equal(TF_Dim(got, d), TF_Dim(want, d));
    size_t es = TF_DataTypeSize(dt);
    const char *a = TF_TensorData(got), *b = TF_TensorData(want);
    for (int64_t i = 0; i < TF_TensorElementCount(want); i++) {
        const char *x = a + (size_t)i * es, *y = b + (size_t)i * es;
        bool nans = dt == TF_FLOAT ? isnan(*(const float *)x) && isnan(*(const float *)y)
                    : dt == TF_DOUBLE && isnan(*(const double *)x) && isnan(*(const double *)y);
        if (!nans && memcmp(x, y, es)) fail_msg("%s: element %lld differs from the CPU's", what, (long long)i);
    }
}

/* The GPU kernel gives the CPU's output. */
static inline void expect_cpu_result(build_fn build, const void *ctx, const char *what)
{
    char msg[512];
    TF_Tensor *gpu, *cpu;
    if (run_on(build, ctx, GPU0, msg, sizeof msg, &gpu) != TF_OK) fail_msg("%s on the GPU: %s", what, msg);
    if (run_on(build, ctx, CPU0, msg, sizeof msg, &cpu) != TF_OK) fail_msg("%s on the CPU: %s", what, msg);
    assert_same(gpu, cpu, what);
    TF_DeleteTensor(gpu);
    TF_DeleteTensor(cpu);
}

/* The GPU kernel fails as the CPU's does: same code (not OK), same message. */
static inline void expect_cpu_error(build_fn build, const void *ctx, const char *what)
{
    char gpu_msg[512], cpu_msg[512];
    TF_Code gpu = run_on(build, ctx, GPU0, gpu_msg, sizeof gpu_msg, NULL);
    TF_Code cpu = run_on(build, ctx, CPU0, cpu_msg, sizeof cpu_msg, NULL);
    if (cpu == TF_OK) fail_msg("%s: the CPU accepts it", what);
    if (gpu != cpu || strcmp(gpu_msg, cpu_msg))
        fail_msg("%s: GPU %d (%s), CPU %d (%s)", what, (int)gpu, gpu_msg, (int)cpu, cpu_msg);
}

/* NHWC -> NCHW (to_nchw) or back, on the CPU: how a suite hands the GPU an NCHW operand and
 * compares its result with the CPU's NHWC one. */
static inline TF_Output cpu_nchw_transpose(TF_Graph *g, const char *name, TF_Output x, bool to_nchw)
{
    static const int32_t to[4] = { 0, 3, 1, 2 }, back[4] = { 0, 2, 3, 1 };
    char perm[80];
    snprintf(perm, sizeof perm, "%s_perm", name);
    TF_Output in[2] = { x, out0(const_int32(g, perm, to_nchw ? to : back, (const int64_t[]){ 4 }, 1)) };
    return out0(op_on(g, "Transpose", name, CPU0, in, 2));
}

/* Each of the n cases (size bytes each, starting at cases) as expect_cpu_result, named
 * "<what> case <i>". */
static inline void expect_cpu_results(build_fn build, const void *cases, size_t n, size_t size, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        char name[96];
        snprintf(name, sizeof name, "%s case %zu", what, i);
        expect_cpu_result(build, (const char *)cases + i * size, name);
    }
}

/* Each of the n cases as expect_cpu_error, named "<what> error case <i>". */
static inline void expect_cpu_errors(build_fn build, const void *cases, size_t n, size_t size, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        char name[96];
        snprintf(name, sizeof name, "%s error case %zu", what, i);
        expect_cpu_error(build, (const char *)cases + i * size, name);
    }
}

#endif
