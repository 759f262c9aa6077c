// reduce_cuda: the reduction kernels (see reduce_launch.h). A pass reduces x viewed as [O, R, K]
// to [O, K]:
// - K == 1 (rows of R contiguous values): a warp per output for short rows (shuffle reduction), a
//   block of 256 threads per output for long ones (tree reduction in shared memory);
// - K > 1: a block of 32 columns x 8 rows per (o, column tile); each thread walks every 8th row of
//   its column (reads of neighbouring columns are coalesced), then the 8 partials are combined.
// Few outputs of long rows would leave the GPU idle, so such a pass is split: R is cut into P
// chunks whose partial results (in the accumulator type) land in a workspace [O, P, K], and a
// second launch reduces that over P. Everything is a fixed tree: the result does not depend on
// timing. Float sums and products accumulate in double, as on the CPU; Max and Min let a NaN win.
//
// ArgMax / ArgMin use the same three shapes with (value, index) candidates: a NaN is never a
// candidate, ties go to the smaller index, and where the first element is NaN there is no
// candidate at all and the answer is 0 — exactly the CPU's sequential scan with a strict compare.
#include "kernels/cuda/reduce_launch.h"

#include <math.h>

namespace {

constexpr int kThreads = 256;                      // threads a block, every kernel
constexpr int kWarp = 32;
constexpr int kLanes = 32, kRows = 8;              // column kernels: 32 columns x 8 rows
constexpr int64_t kWarpRows = 256;                 // rows up to this long get a warp, longer a block
constexpr int64_t kTargetBlocks = 1024;            // a pass with fewer blocks than this is split
constexpr int64_t kMinRowChunk = 8192;             // least elements of a split row chunk (K == 1)
constexpr int64_t kMinColChunk = 256;              // least rows of a split column chunk (K > 1)
constexpr int64_t kMaxGridX = 1 << 20, kMaxGridY = 65535;

int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

// ---- the reductions: accumulator type A, value over nothing, combine, and the final value ----

template <typename T> struct SumOp {
    typedef double A;
    static __device__ A identity() { return 0.0; }
    static __device__ A combine(A a, A v) { return a + v; }
    static __device__ T finish(A a, int64_t) { return (T)a; }
};

template <typename T> struct MeanOp : SumOp<T> {
    static __device__ T finish(double a, int64_t div) { return div ? (T)(a / (double)div) : (T)NAN; }
};

template <typename T> struct ProdOp {
    typedef double A;
    static __device__ A identity() { return 1.0; }
    static __device__ A combine(A a, A v) { return a * v; }
    static __device__ T finish(A a, int64_t) { return (T)a; }
};

template <typename T> struct MaxOp {
    typedef T A;
    static __device__ A identity() { return (T)-INFINITY; }
    static __device__ A combine(A a, A v) { return (v > a || v != v) ? v : a; }
    static __device__ T finish(A a, int64_t) { return a; }
};

template <typename T> struct MinOp {
    typedef T A;
    static __device__ A identity() { return (T)INFINITY; }
    static __device__ A combine(A a, A v) { return (v < a || v != v) ? v : a; }
    static __device__ T finish(A a, int64_t) { return a; }
};

// A final result (FINISH) or a partial one (the accumulator itself, TOut == A).
template <class Op, bool FINISH, typename TOut>
__device__ void store(TOut *out, int64_t i, typename Op::A a, int64_t div)
{
    if constexpr (FINISH) out[i] = Op::finish(a, div);
    else out[i] = a;
}

// Unit u = (o, p): chunk p of row o, rows [p * per, min((p + 1) * per, R)) of the pass.
struct Chunk {
    int64_t o, r0, r1;
};

__device__ Chunk chunk_of(int64_t u, int64_t R, int64_t P, int64_t per)
{
    int64_t o = u / P, r0 = (u - o * P) * per;
    return { o, r0, r0 + per < R ? r0 + per : R };
}

// K == 1, short rows: a warp per unit.
template <class Op, bool FINISH, typename TIn, typename TOut>
__global__ void rows_warp(const TIn *x, TOut *out, int64_t units, int64_t R, int64_t P, int64_t per, int64_t div)
{
    typedef typename Op::A A;
    const int lane = threadIdx.x % kWarp;
    const int64_t nwarps = (int64_t)gridDim.x * (kThreads / kWarp);
    for (int64_t u = (blockIdx.x * (int64_t)kThreads + threadIdx.x) / kWarp; u < units; u += nwarps) {
        Chunk c = chunk_of(u, R, P, per);
        const TIn *row = x + c.o * R;
        A acc = Op::identity();
        for (int64_t r = c.r0 + lane; r < c.r1; r += kWarp) acc = Op::combine(acc, (A)row[r]);
        for (int off = kWarp / 2; off > 0; off /= 2) acc = Op::combine(acc, __shfl_down_sync(0xffffffffu, acc, off));
        if (lane == 0) store<Op, FINISH>(out, u, acc, div);
    }
}

// K == 1, long rows: a block per unit.
template <class Op, bool FINISH, typename TIn, typename TOut>
__global__ void rows_block(const TIn *x, TOut *out, int64_t units, int64_t R, int64_t P, int64_t per, int64_t div)
{
    typedef typename Op::A A;
    __shared__ A buf[kThreads];
    for (int64_t u = blockIdx.x; u < units; u += gridDim.x) {
        Chunk c = chunk_of(u, R, P, per);
        const TIn *row = x + c.o * R;
        A acc = Op::identity();
        for (int64_t r = c.r0 + threadIdx.x; r < c.r1; r += kThreads) acc = Op::combine(acc, (A)row[r]);
        buf[threadIdx.x] = acc;
        __syncthreads();
        for (int half = kThreads / 2; half > 0; half /= 2) {
            if (threadIdx.x < half) buf[threadIdx.x] = Op::combine(buf[threadIdx.x], buf[threadIdx.x + half]);
            __syncthreads();
        }
        if (threadIdx.x == 0) store<Op, FINISH>(out, u, buf[0], div);
        __syncthreads(); // buf is refilled for the next unit
    }
}

// K > 1: block (tile, u) reduces columns [tile * 32, ...) of unit u; out is [units, K].
template <class Op, bool FINISH, typename TIn, typename TOut>
__global__ void cols(const TIn *x, TOut *out, int64_t units, int64_t R, int64_t K, int64_t P, int64_t per,
                     int64_t div)
{
    typedef typename Op::A A;
    __shared__ A buf[kRows][kLanes];
    const int64_t tiles = (K + kLanes - 1) / kLanes;
    for (int64_t u = blockIdx.y; u < units; u += gridDim.y) {
        Chunk c = chunk_of(u, R, P, per);
        for (int64_t t = blockIdx.x; t < tiles; t += gridDim.x) {
            int64_t k = t * kLanes + threadIdx.x;
            A acc = Op::identity();
            if (k < K)
                for (int64_t r = c.r0 + threadIdx.y; r < c.r1; r += kRows)
                    acc = Op::combine(acc, (A)x[(c.o * R + r) * K + k]);
            buf[threadIdx.y][threadIdx.x] = acc;
            __syncthreads();
            if (threadIdx.y == 0 && k < K) {
                A a = buf[0][threadIdx.x];
                for (int i = 1; i < kRows; i++) a = Op::combine(a, buf[i][threadIdx.x]);
                store<Op, FINISH>(out, u * K + k, a, div);
            }
            __syncthreads();
        }
    }
}

// One launch over [O, R, K] cut into P chunks of per rows: out is [O, P, K].
template <class Op, bool FINISH, typename TIn, typename TOut>
cudaError_t launch(const TIn *x, TOut *out, int64_t O, int64_t R, int64_t K, int64_t P, int64_t per, int64_t div,
                   cudaStream_t s)
{
    int64_t units = O * P;
    if (units == 0 || K == 0) return cudaSuccess;
    if (K == 1 && per <= kWarpRows) {
        int64_t warps_per_block = kThreads / kWarp, blocks = (units + warps_per_block - 1) / warps_per_block;
        rows_warp<Op, FINISH><<<(unsigned)min64(blocks, kMaxGridX), kThreads, 0, s>>>(x, out, units, R, P, per, div);
    } else if (K == 1) {
        rows_block<Op, FINISH><<<(unsigned)min64(units, kMaxGridX), kThreads, 0, s>>>(x, out, units, R, P, per, div);
    } else {
        dim3 grid((unsigned)min64((K + kLanes - 1) / kLanes, kMaxGridX), (unsigned)min64(units, kMaxGridY));
        cols<Op, FINISH><<<grid, dim3(kLanes, kRows), 0, s>>>(x, out, units, R, K, P, per, div);
    }
    return cudaGetLastError();
}

// How a pass is split: P chunks of per rows (P == 1: not split).
struct Plan {
    int64_t P, per;
};

Plan plan(int64_t O, int64_t R, int64_t K)
{
    Plan p = { 1, R };
    if (O <= 0 || R <= 0 || K <= 0) return p;
    int64_t blocks = K == 1 ? O : O * ((K + kLanes - 1) / kLanes);
    int64_t least = K == 1 ? kMinRowChunk : kMinColChunk;
    if (blocks >= kTargetBlocks || R < 2 * least) return p;
    int64_t chunks = min64(kTargetBlocks / blocks, R / least);
    if (chunks < 2) return p;
    p.per = (R + chunks - 1) / chunks;
    p.P = (R + p.per - 1) / p.per;
    return p;
}

size_t pass_workspace(int64_t O, int64_t R, int64_t K)
{
    Plan p = plan(O, R, K);
    return p.P > 1 ? (size_t)(O * p.P * K) * sizeof(double) : 0; // every accumulator is at most a double
}

template <class Op, bool FINISH, typename TIn, typename TOut>
cudaError_t pass(const TIn *x, TOut *out, int64_t O, int64_t R, int64_t K, int64_t div, void *ws, cudaStream_t s)
{
    typedef typename Op::A A;
    Plan p = plan(O, R, K);
    if (p.P == 1) return launch<Op, FINISH>(x, out, O, R, K, 1, R, div, s);
    A *part = (A *)ws;
    cudaError_t e = launch<Op, false>(x, part, O, R, K, p.P, p.per, div, s);
    if (e != cudaSuccess) return e;
    return launch<Op, FINISH>((const A *)part, out, O, p.P, K, 1, p.P, div, s);
}

template <typename T>
cudaError_t reduce_typed(tfc_gpu_reduce_op op, const T *x, T *out, int64_t O, int64_t R, int64_t K, int64_t div,
                         void *ws, cudaStream_t s)
{
    switch (op) {
    case TFC_GPU_REDUCE_SUM: return pass<SumOp<T>, true>(x, out, O, R, K, div, ws, s);
    case TFC_GPU_REDUCE_MEAN: return pass<MeanOp<T>, true>(x, out, O, R, K, div, ws, s);
    case TFC_GPU_REDUCE_PROD: return pass<ProdOp<T>, true>(x, out, O, R, K, div, ws, s);
    case TFC_GPU_REDUCE_MAX: return pass<MaxOp<T>, true>(x, out, O, R, K, div, ws, s);
    case TFC_GPU_REDUCE_MIN: return pass<MinOp<T>, true>(x, out, O, R, K, div, ws, s);
    }
    return cudaErrorInvalidValue;
}

// ---- ArgMax, ArgMin ----

// Keeps in (bv, bi) the better of itself and (v, i): the larger (MAX) or smaller value, then the
// smaller index; bi < 0 or i < 0 is no candidate. Values are never NaN.
template <bool MAX, typename T>
__device__ void take(T &bv, int64_t &bi, T v, int64_t i)
{
    if (i < 0) return;
    if (bi < 0 || (MAX ? v > bv : v < bv) || (v == bv && i < bi)) bv = v, bi = i;
}

// Row o's candidates: a warp per row (N short) or a block per row.
template <bool MAX, typename T, typename I>
__global__ void arg_rows_warp(const T *x, I *out, int64_t O, int64_t N)
{
    const int lane = threadIdx.x % kWarp;
    const int64_t nwarps = (int64_t)gridDim.x * (kThreads / kWarp);
    for (int64_t o = (blockIdx.x * (int64_t)kThreads + threadIdx.x) / kWarp; o < O; o += nwarps) {
        const T *row = x + o * N;
        T bv = row[0];
        int64_t bi = -1;
        if (bv == bv) // a NaN first: no candidate, the answer is 0
            for (int64_t r = lane; r < N; r += kWarp)
                if (row[r] == row[r]) take<MAX>(bv, bi, row[r], r);
        for (int off = kWarp / 2; off > 0; off /= 2) {
            T v = __shfl_down_sync(0xffffffffu, bv, off);
            int64_t i = __shfl_down_sync(0xffffffffu, bi, off);
            take<MAX>(bv, bi, v, i);
        }
        if (lane == 0) out[o] = (I)(bi < 0 ? 0 : bi);
    }
}

template <bool MAX, typename T, typename I>
__global__ void arg_rows_block(const T *x, I *out, int64_t O, int64_t N)
{
    __shared__ T sv[kThreads];
    __shared__ int64_t si[kThreads];
    for (int64_t o = blockIdx.x; o < O; o += gridDim.x) {
        const T *row = x + o * N;
        T bv = row[0];
        int64_t bi = -1;
        if (bv == bv)
            for (int64_t r = threadIdx.x; r < N; r += kThreads)
                if (row[r] == row[r]) take<MAX>(bv, bi, row[r], r);
        sv[threadIdx.x] = bv, si[threadIdx.x] = bi;
        __syncthreads();
        for (int half = kThreads / 2; half > 0; half /= 2) {
            if (threadIdx.x < half) take<MAX>(sv[threadIdx.x], si[threadIdx.x], sv[threadIdx.x + half], si[threadIdx.x + half]);
            __syncthreads();
        }
        if (threadIdx.x == 0) out[o] = (I)(si[0] < 0 ? 0 : si[0]);
        __syncthreads();
    }
}

// K > 1: block (tile, o) finds the extremes of columns [tile * 32, ...) of x[o].
template <bool MAX, typename T, typename I>
__global__ void arg_cols(const T *x, I *out, int64_t O, int64_t N, int64_t K)
{
    __shared__ T sv[kRows][kLanes];
    __shared__ int64_t si[kRows][kLanes];
    const int64_t tiles = (K + kLanes - 1) / kLanes;
    for (int64_t o = blockIdx.y; o < O; o += gridDim.y) {
        for (int64_t t = blockIdx.x; t < tiles; t += gridDim.x) {
            int64_t k = t * kLanes + threadIdx.x;
            const T *col = x + o * N * K + k;
            T bv = 0;
            int64_t bi = -1;
            if (k < K && col[0] == col[0])
                for (int64_t r = threadIdx.y; r < N; r += kRows)
                    if (col[r * K] == col[r * K]) take<MAX>(bv, bi, col[r * K], r);
            sv[threadIdx.y][threadIdx.x] = bv, si[threadIdx.y][threadIdx.x] = bi;
            __syncthreads();
            if (threadIdx.y == 0 && k < K) {
                for (int i = 1; i < kRows; i++) take<MAX>(bv, bi, sv[i][threadIdx.x], si[i][threadIdx.x]);
                out[o * K + k] = (I)(bi < 0 ? 0 : bi);
            }
            __syncthreads();
        }
    }
}

template <bool MAX, typename T, typename I>
cudaError_t arg_launch(const T *x, I *out, int64_t O, int64_t N, int64_t K, cudaStream_t s)
{
    if (O == 0 || K == 0) return cudaSuccess;
    if (K == 1 && N <= kWarpRows) {
        int64_t warps_per_block = kThreads / kWarp, blocks = (O + warps_per_block - 1) / warps_per_block;
        arg_rows_warp<MAX><<<(unsigned)min64(blocks, kMaxGridX), kThreads, 0, s>>>(x, out, O, N);
    } else if (K == 1) {
        arg_rows_block<MAX><<<(unsigned)min64(O, kMaxGridX), kThreads, 0, s>>>(x, out, O, N);
    } else {
        dim3 grid((unsigned)min64((K + kLanes - 1) / kLanes, kMaxGridX), (unsigned)min64(O, kMaxGridY));
        arg_cols<MAX><<<grid, dim3(kLanes, kRows), 0, s>>>(x, out, O, N, K);
    }
    return cudaGetLastError();
}

template <bool MAX, typename T>
cudaError_t arg_typed(TF_DataType out_type, const void *x, void *out, int64_t O, int64_t N, int64_t K, cudaStream_t s)
{
    const T *xt = (const T *)x;
    switch (out_type) {
    case TF_INT64: return arg_launch<MAX>(xt, (int64_t *)out, O, N, K, s);
    case TF_INT32: return arg_launch<MAX>(xt, (int32_t *)out, O, N, K, s);
    case TF_INT16: return arg_launch<MAX>(xt, (int16_t *)out, O, N, K, s);
    case TF_UINT16: return arg_launch<MAX>(xt, (uint16_t *)out, O, N, K, s);
    default: return cudaErrorInvalidValue;
    }
}

// ---- BiasAddGrad: [outer, c, inner] summed to [c] in double throughout ----

template <typename T>
cudaError_t bias_grad(const T *x, T *out, int64_t outer, int64_t c, int64_t inner, void *ws, cudaStream_t s)
{
    if (inner == 1) return pass<SumOp<T>, true>(x, out, 1, outer, c, 1, ws, s);
    double *sums = (double *)ws; // [outer, c]: each (o, ch)'s sum over inner, unrounded
    void *rest = sums + outer * c;
    cudaError_t e = pass<SumOp<T>, false>(x, sums, outer * c, inner, 1, 1, rest, s);
    if (e != cudaSuccess) return e;
    return pass<SumOp<T>, true>((const double *)sums, out, 1, outer, c, 1, rest, s);
}

} // namespace

