/* select_launch: the extern "C" launcher of select_cuda.cu (Select and SelectV2 on the GPU),
 * called from select_cuda.c. */
#ifndef TFC_KERNELS_CUDA_SELECT_LAUNCH_H_
#define TFC_KERNELS_CUDA_SELECT_LAUNCH_H_
#include <stddef.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "kernels/cuda/cwise_launch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A collapsed three-operand broadcast (kernels/cpu/broadcast.h's tfc_bcast) passed by value:
 * output element i, written in the mixed radix dims[0..rank), reads condition, then and else at
 * sum(digit * sc), sum(digit * st) and sum(digit * se). */
typedef struct tfc_gpu_bcast3 {
    int rank;
    int64_t n; /* output elements */
    int64_t dims[TFC_GPU_BCAST_RANK], sc[TFC_GPU_BCAST_RANK], st[TFC_GPU_BCAST_RANK], se[TFC_GPU_BCAST_RANK];
} tfc_gpu_bcast3;

/* z[i] = c[..] ? t[..] : e[..] over elements of esize (4 or 8) bytes, c bool (non-zero is true);
 * one grid-stride kernel on stream (none for g.n == 0), returning the launch error. */
cudaError_t tfc_gpu_select(const uint8_t *c, const void *t, const void *e, void *z, size_t esize, tfc_gpu_bcast3 g,
                           cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
