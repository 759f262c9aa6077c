// transpose_cuda: the Transpose kernels (see transpose_launch.h). A permutation that collapses to a
// (batched) 2-D transpose goes through 32 x 32 tiles in shared memory, so that both the reads of
// rows and the writes of columns are coalesced; any other one runs a thread per output element,
// which reads the input with a stride (coalesced when the innermost dim stays innermost). Elements
// move as words of their size, so one kernel serves every dtype of that size.
#include "kernels/cuda/transpose_launch.h"

#include "kernels/cuda/grid.h"

namespace {

constexpr int TILE = 32, TILE_ROWS = 8; // a block is TILE x TILE_ROWS threads and moves one tile

template <typename W>
__global__ void transpose_tiles(const W *x, W *y, int64_t batches, int64_t rows, int64_t cols)
{
    __shared__ W tile[TILE][TILE + 1]; // + 1: the column reads fall in different banks
    int64_t tr = (rows + TILE - 1) / TILE, tc = (cols + TILE - 1) / TILE, per_batch = tr * tc;
    int64_t tiles = batches * per_batch;
    for (int64_t t = blockIdx.x; t < tiles; t += gridDim.x) {
        int64_t b = t / per_batch, rest = t % per_batch, r0 = rest / tc * TILE, c0 = rest % tc * TILE;
        const W *xb = x + b * rows * cols;
        W *yb = y + b * rows * cols;
        for (int i = threadIdx.y; i < TILE; i += TILE_ROWS) {
            int64_t r = r0 + i, c = c0 + threadIdx.x;
            if (r < rows && c < cols) tile[i][threadIdx.x] = xb[r * cols + c];
        }
        __syncthreads();
        for (int i = threadIdx.y; i < TILE; i += TILE_ROWS) {
            int64_t c = c0 + i, r = r0 + threadIdx.x;
            if (c < cols && r < rows) yb[c * rows + r] = tile[threadIdx.x][i];
        }
        __syncthreads(); // the tile is refilled by the next iteration
    }
}

template <typename W> __global__ void transpose_any(const W *x, W *y, tfc_gpu_perm p)
{
    TFC_GPU_FOR(e, p.n) {
        int64_t rest = e, off = 0;
        for (int d = p.rank - 1; d >= 0; d--) {
            int64_t q = rest / p.odims[d];
            off += (rest - q * p.odims[d]) * p.istride[d];
            rest = q;
        }
        y[e] = x[off];
    }
}

template <typename W>
cudaError_t launch_tiles(const void *x, void *y, int64_t batches, int64_t rows, int64_t cols, cudaStream_t stream)
{
    int64_t tiles = batches * ((rows + TILE - 1) / TILE) * ((cols + TILE - 1) / TILE);
    int blocks = (int)(tiles < 65536 ? tiles : 65536); // the loop covers the rest
    transpose_tiles<W><<<blocks, dim3(TILE, TILE_ROWS), 0, stream>>>((const W *)x, (W *)y, batches, rows, cols);
    return cudaGetLastError();
}

} // namespace

extern "C" cudaError_t tfc_gpu_transpose_tiles(size_t elem_size, const void *x, void *y, int64_t batches,
                                               int64_t rows, int64_t cols, cudaStream_t stream)
{
    if (batches <= 0 || rows <= 0 || cols <= 0) return cudaSuccess;
    if (elem_size == 4) return launch_tiles<uint32_t>(x, y, batches, rows, cols, stream);
    if (elem_size == 8) return launch_tiles<uint64_t>(x, y, batches, rows, cols, stream);
    return cudaErrorInvalidValue;
}

extern "C" cudaError_t tfc_gpu_transpose_any(size_t elem_size, const void *x, void *y, const tfc_gpu_perm *p,
                                             cudaStream_t stream)
{
    if (p->n <= 0) return cudaSuccess;
    int blocks = tfc_gpu_blocks_for(p->n);
    if (elem_size == 4)
        transpose_any<uint32_t><<<blocks, TFC_GPU_THREADS, 0, stream>>>((const uint32_t *)x, (uint32_t *)y, *p);
    else if (elem_size == 8)
        transpose_any<uint64_t><<<blocks, TFC_GPU_THREADS, 0, stream>>>((const uint64_t *)x, (uint64_t *)y, *p);
    else
        return cudaErrorInvalidValue;
    return cudaGetLastError();
}
