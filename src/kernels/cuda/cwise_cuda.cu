// cwise_cuda: element-wise float kernels (see cwise_launch.h). One grid-stride kernel per family,
// the op chosen by a template parameter so each instantiation is a straight-line loop.
#include "kernels/cuda/cwise_launch.h"

#include <math.h>

#include "kernels/cuda/grid.h"

namespace {

constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;

template <tfc_gpu_binary_op OP>
__device__ float binary(float a, float b)
{
    switch (OP) {
    case TFC_GPU_ADD: return a + b;
    case TFC_GPU_SUB: return a - b;
    case TFC_GPU_MUL: return a * b;
    case TFC_GPU_DIV: return a / b;
    case TFC_GPU_MAX: return a < b ? b : b != b ? b : a; // a NaN in either gives NaN, as on the CPU
    case TFC_GPU_MIN: return b < a ? b : b != b ? b : a;
    case TFC_GPU_SQDIFF: return (a - b) * (a - b);
    case TFC_GPU_RELU_GRAD: return a * (float)(b > 0);
    case TFC_GPU_RELU6_GRAD: return a * (float)(b > 0 && b < 6);
    case TFC_GPU_SOFTPLUS_GRAD: return a / (expf(-b) + 1.0f);
    case TFC_GPU_SOFTSIGN_GRAD: return a / ((fabsf(b) + 1.0f) * (fabsf(b) + 1.0f));
    case TFC_GPU_ELU_GRAD: return b < 0 ? (b + 1.0f) * a : a;
    case TFC_GPU_SELU_GRAD: return b < 0 ? a * (b + (float)(kSeluScale * kSeluAlpha)) : a * (float)kSeluScale;
    case TFC_GPU_POW: return powf(a, b);
    case TFC_GPU_FLOOR_DIV: return floorf(a / b);
    case TFC_GPU_FLOOR_MOD: { // as TensorFlow: the remainder takes the divisor's sign
        float r = fmodf(a, b);
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
    }
    }
    return 0;
}

template <tfc_gpu_binary_op OP>
__global__ void binary_kernel(const float *a, const float *b, float *z, tfc_gpu_bcast g)
{
    TFC_GPU_FOR(i, g.n) {
        int64_t oa, ob;
        tfc_gpu_bcast_at(g, i, &oa, &ob);
        z[i] = binary<OP>(a[oa], b[ob]);
    }
}

template <tfc_gpu_unary_op OP>
__device__ float unary(float x)
{
    switch (OP) {
    case TFC_GPU_RELU: return x < 0 ? 0.0f : x;
    case TFC_GPU_TANH: return tanhf(x);
    case TFC_GPU_SIGMOID: return 1.0f / (1.0f + expf(-x));
    case TFC_GPU_NEG: return -x;
    case TFC_GPU_EXP: return expf(x);
    case TFC_GPU_LOG: return logf(x);
    case TFC_GPU_SQRT: return sqrtf(x);
    case TFC_GPU_RSQRT: return rsqrtf(x);
    case TFC_GPU_SQUARE: return x * x;
    case TFC_GPU_ABS: return fabsf(x);
    case TFC_GPU_FLOOR: return floorf(x);
    case TFC_GPU_CEIL: return ceilf(x);
    case TFC_GPU_ROUND: return rintf(x); // half to even, as TensorFlow's Round
    case TFC_GPU_SIGN: return x != x ? x : (float)((x > 0) - (x < 0));
    case TFC_GPU_RECIPROCAL: return 1.0f / x;
    case TFC_GPU_LOG1P: return log1pf(x);
    case TFC_GPU_SIN: return sinf(x);
    case TFC_GPU_COS: return cosf(x);
    case TFC_GPU_ERF: return erff(x);
    case TFC_GPU_RELU6: return x < 0 ? 0.0f : x > 6 ? 6.0f : x;
    case TFC_GPU_ELU: return x < 0 ? expm1f(x) : x;
    case TFC_GPU_SELU: return x < 0 ? (float)(kSeluScale * kSeluAlpha) * expm1f(x) : (float)kSeluScale * x;
    case TFC_GPU_SOFTPLUS: // TensorFlow's thresholds: log(FLT_EPSILON) + 2
        return x > 13.942385f ? x : x < -13.942385f ? expf(x) : log1pf(expf(x));
    case TFC_GPU_SOFTSIGN: return x / (fabsf(x) + 1.0f);
    }
    return 0;
}

template <tfc_gpu_unary_op OP>
__global__ void unary_kernel(const float *x, float *y, int64_t n)
{
    TFC_GPU_FOR(i, n)
        y[i] = unary<OP>(x[i]);
}

template <tfc_gpu_binary_op OP>
cudaError_t launch_binary(const float *a, const float *b, float *z, const tfc_gpu_bcast &g, cudaStream_t s)
{
    binary_kernel<OP><<<tfc_gpu_blocks_for(g.n), TFC_GPU_THREADS, 0, s>>>(a, b, z, g);
    return cudaGetLastError();
}

template <tfc_gpu_unary_op OP>
cudaError_t launch_unary(const float *x, float *y, int64_t n, cudaStream_t s)
{
    unary_kernel<OP><<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>(x, y, n);
    return cudaGetLastError();
}

__global__ void fill_kernel(float *y, float v, int64_t n)
{
    TFC_GPU_FOR(i, n)
        y[i] = v;
}

__global__ void leaky_relu_kernel(const float *x, float *y, int64_t n, float alpha)
{
    TFC_GPU_FOR(i, n) y[i] = x[i] > 0 ? x[i] : x[i] * alpha;
}

__global__ void leaky_relu_grad_kernel(const float *g, const float *x, float *y, int64_t n, float alpha)
{
    TFC_GPU_FOR(i, n) y[i] = x[i] > 0 ? g[i] : g[i] * alpha;
}

} // namespace

