/* random_cpu: CPU kernels of the stateful random ops (see ops/random_ops.c).
 *
 * Every kernel draws from Philox4x32-10, a counter-based generator, exactly as TensorFlow's
 * GuardedPhiloxRandom does: key = seed, high counter words = seed2 (both 0: a process-random seed),
 * and each step reserves a range of counters under a lock, so successive steps differ while a
 * (seed, seed2) pair always gives the same sequence. Inside a step, each output group's value depends
 * only on (key, counter + group), so chunks run in parallel and any intra-op thread count gives the
 * same bits. The conversions (23 mantissa bits to float, Box-Muller, 2-sigma rejection, modulo for
 * integers, Fisher-Yates for shuffles, inverse CDF for Multinomial) follow TensorFlow's, so fixed
 * seeds reproduce TensorFlow's streams. The generator, its conversions and the per-node state live in
 * random_philox.h and random_check.h, shared with the GPU kernels (cuda/random_cuda.c). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sincos, sincosf */
#endif
#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/kernel.h"
#include "kernels/random_check.h"
#include "kernels/random_philox.h"
#include "tfc/tstring.h"

// ---- fixed-size distributions: each Philox block gives one group of outputs ----

typedef struct fill_job {
    tfc_philox gen; /* this step's generator: group i uses counter gen + i */
    void *data;
    int64_t n;      /* output elements */
    int64_t lo;     /* RandomUniformInt: minval */
    uint64_t range; /* RandomUniformInt: maxval - minval, as unsigned */
} fill_job;

/* Stamps out NAME##_chunk: fills groups [begin, end) of a fill_job, each with FILL (a call of
 * random_philox.h that turns the block s into GROUP values at dst). */
#define DEFINE_FIXED_FILL(NAME, T, GROUP, FILL)                                                              \
    static void NAME##_chunk(void *arg, int64_t begin, int64_t end)                                          \
    {                                                                                                        \
        const fill_job *j = arg;                                                                             \
        T *out = j->data;                                                                                    \
        tfc_philox g = j->gen;                                                                               \
        tfc_philox_skip(&g, (uint64_t)begin);                                                                \
        for (int64_t grp = begin; grp < end; grp++) {                                                        \
            uint32_t s[4];                                                                                   \
            T v[GROUP];                                                                                      \
            tfc_philox_next(&g, s);                                                                          \
            int64_t off = grp * (GROUP), m = j->n - off < (GROUP) ? j->n - off : (GROUP);                    \
            T *dst = m == (GROUP) ? out + off : v; /* a whole group: straight into the output */             \
            FILL;                                                                                            \
            if (dst == v)                                                                                    \
                for (int64_t e = 0; e < m; e++) out[off + e] = v[e];                                         \
        }                                                                                                    \
    }

DEFINE_FIXED_FILL(uniform_f32, float, 4, tfc_uniform_f32_group(s, dst))
DEFINE_FIXED_FILL(uniform_f64, double, 2, tfc_uniform_f64_group(s, dst))
DEFINE_FIXED_FILL(normal_f32, float, 4, tfc_normal_f32_group(s, dst))
DEFINE_FIXED_FILL(normal_f64, double, 2, tfc_normal_f64_group(s, dst))
DEFINE_FIXED_FILL(int32, int32_t, 4, tfc_int32_group(j->lo, j->range, s, dst))
DEFINE_FIXED_FILL(int64, int64_t, 2, tfc_int64_group(j->lo, j->range, s, dst))

// ---- TruncatedNormal: a variable number of samples per group, each group in its own counter range ----

static void trunc_f32_chunk(void *arg, int64_t begin, int64_t end)
{
    const fill_job *j = arg;
    float *out = j->data;
    for (int64_t grp = begin; grp < end; grp++) {
        float v[4];
        tfc_trunc_f32_group(&j->gen, (uint64_t)grp, v);
        int64_t off = grp * 4, m = j->n - off < 4 ? j->n - off : 4;
        for (int64_t e = 0; e < m; e++) out[off + e] = v[e];
    }
}

static void trunc_f64_chunk(void *arg, int64_t begin, int64_t end)
{
    const fill_job *j = arg;
    double *out = j->data;
    for (int64_t grp = begin; grp < end; grp++) {
        double v[2];
        tfc_trunc_f64_group(&j->gen, (uint64_t)grp, v);
        int64_t off = grp * 2, m = j->n - off < 2 ? j->n - off : 2;
        for (int64_t e = 0; e < m; e++) out[off + e] = v[e];
    }
}

