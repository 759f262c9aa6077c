/* conv_launch: the extern "C" launcher of conv_cuda.cu, called from conv_cuda.c: the one copy kernel
 * that moves convolution operands between TensorFlow's layouts and cuDNN's (NHWC <-> NCHW, HWIO <->
 * KCRS) and pads or crops images on the way. */
#ifndef TFC_KERNELS_CUDA_CONV_LAUNCH_H_
#define TFC_KERNELS_CUDA_CONV_LAUNCH_H_
#include <stddef.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A 4-D gather, by value: destination element i (packed, written in the mixed radix dims[0..4))
 * reads the source at coordinate digit_d + src_offset[d] along each axis d, with stride
 * src_stride[d]; where that coordinate falls outside [0, src_extent[d]) it is zero (padding). A
 * positive offset crops. */
typedef struct tfc_gpu_gather4_plan {
    int64_t n; /* destination elements */
    int64_t dims[4], src_stride[4], src_extent[4], src_offset[4];
} tfc_gpu_gather4_plan;

/* Queues the gather of elem_size-byte elements (4 or 8: float, double) from src to dst on stream;
 * none for no elements. Returns the launch error (cudaErrorInvalidValue for another size). */
cudaError_t tfc_gpu_gather4(size_t elem_size, const void *src, void *dst, const tfc_gpu_gather4_plan *p,
                            cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
