/* batchnorm_cpu: CPU kernels of FusedBatchNormV3 and FusedBatchNormGradV3 for T = U = float (see
 * ops/conv_ops.c), in every data format (channels last: NHWC, NDHWC; channels first: NCHW, NCDHW).
 *
 * x is viewed as [outer, C, inner] (channels last: inner = 1). Training computes each channel's
 * batch mean and biased variance (two passes, accumulated in double); y uses the biased variance,
 * while the batch_variance output is the unbiased (Bessel-corrected) one, blended with the given
 * running statistics when exponential_avg_factor != 1, exactly as TensorFlow's CPU kernel does.
 * reserve_space_1/2 hold the batch mean and biased variance (zeros in inference, as TensorFlow's CPU
 * kernel leaves them); reserve_space_3 is a scalar 0.
 * Inference normalises with the given mean and variance. y = x * a[c] + b[c] is split over the
 * intra-op pool. The attribute and shape checks are shared with the GPU kernels (batchnorm_check.h). */
#include <math.h>

#include "core/alloc.h"
#include "kernels/batchnorm_check.h"
#include "kernels/kernel.h"

typedef struct bn_job {
    const float *x;
    float *y;
    const double *a, *b; /* per channel: y = x * a + b */
    int64_t c, inner;
} bn_job;

/* Blocks [begin, end) of `inner` elements; block u is (outer u / C, channel u % C). */
static void bn_apply(void *arg, int64_t begin, int64_t end)
{
    const bn_job *j = arg;
    for (int64_t u = begin; u < end; u++) {
        int64_t ch = u % j->c;
        float a = (float)j->a[ch], b = (float)j->b[ch];
        const float *x = j->x + u * j->inner;
        float *y = j->y + u * j->inner;
        for (int64_t i = 0; i < j->inner; i++) y[i] = x[i] * a + b;
    }
}

/* Per-channel mean and biased variance of x viewed as [outer, C, inner]. */
static void bn_moments(const float *x, int64_t outer, int64_t c, int64_t inner, double *mean, double *var)
{
    double count = (double)outer * (double)inner;
    for (int64_t ch = 0; ch < c; ch++) mean[ch] = var[ch] = 0;
    for (int64_t o = 0; o < outer; o++)
        for (int64_t ch = 0; ch < c; ch++) {
            const float *p = x + (o * c + ch) * inner;
            double sum = 0;
            for (int64_t i = 0; i < inner; i++) sum += p[i];
            mean[ch] += sum;
        }
    for (int64_t ch = 0; ch < c; ch++) mean[ch] /= count;
    for (int64_t o = 0; o < outer; o++)
        for (int64_t ch = 0; ch < c; ch++) {
            const float *p = x + (o * c + ch) * inner;
            double m = mean[ch], sum = 0;
            for (int64_t i = 0; i < inner; i++) sum += (p[i] - m) * (p[i] - m);
            var[ch] += sum;
        }
    for (int64_t ch = 0; ch < c; ch++) var[ch] /= count;
}

/* Fills the five [C] outputs (and the scalar reserve_space_3) from the statistics. */
static bool bn_outputs(tfc_kernel_ctx *k, const tfc_bn_params *s, int64_t c, int64_t count, const double *mean,
                       const double *var)
{
    float *o[5];
    TF_Tensor *t;
    for (int i = 1; i < 5; i++) {
        if (tfc_kernel_alloc_output(k, i, (const int64_t[]){c}, 1, &t)) return false;
        o[i] = tfc_tensor_data(t);
    }
    if (tfc_kernel_alloc_output(k, 5, NULL, 0, &t)) return false;
    *(float *)tfc_tensor_data(t) = 0.0f;
    const float *old_mean = tfc_tensor_data(tfc_kernel_input(k, 3)),
                *old_var = tfc_tensor_data(tfc_kernel_input(k, 4));
    double f = s->factor, bessel = (double)count / (double)(count > 1 ? count - 1 : 1);
    for (int64_t ch = 0; ch < c; ch++) {
        if (!s->training) {
            o[1][ch] = old_mean[ch], o[2][ch] = old_var[ch], o[3][ch] = o[4][ch] = 0.0f;
            continue;
        }
        double m = count ? mean[ch] : NAN, v = count ? var[ch] * bessel : NAN;
        o[1][ch] = (float)(f == 1.0 ? m : (1 - f) * old_mean[ch] + f * m);
        o[2][ch] = (float)(f == 1.0 ? v : (1 - f) * old_var[ch] + f * v);
        o[3][ch] = count ? (float)mean[ch] : 0.0f;
        o[4][ch] = count ? (float)var[ch] : 0.0f;
    }
    return true;
}

static void bn_compute(tfc_kernel_ctx *k)
{
    const tfc_bn_params *s = tfc_kernel_state(k);
    int64_t outer, c, inner;
    if (!tfc_bn_check(k, s, &outer, &c, &inner)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y)) return;
    double *buf = tfc_malloc(4 * (size_t)(c ? c : 1) * sizeof(double));
    if (!buf) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    double *mean = buf, *var = buf + c, *a = buf + 2 * c, *b = buf + 3 * c;
    const float *scale = tfc_tensor_data(tfc_kernel_input(k, 1)),
                *offset = tfc_tensor_data(tfc_kernel_input(k, 2));
    int64_t count = c ? x->nelems / c : 0;
    if (s->training && count) {
        bn_moments(tfc_tensor_data(x), outer, c, inner, mean, var);
    } else if (!s->training) {
        const float *m = tfc_tensor_data(tfc_kernel_input(k, 3)),
                    *v = tfc_tensor_data(tfc_kernel_input(k, 4));
        for (int64_t ch = 0; ch < c; ch++) mean[ch] = m[ch], var[ch] = v[ch];
    }
    if (bn_outputs(k, s, c, count, mean, var) && count) {
        for (int64_t ch = 0; ch < c; ch++) {
            a[ch] = scale[ch] / sqrt(var[ch] + (double)s->epsilon);
            b[ch] = offset[ch] - mean[ch] * a[ch];
        }
        bn_job j = {tfc_tensor_data(x), tfc_tensor_data(y), a, b, c, inner};
        tfc_parallel_for(tfc_kernel_intra_pool(k), outer * c, inner * 2 + 1, bn_apply, &j);
    }
    tfc_free(buf);
}

