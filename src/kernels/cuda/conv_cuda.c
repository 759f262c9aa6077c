/* conv_cuda: Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter and DepthwiseConv2dNative (float,
 * double) on the GPU with cuDNN: NHWC and NCHW, strides, dilations (not depthwise: TensorFlow's
 * kernels take none), grouped filters, VALID / SAME / EXPLICIT padding. The checks and messages
 * are the CPU kernels' (conv_check.h), except that NCHW, dilated and grouped backprops are taken,
 * as TensorFlow's GPU kernels take them. DepthwiseConv2dNative is a grouped convolution with one
 * group per input channel: its [KH, KW, C, M] filter is, in memory, the [KH, KW, 1, C*M] filter of
 * that convolution.
 *
 * cuDNN runs in NCHW with a KCRS filter, as TensorFlow runs float convolutions on the GPU, and as
 * every cuDNN algorithm (double ones too) takes them. One gather kernel (conv_cuda.cu) moves the
 * operands there and back: NHWC images to NCHW, HWIO filters (a layout cuDNN has no descriptor
 * for) to KCRS, and the filter gradient back. cuDNN pads symmetrically: where TensorFlow's padding
 * is not (SAME with an odd total, EXPLICIT), cuDNN gets the smaller side and the same gather writes
 * the rest as zeros around a copy of the input; the input gradient is computed into such a padded
 * image and cropped. A symmetric NCHW operand goes to cuDNN as it is.
 *
 * Math is CUDNN_FMA_MATH: plain fp32 (fp64) FMAs, never TF32 tensor cores, whose 10-bit mantissas
 * would miss TensorFlow's fp32 values (CUDNN_DEFAULT_MATH permits TF32 on Ampere and later). The
 * algorithm comes from cuDNN's heuristics (cudnnGet*Algorithm_v7), cached per shape in the kernel
 * state; the algorithms that sum products directly are tried before the FFT and Winograd ones, whose
 * transforms cost accuracy, and a candidate cuDNN turns down, or whose workspace the pool cannot
 * give, passes to the next. Workspaces and staging buffers come from the device's pool and are freed
 * as soon as the work using them is queued on the compute stream (the pool is stream-ordered). */
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "core/alloc.h"
#include "core/shape.h"
#include "kernels/conv_check.h"
#include "kernels/cuda/conv_launch.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/kernel.h"

enum { MAX_ALGOS = 8, CACHE_SLOTS = 8, KEY_LEN = 10, MAX_TEMPS = 4 };

typedef enum conv_dir { CONV_FWD, CONV_BWD_DATA, CONV_BWD_FILTER } conv_dir;

/* The candidate algorithms of one shape, best first, with their workspace bytes. */
typedef struct algo_list {
    int n;
    int algo[MAX_ALGOS];
    size_t ws[MAX_ALGOS];
} algo_list;

typedef struct algo_slot {
    bool used;
    int64_t key[KEY_LEN];
    algo_list algos;
} algo_slot;

typedef struct conv_state {
    tfc_conv_params p;
    conv_dir dir;
    bool depthwise;
    pthread_mutex_t mu; /* guards the cache: concurrent steps share the state */
    algo_slot cache[CACHE_SLOTS];
    int next_slot;      /* replaced next when the cache is full */
} conv_state;

/* The convolution as cuDNN runs it: input [n, c, h, w] (NCHW; h = ih and w = iw plus the padding
 * of our own, extra_top / extra_left of it before the image), filter [k, cg, r, s] (KCRS) in
 * `groups` groups, output [n, k, oh, ow], and the symmetric padding cuDNN adds. */
typedef struct dnn_problem {
    TF_DataType dt;
    size_t es;
    int64_t n, c, ih, iw, h, w, k, cg, r, s, groups, oh, ow;
    int64_t pad_h, pad_w, extra_top, extra_left;
    bool own_padding;
} dnn_problem;

// ---- state ----

