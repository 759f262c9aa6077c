/* cwise_cuda: GPU kernels of the float element-wise ops — binary ones with NumPy broadcasting
 * (shapes checked and collapsed by the CPU kernels' tfc_bcast, so messages match; the preparation,
 * tfc_gpu_binary_prepare, is shared with compare_cuda.c), the activations and their gradients
 * (same shapes, as the CPU checks) and the other unary ones — launched on the device's compute
 * stream (cwise_cuda.cu). */
#include <string.h>

#include "core/alloc.h"
#include "kernels/cpu/broadcast.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/cwise_launch.h"
#include "kernels/kernel.h"

static void launch_error(tfc_kernel_ctx *k, cudaError_t e)
{
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

bool tfc_gpu_binary_prepare(tfc_kernel_ctx *k, TF_DataType dtype, TF_DataType out, tfc_bcast *b, tfc_gpu_bcast *g,
                            bool *incompatible)
{
    if (!tfc_binary_prepare(k, dtype, out, b, incompatible)) return false;
    if (incompatible && *incompatible) return true;
    if (b->rank > TFC_GPU_BCAST_RANK) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "broadcasting over %d dimensions that do not merge (the GPU does %d)",
                         b->rank, TFC_GPU_BCAST_RANK);
        return false;
    }
    *g = (tfc_gpu_bcast){ .rank = b->rank, .n = b->out_count };
    for (int d = 0; d < b->rank; d++) {
        g->dims[d] = b->dims[d];
        g->sa[d] = b->strides[0][d];
        g->sb[d] = b->strides[1][d];
    }
    return true;
}

static void binary(tfc_kernel_ctx *k, tfc_gpu_binary_op op)
{
    tfc_bcast b;
    tfc_gpu_bcast g;
    if (!tfc_gpu_binary_prepare(k, TF_FLOAT, TF_FLOAT, &b, &g, NULL)) return;
    TF_Tensor *z;
    int fwd = tfc_forwardable_input(k, b.out_dims, b.out_rank);
    if (tfc_kernel_forward_or_alloc(k, fwd, 0, b.out_dims, b.out_rank, &z) || b.out_count <= 0) return;
    tfc_cuda *c = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(c, k->status, "element-wise")) return;
    launch_error(k, tfc_gpu_binary_f32(op, tfc_tensor_data(tfc_kernel_input(k, 0)),
                                       tfc_tensor_data(tfc_kernel_input(k, 1)), tfc_tensor_data(z), g, c->compute));
}

/* The activation gradients (gradients, features or outputs): same shapes, no broadcasting. */
static void gradient(tfc_kernel_ctx *k, tfc_gpu_binary_op op)
{
    if (!tfc_cwise_check(k, 2, TF_FLOAT, TF_FLOAT) || !tfc_cwise_same_shape(k, 0, 1)) return;
    const TF_Tensor *g = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, g->dims, g->ndims, &y) || g->nelems == 0) return;
    tfc_gpu_bcast b = { .rank = 1, .n = g->nelems, .dims = { g->nelems }, .sa = { 1 }, .sb = { 1 } };
    tfc_cuda *c = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(c, k->status, k->op_type)) return;
    launch_error(k, tfc_gpu_binary_f32(op, tfc_tensor_data(g), tfc_tensor_data(tfc_kernel_input(k, 1)),
                                       tfc_tensor_data(y), b, c->compute));
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
#define GRADIENT(fn, OP) static void fn(tfc_kernel_ctx *k) { gradient(k, OP); }
BINARY(add, TFC_GPU_ADD)
BINARY(sub, TFC_GPU_SUB)
BINARY(mul, TFC_GPU_MUL)
BINARY(div_, TFC_GPU_DIV)
BINARY(max_, TFC_GPU_MAX)
BINARY(min_, TFC_GPU_MIN)
BINARY(sqdiff, TFC_GPU_SQDIFF)
GRADIENT(relu_grad, TFC_GPU_RELU_GRAD)
GRADIENT(relu6_grad, TFC_GPU_RELU6_GRAD)
GRADIENT(softplus_grad, TFC_GPU_SOFTPLUS_GRAD)
GRADIENT(softsign_grad, TFC_GPU_SOFTSIGN_GRAD)
GRADIENT(elu_grad, TFC_GPU_ELU_GRAD)
GRADIENT(selu_grad, TFC_GPU_SELU_GRAD)
BINARY(pow_, TFC_GPU_POW)
BINARY(floor_div, TFC_GPU_FLOOR_DIV)
BINARY(floor_mod, TFC_GPU_FLOOR_MOD)
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
UNARY(floor_, TFC_GPU_FLOOR)
UNARY(ceil_, TFC_GPU_CEIL)
UNARY(round_, TFC_GPU_ROUND)
UNARY(sign, TFC_GPU_SIGN)
UNARY(reciprocal, TFC_GPU_RECIPROCAL)
UNARY(log1p_, TFC_GPU_LOG1P)
UNARY(sin_, TFC_GPU_SIN)
UNARY(cos_, TFC_GPU_COS)
UNARY(erf_, TFC_GPU_ERF)
UNARY(relu6, TFC_GPU_RELU6)
UNARY(elu, TFC_GPU_ELU)
UNARY(selu, TFC_GPU_SELU)
UNARY(softplus, TFC_GPU_SOFTPLUS)
UNARY(softsign, TFC_GPU_SOFTSIGN)

