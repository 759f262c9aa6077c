/* batch_matmul_cuda: BatchMatMulV2 on the GPU with cuBLAS (float, double). The checks, messages
 * and batch broadcast are the CPU kernel's (batch_matmul_check.h). As in matmul_cuda.c, the
 * row-major out[b] = op(x[b]) op(y[b]) is the column-major out[b]^T = op(y[b])^T op(x[b])^T, so y
 * goes before x with m and n swapped and nothing is transposed.
 *
 * When each operand's matrices sit a constant distance apart in the flattened batch (no broadcast,
 * or one operand broadcast whole: distance 0), one cublas*gemmStridedBatched call does every
 * product. Any other broadcast (x [2, 1, m, k] times y [1, 3, k, n]) passes cublas*gemmBatched an
 * array of matrix pointers, built on the host and copied into a pool buffer on the compute stream,
 * freed right after the call as gather_cuda.c frees its indices (the pool is stream-ordered). */
#include <limits.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "kernels/batch_matmul_check.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/kernel.h"

/* One call's operands: the products of g over `batch` matrices of x, y and out. */
typedef struct bmm_call {
    const tfc_bmm_geom *g;
    TF_DataType dt;
    int lda, ldb;   /* the row lengths of x and y */
    int batch;
    const void *x, *y;
    void *out;
} bmm_call;

/* The constant element distance between consecutive matrices of an operand with batch strides
 * `stride` (tfc_bmm_strides), or -1 when there is none. */
static int64_t uniform_stride(const tfc_bmm_geom *g, const int64_t *stride)
{
    int64_t step = -1, inner = 1;
    for (int d = g->rb - 1; d >= 0; d--) {
        if (g->out_batch[d] == 1) continue; /* its digit is always 0 */
        if (step < 0) step = stride[d];     /* the innermost dim that counts */
        else if (stride[d] != step * inner) return -1;
        inner *= g->out_batch[d];
    }
    return step < 0 ? 0 : step;
}

static cublasStatus_t gemm_strided(const tfc_cuda *d, const bmm_call *c, int64_t sx, int64_t sy)
{
    const tfc_bmm_geom *g = c->g;
    cublasOperation_t opx = g->ta ? CUBLAS_OP_T : CUBLAS_OP_N, opy = g->tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    int m = (int)g->m, n = (int)g->n, k = (int)g->k;
    long long so = (long long)g->m * g->n;
    if (c->dt == TF_FLOAT) {
        const float one = 1, zero = 0;
        return cublasSgemmStridedBatched(d->blas, opy, opx, n, m, k, &one, c->y, c->ldb, sy, c->x, c->lda, sx, &zero,
                                         c->out, n, so, c->batch);
    }
    const double one = 1, zero = 0;
    return cublasDgemmStridedBatched(d->blas, opy, opx, n, m, k, &one, c->y, c->ldb, sy, c->x, c->lda, sx, &zero,
                                     c->out, n, so, c->batch);
}

/* ptrs[0 .. 3 * batch): the x, y and out matrix of every product, x and y read through the
 * broadcast strides. */
static void fill_pointers(const bmm_call *c, const void **ptrs)
{
    const tfc_bmm_geom *g = c->g;
    size_t es = tfc_dtype_elem_size(c->dt);
    for (int b = 0; b < c->batch; b++) {
        int64_t rest = b, ox = 0, oy = 0;
        for (int d = g->rb - 1; d >= 0; d--) {
            int64_t digit = rest % g->out_batch[d];
            rest /= g->out_batch[d];
            ox += digit * g->x_stride[d], oy += digit * g->y_stride[d];
        }
        ptrs[b] = (const char *)c->x + (size_t)ox * es;
        ptrs[c->batch + b] = (const char *)c->y + (size_t)oy * es;
        ptrs[2 * c->batch + b] = (char *)c->out + (size_t)b * (size_t)(g->m * g->n) * es;
    }
}

