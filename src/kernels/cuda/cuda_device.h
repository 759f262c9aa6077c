/* cuda_device: one tfc_device per visible GPU (type "GPU", name
 * "/job:localhost/replica:0/task:0/device:GPU:<n>"), created once per process from the first
 * session's gpu_options. Each owns a caching allocator (cuda_pool.h), a compute stream on which
 * every kernel of the device runs (so work on one device is ordered, and a freed block is safe to
 * reuse), a host-to-device and a device-to-host copy stream, and cuBLAS and cuDNN handles bound to
 * the compute stream. Copies meet the compute stream through events: a host-to-device copy waits
 * for the work already queued (its destination may be a reused block) and the compute stream waits
 * for it; a device-to-host copy waits for the compute stream and the host waits for the copy.
 * Kernels in src/kernels/cuda/ reach these through tfc_cuda_of(k->device). */
#ifndef TFC_KERNELS_CUDA_DEVICE_H_
#define TFC_KERNELS_CUDA_DEVICE_H_
#include <pthread.h>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>

#include "core/device.h"
#include "kernels/cuda/cuda_pool.h"
#include "kernels/cuda/cuda_devices.h"

typedef struct tfc_cuda {
    int ordinal;               /* CUDA device number */
    cudaStream_t compute, h2d, d2h;
    cublasHandle_t blas;       /* calls serialised by blas_mu (workspace is per handle) */
    pthread_mutex_t blas_mu;
    cudnnHandle_t dnn;         /* NULL when cuDNN failed to start; calls serialised by dnn_mu */
    pthread_mutex_t dnn_mu;
    tfc_cuda_pool *pool;
    int sm_count;
    /* Where the copy streams meet the compute stream, one event per direction (recorded and
     * waited for under event_mu, so concurrent copies never see each other's record). */
    cudaEvent_t compute_done_for_h2d, h2d_done, compute_done_for_d2h;
    pthread_mutex_t event_mu;
} tfc_cuda;

/* The CUDA state of a GPU device (NULL for any other device). */
tfc_cuda *tfc_cuda_of(const tfc_device *d);
/* Makes d's GPU current on this thread; "<what>: CUDA error ..." into st on failure. */
TF_Code tfc_cuda_activate(const tfc_cuda *c, TF_Status *st, const char *what);
/* Turns a CUDA runtime result into a status: INTERNAL "<what>: <cudaGetErrorString>". */
TF_Code tfc_cuda_check(cudaError_t e, TF_Status *st, const char *what);

#endif