static TF_Code alpha_init(const tfc_kernel_init_ctx *c, void **state)
{
    float *alpha = tfc_malloc(sizeof *alpha);
    if (!alpha) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *alpha = tfc_attrs_float(c->attrs, "alpha", 0.2f);
    *state = alpha;
    return TF_OK;
}

static void leaky_relu(tfc_kernel_ctx *k)
{
    if (!tfc_cwise_check(k, 1, TF_FLOAT, TF_FLOAT)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y) || x->nelems == 0) return;
    tfc_cuda *c = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(c, k->status, k->op_type)) return;
    launch_error(k, tfc_gpu_leaky_relu_f32(tfc_tensor_data(x), tfc_tensor_data(y), x->nelems,
                                           *(const float *)tfc_kernel_state(k), c->compute));
}

/* LeakyReluGrad(gradients, features): same shapes, as the CPU kernel checks. */
static void leaky_relu_grad(tfc_kernel_ctx *k)
{
    if (!tfc_cwise_check(k, 2, TF_FLOAT, TF_FLOAT) || !tfc_cwise_same_shape(k, 0, 1)) return;
    const TF_Tensor *g = tfc_kernel_input(k, 0), *x = tfc_kernel_input(k, 1);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, g->dims, g->ndims, &y) || g->nelems == 0) return;
    tfc_cuda *c = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(c, k->status, k->op_type)) return;
    launch_error(k, tfc_gpu_leaky_relu_grad_f32(tfc_tensor_data(g), tfc_tensor_data(x), tfc_tensor_data(y),
                                                g->nelems, *(const float *)tfc_kernel_state(k), c->compute));
}

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
    { "Relu6Grad", "GPU", F32, .compute = relu6_grad },
    { "SoftplusGrad", "GPU", F32, .compute = softplus_grad },
    { "SoftsignGrad", "GPU", F32, .compute = softsign_grad },
    { "EluGrad", "GPU", F32, .compute = elu_grad },
    { "SeluGrad", "GPU", F32, .compute = selu_grad },
    { "LeakyReluGrad", "GPU", F32, .init = alpha_init, .free_state = tfc_free, .compute = leaky_relu_grad },
    { "Pow", "GPU", F32, .compute = pow_ },
    { "Div", "GPU", F32, .compute = div_ },
    { "FloorDiv", "GPU", F32, .compute = floor_div },
    { "FloorMod", "GPU", F32, .compute = floor_mod },
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
    { "Floor", "GPU", F32, .compute = floor_ },
    { "Ceil", "GPU", F32, .compute = ceil_ },
    { "Round", "GPU", F32, .compute = round_ },
    { "Sign", "GPU", F32, .compute = sign },
    { "Reciprocal", "GPU", F32, .compute = reciprocal },
    { "Log1p", "GPU", F32, .compute = log1p_ },
    { "Sin", "GPU", F32, .compute = sin_ },
    { "Cos", "GPU", F32, .compute = cos_ },
    { "Erf", "GPU", F32, .compute = erf_ },
    { "Relu6", "GPU", F32, .compute = relu6 },
    { "Elu", "GPU", F32, .compute = elu },
    { "Selu", "GPU", F32, .compute = selu },
    { "Softplus", "GPU", F32, .compute = softplus },
    { "Softsign", "GPU", F32, .compute = softsign },
    { "LeakyRelu", "GPU", F32, .init = alpha_init, .free_state = tfc_free, .compute = leaky_relu },
    { 0 },
};
