/* cuda_devices: what the rest of tfc sees of CUDA — plain C, no CUDA headers, so session/devices.c
 * (the one device list) can call it whether or not tfc was built with CUDA: without it
 * (cuda_none.c) there are no GPUs. */
#ifndef TFC_KERNELS_CUDA_DEVICES_H_
#define TFC_KERNELS_CUDA_DEVICES_H_
#include <stdbool.h>
#include <stdint.h>

#include "core/device.h"
#include "core/status.h"
#include "kernels/cuda/cuda_pool.h"

/* ConfigProto.gpu_options that shape the process's GPU devices, as TensorFlow reads them. */
typedef struct tfc_gpu_options {
    double memory_fraction;       /* per_process_gpu_memory_fraction; 0: all but a reserve */
    bool allow_growth;            /* tfc never preallocates; accepted for compatibility */
    const char *visible_devices;  /* visible_device_list, "" or NULL: all */
} tfc_gpu_options;

/* The GPU devices of this process, created on the first call (later calls return the same ones;
 * a different visible_device_list then is INVALID_ARGUMENT, as in TensorFlow). *n = 0 when tfc
 * was built without CUDA, there is no driver, or no GPU. */
TF_Code tfc_gpu_devices(const tfc_gpu_options *o, const tfc_device *const **out, int *n, TF_Status *st);
/* The GPU kernel tables (each ending in {0}), NULL-terminated; just NULL without CUDA. */
struct tfc_kernel_def;
extern const struct tfc_kernel_def *const tfc_gpu_kernel_tables[];

/* The caching allocator's statistics of this process's GPU:index; false when there is no such GPU
 * (yet: the devices are made with the first session). */
bool tfc_gpu_pool_stats(int index, tfc_cuda_pool_stats *out);

/* True when tfc was built with the CUDA device. */
bool tfc_gpu_built(void);

#endif