static cublasStatus_t gemm_pointers(const tfc_cuda *d, const bmm_call *c, void *const *dev)
{
    const tfc_bmm_geom *g = c->g;
    cublasOperation_t opx = g->ta ? CUBLAS_OP_T : CUBLAS_OP_N, opy = g->tb ? CUBLAS_OP_T : CUBLAS_OP_N;
    int m = (int)g->m, n = (int)g->n, k = (int)g->k, nb = c->batch;
    if (c->dt == TF_FLOAT) {
        const float one = 1, zero = 0;
        return cublasSgemmBatched(d->blas, opy, opx, n, m, k, &one, (const float *const *)dev + nb, c->ldb,
                                  (const float *const *)dev, c->lda, &zero, (float *const *)dev + 2 * nb, n, nb);
    }
    const double one = 1, zero = 0;
    return cublasDgemmBatched(d->blas, opy, opx, n, m, k, &one, (const double *const *)dev + nb, c->ldb,
                              (const double *const *)dev, c->lda, &zero, (double *const *)dev + 2 * nb, n, nb);
}

/* The broadcast no stride describes: the pointer arrays go to the device first. */
static void run_with_pointers(tfc_kernel_ctx *k, tfc_cuda *d, const bmm_call *c)
{
    size_t bytes = sizeof(void *) * 3 * (size_t)c->batch;
    const void **host = tfc_malloc(bytes);
    void **dev = host ? tfc_cuda_pool_alloc(d->pool, bytes) : NULL;
    if (!dev) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory for %d matrix pointers", 3 * c->batch);
        tfc_free(host);
        return;
    }
    fill_pointers(c, host);
    cudaError_t e = cudaMemcpyAsync(dev, host, bytes, cudaMemcpyHostToDevice, d->compute);
    tfc_free(host); /* pageable memory: the copy has staged it when cudaMemcpyAsync returns */
    if (e != cudaSuccess) {
        tfc_kernel_error(k, TF_INTERNAL, "copying the matrix pointers: %s", cudaGetErrorString(e));
    } else {
        pthread_mutex_lock(&d->blas_mu);
        cublasStatus_t s = gemm_pointers(d, c, dev);
        pthread_mutex_unlock(&d->blas_mu);
        if (s != CUBLAS_STATUS_SUCCESS)
            tfc_kernel_error(k, TF_INTERNAL, "cuBLAS batched gemm failed: %s", cublasGetStatusString(s));
    }
    tfc_cuda_pool_free(d->pool, dev);
}

static void bmm_compute(tfc_kernel_ctx *k)
{
    const tfc_bmm_attrs *s = tfc_kernel_state(k);
    tfc_bmm_geom g;
    int64_t dims[TFC_MAX_RANK];
    TF_Tensor *out;
    if (!tfc_bmm_check(k, s, &g, dims) || tfc_kernel_alloc_output(k, 0, dims, g.rb + 2, &out) || out->nelems == 0)
        return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, "BatchMatMulV2")) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0), *y = tfc_kernel_input(k, 1);
    if (g.k == 0) { /* sums over nothing; x or y is empty, so no strides */
        cudaError_t e = cudaMemsetAsync(tfc_tensor_data(out), 0, out->nbytes, d->compute);
        if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "cudaMemsetAsync: %s", cudaGetErrorString(e));
        return;
    }
    int64_t batch = out->nelems / (g.m * g.n);
    if (batch > INT_MAX) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "BatchMatMulV2 on the GPU takes at most %d matrices, not %lld", INT_MAX,
                         (long long)batch);
        return;
    }
    tfc_bmm_strides(x, y, &g);
    bmm_call c = { &g, x->dtype, (int)x->dims[x->ndims - 1], (int)y->dims[y->ndims - 1], (int)batch,
                   tfc_tensor_data(x), tfc_tensor_data(y), tfc_tensor_data(out) };
    int64_t sx = uniform_stride(&g, g.x_stride), sy = uniform_stride(&g, g.y_stride);
    if (sx < 0 || sy < 0) {
        run_with_pointers(k, d, &c);
        return;
    }
    pthread_mutex_lock(&d->blas_mu);
    cublasStatus_t e = gemm_strided(d, &c, sx, sy);
    pthread_mutex_unlock(&d->blas_mu);
    if (e != CUBLAS_STATUS_SUCCESS)
        tfc_kernel_error(k, TF_INTERNAL, "cuBLAS strided batched gemm failed: %s", cublasGetStatusString(e));
}

const tfc_kernel_def tfc_gpu_batch_matmul_kernels[] = {
    { "BatchMatMulV2", "GPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = tfc_bmm_init,
      .free_state = tfc_free, .compute = bmm_compute },
    { 0 },
};