// ---- RandomUniform, RandomStandardNormal, TruncatedNormal, RandomUniformInt ----

/* Allocates the output from input 0 (the shape), reserves this step's counters and fills the output
 * group by group over the intra-op pool. group_cost: rough ns per group. */
static void fill_compute(tfc_kernel_ctx *k, fill_job *j, void (*chunk)(void *, int64_t, int64_t), int group,
                         int64_t group_cost)
{
    TF_Tensor *out = tfc_random_output(k, &j->gen);
    if (!out) return;
    j->data = tfc_tensor_data(out);
    j->n = out->nelems;
    tfc_parallel_for(tfc_kernel_intra_pool(k), j->n / group + (j->n % group != 0), group_cost, chunk, j);
}

static void uniform_f32_compute(tfc_kernel_ctx *k)
{
    fill_compute(k, &(fill_job){ 0 }, uniform_f32_chunk, 4, 20);
}
static void uniform_f64_compute(tfc_kernel_ctx *k)
{
    fill_compute(k, &(fill_job){ 0 }, uniform_f64_chunk, 2, 20);
}
static void normal_f32_compute(tfc_kernel_ctx *k)
{
    fill_compute(k, &(fill_job){ 0 }, normal_f32_chunk, 4, 80);
}
static void normal_f64_compute(tfc_kernel_ctx *k)
{
    fill_compute(k, &(fill_job){ 0 }, normal_f64_chunk, 2, 80);
}
static void trunc_f32_compute(tfc_kernel_ctx *k)
{
    fill_compute(k, &(fill_job){ 0 }, trunc_f32_chunk, 4, 200);
}
static void trunc_f64_compute(tfc_kernel_ctx *k)
{
    fill_compute(k, &(fill_job){ 0 }, trunc_f64_chunk, 2, 200);
}

static void uniform_int32_compute(tfc_kernel_ctx *k)
{
    fill_job j = { 0 };
    if (tfc_random_int_bounds(k, &j.lo, &j.range)) fill_compute(k, &j, int32_chunk, 4, 20);
}

static void uniform_int64_compute(tfc_kernel_ctx *k)
{
    fill_job j = { 0 };
    if (tfc_random_int_bounds(k, &j.lo, &j.range)) fill_compute(k, &j, int64_chunk, 2, 20);
}

// ---- RandomShuffle ----

typedef struct shuffle_job {
    const char *in;
    char *out;
    const int64_t *perm;
    size_t row_bytes;
} shuffle_job;

static void shuffle_rows(void *arg, int64_t begin, int64_t end)
{
    const shuffle_job *j = arg;
    for (int64_t i = begin; i < end; i++)
        memcpy(j->out + (size_t)i * j->row_bytes, j->in + (size_t)j->perm[i] * j->row_bytes, j->row_bytes);
}

/* TensorFlow's ShuffleRange: Fisher-Yates from the front, one 32-bit sample per swap (two when the
 * remaining length does not fit 32 bits). */
static void make_permutation(int64_t *perm, int64_t size, const tfc_philox *g)
{
    tfc_single_sampler s;
    tfc_single_init(&s, g, 0);
    for (int64_t i = 0; i < size; i++) perm[i] = i;
    for (int64_t i = 0; i + 1 < size; i++) {
        uint64_t left = (uint64_t)(size - i), r;
        if (left <= UINT32_MAX) {
            r = tfc_single_next(&s) % (uint32_t)left;
        } else {
            uint64_t lo = tfc_single_next(&s);
            r = (lo | (uint64_t)tfc_single_next(&s) << 32) % left;
        }
        int64_t t = perm[i];
        perm[i] = perm[i + (int64_t)r];
        perm[i + (int64_t)r] = t;
    }
}

static void shuffle_strings(const TF_Tensor *in, TF_Tensor *out, const int64_t *perm, int64_t size)
{
    int64_t inner = size ? in->nelems / size : 0;
    const TF_TString *src = tfc_tensor_data(in);
    TF_TString *dst = tfc_tensor_data(out);
    for (int64_t i = 0; i < size; i++)
        for (int64_t e = 0; e < inner; e++) {
            const TF_TString *x = &src[perm[i] * inner + e];
            TF_StringCopy(&dst[i * inner + e], TF_StringGetDataPointer(x), TF_StringGetSize(x));
        }
}

