/* softmax_cpu: CPU kernels of Softmax, LogSoftmax, SoftmaxCrossEntropyWithLogits,
 * SparseSoftmaxCrossEntropyWithLogits, L2Loss (float, double) and InTopKV2 (int32, int64 targets)
 * (see ops/nn_ops.c).
 *
 * Softmax-like kernels work row by row over the last dim, rows split across the intra-op pool; each
 * row subtracts its max before exponentiating, so logits of +-1000 neither overflow nor lose the
 * result (TensorFlow does the same). Cross-entropies compute, as TensorFlow:
 *   shifted = logits - max,  loss = sum(labels * (log(sum(exp(shifted))) - shifted)),
 *   backprop = exp(shifted) / sum(exp(shifted)) - labels.
 * Sparse labels are all checked against [0, classes) before any row is touched (the checks are
 * shared with the GPU: kernels/xent_check.h). L2Loss sums fixed blocks in parallel and adds the
 * block sums in order, so its result does not depend on the pool. */
#include <math.h>
#include <stdint.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/kernel.h"
#include "kernels/xent_check.h"

/* Per-node state: the node's T and, for the softmax pair, whether it is LogSoftmax. */
typedef struct nn_state {
    TF_DataType dtype;
    bool log;
} nn_state;

#define F2 (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
#define I2 (TFC_TYPE_BIT(TF_INT32) | TFC_TYPE_BIT(TF_INT64))

/* allowed: the dtypes of T the compute function handles (the loops pick float or double code). */
static TF_Code state_init(const tfc_kernel_init_ctx *c, bool log, uint64_t allowed, void **state)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    if (!tfc_dtype_valid(t) || !(TFC_TYPE_BIT(t) & allowed))
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    nn_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (nn_state){ t, log };
    *state = s;
    return TF_OK;
}
static TF_Code plain_init(const tfc_kernel_init_ctx *c, void **state)
{
    return state_init(c, false, F2, state);
}
static TF_Code log_init(const tfc_kernel_init_ctx *c, void **state)
{
    return state_init(c, true, F2, state);
}
static TF_Code topk_init(const tfc_kernel_init_ctx *c, void **state)
{
    return state_init(c, false, I2, state);
}

// ---- row loops, one per dtype ----

/* softmax_rows: rows [r0, r1) of c elements; y may be x.
 * xent_rows: loss[r] and backprop row r from features f and labels l, each addressed as
 * base + r * row_stride + j * col_stride (strides 0 where the operand broadcasts); bp may be f.
 * sparse_rows: loss[r] and backprop row r against class label[r] (already range-checked). */
