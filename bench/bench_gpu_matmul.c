/* bench_gpu_matmul: MatMul TFLOP/s on GPU:0 through a tfc session against cublasSgemm called
 * directly, same process and same GPU. Built only with the CUDA device (TFC_CUDA).
 *
 * For each N the tfc graph is a chain of CHAIN square MatMuls, C1 = A B, C2 = C1 B, ..., on
 * constants A and B (the GPU Const kernel copies them to the device once). Each step runs the last
 * MatMul as a target: no feed or fetch, so the figure is the kernels plus what a step costs
 * (plan lookup, dispatch, the pool's allocations, the end-of-step device sync). The reference runs
 * CHAIN cublasSgemm calls on preallocated buffers, then synchronizes. FP32 math, no TF32, on both.
 * The target: tfc >= 90% of direct. Each figure is the median over trials.
 * Usage: bench_gpu_matmul [--quick]   Exits 0 with a note when there is no GPU. */
#include "bench_common.h"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <math.h>

enum { CHAIN = 8, TRIALS = 5 };

static void fill(float *v, size_t n, float scale)
{
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        v[i] = ((float)(x >> 8) / (float)(1u << 23) - 1.0f) * scale;
    }
}

static int has_gpu(void)
{
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Session *sess = bench_session(g, 0, 0, s);
    TF_DeviceList *l = TF_SessionListDevices(sess, s);
    int n = 0;
    for (int i = 0; l && i < TF_DeviceListCount(l); i++) n += !strcmp(TF_DeviceListType(l, i, s), "GPU");
    TF_DeleteDeviceList(l);
    bench_close(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
    return n;
}

static void cuda_ok(cudaError_t e, const char *what)
{
    if (e != cudaSuccess) {
        fprintf(stderr, "bench: %s: %s\n", what, cudaGetErrorString(e));
        exit(1);
    }
}

/* Seconds per chain of cublasSgemm calls (median). */
static double direct_seconds(int n, const float *host_a, const float *host_b, int iters)
{
    size_t bytes = (size_t)n * n * sizeof(float);
    float *a, *b, *c[2];
    cuda_ok(cudaMalloc((void **)&a, bytes), "cudaMalloc");
    cuda_ok(cudaMalloc((void **)&b, bytes), "cudaMalloc");
    cuda_ok(cudaMalloc((void **)&c[0], bytes), "cudaMalloc");
    cuda_ok(cudaMalloc((void **)&c[1], bytes), "cudaMalloc");
    cuda_ok(cudaMemcpy(a, host_a, bytes, cudaMemcpyHostToDevice), "cudaMemcpy");
    cuda_ok(cudaMemcpy(b, host_b, bytes, cudaMemcpyHostToDevice), "cudaMemcpy");
    cublasHandle_t h;
    if (cublasCreate(&h) != CUBLAS_STATUS_SUCCESS) exit(1);
    const float one = 1, zero = 0;
    double t[TRIALS];
    for (int trial = -1; trial < TRIALS; trial++) { /* trial -1 warms up */
        double t0 = bench_now();
        for (int it = 0; it < iters; it++) {
            const float *x = a;
            for (int k = 0; k < CHAIN; k++) {
                cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, b, n, x, n, &zero, c[k & 1], n);
                x = c[k & 1];
            }
        }
        cuda_ok(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
        if (trial >= 0) t[trial] = (bench_now() - t0) / iters;
    }
    cublasDestroy(h);
    cudaFree(a);
    cudaFree(b);
    cudaFree(c[0]);
    cudaFree(c[1]);
    return bench_median(t, TRIALS);
}

static TF_Operation *const_matrix(TF_Graph *g, const char *name, int n, const float *v, TF_Status *s)
{
    int64_t dims[2] = { n, n };
    TF_Tensor *t = TF_AllocateTensor(TF_FLOAT, dims, 2, (size_t)n * n * sizeof(float));
    memcpy(TF_TensorData(t), v, (size_t)n * n * sizeof(float));
    TF_OperationDescription *d = TF_NewOperation(g, "Const", name);
    TF_SetAttrTensor(d, "value", t, s);
    TF_SetAttrType(d, "dtype", TF_FLOAT);
    TF_SetDevice(d, "/device:GPU:0");
    TF_Operation *op = TF_FinishOperation(d, s);
    TF_DeleteTensor(t);
    bench_check(s, name);
    return op;
}

/* Seconds per step of the tfc chain (median). */
static double tfc_seconds(int n, const float *host_a, const float *host_b, int iters)
{
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Operation *a = const_matrix(g, "a", n, host_a, s), *b = const_matrix(g, "b", n, host_b, s), *x = a;
    for (int k = 0; k < CHAIN; k++) {
        char name[16];
        snprintf(name, sizeof name, "mm%d", k);
        TF_OperationDescription *d = TF_NewOperation(g, "MatMul", name);
        TF_AddInput(d, (TF_Output){ x, 0 });
        TF_AddInput(d, (TF_Output){ b, 0 });
        TF_SetDevice(d, "/device:GPU:0");
        x = TF_FinishOperation(d, s);
        bench_check(s, name);
    }
    TF_Session *sess = bench_session(g, 0, 0, s);
    const TF_Operation *target = x;
    double t[TRIALS];
    for (int trial = -1; trial < TRIALS; trial++) {
        double t0 = bench_now();
        for (int it = 0; it < iters; it++) {
            TF_SessionRun(sess, NULL, NULL, NULL, 0, NULL, NULL, 0, &target, 1, NULL, s);
            bench_check(s, "TF_SessionRun");
        }
        if (trial >= 0) t[trial] = (bench_now() - t0) / iters;
    }
    bench_close(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
    return bench_median(t, TRIALS);
}

int main(int argc, char **argv)
{
    int quick = bench_quick(argc, argv);
    if (!has_gpu()) {
        printf("bench_gpu_matmul: no GPU, nothing measured\n");
        return 0;
    }
    const int sizes[] = { 1024, 2048, 4096, 8192 };
    int n_sizes = quick ? 1 : (int)(sizeof sizes / sizeof sizes[0]);
    printf("%6s %6s %12s %12s %8s\n", "N", "chain", "tfc TFLOP/s", "cuBLAS", "ratio");
    for (int i = 0; i < n_sizes; i++) {
        int n = sizes[i];
        float *a = malloc((size_t)n * n * sizeof(float)), *b = malloc((size_t)n * n * sizeof(float));
        fill(a, (size_t)n * n, 1.0f);
        fill(b, (size_t)n * n, 1.0f / sqrtf((float)n)); /* keeps the chain's values bounded */
        double flops = 2.0 * n * (double)n * n * CHAIN;
        int iters = quick ? 2 : (int)fmax(2, 2e12 / flops); /* about 2 TFLOP per trial */
        double direct = direct_seconds(n, a, b, iters), ours = tfc_seconds(n, a, b, iters);
        printf("%6d %6d %12.2f %12.2f %8.3f\n", n, CHAIN, flops / ours * 1e-12, flops / direct * 1e-12, direct / ours);
        free(a);
        free(b);
    }
    return 0;
}