static void shuffle_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    if (in->nelems <= 1 || in->ndims == 0 || in->dims[0] <= 1) {
        TF_Tensor *same = tfc_tensor_ref(in); /* nothing to shuffle: the output is the input */
        if (!same)
            tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        else
            tfc_kernel_set_output(k, 0, same);
        return;
    }
    const int64_t size = in->dims[0];
    size_t perm_bytes;
    if (tfc_byte_size(TF_INT64, size, &perm_bytes, k->status, k->op_type)) return;
    int64_t *perm = tfc_malloc(perm_bytes);
    if (!perm) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    TF_Tensor *out = NULL;
    if (!tfc_kernel_alloc_output(k, 0, in->dims, in->ndims, &out)) {
        tfc_philox g = tfc_rng_reserve(k, ((uint64_t)size - 1 + 3) / 4); /* TensorFlow's ReserveSamples32 */
        make_permutation(perm, size, &g);
        if (in->dtype == TF_STRING) {
            shuffle_strings(in, out, perm, size);
        } else {
            shuffle_job j = { tfc_tensor_data(in), tfc_tensor_data(out), perm, in->nbytes / (size_t)size };
            tfc_parallel_for(tfc_kernel_intra_pool(k), size, 1 + (int64_t)j.row_bytes / 8, shuffle_rows, &j);
        }
    }
    tfc_free(perm);
}

// ---- Multinomial ----

typedef struct multinomial_job {
    tfc_philox gen;
    const void *logits;
    bool f64; /* logits are double (else float) */
    void *out;
    bool out64; /* output is int64 (else int32) */
    int64_t classes, samples;
    atomic_bool oom;
} multinomial_job;

/* TensorFlow's unnormalised CDF: exp(logit - max finite logit), non-finite logits adding nothing.
 * Returns the total. */
static double row_cdf_f32(const float *row, int64_t n, double *cdf)
{
    float max = -INFINITY;
    for (int64_t j = 0; j < n; j++)
        if (isfinite(row[j]) && row[j] > max) max = row[j];
    if (max == -INFINITY) max = -FLT_MAX;
    double total = 0;
    for (int64_t j = 0; j < n; j++) {
        if (isfinite(row[j])) total += exp((double)row[j] - (double)max);
        cdf[j] = total;
    }
    return total;
}

static double row_cdf_f64(const double *row, int64_t n, double *cdf)
{
    double max = -INFINITY;
    for (int64_t j = 0; j < n; j++)
        if (isfinite(row[j]) && row[j] > max) max = row[j];
    if (max == -INFINITY) max = -DBL_MAX;
    double total = 0;
    for (int64_t j = 0; j < n; j++) {
        if (isfinite(row[j])) total += exp(row[j] - max);
        cdf[j] = total;
    }
    return total;
}

/* The first index whose cdf exceeds x (std::upper_bound); n when none does. */
static int64_t upper_bound(const double *cdf, int64_t n, double x)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cdf[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Rows [begin, end); row b draws its samples from its own counter range (two 32-bit samples per
 * draw, rows block-aligned), so the result does not depend on how rows are split. */
static void multinomial_rows(void *arg, int64_t begin, int64_t end)
{
    multinomial_job *j = arg;
    double *cdf = tfc_malloc((size_t)j->classes * sizeof(double)); /* size checked by the caller */
    if (!cdf) {
        atomic_store(&j->oom, true);
        return;
    }
    const uint64_t blocks_per_row = ((uint64_t)j->samples + 1) / 2;
    for (int64_t b = begin; b < end; b++) {
        double total = j->f64 ? row_cdf_f64((const double *)j->logits + b * j->classes, j->classes, cdf)
                              : row_cdf_f32((const float *)j->logits + b * j->classes, j->classes, cdf);
        tfc_single_sampler s;
        tfc_single_init(&s, &j->gen, (uint64_t)b * blocks_per_row);
        for (int64_t i = 0; i < j->samples; i++) {
            uint32_t x0 = tfc_single_next(&s), x1 = tfc_single_next(&s);
            int64_t c = upper_bound(cdf, j->classes, tfc_u64_to_double(x0, x1) * total);
            if (j->out64)
                ((int64_t *)j->out)[b * j->samples + i] = c;
            else
                ((int32_t *)j->out)[b * j->samples + i] = (int32_t)c;
        }
    }
    tfc_free(cdf);
}

/* Validates logits and num_samples as TensorFlow does; false after an error. */
static bool multinomial_check(tfc_kernel_ctx *k, const TF_Tensor *logits, const TF_Tensor *ns)
{
    char buf[256];
    if (logits->ndims != 2)
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "logits should be a matrix, got shape %s",
                         tfc_dims_str(logits->dims, logits->ndims, buf, sizeof buf));
    else if (ns->ndims != 0 || ns->nelems != 1 || ns->dtype != TF_INT32)
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "num_samples should be a scalar, got shape %s",
                         tfc_dims_str(ns->dims, ns->ndims, buf, sizeof buf));
    else if (*(const int32_t *)tfc_tensor_data(ns) < 0)
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "num_samples should be non-negative, got %d",
                         (int)*(const int32_t *)tfc_tensor_data(ns));
    else if (logits->dims[1] <= 0)
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "num_classes should be positive, got %lld",
                         (long long)logits->dims[1]);
    return tfc_kernel_ok(k);
}

