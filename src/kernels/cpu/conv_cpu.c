/* conv_cpu: CPU kernels of Conv2D (float, double, int32) and DepthwiseConv2dNative (float, double),
 * NHWC only as in TensorFlow's CPU kernels (see ops/conv_ops.c).
 *
 * Conv2D flattens the output pixels of the whole batch and cuts them into tiles; each tile gathers
 * its input patches into a scratch matrix (im2col, [pixels, KH*KW*Cin]) and multiplies it by the
 * filter, which already is a [KH*KW*Cin, Cout] row-major matrix, with one GEMM straight into the
 * output rows. Tiles are spread over the intra-op pool; OpenBLAS runs single-threaded inside it.
 * A 1x1 stride-1 unpadded convolution needs no im2col: the input rows are the patches. Grouped
 * convolutions (Cin a multiple of the filter depth) run one GEMM per group on column slices. */
#include <cblas.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/conv_check.h"
#include "kernels/kernel.h"

/* Target size of one tile's im2col scratch: fits in L2 beside the GEMM's packed panels. */
#define SCRATCH_BYTES (512 * 1024)

static pthread_once_t blas_once = PTHREAD_ONCE_INIT;
static void blas_single_thread(void) { openblas_set_num_threads(1); }

/* Parses the attrs (conv_check.h: NHWC only, as TensorFlow's CPU kernels). */
static TF_Code conv_init(const tfc_kernel_init_ctx *c, void **state)
{
    pthread_once(&blas_once, blas_single_thread);
    tfc_conv_params s;
    TF_Code rc = tfc_conv_parse(c, false, &s);
    if (rc) return rc;
    tfc_conv_params *p = tfc_malloc(sizeof *p);
    if (!p) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *p = s;
    *state = p;
    return TF_OK;
}

// ---- GEMM on one tile ----

/* C[m,n] = A[m,kk] B[kk,n], row-major with leading dimensions. int32 wraps like TensorFlow's
 * (unsigned arithmetic, no overflow UB). */
static void tile_gemm(TF_DataType dt, int m, int n, int kk, const void *a, int lda, const void *b, int ldb,
                      void *c, int ldc)
{
    if (dt == TF_FLOAT) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, kk, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
    } else if (dt == TF_DOUBLE) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, kk, 1.0, a, lda, b, ldb, 0.0, c, ldc);
    } else {
        const int32_t *pa = a, *pb = b;
        int32_t *pc = c;
        for (int i = 0; i < m; i++) {
            uint32_t *row = (uint32_t *)(pc + (size_t)i * ldc);
            for (int j = 0; j < n; j++) row[j] = 0;
            for (int p = 0; p < kk; p++) {
                uint32_t av = (uint32_t)pa[(size_t)i * lda + p];
                const int32_t *brow = pb + (size_t)p * ldb;
                for (int j = 0; j < n; j++) row[j] += av * (uint32_t)brow[j];
            }
        }
    }
}

typedef struct conv_job {
    const tfc_conv_params *s;
    tfc_conv_geom g;
    TF_DataType dt;
    size_t es;
    int64_t tile, pixels, patch; /* pixels per tile, total pixels, KH*KW*Cg */
    bool direct;                 /* 1x1, stride 1, no padding: input rows are the patches */
    const char *in, *filter;
    char *out;
    atomic_bool oom;
} conv_job;

