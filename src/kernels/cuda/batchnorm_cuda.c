/* batchnorm_cuda: FusedBatchNormV3 and FusedBatchNormGradV3 on the GPU (T = U = float), in every
 * data format (NHWC, NCHW, NDHWC, NCDHW), training and inference, with the CPU kernels' checks
 * (batchnorm_check.h) and the CPU kernels' outputs: reserve_space_1/2 are the batch mean and biased
 * variance (what this grad kernel and the CPU's read), reserve_space_3 a scalar 0. The reductions
 * are our own (batchnorm_cuda.cu says why not cuDNN's). Scratch memory comes from the device's
 * stream-ordered pool and goes back as soon as the work is queued. */
#include <limits.h>

#include "core/alloc.h"
#include "kernels/batchnorm_check.h"
#include "kernels/cuda/batchnorm_launch.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/kernel.h"

/* The kernels put the channels on the grid's x axis. */
static bool channels_fit(tfc_kernel_ctx *k, int64_t c)
{
    if (c <= INT_MAX) return true;
    tfc_kernel_error(k, TF_UNIMPLEMENTED, "%lld channels exceed the GPU kernel's limit of %d", (long long)c, INT_MAX);
    return false;
}

/* Scratch memory for the view [outer, c, inner] on d, or NULL with the step error set. */
static void *workspace(tfc_kernel_ctx *k, tfc_cuda *d, int64_t outer, int64_t c, int64_t inner)
{
    void *ws = tfc_cuda_pool_alloc(d->pool, tfc_gpu_bn_workspace_size(outer, c, inner));
    if (!ws) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of GPU memory for the batch norm workspace");
    return ws;
}

static void report(tfc_kernel_ctx *k, cudaError_t e)
{
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

static void bn_compute(tfc_kernel_ctx *k)
{
    const tfc_bn_params *s = tfc_kernel_state(k);
    int64_t outer, c, inner;
    if (!tfc_bn_check(k, s, &outer, &c, &inner) || !channels_fit(k, c)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *t[6];
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &t[0])) return;
    for (int i = 1; i < 5; i++)
        if (tfc_kernel_alloc_output(k, i, (const int64_t[]){c}, 1, &t[i])) return;
    if (tfc_kernel_alloc_output(k, 5, NULL, 0, &t[5])) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    cudaError_t e = cudaMemsetAsync(tfc_tensor_data(t[5]), 0, sizeof(float), d->compute); /* 0.0f */
    if (e != cudaSuccess) {
        tfc_kernel_error(k, TF_INTERNAL, "cudaMemsetAsync failed: %s", cudaGetErrorString(e));
        return;
    }
    void *ws = workspace(k, d, outer, c, inner);
    if (!ws) return;
    tfc_gpu_bn j = {
        .outer = outer, .c = c, .inner = inner, .epsilon = s->epsilon, .factor = s->factor, .training = s->training,
        .x = tfc_tensor_data(x), .scale = tfc_tensor_data(tfc_kernel_input(k, 1)),
        .offset = tfc_tensor_data(tfc_kernel_input(k, 2)), .mean = tfc_tensor_data(tfc_kernel_input(k, 3)),
        .var = tfc_tensor_data(tfc_kernel_input(k, 4)), .y = tfc_tensor_data(t[0]), .batch_mean = tfc_tensor_data(t[1]),
        .batch_var = tfc_tensor_data(t[2]), .saved_mean = tfc_tensor_data(t[3]), .saved_var = tfc_tensor_data(t[4]),
    };
    report(k, tfc_gpu_bn_forward(&j, ws, d->compute));
    tfc_cuda_pool_free(d->pool, ws); /* stream-ordered: the next user runs after these kernels */
}

static void bn_grad_compute(tfc_kernel_ctx *k)
{
    const tfc_bn_params *s = tfc_kernel_state(k);
    int64_t outer, c, inner;
    if (!tfc_bn_grad_check(k, s, &outer, &c, &inner) || !channels_fit(k, c)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 1);
    TF_Tensor *t[5];
    if (tfc_kernel_alloc_output(k, 0, x->dims, x->ndims, &t[0])) return;
    for (int i = 1; i < 5; i++) /* reserve_space_4/5: empty, as TensorFlow makes them */
        if (tfc_kernel_alloc_output(k, i, (const int64_t[]){i < 3 ? c : 0}, 1, &t[i])) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    void *ws = workspace(k, d, outer, c, inner);
    if (!ws) return;
    tfc_gpu_bn_grad j = {
        .outer = outer, .c = c, .inner = inner, .epsilon = s->epsilon, .training = s->training,
        .dy = tfc_tensor_data(tfc_kernel_input(k, 0)), .x = tfc_tensor_data(x),
        .scale = tfc_tensor_data(tfc_kernel_input(k, 2)), .mean = tfc_tensor_data(tfc_kernel_input(k, 3)),
        .var = tfc_tensor_data(tfc_kernel_input(k, 4)), .dx = tfc_tensor_data(t[0]), .dscale = tfc_tensor_data(t[1]),
        .doffset = tfc_tensor_data(t[2]),
    };
    report(k, tfc_gpu_bn_backward(&j, ws, d->compute));
    tfc_cuda_pool_free(d->pool, ws);
}

#define F32 TFC_TYPE_BIT(TF_FLOAT)
const tfc_kernel_def tfc_gpu_batchnorm_kernels[] = {
    { "FusedBatchNormV3", "GPU", F32, .init = tfc_bn_init, .free_state = tfc_free, .compute = bn_compute },
    { "FusedBatchNormGradV3", "GPU", F32, .init = tfc_bn_init, .free_state = tfc_free, .compute = bn_grad_compute },
    { 0 },
};
