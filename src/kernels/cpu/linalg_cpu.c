/* linalg_cpu: CPU kernels of the linear algebra ops (see ops/linalg_ops.c).
 * BatchMatMulV2: float and double by cblas_sgemm/dgemm per batch, int32/int64 by a plain loop
 * (wrapping); batch dims broadcast. Work is split over the intra-op pool by batches, and by blocks
 * of rows when there are fewer batches than workers; OpenBLAS runs single-threaded inside. Its
 * checks and broadcast are shared with the GPU (batch_matmul_check.h).
 * MatrixInverse and MatrixDeterminant (float, double): LU with partial pivoting by the LAPACK
 * bundled in OpenBLAS (dgetrf_/dgetri_), always in double precision; matrices of a batch run in
 * parallel. A row-major matrix is the column-major transpose, so getrf/getri on the row-major bytes
 * invert A^T, whose column-major result is A^-1 in row-major order: no transposes are needed. An
 * exactly zero pivot makes the inverse fail with TensorFlow's "Input is not invertible." and the
 * determinant 0. */
#include <cblas.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/batch_matmul_check.h"
#include "kernels/kernel.h"

/* LAPACK in libopenblas (LP64 interface). */
extern void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
extern void dgetri_(const int *n, double *a, const int *lda, const int *ipiv, double *work, const int *lwork,
                    int *info);

#define MIN_ROW_BLOCK 32
#define MAX_LU_DIM 46340 /* n * n fits LAPACK's int */

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static void blas_single_thread(void) { openblas_set_num_threads(1); }

// ---- BatchMatMulV2 ----

static TF_Code bmm_init(const tfc_kernel_init_ctx *c, void **state)
{
    pthread_once(&blas_once, blas_single_thread);
    return tfc_bmm_init(c, state);
}

typedef struct bmm_job {
    TF_DataType dtype;
    tfc_bmm_geom g;
    int64_t rows_per_block, blocks_per_batch;
    const void *x, *y;
    void *out;
    size_t es;
} bmm_job;

#define DEFINE_INT_GEMM(s, T, U)                                                                      \
    static void gemm_##s(const bmm_job *j, const T *a, const T *b, T *c, int64_t r0, int64_t r1)      \
    {                                                                                                 \
        int64_t m = j->g.m, n = j->g.n, k = j->g.k;                                                   \
        for (int64_t i = r0; i < r1; i++) {                                                           \
            U *ci = (U *)(c + i * n);                                                                 \
            for (int64_t q = 0; q < n; q++) ci[q] = 0;                                                \
            for (int64_t p = 0; p < k; p++) {                                                         \
                U av = (U)(j->g.ta ? a[p * m + i] : a[i * k + p]);                                    \
                for (int64_t q = 0; q < n; q++) ci[q] += av * (U)(j->g.tb ? b[q * k + p] : b[p * n + q]); \
            }                                                                                         \
        }                                                                                             \
    }
DEFINE_INT_GEMM(i32, int32_t, uint32_t)
DEFINE_INT_GEMM(i64, int64_t, uint64_t)

/* Rows [r0, r1) of one product. */
static void bmm_rows(const bmm_job *j, const void *a, const void *b, void *c, int64_t r0, int64_t r1)
{
    const tfc_bmm_geom *g = &j->g;
    int m = (int)(r1 - r0), n = (int)g->n, k = (int)g->k, lda = (int)(g->ta ? g->m : g->k);
    int ldb = (int)(g->tb ? g->k : g->n);
    enum CBLAS_TRANSPOSE ta = g->ta ? CblasTrans : CblasNoTrans, tb = g->tb ? CblasTrans : CblasNoTrans;
    size_t a_off = (size_t)(g->ta ? r0 : r0 * g->k) * j->es, c_off = (size_t)(r0 * g->n) * j->es;
    if (j->dtype == TF_FLOAT)
        cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, (const float *)((const char *)a + a_off), lda, b,
                    ldb, 0.0f, (float *)((char *)c + c_off), n);
    else if (j->dtype == TF_DOUBLE)
        cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, (const double *)((const char *)a + a_off), lda, b,
                    ldb, 0.0, (double *)((char *)c + c_off), n);
    else if (j->dtype == TF_INT32)
        gemm_i32(j, a, b, c, r0, r1);
    else
        gemm_i64(j, a, b, c, r0, r1);
}

