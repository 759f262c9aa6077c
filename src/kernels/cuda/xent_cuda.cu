// xent_cuda: the cross-entropy and L2Loss kernels (see xent_launch.h). A cross-entropy block owns
// one row (grid-stride over rows) and makes three passes over it, with the CPU kernel's formulas:
// the max (NaN skipped, as the CPU's `x > m`), the sum of exp(logit - max), then loss and backprop.
// Reductions run in double, in a fixed order (warp shuffles, then one value per warp), so results
// do not depend on timing; the elementwise steps (logit - max, exp) stay in T, as on the CPU.
#include "kernels/cuda/xent_launch.h"

#include <math.h>

#include "kernels/cuda/grid.h"

namespace {

constexpr int kSmallRow = 32;   // threads per row when a row has few classes (MNIST's 10)
constexpr int kLargeRow = 256;  // threads per row otherwise
constexpr int kSmallRowMaxClasses = 256;
constexpr int64_t kMaxGrid = 65535;

__device__ __forceinline__ float exp_of(float x) { return expf(x); }
__device__ __forceinline__ double exp_of(double x) { return exp(x); }

struct Sum {
    __device__ double operator()(double a, double b) const { return a + b; }
};
struct Max { // partial maxima are never NaN (they start at -inf and skip NaN)
    __device__ double operator()(double a, double b) const { return b > a ? b : a; }
};

// The reduction of every thread's v over a block of THREADS (a multiple of 32) threads, returned
// to all of them. scratch: THREADS / 32 shared doubles, free again when this returns.
template <int THREADS, typename Op>
__device__ double block_reduce(double v, Op op, double *scratch)
{
    for (int off = 16; off > 0; off >>= 1) v = op(v, __shfl_down_sync(0xffffffffu, v, off));
    if (THREADS == 32) return __shfl_sync(0xffffffffu, v, 0);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    if (threadIdx.x == 0) {
        v = scratch[0];
        for (int w = 1; w < THREADS / 32; w++) v = op(v, scratch[w]); // the same order every time
        scratch[0] = v;
    }
    __syncthreads();
    v = scratch[0];
    __syncthreads(); // every thread has read it before scratch is reused
    return v;
}

// The row's max (as T) and sum of exp(x - max) (in double), x[j * stride] for j in [0, c).
template <typename T, int THREADS>
__device__ void row_stats(const T *x, int64_t stride, int64_t c, double *scratch, T *max_out, double *sum_out)
{
    double m = -INFINITY;
    for (int64_t j = threadIdx.x; j < c; j += THREADS) {
        double v = (double)x[j * stride];
        m = v > m ? v : m;
    }
    const T mx = (T)block_reduce<THREADS>(m, Max(), scratch); // exact: m is one of the row's T values
    double sum = 0;
    for (int64_t j = threadIdx.x; j < c; j += THREADS) sum += (double)exp_of((T)(x[j * stride] - mx));
    *max_out = mx;
    *sum_out = block_reduce<THREADS>(sum, Sum(), scratch);
}

template <typename T, int THREADS>
__global__ void __launch_bounds__(THREADS) xent_kernel(const T *f, const T *l, T *loss, T *bp, tfc_gpu_xent_geom g)
{
    __shared__ double scratch[THREADS / 32];
    const int64_t c = g.classes;
    for (int64_t r = blockIdx.x; r < g.rows; r += gridDim.x) {
        const T *fr = f + r * g.fs[0], *lr = l + r * g.ls[0];
        T *br = bp + r * c;
        T mx;
        double sum;
        row_stats<T, THREADS>(fr, g.fs[1], c, scratch, &mx, &sum);
        const double lsum = log(sum);
        double acc = 0;
        for (int64_t j = threadIdx.x; j < c; j += THREADS) { // reads element j, then writes it
            const T shifted = (T)(fr[j * g.fs[1]] - mx), label = lr[j * g.ls[1]];
            acc += (double)label * (lsum - (double)shifted);
            br[j] = (T)((double)exp_of(shifted) / sum) - label;
        }
        acc = block_reduce<THREADS>(acc, Sum(), scratch);
        if (threadIdx.x == 0) loss[r] = (T)acc;
    }
}

template <typename T, typename L, int THREADS>
__global__ void __launch_bounds__(THREADS) sparse_xent_kernel(const T *f, const L *labels, T *loss, T *bp,
                                                              int64_t rows, int64_t c)
{
    __shared__ double scratch[THREADS / 32];
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const T *fr = f + r * c;
        T *br = bp + r * c;
        T mx;
        double sum;
        row_stats<T, THREADS>(fr, 1, c, scratch, &mx, &sum);
        const double lsum = log(sum);
        const int64_t label = (int64_t)labels[r];
        for (int64_t j = threadIdx.x; j < c; j += THREADS) { // reads element j, then writes it
            const T shifted = (T)(fr[j] - mx);
            if (j == label) loss[r] = (T)(lsum - (double)shifted);
            br[j] = (T)((double)exp_of(shifted) / sum) - (j == label ? (T)1 : (T)0);
        }
    }
}

int row_grid(int64_t rows) { return (int)(rows < kMaxGrid ? rows : kMaxGrid); }

