/* pool_cpu: CPU kernels of MaxPool (float, double, int8/16/32/64, uint8/16) and AvgPool (float,
 * double), NHWC only as in TensorFlow's CPU kernels (see ops/conv_ops.c). Work is split over
 * output rows (batch, y); the channel loop is innermost so every window read is contiguous.
 * Padded positions never take part: MaxPool ignores them, AvgPool divides by the number of real
 * elements in each window, as TensorFlow does. MaxPool also pools over depth (ksize [1,1,1,k]).
 * The attribute and shape checks are shared with the GPU kernels (pool_check.h). */
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "kernels/kernel.h"
#include "kernels/pool_check.h"

typedef struct pool_job {
    const tfc_pool_params *s;
    tfc_pool_geom g;
    const void *in;
    void *out;
} pool_job;

/* Output rows [begin, end): each pixel's window, clipped to the input, reduced per channel. AVG
 * divides by the clipped window's size. */
#define POOL_ROWS(NAME, T, INIT, ACC, AVG)                                                                   \
    static void NAME(void *arg, int64_t begin, int64_t end)                                                  \
    {                                                                                                        \
        const pool_job *j = arg;                                                                             \
        const tfc_pool_params *s = j->s;                                                                     \
        for (int64_t row = begin; row < end; row++) {                                                        \
            int64_t b = row / j->g.oh, oy = row % j->g.oh;                                                   \
            int64_t y0 = oy * s->sh - j->g.pad_top, y1 = y0 + s->kh;                                         \
            y0 = y0 < 0 ? 0 : y0, y1 = y1 > j->g.ih ? j->g.ih : y1;                                          \
            T *o = (T *)j->out + row * j->g.ow * j->g.c;                                                     \
            for (int64_t ox = 0; ox < j->g.ow; ox++, o += j->g.c) {                                          \
                int64_t x0 = ox * s->sw - j->g.pad_left, x1 = x0 + s->kw;                                    \
                x0 = x0 < 0 ? 0 : x0, x1 = x1 > j->g.iw ? j->g.iw : x1;                                      \
                for (int64_t c = 0; c < j->g.c; c++) o[c] = INIT;                                            \
                for (int64_t y = y0; y < y1; y++)                                                            \
                    for (int64_t x = x0; x < x1; x++) {                                                      \
                        const T *px = (const T *)j->in + ((b * j->g.ih + y) * j->g.iw + x) * j->g.c;         \
                        for (int64_t c = 0; c < j->g.c; c++) ACC;                                            \
                    }                                                                                        \
                if (AVG) {                                                                                   \
                    int64_t n = (y1 > y0 ? y1 - y0 : 0) * (x1 > x0 ? x1 - x0 : 0);                           \
                    for (int64_t c = 0; c < j->g.c; c++) o[c] = n ? o[c] / (T)n : o[c];                      \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }

#define MAX_ACC (o[c] = px[c] > o[c] ? px[c] : o[c])
POOL_ROWS(max_rows_f32, float, -FLT_MAX, MAX_ACC, 0)
POOL_ROWS(max_rows_f64, double, -DBL_MAX, MAX_ACC, 0)
POOL_ROWS(max_rows_i8, int8_t, INT8_MIN, MAX_ACC, 0)
POOL_ROWS(max_rows_i16, int16_t, INT16_MIN, MAX_ACC, 0)
POOL_ROWS(max_rows_i32, int32_t, INT32_MIN, MAX_ACC, 0)
POOL_ROWS(max_rows_i64, int64_t, INT64_MIN, MAX_ACC, 0)
POOL_ROWS(max_rows_u8, uint8_t, 0, MAX_ACC, 0)
POOL_ROWS(max_rows_u16, uint16_t, 0, MAX_ACC, 0)
POOL_ROWS(avg_rows_f32, float, 0, o[c] += px[c], 1)
POOL_ROWS(avg_rows_f64, double, 0, o[c] += px[c], 1)

/* Depthwise max pooling: pixel p's channels [i*kd, (i+1)*kd) reduce to output channel i; `row`
 * here is a run of whole pixels. */
#define DEPTH_ROWS(NAME, T, INIT)                                                                            \
    static void NAME(void *arg, int64_t begin, int64_t end)                                                  \
    {                                                                                                        \
        const pool_job *j = arg;                                                                             \
        int64_t kd = j->s->kd;                                                                               \
        for (int64_t p = begin; p < end; p++) {                                                              \
            const T *px = (const T *)j->in + p * j->g.c;                                                     \
            T *o = (T *)j->out + p * j->g.oc;                                                                \
            for (int64_t i = 0; i < j->g.oc; i++) {                                                          \
                T m = INIT;                                                                                  \
                for (int64_t d = 0; d < kd; d++) m = px[i * kd + d] > m ? px[i * kd + d] : m;                \
                o[i] = m;                                                                                    \
            }                                                                                                \
        }                                                                                                    \
    }

DEPTH_ROWS(depth_f32, float, -FLT_MAX)
DEPTH_ROWS(depth_f64, double, -DBL_MAX)
DEPTH_ROWS(depth_i8, int8_t, INT8_MIN)
DEPTH_ROWS(depth_i16, int16_t, INT16_MIN)
DEPTH_ROWS(depth_i32, int32_t, INT32_MIN)
DEPTH_ROWS(depth_i64, int64_t, INT64_MIN)
DEPTH_ROWS(depth_u8, uint8_t, 0)
DEPTH_ROWS(depth_u16, uint16_t, 0)

typedef void (*rows_fn)(void *arg, int64_t begin, int64_t end);

/* The loops for dtype dt (picked once per call, never per element). */
static rows_fn pick_rows(TF_DataType dt, bool is_max, bool depth)
{
    if (!is_max) return dt == TF_FLOAT ? avg_rows_f32 : avg_rows_f64;
    switch (dt) {
    case TF_FLOAT:
        return depth ? depth_f32 : max_rows_f32;
    case TF_DOUBLE:
        return depth ? depth_f64 : max_rows_f64;
    case TF_INT8:
        return depth ? depth_i8 : max_rows_i8;
    case TF_INT16:
        return depth ? depth_i16 : max_rows_i16;
    case TF_INT32:
        return depth ? depth_i32 : max_rows_i32;
    case TF_INT64:
        return depth ? depth_i64 : max_rows_i64;
    case TF_UINT8:
        return depth ? depth_u8 : max_rows_u8;
    case TF_UINT16:
        return depth ? depth_u16 : max_rows_u16;
    default:
        return NULL;
    }
}

static void pool_compute(tfc_kernel_ctx *k)
{
    const tfc_pool_params *s = tfc_kernel_state(k);
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    bool is_max = !strcmp(k->op_type, "MaxPool"), depth = s->kd != 1;
    pool_job j = {.s = s};
    if (!tfc_pool_check(k, s, &j.g)) return;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){j.g.n, j.g.oh, j.g.ow, j.g.oc}, 4, &out)) return;
    rows_fn fn = pick_rows(in->dtype, is_max, depth);
    if (out->nelems == 0 || !fn) return;
    j.in = tfc_tensor_data(in), j.out = tfc_tensor_data(out);
    if (depth)
        tfc_parallel_for(tfc_kernel_intra_pool(k), j.g.n * j.g.ih * j.g.iw, j.g.c + 1, fn, &j);
    else {
        double cost = (double)j.g.ow * (double)j.g.c * (double)s->kh * (double)s->kw + 1;
        tfc_parallel_for(tfc_kernel_intra_pool(k), j.g.n * j.g.oh,
                         cost > 1e15 ? (int64_t)1e15 : (int64_t)cost, fn, &j);
    }
}

