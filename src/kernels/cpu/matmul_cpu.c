/* matmul_cpu: CPU MatMul kernels (see ops/math_ops.c) for float and double on OpenBLAS.
 * OpenBLAS runs single-threaded (tfc owns threading): large products are split over the intra-op
 * pool into blocks of rows or of columns of C, whichever dimension is larger (each thread then
 * packs only its share of the bigger operand). Matrix-vector products (M == 1 or N == 1) go to
 * GEMV, which OpenBLAS runs 3-4x faster than a one-row GEMM under its Haswell kernels. */
#include <cblas.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/kernel.h"
#include "kernels/matmul_check.h"

/* Below this many flops (2*M*N*K) one GEMM call beats splitting the work. */
#define PARALLEL_MIN_FLOPS (INT64_C(1) << 21)
/* Fewest rows (or columns) of C a parallel block gets. */
#define MIN_BLOCK 32

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static void blas_single_thread(void) { openblas_set_num_threads(1); }

typedef struct matmul_state {
    bool ta, tb;
} matmul_state;

static TF_Code matmul_init(const tfc_kernel_init_ctx *c, void **state)
{
    pthread_once(&blas_once, blas_single_thread);
    matmul_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    s->ta = tfc_attrs_bool(c->attrs, "transpose_a", false);
    s->tb = tfc_attrs_bool(c->attrs, "transpose_b", false);
    *state = s;
    return TF_OK;
}

/* One product C[m,n] = op(A)[m,k] op(B)[k,n], row-major; a, b, c point at the first element. */
typedef struct gemm_args {
    TF_DataType dtype;
    bool ta, tb;
    int m, n, k, lda, ldb, ldc;
    const void *a, *b;
    void *c;
} gemm_args;

static void run_gemm(const gemm_args *g)
{
    enum CBLAS_TRANSPOSE ta = g->ta ? CblasTrans : CblasNoTrans, tb = g->tb ? CblasTrans : CblasNoTrans;
    if (g->dtype == TF_FLOAT)
        cblas_sgemm(CblasRowMajor, ta, tb, g->m, g->n, g->k, 1.0f, g->a, g->lda, g->b, g->ldb, 0.0f, g->c,
                    g->ldc);
    else
        cblas_dgemm(CblasRowMajor, ta, tb, g->m, g->n, g->k, 1.0, g->a, g->lda, g->b, g->ldb, 0.0, g->c,
                    g->ldc);
}

/* One matrix-vector product y = op(M) x for a row-major rows x cols matrix M with leading
 * dimension ld. */
typedef struct gemv_args {
    TF_DataType dtype;
    bool trans;
    int rows, cols, ld;
    const void *mat, *x;
    void *y;
    size_t es;
    int per_block; /* outputs per parallel block */
} gemv_args;

static void run_gemv(const gemv_args *g)
{
    enum CBLAS_TRANSPOSE t = g->trans ? CblasTrans : CblasNoTrans;
    if (g->dtype == TF_FLOAT)
        cblas_sgemv(CblasRowMajor, t, g->rows, g->cols, 1.0f, g->mat, g->ld, g->x, 1, 0.0f, g->y, 1);
    else
        cblas_dgemv(CblasRowMajor, t, g->rows, g->cols, 1.0, g->mat, g->ld, g->x, 1, 0.0, g->y, 1);
}

/* Blocks [begin, end) of outputs: rows of M without transpose, columns of M with it. */
static void gemv_blocks(void *arg, int64_t begin, int64_t end)
{
    const gemv_args *j = arg;
    int total = j->trans ? j->cols : j->rows;
    for (int64_t blk = begin; blk < end; blk++) {
        int64_t i0 = blk * j->per_block;
        if (i0 >= total) break;
        int len = (int)(i0 + j->per_block <= total ? j->per_block : total - i0);
        gemv_args g = *j;
        if (g.trans) g.cols = len, g.mat = (const char *)g.mat + (size_t)i0 * g.es;
        else g.rows = len, g.mat = (const char *)g.mat + (size_t)i0 * (size_t)g.ld * g.es;
        g.y = (char *)g.y + (size_t)i0 * g.es;
        run_gemv(&g);
    }
}

/* Below this many multiply-adds a GEMV is not worth splitting. */
#define GEMV_PARALLEL_MIN (INT64_C(1) << 17)

static void gemv_maybe_parallel(tfc_kernel_ctx *k, gemv_args *g)
{
    tfc_threadpool *pool = tfc_kernel_intra_pool(k);
    int workers = pool ? tfc_threadpool_size(pool) + 1 : 1;
    int outputs = g->trans ? g->cols : g->rows;
    int blocks = outputs / MIN_BLOCK < workers ? outputs / MIN_BLOCK : workers;
    if ((int64_t)g->rows * g->cols < GEMV_PARALLEL_MIN || blocks < 2) {
        run_gemv(g);
        return;
    }
    g->per_block = (outputs + blocks - 1) / blocks;
    tfc_parallel_for(pool, blocks, (int64_t)g->rows * g->cols / blocks, gemv_blocks, g);
}

