/* cuda_none: the GPU device list of a build without CUDA (see cuda_devices.h): always empty. */
#include "kernels/cuda/cuda_devices.h"
#include "kernels/kernel.h"

const tfc_kernel_def *const tfc_gpu_kernel_tables[] = { NULL };

TF_Code tfc_gpu_devices(const tfc_gpu_options *o, const tfc_device *const **out, int *n, TF_Status *st)
{
    (void)o, (void)st;
    *out = NULL;
    *n = 0;
    return TF_OK;
}

bool tfc_gpu_pool_stats(int index, tfc_cuda_pool_stats *out)
{
    (void)index, (void)out;
    return false;
}

bool tfc_gpu_built(void) { return false; }
