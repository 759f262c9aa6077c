// gather_cuda: the GatherV2 kernel (see gather_launch.h): a thread per output element, which finds
// its batch, outer row, index and inner position and copies one word of the element's size, so one
// kernel serves every dtype of that size. Consecutive threads copy consecutive inner elements of
// the same gathered slice: reads and writes are coalesced when inner is large.
#include "kernels/cuda/gather_launch.h"

#include "kernels/cuda/grid.h"

namespace {

template <typename W, typename I>
__global__ void gather_kernel(const W *params, const I *indices, W *out, tfc_gpu_gather_geom g)
{
    TFC_GPU_FOR(e, g.n) {
        int64_t u = e / g.inner, in = e - u * g.inner; // u: (batch, outer, index) unit
        int64_t bo = u / g.nidx, i = u - bo * g.nidx, b = bo / g.outer;
        int64_t src = (bo * g.gather + (int64_t)indices[b * g.nidx + i]) * g.inner + in;
        out[e] = params[src];
    }
}

template <typename W>
cudaError_t launch(TF_DataType index_type, const void *params, const void *indices, void *out,
                   tfc_gpu_gather_geom g, cudaStream_t stream)
{
    int blocks = tfc_gpu_blocks_for(g.n);
    const W *p = (const W *)params;
    W *o = (W *)out;
    switch (index_type) {
    case TF_INT16: gather_kernel<<<blocks, TFC_GPU_THREADS, 0, stream>>>(p, (const int16_t *)indices, o, g); break;
    case TF_INT32: gather_kernel<<<blocks, TFC_GPU_THREADS, 0, stream>>>(p, (const int32_t *)indices, o, g); break;
    case TF_INT64: gather_kernel<<<blocks, TFC_GPU_THREADS, 0, stream>>>(p, (const int64_t *)indices, o, g); break;
    default: return cudaErrorInvalidValue;
    }
    return cudaGetLastError();
}

} // namespace

extern "C" cudaError_t tfc_gpu_gather(size_t elem_size, TF_DataType index_type, const void *params,
                                      const void *indices, void *out, tfc_gpu_gather_geom g, cudaStream_t stream)
{
    if (g.n <= 0) return cudaSuccess;
    if (elem_size == 4) return launch<uint32_t>(index_type, params, indices, out, g, stream);
    if (elem_size == 8) return launch<uint64_t>(index_type, params, indices, out, g, stream);
    return cudaErrorInvalidValue;
}
