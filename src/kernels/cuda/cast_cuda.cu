// cast_cuda: Cast's element conversions on the GPU (see cast_launch.h). The rules are the CPU's
// (kernels/cast_rules.h, compiled here as __device__ functions), so both devices give the same
// bits for every value; one grid-stride kernel per (source, destination) pair.
#include "kernels/cuda/cast_launch.h"

#include "kernels/cuda/grid.h"

#define TFC_CAST_DEVICE __device__
#include "kernels/cast_rules.h"

namespace {

typedef void (*cast_kernel)(const void *x, void *y, int64_t n);

#define CAST_KERNEL(s, S, SK, ST, d, D, DK, DT)                                                     \
    __global__ void cast_##s##_##d(const void *xv, void *yv, int64_t n)                             \
    {                                                                                               \
        const S *x = (const S *)xv;                                                                 \
        D *y = (D *)yv;                                                                             \
        TFC_GPU_FOR(i, n) {                                                                         \
            S a = x[i];                                                                             \
            y[i] = TFC_CAST_##SK##DK(d, D, a);                                                      \
        }                                                                                           \
    }
#define CAST_KERNELS_FROM(s, S, SK, ST) TFC_CAST_DST(CAST_KERNEL, s, S, SK, ST)
TFC_GPU_CAST_SRC(CAST_KERNELS_FROM)

__global__ void cast_f64_f32_truncate(const void *xv, void *yv, int64_t n)
{
    const double *x = (const double *)xv;
    float *y = (float *)yv;
    TFC_GPU_FOR(i, n)
        y[i] = tfc_truncate_f64_f32(x[i]);
}

// One row per GPU source: its kernels in the order of the Cast types.
struct cast_row {
    TF_DataType src;
    cast_kernel to[TFC_CAST_COUNT];
};
#define CAST_ENTRY(s, S, SK, ST, d, D, DK, DT) cast_##s##_##d,
#define CAST_ROW(s, S, SK, ST) { ST, { TFC_CAST_DST(CAST_ENTRY, s, S, SK, ST) } },
const cast_row rows[] = { TFC_GPU_CAST_SRC(CAST_ROW) };

} // namespace

extern "C" cudaError_t tfc_gpu_cast(TF_DataType src, int dst_index, bool truncate, const void *x, void *y,
                                    int64_t n, cudaStream_t stream)
{
    if (n <= 0) return cudaSuccess;
    if (dst_index < 0 || dst_index >= TFC_CAST_COUNT) return cudaErrorInvalidValue;
    cast_kernel kernel = NULL;
    for (const cast_row &r : rows)
        if (r.src == src) kernel = r.to[dst_index];
    if (truncate && src == TF_DOUBLE && kernel == cast_f64_f32) kernel = cast_f64_f32_truncate;
    if (!kernel) return cudaErrorInvalidValue;
    kernel<<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, stream>>>(x, y, n);
    return cudaGetLastError();
}
