// select_cuda: Select and SelectV2's kernel (see select_launch.h): elements move as unsigned words
// of their size, so one kernel serves every dtype of that size.
#include "kernels/cuda/select_launch.h"

#include "kernels/cuda/grid.h"

namespace {

template <typename W>
__global__ void select_kernel(const uint8_t *c, const W *t, const W *e, W *z, tfc_gpu_bcast3 g)
{
    TFC_GPU_FOR(i, g.n) {
        int64_t rest = i, oc = 0, ot = 0, oe = 0;
        for (int d = g.rank - 1; d >= 0; d--) {
            int64_t digit = rest % g.dims[d];
            rest /= g.dims[d];
            oc += digit * g.sc[d];
            ot += digit * g.st[d];
            oe += digit * g.se[d];
        }
        z[i] = c[oc] ? t[ot] : e[oe];
    }
}

template <typename W>
cudaError_t launch(const uint8_t *c, const void *t, const void *e, void *z, const tfc_gpu_bcast3 &g, cudaStream_t s)
{
    select_kernel<W><<<tfc_gpu_blocks_for(g.n), TFC_GPU_THREADS, 0, s>>>(c, (const W *)t, (const W *)e, (W *)z, g);
    return cudaGetLastError();
}

} // namespace

extern "C" cudaError_t tfc_gpu_select(const uint8_t *c, const void *t, const void *e, void *z, size_t esize,
                                      tfc_gpu_bcast3 g, cudaStream_t stream)
{
    if (g.n <= 0) return cudaSuccess;
    switch (esize) {
    case 4: return launch<uint32_t>(c, t, e, z, g, stream);
    case 8: return launch<uint64_t>(c, t, e, z, g, stream);
    default: return cudaErrorInvalidValue;
    }
}
