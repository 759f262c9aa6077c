/* pool_cuda: MaxPool (float, double, int8/16/32/64, uint8/16; spatial or depthwise), AvgPool,
 * MaxPoolGrad and AvgPoolGrad (float, double) on the GPU, in NHWC and NCHW, with VALID, SAME and
 * (MaxPool, MaxPoolGrad) EXPLICIT padding. The kernels are our own (pool_cuda.cu: exact for
 * TensorFlow's asymmetric SAME padding, which cuDNN cannot express); the checks and messages are the
 * CPU kernels' (pool_check.h), except that NCHW is taken, as TensorFlow's GPU kernels take it.
 * AvgPoolGrad's orig_input_shape stays on the host. */
#include <string.h>

#include "core/alloc.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/pool_launch.h"
#include "kernels/kernel.h"
#include "kernels/pool_check.h"

static TF_Code pool_init(const tfc_kernel_init_ctx *c, void **state) { return tfc_pool_init(c, true, state); }

static void report(tfc_kernel_ctx *k, cudaError_t e)
{
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

static void pool_compute(tfc_kernel_ctx *k)
{
    const tfc_pool_params *p = tfc_kernel_state(k);
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    tfc_pool_geom g;
    int64_t dims[4];
    if (!tfc_pool_check(k, p, &g)) return;
    tfc_pool_out_dims(p, &g, dims);
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, 4, &out) || out->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    report(k, tfc_gpu_pool(!strcmp(k->op_type, "MaxPool"), in->dtype, p, &g, tfc_tensor_data(in), tfc_tensor_data(out),
                           d->compute));
}

static void pool_grad_compute(tfc_kernel_ctx *k)
{
    const tfc_pool_params *p = tfc_kernel_state(k);
    bool is_max = !strcmp(k->op_type, "MaxPoolGrad");
    tfc_pool_geom g;
    int64_t dims[4];
    if (!tfc_pool_grad_check(k, p, &g, dims)) return;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, 4, &out) || out->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    /* Every element of dx is written (0 where no window credits it): no memset. */
    const void *x = is_max ? tfc_tensor_data(tfc_kernel_input(k, 0)) : NULL;
    const void *dy = tfc_tensor_data(tfc_kernel_input(k, is_max ? 2 : 1));
    report(k, tfc_gpu_pool_grad(is_max, k->output_types[0], p, &g, x, dy, tfc_tensor_data(out), d->compute));
}

#define F32_F64 (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
const tfc_kernel_def tfc_gpu_pool_kernels[] = {
    { "MaxPool", "GPU", TFC_MAXPOOL_KERNEL_TYPES, .init = pool_init, .free_state = tfc_free, .compute = pool_compute },
    { "AvgPool", "GPU", F32_F64, .init = pool_init, .free_state = tfc_free, .compute = pool_compute },
    { "MaxPoolGrad", "GPU", F32_F64, .init = pool_init, .free_state = tfc_free, .compute = pool_grad_compute },
    { "AvgPoolGrad", "GPU", F32_F64, .host_inputs = 1, /* orig_input_shape */
      .init = pool_init, .free_state = tfc_free, .compute = pool_grad_compute },
    { 0 },
};