static TF_Code conv_init(const tfc_kernel_init_ctx *c, conv_dir dir, bool depthwise, void **state)
{
    conv_state *s = tfc_calloc(1, sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    TF_Code rc = tfc_conv_parse(c, true, &s->p);
    if (rc) {
        tfc_free(s);
        return rc;
    }
    s->dir = dir;
    s->depthwise = depthwise;
    pthread_mutex_init(&s->mu, NULL);
    *state = s;
    return TF_OK;
}

static TF_Code conv2d_init(const tfc_kernel_init_ctx *c, void **state) { return conv_init(c, CONV_FWD, false, state); }
static TF_Code depthwise_init(const tfc_kernel_init_ctx *c, void **state)
{
    return conv_init(c, CONV_FWD, true, state);
}
static TF_Code input_grad_init(const tfc_kernel_init_ctx *c, void **state)
{
    return conv_init(c, CONV_BWD_DATA, false, state);
}
static TF_Code filter_grad_init(const tfc_kernel_init_ctx *c, void **state)
{
    return conv_init(c, CONV_BWD_FILTER, false, state);
}

static void conv_free(void *state)
{
    conv_state *s = state;
    if (!s) return;
    pthread_mutex_destroy(&s->mu);
    tfc_free(s);
}

// ---- the problem cuDNN solves ----

static bool count4(int64_t a, int64_t b, int64_t c, int64_t d, int64_t *out)
{
    int64_t ab, abc;
    return tfc_mul_checked_i64(a, b, &ab) && tfc_mul_checked_i64(ab, c, &abc) && tfc_mul_checked_i64(abc, d, out);
}

/* Sets q from the checked geometry; false (UNIMPLEMENTED) when a size passes cuDNN's ints. */
static bool problem_of(tfc_kernel_ctx *k, const conv_state *s, const tfc_conv_geom *g, TF_DataType dt,
                       dnn_problem *q)
{
    int64_t ph = g->pad_top < g->pad_bottom ? g->pad_top : g->pad_bottom;
    int64_t pw = g->pad_left < g->pad_right ? g->pad_left : g->pad_right;
    *q = (dnn_problem){.dt = dt,
                       .es = dt == TF_DOUBLE ? sizeof(double) : sizeof(float),
                       .n = g->n,
                       .c = g->c,
                       .ih = g->ih,
                       .iw = g->iw,
                       .h = g->ih + g->pad_top + g->pad_bottom - 2 * ph,
                       .w = g->iw + g->pad_left + g->pad_right - 2 * pw,
                       .k = s->depthwise ? g->c * g->k : g->k, /* below 2^62: no overflow */
                       .cg = s->depthwise ? 1 : g->cg,
                       .r = g->kh,
                       .s = g->kw,
                       .groups = s->depthwise ? g->c : g->groups,
                       .oh = g->oh,
                       .ow = g->ow,
                       .pad_h = ph,
                       .pad_w = pw,
                       .extra_top = g->pad_top - ph,
                       .extra_left = g->pad_left - pw};
    q->own_padding = q->h != q->ih || q->w != q->iw;
    int64_t counts[3];
    bool ok = count4(q->n, q->c, q->h, q->w, &counts[0]) && count4(q->n, q->k, q->oh, q->ow, &counts[1]) &&
              count4(q->k, q->cg, q->r, q->s, &counts[2]);
    const int64_t sizes[] = {q->h, q->w, q->k, q->pad_h, q->pad_w, counts[0], counts[1], counts[2]};
    for (size_t i = 0; ok && i < sizeof sizes / sizeof sizes[0]; i++) ok = sizes[i] <= INT_MAX;
    if (!ok)
        tfc_kernel_error(k, TF_UNIMPLEMENTED,
                         "convolution of a [%lld, %lld, %lld, %lld] image (padded) by a %lldx%lld filter to %lld "
                         "channels exceeds cuDNN's 32-bit sizes",
                         (long long)q->n, (long long)q->c, (long long)q->h, (long long)q->w, (long long)q->r,
                         (long long)q->s, (long long)q->k);
    return ok;
}

typedef struct dnn_descs {
    cudnnTensorDescriptor_t x, y;
    cudnnFilterDescriptor_t w;
    cudnnConvolutionDescriptor_t conv;
} dnn_descs;

static void descs_free(dnn_descs *d)
{
    if (d->x) cudnnDestroyTensorDescriptor(d->x);
    if (d->y) cudnnDestroyTensorDescriptor(d->y);
    if (d->w) cudnnDestroyFilterDescriptor(d->w);
    if (d->conv) cudnnDestroyConvolutionDescriptor(d->conv);
}

/* The descriptors of q (sizes checked by problem_of); host-only calls, no handle needed. */
static cudnnStatus_t descs_make(const dnn_problem *q, const tfc_conv_params *p, dnn_descs *d)
{
    memset(d, 0, sizeof *d);
    const cudnnStatus_t ok = CUDNN_STATUS_SUCCESS;
    cudnnDataType_t t = q->dt == TF_DOUBLE ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT;
    cudnnStatus_t e = cudnnCreateTensorDescriptor(&d->x);
    if (e == ok) e = cudnnCreateTensorDescriptor(&d->y);
    if (e == ok) e = cudnnCreateFilterDescriptor(&d->w);
    if (e == ok) e = cudnnCreateConvolutionDescriptor(&d->conv);
    if (e == ok) e = cudnnSetTensor4dDescriptor(d->x, CUDNN_TENSOR_NCHW, t, (int)q->n, (int)q->c, (int)q->h, (int)q->w);
    if (e == ok)
        e = cudnnSetTensor4dDescriptor(d->y, CUDNN_TENSOR_NCHW, t, (int)q->n, (int)q->k, (int)q->oh, (int)q->ow);
    if (e == ok) e = cudnnSetFilter4dDescriptor(d->w, t, CUDNN_TENSOR_NCHW, (int)q->k, (int)q->cg, (int)q->r, (int)q->s);
    if (e == ok)
        e = cudnnSetConvolution2dDescriptor(d->conv, (int)q->pad_h, (int)q->pad_w, (int)p->sh, (int)p->sw, (int)p->dh,
                                            (int)p->dw, CUDNN_CROSS_CORRELATION, t);
    if (e == ok) e = cudnnSetConvolutionGroupCount(d->conv, (int)q->groups);
    if (e == ok) e = cudnnSetConvolutionMathType(d->conv, CUDNN_FMA_MATH);
    return e;
}

/* cuDNN's idea of the output shape must be TensorFlow's (it is, by the padding arithmetic; this
 * guards that arithmetic). */
static bool output_agrees(tfc_kernel_ctx *k, const dnn_problem *q, const dnn_descs *d)
{
    int n, c, h, w;
    cudnnStatus_t e = cudnnGetConvolution2dForwardOutputDim(d->conv, d->x, d->w, &n, &c, &h, &w);
    if (e != CUDNN_STATUS_SUCCESS) {
        tfc_kernel_error(k, TF_INTERNAL, "cuDNN convolution output shape: %s", cudnnGetErrorString(e));
        return false;
    }
    if (n != q->n || c != q->k || h != q->oh || w != q->ow) {
        tfc_kernel_error(k, TF_INTERNAL, "cuDNN computes a [%d, %d, %d, %d] output, TensorFlow [%lld, %lld, %lld, %lld]",
                         n, c, h, w, (long long)q->n, (long long)q->k, (long long)q->oh, (long long)q->ow);
        return false;
    }
    return true;
}

// ---- algorithms ----

/* Whether algo computes through a transform (FFT, Winograd) rather than by summing products. */
static bool transform_algo(conv_dir dir, int algo)
{
    if (dir == CONV_FWD) return algo >= CUDNN_CONVOLUTION_FWD_ALGO_FFT;
    if (dir == CONV_BWD_DATA) return algo >= CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT;
    return algo != CUDNN_CONVOLUTION_BWD_FILTER_ALGO_0 && algo != CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1 &&
           algo != CUDNN_CONVOLUTION_BWD_FILTER_ALGO_3;
}

/* Files one heuristic result under lists[0] (direct sums) or lists[1] (transforms), if it is
 * supported, runs without tensor-op math and is not there yet. */
static void consider(algo_list lists[2], conv_dir dir, cudnnStatus_t st, cudnnMathType_t math, int algo)
{
    if (st != CUDNN_STATUS_SUCCESS || math == CUDNN_TENSOR_OP_MATH || math == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION)
        return;
    algo_list *l = &lists[transform_algo(dir, algo)];
    for (int i = 0; i < l->n; i++)
        if (l->algo[i] == algo) return;
    if (l->n < MAX_ALGOS) l->algo[l->n++] = algo;
}

/* cuDNN's heuristics for d's problem (caller holds dnn_mu), direct algorithms first; no workspace
 * sizes yet. */
static cudnnStatus_t query_algos(cudnnHandle_t h, conv_dir dir, const dnn_descs *d, algo_list *out)
{
    algo_list lists[2] = {{0}};
    cudnnStatus_t e;
    int got = 0;
    if (dir == CONV_FWD) {
        cudnnConvolutionFwdAlgoPerf_t r[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
        e = cudnnGetConvolutionForwardAlgorithm_v7(h, d->x, d->w, d->conv, d->y, CUDNN_CONVOLUTION_FWD_ALGO_COUNT,
                                                   &got, r);
        for (int i = 0; e == CUDNN_STATUS_SUCCESS && i < got && i < CUDNN_CONVOLUTION_FWD_ALGO_COUNT; i++)
            consider(lists, dir, r[i].status, r[i].mathType, (int)r[i].algo);
    } else if (dir == CONV_BWD_DATA) {
        cudnnConvolutionBwdDataAlgoPerf_t r[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
        e = cudnnGetConvolutionBackwardDataAlgorithm_v7(h, d->w, d->y, d->conv, d->x,
                                                        CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &got, r);
        for (int i = 0; e == CUDNN_STATUS_SUCCESS && i < got && i < CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT; i++)
            consider(lists, dir, r[i].status, r[i].mathType, (int)r[i].algo);
    } else {
        cudnnConvolutionBwdFilterAlgoPerf_t r[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
        e = cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, d->x, d->y, d->conv, d->w,
                                                          CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &got, r);
        for (int i = 0; e == CUDNN_STATUS_SUCCESS && i < got && i < CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT; i++)
            consider(lists, dir, r[i].status, r[i].mathType, (int)r[i].algo);
    }
    *out = lists[0];
    for (int i = 0; i < lists[1].n && out->n < MAX_ALGOS; i++) out->algo[out->n++] = lists[1].algo[i];
    return e;
}

/* The workspace cuDNN says algo needs (caller holds dnn_mu). */
static cudnnStatus_t workspace_size(cudnnHandle_t h, conv_dir dir, const dnn_descs *d, int algo, size_t *size)
{
    if (dir == CONV_FWD)
        return cudnnGetConvolutionForwardWorkspaceSize(h, d->x, d->w, d->conv, d->y, (cudnnConvolutionFwdAlgo_t)algo,
                                                       size);
    if (dir == CONV_BWD_DATA)
        return cudnnGetConvolutionBackwardDataWorkspaceSize(h, d->w, d->y, d->conv, d->x,
                                                            (cudnnConvolutionBwdDataAlgo_t)algo, size);
    return cudnnGetConvolutionBackwardFilterWorkspaceSize(h, d->x, d->y, d->conv, d->w,
                                                          (cudnnConvolutionBwdFilterAlgo_t)algo, size);
}

/* The heuristics' candidates with their exact workspace sizes; those cuDNN then turns down are
 * dropped (caller holds dnn_mu). */
static cudnnStatus_t candidates(cudnnHandle_t h, conv_dir dir, const dnn_descs *d, algo_list *out)
{
    algo_list all;
    cudnnStatus_t e = query_algos(h, dir, d, &all);
    out->n = 0;
    for (int i = 0; e == CUDNN_STATUS_SUCCESS && i < all.n; i++) {
        size_t ws;
        cudnnStatus_t w = workspace_size(h, dir, d, all.algo[i], &ws);
        if (w == CUDNN_STATUS_SUCCESS) out->algo[out->n] = all.algo[i], out->ws[out->n++] = ws;
    }
    return e;
}

/* The candidates for q: from the state's cache, else from cuDNN (then cached). */
static bool algos_for(tfc_kernel_ctx *k, conv_state *s, tfc_cuda *d, const dnn_problem *q, const dnn_descs *ds,
                      algo_list *out)
{
    const int64_t key[KEY_LEN] = {q->n, q->c, q->h, q->w, q->k, q->cg, q->r, q->s, q->pad_h, q->pad_w};
    bool hit = false;
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < CACHE_SLOTS && !hit; i++)
        if (s->cache[i].used && !memcmp(s->cache[i].key, key, sizeof key)) *out = s->cache[i].algos, hit = true;
    pthread_mutex_unlock(&s->mu);
    if (hit) return true;
    pthread_mutex_lock(&d->dnn_mu);
    cudnnStatus_t e = candidates(d->dnn, s->dir, ds, out);
    pthread_mutex_unlock(&d->dnn_mu);
    if (e != CUDNN_STATUS_SUCCESS) {
        tfc_kernel_error(k, TF_INTERNAL, "cuDNN algorithm heuristics failed: %s", cudnnGetErrorString(e));
        return false;
    }
    if (out->n == 0) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "cuDNN has no FMA algorithm for this convolution");
        return false;
    }
    pthread_mutex_lock(&s->mu);
    algo_slot *slot = &s->cache[s->next_slot];
    s->next_slot = (s->next_slot + 1) % CACHE_SLOTS;
    *slot = (algo_slot){.used = true, .algos = *out};
    memcpy(slot->key, key, sizeof key);
    pthread_mutex_unlock(&s->mu);
    return true;
}

