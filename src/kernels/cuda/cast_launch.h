/* cast_launch: the extern "C" launcher of cast_cuda.cu (Cast's element conversions on the GPU),
 * called from cast_cuda.c. */
#ifndef TFC_KERNELS_CUDA_CAST_LAUNCH_H_
#define TFC_KERNELS_CUDA_CAST_LAUNCH_H_
#include <stdbool.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "tfc/c_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Cast sources the GPU converts from (kernels/cast_rules.h's suffix, C type, kind, dtype);
 * each converts to every Cast type. Integer tensors mostly stay on the CPU; these are the ones
 * models cast on the way into or out of float math (uint8 images, int labels, bool masks). */
#define TFC_GPU_CAST_SRC(X) X(f32, float, F, TF_FLOAT) X(f64, double, F, TF_DOUBLE) \
    X(i32, int32_t, I, TF_INT32) X(i64, int64_t, I, TF_INT64) X(u8, uint8_t, I, TF_UINT8) X(b, uint8_t, B, TF_BOOL)

/* y[0..n) = Cast(x[0..n)) from src to the Cast type of index dst_index (kernels/cast_check.h's
 * tfc_cast_index), with TensorFlow's Truncate when truncate (double → float only). Queues one
 * grid-stride kernel on stream; cudaErrorInvalidValue for a pair it does not have. */
cudaError_t tfc_gpu_cast(TF_DataType src, int dst_index, bool truncate, const void *x, void *y, int64_t n,
                         cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
