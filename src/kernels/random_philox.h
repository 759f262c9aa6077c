/* random_philox: TensorFlow's Philox4x32-10 generator and its conversions to floats, doubles and
 * integers (random_distributions.h), shared by the CPU kernels (cpu/random_cpu.c) and the GPU ones
 * (cuda/random_cuda.cu) so that both devices give the same streams for the same seeds. Everything
 * is `static inline` and TFC_HOST_DEVICE: plain C on the host, __host__ __device__ under nvcc.
 *
 * A step's generator g (random_check.h reserves it) gives output group i from the block at counter
 * g + i alone; TruncatedNormal's group i reads 32-bit samples from its own range of counters. So
 * any split of the groups over threads, CPU or GPU, gives the same bits. Uniform and integer
 * values are exact bit operations and match across devices bit for bit; Box-Muller goes through
 * log, sqrt, sin and cos, whose device versions may differ from glibc's by an ulp or two.
 *
 * On the host, sincosf and sincos need _GNU_SOURCE defined before the first #include. */
#ifndef TFC_KERNELS_RANDOM_PHILOX_H_
#define TFC_KERNELS_RANDOM_PHILOX_H_
#if !defined(__CUDACC__) && !defined(_GNU_SOURCE)
#error "random_philox.h: define _GNU_SOURCE (sincosf, sincos) before the first #include"
#endif
#include <math.h>
#include <stdint.h>
#include <string.h>

#ifdef __CUDACC__
#define TFC_HOST_DEVICE __host__ __device__
#else
#define TFC_HOST_DEVICE
#endif

typedef struct tfc_philox {
    uint32_t key[2];
    uint32_t ctr[4]; /* a 128-bit counter, least significant word first */
} tfc_philox;

/* TensorFlow's PhiloxRandom(seed_lo, seed_hi). */
static inline TFC_HOST_DEVICE tfc_philox tfc_philox_seeded(uint64_t seed, uint64_t seed2)
{
    tfc_philox g = { { (uint32_t)seed, (uint32_t)(seed >> 32) },
                     { 0, 0, (uint32_t)seed2, (uint32_t)(seed2 >> 32) } };
    return g;
}

/* Advances the counter by n blocks (128-bit add, wrapping). */
static inline TFC_HOST_DEVICE void tfc_philox_skip(tfc_philox *g, uint64_t n)
{
    uint32_t lo = (uint32_t)n, hi = (uint32_t)(n >> 32);
    g->ctr[0] += lo;
    if (g->ctr[0] < lo) hi++; /* hi <= 2^32 - 1 here: n >> 32 < 2^32 - 1 when a carry can matter */
    g->ctr[1] += hi;
    if (g->ctr[1] < hi && ++g->ctr[2] == 0) ++g->ctr[3];
}