/* One cuDNN call of dir: FWD y = conv(x = a, w = b); BWD_DATA dx from (w = a, dy = b); BWD_FILTER
 * dw from (x = a, dy = b). The caller holds dnn_mu. */
static cudnnStatus_t run_algo(cudnnHandle_t h, conv_dir dir, const dnn_descs *d, int algo, void *ws, size_t ws_size,
                              const void *one, const void *zero, const void *a, const void *b, void *out)
{
    if (dir == CONV_FWD)
        return cudnnConvolutionForward(h, one, d->x, a, d->w, b, d->conv, (cudnnConvolutionFwdAlgo_t)algo, ws, ws_size,
                                       zero, d->y, out);
    if (dir == CONV_BWD_DATA)
        return cudnnConvolutionBackwardData(h, one, d->w, a, d->y, b, d->conv, (cudnnConvolutionBwdDataAlgo_t)algo, ws,
                                            ws_size, zero, d->x, out);
    return cudnnConvolutionBackwardFilter(h, one, d->x, a, d->y, b, d->conv, (cudnnConvolutionBwdFilterAlgo_t)algo,
                                          ws, ws_size, zero, d->w, out);
}

/* Queues the first candidate that cuDNN takes and whose workspace the pool can give. */
static bool run_candidates(tfc_kernel_ctx *k, tfc_cuda *d, conv_dir dir, const dnn_problem *q, const dnn_descs *ds,
                           const algo_list *al, const void *a, const void *b, void *out)
{
    const float f1 = 1, f0 = 0;
    const double d1 = 1, d0 = 0;
    const void *one = q->dt == TF_DOUBLE ? (const void *)&d1 : &f1, *zero = q->dt == TF_DOUBLE ? (const void *)&d0 : &f0;
    cudnnStatus_t e = CUDNN_STATUS_NOT_SUPPORTED;
    size_t short_of = 0; /* a workspace the pool could not give */
    for (int i = 0; i < al->n; i++) {
        void *ws = al->ws[i] ? tfc_cuda_pool_alloc(d->pool, al->ws[i]) : NULL;
        if (al->ws[i] && !ws) {
            short_of = al->ws[i];
            continue;
        }
        pthread_mutex_lock(&d->dnn_mu);
        e = run_algo(d->dnn, dir, ds, al->algo[i], ws, al->ws[i], one, zero, a, b, out);
        pthread_mutex_unlock(&d->dnn_mu);
        tfc_cuda_pool_free(d->pool, ws); /* stream-ordered: the queued convolution still has it */
        if (e == CUDNN_STATUS_SUCCESS) return true;
        if (CUDNN_STATUS_CATEGORY(e) != CUDNN_STATUS_NOT_SUPPORTED) break;
    }
    if (short_of && CUDNN_STATUS_CATEGORY(e) == CUDNN_STATUS_NOT_SUPPORTED)
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of GPU memory for a cuDNN workspace of %zu bytes", short_of);
    else
        tfc_kernel_error(k, TF_INTERNAL, "cuDNN convolution failed: %s", cudnnGetErrorString(e));
    return false;
}

