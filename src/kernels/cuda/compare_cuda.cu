// compare_cuda: the comparison kernels (see cwise_launch.h): one grid-stride kernel, the op and
// the input type template parameters, reading its operands through the shared broadcast index
// arithmetic (tfc_gpu_bcast_at) and writing one bool byte per element.
#include "kernels/cuda/cwise_launch.h"

#include "kernels/cuda/grid.h"

namespace {

template <tfc_gpu_compare_op OP, typename T>
__device__ bool compare(T a, T b)
{
    switch (OP) { // IEEE: every comparison with a NaN is false except !=
    case TFC_GPU_EQUAL: return a == b;
    case TFC_GPU_NOT_EQUAL: return a != b;
    case TFC_GPU_LESS: return a < b;
    case TFC_GPU_LESS_EQUAL: return a <= b;
    case TFC_GPU_GREATER: return a > b;
    case TFC_GPU_GREATER_EQUAL: return a >= b;
    }
    return false;
}

template <tfc_gpu_compare_op OP, typename T>
__global__ void compare_kernel(const T *a, const T *b, uint8_t *z, tfc_gpu_bcast g)
{
    TFC_GPU_FOR(i, g.n) {
        int64_t oa, ob;
        tfc_gpu_bcast_at(g, i, &oa, &ob);
        z[i] = compare<OP, T>(a[oa], b[ob]) ? 1 : 0;
    }
}

template <tfc_gpu_compare_op OP, typename T>
cudaError_t launch_op(const void *a, const void *b, uint8_t *z, const tfc_gpu_bcast &g, cudaStream_t s)
{
    compare_kernel<OP, T><<<tfc_gpu_blocks_for(g.n), TFC_GPU_THREADS, 0, s>>>(static_cast<const T *>(a),
                                                                            static_cast<const T *>(b), z, g);
    return cudaGetLastError();
}

template <typename T>
cudaError_t launch(tfc_gpu_compare_op op, const void *a, const void *b, uint8_t *z, const tfc_gpu_bcast &g,
                   cudaStream_t s)
{
    switch (op) {
    case TFC_GPU_EQUAL: return launch_op<TFC_GPU_EQUAL, T>(a, b, z, g, s);
    case TFC_GPU_NOT_EQUAL: return launch_op<TFC_GPU_NOT_EQUAL, T>(a, b, z, g, s);
    case TFC_GPU_LESS: return launch_op<TFC_GPU_LESS, T>(a, b, z, g, s);
    case TFC_GPU_LESS_EQUAL: return launch_op<TFC_GPU_LESS_EQUAL, T>(a, b, z, g, s);
    case TFC_GPU_GREATER: return launch_op<TFC_GPU_GREATER, T>(a, b, z, g, s);
    case TFC_GPU_GREATER_EQUAL: return launch_op<TFC_GPU_GREATER_EQUAL, T>(a, b, z, g, s);
    }
    return cudaErrorInvalidValue;
}

} // namespace

extern "C" cudaError_t tfc_gpu_compare(tfc_gpu_compare_op op, TF_DataType dtype, const void *a, const void *b,
                                       uint8_t *z, tfc_gpu_bcast g, cudaStream_t s)
{
    if (g.n <= 0) return cudaSuccess;
    switch (dtype) {
    case TF_FLOAT: return launch<float>(op, a, b, z, g, s);
    case TF_DOUBLE: return launch<double>(op, a, b, z, g, s);
    case TF_INT64: return launch<int64_t>(op, a, b, z, g, s);
    default: return cudaErrorInvalidValue;
    }
}
