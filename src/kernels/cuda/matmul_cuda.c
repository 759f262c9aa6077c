/* matmul_cuda: MatMul on the GPU with cuBLAS (float, double). cuBLAS is column-major: a row-major
 * C[m,n] = op(A) op(B) is the column-major C^T[n,m] = op(B)^T op(A)^T, so the call passes B before
 * A with n and m swapped, and no data is transposed. */
#include <string.h>

#include "core/alloc.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/kernel.h"
#include "kernels/matmul_check.h"

typedef struct matmul_state {
    bool ta, tb;
} matmul_state;

static TF_Code matmul_init(const tfc_kernel_init_ctx *c, void **state)
{
    matmul_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    s->ta = tfc_attrs_bool(c->attrs, "transpose_a", false);
    s->tb = tfc_attrs_bool(c->attrs, "transpose_b", false);
    *state = s;
    return TF_OK;
}

static cublasStatus_t gemm(const tfc_cuda *g, TF_DataType dt, bool ta, bool tb, int m, int n, int kd, const void *a,
                           int lda, const void *b, int ldb, void *c)
{
    cublasOperation_t opa = ta ? CUBLAS_OP_T : CUBLAS_OP_N, opb = tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    if (dt == TF_FLOAT) {
        const float one = 1, zero = 0;
        return cublasSgemm(g->blas, opb, opa, n, m, kd, &one, b, ldb, a, lda, &zero, c, n);
    }
    const double one = 1, zero = 0;
    return cublasDgemm(g->blas, opb, opa, n, m, kd, &one, b, ldb, a, lda, &zero, c, n);
}

static void matmul_compute(tfc_kernel_ctx *k)
{
    const matmul_state *s = tfc_kernel_state(k);
    tfc_cuda *g = tfc_cuda_of(k->device);
    int64_t m, n, kd;
    TF_Tensor *c;
    if (!tfc_matmul_check(k, s->ta, s->tb, &m, &n, &kd) ||
        tfc_kernel_alloc_output(k, 0, (const int64_t[]){ m, n }, 2, &c) || m == 0 || n == 0)
        return;
    if (tfc_cuda_activate(g, k->status, "MatMul")) return;
    if (kd == 0) { /* the sum over nothing */
        cudaError_t e = cudaMemsetAsync(tfc_tensor_data(c), 0, c->nbytes, g->compute);
        if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "cudaMemsetAsync: %s", cudaGetErrorString(e));
        return;
    }
    const TF_Tensor *a = tfc_kernel_input(k, 0), *b = tfc_kernel_input(k, 1);
    pthread_mutex_lock(&g->blas_mu);
    cublasStatus_t e = gemm(g, a->dtype, s->ta, s->tb, (int)m, (int)n, (int)kd, tfc_tensor_data(a), (int)a->dims[1],
                            tfc_tensor_data(b), (int)b->dims[1], tfc_tensor_data(c));
    pthread_mutex_unlock(&g->blas_mu);
    if (e != CUBLAS_STATUS_SUCCESS) tfc_kernel_error(k, TF_INTERNAL, "cuBLAS gemm failed: %s", cublasGetStatusString(e));
}

const tfc_kernel_def tfc_gpu_matmul_kernels[] = {
    { "MatMul", "GPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = matmul_init, .free_state = tfc_free,
      .compute = matmul_compute },
    { 0 },
};