/* Queues the convolution of q in s's direction on the compute stream (operands as run_algo). */
static bool convolve(tfc_kernel_ctx *k, conv_state *s, tfc_cuda *d, const dnn_problem *q, const void *a,
                     const void *b, void *out)
{
    dnn_descs ds;
    algo_list al;
    cudnnStatus_t e = descs_make(q, &s->p, &ds);
    bool ok = e == CUDNN_STATUS_SUCCESS;
    if (!ok) tfc_kernel_error(k, TF_INTERNAL, "cuDNN descriptors: %s", cudnnGetErrorString(e));
    ok = ok && output_agrees(k, q, &ds) && algos_for(k, s, d, q, &ds, &al) &&
         run_candidates(k, d, s->dir, q, &ds, &al, a, b, out);
    descs_free(&ds);
    return ok;
}

// ---- moving operands between TensorFlow's layouts and cuDNN's ----

/* The staging buffers of one call, freed together once everything using them is queued. */
typedef struct temps {
    void *p[MAX_TEMPS];
    int n;
} temps;

static void *take(tfc_kernel_ctx *k, tfc_cuda *d, temps *t, int64_t elems, size_t es)
{
    void *p = t->n < MAX_TEMPS ? tfc_cuda_pool_alloc(d->pool, (size_t)elems * es) : NULL; /* elems < 2^31 */
    if (!p) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of GPU memory for a %lld-byte temporary",
                             (long long)elems * (long long)es);
    else
        t->p[t->n++] = p;
    return p;
}