extern "C" cudaError_t tfc_gpu_leaky_relu_f32(const float *x, float *y, int64_t n, float alpha, cudaStream_t s)
{
    if (n <= 0) return cudaSuccess;
    leaky_relu_kernel<<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>(x, y, n, alpha);
    return cudaGetLastError();
}

extern "C" cudaError_t tfc_gpu_leaky_relu_grad_f32(const float *g, const float *x, float *y, int64_t n, float alpha,
                                                   cudaStream_t s)
{
    if (n <= 0) return cudaSuccess;
    leaky_relu_grad_kernel<<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>(g, x, y, n, alpha);
    return cudaGetLastError();
}

extern "C" cudaError_t tfc_gpu_fill_f32(float *y, float v, int64_t n, cudaStream_t s)
{
    if (n <= 0) return cudaSuccess;
    fill_kernel<<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>(y, v, n);
    return cudaGetLastError();
}

extern "C" cudaError_t tfc_gpu_binary_f32(tfc_gpu_binary_op op, const float *a, const float *b, float *z,
                                          tfc_gpu_bcast g, cudaStream_t s)
{
    if (g.n <= 0) return cudaSuccess;
    switch (op) {
    case TFC_GPU_ADD: return launch_binary<TFC_GPU_ADD>(a, b, z, g, s);
    case TFC_GPU_SUB: return launch_binary<TFC_GPU_SUB>(a, b, z, g, s);
    case TFC_GPU_MUL: return launch_binary<TFC_GPU_MUL>(a, b, z, g, s);
    case TFC_GPU_DIV: return launch_binary<TFC_GPU_DIV>(a, b, z, g, s);
    case TFC_GPU_MAX: return launch_binary<TFC_GPU_MAX>(a, b, z, g, s);
    case TFC_GPU_MIN: return launch_binary<TFC_GPU_MIN>(a, b, z, g, s);
    case TFC_GPU_SQDIFF: return launch_binary<TFC_GPU_SQDIFF>(a, b, z, g, s);
    case TFC_GPU_RELU_GRAD: return launch_binary<TFC_GPU_RELU_GRAD>(a, b, z, g, s);
    case TFC_GPU_RELU6_GRAD: return launch_binary<TFC_GPU_RELU6_GRAD>(a, b, z, g, s);
    case TFC_GPU_SOFTPLUS_GRAD: return launch_binary<TFC_GPU_SOFTPLUS_GRAD>(a, b, z, g, s);
    case TFC_GPU_SOFTSIGN_GRAD: return launch_binary<TFC_GPU_SOFTSIGN_GRAD>(a, b, z, g, s);
    case TFC_GPU_ELU_GRAD: return launch_binary<TFC_GPU_ELU_GRAD>(a, b, z, g, s);
    case TFC_GPU_SELU_GRAD: return launch_binary<TFC_GPU_SELU_GRAD>(a, b, z, g, s);
    case TFC_GPU_POW: return launch_binary<TFC_GPU_POW>(a, b, z, g, s);
    case TFC_GPU_FLOOR_DIV: return launch_binary<TFC_GPU_FLOOR_DIV>(a, b, z, g, s);
    case TFC_GPU_FLOOR_MOD: return launch_binary<TFC_GPU_FLOOR_MOD>(a, b, z, g, s);
    }
    return cudaErrorInvalidValue;
}

