// batchnorm_cuda: FusedBatchNormV3 and FusedBatchNormGradV3 (see batchnorm_launch.h) as our own
// reductions rather than cuDNN's batch norm: the outputs must mean what the CPU kernel's mean
// (kernels/cpu/batchnorm_cpu.c) — reserve_space_2 is the biased variance where cuDNN saves the
// inverse standard deviation, and the fixtures feed TensorFlow's CPU reserve spaces to the grad op —
// and cuDNN also rejects epsilon below 1e-5 and divides by zero for Bessel's correction of a single
// element. The arithmetic is the CPU's: per-channel sums in double (two passes: mean, then squared
// deviations), the same per-channel coefficients, and y = x * a + b in float without fused
// multiply-adds.
//
// A reduction runs in two steps so that it needs no atomics and gives the same sums every run: the
// elements of each channel are cut into `chunks` runs, one block each, whose partial sums land in
// the workspace; then one thread per channel adds its partials in order and computes the outputs.
// Channels last (inner == 1): a block's 32 x 8 threads read 32 neighbouring channels of 8 rows at a
// time (coalesced). Channels first: a block's 256 threads read along the channel's contiguous runs.
#include "kernels/cuda/batchnorm_launch.h"

#include <math.h>

#include "kernels/cuda/grid.h"