// ---- FusedBatchNormGradV3 ----

/* Per channel: sum(dy) into sdy and sum(dy * (x - mean)) into sdyx, in double. */
static void bn_grad_sums(const float *dy, const float *x, const float *mean, int64_t outer, int64_t c,
                         int64_t inner, double *sdy, double *sdyx)
{
    for (int64_t ch = 0; ch < c; ch++) sdy[ch] = sdyx[ch] = 0;
    for (int64_t o = 0; o < outer; o++)
        for (int64_t ch = 0; ch < c; ch++) {
            const float *g = dy + (o * c + ch) * inner, *p = x + (o * c + ch) * inner;
            double m = mean[ch], a = 0, b = 0;
            for (int64_t i = 0; i < inner; i++) a += g[i], b += g[i] * (p[i] - m);
            sdy[ch] += a, sdyx[ch] += b;
        }
}

typedef struct bn_grad_job {
    const float *dy, *x, *mean;
    float *dx;
    const double *a, *b, *d; /* dx = a * (dy - b - (x - mean) * d) per channel */
    int64_t c, inner;
} bn_grad_job;

static void bn_grad_apply(void *arg, int64_t begin, int64_t end)
{
    const bn_grad_job *j = arg;
    for (int64_t u = begin; u < end; u++) {
        int64_t ch = u % j->c;
        double a = j->a[ch], b = j->b[ch], d = j->d[ch], m = j->mean[ch];
        const float *g = j->dy + u * j->inner, *x = j->x + u * j->inner;
        float *dx = j->dx + u * j->inner;
        for (int64_t i = 0; i < j->inner; i++) dx[i] = (float)(a * (g[i] - b - (x[i] - m) * d));
    }
}

/* Training: dx = scale * r * (dy - mean(dy) - (x - mean) * mean(dy * (x - mean)) * r^2),
 * r = rsqrt(var + eps); inference: dx = dy * scale * r. In both, scale_backprop =
 * sum(dy * (x - mean)) * r and offset_backprop = sum(dy). */
static void bn_grad_compute(tfc_kernel_ctx *k)
{
    const tfc_bn_params *s = tfc_kernel_state(k);
    int64_t outer, c, inner;
    if (!tfc_bn_grad_check(k, s, &outer, &c, &inner)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 1);
    TF_Tensor *t[5];
    if (tfc_kernel_alloc_output(k, 0, x->dims, x->ndims, &t[0])) return;
    for (int i = 1; i < 5; i++)
        if (tfc_kernel_alloc_output(k, i, (const int64_t[]){i < 3 ? c : 0}, 1, &t[i])) return;
    double *buf = tfc_malloc(5 * (size_t)(c ? c : 1) * sizeof(double));
    if (!buf) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    double *sdy = buf, *sdyx = buf + c, *a = buf + 2 * c, *b = buf + 3 * c, *d = buf + 4 * c;
    const float *dy = tfc_tensor_data(tfc_kernel_input(k, 0)), *xp = tfc_tensor_data(x),
                *scale = tfc_tensor_data(tfc_kernel_input(k, 2)),
                *mean = tfc_tensor_data(tfc_kernel_input(k, 3)),
                *var = tfc_tensor_data(tfc_kernel_input(k, 4));
    float *dscale = tfc_tensor_data(t[1]), *doffset = tfc_tensor_data(t[2]);
    int64_t count = c ? x->nelems / c : 0;
    bn_grad_sums(dy, xp, mean, outer, c, inner, sdy, sdyx);
    for (int64_t ch = 0; ch < c; ch++) {
        double r = 1.0 / sqrt((double)var[ch] + (double)s->epsilon);
        dscale[ch] = (float)(sdyx[ch] * r), doffset[ch] = (float)sdy[ch];
        a[ch] = scale[ch] * r;
        b[ch] = s->training && count ? sdy[ch] / (double)count : 0;
        d[ch] = s->training && count ? sdyx[ch] / (double)count * r * r : 0;
    }
    bn_grad_job j = {dy, xp, mean, tfc_tensor_data(t[0]), a, b, d, c, inner};
    if (count) tfc_parallel_for(tfc_kernel_intra_pool(k), outer * c, inner * 3 + 1, bn_grad_apply, &j);
    tfc_free(buf);
}

// ---- the table ----

const tfc_kernel_def tfc_cpu_batchnorm_kernels[] = {{"FusedBatchNormV3", "CPU", TFC_TYPE_BIT(TF_FLOAT),
                                                     .init = tfc_bn_init, .free_state = tfc_free,
                                                     .compute = bn_compute},
                                                    {"FusedBatchNormGradV3", "CPU", TFC_TYPE_BIT(TF_FLOAT),
                                                     .init = tfc_bn_init, .free_state = tfc_free,
                                                     .compute = bn_grad_compute},
                                                    {0}};
