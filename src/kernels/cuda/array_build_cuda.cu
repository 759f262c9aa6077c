// array_build_cuda: Fill's and OneHot's kernels (see array_build_launch.h). Elements are moved as
// unsigned words of their size; OneHot computes each output element from the one index it
// depends on, so it needs no fill pass and no scatter.
#include "kernels/cuda/array_build_launch.h"

#include "kernels/cuda/grid.h"

namespace {

template <typename W>
__global__ void fill_kernel(W *y, W v, int64_t n)
{
    TFC_GPU_FOR(i, n)
        y[i] = v;
}

template <typename W>
cudaError_t launch_fill(void *y, uint64_t bits, int64_t n, cudaStream_t s)
{
    fill_kernel<W><<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>((W *)y, (W)bits, n);
    return cudaGetLastError();
}

template <typename W, typename I>
__global__ void one_hot_kernel(W *y, W on, W off, const I *indices, int64_t depth, int64_t suffix, int64_t n)
{
    TFC_GPU_FOR(i, n) {
        int64_t s = i % suffix, rest = i / suffix, v = rest % depth, p = rest / depth;
        y[i] = (int64_t)indices[p * suffix + s] == v ? on : off;
    }
}

template <typename W, typename I>
cudaError_t launch_one_hot(void *y, uint64_t on, uint64_t off, const void *indices, int64_t depth, int64_t suffix,
                           int64_t n, cudaStream_t s)
{
    one_hot_kernel<W, I><<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>((W *)y, (W)on, (W)off,
                                                                           (const I *)indices, depth, suffix, n);
    return cudaGetLastError();
}

template <typename W>
cudaError_t one_hot_for_index(void *y, uint64_t on, uint64_t off, const void *indices, TF_DataType index_type,
                              int64_t depth, int64_t suffix, int64_t n, cudaStream_t s)
{
    switch (index_type) {
    case TF_INT8: return launch_one_hot<W, int8_t>(y, on, off, indices, depth, suffix, n, s);
    case TF_UINT8: return launch_one_hot<W, uint8_t>(y, on, off, indices, depth, suffix, n, s);
    case TF_INT16: return launch_one_hot<W, int16_t>(y, on, off, indices, depth, suffix, n, s);
    case TF_INT32: return launch_one_hot<W, int32_t>(y, on, off, indices, depth, suffix, n, s);
    case TF_INT64: return launch_one_hot<W, int64_t>(y, on, off, indices, depth, suffix, n, s);
    default: return cudaErrorInvalidValue;
    }
}

} // namespace

extern "C" cudaError_t tfc_gpu_fill_bits(void *y, uint64_t bits, size_t esize, int64_t n, cudaStream_t stream)
{
    if (n <= 0) return cudaSuccess;
    switch (esize) {
    case 1: return launch_fill<uint8_t>(y, bits, n, stream);
    case 2: return launch_fill<uint16_t>(y, bits, n, stream);
    case 4: return launch_fill<uint32_t>(y, bits, n, stream);
    case 8: return launch_fill<uint64_t>(y, bits, n, stream);
    default: return cudaErrorInvalidValue;
    }
}

extern "C" cudaError_t tfc_gpu_one_hot(void *y, size_t esize, uint64_t on, uint64_t off, const void *indices,
                                       TF_DataType index_type, int64_t depth, int64_t suffix, int64_t n,
                                       cudaStream_t stream)
{
    if (n <= 0) return cudaSuccess;
    if (depth <= 0 || suffix <= 0) return cudaErrorInvalidValue; // n > 0 implies both are
    switch (esize) {
    case 4: return one_hot_for_index<uint32_t>(y, on, off, indices, index_type, depth, suffix, n, stream);
    case 8: return one_hot_for_index<uint64_t>(y, on, off, indices, index_type, depth, suffix, n, stream);
    default: return cudaErrorInvalidValue;
    }
}