namespace {

constexpr int kLanes = 32, kRowsAtOnce = 8; // channels-last blocks: channels x rows
constexpr int kThreads = 256;               // channels-first blocks
constexpr int64_t kTargetBlocks = 1024;     // enough blocks to fill the GPU, few partials to add

enum Sum { SUM_X, SUM_SQDEV, SUM_GRAD }; // sum(x); sum((x - m)^2); sum(dy) and sum(dy * (x - m))

// How the elements of each channel are cut into chunks of `per` rows (channels last) or elements.
struct Plan {
    bool rows;
    int64_t chunks, per;
};

Plan plan(int64_t outer, int64_t c, int64_t inner)
{
    Plan p = { inner == 1, 0, 0 };
    int64_t n = p.rows ? outer : outer * inner, min_per = p.rows ? 64 : 2048;
    if (n == 0 || c == 0) return p;
    int64_t across = p.rows ? (c + kLanes - 1) / kLanes : c; // blocks side by side over the channels
    int64_t chunks = across >= kTargetBlocks ? 1 : kTargetBlocks / across, most = (n + min_per - 1) / min_per;
    chunks = chunks < most ? chunks : most;
    p.per = (n + chunks - 1) / chunks;
    p.chunks = (n + p.per - 1) / p.per;
    return p;
}

template <int S>
__device__ void add_term(const float *x, const float *dy, int64_t at, double m, double &s0, double &s1)
{
    if (S == SUM_X) {
        s0 += x[at];
    } else if (S == SUM_SQDEV) {
        double d = x[at] - m;
        s0 += d * d;
    } else {
        double g = dy[at];
        s0 += g;
        s1 += g * (x[at] - m);
    }
}

// Channels last: block (tile, chunk) sums rows [chunk * per, ...) of channels [tile * 32, ...).
template <int S, typename M>
__global__ void partial_sums_rows(const float *x, const float *dy, const M *mean, int64_t rows, int64_t c, int64_t per,
                                  double2 *part)
{
    __shared__ double2 acc[kRowsAtOnce][kLanes];
    int64_t ch = blockIdx.x * (int64_t)kLanes + threadIdx.x, r0 = blockIdx.y * per;
    int64_t r1 = r0 + per < rows ? r0 + per : rows;
    double s0 = 0, s1 = 0;
    if (ch < c) {
        double m = mean ? (double)mean[ch] : 0;
        for (int64_t r = r0 + threadIdx.y; r < r1; r += kRowsAtOnce) add_term<S>(x, dy, r * c + ch, m, s0, s1);
    }
    acc[threadIdx.y][threadIdx.x] = make_double2(s0, s1);
    __syncthreads();
    if (threadIdx.y == 0 && ch < c) {
        double2 t = acc[0][threadIdx.x];
        for (int i = 1; i < kRowsAtOnce; i++) t.x += acc[i][threadIdx.x].x, t.y += acc[i][threadIdx.x].y;
        part[blockIdx.y * c + ch] = t;
    }
}

// Channels first: block (ch, chunk) sums elements [chunk * per, ...) of channel ch, element e being
// (o, i) = (e / inner, e % inner) at (o * c + ch) * inner + i.
template <int S, typename M>
__global__ void partial_sums_inner(const float *x, const float *dy, const M *mean, int64_t c, int64_t inner,
                                   int64_t count, int64_t per, double2 *part)
{
    __shared__ double2 acc[kThreads];
    int64_t ch = blockIdx.x, e = blockIdx.y * per + threadIdx.x, e1 = (blockIdx.y + 1) * per;
    e1 = e1 < count ? e1 : count;
    double m = mean ? (double)mean[ch] : 0, s0 = 0, s1 = 0;
    int64_t o = e / inner, i = e % inner; // then stepped by kThreads elements without dividing
    const int64_t step_o = kThreads / inner, step_i = kThreads % inner;
    for (; e < e1; e += kThreads) {
        add_term<S>(x, dy, (o * c + ch) * inner + i, m, s0, s1);
        o += step_o, i += step_i;
        if (i >= inner) i -= inner, o++;
    }
    acc[threadIdx.x] = make_double2(s0, s1);
    __syncthreads();
    for (int half = kThreads / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) {
            acc[threadIdx.x].x += acc[threadIdx.x + half].x;
            acc[threadIdx.x].y += acc[threadIdx.x + half].y;
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) part[blockIdx.y * c + ch] = acc[0];
}

template <int S, typename M>
cudaError_t partial_sums(const Plan &p, const float *x, const float *dy, const M *mean, int64_t outer, int64_t c,
                         int64_t inner, double2 *part, cudaStream_t s)
{
    if (p.rows) {
        dim3 grid((unsigned)((c + kLanes - 1) / kLanes), (unsigned)p.chunks), block(kLanes, kRowsAtOnce);
        partial_sums_rows<S, M><<<grid, block, 0, s>>>(x, dy, mean, outer, c, p.per, part);
    } else {
        dim3 grid((unsigned)c, (unsigned)p.chunks);
        partial_sums_inner<S, M><<<grid, kThreads, 0, s>>>(x, dy, mean, c, inner, outer * inner, p.per, part);
    }
    return cudaGetLastError();
}

// Channel ch's total of the chunks' partial sums, added in chunk order.
__device__ double2 total(const double2 *part, int64_t chunks, int64_t c, int64_t ch)
{
    double2 t = make_double2(0, 0);
    for (int64_t k = 0; k < chunks; k++) t.x += part[k * c + ch].x, t.y += part[k * c + ch].y;
    return t;
}

__global__ void finish_mean(const double2 *part, int64_t chunks, int64_t c, int64_t count, double *mean)
{
    TFC_GPU_FOR(ch, c) mean[ch] = total(part, chunks, c, ch).x / (double)count;
}

// The [c] outputs and y's coefficients a, b (y = x * a + b), as the CPU's bn_outputs and bn_compute.
__global__ void finish_forward(tfc_gpu_bn j, const double2 *part, int64_t chunks, int64_t count, const double *mean,
                               double *a, double *b)
{
    TFC_GPU_FOR(ch, j.c) {
        double m, v;
        if (!j.training) {
            m = j.mean[ch], v = j.var[ch];
            j.batch_mean[ch] = j.mean[ch], j.batch_var[ch] = j.var[ch];
            j.saved_mean[ch] = j.saved_var[ch] = 0.0f;
        } else {
            m = count ? mean[ch] : NAN;
            v = count ? total(part, chunks, j.c, ch).x / (double)count : NAN;
            double f = j.factor, bessel = (double)count / (double)(count > 1 ? count - 1 : 1), vu = v * bessel;
            j.batch_mean[ch] = (float)(f == 1.0 ? m : __dadd_rn(__dmul_rn(1 - f, j.mean[ch]), __dmul_rn(f, m)));
            j.batch_var[ch] = (float)(f == 1.0 ? vu : __dadd_rn(__dmul_rn(1 - f, j.var[ch]), __dmul_rn(f, vu)));
            j.saved_mean[ch] = count ? (float)m : 0.0f;
            j.saved_var[ch] = count ? (float)v : 0.0f;
        }
        a[ch] = j.scale[ch] / sqrt(v + (double)j.epsilon);
        b[ch] = __dsub_rn(j.offset[ch], __dmul_rn(m, a[ch]));
    }
}

__device__ int64_t channel_of(int64_t e, int64_t c, int64_t inner) { return (inner == 1 ? e : e / inner) % c; }

__global__ void apply_forward(const float *x, float *y, const double *a, const double *b, int64_t c, int64_t inner,
                              int64_t n)
{
    TFC_GPU_FOR(e, n) {
        int64_t ch = channel_of(e, c, inner);
        y[e] = __fadd_rn(__fmul_rn(x[e], (float)a[ch]), (float)b[ch]);
    }
}

// scale_backprop, offset_backprop and dx's coefficients (dx = a * (dy - b - (x - mean) * d)), as the
// CPU's bn_grad_compute.
__global__ void finish_grad(tfc_gpu_bn_grad j, const double2 *part, int64_t chunks, int64_t count, double *a,
                            double *b, double *d)
{
    TFC_GPU_FOR(ch, j.c) {
        double2 t = total(part, chunks, j.c, ch); // (sum(dy), sum(dy * (x - mean)))
        double r = 1.0 / sqrt((double)j.var[ch] + (double)j.epsilon);
        j.dscale[ch] = (float)(t.y * r), j.doffset[ch] = (float)t.x;
        a[ch] = j.scale[ch] * r;
        b[ch] = j.training && count ? t.x / (double)count : 0;
        d[ch] = j.training && count ? t.y / (double)count * r * r : 0;
    }
}

__global__ void apply_grad(const float *dy, const float *x, const float *mean, float *dx, const double *a,
                           const double *b, const double *d, int64_t c, int64_t inner, int64_t n)
{
    TFC_GPU_FOR(e, n) {
        int64_t ch = channel_of(e, c, inner);
        double centred = (double)x[e] - (double)mean[ch];
        dx[e] = (float)__dmul_rn(a[ch], (double)dy[e] - b[ch] - __dmul_rn(centred, d[ch]));
    }
}

// The workspace: the partial sums, then four [c] arrays of doubles.
struct Workspace {
    double2 *part;
    double *mean, *a, *b, *d;
};

Workspace carve(void *ws, const Plan &p, int64_t c)
{
    Workspace w;
    w.part = (double2 *)ws;
    w.mean = (double *)(w.part + p.chunks * c);
    w.a = w.mean + c, w.b = w.a + c, w.d = w.b + c;
    return w;
}

} // namespace