/* Gathers the patches of pixels [p0, p1) for group grp into col ([p1-p0, patch]). */
static void im2col(const conv_job *j, int64_t p0, int64_t p1, int64_t grp, char *col)
{
    const tfc_conv_geom *g = &j->g;
    size_t es = j->es, run = (size_t)g->cg * es, row_bytes = (size_t)g->kw * run;
    for (int64_t p = p0; p < p1; p++) {
        int64_t b = p / (g->oh * g->ow), r = p % (g->oh * g->ow), oy = r / g->ow, ox = r % g->ow;
        char *dst = col + (size_t)(p - p0) * (size_t)j->patch * es;
        for (int64_t ky = 0; ky < g->kh; ky++, dst += row_bytes) {
            int64_t iy = oy * j->s->sh - g->pad_top + ky * j->s->dh;
            if (iy < 0 || iy >= g->ih) {
                memset(dst, 0, row_bytes);
                continue;
            }
            const char *src_row = j->in + (size_t)(((b * g->ih + iy) * g->iw) * g->c + grp * g->cg) * es;
            int64_t ix0 = ox * j->s->sw - g->pad_left;
            if (g->groups == 1 && j->s->dw == 1 && ix0 >= 0 && ix0 + g->kw <= g->iw) {
                /* an interior row of the window is one contiguous run of KW*C values */
                memcpy(dst, src_row + (size_t)(ix0 * g->c) * es, row_bytes);
                continue;
            }
            for (int64_t kx = 0; kx < g->kw; kx++) {
                int64_t ix = ox * j->s->sw - g->pad_left + kx * j->s->dw;
                if (ix < 0 || ix >= g->iw)
                    memset(dst + (size_t)kx * run, 0, run);
                else
                    memcpy(dst + (size_t)kx * run, src_row + (size_t)(ix * g->c) * es, run);
            }
        }
    }
}

static void conv_tiles(void *arg, int64_t begin, int64_t end)
{
    conv_job *j = arg;
    const tfc_conv_geom *g = &j->g;
    int64_t kg = g->k / g->groups;
    char *col = NULL;
    if (!j->direct) {
        col = tfc_malloc((size_t)j->tile * (size_t)j->patch * j->es);
        if (!col) {
            atomic_store(&j->oom, true);
            return;
        }
    }
    for (int64_t t = begin; t < end; t++) {
        int64_t p0 = t * j->tile, p1 = p0 + j->tile < j->pixels ? p0 + j->tile : j->pixels;
        char *out = j->out + (size_t)(p0 * g->k) * j->es;
        if (j->direct) {
            tile_gemm(j->dt, (int)(p1 - p0), (int)g->k, (int)g->c, j->in + (size_t)(p0 * g->c) * j->es,
                      (int)g->c, j->filter, (int)g->k, out, (int)g->k);
            continue;
        }
        for (int64_t grp = 0; grp < g->groups; grp++) {
            im2col(j, p0, p1, grp, col);
            tile_gemm(j->dt, (int)(p1 - p0), (int)kg, (int)j->patch, col, (int)j->patch,
                      j->filter + (size_t)(grp * kg) * j->es, (int)g->k, out + (size_t)(grp * kg) * j->es,
                      (int)g->k);
        }
    }
    tfc_free(col);
}

/* Picks the tile size: the scratch fits SCRATCH_BYTES, and there are tiles for every worker. */
static int64_t pick_tile(const conv_job *j, int workers)
{
    int64_t per_worker = (j->pixels + workers - 1) / workers;
    int64_t t = j->direct ? per_worker : (int64_t)(SCRATCH_BYTES / ((size_t)j->patch * j->es));
    if (t > per_worker) t = per_worker;
    if (t < 16) t = 16;
    if (t > (1 << 20)) t = 1 << 20;
    return t;
}