// ---- MaxPoolGrad, AvgPoolGrad ----

/* Batch images [begin, end) of the input gradient (zeroed by the caller): each output pixel's
 * gradient goes to the first maximum of its window in row-major order (TensorFlow's tie rule, the
 * argmax recomputed from orig_input), or, for AVG, in equal shares to the window's real elements. */
#define POOL_GRAD_IMAGES(NAME, T, AVG)                                                                       \
    static void NAME(void *arg, int64_t begin, int64_t end)                                                  \
    {                                                                                                        \
        const pool_grad_job *j = arg;                                                                        \
        const tfc_pool_params *s = j->p.s;                                                                   \
        const T *in = j->p.in, *dy = j->dy;                                                                  \
        T *dx = j->p.out;                                                                                    \
        for (int64_t b = begin; b < end; b++)                                                                \
            for (int64_t oy = 0; oy < j->p.g.oh; oy++) {                                                     \
                int64_t y0 = oy * s->sh - j->p.g.pad_top, y1 = y0 + s->kh;                                   \
                y0 = y0 < 0 ? 0 : y0, y1 = y1 > j->p.g.ih ? j->p.g.ih : y1;                                  \
                for (int64_t ox = 0; ox < j->p.g.ow; ox++) {                                                 \
                    int64_t x0 = ox * s->sw - j->p.g.pad_left, x1 = x0 + s->kw;                              \
                    x0 = x0 < 0 ? 0 : x0, x1 = x1 > j->p.g.iw ? j->p.g.iw : x1;                              \
                    const T *g = dy + ((b * j->p.g.oh + oy) * j->p.g.ow + ox) * j->p.g.c;                    \
                    int64_t n = (y1 > y0 ? y1 - y0 : 0) * (x1 > x0 ? x1 - x0 : 0);                           \
                    for (int64_t c = 0; c < j->p.g.c; c++) {                                                 \
                        int64_t best = -1;                                                                   \
                        T m = 0;                                                                             \
                        for (int64_t y = y0; y < y1; y++)                                                    \
                            for (int64_t x = x0; x < x1; x++) {                                              \
                                int64_t at = ((b * j->p.g.ih + y) * j->p.g.iw + x) * j->p.g.c + c;           \
                                if (AVG)                                                                     \
                                    dx[at] += g[c] / (T)n;                                                   \
                                else if (best < 0 || in[at] > m)                                             \
                                    best = at, m = in[at];                                                   \
                            }                                                                                \
                        if (!(AVG) && best >= 0) dx[best] += g[c];                                           \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
    }

typedef struct pool_grad_job {
    pool_job p; /* in: orig_input (MaxPoolGrad), out: the input gradient */
    const void *dy;
} pool_grad_job;

POOL_GRAD_IMAGES(max_grad_f32, float, 0)
POOL_GRAD_IMAGES(max_grad_f64, double, 0)
POOL_GRAD_IMAGES(avg_grad_f32, float, 1)
POOL_GRAD_IMAGES(avg_grad_f64, double, 1)

static void pool_grad_compute(tfc_kernel_ctx *k)
{
    const tfc_pool_params *s = tfc_kernel_state(k);
    bool is_max = !strcmp(k->op_type, "MaxPoolGrad");
    int64_t d[4];
    pool_grad_job j = {.p = {.s = s}};
    if (!tfc_pool_grad_check(k, s, &j.p.g, d)) return;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, d, 4, &out)) return;
    TF_DataType dt = k->output_types[0];
    memset(tfc_tensor_data(out), 0, (size_t)out->nelems * tfc_dtype_elem_size(dt));
    if (out->nelems == 0) return;
    j.p.in = is_max ? tfc_tensor_data(tfc_kernel_input(k, 0)) : NULL;
    j.p.out = tfc_tensor_data(out);
    j.dy = tfc_tensor_data(tfc_kernel_input(k, is_max ? 2 : 1));
    rows_fn fn = is_max ? (dt == TF_FLOAT ? max_grad_f32 : max_grad_f64)
                        : (dt == TF_FLOAT ? avg_grad_f32 : avg_grad_f64);
    double cost = (double)j.p.g.oh * (double)j.p.g.ow * (double)j.p.g.c * (double)s->kh * (double)s->kw + 1;
    tfc_parallel_for(tfc_kernel_intra_pool(k), d[0], cost > 1e15 ? (int64_t)1e15 : (int64_t)cost, fn, &j);
}

/* NHWC only, as TensorFlow's CPU kernels. */
static TF_Code pool_init(const tfc_kernel_init_ctx *c, void **state) { return tfc_pool_init(c, false, state); }

// ---- the table ----

const tfc_kernel_def tfc_cpu_pool_kernels[] = {
    {"MaxPool", "CPU", TFC_MAXPOOL_KERNEL_TYPES, .init = pool_init, .free_state = tfc_free, .compute = pool_compute},
    {"AvgPool", "CPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = pool_init,
     .free_state = tfc_free, .compute = pool_compute},
    {"MaxPoolGrad", "CPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = pool_init,
     .free_state = tfc_free, .compute = pool_grad_compute},
    {"AvgPoolGrad", "CPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = pool_init,
     .free_state = tfc_free, .compute = pool_grad_compute},
    {0}};
