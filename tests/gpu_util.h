/* gpu_util: helpers of the test_gpu_* suites (static inline, like graph_util.h; include after
 * <cmocka.h> and graph_util.h). Each suite starts with gpu_suite_skip_without_gpu() and exits 77
 * (ctest: skipped) when no GPU is visible; its tests build the same graph for GPU:0 and CPU:0 and
 * compare the fetched outputs (gpu_compare). */
#ifndef TFC_TESTS_GPU_UTIL_H_
#define TFC_TESTS_GPU_UTIL_H_
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/cuda/cuda_devices.h"
#include "tfc/c_api.h"

#define GPU0 "/device:GPU:0"
#define CPU0 "/device:CPU:0"

/* Number of GPU devices a plain session lists. */
static inline int count_gpus(void)
{
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *sess = TF_NewSession(g, o, s);
    int n = 0;
    TF_DeviceList *l = sess ? TF_SessionListDevices(sess, s) : NULL;
    for (int i = 0; l && i < TF_DeviceListCount(l); i++) n += !strcmp(TF_DeviceListType(l, i, s), "GPU");
    TF_DeleteDeviceList(l);
    if (sess) TF_DeleteSession(sess, s);
    TF_DeleteSessionOptions(o);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
    return n;
}

/* True when the suite should exit 77: no GPU (says why on stdout). */
static inline bool gpu_suite_skip_without_gpu(const char *suite)
{
    if (count_gpus() > 0) return false;
    printf("%s: no GPU (%s), skipped\n", suite, tfc_gpu_built() ? "none visible" : "built without CUDA");
    return true;
}

/* Fetches one output (feeding nothing); the code of the step in *code, the tensor or NULL. */
static inline TF_Tensor *fetch(TF_Session *sess, TF_Output out, TF_Code *code, char *msg, size_t msg_size)
{
    TF_Status *s = TF_NewStatus();
    TF_Tensor *v = NULL;
    TF_SessionRun(sess, NULL, NULL, NULL, 0, &out, &v, 1, NULL, 0, NULL, s);
    *code = TF_GetCode(s);
    if (msg) snprintf(msg, msg_size, "%s", TF_Message(s));
    TF_DeleteStatus(s);
    return v;
}

static inline TF_Tensor *fetch_ok(TF_Session *sess, TF_Output out)
{
    char msg[512];
    TF_Code code;
    TF_Tensor *v = fetch(sess, out, &code, msg, sizeof msg);
    if (code != TF_OK) fail_msg("step failed (%d): %s", (int)code, msg);
    return v;
}

/* An op of `type` on inputs in[0..n_in), pinned to device (NULL: placed by the session); attrs
 * are set by the caller's set_attrs(d, ctx) when not NULL. */
static inline TF_Operation *op_with(TF_Graph *g, const char *type, const char *name, const char *device,
                                    const TF_Output *in, int n_in,
                                    void (*set_attrs)(TF_OperationDescription *d, const void *ctx), const void *ctx)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    for (int i = 0; i < n_in; i++) TF_AddInput(d, in[i]);
    if (device) TF_SetDevice(d, device);
    if (set_attrs) set_attrs(d, ctx);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_DeleteStatus(s);
    return op;
}

static inline TF_Operation *op_on(TF_Graph *g, const char *type, const char *name, const char *device,
                                  const TF_Output *in, int n_in)
{
    return op_with(g, type, name, device, in, n_in, NULL, NULL);
}

/* Reproducible values in [-1, 1). */
static inline void fill_random(float *v, int64_t n, uint32_t seed)
{
    for (int64_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        v[i] = (float)(seed >> 8) / (float)(1u << 23) - 1.0f;
    }
}

/* A float Const of the given shape holding fill_random(seed) values. */
static inline TF_Output random_const(TF_Graph *g, const char *name, const int64_t *dims, int nd, uint32_t seed)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    float *v = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
    fill_random(v, n, seed);
    TF_Output o = out0(const_float(g, name, dims, nd, v));
    free(v);
    return o;
}

/* got (from the GPU) matches want (from the CPU) elementwise: same dtype and shape, and
 * |got - want| <= atol + rtol |want| for floating types, equal for integer types. */
static inline void assert_close(const TF_Tensor *got, const TF_Tensor *want, double rtol, double atol, const char *what)
{
    assert_int_equal(TF_TensorType(got), TF_TensorType(want));
    assert_int_equal(TF_NumDims(got), TF_NumDims(want));
    for (int d = 0; d < TF_NumDims(want); d++) assert_int_equal(TF_Dim(got, d), TF_Dim(want, d));
    int64_t n = TF_TensorElementCount(want);
    for (int64_t i = 0; i < n; i++) {
        double a, b;
        switch (TF_TensorType(want)) {
        case TF_FLOAT: a = ((const float *)TF_TensorData(got))[i], b = ((const float *)TF_TensorData(want))[i]; break;
        case TF_DOUBLE: a = ((const double *)TF_TensorData(got))[i], b = ((const double *)TF_TensorData(want))[i]; break;
        case TF_INT32: a = ((const int32_t *)TF_TensorData(got))[i], b = ((const int32_t *)TF_TensorData(want))[i]; break;
        case TF_INT64: a = (double)((const int64_t *)TF_TensorData(got))[i], b = (double)((const int64_t *)TF_TensorData(want))[i]; break;
        default: fail_msg("%s: assert_close does not compare dtype %d", what, (int)TF_TensorType(want)); return;
        }
        bool floating = TF_TensorType(want) == TF_FLOAT || TF_TensorType(want) == TF_DOUBLE;
        bool ok = floating ? (isnan(b) ? isnan(a) : fabs(a - b) <= atol + rtol * fabs(b)) : a == b;
        if (!ok) fail_msg("%s: element %lld is %.9g on GPU, %.9g on CPU", what, (long long)i, a, b);
    }
}

/* Builds a graph with build(g, device, ctx) for GPU:0 and for CPU:0 (build pins the ops under test
 * to `device` and returns the output to fetch), runs each once and compares them. */
static inline void gpu_compare(TF_Output (*build)(TF_Graph *g, const char *device, const void *ctx), const void *ctx,
                               double rtol, double atol, const char *what)
{
    TF_Tensor *res[2];
    for (int dev = 0; dev < 2; dev++) {
        TF_Graph *g = TF_NewGraph();
        TF_Output out = build(g, dev ? CPU0 : GPU0, ctx);
        TF_Session *sess = new_test_session(g, NULL, 0);
        res[dev] = fetch_ok(sess, out);
        close_test_session(sess);
        TF_DeleteGraph(g);
    }
    assert_close(res[0], res[1], rtol, atol, what);
    TF_DeleteTensor(res[0]);
    TF_DeleteTensor(res[1]);
}

#endif
