/* fake_cublas: a host reference of the cuBLAS calls tfc makes, for the CUDA emulation build
 * (TFC_CUDA_EMULATION=ON), linked in place of libcublas. A test tool, not a product: it computes
 * what NVIDIA documents, column-major C = alpha op(A) op(B) + beta C with op N, T or C (C is T for
 * real types), the leading dimensions, the strided and pointer-array batches, and checks the
 * arguments as cuBLAS does, so tfc's GPU tests check how tfc calls cuBLAS. Sums are in double.
 *
 * Scalars are read at the call (CUBLAS_POINTER_MODE_HOST, the default and all tfc uses); the
 * matrices, and the pointer arrays of the Batched calls, are device memory, read only inside
 * tfc_emu_run_now at the turn of the handle's stream (emu_runtime.h). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cublas_v2.h>

#include "emu_runtime.h"

struct cublasContext {
    cudaStream_t stream;
};

cublasStatus_t cublasCreate(cublasHandle_t *handle)
{
    if (!handle) return CUBLAS_STATUS_INVALID_VALUE;
    *handle = calloc(1, sizeof **handle);
    return *handle ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_ALLOC_FAILED;
}

cublasStatus_t cublasDestroy(cublasHandle_t handle)
{
    if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
    free(handle);
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t stream)
{
    if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
    handle->stream = stream;
    return CUBLAS_STATUS_SUCCESS;
}

const char *cublasGetStatusString(cublasStatus_t status)
{
    switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
    }
    return "CUBLAS_STATUS_UNKNOWN";
}

/* ---- gemm ---- */

/* One gemm call: `batch` products, the i-th of matrices a + i * sa, b + i * sb, c + i * sc
 * (elements), or, when pa is set, of the matrices pa[i], pb[i], pc[i]. */
typedef struct gemm_job {
    bool dbl; /* double (D) or float (S) elements */
    cublasOperation_t ta, tb;
    int m, n, k, lda, ldb, ldc, batch;
    double alpha, beta;
    const void *a, *b;
    void *c;
    long long sa, sb, sc;
    const void *const *pa, *const *pb;
    void *const *pc;
} gemm_job;

static double load(bool dbl, const void *p, int64_t i)
{
    return dbl ? ((const double *)p)[i] : ((const float *)p)[i];
}

static void store(bool dbl, void *p, int64_t i, double v)
{
    if (dbl) ((double *)p)[i] = v;
    else ((float *)p)[i] = (float)v;
}

static bool op_valid(cublasOperation_t op) { return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C; }

static int max1(int v) { return v > 1 ? v : 1; }

/* The checks cuBLAS documents for gemm: CUBLAS_STATUS_INVALID_VALUE for a negative size or batch
 * count, an unknown op, a leading dimension below max(1, rows of the matrix as stored), or a NULL
 * alpha or beta. */
static cublasStatus_t gemm_check(cublasHandle_t handle, const gemm_job *j, const void *alpha, const void *beta)
{
    if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
    int rows_a = j->ta == CUBLAS_OP_N ? j->m : j->k, rows_b = j->tb == CUBLAS_OP_N ? j->k : j->n;
    bool ok = j->m >= 0 && j->n >= 0 && j->k >= 0 && j->batch >= 0 && op_valid(j->ta) && op_valid(j->tb) &&
              j->lda >= max1(rows_a) && j->ldb >= max1(rows_b) && j->ldc >= max1(j->m) && alpha && beta;
    return ok ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_INVALID_VALUE;
}

/* op(A)[i, p] * op(B)[p, jj] summed over p. */
static double dot(const gemm_job *j, const void *a, const void *b, int i, int jj)
{
    double s = 0;
    for (int p = 0; p < j->k; p++) {
        int64_t ia = j->ta == CUBLAS_OP_N ? i + (int64_t)p * j->lda : p + (int64_t)i * j->lda;
        int64_t ib = j->tb == CUBLAS_OP_N ? p + (int64_t)jj * j->ldb : jj + (int64_t)p * j->ldb;
        s += load(j->dbl, a, ia) * load(j->dbl, b, ib);
    }
    return s;
}

/* C = alpha op(A) op(B) + beta C, as BLAS defines it: A and B are not read when alpha is 0, nor C
 * when beta is 0 (it may hold NaN). */
static void gemm_one(const gemm_job *j, const void *a, const void *b, void *c)
{
    for (int jj = 0; jj < j->n; jj++)
        for (int i = 0; i < j->m; i++) {
            int64_t at = i + (int64_t)jj * j->ldc;
            double v = j->alpha == 0 ? 0 : j->alpha * dot(j, a, b, i, jj);
            if (j->beta != 0) v += j->beta * load(j->dbl, c, at);
            store(j->dbl, c, at, v);
        }
}

