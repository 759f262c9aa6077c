/* reduction_cpu: CPU kernels of the reductions and scans (see ops/reduction_ops.c): Sum, Mean, Prod,
 * Max, Min (float, double and the eight integer types), All, Any (bool), ArgMax, ArgMin (the same
 * and bool), Cumsum and Cumprod (float, double, integers).
 *
 * A reduction drops size-1 dims and merges adjacent dims that are all reduced or all kept, so the
 * input becomes groups alternating between kept and reduced. One reduced group is one pass over
 * the input viewed as [O, R, K] (O kept outer, R reduced, K kept inner): rows of R contiguous
 * values when K == 1 (the innermost-axis case), or R rows of K columns added into a block of
 * accumulators otherwise (the outermost-axis case). Several reduced groups take one pass each,
 * innermost first, through a temporary. Passes split their output over the intra-op pool; a
 * reduction to few outputs of a long contiguous row (reduce-all) splits the row into fixed parts
 * instead, so the result does not depend on the thread count.
 *
 * Accumulation: float sums and products are accumulated in double, double ones in double, both in
 * 8 independent lanes (a fixed pairing, so results are deterministic); integers wrap (they are
 * accumulated unsigned), as TensorFlow's do in practice. Mean of integers truncates, as
 * TensorFlow's. Max and Min propagate NaN; over nothing they give -inf/+inf or the type's
 * lowest/highest value. ArgMax/ArgMin return the first index of the extreme (NaN never wins unless
 * first). Bool tensors are read as bytes (any non-zero byte is true). The checks, the output shapes
 * and the collapse into passes are shared with the GPU kernels (kernels/reduction_check.h). */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/kernel.h"
#include "kernels/reduction_check.h"

#define RED_BLOCK 1024 /* accumulators per block of kept inner columns */
#define LANES 8       /* independent accumulators along a contiguous row */
#define SLOTS 32      /* > every TF_DataType value */
#define PART_LEN (INT64_C(1) << 15) /* elements per part when one long row is split */
#define MAX_PARTS 64

/* (suffix, C type, sum/product accumulator, lowest, highest) */
#define FLOAT_TYPES(X) X(f32, float, double, -INFINITY, INFINITY) X(f64, double, double, -INFINITY, INFINITY)
#define SIGNED_TYPES(X) X(i8, int8_t, unsigned, INT8_MIN, INT8_MAX) \
    X(i16, int16_t, unsigned, INT16_MIN, INT16_MAX) \
    X(i32, int32_t, uint32_t, INT32_MIN, INT32_MAX) X(i64, int64_t, uint64_t, INT64_MIN, INT64_MAX)
#define UNSIGNED_TYPES(X) X(u8, uint8_t, unsigned, 0, UINT8_MAX) X(u16, uint16_t, unsigned, 0, UINT16_MAX) \
    X(u32, uint32_t, uint32_t, 0, UINT32_MAX) X(u64, uint64_t, uint64_t, 0, UINT64_MAX)
#define INT_TYPES(X) SIGNED_TYPES(X) UNSIGNED_TYPES(X)
#define REAL_TYPES(X) FLOAT_TYPES(X) INT_TYPES(X)

/* One pass: input [O, R, K] -> output [O, K]; div is Mean's divisor (unused by other ops). */
typedef struct red_job {
    const void *x;
    void *out;
    int64_t R, K, nkb, div;
} red_job;

/* One long row split into parts: accs[p] = partial result of part p. */
typedef struct part_job {
    const void *x;
    int64_t n, chunk;
    void *accs;
} part_job;

typedef struct reducer {
    void (*rows)(void *job, int64_t begin, int64_t end);    /* units of red_job */
    void (*part)(void *job, int64_t begin, int64_t end);    /* parts of part_job */
    void (*finish)(const void *accs, int64_t nparts, void *out, int64_t div);
} reducer;

