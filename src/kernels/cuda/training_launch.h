/* training_launch: the extern "C" launcher of training_cuda.cu, called from training_cuda.c. */
#ifndef TFC_KERNELS_CUDA_TRAINING_LAUNCH_H_
#define TFC_KERNELS_CUDA_TRAINING_LAUNCH_H_
#include <stdbool.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "kernels/training_job.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Queues rule over elements [0, n) of j's tensors (device memory; j->sp[] point at the scalar
 * inputs in device memory too) on stream; returns the launch error. */
cudaError_t tfc_gpu_train(tfc_train_rule rule, bool is_double, tfc_train_job j, int64_t n, cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
