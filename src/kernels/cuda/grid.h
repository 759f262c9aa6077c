// grid: the launch shape of the grid-stride kernels in the .cu files: 256 threads a block, and
// enough blocks for one element a thread up to 4096 blocks (the loop covers the rest), at least one.
#ifndef TFC_KERNELS_CUDA_GRID_H_
#define TFC_KERNELS_CUDA_GRID_H_
#include <stdint.h>

#define TFC_GPU_THREADS 256

static inline int tfc_gpu_blocks_for(int64_t n)
{
    int64_t b = (n + TFC_GPU_THREADS - 1) / TFC_GPU_THREADS;
    return (int)(b < 4096 ? (b > 0 ? b : 1) : 4096);
}

// The index loop of a grid-stride kernel over [0, n).
#define TFC_GPU_FOR(i, n)                                                                                   \
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < (n); i += (int64_t)gridDim.x * blockDim.x)

#endif