static void multinomial_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *logits = tfc_kernel_input(k, 0), *ns = tfc_kernel_input(k, 1);
    if (!multinomial_check(k, logits, ns)) return;
    const int64_t batch = logits->dims[0], classes = logits->dims[1],
                  samples = *(const int32_t *)tfc_tensor_data(ns);
    size_t cdf_bytes;
    if (tfc_byte_size(TF_DOUBLE, classes, &cdf_bytes, k->status, k->op_type)) return;
    TF_Tensor *out = NULL;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){ batch, samples }, 2, &out)) return;
    if (out->nelems == 0) return;
    /* TensorFlow's reservation: 2 samples per draw, draws rounded up to 4, 256 counters each. */
    uint64_t per_row = ((uint64_t)samples + 3) / 4 * 4 * 2;
    multinomial_job j = {
        .gen = tfc_rng_reserve(k, (uint64_t)batch * per_row * TFC_RANDOM_RESERVED_PER_OUTPUT),
        .logits = tfc_tensor_data(logits),
        .f64 = logits->dtype == TF_DOUBLE,
        .out = tfc_tensor_data(out),
        .out64 = out->dtype == TF_INT64,
        .classes = classes,
        .samples = samples,
    };
    int64_t log2c = 1;
    while (log2c < 63 && (INT64_C(1) << log2c) < classes) log2c++;
    tfc_parallel_for(tfc_kernel_intra_pool(k), batch, 10 * (samples * log2c + classes), multinomial_rows, &j);
    if (atomic_load(&j.oom)) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
}

// ---- the table ----

#define F32 TFC_TYPE_BIT(TF_FLOAT)
#define F64 TFC_TYPE_BIT(TF_DOUBLE)
#define I32 TFC_TYPE_BIT(TF_INT32)
#define I64 TFC_TYPE_BIT(TF_INT64)
/* Any dtype with a byte layout (strings are copied element by element). */
#define SHUFFLE_TYPES (TFC_TYPES_ALL & ~(TFC_TYPE_BIT(TF_RESOURCE) | TFC_TYPE_BIT(TF_VARIANT)))
#define RNG .init = tfc_rng_init, .free_state = tfc_rng_free

const tfc_kernel_def tfc_cpu_random_kernels[] = {
    { "RandomUniform", "CPU", F32, .type_attr = "dtype", .host_inputs = 1, RNG,
      .compute = uniform_f32_compute },
    { "RandomUniform", "CPU", F64, .type_attr = "dtype", .host_inputs = 1, RNG,
      .compute = uniform_f64_compute },
    { "RandomStandardNormal", "CPU", F32, .type_attr = "dtype", .host_inputs = 1, RNG,
      .compute = normal_f32_compute },
    { "RandomStandardNormal", "CPU", F64, .type_attr = "dtype", .host_inputs = 1, RNG,
      .compute = normal_f64_compute },
    { "TruncatedNormal", "CPU", F32, .type_attr = "dtype", .host_inputs = 1, RNG,
      .compute = trunc_f32_compute },
    { "TruncatedNormal", "CPU", F64, .type_attr = "dtype", .host_inputs = 1, RNG,
      .compute = trunc_f64_compute },
    { "RandomUniformInt", "CPU", I32, .type_attr = "Tout", .host_inputs = 7, RNG,
      .compute = uniform_int32_compute },
    { "RandomUniformInt", "CPU", I64, .type_attr = "Tout", .host_inputs = 7, RNG,
      .compute = uniform_int64_compute },
    { "RandomShuffle", "CPU", SHUFFLE_TYPES, RNG, .compute = shuffle_compute },
    { "Multinomial", "CPU", F32 | F64, .host_inputs = 1u << 1, RNG, .compute = multinomial_compute },
    { 0 }
};
