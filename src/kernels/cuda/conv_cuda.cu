// conv_cuda: the layout / padding gather of the convolution kernels (see conv_launch.h). Elements
// move as 4- or 8-byte words, so one instantiation serves float and int32 alike, another double.
#include "kernels/cuda/conv_launch.h"

#include "kernels/cuda/grid.h"

namespace {

template <typename W>
__global__ void gather4_kernel(const W *src, W *dst, tfc_gpu_gather4_plan p)
{
    TFC_GPU_FOR(i, p.n) {
        int64_t rest = i, at = 0;
        bool inside = true;
        for (int d = 3; d >= 0; d--) {
            int64_t coord = rest % p.dims[d] + p.src_offset[d];
            rest /= p.dims[d];
            inside = inside && coord >= 0 && coord < p.src_extent[d];
            at += coord * p.src_stride[d];
        }
        dst[i] = inside ? src[at] : W(0); // all-zero bits: +0.0 for float and double
    }
}

template <typename W>
cudaError_t gather4(const void *src, void *dst, const tfc_gpu_gather4_plan &p, cudaStream_t s)
{
    gather4_kernel<W><<<tfc_gpu_blocks_for(p.n), TFC_GPU_THREADS, 0, s>>>((const W *)src, (W *)dst, p);
    return cudaGetLastError();
}

} // namespace

extern "C" cudaError_t tfc_gpu_gather4(size_t elem_size, const void *src, void *dst, const tfc_gpu_gather4_plan *p,
                                       cudaStream_t stream)
{
    if (p->n <= 0) return cudaSuccess;
    if (elem_size == 4) return gather4<uint32_t>(src, dst, *p, stream);
    if (elem_size == 8) return gather4<uint64_t>(src, dst, *p, stream);
    return cudaErrorInvalidValue;
}
