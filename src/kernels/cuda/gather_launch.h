/* gather_launch: the extern "C" launcher of gather_cuda.cu (GatherV2 on the GPU), called from
 * gather_cuda.c once the indices are checked and copied to the device. */
#ifndef TFC_KERNELS_CUDA_GATHER_LAUNCH_H_
#define TFC_KERNELS_CUDA_GATHER_LAUNCH_H_
#include <stddef.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "tfc/c_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* GatherV2's sizes (gather_check.h's tfc_gather_geom): out [batch, outer, nidx, inner] (n
 * elements) from params [batch, outer, gather, inner] and indices [batch, nidx]. */
typedef struct tfc_gpu_gather_geom {
    int64_t n, outer, gather, inner, nidx;
} tfc_gpu_gather_geom;

/* out = GatherV2(params, indices) for elements of 4 or 8 bytes and int16, int32 or int64 indices
 * (all in device memory, every index in range); queues one kernel on stream (none when n is 0)
 * and returns the launch error (cudaErrorInvalidValue for other sizes or index types). */
cudaError_t tfc_gpu_gather(size_t elem_size, TF_DataType index_type, const void *params, const void *indices,
                           void *out, tfc_gpu_gather_geom g, cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
