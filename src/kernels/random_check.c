/* random_check: the random ops' generator state and checks (see random_check.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* random_philox.h: sincosf, sincos */
#endif
#include "kernels/random_check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/random.h>
#include <time.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"

typedef struct rng_state {
    pthread_mutex_t mu; /* concurrent steps share the state */
    tfc_philox base;    /* the next step's generator */
} rng_state;

/* A process-random 64-bit value, for ops whose seed and seed2 are both 0 (TensorFlow's New64). */
static uint64_t random_u64(void)
{
    uint64_t v;
    if (getrandom(&v, sizeof v, 0) == (ssize_t)sizeof v) return v;
    static _Atomic uint64_t fallback;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    v = atomic_fetch_add(&fallback, 0x9E3779B97F4A7C15u) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30);
    v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9u; /* splitmix64 finaliser */
    v = (v ^ (v >> 27)) * 0x94D049BB133111EBu;
    return v ^ (v >> 31);
}

TF_Code tfc_rng_init(const tfc_kernel_init_ctx *c, void **state)
{
    rng_state *s = tfc_calloc(1, sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    uint64_t seed = (uint64_t)tfc_attrs_int(c->attrs, "seed", 0);
    uint64_t seed2 = (uint64_t)tfc_attrs_int(c->attrs, "seed2", 0);
    if (seed == 0 && seed2 == 0) {
        seed = random_u64();
        seed2 = random_u64();
    }
    pthread_mutex_init(&s->mu, NULL);
    s->base = tfc_philox_seeded(seed, seed2);
    *state = s;
    return TF_OK;
}

void tfc_rng_free(void *state)
{
    rng_state *s = state;
    if (!s) return;
    pthread_mutex_destroy(&s->mu);
    tfc_free(s);
}

tfc_philox tfc_rng_reserve(tfc_kernel_ctx *k, uint64_t blocks)
{
    rng_state *s = tfc_kernel_state(k);
    pthread_mutex_lock(&s->mu);
    tfc_philox g = s->base;
    tfc_philox_skip(&s->base, blocks);
    pthread_mutex_unlock(&s->mu);
    return g;
}

/* Reads the 1-D int32/int64 `shape` input into dims; sets *count to the element count. */
static TF_Code read_shape(tfc_kernel_ctx *k, const TF_Tensor *t, int64_t *dims, int *ndims, int64_t *count)
{
    char buf[256];
    if (t->ndims != 1 || (t->dtype != TF_INT32 && t->dtype != TF_INT64))
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                "shape must be a vector of {int32,int64}, got %s shape %s",
                                tfc_dtype_name(t->dtype), tfc_dims_str(t->dims, t->ndims, buf, sizeof buf));
    if (t->nelems > TFC_MAX_RANK)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "shape has %lld dims, more than %d",
                                (long long)t->nelems, TFC_MAX_RANK);
    const void *d = tfc_tensor_data(t);
    int64_t n = 1;
    for (int i = 0; i < (int)t->nelems; i++) {
        dims[i] = t->dtype == TF_INT32 ? ((const int32_t *)d)[i] : ((const int64_t *)d)[i];
        if (dims[i] < 0)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Dimension %lld must be >= 0",
                                    (long long)dims[i]);
        if (!tfc_mul_checked_i64(n, dims[i], &n))
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                    "Shape %s would have more than 2**63 - 1 elements",
                                    tfc_dims_str(dims, i + 1, buf, sizeof buf));
    }
    *ndims = (int)t->nelems;
    *count = n;
    return TF_OK;
}

TF_Tensor *tfc_random_output(tfc_kernel_ctx *k, tfc_philox *gen)
{
    int64_t dims[TFC_MAX_RANK], n = 0;
    int ndims = 0;
    if (read_shape(k, tfc_kernel_input(k, 0), dims, &ndims, &n)) return NULL;
    TF_Tensor *out = NULL;
    if (tfc_kernel_alloc_output(k, 0, dims, ndims, &out)) return NULL;
    *gen = tfc_rng_reserve(k, (uint64_t)n * TFC_RANDOM_RESERVED_PER_OUTPUT);
    return out;
}

bool tfc_random_int_bounds(tfc_kernel_ctx *k, int64_t *lo, uint64_t *range)
{
    const TF_Tensor *a_t = tfc_kernel_input(k, 1), *b_t = tfc_kernel_input(k, 2);
    char buf[256];
    if (a_t->ndims != 0 || a_t->nelems != 1) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "minval must be 0-D, got shape %s",
                         tfc_dims_str(a_t->dims, a_t->ndims, buf, sizeof buf));
        return false;
    }
    if (b_t->ndims != 0 || b_t->nelems != 1) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "maxval must be 0-D, got shape %s",
                         tfc_dims_str(b_t->dims, b_t->ndims, buf, sizeof buf));
        return false;
    }
    bool i32 = a_t->dtype == TF_INT32;
    int64_t a = i32 ? *(const int32_t *)tfc_tensor_data(a_t) : *(const int64_t *)tfc_tensor_data(a_t);
    int64_t b = i32 ? *(const int32_t *)tfc_tensor_data(b_t) : *(const int64_t *)tfc_tensor_data(b_t);
    if (a >= b) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Need minval < maxval, got %lld >= %lld", (long long)a,
                         (long long)b);
        return false;
    }
    *lo = a;
    *range = (uint64_t)b - (uint64_t)a; /* fits: b > a */
    return true;
}
