/* training_cuda: the optimizer update ops on the GPU (float, double): every ApplyX and its
 * ResourceApplyX twin, with the CPU's checks and locking (kernels/training_update.h) and the
 * CPU's rules run per element (training_cuda.cu). The variables live in GPU memory
 * (variable_cuda.c); the scalar inputs are read on the device, so an update never waits for the
 * host. */
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/training_launch.h"
#include "kernels/training_update.h"

static TF_Code run_on_gpu(tfc_kernel_ctx *k, const tfc_train_state *st, const tfc_train_job *j, int64_t n)
{
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return k->status->code;
    cudaError_t e = tfc_gpu_train(st->rule, st->dtype == TF_DOUBLE, *j, n, d->compute);
    if (e != cudaSuccess) return tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
    return TF_OK;
}

static void train_compute(tfc_kernel_ctx *k) { tfc_train_compute(k, run_on_gpu); }

const tfc_kernel_def tfc_gpu_training_kernels[] = { TFC_TRAIN_KERNELS("GPU", train_compute), { 0 } };