// ---- combine and finish functions, comb_<op>_<type> and fin_<op>_<type> ----

#define DEFINE_SUM_PROD(s, T, A, LOW, HIGH)                                                         \
    static inline A comb_sum_##s(A a, A v) { return a + v; }                                        \
    static inline A comb_prod_##s(A a, A v) { return a * v; }                                       \
    static inline T fin_sum_##s(A a, int64_t div) { (void)div; return (T)a; }                        \
    static inline A comb_mean_##s(A a, A v) { return a + v; }                                       \
    static inline T fin_prod_##s(A a, int64_t div) { (void)div; return (T)a; }
REAL_TYPES(DEFINE_SUM_PROD)

#define DEFINE_MEAN_FLOAT(s, T, A, LOW, HIGH) \
    static inline T fin_mean_##s(A a, int64_t div) { return div ? (T)(a / (double)div) : (T)NAN; }
#define DEFINE_MEAN_SIGNED(s, T, A, LOW, HIGH) \
    static inline T fin_mean_##s(A a, int64_t div) { return div ? (T)((int64_t)(T)a / div) : 0; }
#define DEFINE_MEAN_UNSIGNED(s, T, A, LOW, HIGH) \
    static inline T fin_mean_##s(A a, int64_t div) { return div ? (T)((uint64_t)(T)a / (uint64_t)div) : 0; }
FLOAT_TYPES(DEFINE_MEAN_FLOAT)
SIGNED_TYPES(DEFINE_MEAN_SIGNED)
UNSIGNED_TYPES(DEFINE_MEAN_UNSIGNED)

/* Max and Min of floats: a NaN operand wins, so NaN propagates. */
#define DEFINE_MINMAX_FLOAT(s, T, A, LOW, HIGH)                                                     \
    static inline T comb_max_##s(T a, T v) { return (v > a || v != v) ? v : a; }                      \
    static inline T comb_min_##s(T a, T v) { return (v < a || v != v) ? v : a; }                      \
    static inline T fin_max_##s(T a, int64_t div) { (void)div; return a; }                            \
    static inline T fin_min_##s(T a, int64_t div) { (void)div; return a; }
#define DEFINE_MINMAX_INT(s, T, A, LOW, HIGH)                                                       \
    static inline T comb_max_##s(T a, T v) { return v > a ? v : a; }                                  \
    static inline T comb_min_##s(T a, T v) { return v < a ? v : a; }                                  \
    static inline T fin_max_##s(T a, int64_t div) { (void)div; return a; }                            \
    static inline T fin_min_##s(T a, int64_t div) { (void)div; return a; }
FLOAT_TYPES(DEFINE_MINMAX_FLOAT)
INT_TYPES(DEFINE_MINMAX_INT)

/* All and Any over bytes. */
static inline uint8_t comb_all_b(uint8_t a, uint8_t v) { return a & (v != 0); }
static inline uint8_t comb_any_b(uint8_t a, uint8_t v) { return a | (v != 0); }
static inline uint8_t fin_all_b(uint8_t a, int64_t div) { (void)div; return a; }
static inline uint8_t fin_any_b(uint8_t a, int64_t div) { (void)div; return a; }

// ---- the reducers: one set of loops per (op, type) ----

/* run_: n contiguous values into one accumulator. rows_: units of a pass (outputs when K == 1,
 * else (outer index, column block) pairs). part_/finish_: one long row in parts. */