typedef struct block_job {
    const gemm_args *g;
    size_t es;
    bool by_columns;
    int per_block;
} block_job;

/* Blocks [begin, end) of rows (or columns) of C. Row r of op(A) starts at A + r*lda, or at A + r
 * when A is stored transposed; column c of op(B) at B + c, or at B + c*ldb when transposed. */
static void gemm_blocks(void *arg, int64_t begin, int64_t end)
{
    const block_job *j = arg;
    int total = j->by_columns ? j->g->n : j->g->m;
    for (int64_t blk = begin; blk < end; blk++) {
        int64_t i0 = blk * j->per_block;
        if (i0 >= total) break;
        int len = (int)(i0 + j->per_block <= total ? j->per_block : total - i0);
        gemm_args g = *j->g;
        if (j->by_columns) {
            g.n = len;
            g.b = (const char *)g.b + (size_t)(g.tb ? i0 * g.ldb : i0) * j->es;
            g.c = (char *)g.c + (size_t)i0 * j->es;
        } else {
            g.m = len;
            g.a = (const char *)g.a + (size_t)(g.ta ? i0 : i0 * g.lda) * j->es;
            g.c = (char *)g.c + (size_t)(i0 * g.ldc) * j->es;
        }
        run_gemm(&g);
    }
}

static void gemm_maybe_parallel(tfc_kernel_ctx *k, const gemm_args *g, size_t es)
{
    tfc_threadpool *pool = tfc_kernel_intra_pool(k);
    double flops = 2.0 * g->m * g->n * g->k;
    int workers = pool ? tfc_threadpool_size(pool) + 1 : 1;
    bool by_columns = g->n > g->m;
    int extent = by_columns ? g->n : g->m;
    int blocks = extent / MIN_BLOCK < workers ? extent / MIN_BLOCK : workers;
    if (flops < (double)PARALLEL_MIN_FLOPS || blocks < 2) {
        run_gemm(g);
        return;
    }
    block_job job = { g, es, by_columns, (extent + blocks - 1) / blocks };
    /* A large cost per block (rough ns at a few flops per ns) makes each block its own task. */
    double cost = flops / blocks / 4;
    tfc_parallel_for(pool, blocks, cost > (double)INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)cost + 1,
                     gemm_blocks, &job);
}

/* Checks shapes, allocates C and fills *g; false when there is nothing (more) to compute. */
static bool matmul_prepare(tfc_kernel_ctx *k, const matmul_state *s, gemm_args *g, TF_Tensor **c)
{
    const TF_Tensor *a = tfc_kernel_input(k, 0), *b = tfc_kernel_input(k, 1);
    int64_t m, n, ka;
    if (!tfc_matmul_check(k, s->ta, s->tb, &m, &n, &ka)) return false;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){ m, n }, 2, c)) return false;
    if (m == 0 || n == 0) return false;
    if (ka == 0) { /* empty inner dimension: the sum over nothing */
        memset(tfc_tensor_data(*c), 0, (*c)->nbytes);
        return false;
    }
    *g = (gemm_args){ a->dtype, s->ta, s->tb, (int)m, (int)n, (int)ka, (int)a->dims[1], (int)b->dims[1],
                      (int)n, tfc_tensor_data(a), tfc_tensor_data(b), tfc_tensor_data(*c) };
    return true;
}

// ---- MatMul ----

static void matmul_compute(tfc_kernel_ctx *k)
{
    const matmul_state *s = tfc_kernel_state(k);
    gemm_args g;
    TF_Tensor *c;
    if (!matmul_prepare(k, s, &g, &c)) return;
    size_t es = tfc_dtype_elem_size(g.dtype);
    if (g.m == 1 || g.n == 1) {
        gemv_args v = { .dtype = g.dtype, .es = es, .y = g.c };
        if (g.m == 1) {
            /* C[1,n] = a (k contiguous values whatever transpose_a says) times op(B). op(B) stored
             * as [k,n] (no transpose) is multiplied transposed by GEMV, [n,k] directly. */
            v.trans = !g.tb, v.rows = g.tb ? g.n : g.k, v.cols = g.tb ? g.k : g.n;
            v.mat = g.b, v.x = g.a, v.ld = g.ldb;
        } else {
            /* C[m,1] = op(A) b, with b's k values contiguous. */
            v.trans = g.ta, v.rows = g.ta ? g.k : g.m, v.cols = g.ta ? g.m : g.k;
            v.mat = g.a, v.x = g.b, v.ld = g.lda;
        }
        gemv_maybe_parallel(k, &v);
    } else {
        gemm_maybe_parallel(k, &g, es);
    }
}

// ---- the table ----

const tfc_kernel_def tfc_cpu_matmul_kernels[] = {
    { "MatMul", "CPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = matmul_init,
      .free_state = tfc_free, .compute = matmul_compute },
    { 0 }
};