template <typename T>
cudaError_t launch_xent(const void *f, const void *l, void *loss, void *bp, const tfc_gpu_xent_geom &g, cudaStream_t s)
{
    const T *ft = static_cast<const T *>(f), *lt = static_cast<const T *>(l);
    T *lo = static_cast<T *>(loss), *b = static_cast<T *>(bp);
    if (g.classes <= kSmallRowMaxClasses)
        xent_kernel<T, kSmallRow><<<row_grid(g.rows), kSmallRow, 0, s>>>(ft, lt, lo, b, g);
    else
        xent_kernel<T, kLargeRow><<<row_grid(g.rows), kLargeRow, 0, s>>>(ft, lt, lo, b, g);
    return cudaGetLastError();
}

template <typename T, typename L>
cudaError_t launch_sparse(const void *f, const void *labels, void *loss, void *bp, int64_t rows, int64_t c,
                          cudaStream_t s)
{
    const T *ft = static_cast<const T *>(f);
    const L *lt = static_cast<const L *>(labels);
    T *lo = static_cast<T *>(loss), *b = static_cast<T *>(bp);
    if (c <= kSmallRowMaxClasses)
        sparse_xent_kernel<T, L, kSmallRow><<<row_grid(rows), kSmallRow, 0, s>>>(ft, lt, lo, b, rows, c);
    else
        sparse_xent_kernel<T, L, kLargeRow><<<row_grid(rows), kLargeRow, 0, s>>>(ft, lt, lo, b, rows, c);
    return cudaGetLastError();
}

template <typename T>
__global__ void __launch_bounds__(TFC_GPU_THREADS) l2_partial_kernel(const T *x, int64_t n, double *partial)
{
    __shared__ double scratch[TFC_GPU_THREADS / 32];
    double acc = 0;
    TFC_GPU_FOR(i, n) {
        const double v = (double)x[i];
        acc += v * v;
    }
    acc = block_reduce<TFC_GPU_THREADS>(acc, Sum(), scratch);
    if (threadIdx.x == 0) partial[blockIdx.x] = acc;
}

template <typename T>
__global__ void __launch_bounds__(TFC_GPU_THREADS) l2_final_kernel(const double *partial, int blocks, T *out)
{
    __shared__ double scratch[TFC_GPU_THREADS / 32];
    double acc = 0;
    for (int b = threadIdx.x; b < blocks; b += TFC_GPU_THREADS) acc += partial[b];
    acc = block_reduce<TFC_GPU_THREADS>(acc, Sum(), scratch);
    if (threadIdx.x == 0) *out = (T)(acc * 0.5);
}

template <typename T>
cudaError_t launch_l2(const void *x, int64_t n, double *partial, int blocks, void *out, cudaStream_t s)
{
    l2_partial_kernel<T><<<blocks, TFC_GPU_THREADS, 0, s>>>(static_cast<const T *>(x), n, partial);
    cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess) return e;
    l2_final_kernel<T><<<1, TFC_GPU_THREADS, 0, s>>>(partial, blocks, static_cast<T *>(out));
    return cudaGetLastError();
}

} // namespace

extern "C" cudaError_t tfc_gpu_xent(TF_DataType dtype, const void *features, const void *labels, void *loss,
                                    void *backprop, tfc_gpu_xent_geom g, cudaStream_t s)
{
    if (g.rows <= 0) return cudaSuccess;
    switch (dtype) {
    case TF_FLOAT: return launch_xent<float>(features, labels, loss, backprop, g, s);
    case TF_DOUBLE: return launch_xent<double>(features, labels, loss, backprop, g, s);
    default: return cudaErrorInvalidValue;
    }
}

extern "C" cudaError_t tfc_gpu_sparse_xent(TF_DataType dtype, TF_DataType label_type, const void *logits,
                                           const void *labels, void *loss, void *backprop, int64_t rows,
                                           int64_t classes, cudaStream_t s)
{
    if (rows <= 0) return cudaSuccess;
    bool l64 = label_type == TF_INT64;
    if (!l64 && label_type != TF_INT32) return cudaErrorInvalidValue;
    switch (dtype) {
    case TF_FLOAT:
        return l64 ? launch_sparse<float, int64_t>(logits, labels, loss, backprop, rows, classes, s)
                   : launch_sparse<float, int32_t>(logits, labels, loss, backprop, rows, classes, s);
    case TF_DOUBLE:
        return l64 ? launch_sparse<double, int64_t>(logits, labels, loss, backprop, rows, classes, s)
                   : launch_sparse<double, int32_t>(logits, labels, loss, backprop, rows, classes, s);
    default: return cudaErrorInvalidValue;
    }
}

extern "C" cudaError_t tfc_gpu_l2_loss(TF_DataType dtype, const void *x, int64_t n, double *partial, int blocks,
                                       void *out, cudaStream_t s)
{
    if (blocks <= 0) return cudaErrorInvalidValue;
    switch (dtype) {
    case TF_FLOAT: return launch_l2<float>(x, n, partial, blocks, out, s);
    case TF_DOUBLE: return launch_l2<double>(x, n, partial, blocks, out, s);
    default: return cudaErrorInvalidValue;
    }
}
