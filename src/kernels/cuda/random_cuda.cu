// random_cuda: the kernels of random_launch.h. A thread per output group, grid-stride: group i
// takes the Philox block at the step's counter + i (TruncatedNormal: its own range of counters,
// grp * 256 blocks for float, grp * 128 for double) and turns it into values with the same
// random_philox.h functions as the CPU, so the streams are the CPU's. The last group may be
// partial (n not a multiple of the group size): only its first n % G values are stored.
#include "kernels/cuda/random_launch.h"

#include "kernels/cuda/grid.h"

namespace {

struct Uniform {};
struct Normal {};
struct Truncated {};
struct UniformInt {};

// The block of group grp.
__device__ inline void block_of(const tfc_gpu_random_job &j, int64_t grp, uint32_t s[4])
{
    tfc_philox g = j.gen;
    tfc_philox_skip(&g, (uint64_t)grp);
    tfc_philox_block(&g, s);
}

__device__ inline void group_values(Uniform, const tfc_gpu_random_job &j, int64_t grp, float v[4])
{
    uint32_t s[4];
    block_of(j, grp, s);
    tfc_uniform_f32_group(s, v);
}

__device__ inline void group_values(Uniform, const tfc_gpu_random_job &j, int64_t grp, double v[2])
{
    uint32_t s[4];
    block_of(j, grp, s);
    tfc_uniform_f64_group(s, v);
}

__device__ inline void group_values(Normal, const tfc_gpu_random_job &j, int64_t grp, float v[4])
{
    uint32_t s[4];
    block_of(j, grp, s);
    tfc_normal_f32_group(s, v);
}

__device__ inline void group_values(Normal, const tfc_gpu_random_job &j, int64_t grp, double v[2])
{
    uint32_t s[4];
    block_of(j, grp, s);
    tfc_normal_f64_group(s, v);
}

__device__ inline void group_values(Truncated, const tfc_gpu_random_job &j, int64_t grp, float v[4])
{
    tfc_trunc_f32_group(&j.gen, (uint64_t)grp, v);
}

__device__ inline void group_values(Truncated, const tfc_gpu_random_job &j, int64_t grp, double v[2])
{
    tfc_trunc_f64_group(&j.gen, (uint64_t)grp, v);
}

__device__ inline void group_values(UniformInt, const tfc_gpu_random_job &j, int64_t grp, int32_t v[4])
{
    uint32_t s[4];
    block_of(j, grp, s);
    tfc_int32_group(j.lo, j.range, s, v);
}

__device__ inline void group_values(UniformInt, const tfc_gpu_random_job &j, int64_t grp, int64_t v[2])
{
    uint32_t s[4];
    block_of(j, grp, s);
    tfc_int64_group(j.lo, j.range, s, v);
}

// G: values per group (4 for 32-bit types, 2 for 64-bit ones).
template <typename D, typename T, int G>
__global__ void random_kernel(tfc_gpu_random_job j, T *out)
{
    const int64_t groups = (j.n + G - 1) / G;
    TFC_GPU_FOR(grp, groups) {
        T v[G];
        group_values(D(), j, grp, v);
        const int64_t off = grp * G;
#pragma unroll
        for (int e = 0; e < G; e++) // v stays in registers: constant indices
            if (off + e < j.n) out[off + e] = v[e];
    }
}

template <typename D, typename T, int G>
cudaError_t launch(const tfc_gpu_random_job &j, void *out, cudaStream_t stream)
{
    random_kernel<D, T, G><<<tfc_gpu_blocks_for((j.n + G - 1) / G), TFC_GPU_THREADS, 0, stream>>>(j, (T *)out);
    return cudaGetLastError();
}

// The floating-point distributions, for float or double.
template <typename D>
cudaError_t launch_floating(TF_DataType dtype, const tfc_gpu_random_job &j, void *out, cudaStream_t stream)
{
    if (dtype == TF_FLOAT) return launch<D, float, 4>(j, out, stream);
    if (dtype == TF_DOUBLE) return launch<D, double, 2>(j, out, stream);
    return cudaErrorInvalidValue;
}

} // namespace

extern "C" cudaError_t tfc_gpu_random(tfc_gpu_random_dist dist, TF_DataType dtype, tfc_gpu_random_job job,
                                      void *out, cudaStream_t stream)
{
    if (job.n <= 0) return cudaSuccess;
    switch (dist) {
    case TFC_GPU_RANDOM_UNIFORM: return launch_floating<Uniform>(dtype, job, out, stream);
    case TFC_GPU_RANDOM_NORMAL: return launch_floating<Normal>(dtype, job, out, stream);
    case TFC_GPU_RANDOM_TRUNCATED: return launch_floating<Truncated>(dtype, job, out, stream);
    case TFC_GPU_RANDOM_INT:
        if (job.range == 0) return cudaErrorInvalidValue;
        if (dtype == TF_INT32) return launch<UniformInt, int32_t, 4>(job, out, stream);
        if (dtype == TF_INT64) return launch<UniformInt, int64_t, 2>(job, out, stream);
        return cudaErrorInvalidValue;
    }
    return cudaErrorInvalidValue;
}