extern "C" cudaError_t tfc_gpu_unary_f32(tfc_gpu_unary_op op, const float *x, float *y, int64_t n, cudaStream_t s)
{
    if (n <= 0) return cudaSuccess;
    switch (op) {
    case TFC_GPU_RELU: return launch_unary<TFC_GPU_RELU>(x, y, n, s);
    case TFC_GPU_TANH: return launch_unary<TFC_GPU_TANH>(x, y, n, s);
    case TFC_GPU_SIGMOID: return launch_unary<TFC_GPU_SIGMOID>(x, y, n, s);
    case TFC_GPU_NEG: return launch_unary<TFC_GPU_NEG>(x, y, n, s);
    case TFC_GPU_EXP: return launch_unary<TFC_GPU_EXP>(x, y, n, s);
    case TFC_GPU_LOG: return launch_unary<TFC_GPU_LOG>(x, y, n, s);
    case TFC_GPU_SQRT: return launch_unary<TFC_GPU_SQRT>(x, y, n, s);
    case TFC_GPU_RSQRT: return launch_unary<TFC_GPU_RSQRT>(x, y, n, s);
    case TFC_GPU_SQUARE: return launch_unary<TFC_GPU_SQUARE>(x, y, n, s);
    case TFC_GPU_ABS: return launch_unary<TFC_GPU_ABS>(x, y, n, s);
    case TFC_GPU_FLOOR: return launch_unary<TFC_GPU_FLOOR>(x, y, n, s);
    case TFC_GPU_CEIL: return launch_unary<TFC_GPU_CEIL>(x, y, n, s);
    case TFC_GPU_ROUND: return launch_unary<TFC_GPU_ROUND>(x, y, n, s);
    case TFC_GPU_SIGN: return launch_unary<TFC_GPU_SIGN>(x, y, n, s);
    case TFC_GPU_RECIPROCAL: return launch_unary<TFC_GPU_RECIPROCAL>(x, y, n, s);
    case TFC_GPU_LOG1P: return launch_unary<TFC_GPU_LOG1P>(x, y, n, s);
    case TFC_GPU_SIN: return launch_unary<TFC_GPU_SIN>(x, y, n, s);
    case TFC_GPU_COS: return launch_unary<TFC_GPU_COS>(x, y, n, s);
    case TFC_GPU_ERF: return launch_unary<TFC_GPU_ERF>(x, y, n, s);
    case TFC_GPU_RELU6: return launch_unary<TFC_GPU_RELU6>(x, y, n, s);
    case TFC_GPU_ELU: return launch_unary<TFC_GPU_ELU>(x, y, n, s);
    case TFC_GPU_SELU: return launch_unary<TFC_GPU_SELU>(x, y, n, s);
    case TFC_GPU_SOFTPLUS: return launch_unary<TFC_GPU_SOFTPLUS>(x, y, n, s);
    case TFC_GPU_SOFTSIGN: return launch_unary<TFC_GPU_SOFTSIGN>(x, y, n, s);
    }
    return cudaErrorInvalidValue;
}