/* The block at g's counter: ten Philox rounds. */
static inline TFC_HOST_DEVICE void tfc_philox_block(const tfc_philox *g, uint32_t out[4])
{
    uint32_t c0 = g->ctr[0], c1 = g->ctr[1], c2 = g->ctr[2], c3 = g->ctr[3];
    uint32_t k0 = g->key[0], k1 = g->key[1];
#if defined(__CUDA_ARCH__)
#pragma unroll
#elif !defined(__CUDACC__) /* nvcc's host pass knows neither pragma */
#pragma GCC unroll 10
#endif
    for (int r = 0; r < 10; r++) {
        uint64_t p0 = (uint64_t)0xD2511F53u * c0, p1 = (uint64_t)0xCD9E8D57u * c2;
        c0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
        c1 = (uint32_t)p1;
        c2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        c3 = (uint32_t)p0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3;
}

/* The block at the current counter, then the counter moves on by one. */
static inline TFC_HOST_DEVICE void tfc_philox_next(tfc_philox *g, uint32_t out[4])
{
    tfc_philox_block(g, out);
    if (++g->ctr[0] == 0 && ++g->ctr[1] == 0 && ++g->ctr[2] == 0) ++g->ctr[3];
}

/* TensorFlow's SingleSampleAdapter: one 32-bit sample at a time. */
typedef struct tfc_single_sampler {
    tfc_philox g;
    uint32_t buf[4];
    int used;
} tfc_single_sampler;

/* A sampler starting `skip` blocks after g. */
static inline TFC_HOST_DEVICE void tfc_single_init(tfc_single_sampler *s, const tfc_philox *g, uint64_t skip)
{
    s->g = *g;
    tfc_philox_skip(&s->g, skip);
    s->used = 4;
}

static inline TFC_HOST_DEVICE uint32_t tfc_single_next(tfc_single_sampler *s)
{
    if (s->used == 4) {
        tfc_philox_next(&s->g, s->buf);
        s->used = 0;
    }
    return s->buf[s->used++];
}

// ---- conversions (TensorFlow's random_distributions.h) ----

/* 23 random mantissa bits under exponent 0: a float in [1, 2), minus 1. */
static inline TFC_HOST_DEVICE float tfc_u32_to_float(uint32_t x)
{
    uint32_t bits = (UINT32_C(127) << 23) | (x & 0x7fffffu);
#ifdef __CUDA_ARCH__
    float f = __uint_as_float(bits);
#else
    float f;
    memcpy(&f, &bits, sizeof f);
#endif
    return f - 1.0f;
}

/* 52 mantissa bits: the low 20 bits of x0 above all of x1. */
static inline TFC_HOST_DEVICE double tfc_u64_to_double(uint32_t x0, uint32_t x1)
{
    uint64_t bits = (UINT64_C(1023) << 52) | ((uint64_t)(x0 & 0xfffffu) << 32) | x1;
#ifdef __CUDA_ARCH__
    double d = __longlong_as_double((long long)bits);
#else
    double d;
    memcpy(&d, &bits, sizeof d);
#endif
    return d - 1.0;
}

/* 2 pi as a double (M_PI is not standard C). */
#define TFC_TWO_PI 6.283185307179586476925286766559

static inline TFC_HOST_DEVICE void tfc_box_muller_f(uint32_t x0, uint32_t x1, float *f0, float *f1)
{
    float u1 = tfc_u32_to_float(x0);
    if (u1 < 1.0e-7f) u1 = 1.0e-7f; /* keep log() finite */
    const float v1 = (float)(TFC_TWO_PI * tfc_u32_to_float(x1));
    const float u2 = sqrtf(-2.0f * logf(u1));
    sincosf(v1, f0, f1);
    *f0 *= u2;
    *f1 *= u2;
}

static inline TFC_HOST_DEVICE void tfc_box_muller_d(uint32_t x0, uint32_t x1, uint32_t x2, uint32_t x3,
                                                    double *d0, double *d1)
{
    double u1 = tfc_u64_to_double(x0, x1);
    if (u1 < 1.0e-7) u1 = 1.0e-7;
    const double v1 = TFC_TWO_PI * tfc_u64_to_double(x2, x3);
    const double u2 = sqrt(-2.0 * log(u1));
    sincos(v1, d0, d1);
    *d0 *= u2;
    *d1 *= u2;
}

// ---- one output group per Philox block: 4 values of 32 bits or 2 of 64 ----

static inline TFC_HOST_DEVICE void tfc_uniform_f32_group(const uint32_t s[4], float v[4])
{
    for (int i = 0; i < 4; i++) v[i] = tfc_u32_to_float(s[i]);
}

static inline TFC_HOST_DEVICE void tfc_uniform_f64_group(const uint32_t s[4], double v[2])
{
    v[0] = tfc_u64_to_double(s[0], s[1]);
    v[1] = tfc_u64_to_double(s[2], s[3]);
}

static inline TFC_HOST_DEVICE void tfc_normal_f32_group(const uint32_t s[4], float v[4])
{
    tfc_box_muller_f(s[0], s[1], &v[0], &v[1]);
    tfc_box_muller_f(s[2], s[3], &v[2], &v[3]);
}

static inline TFC_HOST_DEVICE void tfc_normal_f64_group(const uint32_t s[4], double v[2])
{
    tfc_box_muller_d(s[0], s[1], s[2], s[3], &v[0], &v[1]);
}

/* lo + sample % range, added as unsigned (no signed overflow when the range spans the type);
 * range is maxval - minval, at most 2^32 - 1 for int32. */
static inline TFC_HOST_DEVICE void tfc_int32_group(int64_t lo, uint64_t range, const uint32_t s[4], int32_t v[4])
{
    for (int i = 0; i < 4; i++) v[i] = (int32_t)((uint32_t)lo + s[i] % (uint32_t)range);
}

static inline TFC_HOST_DEVICE void tfc_int64_group(int64_t lo, uint64_t range, const uint32_t s[4], int64_t v[2])
{
    for (int i = 0; i < 2; i++) {
        uint64_t bits = s[2 * i] | (uint64_t)s[2 * i + 1] << 32;
        v[i] = (int64_t)((uint64_t)lo + bits % range);
    }
}

// ---- TruncatedNormal: Box-Muller pairs, keeping those under 2 in magnitude ----

/* TensorFlow reserves 256 counters per output element (kReservedSamplesPerOutput). */
#define TFC_RANDOM_RESERVED_PER_OUTPUT 256

/* Group grp (4 floats) reads from its own range, grp * 4 * 256 / 4 blocks after gen (TensorFlow's
 * layout). The loop ends with probability 1 (each value is kept with probability 0.95). */
static inline TFC_HOST_DEVICE void tfc_trunc_f32_group(const tfc_philox *gen, uint64_t grp, float v[4])
{
    tfc_single_sampler s;
    tfc_single_init(&s, gen, grp * (4 * TFC_RANDOM_RESERVED_PER_OUTPUT / 4));
    int got = 0;
    while (got < 4) {
        uint32_t x0 = tfc_single_next(&s), x1 = tfc_single_next(&s);
        float f[2];
        tfc_box_muller_f(x0, x1, &f[0], &f[1]);
        for (int i = 0; i < 2 && got < 4; i++)
            if (fabsf(f[i]) < 2.0f) v[got++] = f[i];
    }
}

/* Group grp (2 doubles), grp * 2 * 256 / 4 blocks after gen. */
static inline TFC_HOST_DEVICE void tfc_trunc_f64_group(const tfc_philox *gen, uint64_t grp, double v[2])
{
    tfc_single_sampler s;
    tfc_single_init(&s, gen, grp * (2 * TFC_RANDOM_RESERVED_PER_OUTPUT / 4));
    int got = 0;
    while (got < 2) {
        uint32_t x0 = tfc_single_next(&s), x1 = tfc_single_next(&s), x2 = tfc_single_next(&s),
                 x3 = tfc_single_next(&s);
        double d[2];
        tfc_box_muller_d(x0, x1, x2, x3, &d[0], &d[1]);
        for (int i = 0; i < 2 && got < 2; i++)
            if (fabs(d[i]) < 2.0) v[got++] = d[i];
    }
}

#endif