static void temps_free(tfc_cuda *d, temps *t)
{
    for (int i = 0; i < t->n; i++) tfc_cuda_pool_free(d->pool, t->p[i]);
}

static bool gather(tfc_kernel_ctx *k, const tfc_cuda *d, size_t es, const void *src, void *dst,
                   const tfc_gpu_gather4_plan *p)
{
    cudaError_t e = tfc_gpu_gather4(es, src, dst, p, d->compute);
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
    return e == cudaSuccess;
}

/* The gather of an image of logical dims dst[4] = [n, c, h, w], stored NHWC when dst_nhwc (else
 * NCHW), from one of dims src[4] stored as src_nhwc says: destination row y reads source row
 * y + off_h, column x column x + off_w (negative offsets pad, positive ones crop). */
static tfc_gpu_gather4_plan image_plan(bool dst_nhwc, const int64_t dst[4], bool src_nhwc, const int64_t src[4],
                                       int64_t off_h, int64_t off_w)
{
    static const int nchw_order[4] = {0, 1, 2, 3}, nhwc_order[4] = {0, 2, 3, 1};
    const int *order = dst_nhwc ? nhwc_order : nchw_order;
    int64_t c = src[1], h = src[2], w = src[3];
    const int64_t stride[4] = {c * h * w, src_nhwc ? 1 : h * w, src_nhwc ? w * c : w, src_nhwc ? c : 1};
    const int64_t off[4] = {0, 0, off_h, off_w};
    tfc_gpu_gather4_plan p = {.n = dst[0] * dst[1] * dst[2] * dst[3]};
    for (int i = 0; i < 4; i++) {
        int a = order[i];
        p.dims[i] = dst[a], p.src_stride[i] = stride[a], p.src_extent[i] = src[a], p.src_offset[i] = off[a];
    }
    return p;
}