static void conv2d_compute(tfc_kernel_ctx *k)
{
    const tfc_conv_params *s = tfc_kernel_state(k);
    conv_job j = {.s = s, .dt = k->output_types[0]};
    if (!tfc_conv_check(k, s, false, &j.g)) return;
    const tfc_conv_geom *g = &j.g;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){g->n, g->oh, g->ow, g->k}, 4, &out)) return;
    j.pixels = out->nelems / (g->k ? g->k : 1);
    if (out->nelems == 0) return;
    j.patch = g->kh * g->kw * g->cg;
    if (j.patch > INT_MAX / 16) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "filter patch of %lld values is too large", (long long)j.patch);
        return;
    }
    j.es = tfc_dtype_elem_size(j.dt);
    j.in = tfc_tensor_data(tfc_kernel_input(k, 0));
    j.filter = tfc_tensor_data(tfc_kernel_input(k, 1));
    j.out = tfc_tensor_data(out);
    j.direct = g->kh == 1 && g->kw == 1 && s->sh == 1 && s->sw == 1 && g->groups == 1 && g->oh == g->ih &&
               g->ow == g->iw && g->pad_top == 0 && g->pad_left == 0;
    tfc_threadpool *pool = tfc_kernel_intra_pool(k);
    j.tile = pick_tile(&j, pool ? tfc_threadpool_size(pool) + 1 : 1);
    int64_t tiles = (j.pixels + j.tile - 1) / j.tile;
    double cost = 2.0 * (double)j.tile * (double)j.patch * (double)g->k * g->groups / 8.0 + 1.0;
    atomic_init(&j.oom, false);
    tfc_parallel_for(pool, tiles, cost > 1e15 ? (int64_t)1e15 : (int64_t)cost, conv_tiles, &j);
    if (atomic_load(&j.oom)) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory for im2col scratch");
}

// ---- DepthwiseConv2dNative ----

typedef struct dw_job {
    const tfc_conv_params *s;
    tfc_conv_geom g;
    const void *in, *filter;
    void *out;
} dw_job;

/* Output rows [begin, end) of (batch, oy): for every pixel, sum over the window of
 * in[c] * filter[ky,kx,c,q] into out[c*M + q]. */
#define DEPTHWISE_ROWS(NAME, T)                                                                              \
    static void NAME(void *arg, int64_t begin, int64_t end)                                                  \
    {                                                                                                        \
        const dw_job *j = arg;                                                                               \
        const tfc_conv_geom *g = &j->g;                                                                          \
        const T *in = j->in, *flt = j->filter;                                                               \
        int64_t cm = g->c * g->k;                                                                            \
        for (int64_t row = begin; row < end; row++) {                                                        \
            int64_t b = row / g->oh, oy = row % g->oh;                                                       \
            T *o = (T *)j->out + row * g->ow * cm;                                                           \
            for (int64_t ox = 0; ox < g->ow; ox++, o += cm) {                                                \
                for (int64_t i = 0; i < cm; i++) o[i] = 0;                                                   \
                for (int64_t ky = 0; ky < g->kh; ky++) {                                                     \
                    int64_t iy = oy * j->s->sh - g->pad_top + ky * j->s->dh;                                 \
                    if (iy < 0 || iy >= g->ih) continue;                                                     \
                    for (int64_t kx = 0; kx < g->kw; kx++) {                                                 \
                        int64_t ix = ox * j->s->sw - g->pad_left + kx * j->s->dw;                            \
                        if (ix < 0 || ix >= g->iw) continue;                                                 \
                        const T *px = in + ((b * g->ih + iy) * g->iw + ix) * g->c;                           \
                        const T *f = flt + (ky * g->kw + kx) * cm;                                           \
                        for (int64_t c = 0; c < g->c; c++)                                                   \
                            for (int64_t q = 0; q < g->k; q++) o[c * g->k + q] += px[c] * f[c * g->k + q];   \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }

DEPTHWISE_ROWS(depthwise_rows_f32, float)
DEPTHWISE_ROWS(depthwise_rows_f64, double)

static void depthwise_compute(tfc_kernel_ctx *k)
{
    const tfc_conv_params *s = tfc_kernel_state(k);
    dw_job j = {.s = s};
    if (!tfc_conv_check(k, s, true, &j.g)) return;
    const tfc_conv_geom *g = &j.g;
    int64_t depth;
    if (!tfc_mul_checked_i64(g->c, g->k, &depth)) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "output depth overflows");
        return;
    }
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){g->n, g->oh, g->ow, depth}, 4, &out)) return;
    if (out->nelems == 0) return;
    j.in = tfc_tensor_data(tfc_kernel_input(k, 0));
    j.filter = tfc_tensor_data(tfc_kernel_input(k, 1));
    j.out = tfc_tensor_data(out);
    double cost = 2.0 * (double)g->ow * (double)depth * (double)g->kh * (double)g->kw + 1;
    tfc_parallel_for(tfc_kernel_intra_pool(k), g->n * g->oh, cost > 1e15 ? (int64_t)1e15 : (int64_t)cost,
                     k->output_types[0] == TF_FLOAT ? depthwise_rows_f32 : depthwise_rows_f64, &j);
}

