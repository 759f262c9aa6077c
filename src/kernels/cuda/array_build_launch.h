/* array_build_launch: the extern "C" launchers of array_build_cuda.cu (Fill's and OneHot's
 * kernels), called from array_build_cuda.c. They move element bits only, so one kernel serves
 * every dtype of an element size. Each queues one grid-stride kernel on `stream` (none for
 * n == 0) and returns the launch error. */
#ifndef TFC_KERNELS_CUDA_ARRAY_BUILD_LAUNCH_H_
#define TFC_KERNELS_CUDA_ARRAY_BUILD_LAUNCH_H_
#include <stddef.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "tfc/c_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* y[0..n) = the element whose esize (1, 2, 4 or 8) bytes are the low bytes of bits. */
cudaError_t tfc_gpu_fill_bits(void *y, uint64_t bits, size_t esize, int64_t n, cudaStream_t stream);

/* OneHot into y[n] (elements of esize 4 or 8 bytes; n = outer * depth * suffix): y[(p * depth + v)
 * * suffix + s] is on where indices[p * suffix + s] == v, else off. indices are of index_type
 * (int8, uint8, int16, int32 or int64) in device memory; out-of-range ones match no v. */
cudaError_t tfc_gpu_one_hot(void *y, size_t esize, uint64_t on, uint64_t off, const void *indices,
                            TF_DataType index_type, int64_t depth, int64_t suffix, int64_t n, cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