#define DEFINE_REDUCER(name, T, A, INIT)                                                            \
    static A run_##name(const T *x, int64_t n)                                                      \
    {                                                                                               \
        A acc[LANES];                                                                               \
        for (int j = 0; j < LANES; j++) acc[j] = (INIT);                                            \
        int64_t i = 0;                                                                              \
        for (; i + LANES <= n; i += LANES)                                                          \
            for (int j = 0; j < LANES; j++) acc[j] = comb_##name(acc[j], (A)x[i + j]);              \
        for (; i < n; i++) acc[0] = comb_##name(acc[0], (A)x[i]);                                   \
        A a = acc[0];                                                                               \
        for (int j = 1; j < LANES; j++) a = comb_##name(a, acc[j]);                                 \
        return a;                                                                                   \
    }                                                                                               \
    static void rows_##name(void *arg, int64_t begin, int64_t end)                                  \
    {                                                                                               \
        const red_job *jb = arg;                                                                    \
        const T *x = jb->x;                                                                         \
        T *out = jb->out;                                                                           \
        if (jb->K == 1) {                                                                           \
            for (int64_t o = begin; o < end; o++)                                                   \
                out[o] = fin_##name(run_##name(x + o * jb->R, jb->R), jb->div);                    \
            return;                                                                                 \
        }                                                                                           \
        A acc[RED_BLOCK];                                                                           \
        for (int64_t u = begin; u < end; u++) {                                                     \
            int64_t o = u / jb->nkb, k0 = (u % jb->nkb) * RED_BLOCK;                                \
            int64_t len = jb->K - k0 < RED_BLOCK ? jb->K - k0 : RED_BLOCK;                          \
            for (int64_t j = 0; j < len; j++) acc[j] = (INIT);                                      \
            const T *base = x + o * jb->R * jb->K + k0;                                             \
            for (int64_t r = 0; r < jb->R; r++) {                                                   \
                const T *row = base + r * jb->K;                                                    \
                for (int64_t j = 0; j < len; j++) acc[j] = comb_##name(acc[j], (A)row[j]);          \
            }                                                                                       \
            T *dst = out + o * jb->K + k0;                                                          \
            for (int64_t j = 0; j < len; j++) dst[j] = fin_##name(acc[j], jb->div);                 \
        }                                                                                           \
    }                                                                                               \
    static void part_##name(void *arg, int64_t begin, int64_t end)                                  \
    {                                                                                               \
        const part_job *jb = arg;                                                                   \
        for (int64_t p = begin; p < end; p++) {                                                     \
            int64_t i0 = p * jb->chunk, n = jb->n - i0 < jb->chunk ? jb->n - i0 : jb->chunk;        \
            ((A *)jb->accs)[p] = run_##name((const T *)jb->x + i0, n);                              \
        }                                                                                           \
    }                                                                                               \
    static void finish_##name(const void *accs, int64_t nparts, void *out, int64_t div)            \
    {                                                                                               \
        A a = ((const A *)accs)[0];                                                                 \
        for (int64_t p = 1; p < nparts; p++) a = comb_##name(a, ((const A *)accs)[p]);              \
        *(T *)out = fin_##name(a, div);                                                             \
    }