#define DEFINE_ROWS(s, T, SUFFIX)                                                                   \
    static void softmax_rows_##s(T *y, const T *x, int64_t r0, int64_t r1, int64_t c, bool is_log)  \
    {                                                                                               \
        for (int64_t r = r0; r < r1; r++) {                                                         \
            const T *xr = x + r * c;                                                                \
            T *yr = y + r * c, m = -INFINITY, sum = 0;                                              \
            for (int64_t j = 0; j < c; j++) m = xr[j] > m ? xr[j] : m;                              \
            if (is_log) {                                                                           \
                for (int64_t j = 0; j < c; j++) sum += exp##SUFFIX(xr[j] - m);                      \
                T ls = log##SUFFIX(sum);                                                            \
                for (int64_t j = 0; j < c; j++) yr[j] = (xr[j] - m) - ls;                           \
            } else {                                                                                \
                for (int64_t j = 0; j < c; j++) {                                                   \
                    yr[j] = exp##SUFFIX(xr[j] - m);                                                 \
                    sum += yr[j];                                                                   \
                }                                                                                   \
                for (int64_t j = 0; j < c; j++) yr[j] /= sum;                                       \
            }                                                                                       \
        }                                                                                           \
    }                                                                                               \
    static void xent_rows_##s(T *loss, T *bp, const T *f, const int64_t *fs, const T *l,            \
                              const int64_t *ls, int64_t r0, int64_t r1, int64_t c)                 \
    {                                                                                               \
        for (int64_t r = r0; r < r1; r++) {                                                         \
            const T *fr = f + r * fs[0], *lr = l + r * ls[0];                                       \
            T *br = bp + r * c, m = -INFINITY, sum = 0, acc = 0;                                    \
            for (int64_t j = 0; j < c; j++) m = fr[j * fs[1]] > m ? fr[j * fs[1]] : m;              \
            for (int64_t j = 0; j < c; j++) br[j] = fr[j * fs[1]] - m;                              \
            for (int64_t j = 0; j < c; j++) sum += exp##SUFFIX(br[j]);                              \
            T lsum = log##SUFFIX(sum);                                                              \
            for (int64_t j = 0; j < c; j++) acc += lr[j * ls[1]] * (lsum - br[j]);                  \
            loss[r] = acc;                                                                          \
            for (int64_t j = 0; j < c; j++) br[j] = exp##SUFFIX(br[j]) / sum - lr[j * ls[1]];       \
        }                                                                                           \
    }                                                                                               \
    static void sparse_rows_##s(T *loss, T *bp, const T *f, const void *labels, bool l64,           \
                                int64_t r0, int64_t r1, int64_t c)                                  \
    {                                                                                               \
        for (int64_t r = r0; r < r1; r++) {                                                         \
            const T *fr = f + r * c;                                                                \
            T *br = bp + r * c, m = -INFINITY, sum = 0;                                             \
            int64_t label = l64 ? ((const int64_t *)labels)[r] : ((const int32_t *)labels)[r];      \
            for (int64_t j = 0; j < c; j++) m = fr[j] > m ? fr[j] : m;                              \
            for (int64_t j = 0; j < c; j++) br[j] = fr[j] - m;                                      \
            for (int64_t j = 0; j < c; j++) sum += exp##SUFFIX(br[j]);                              \
            loss[r] = log##SUFFIX(sum) - br[label];                                                 \
            for (int64_t j = 0; j < c; j++) br[j] = exp##SUFFIX(br[j]) / sum - (j == label ? 1 : 0); \
        }                                                                                           \
    }
DEFINE_ROWS(f32, float, f)
DEFINE_ROWS(f64, double, )

// ---- Softmax, LogSoftmax ----

typedef struct row_job {
    TF_DataType dtype;
    bool log, l64;
    void *y, *loss;
    const void *x, *labels;
    int64_t c, fs[2], ls[2];
} row_job;

static void softmax_chunk(void *arg, int64_t r0, int64_t r1)
{
    const row_job *j = arg;
    if (j->dtype == TF_FLOAT) softmax_rows_f32(j->y, j->x, r0, r1, j->c, j->log);
    else softmax_rows_f64(j->y, j->x, r0, r1, j->c, j->log);
}

static void softmax_compute(tfc_kernel_ctx *k)
{
    const nn_state *s = tfc_kernel_state(k);
    if (!tfc_xent_check_types(k, 1, &s->dtype, 1)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    if (x->ndims < 1) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "logits must have >= 1 dimension, got []");
        return;
    }
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y)) return;
    if (y->nelems == 0) return;
    int64_t c = x->dims[x->ndims - 1];
    row_job job = { .dtype = s->dtype, .log = s->log, .y = tfc_tensor_data(y), .x = tfc_tensor_data(x),
                    .c = c };
    tfc_parallel_for(tfc_kernel_intra_pool(k), y->nelems / c, 15 * c, softmax_chunk, &job);
}

// ---- SoftmaxCrossEntropyWithLogits ----

static void xent_chunk(void *arg, int64_t r0, int64_t r1)
{
    const row_job *j = arg;
    if (j->dtype == TF_FLOAT) xent_rows_f32(j->loss, j->y, j->x, j->fs, j->labels, j->ls, r0, r1, j->c);
    else xent_rows_f64(j->loss, j->y, j->x, j->fs, j->labels, j->ls, r0, r1, j->c);
}

