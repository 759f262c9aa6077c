/* cwise_cuda: GPU kernels of the float element-wise ops — binary ones with NumPy broadcasting
 * (shapes checked and collapsed by the CPU kernels' tfc_bcast, so messages match) and unary ones —
 * launched on the device's compute stream (cwise_cuda.cu). */
#include <string.h>

#include "kernels/cpu/broadcast.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/cwise_launch.h"
#include "kernels/kernel.h"

static void launch_error(tfc_kernel_ctx *k, cudaError_t e)
{
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

static void binary(tfc_kernel_ctx *k, tfc_gpu_binary_op op)
{
    tfc_bcast b;
    if (!tfc_binary_prepare(k, TF_FLOAT, TF_FLOAT, &b, NULL)) return;
    if (b.rank > TFC_GPU_BCAST_RANK) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "broadcasting over %d dimensions that do not merge (the GPU does %d)",
                         b.rank, TFC_GPU_BCAST_RANK);
        return;
    }
    TF_Tensor *z;
    int fwd = tfc_forwardable_input(k, b.out_dims, b.out_rank);
    if (tfc_kernel_forward_or_alloc(k, fwd, 0, b.out_dims, b.out_rank, &z) || b.out_count <= 0) return;
    tfc_gpu_bcast g = { .rank = b.rank, .n = b.out_count };
    for (int d = 0; d < b.rank; d++) {
        g.dims[d] = b.dims[d];
        g.sa[d] = b.strides[0][d];
        g.sb[d] = b.strides[1][d];
    }
    tfc_cuda *c = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(c, k->status, "element-wise")) return;
    launch_error(k, tfc_gpu_binary_f32(op, tfc_tensor_data(tfc_kernel_input(k, 0)),
                                       tfc_tensor_data(tfc_kernel_input(k, 1)), tfc_tensor_data(z), g, c->compute));
}

static void unary(tfc_kernel_ctx *k, tfc_gpu_unary_op op)
{
    if (!tfc_cwise_check(k, 1, TF_FLOAT, TF_FLOAT)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y) || x->nelems == 0) return;
    tfc_cuda *c = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(c, k->status, "element-wise")) return;
    launch_error(k, tfc_gpu_unary_f32(op, tfc_tensor_data(x), tfc_tensor_data(y), x->nelems, c->compute));
}

#define BINARY(fn, OP) static void fn(tfc_kernel_ctx *k) { binary(k, OP); }
#define UNARY(fn, OP) static void fn(tfc_kernel_ctx *k) { unary(k, OP); }
BINARY(add, TFC_GPU_ADD)
BINARY(sub, TFC_GPU_SUB)
BINARY(mul, TFC_GPU_MUL)
BINARY(div_, TFC_GPU_DIV)
BINARY(max_, TFC_GPU_MAX)
BINARY(min_, TFC_GPU_MIN)
BINARY(sqdiff, TFC_GPU_SQDIFF)
BINARY(relu_grad, TFC_GPU_RELU_GRAD)
UNARY(relu, TFC_GPU_RELU)
UNARY(tanh_, TFC_GPU_TANH)
UNARY(sigmoid, TFC_GPU_SIGMOID)
UNARY(neg, TFC_GPU_NEG)
UNARY(exp_, TFC_GPU_EXP)
UNARY(log_, TFC_GPU_LOG)
UNARY(sqrt_, TFC_GPU_SQRT)
UNARY(rsqrt, TFC_GPU_RSQRT)
UNARY(square, TFC_GPU_SQUARE)
UNARY(abs_, TFC_GPU_ABS)

#define F32 TFC_TYPE_BIT(TF_FLOAT)
const tfc_kernel_def tfc_gpu_cwise_kernels[] = {
    { "AddV2", "GPU", F32, .compute = add },
    { "Add", "GPU", F32, .compute = add },
    { "Sub", "GPU", F32, .compute = sub },
    { "Mul", "GPU", F32, .compute = mul },
    { "RealDiv", "GPU", F32, .compute = div_ },
    { "Maximum", "GPU", F32, .compute = max_ },
    { "Minimum", "GPU", F32, .compute = min_ },
    { "SquaredDifference", "GPU", F32, .compute = sqdiff },
    { "ReluGrad", "GPU", F32, .compute = relu_grad },
    { "Relu", "GPU", F32, .compute = relu },
    { "Tanh", "GPU", F32, .compute = tanh_ },
    { "Sigmoid", "GPU", F32, .compute = sigmoid },
    { "Neg", "GPU", F32, .compute = neg },
    { "Exp", "GPU", F32, .compute = exp_ },
    { "Log", "GPU", F32, .compute = log_ },
    { "Sqrt", "GPU", F32, .compute = sqrt_ },
    { "Rsqrt", "GPU", F32, .compute = rsqrt },
    { "Square", "GPU", F32, .compute = square },
    { "Abs", "GPU", F32, .compute = abs_ },
    { 0 },
};