extern "C" size_t tfc_gpu_reduce_workspace_size(int64_t O, int64_t R, int64_t K) { return pass_workspace(O, R, K); }

extern "C" cudaError_t tfc_gpu_reduce_pass(tfc_gpu_reduce_op op, TF_DataType dtype, const void *x, void *out,
                                           int64_t O, int64_t R, int64_t K, int64_t div, void *workspace,
                                           cudaStream_t stream)
{
    if (dtype == TF_FLOAT)
        return reduce_typed(op, (const float *)x, (float *)out, O, R, K, div, workspace, stream);
    if (dtype == TF_DOUBLE)
        return reduce_typed(op, (const double *)x, (double *)out, O, R, K, div, workspace, stream);
    return cudaErrorInvalidValue;
}

extern "C" cudaError_t tfc_gpu_arg_reduce(bool is_max, TF_DataType dtype, TF_DataType out_type, const void *x,
                                          void *out, int64_t O, int64_t N, int64_t K, cudaStream_t stream)
{
    if (dtype == TF_FLOAT)
        return is_max ? arg_typed<true, float>(out_type, x, out, O, N, K, stream)
                      : arg_typed<false, float>(out_type, x, out, O, N, K, stream);
    if (dtype == TF_DOUBLE)
        return is_max ? arg_typed<true, double>(out_type, x, out, O, N, K, stream)
                      : arg_typed<false, double>(out_type, x, out, O, N, K, stream);
    return cudaErrorInvalidValue;
}

extern "C" size_t tfc_gpu_bias_grad_workspace_size(int64_t outer, int64_t c, int64_t inner)
{
    if (inner == 1) return pass_workspace(1, outer, c);
    size_t a = pass_workspace(outer * c, inner, 1), b = pass_workspace(1, outer, c);
    return (size_t)(outer * c) * sizeof(double) + (a > b ? a : b);
}

extern "C" cudaError_t tfc_gpu_bias_grad(TF_DataType dtype, const void *x, void *out, int64_t outer, int64_t c,
                                         int64_t inner, void *workspace, cudaStream_t stream)
{
    if (dtype == TF_FLOAT) return bias_grad((const float *)x, (float *)out, outer, c, inner, workspace, stream);
    if (dtype == TF_DOUBLE) return bias_grad((const double *)x, (double *)out, outer, c, inner, workspace, stream);
    return cudaErrorInvalidValue;
}
