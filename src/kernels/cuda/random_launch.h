/* random_launch: the extern "C" launcher of random_cuda.cu (RandomUniform, RandomStandardNormal,
 * TruncatedNormal and RandomUniformInt on the GPU), called from random_cuda.c once the shape is
 * read and the step's counters reserved on the host (random_check.h). */
#ifndef TFC_KERNELS_CUDA_RANDOM_LAUNCH_H_
#define TFC_KERNELS_CUDA_RANDOM_LAUNCH_H_
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "kernels/random_philox.h"
#include "tfc/c_api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tfc_gpu_random_dist {
    TFC_GPU_RANDOM_UNIFORM,   /* float, double in [0, 1) */
    TFC_GPU_RANDOM_NORMAL,    /* float, double: Box-Muller */
    TFC_GPU_RANDOM_TRUNCATED, /* float, double: Box-Muller values under 2 in magnitude */
    TFC_GPU_RANDOM_INT,       /* int32, int64: lo + sample % range */
} tfc_gpu_random_dist;

/* One step of a random op: output group i (4 values of 32 bits or 2 of 64) comes from gen's
 * counter + i as on the CPU (random_philox.h). */
typedef struct tfc_gpu_random_job {
    tfc_philox gen; /* this step's generator, reserved on the host */
    int64_t n;      /* output elements */
    int64_t lo;     /* TFC_GPU_RANDOM_INT: minval */
    uint64_t range; /* TFC_GPU_RANDOM_INT: maxval - minval (> 0) */
} tfc_gpu_random_job;

/* Fills out (n elements of dtype, device memory) with dist's values; queues one kernel on stream
 * (none when n is 0) and returns the launch error (cudaErrorInvalidValue for a dtype that dist
 * does not take). */
cudaError_t tfc_gpu_random(tfc_gpu_random_dist dist, TF_DataType dtype, tfc_gpu_random_job job, void *out,
                           cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
