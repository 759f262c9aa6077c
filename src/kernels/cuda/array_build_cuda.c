/* array_build_cuda: the tensor-building ops on the GPU. ZerosLike and OnesLike (float): a memset
 * and a fill kernel, into the input's buffer when the executor lets the kernel take it. Fill and
 * OneHot (float, double): their shape, depth and value inputs are host inputs, checked as the CPU
 * checks them (kernels/array_build_check.h) and passed to the kernel by value; OneHot's indices
 * are data, read on the device, and an out-of-range index gives off_value everywhere, as in
 * TensorFlow. */
#include <string.h>

#include "kernels/array_build_check.h"
#include "kernels/cuda/array_build_launch.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/cwise_launch.h"
#include "kernels/kernel.h"

static void launch_error(tfc_kernel_ctx *k, cudaError_t e)
{
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

static void fill_like(tfc_kernel_ctx *k, float v)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y) || y->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    launch_error(k, v == 0 ? cudaMemsetAsync(tfc_tensor_data(y), 0, y->nbytes, d->compute) /* all-zero bits: 0.0f */
                           : tfc_gpu_fill_f32(tfc_tensor_data(y), v, y->nelems, d->compute));
}

static void zeros_like(tfc_kernel_ctx *k) { fill_like(k, 0); }
static void ones_like(tfc_kernel_ctx *k) { fill_like(k, 1); }

/* The bits of a host scalar t of at most 8 bytes, in the low bytes of the word. */
static uint64_t host_scalar_bits(const TF_Tensor *t)
{
    uint64_t bits = 0;
    size_t n = t->nbytes < sizeof bits ? t->nbytes : sizeof bits;
    memcpy(&bits, tfc_tensor_data(t), n); /* little-endian: the low bytes */
    return bits;
}

static void fill(tfc_kernel_ctx *k)
{
    int64_t dims[TFC_MAX_RANK];
    int rank;
    TF_Tensor *y;
    if (!tfc_fill_check(k, dims, &rank) || tfc_kernel_alloc_output(k, 0, dims, rank, &y) || y->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, "Fill")) return;
    launch_error(k, tfc_gpu_fill_bits(tfc_tensor_data(y), host_scalar_bits(tfc_kernel_input(k, 1)),
                                      tfc_dtype_elem_size(y->dtype), y->nelems, d->compute));
}

static void one_hot(tfc_kernel_ctx *k)
{
    int64_t dims[TFC_MAX_RANK], depth, suffix;
    int rank;
    TF_Tensor *y;
    if (!tfc_one_hot_check(k, dims, &rank, &depth, &suffix) || tfc_kernel_alloc_output(k, 0, dims, rank, &y) ||
        y->nelems == 0)
        return;
    const TF_Tensor *indices = tfc_kernel_input(k, 0);
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, "OneHot")) return;
    launch_error(k, tfc_gpu_one_hot(tfc_tensor_data(y), tfc_dtype_elem_size(y->dtype),
                                    host_scalar_bits(tfc_kernel_input(k, 2)), host_scalar_bits(tfc_kernel_input(k, 3)),
                                    tfc_tensor_data(indices), indices->dtype, depth, suffix, y->nelems, d->compute));
}

#define F32 TFC_TYPE_BIT(TF_FLOAT)
#define FLOATS (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
const tfc_kernel_def tfc_gpu_array_build_kernels[] = {
    { "ZerosLike", "GPU", F32, .compute = zeros_like },
    { "OnesLike", "GPU", F32, .compute = ones_like },
    { "Fill", "GPU", FLOATS, .host_inputs = 3u, .compute = fill },
    { "OneHot", "GPU", FLOATS, .host_inputs = 7u << 1, .init = tfc_one_hot_init, .compute = one_hot },
    { 0 },
};