/* The filter's HWIO [r, s, cg, k] to cuDNN's KCRS (to_kcrs), or KCRS back to HWIO. */
static tfc_gpu_gather4_plan filter_plan(const dnn_problem *q, bool to_kcrs)
{
    int64_t r = q->r, s = q->s, cg = q->cg, k = q->k;
    tfc_gpu_gather4_plan p = {.n = r * s * cg * k};
    const int64_t kcrs[4] = {k, cg, r, s}, from_hwio[4] = {1, k, s * cg * k, cg * k};
    const int64_t hwio[4] = {r, s, cg, k}, from_kcrs[4] = {s, 1, r * s, cg * r * s};
    for (int i = 0; i < 4; i++) {
        p.dims[i] = p.src_extent[i] = to_kcrs ? kcrs[i] : hwio[i];
        p.src_stride[i] = to_kcrs ? from_hwio[i] : from_kcrs[i];
    }
    return p;
}

/* The input image as cuDNN takes it: x itself (NCHW, symmetric padding) or a padded NCHW copy. */
static const void *stage_image(tfc_kernel_ctx *k, tfc_cuda *d, const conv_state *s, const dnn_problem *q, temps *t,
                               const TF_Tensor *x)
{
    if (s->p.nchw && !q->own_padding) return tfc_tensor_data(x);
    const int64_t dst[4] = {q->n, q->c, q->h, q->w}, src[4] = {q->n, q->c, q->ih, q->iw};
    tfc_gpu_gather4_plan p = image_plan(false, dst, !s->p.nchw, src, -q->extra_top, -q->extra_left);
    void *buf = take(k, d, t, p.n, q->es);
    return buf && gather(k, d, q->es, tfc_tensor_data(x), buf, &p) ? buf : NULL;
}