static void xent_compute(tfc_kernel_ctx *k)
{
    const nn_state *s = tfc_kernel_state(k);
    tfc_xent_geom g;
    if (!tfc_xent_check(k, s->dtype, &g)) return;
    const TF_Tensor *f = tfc_kernel_input(k, 0), *l = tfc_kernel_input(k, 1);
    TF_Tensor *loss, *bp;
    if (tfc_xent_alloc_outputs(k, &g, &loss, &bp) || g.rows == 0) return;
    row_job job = { .dtype = s->dtype, .y = tfc_tensor_data(bp), .loss = tfc_tensor_data(loss),
                    .x = tfc_tensor_data(f), .labels = tfc_tensor_data(l), .c = g.classes,
                    .fs = { g.fs[0], g.fs[1] }, .ls = { g.ls[0], g.ls[1] } };
    tfc_parallel_for(tfc_kernel_intra_pool(k), g.rows, 20 * g.classes + 1, xent_chunk, &job);
}

// ---- SparseSoftmaxCrossEntropyWithLogits ----

static void sparse_chunk(void *arg, int64_t r0, int64_t r1)
{
    const row_job *j = arg;
    if (j->dtype == TF_FLOAT) sparse_rows_f32(j->loss, j->y, j->x, j->labels, j->l64, r0, r1, j->c);
    else sparse_rows_f64(j->loss, j->y, j->x, j->labels, j->l64, r0, r1, j->c);
}

static void sparse_xent_compute(tfc_kernel_ctx *k)
{
    const nn_state *s = tfc_kernel_state(k);
    if (!tfc_sparse_xent_check(k, s->dtype)) return;
    const TF_Tensor *f = tfc_kernel_input(k, 0), *l = tfc_kernel_input(k, 1);
    TF_Tensor *loss, *bp;
    if (tfc_kernel_alloc_output(k, 0, f->dims, 1, &loss)) return;
    if (tfc_kernel_forward_or_alloc(k, 0, 1, f->dims, 2, &bp)) return;
    if (f->dims[0] == 0) return;
    row_job job = { .dtype = s->dtype, .l64 = l->dtype == TF_INT64, .y = tfc_tensor_data(bp),
                    .loss = tfc_tensor_data(loss), .x = tfc_tensor_data(f), .labels = tfc_tensor_data(l),
                    .c = f->dims[1] };
    tfc_parallel_for(tfc_kernel_intra_pool(k), f->dims[0], 20 * f->dims[1] + 1, sparse_chunk, &job);
}

// ---- L2Loss ----

#define L2_MAX_BLOCKS 256

typedef struct l2_job {
    TF_DataType dtype;
    const void *x;
    int64_t n, block;
    double partial[L2_MAX_BLOCKS];
} l2_job;

static void l2_chunk(void *arg, int64_t b0, int64_t b1)
{
    l2_job *j = arg;
    for (int64_t b = b0; b < b1; b++) {
        int64_t lo = b * j->block, hi = lo + j->block < j->n ? lo + j->block : j->n;
        double acc = 0;
        if (j->dtype == TF_FLOAT) {
            const float *x = j->x;
            for (int64_t i = lo; i < hi; i++) acc += (double)x[i] * x[i];
        } else {
            const double *x = j->x;
            for (int64_t i = lo; i < hi; i++) acc += x[i] * x[i];
        }
        j->partial[b] = acc;
    }
}

static void l2_loss_compute(tfc_kernel_ctx *k)
{
    const nn_state *s = tfc_kernel_state(k);
    if (!tfc_xent_check_types(k, 1, &s->dtype, 1)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_alloc_output(k, 0, NULL, 0, &y)) return;
    l2_job job = { .dtype = s->dtype, .x = tfc_tensor_data(x), .n = x->nelems };
    /* at most L2_MAX_BLOCKS blocks of at least 4096 elements */
    job.block = x->nelems / L2_MAX_BLOCKS + 1 > 4096 ? x->nelems / L2_MAX_BLOCKS + 1 : 4096;
    int64_t blocks = (x->nelems + job.block - 1) / job.block;
    tfc_parallel_for(tfc_kernel_intra_pool(k), blocks, 2 * job.block, l2_chunk, &job);
    double sum = 0;
    for (int64_t b = 0; b < blocks; b++) sum += job.partial[b];
    if (s->dtype == TF_FLOAT) *(float *)tfc_tensor_data(y) = (float)(sum * 0.5);
    else *(double *)tfc_tensor_data(y) = sum * 0.5;
}