static void bmm_units(void *arg, int64_t begin, int64_t end)
{
    const bmm_job *j = arg;
    const tfc_bmm_geom *g = &j->g;
    for (int64_t u = begin; u < end; u++) {
        int64_t batch = u / j->blocks_per_batch, blk = u % j->blocks_per_batch;
        int64_t r0 = blk * j->rows_per_block;
        int64_t r1 = r0 + j->rows_per_block < g->m ? r0 + j->rows_per_block : g->m;
        if (r0 >= r1) continue;
        int64_t xo = 0, yo = 0, rest = batch;
        for (int d = g->rb - 1; d >= 0; d--) {
            int64_t idx = rest % g->out_batch[d];
            rest /= g->out_batch[d];
            xo += idx * g->x_stride[d], yo += idx * g->y_stride[d];
        }
        const char *a = (const char *)j->x + (size_t)xo * j->es, *b = (const char *)j->y + (size_t)yo * j->es;
        char *c = (char *)j->out + (size_t)(batch * g->m * g->n) * j->es;
        bmm_rows(j, a, b, c, r0, r1);
    }
}

static void bmm_compute(tfc_kernel_ctx *k)
{
    const tfc_bmm_attrs *s = tfc_kernel_state(k);
    const TF_Tensor *x = tfc_kernel_input(k, 0), *y = tfc_kernel_input(k, 1);
    bmm_job j = { .dtype = s->dtype, .es = tfc_dtype_elem_size(s->dtype) };
    int64_t dims[TFC_MAX_RANK];
    TF_Tensor *out;
    if (!tfc_bmm_check(k, s, &j.g, dims)) return;
    if (tfc_kernel_alloc_output(k, 0, dims, j.g.rb + 2, &out)) return;
    if (out->nelems == 0) return;
    if (j.g.k == 0) { /* empty inner dimension: sums over nothing */
        memset(tfc_tensor_data(out), 0, out->nbytes);
        return;
    }
    tfc_bmm_strides(x, y, &j.g);
    j.x = tfc_tensor_data(x), j.y = tfc_tensor_data(y), j.out = tfc_tensor_data(out);
    int64_t batches = out->nelems / (j.g.m * j.g.n);
    tfc_threadpool *pool = tfc_kernel_intra_pool(k);
    int64_t workers = pool ? tfc_threadpool_size(pool) + 1 : 1;
    double flops = 2.0 * (double)j.g.m * (double)j.g.n * (double)j.g.k;
    int64_t blocks = 1;
    if (batches < workers && flops * (double)batches > (double)(1 << 21)) {
        blocks = (workers + batches - 1) / batches;
        if (blocks > j.g.m / MIN_ROW_BLOCK) blocks = j.g.m / MIN_ROW_BLOCK > 0 ? j.g.m / MIN_ROW_BLOCK : 1;
    }
    j.rows_per_block = (j.g.m + blocks - 1) / blocks;
    j.blocks_per_batch = blocks;
    double cost = flops / (double)blocks / 4 + 1;
    tfc_parallel_for(pool, batches * blocks, cost > 1e12 ? (int64_t)1e12 : (int64_t)cost, bmm_units, &j);
}

// ---- MatrixInverse, MatrixDeterminant ----

typedef struct lu_state {
    TF_DataType dtype;
    bool adjoint;
} lu_state;

static TF_Code lu_init(const tfc_kernel_init_ctx *c, void **state)
{
    pthread_once(&blas_once, blas_single_thread);
    lu_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (lu_state){ tfc_attrs_type(c->attrs, "T", TF_FLOAT), tfc_attrs_bool(c->attrs, "adjoint", false) };
    *state = s;
    return TF_OK;
}

enum { LU_OK, LU_SINGULAR, LU_NOMEM };

typedef struct lu_job {
    TF_DataType dtype;
    bool inverse, adjoint;
    int n;
    const void *in;
    void *out;
    atomic_int failure; /* LU_* */
} lu_job;

/* Loads matrix b into a (double, row-major; transposed when asked). */
static void load_matrix(const lu_job *j, int64_t b, double *a, bool transpose)
{
    int64_t n = j->n, base = b * n * n;
    for (int64_t r = 0; r < n; r++)
        for (int64_t c = 0; c < n; c++) {
            int64_t src = base + (transpose ? c * n + r : r * n + c);
            a[r * n + c] = j->dtype == TF_FLOAT ? ((const float *)j->in)[src] : ((const double *)j->in)[src];
        }
}