/* out_backprop as cuDNN takes it: dy itself (NCHW) or an NCHW copy. */
static const void *stage_grad(tfc_kernel_ctx *k, tfc_cuda *d, const conv_state *s, const dnn_problem *q, temps *t,
                              const TF_Tensor *dy)
{
    if (s->p.nchw) return tfc_tensor_data(dy);
    const int64_t dims[4] = {q->n, q->k, q->oh, q->ow};
    tfc_gpu_gather4_plan p = image_plan(false, dims, true, dims, 0, 0);
    void *buf = take(k, d, t, p.n, q->es);
    return buf && gather(k, d, q->es, tfc_tensor_data(dy), buf, &p) ? buf : NULL;
}

/* The filter in KCRS. */
static const void *stage_filter(tfc_kernel_ctx *k, tfc_cuda *d, const dnn_problem *q, temps *t, const TF_Tensor *f)
{
    tfc_gpu_gather4_plan p = filter_plan(q, true);
    void *buf = take(k, d, t, p.n, q->es);
    return buf && gather(k, d, q->es, tfc_tensor_data(f), buf, &p) ? buf : NULL;
}

// ---- the kernels ----

/* The common start of a compute once out is allocated (not empty): GPU current, then either out
 * zeroed, when an operand has no elements (false: done), or the problem set in *q (false on error). */
static bool start(tfc_kernel_ctx *k, const conv_state *s, const tfc_conv_geom *g, TF_Tensor *out, bool zero_out,
                  tfc_cuda **dp, dnn_problem *q)
{
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return false;
    if (zero_out) { /* sums over nothing: the padding, or an empty batch or image */
        cudaError_t e = cudaMemsetAsync(tfc_tensor_data(out), 0, out->nbytes, d->compute);
        if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "cudaMemsetAsync: %s", cudaGetErrorString(e));
        return false;
    }
    if (!d->dnn) {
        tfc_kernel_error(k, TF_INTERNAL, "cuDNN did not start on %s", k->device->name);
        return false;
    }
    *dp = d;
    return problem_of(k, s, g, out->dtype, q);
}

/* Conv2D and DepthwiseConv2dNative. */
static void conv2d_compute(tfc_kernel_ctx *k)
{
    conv_state *s = tfc_kernel_state(k);
    tfc_conv_geom g;
    int64_t dims[4];
    TF_Tensor *out;
    if (!tfc_conv_check(k, &s->p, s->depthwise, &g)) return;
    tfc_conv_image_dims(&s->p, g.n, g.oh, g.ow, s->depthwise ? g.c * g.k : g.k, dims);
    if (tfc_kernel_alloc_output(k, 0, dims, 4, &out) || out->nelems == 0) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0), *f = tfc_kernel_input(k, 1);
    tfc_cuda *d;
    dnn_problem q;
    if (!start(k, s, &g, out, x->nelems == 0, &d, &q)) return;
    temps t = {0};
    const void *xin = stage_image(k, d, s, &q, &t, x);
    const void *fin = xin ? stage_filter(k, d, &q, &t, f) : NULL;
    void *y = !fin ? NULL : s->p.nchw ? tfc_tensor_data(out) : take(k, d, &t, out->nelems, q.es);
    if (y && convolve(k, s, d, &q, xin, fin, y) && !s->p.nchw) {
        const int64_t nchw[4] = {q.n, q.k, q.oh, q.ow};
        tfc_gpu_gather4_plan p = image_plan(true, nchw, false, nchw, 0, 0);
        gather(k, d, q.es, y, tfc_tensor_data(out), &p);
    }
    temps_free(d, &t);
}