extern "C" size_t tfc_gpu_bn_workspace_size(int64_t outer, int64_t c, int64_t inner)
{
    Plan p = plan(outer, c, inner);
    size_t n = (size_t)(p.chunks * c) * sizeof(double2) + 4 * (size_t)c * sizeof(double);
    return n ? n : 8;
}

extern "C" cudaError_t tfc_gpu_bn_forward(const tfc_gpu_bn *j, void *ws, cudaStream_t s)
{
    if (j->c == 0) return cudaSuccess;
    int64_t count = j->outer * j->inner;
    Plan p = plan(j->outer, j->c, j->inner);
    Workspace w = carve(ws, p, j->c);
    int blocks = tfc_gpu_blocks_for(j->c);
    cudaError_t e;
    if (j->training && count) {
        e = partial_sums<SUM_X, double>(p, j->x, NULL, NULL, j->outer, j->c, j->inner, w.part, s);
        if (e != cudaSuccess) return e;
        finish_mean<<<blocks, TFC_GPU_THREADS, 0, s>>>(w.part, p.chunks, j->c, count, w.mean);
        if ((e = cudaGetLastError()) != cudaSuccess) return e;
        e = partial_sums<SUM_SQDEV, double>(p, j->x, NULL, w.mean, j->outer, j->c, j->inner, w.part, s);
        if (e != cudaSuccess) return e;
    }
    finish_forward<<<blocks, TFC_GPU_THREADS, 0, s>>>(*j, w.part, p.chunks, count, w.mean, w.a, w.b);
    if ((e = cudaGetLastError()) != cudaSuccess || !count) return e;
    int64_t n = count * j->c;
    apply_forward<<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>(j->x, j->y, w.a, w.b, j->c, j->inner, n);
    return cudaGetLastError();
}

extern "C" cudaError_t tfc_gpu_bn_backward(const tfc_gpu_bn_grad *j, void *ws, cudaStream_t s)
{
    if (j->c == 0) return cudaSuccess;
    int64_t count = j->outer * j->inner;
    Plan p = plan(j->outer, j->c, j->inner); // no chunks when count is 0: the sums are 0
    Workspace w = carve(ws, p, j->c);
    cudaError_t e;
    if (count) {
        e = partial_sums<SUM_GRAD, float>(p, j->x, j->dy, j->mean, j->outer, j->c, j->inner, w.part, s);
        if (e != cudaSuccess) return e;
    }
    finish_grad<<<tfc_gpu_blocks_for(j->c), TFC_GPU_THREADS, 0, s>>>(*j, w.part, p.chunks, count, w.a, w.b, w.d);
    if ((e = cudaGetLastError()) != cudaSuccess || !count) return e;
    int64_t n = count * j->c;
    apply_grad<<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>(j->dy, j->x, j->mean, j->dx, w.a, w.b, w.d, j->c,
                                                                 j->inner, n);
    return cudaGetLastError();
}
