/* pool_launch: the extern "C" launchers of pool_cuda.cu (pooling on the GPU), called from
 * pool_cuda.c with the window and sizes pool_check.h made. Each queues one grid-stride kernel on
 * `stream` (none when there is nothing to compute) and returns the launch error. */
#ifndef TFC_KERNELS_CUDA_POOL_LAUNCH_H_
#define TFC_KERNELS_CUDA_POOL_LAUNCH_H_
#include <stdbool.h>
#include <cuda_runtime_api.h>

#include "kernels/pool_params.h"
#include "tfc/c_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* y = MaxPool(x) (float, double, int8/16/32/64, uint8/16; spatial or depthwise) or AvgPool(x)
 * (float, double); x and y in device memory, laid out as p->nchw says. */
cudaError_t tfc_gpu_pool(bool is_max, TF_DataType dt, const tfc_pool_params *p, const tfc_pool_geom *g,
                         const void *x, void *y, cudaStream_t stream);
/* dx = MaxPoolGrad(x, dy) or AvgPoolGrad(dy) (x unused) (float, double; spatial windows only). */
cudaError_t tfc_gpu_pool_grad(bool is_max, TF_DataType dt, const tfc_pool_params *p, const tfc_pool_geom *g,
                              const void *x, const void *dy, void *dx, cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