/* Conv2DBackpropInput: dx computed into a padded NCHW image where needed, then cropped. */
static void input_grad_compute(tfc_kernel_ctx *k)
{
    conv_state *s = tfc_kernel_state(k);
    tfc_conv_geom g;
    int64_t dims[4];
    TF_Tensor *out;
    if (!tfc_conv_backprop_check(k, &s->p, false, &g)) return;
    tfc_conv_image_dims(&s->p, g.n, g.ih, g.iw, g.c, dims);
    if (tfc_kernel_alloc_output(k, 0, dims, 4, &out) || out->nelems == 0) return;
    const TF_Tensor *f = tfc_kernel_input(k, 1), *dy = tfc_kernel_input(k, 2);
    tfc_cuda *d;
    dnn_problem q;
    if (!start(k, s, &g, out, dy->nelems == 0, &d, &q)) return;
    temps t = {0};
    bool direct = s->p.nchw && !q.own_padding;
    const void *fin = stage_filter(k, d, &q, &t, f);
    const void *dyin = fin ? stage_grad(k, d, s, &q, &t, dy) : NULL;
    void *dx = !dyin ? NULL : direct ? tfc_tensor_data(out) : take(k, d, &t, q.n * q.c * q.h * q.w, q.es);
    if (dx && convolve(k, s, d, &q, fin, dyin, dx) && !direct) {
        const int64_t dst[4] = {q.n, q.c, q.ih, q.iw}, src[4] = {q.n, q.c, q.h, q.w};
        tfc_gpu_gather4_plan p = image_plan(!s->p.nchw, dst, false, src, q.extra_top, q.extra_left);
        gather(k, d, q.es, dx, tfc_tensor_data(out), &p);
    }
    temps_free(d, &t);
}

/* Conv2DBackpropFilter: dw computed in KCRS, then moved to HWIO. */
static void filter_grad_compute(tfc_kernel_ctx *k)
{
    conv_state *s = tfc_kernel_state(k);
    tfc_conv_geom g;
    TF_Tensor *out;
    if (!tfc_conv_backprop_check(k, &s->p, true, &g)) return;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){g.kh, g.kw, g.cg, g.k}, 4, &out) || out->nelems == 0) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0), *dy = tfc_kernel_input(k, 2);
    tfc_cuda *d;
    dnn_problem q;
    if (!start(k, s, &g, out, x->nelems == 0 || dy->nelems == 0, &d, &q)) return;
    temps t = {0};
    const void *xin = stage_image(k, d, s, &q, &t, x);
    const void *dyin = xin ? stage_grad(k, d, s, &q, &t, dy) : NULL;
    void *dw = dyin ? take(k, d, &t, out->nelems, q.es) : NULL;
    if (dw && convolve(k, s, d, &q, xin, dyin, dw)) {
        tfc_gpu_gather4_plan p = filter_plan(&q, false);
        gather(k, d, q.es, dw, tfc_tensor_data(out), &p);
    }
    temps_free(d, &t);
}

#define F32_F64 (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
const tfc_kernel_def tfc_gpu_conv_kernels[] = {
    {"Conv2D", "GPU", F32_F64, .init = conv2d_init, .free_state = conv_free, .compute = conv2d_compute},
    {"DepthwiseConv2dNative", "GPU", F32_F64, .init = depthwise_init, .free_state = conv_free,
     .compute = conv2d_compute},
    /* input_sizes and filter_sizes are read on the host */
    {"Conv2DBackpropInput", "GPU", F32_F64, .host_inputs = 1u << 0, .init = input_grad_init, .free_state = conv_free,
     .compute = input_grad_compute},
    {"Conv2DBackpropFilter", "GPU", F32_F64, .host_inputs = 1u << 1, .init = filter_grad_init,
     .free_state = conv_free, .compute = filter_grad_compute},
    {0},
};
