/* transpose_launch: the extern "C" launchers of transpose_cuda.cu (Transpose on the GPU), called
 * from transpose_cuda.c with the collapsed permutation of transpose_check.h. Elements are moved as
 * 4- or 8-byte words (float, double). Each queues one kernel on `stream` (none for no elements)
 * and returns the launch error (cudaErrorInvalidValue for another element size). */
#ifndef TFC_KERNELS_CUDA_TRANSPOSE_LAUNCH_H_
#define TFC_KERNELS_CUDA_TRANSPOSE_LAUNCH_H_
#include <stddef.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "tfc/c_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A permutation, by value: output element i, written in the mixed radix odims[0..rank), reads the
 * input at sum(digit_d * istride[d]). */
typedef struct tfc_gpu_perm {
    int rank;
    int64_t n; /* elements */
    int64_t odims[TFC_MAX_RANK], istride[TFC_MAX_RANK];
} tfc_gpu_perm;

/* y[b, c, r] = x[b, r, c] for x of shape [batches, rows, cols], through shared-memory tiles (both
 * sides coalesced). */
cudaError_t tfc_gpu_transpose_tiles(size_t elem_size, const void *x, void *y, int64_t batches, int64_t rows,
                                    int64_t cols, cudaStream_t stream);
/* Any permutation, one thread per output element. */
cudaError_t tfc_gpu_transpose_any(size_t elem_size, const void *x, void *y, const tfc_gpu_perm *p,
                                  cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
