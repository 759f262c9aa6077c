/* array_build_cuda: ZerosLike and OnesLike (float) on the GPU: a memset and a fill kernel on the
 * compute stream, into the input's buffer when the executor lets the kernel take it. */
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/cwise_launch.h"
#include "kernels/kernel.h"

static void fill_like(tfc_kernel_ctx *k, float v)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y) || y->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    cudaError_t e = v == 0 ? cudaMemsetAsync(tfc_tensor_data(y), 0, y->nbytes, d->compute) /* all-zero bits: 0.0f */
                           : tfc_gpu_fill_f32(tfc_tensor_data(y), v, y->nelems, d->compute);
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

static void zeros_like(tfc_kernel_ctx *k) { fill_like(k, 0); }
static void ones_like(tfc_kernel_ctx *k) { fill_like(k, 1); }

const tfc_kernel_def tfc_gpu_array_build_kernels[] = {
    { "ZerosLike", "GPU", TFC_TYPE_BIT(TF_FLOAT), .compute = zeros_like },
    { "OnesLike", "GPU", TFC_TYPE_BIT(TF_FLOAT), .compute = ones_like },
    { 0 },
};