static void lu_matrices(void *arg, int64_t begin, int64_t end)
{
    lu_job *j = arg;
    int n = j->n, lwork = n * 64, info = 0;
    size_t nn = (size_t)n * (size_t)n;
    double *a = tfc_malloc((nn + (size_t)lwork) * sizeof(double));
    int *ipiv = tfc_malloc((size_t)n * sizeof(int));
    if (!a || !ipiv) {
        atomic_store(&j->failure, LU_NOMEM);
        goto done;
    }
    for (int64_t b = begin; b < end && atomic_load(&j->failure) == LU_OK; b++) {
        load_matrix(j, b, a, j->adjoint);
        dgetrf_(&n, &n, a, &n, ipiv, &info);
        if (j->inverse) {
            if (info > 0) {
                atomic_store(&j->failure, LU_SINGULAR);
                break;
            }
            dgetri_(&n, a, &n, ipiv, a + nn, &lwork, &info);
            for (size_t i = 0; i < nn; i++) {
                if (j->dtype == TF_FLOAT) ((float *)j->out)[(size_t)b * nn + i] = (float)a[i];
                else ((double *)j->out)[(size_t)b * nn + i] = a[i];
            }
        } else {
            double det = 1;
            for (int i = 0; i < n; i++) det *= ipiv[i] != i + 1 ? -a[(size_t)i * (size_t)n + (size_t)i]
                                                                : a[(size_t)i * (size_t)n + (size_t)i];
            if (j->dtype == TF_FLOAT) ((float *)j->out)[b] = (float)det;
            else ((double *)j->out)[b] = det;
        }
    }
done:
    tfc_free(a);
    tfc_free(ipiv);
}

static void lu_compute(tfc_kernel_ctx *k, bool inverse)
{
    const lu_state *s = tfc_kernel_state(k);
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    char buf[256];
    if (x->dtype != s->dtype) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input has dtype %s, expected %s", tfc_dtype_name(x->dtype),
                         tfc_dtype_name(s->dtype));
        return;
    }
    if (x->ndims < 2) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Input tensor 0 must have rank >= 2, got shape %s",
                         tfc_dims_str(x->dims, x->ndims, buf, sizeof buf));
        return;
    }
    int64_t n = x->dims[x->ndims - 1];
    if (x->dims[x->ndims - 2] != n) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Input matrix must be square.");
        return;
    }
    TF_Tensor *y;
    if (tfc_kernel_alloc_output(k, 0, x->dims, inverse ? x->ndims : x->ndims - 2, &y)) return;
    if (y->nelems == 0) return;
    int64_t batches = inverse ? y->nelems / (n * n) : y->nelems;
    if (n == 0) { /* determinant of a 0x0 matrix */
        for (int64_t b = 0; b < batches; b++) {
            if (s->dtype == TF_FLOAT) ((float *)tfc_tensor_data(y))[b] = 1.0f;
            else ((double *)tfc_tensor_data(y))[b] = 1.0;
        }
        return;
    }
    if (n > MAX_LU_DIM) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "matrices larger than %d are not supported", MAX_LU_DIM);
        return;
    }
    lu_job j = { s->dtype, inverse, s->adjoint, (int)n, tfc_tensor_data(x), tfc_tensor_data(y), LU_OK };
    double cost = (double)n * (double)n * (double)n / 2 + 100;
    tfc_parallel_for(tfc_kernel_intra_pool(k), batches, cost > 1e12 ? (int64_t)1e12 : (int64_t)cost,
                     lu_matrices, &j);
    int failure = atomic_load(&j.failure);
    if (failure == LU_SINGULAR) tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Input is not invertible.");
    else if (failure == LU_NOMEM) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
}

static void inverse_compute(tfc_kernel_ctx *k) { lu_compute(k, true); }
static void determinant_compute(tfc_kernel_ctx *k) { lu_compute(k, false); }

// ---- the table ----

#define FLOAT_DOUBLE (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))

const tfc_kernel_def tfc_cpu_linalg_kernels[] = {
    { "BatchMatMulV2", "CPU", FLOAT_DOUBLE | TFC_TYPE_BIT(TF_INT32) | TFC_TYPE_BIT(TF_INT64),
      .init = bmm_init, .free_state = tfc_free, .compute = bmm_compute },
    { "MatrixInverse", "CPU", FLOAT_DOUBLE, .init = lu_init, .free_state = tfc_free,
      .compute = inverse_compute },
    { "MatrixDeterminant", "CPU", FLOAT_DOUBLE, .init = lu_init, .free_state = tfc_free,
      .compute = determinant_compute },
    { 0 }
};