#define DEFINE_REAL_REDUCERS(s, T, A, LOW, HIGH)  \
    DEFINE_REDUCER(sum_##s, T, A, 0)              \
    DEFINE_REDUCER(mean_##s, T, A, 0)             \
    DEFINE_REDUCER(prod_##s, T, A, 1)             \
    DEFINE_REDUCER(max_##s, T, T, LOW)            \
    DEFINE_REDUCER(min_##s, T, T, HIGH)
REAL_TYPES(DEFINE_REAL_REDUCERS)
DEFINE_REDUCER(all_b, uint8_t, uint8_t, 1)
DEFINE_REDUCER(any_b, uint8_t, uint8_t, 0)

#define R_ENTRY(name) { rows_##name, part_##name, finish_##name }
#define R_ROW(op, s, T, A, LOW, HIGH) [TFC_##s] = R_ENTRY(op##_##s),
/* Slots by dtype, through an enum so the X-lists can index by suffix. */
enum {
    TFC_f32 = TF_FLOAT, TFC_f64 = TF_DOUBLE, TFC_i8 = TF_INT8, TFC_i16 = TF_INT16, TFC_i32 = TF_INT32,
    TFC_i64 = TF_INT64, TFC_u8 = TF_UINT8, TFC_u16 = TF_UINT16, TFC_u32 = TF_UINT32, TFC_u64 = TF_UINT64,
};
#define SUM_ROW(...) R_ROW(sum, __VA_ARGS__)
#define MEAN_ROW(...) R_ROW(mean, __VA_ARGS__)
#define PROD_ROW(...) R_ROW(prod, __VA_ARGS__)
#define MAX_ROW(...) R_ROW(max, __VA_ARGS__)
#define MIN_ROW(...) R_ROW(min, __VA_ARGS__)
static const reducer sum_tab[SLOTS] = { REAL_TYPES(SUM_ROW) };
static const reducer mean_tab[SLOTS] = { REAL_TYPES(MEAN_ROW) };
static const reducer prod_tab[SLOTS] = { REAL_TYPES(PROD_ROW) };
static const reducer max_tab[SLOTS] = { REAL_TYPES(MAX_ROW) };
static const reducer min_tab[SLOTS] = { REAL_TYPES(MIN_ROW) };
static const reducer all_tab[SLOTS] = { [TF_BOOL] = R_ENTRY(all_b) };
static const reducer any_tab[SLOTS] = { [TF_BOOL] = R_ENTRY(any_b) };

// ---- shared helpers ----

typedef struct red_state {
    TF_DataType dtype;
    bool keep_dims;
    const reducer *fin; /* the last pass */
    const reducer *mid; /* earlier passes (Mean: Sum, so that only the last pass divides) */
} red_state;

static TF_Code red_init(const tfc_kernel_init_ctx *c, const reducer *fin_tab, const reducer *mid_tab,
                        bool is_bool, void **state)
{
    TF_DataType t = is_bool ? TF_BOOL : tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    if (t <= 0 || t >= SLOTS || !fin_tab[t].rows)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    red_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (red_state){ t, tfc_attrs_bool(c->attrs, "keep_dims", false), &fin_tab[t], &mid_tab[t] };
    *state = s;
    return TF_OK;
}

#define DEFINE_RED_INIT(op, mid, is_bool)                                   \
    static TF_Code op##_init(const tfc_kernel_init_ctx *c, void **state)    \
    {                                                                       \
        return red_init(c, op##_tab, mid##_tab, is_bool, state);            \
    }
DEFINE_RED_INIT(sum, sum, false)
DEFINE_RED_INIT(mean, sum, false)
DEFINE_RED_INIT(prod, prod, false)
DEFINE_RED_INIT(max, max, false)
DEFINE_RED_INIT(min, min, false)
DEFINE_RED_INIT(all, all, true)
DEFINE_RED_INIT(any, any, true)

static int64_t cost_of(int64_t elems_per_unit) { return elems_per_unit > 0 ? elems_per_unit : 1; }

// ---- Sum, Mean, Prod, Max, Min, All, Any ----

/* One pass over [O, R, K]. */
static void run_pass(tfc_kernel_ctx *k, const reducer *r, const void *x, void *out, int64_t O, int64_t R,
                     int64_t K, int64_t div, size_t es)
{
    tfc_threadpool *pool = tfc_kernel_intra_pool(k);
    if (K == 1 && O < 8 && R >= 2 * PART_LEN) {
        /* Few long rows: split each row into fixed parts (deterministic whatever the pool). */
        _Alignas(16) unsigned char accs[MAX_PARTS * sizeof(double)];
        int64_t nparts = (R + PART_LEN - 1) / PART_LEN;
        if (nparts > MAX_PARTS) nparts = MAX_PARTS;
        int64_t chunk = (R + nparts - 1) / nparts;
        nparts = (R + chunk - 1) / chunk;
        for (int64_t o = 0; o < O; o++) {
            part_job pj = { (const char *)x + (size_t)(o * R) * es, R, chunk, accs };
            tfc_parallel_for(pool, nparts, cost_of(chunk / 2), r->part, &pj);
            r->finish(accs, nparts, (char *)out + (size_t)o * es, div);
        }
        return;
    }
    int64_t nkb = K == 1 ? 1 : (K + RED_BLOCK - 1) / RED_BLOCK;
    red_job job = { x, out, R, K, nkb, div };
    int64_t per_unit = K == 1 ? R : R * (K < RED_BLOCK ? K : RED_BLOCK);
    tfc_parallel_for(pool, O * nkb, cost_of(per_unit / 2), r->rows, &job);
}

/* The passes, innermost reduced group first; temporaries hold what lies between passes. */
static void reduce_groups(tfc_kernel_ctx *k, const red_state *s, const TF_Tensor *x, tfc_reduce_group *g, int n,
                          int64_t div, TF_Tensor *y)
{
    size_t es = tfc_dtype_elem_size(s->dtype);
    const void *cur = tfc_tensor_data(x);
    void *tmp = NULL;
    for (;;) {
        tfc_reduce_pass p = tfc_reduce_next_pass(g, &n);
        if (p.last) {
            run_pass(k, s->fin, cur, tfc_tensor_data(y), p.O, p.R, p.K, div, es);
            break;
        }
        void *next = tfc_aligned_alloc((size_t)(p.O * p.K) * es);
        if (!next) {
            tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
            break;
        }
        run_pass(k, s->mid, cur, next, p.O, p.R, p.K, 1, es);
        tfc_aligned_free(tmp);
        cur = tmp = next;
    }
    tfc_aligned_free(tmp);
}

static void reduce_compute(tfc_kernel_ctx *k)
{
    const red_state *s = tfc_kernel_state(k);
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    tfc_reduce_shape sh;
    if (!tfc_reduce_check(k, s->dtype, s->keep_dims, &sh)) return;
    TF_Tensor *y;
    if (tfc_kernel_alloc_output(k, 0, sh.dims, sh.rank, &y)) return;
    if (y->nelems == 0) return;
    if (x->nelems == 0) { /* every output reduces nothing: the identity (Mean: NaN or 0) */
        red_job job = { tfc_tensor_data(x), tfc_tensor_data(y), 0, 1, 1, 0 };
        s->fin->rows(&job, 0, y->nelems);
        return;
    }
    tfc_reduce_group g[TFC_MAX_RANK];
    int reduced, n = tfc_reduce_groups(x, sh.reduce, g, &reduced);
    if (reduced == 0) { /* nothing reduced (or only size-1 dims): a copy */
        memcpy(tfc_tensor_data(y), tfc_tensor_data(x), y->nbytes);
        return;
    }
    reduce_groups(k, s, x, g, n, sh.div, y);
}

// ---- ArgMax, ArgMin ----

/* One pass over [O, N, K] writing int64 indices [O, K]; N >= 1. */
typedef struct arg_job {
    const void *x;
    int64_t *idx;
    int64_t N, K, nkb;
} arg_job;

/* Strict comparisons: the first extreme wins, and a NaN never replaces a number. */
#define DEFINE_BETTER(s, T, A, LOW, HIGH)                                       \
    static inline bool better_argmax_##s(T v, T b) { return v > b; }           \
    static inline bool better_argmin_##s(T v, T b) { return v < b; }
REAL_TYPES(DEFINE_BETTER)
static inline bool better_argmax_b(uint8_t v, uint8_t b) { return v != 0 && b == 0; }
static inline bool better_argmin_b(uint8_t v, uint8_t b) { return v == 0 && b != 0; }

#define DEFINE_ARG(name, T)                                                                         \
    static void arg_##name(void *arg, int64_t begin, int64_t end)                                   \
    {                                                                                               \
        const arg_job *jb = arg;                                                                    \
        const T *x = jb->x;                                                                         \
        int64_t N = jb->N, K = jb->K;                                                               \
        if (K == 1) {                                                                               \
            for (int64_t o = begin; o < end; o++) {                                                 \
                const T *row = x + o * N;                                                           \
                T best = row[0];                                                                    \
                int64_t bi = 0;                                                                     \
                for (int64_t i = 1; i < N; i++)                                                     \
                    if (better_##name(row[i], best)) best = row[i], bi = i;                         \
                jb->idx[o] = bi;                                                                    \
            }                                                                                       \
            return;                                                                                 \
        }                                                                                           \
        T best[RED_BLOCK];                                                                          \
        for (int64_t u = begin; u < end; u++) {                                                     \
            int64_t o = u / jb->nkb, k0 = (u % jb->nkb) * RED_BLOCK;                                \
            int64_t len = K - k0 < RED_BLOCK ? K - k0 : RED_BLOCK;                                  \
            const T *base = x + o * N * K + k0;                                                     \
            int64_t *bi = jb->idx + o * K + k0;                                                     \
            for (int64_t j = 0; j < len; j++) best[j] = base[j], bi[j] = 0;                         \
            for (int64_t r = 1; r < N; r++) {                                                       \
                const T *row = base + r * K;                                                        \
                for (int64_t j = 0; j < len; j++)                                                   \
                    if (better_##name(row[j], best[j])) best[j] = row[j], bi[j] = r;                \
            }                                                                                       \
        }                                                                                           \
    }
#define DEFINE_ARGS(s, T, A, LOW, HIGH) DEFINE_ARG(argmax_##s, T) DEFINE_ARG(argmin_##s, T)
REAL_TYPES(DEFINE_ARGS)
DEFINE_ARG(argmax_b, uint8_t)
DEFINE_ARG(argmin_b, uint8_t)

typedef void (*arg_fn)(void *job, int64_t begin, int64_t end);
#define ARGMAX_ROW(s, T, A, LOW, HIGH) [TFC_##s] = arg_argmax_##s,
#define ARGMIN_ROW(s, T, A, LOW, HIGH) [TFC_##s] = arg_argmin_##s,
static const arg_fn argmax_tab[SLOTS] = { REAL_TYPES(ARGMAX_ROW)[TF_BOOL] = arg_argmax_b };
static const arg_fn argmin_tab[SLOTS] = { REAL_TYPES(ARGMIN_ROW)[TF_BOOL] = arg_argmin_b };

typedef struct arg_state {
    TF_DataType dtype, out_type;
    arg_fn fn;
} arg_state;

static TF_Code arg_init_with(const tfc_kernel_init_ctx *c, const arg_fn *tab, void **state)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    TF_DataType ot = tfc_attrs_type(c->attrs, "output_type", TF_INT64);
    if (t <= 0 || t >= SLOTS || !tab[t])
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    if (ot != TF_INT64 && ot != TF_INT32 && ot != TF_INT16 && ot != TF_UINT16)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "output_type %s is not supported",
                                     tfc_dtype_name(ot));
    arg_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (arg_state){ t, ot, tab[t] };
    *state = s;
    return TF_OK;
}

static TF_Code argmax_init(const tfc_kernel_init_ctx *c, void **state)
{
    return arg_init_with(c, argmax_tab, state);
}

static TF_Code argmin_init(const tfc_kernel_init_ctx *c, void **state)
{
    return arg_init_with(c, argmin_tab, state);
}

/* Stores int64 indices as the output type (they were checked to fit). */
static void store_indices(const int64_t *idx, TF_Tensor *y, TF_DataType t)
{
    void *d = tfc_tensor_data(y);
    for (int64_t i = 0; i < y->nelems; i++) {
        if (t == TF_INT32) ((int32_t *)d)[i] = (int32_t)idx[i];
        else if (t == TF_INT16) ((int16_t *)d)[i] = (int16_t)idx[i];
        else ((uint16_t *)d)[i] = (uint16_t)idx[i];
    }
}

static void arg_compute(tfc_kernel_ctx *k)
{
    const arg_state *s = tfc_kernel_state(k);
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    tfc_arg_shape sh;
    TF_Tensor *y;
    if (!tfc_arg_check(k, s->dtype, s->out_type, &sh)) return;
    if (tfc_kernel_alloc_output(k, 0, sh.dims, sh.rank, &y)) return;
    if (y->nelems == 0) return;
    int64_t O = sh.O, N = sh.N, K = sh.K;
    int64_t *idx = s->out_type == TF_INT64 ? tfc_tensor_data(y) : tfc_malloc((size_t)y->nelems * sizeof *idx);
    if (!idx) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    int64_t nkb = K == 1 ? 1 : (K + RED_BLOCK - 1) / RED_BLOCK;
    arg_job job = { tfc_tensor_data(x), idx, N, K, nkb };
    tfc_parallel_for(tfc_kernel_intra_pool(k), O * nkb, cost_of(N * (K < RED_BLOCK ? K : RED_BLOCK)), s->fn,
                     &job);
    if (s->out_type != TF_INT64) {
        store_indices(idx, y, s->out_type);
        tfc_free(idx);
    }
}

// ---- Cumsum, Cumprod ----

/* [O, N, K] -> same shape; units as in reductions. Floats accumulate in their own type, as
 * TensorFlow's scan does; integers wrap (accumulated unsigned). In place is fine: each value is
 * read before its slot is written. One loop serves both scans: ID is the identity, COMB combines. */
typedef struct scan_job {
    const void *x;
    void *out;
    int64_t N, K, nkb;
    bool exclusive, reverse;
} scan_job;

#define SCAN_ACC_f32 float
#define SCAN_ACC_f64 double
#define SCAN_ACC_i8 unsigned
#define SCAN_ACC_i16 unsigned
#define SCAN_ACC_i32 uint32_t
#define SCAN_ACC_i64 uint64_t
#define SCAN_ACC_u8 unsigned
#define SCAN_ACC_u16 unsigned
#define SCAN_ACC_u32 uint32_t
#define SCAN_ACC_u64 uint64_t
#define SCAN_ADD(a, v) ((a) + (v))
#define SCAN_MUL(a, v) ((a) * (v))
#define DEFINE_CUMSUM(s, T, A_, LOW, HIGH) DEFINE_SCAN(cumsum_##s, T, SCAN_ACC_##s, 0, SCAN_ADD)
#define DEFINE_CUMPROD(s, T, A_, LOW, HIGH) DEFINE_SCAN(cumprod_##s, T, SCAN_ACC_##s, 1, SCAN_MUL)
#define DEFINE_SCAN(fn, T, A, ID, COMB)                                                             \
    static void fn(void *arg, int64_t begin, int64_t end)                                           \
    {                                                                                               \
        const scan_job *jb = arg;                                                                   \
        const T *x = jb->x;                                                                         \
        T *y = jb->out;                                                                             \
        int64_t N = jb->N, K = jb->K;                                                               \
        A acc[RED_BLOCK];                                                                           \
        for (int64_t u = begin; u < end; u++) {                                                     \
            int64_t o = u / jb->nkb, k0 = (u % jb->nkb) * RED_BLOCK;                                \
            int64_t len = K - k0 < RED_BLOCK ? K - k0 : RED_BLOCK;                                  \
            for (int64_t j = 0; j < len; j++) acc[j] = (A)(ID);                                     \
            for (int64_t i = 0; i < N; i++) {                                                       \
                int64_t r = jb->reverse ? N - 1 - i : i, off = (o * N + r) * K + k0;                \
                for (int64_t j = 0; j < len; j++) {                                                 \
                    A v = (A)x[off + j];                                                            \
                    if (jb->exclusive) y[off + j] = (T)acc[j], acc[j] = COMB(acc[j], v);            \
                    else acc[j] = COMB(acc[j], v), y[off + j] = (T)acc[j];                          \
                }                                                                                   \
            }                                                                                       \
        }                                                                                           \
    }
REAL_TYPES(DEFINE_CUMSUM)
REAL_TYPES(DEFINE_CUMPROD)

#define CUMSUM_ROW(s, T, A, LOW, HIGH) [TFC_##s] = cumsum_##s,
#define CUMPROD_ROW(s, T, A, LOW, HIGH) [TFC_##s] = cumprod_##s,
static const arg_fn cumsum_tab[SLOTS] = { REAL_TYPES(CUMSUM_ROW) };
static const arg_fn cumprod_tab[SLOTS] = { REAL_TYPES(CUMPROD_ROW) };

typedef struct scan_state {
    TF_DataType dtype;
    bool exclusive, reverse;
    arg_fn fn;
} scan_state;

static TF_Code scan_init(const tfc_kernel_init_ctx *c, void **state, const arg_fn *tab)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    if (t <= 0 || t >= SLOTS || !tab[t])
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    scan_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (scan_state){ t, tfc_attrs_bool(c->attrs, "exclusive", false),
                       tfc_attrs_bool(c->attrs, "reverse", false), tab[t] };
    *state = s;
    return TF_OK;
}

static TF_Code cumsum_init(const tfc_kernel_init_ctx *c, void **state)
{
    return scan_init(c, state, cumsum_tab);
}
static TF_Code cumprod_init(const tfc_kernel_init_ctx *c, void **state)
{
    return scan_init(c, state, cumprod_tab);
}

static void scan_compute(tfc_kernel_ctx *k)
{
    const scan_state *s = tfc_kernel_state(k);
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    int64_t axis, O, N, K;
    if (!tfc_reduce_check_dtype(k, s->dtype)) return;
    if (!tfc_reduce_scalar_axis(k, "ScanOp: axis",
                                "ScanOp: Expected scan axis in the range [%d, %d), but got %" PRId64, &axis))
        return;
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y)) return;
    if (y->nelems == 0) return;
    tfc_reduce_around_axis(x, axis, &O, &N, &K);
    /* K == 1 rows are scanned one at a time (blocks of one column). */
    int64_t nkb = (K + RED_BLOCK - 1) / RED_BLOCK;
    scan_job job = { tfc_tensor_data(x), tfc_tensor_data(y), N, K, nkb, s->exclusive, s->reverse };
    tfc_parallel_for(tfc_kernel_intra_pool(k), O * nkb, cost_of(N * (K < RED_BLOCK ? K : RED_BLOCK)), s->fn,
                     &job);
}

// ---- the table ----

#define REAL_MASK (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE) | TFC_TYPES_INT)
#define REDUCE(op, types, init_fn) \
    { op, "CPU", types, .init = init_fn, .free_state = tfc_free, .compute = reduce_compute }

const tfc_kernel_def tfc_cpu_reduction_kernels[] = {
    REDUCE("Sum", REAL_MASK, sum_init),
    REDUCE("Mean", REAL_MASK, mean_init),
    REDUCE("Prod", REAL_MASK, prod_init),
    REDUCE("Max", REAL_MASK, max_init),
    REDUCE("Min", REAL_MASK, min_init),
    REDUCE("All", 0, all_init),
    REDUCE("Any", 0, any_init),
    { "ArgMax", "CPU", REAL_MASK | TFC_TYPE_BIT(TF_BOOL), .init = argmax_init, .free_state = tfc_free,
      .compute = arg_compute },
    { "ArgMin", "CPU", REAL_MASK | TFC_TYPE_BIT(TF_BOOL), .init = argmin_init, .free_state = tfc_free,
      .compute = arg_compute },
    { "Cumsum", "CPU", REAL_MASK, .init = cumsum_init, .free_state = tfc_free, .compute = scan_compute },
    { "Cumprod", "CPU", REAL_MASK, .init = cumprod_init, .free_state = tfc_free, .compute = scan_compute },
    { 0 }
};
