/* reduce_launch: the extern "C" launchers of reduce_cuda.cu (Sum, Mean, Prod, Max, Min, ArgMax,
 * ArgMin and BiasAddGrad on the GPU), called from reduce_cuda.c once the shapes are checked
 * (reduction_check.h, bias_check.h). Every pointer is device memory; float and double only. Each
 * launcher queues its kernels on `stream` and returns the first launch error
 * (cudaErrorInvalidValue for a dtype or op it does not serve). */
#ifndef TFC_KERNELS_CUDA_REDUCE_LAUNCH_H_
#define TFC_KERNELS_CUDA_REDUCE_LAUNCH_H_
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "tfc/c_api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tfc_gpu_reduce_op {
    TFC_GPU_REDUCE_SUM,
    TFC_GPU_REDUCE_MEAN, /* a sum divided by div (NaN when div is 0) */
    TFC_GPU_REDUCE_PROD,
    TFC_GPU_REDUCE_MAX,
    TFC_GPU_REDUCE_MIN,
} tfc_gpu_reduce_op;

/* Bytes of device scratch memory tfc_gpu_reduce_pass needs for this view (0: none). */
size_t tfc_gpu_reduce_workspace_size(int64_t O, int64_t R, int64_t K);

/* One pass of a reduction: out[o, k] = op over r of x[o, r, k] (x [O, R, K], out [O, K]), as the
 * CPU kernel computes it: float sums and products accumulated in double, Max and Min propagating
 * NaN; R == 0 gives the value over nothing (0, NaN, 1, -inf, +inf). workspace holds
 * tfc_gpu_reduce_workspace_size(O, R, K) bytes (may be NULL when that is 0). */
cudaError_t tfc_gpu_reduce_pass(tfc_gpu_reduce_op op, TF_DataType dtype, const void *x, void *out, int64_t O,
                                int64_t R, int64_t K, int64_t div, void *workspace, cudaStream_t stream);

/* ArgMax (is_max) or ArgMin of x [O, N, K] along N (N >= 1) into out [O, K] of out_type (int64,
 * int32, int16 or uint16; every index fits): the first index of the extreme, and 0 where the first
 * element is NaN (a NaN never wins otherwise), as the CPU kernel's strict sequential scan gives. */
cudaError_t tfc_gpu_arg_reduce(bool is_max, TF_DataType dtype, TF_DataType out_type, const void *x, void *out,
                               int64_t O, int64_t N, int64_t K, cudaStream_t stream);

/* Bytes of device scratch memory tfc_gpu_bias_grad needs (0: none). */
size_t tfc_gpu_bias_grad_workspace_size(int64_t outer, int64_t c, int64_t inner);

/* BiasAddGrad: out[ch] = sum of x [outer, c, inner] over outer and inner, accumulated in double
 * throughout and rounded once (as the CPU kernel). x is not empty. */
cudaError_t tfc_gpu_bias_grad(TF_DataType dtype, const void *x, void *out, int64_t outer, int64_t c, int64_t inner,
                              void *workspace, cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