/* Matrix i of a strided batch: p + i * stride elements. */
static const void *nth(const gemm_job *j, const void *p, long long stride, int i)
{
    return (const char *)p + (ptrdiff_t)(i * stride) * (ptrdiff_t)(j->dbl ? sizeof(double) : sizeof(float));
}

static void gemm_run(void *arg)
{
    const gemm_job *j = arg;
    for (int i = 0; i < j->batch; i++) {
        if (j->pa) gemm_one(j, j->pa[i], j->pb[i], j->pc[i]);
        else gemm_one(j, nth(j, j->a, j->sa, i), nth(j, j->b, j->sb, i), (void *)nth(j, j->c, j->sc, i));
    }
}

/* Checks j, then runs it at the stream's turn (nothing to run for an empty C or batch). */
static cublasStatus_t gemm(cublasHandle_t handle, gemm_job *j, const void *alpha, const void *beta)
{
    cublasStatus_t e = gemm_check(handle, j, alpha, beta);
    if (e != CUBLAS_STATUS_SUCCESS || j->m == 0 || j->n == 0 || j->batch == 0) return e;
    j->alpha = j->dbl ? *(const double *)alpha : *(const float *)alpha;
    j->beta = j->dbl ? *(const double *)beta : *(const float *)beta;
    tfc_emu_run_now(handle->stream, gemm_run, j);
    return CUBLAS_STATUS_SUCCESS;
}

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           int k, const float *alpha, const float *A, int lda, const float *B, int ldb,
                           const float *beta, float *C, int ldc)
{
    gemm_job j = { .ta = transa, .tb = transb, .m = m, .n = n, .k = k, .lda = lda, .ldb = ldb, .ldc = ldc,
                   .batch = 1, .a = A, .b = B, .c = C };
    return gemm(handle, &j, alpha, beta);
}

cublasStatus_t cublasDgemm(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n,
                           int k, const double *alpha, const double *A, int lda, const double *B, int ldb,
                           const double *beta, double *C, int ldc)
{
    gemm_job j = { .dbl = true, .ta = transa, .tb = transb, .m = m, .n = n, .k = k, .lda = lda, .ldb = ldb,
                   .ldc = ldc, .batch = 1, .a = A, .b = B, .c = C };
    return gemm(handle, &j, alpha, beta);
}

cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                         int m, int n, int k, const float *alpha, const float *A, int lda,
                                         long long int strideA, const float *B, int ldb, long long int strideB,
                                         const float *beta, float *C, int ldc, long long int strideC, int batchCount)
{
    gemm_job j = { .ta = transa, .tb = transb, .m = m, .n = n, .k = k, .lda = lda, .ldb = ldb, .ldc = ldc,
                   .batch = batchCount, .a = A, .b = B, .c = C, .sa = strideA, .sb = strideB, .sc = strideC };
    return gemm(handle, &j, alpha, beta);
}

cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
                                         int m, int n, int k, const double *alpha, const double *A, int lda,
                                         long long int strideA, const double *B, int ldb, long long int strideB,
                                         const double *beta, double *C, int ldc, long long int strideC,
                                         int batchCount)
{
    gemm_job j = { .dbl = true, .ta = transa, .tb = transb, .m = m, .n = n, .k = k, .lda = lda, .ldb = ldb,
                   .ldc = ldc, .batch = batchCount, .a = A, .b = B, .c = C, .sa = strideA, .sb = strideB,
                   .sc = strideC };
    return gemm(handle, &j, alpha, beta);
}

cublasStatus_t cublasSgemmBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m,
                                  int n, int k, const float *alpha, const float *const Aarray[], int lda,
                                  const float *const Barray[], int ldb, const float *beta, float *const Carray[],
                                  int ldc, int batchCount)
{
    gemm_job j = { .ta = transa, .tb = transb, .m = m, .n = n, .k = k, .lda = lda, .ldb = ldb, .ldc = ldc,
                   .batch = batchCount, .pa = (const void *const *)Aarray, .pb = (const void *const *)Barray,
                   .pc = (void *const *)Carray };
    return gemm(handle, &j, alpha, beta);
}

cublasStatus_t cublasDgemmBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m,
                                  int n, int k, const double *alpha, const double *const Aarray[], int lda,
                                  const double *const Barray[], int ldb, const double *beta, double *const Carray[],
                                  int ldc, int batchCount)
{
    gemm_job j = { .dbl = true, .ta = transa, .tb = transb, .m = m, .n = n, .k = k, .lda = lda, .ldb = ldb,
                   .ldc = ldc, .batch = batchCount, .pa = (const void *const *)Aarray,
                   .pb = (const void *const *)Barray, .pc = (void *const *)Carray };
    return gemm(handle, &j, alpha, beta);
}