// ---- InTopKV2 ----

typedef struct topk_job {
    const float *pred;
    const void *targets;
    bool t64;
    int64_t c, k;
    bool *out;
} topk_job;

/* As TensorFlow: false when the target is out of range or any prediction in the row is not
 * finite; otherwise true when fewer than k predictions are strictly greater than the target's
 * (ties count in the target's favour). */
static void topk_chunk(void *arg, int64_t r0, int64_t r1)
{
    const topk_job *j = arg;
    for (int64_t r = r0; r < r1; r++) {
        const float *row = j->pred + r * j->c;
        int64_t t = j->t64 ? ((const int64_t *)j->targets)[r] : ((const int32_t *)j->targets)[r];
        bool ok = t >= 0 && t < j->c && isfinite(row[t]);
        int64_t more = 0;
        for (int64_t i = 0; ok && i < j->c; i++) {
            if (!isfinite(row[i])) ok = false;
            else if (row[i] > row[t]) more++;
        }
        j->out[r] = ok && more < j->k;
    }
}

static bool topk_shapes(tfc_kernel_ctx *k, const TF_Tensor *p, const TF_Tensor *t, const TF_Tensor *kt)
{
    char a[256];
    if (p->ndims != 2) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "predictions must be 2-dimensional");
        return false;
    }
    if (t->ndims != 1) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "targets must be 1-dimensional");
        return false;
    }
    if (p->dims[0] != t->dims[0]) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "First dimension of predictions %lld must match length of targets %lld",
                         (long long)p->dims[0], (long long)t->dims[0]);
        return false;
    }
    if (kt->ndims != 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "k must be 0-D, got shape %s",
                         tfc_dims_str(kt->dims, kt->ndims, a, sizeof a));
        return false;
    }
    return true;
}

static void in_top_k_compute(tfc_kernel_ctx *k)
{
    const nn_state *s = tfc_kernel_state(k);
    if (!tfc_xent_check_types(k, 3, (const TF_DataType[]){ TF_FLOAT, s->dtype, s->dtype }, 1)) return;
    const TF_Tensor *p = tfc_kernel_input(k, 0), *t = tfc_kernel_input(k, 1), *kt = tfc_kernel_input(k, 2);
    if (!topk_shapes(k, p, t, kt)) return;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, t->dims, 1, &out)) return;
    if (out->nelems == 0) return;
    bool t64 = s->dtype == TF_INT64;
    int64_t kv = t64 ? *(const int64_t *)tfc_tensor_data(kt) : *(const int32_t *)tfc_tensor_data(kt);
    topk_job job = { tfc_tensor_data(p), tfc_tensor_data(t), t64, p->dims[1], kv, tfc_tensor_data(out) };
    tfc_parallel_for(tfc_kernel_intra_pool(k), out->nelems, 2 * p->dims[1] + 1, topk_chunk, &job);
}

// ---- the table ----

#define KERNEL(op, types, init_fn, compute_fn) \
    { op, "CPU", types, .init = init_fn, .free_state = tfc_free, .compute = compute_fn }

const tfc_kernel_def tfc_cpu_softmax_kernels[] = {
    KERNEL("Softmax", F2, plain_init, softmax_compute),
    KERNEL("LogSoftmax", F2, log_init, softmax_compute),
    KERNEL("SoftmaxCrossEntropyWithLogits", F2, plain_init, xent_compute),
    KERNEL("SparseSoftmaxCrossEntropyWithLogits", F2, plain_init, sparse_xent_compute),
    KERNEL("L2Loss", F2, plain_init, l2_loss_compute),
    { "InTopKV2", "CPU", I2, .host_inputs = 1u << 2, .init = topk_init, .free_state = tfc_free,
      .compute = in_top_k_compute },
    { 0 }
};
