/* batchnorm_launch: the extern "C" launchers of batchnorm_cuda.cu (FusedBatchNormV3 and its
 * gradient on the GPU), called from batchnorm_cuda.c. x is viewed as [outer, c, inner]
 * (batchnorm_check.h); every pointer is device memory; c is at most INT32_MAX (the grid's limit).
 * Each launcher queues its kernels on `stream` and returns the first launch error. */
#ifndef TFC_KERNELS_CUDA_BATCHNORM_LAUNCH_H_
#define TFC_KERNELS_CUDA_BATCHNORM_LAUNCH_H_
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* FusedBatchNormV3: y and the four [c] outputs, with the CPU kernel's meaning (reserve_space_1/2:
 * the batch mean and biased variance in training, zeros in inference). mean and var are the
 * running statistics, read only in inference or when factor != 1. */
typedef struct tfc_gpu_bn {
    int64_t outer, c, inner;
    float epsilon, factor;
    bool training;
    const float *x, *scale, *offset, *mean, *var;
    float *y, *batch_mean, *batch_var, *saved_mean, *saved_var;
} tfc_gpu_bn;

/* FusedBatchNormGradV3: dx, scale_backprop and offset_backprop from dy, x, scale and the forward's
 * saved mean and (biased) variance. */
typedef struct tfc_gpu_bn_grad {
    int64_t outer, c, inner;
    float epsilon;
    bool training;
    const float *dy, *x, *scale, *mean, *var;
    float *dx, *dscale, *doffset;
} tfc_gpu_bn_grad;

/* Bytes of device scratch memory either launcher needs for this view (at least 8). */
size_t tfc_gpu_bn_workspace_size(int64_t outer, int64_t c, int64_t inner);

cudaError_t tfc_gpu_bn_forward(const tfc_gpu_bn *j, void *workspace, cudaStream_t stream);
cudaError_t tfc_gpu_bn_backward(const tfc_gpu_bn_grad *j, void *workspace, cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