// ---- Conv2DBackpropInput, Conv2DBackpropFilter ----

/* C[m,n] = beta C + op(A) op(B), row-major (float, double). */
static void gemm_t(TF_DataType dt, bool ta, bool tb, int m, int n, int kk, const void *a, int lda,
                   const void *b, int ldb, double beta, void *c, int ldc)
{
    enum CBLAS_TRANSPOSE xa = ta ? CblasTrans : CblasNoTrans, xb = tb ? CblasTrans : CblasNoTrans;
    if (dt == TF_FLOAT)
        cblas_sgemm(CblasRowMajor, xa, xb, m, n, kk, 1.0f, a, lda, b, ldb, (float)beta, c, ldc);
    else
        cblas_dgemm(CblasRowMajor, xa, xb, m, n, kk, 1.0, a, lda, b, ldb, beta, c, ldc);
}

/* dst[0..n) += src[0..n) */
static void add_run(TF_DataType dt, char *dst, const char *src, int64_t n)
{
    if (dt == TF_FLOAT) {
        float *d = (float *)dst;
        const float *x = (const float *)src;
        for (int64_t i = 0; i < n; i++) d[i] += x[i];
    } else {
        double *d = (double *)dst;
        const double *x = (const double *)src;
        for (int64_t i = 0; i < n; i++) d[i] += x[i];
    }
}

/* Scatter-adds the patches of pixels [p0, p1) in col back into the image j->out (im2col^T). */
static void col2im(const conv_job *j, int64_t p0, int64_t p1, const char *col)
{
    const tfc_conv_geom *g = &j->g;
    size_t es = j->es;
    for (int64_t p = p0; p < p1; p++) {
        int64_t b = p / (g->oh * g->ow), r = p % (g->oh * g->ow), oy = r / g->ow, ox = r % g->ow;
        const char *src = col + (size_t)(p - p0) * (size_t)j->patch * es;
        for (int64_t ky = 0; ky < g->kh; ky++) {
            int64_t iy = oy * j->s->sh - g->pad_top + ky * j->s->dh;
            for (int64_t kx = 0; kx < g->kw; kx++, src += (size_t)g->c * es) {
                int64_t ix = ox * j->s->sw - g->pad_left + kx * j->s->dw;
                if (iy < 0 || iy >= g->ih || ix < 0 || ix >= g->iw) continue;
                add_run(j->dt, j->out + (size_t)(((b * g->ih + iy) * g->iw + ix) * g->c) * es, src, g->c);
            }
        }
    }
}

/* Checks a backprop op (conv_check.h), then the CPU's limits: ungrouped and undilated only, as
 * TensorFlow's CPU kernels. */
static bool backprop_check(tfc_kernel_ctx *k, conv_job *j, bool filter_grad)
{
    if (j->s->dh != 1 || j->s->dw != 1) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "Current CPU implementations do not yet support dilation rates larger than 1.");
        return false;
    }
    if (!tfc_conv_backprop_check(k, j->s, filter_grad, &j->g)) return false;
    const tfc_conv_geom *g = &j->g;
    if (g->groups != 1) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "%s: grouped convolutions are not supported", k->op_type);
        return false;
    }
    j->dt = k->output_types[0];
    j->es = tfc_dtype_elem_size(j->dt);
    j->patch = g->kh * g->kw * g->cg;
    j->pixels = g->n * g->oh * g->ow;
    j->tile = (int64_t)(SCRATCH_BYTES / ((size_t)(j->patch ? j->patch : 1) * j->es));
    if (j->tile < 16) j->tile = 16;
    if (j->patch > INT_MAX / 16 || g->k > INT_MAX / 16) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "%s: filter too large", k->op_type);
        return false;
    }
    return true;
}

