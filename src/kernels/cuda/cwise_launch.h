/* cwise_launch: the extern "C" launchers of cwise_cuda.cu (element-wise float kernels), called from
 * cwise_cuda.c. Each queues one grid-stride kernel on `stream` and returns the launch error. */
#ifndef TFC_KERNELS_CUDA_CWISE_LAUNCH_H_
#define TFC_KERNELS_CUDA_CWISE_LAUNCH_H_
#include <stdint.h>
#include <cuda_runtime_api.h>

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
#endif
