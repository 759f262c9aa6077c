/* cwise_launch: the GPU's element-wise broadcast machinery: the extern "C" launchers of
 * cwise_cuda.cu (element-wise float kernels) and compare_cuda.cu (comparisons, bool output), the
 * host-side preparation of a broadcast they share (tfc_gpu_binary_prepare, in cwise_cuda.c), and,
 * for .cu files, the device-side index arithmetic (tfc_gpu_bcast_at). Each launcher queues one
 * grid-stride kernel on `stream` and returns the launch error. */
#ifndef TFC_KERNELS_CUDA_CWISE_LAUNCH_H_
#define TFC_KERNELS_CUDA_CWISE_LAUNCH_H_
#include <stdbool.h>
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "tfc/c_api.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TFC_GPU_BCAST_RANK 8

/* A collapsed broadcast (kernels/cpu/broadcast.h's tfc_bcast) small enough to pass by value:
 * output element i, written in the mixed radix dims[0..rank), reads a at sum(digit * sa) and b at
 * sum(digit * sb). */
typedef struct tfc_gpu_bcast {
    int rank;
    int64_t n; /* output elements */
    int64_t dims[TFC_GPU_BCAST_RANK], sa[TFC_GPU_BCAST_RANK], sb[TFC_GPU_BCAST_RANK];
} tfc_gpu_bcast;

struct tfc_kernel_ctx;
struct tfc_bcast;
/* tfc_binary_prepare (kernels/cpu/broadcast.h: the CPU's checks and messages) for a GPU kernel:
 * also refuses a broadcast that does not collapse to TFC_GPU_BCAST_RANK dims (UNIMPLEMENTED) and
 * fills *g from *b. When *incompatible is set (incompatible not NULL), *b and *g are not filled. */
bool tfc_gpu_binary_prepare(struct tfc_kernel_ctx *k, TF_DataType dtype, TF_DataType out, struct tfc_bcast *b,
                            tfc_gpu_bcast *g, bool *incompatible);

typedef enum tfc_gpu_binary_op {
    TFC_GPU_ADD, TFC_GPU_SUB, TFC_GPU_MUL, TFC_GPU_DIV, TFC_GPU_MAX, TFC_GPU_MIN, TFC_GPU_SQDIFF,
    TFC_GPU_RELU_GRAD, /* ReluGrad(gradients a, features b) */
    TFC_GPU_RELU6_GRAD, TFC_GPU_SOFTPLUS_GRAD, TFC_GPU_SOFTSIGN_GRAD, /* (gradients a, features b) */
    TFC_GPU_ELU_GRAD, TFC_GPU_SELU_GRAD,                               /* (gradients a, outputs b) */
    TFC_GPU_POW, TFC_GPU_FLOOR_DIV, TFC_GPU_FLOOR_MOD,
} tfc_gpu_binary_op;

typedef enum tfc_gpu_unary_op {
    TFC_GPU_RELU, TFC_GPU_TANH, TFC_GPU_SIGMOID, TFC_GPU_NEG, TFC_GPU_EXP, TFC_GPU_LOG, TFC_GPU_SQRT,
    TFC_GPU_RSQRT, TFC_GPU_SQUARE, TFC_GPU_ABS, TFC_GPU_FLOOR, TFC_GPU_CEIL, TFC_GPU_ROUND, TFC_GPU_SIGN,
    TFC_GPU_RECIPROCAL, TFC_GPU_LOG1P, TFC_GPU_SIN, TFC_GPU_COS, TFC_GPU_ERF, TFC_GPU_RELU6, TFC_GPU_ELU,
    TFC_GPU_SELU, TFC_GPU_SOFTPLUS, TFC_GPU_SOFTSIGN,
} tfc_gpu_unary_op;

typedef enum tfc_gpu_compare_op {
    TFC_GPU_EQUAL, TFC_GPU_NOT_EQUAL, TFC_GPU_LESS, TFC_GPU_LESS_EQUAL, TFC_GPU_GREATER, TFC_GPU_GREATER_EQUAL,
} tfc_gpu_compare_op;

/* z = (a op b) as bools (one byte, 0 or 1) for inputs of dtype float, double or int64; NaN compares
 * unequal to everything, as IEEE says. cudaErrorInvalidValue for another dtype. */
cudaError_t tfc_gpu_compare(tfc_gpu_compare_op op, TF_DataType dtype, const void *a, const void *b, uint8_t *z,
                            tfc_gpu_bcast g, cudaStream_t stream);
cudaError_t tfc_gpu_binary_f32(tfc_gpu_binary_op op, const float *a, const float *b, float *z, tfc_gpu_bcast g,
                               cudaStream_t stream);
/* y[0..n) = v. */
cudaError_t tfc_gpu_fill_f32(float *y, float v, int64_t n, cudaStream_t stream);
cudaError_t tfc_gpu_unary_f32(tfc_gpu_unary_op op, const float *x, float *y, int64_t n, cudaStream_t stream);
/* LeakyRelu(x) with its alpha; LeakyReluGrad(gradients g, features x). */
cudaError_t tfc_gpu_leaky_relu_f32(const float *x, float *y, int64_t n, float alpha, cudaStream_t stream);
cudaError_t tfc_gpu_leaky_relu_grad_f32(const float *g, const float *x, float *y, int64_t n, float alpha,
                                        cudaStream_t stream);

#ifdef __cplusplus
}
#endif

#ifdef __CUDACC__
/* Where output element i of g reads: a at *oa, b at *ob (i written in the mixed radix g.dims). */
static __device__ __forceinline__ void tfc_gpu_bcast_at(const tfc_gpu_bcast &g, int64_t i, int64_t *oa, int64_t *ob)
{
    int64_t rest = i, a = 0, b = 0;
    for (int d = g.rank - 1; d >= 0; d--) {
        int64_t digit = rest % g.dims[d];
        rest /= g.dims[d];
        a += digit * g.sa[d];
        b += digit * g.sb[d];
    }
    *oa = a;
    *ob = b;
}
#endif
#endif
