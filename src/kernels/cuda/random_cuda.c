/* random_cuda: RandomUniform, RandomStandardNormal, TruncatedNormal (float, double) and
 * RandomUniformInt (int32, int64) on the GPU, with the CPU kernels' streams (TensorFlow's GPU
 * kernels give its CPU ones' values too). The shape (and RandomUniformInt's bounds) are host
 * inputs: random_check.h reads and checks them with the CPU's messages, allocates the output and
 * reserves the step's counters under the node's lock exactly as the CPU kernel does, then
 * random_cuda.cu fills the output from (key, counter base) on the compute stream. Uniform and
 * integer values are the CPU's bit for bit; the normal ones may differ by an ulp or two (device
 * log, sqrt, sin, cos). RandomShuffle and Multinomial stay on the CPU. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* random_philox.h: sincosf, sincos */
#endif
#include "core/dtype.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/random_launch.h"
#include "kernels/kernel.h"
#include "kernels/random_check.h"

/* Reads the shape, reserves the counters and queues the fill of dist's values. */
static void random_fill(tfc_kernel_ctx *k, tfc_gpu_random_dist dist, tfc_gpu_random_job job)
{
    TF_Tensor *out = tfc_random_output(k, &job.gen);
    if (!out || out->nelems == 0) return;
    job.n = out->nelems;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    cudaError_t e = tfc_gpu_random(dist, out->dtype, job, tfc_tensor_data(out), d->compute);
    if (e != cudaSuccess)
        tfc_kernel_error(k, TF_INTERNAL, "%s kernel launch failed: %s", k->op_type, cudaGetErrorString(e));
}

static void uniform_compute(tfc_kernel_ctx *k)
{
    random_fill(k, TFC_GPU_RANDOM_UNIFORM, (tfc_gpu_random_job){ .n = 0 });
}

static void normal_compute(tfc_kernel_ctx *k)
{
    random_fill(k, TFC_GPU_RANDOM_NORMAL, (tfc_gpu_random_job){ .n = 0 });
}

static void truncated_compute(tfc_kernel_ctx *k)
{
    random_fill(k, TFC_GPU_RANDOM_TRUNCATED, (tfc_gpu_random_job){ .n = 0 });
}

static void uniform_int_compute(tfc_kernel_ctx *k)
{
    tfc_gpu_random_job job = { .n = 0 };
    if (tfc_random_int_bounds(k, &job.lo, &job.range)) random_fill(k, TFC_GPU_RANDOM_INT, job);
}

#define FLOATING (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
#define INTEGER (TFC_TYPE_BIT(TF_INT32) | TFC_TYPE_BIT(TF_INT64))
#define RNG .init = tfc_rng_init, .free_state = tfc_rng_free

const tfc_kernel_def tfc_gpu_random_kernels[] = {
    { "RandomUniform", "GPU", FLOATING, .type_attr = "dtype", .host_inputs = 1u << 0, RNG,
      .compute = uniform_compute },
    { "RandomStandardNormal", "GPU", FLOATING, .type_attr = "dtype", .host_inputs = 1u << 0, RNG,
      .compute = normal_compute },
    { "TruncatedNormal", "GPU", FLOATING, .type_attr = "dtype", .host_inputs = 1u << 0, RNG,
      .compute = truncated_compute },
    { "RandomUniformInt", "GPU", INTEGER, .type_attr = "Tout",
      .host_inputs = 1u << 0 | 1u << 1 | 1u << 2, /* shape, minval, maxval */ RNG, .compute = uniform_int_compute },
    { 0 },
};