/* dx = col2im(dy . filter^T), tile by tile of output pixels. */
static void conv2d_backprop_input_compute(tfc_kernel_ctx *k)
{
    conv_job j = {.s = tfc_kernel_state(k)};
    if (!backprop_check(k, &j, false)) return;
    const tfc_conv_geom *g = &j.g;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){g->n, g->ih, g->iw, g->c}, 4, &out)) return;
    j.out = tfc_tensor_data(out);
    memset(j.out, 0, (size_t)out->nelems * j.es);
    if (j.pixels == 0 || j.patch == 0) return;
    const char *dy = tfc_tensor_data(tfc_kernel_input(k, 2)), *f = tfc_tensor_data(tfc_kernel_input(k, 1));
    char *col = tfc_malloc((size_t)j.tile * (size_t)j.patch * j.es);
    if (!col) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory for col2im scratch");
        return;
    }
    for (int64_t p0 = 0; p0 < j.pixels; p0 += j.tile) {
        int64_t p1 = p0 + j.tile < j.pixels ? p0 + j.tile : j.pixels;
        if (g->k == 0) break;
        gemm_t(j.dt, false, true, (int)(p1 - p0), (int)j.patch, (int)g->k, dy + (size_t)(p0 * g->k) * j.es,
               (int)g->k, f, (int)g->k, 0.0, col, (int)j.patch);
        col2im(&j, p0, p1, col);
    }
    tfc_free(col);
}

/* dfilter = sum over tiles of im2col(input)^T . dy. */
static void conv2d_backprop_filter_compute(tfc_kernel_ctx *k)
{
    conv_job j = {.s = tfc_kernel_state(k)};
    if (!backprop_check(k, &j, true)) return;
    const tfc_conv_geom *g = &j.g;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){g->kh, g->kw, g->cg, g->k}, 4, &out)) return;
    char *df = tfc_tensor_data(out);
    memset(df, 0, (size_t)out->nelems * j.es);
    if (j.pixels == 0 || out->nelems == 0) return;
    j.in = tfc_tensor_data(tfc_kernel_input(k, 0));
    const char *dy = tfc_tensor_data(tfc_kernel_input(k, 2));
    char *col = tfc_malloc((size_t)j.tile * (size_t)j.patch * j.es);
    if (!col) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory for im2col scratch");
        return;
    }
    for (int64_t p0 = 0; p0 < j.pixels; p0 += j.tile) {
        int64_t p1 = p0 + j.tile < j.pixels ? p0 + j.tile : j.pixels;
        im2col(&j, p0, p1, 0, col);
        gemm_t(j.dt, true, false, (int)j.patch, (int)g->k, (int)(p1 - p0), col, (int)j.patch,
               dy + (size_t)(p0 * g->k) * j.es, (int)g->k, 1.0, df, (int)g->k);
    }
    tfc_free(col);
}

// ---- the table ----

const tfc_kernel_def tfc_cpu_conv_kernels[] = {
    {"Conv2D", "CPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE) | TFC_TYPE_BIT(TF_INT32),
     .init = conv_init, .free_state = tfc_free, .compute = conv2d_compute},
    {"DepthwiseConv2dNative", "CPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = conv_init,
     .free_state = tfc_free, .compute = depthwise_compute},
    {"Conv2DBackpropInput", "CPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = conv_init,
     .free_state = tfc_free, .compute = conv2d_backprop_input_compute},
    {"Conv2DBackpropFilter", "CPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = conv_init,
     .free_state = tfc_free, .compute = conv2d_backprop_filter_compute},
    {0}};
