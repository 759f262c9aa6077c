// pool_cuda: the pooling kernels (see pool_launch.h). Our own kernels rather than cuDNN's: cuDNN
// pads symmetrically, while TensorFlow's SAME may pad one more row or column at the end, and its
// MaxPool backward recomputes the argmax in its own order. Here every window is clipped to the
// input exactly as the CPU kernels clip it (kernels/cpu/pool_cpu.c), so padded positions never take
// part and AvgPool divides by the in-bounds count, for every padding. The forward runs one thread
// per output element; the gradients gather, one thread per input element, over the windows that
// hold it, in the CPU's order (rows, then columns) — so they need no atomics or zeroing and their
// sums are the CPU's, bit for bit. MaxPoolGrad credits the first maximum of each window in row-major
// order (TensorFlow's tie rule), recomputed from orig_input.
#include "kernels/cuda/pool_launch.h"

#include <float.h>
#include <stdint.h>

#include "kernels/cuda/grid.h"

namespace {

// MaxPool's start value, the CPU's: the lowest finite value of T.
template <typename T> __device__ T lowest();
template <> __device__ float lowest<float>() { return -FLT_MAX; }
template <> __device__ double lowest<double>() { return -DBL_MAX; }
template <> __device__ int8_t lowest<int8_t>() { return INT8_MIN; }
template <> __device__ int16_t lowest<int16_t>() { return INT16_MIN; }
template <> __device__ int32_t lowest<int32_t>() { return INT32_MIN; }
template <> __device__ int64_t lowest<int64_t>() { return INT64_MIN; }
template <> __device__ uint8_t lowest<uint8_t>() { return 0; }
template <> __device__ uint16_t lowest<uint16_t>() { return 0; }

// A position (b, y, x, ch) in an [n, h, w, c] tensor laid out NHWC or NCHW.
struct Pos {
    int64_t b, y, x, ch;
};

__device__ Pos split(int64_t e, bool nchw, int64_t h, int64_t w, int64_t c)
{
    Pos p;
    if (nchw) {
        p.x = e % w, e /= w;
        p.y = e % h, e /= h;
        p.ch = e % c, p.b = e / c;
    } else {
        p.ch = e % c, e /= c;
        p.x = e % w, e /= w;
        p.y = e % h, p.b = e / h;
    }
    return p;
}

__device__ int64_t offset(bool nchw, int64_t h, int64_t w, int64_t c, int64_t b, int64_t y, int64_t x, int64_t ch)
{
    return nchw ? ((b * c + ch) * h + y) * w + x : ((b * h + y) * w + x) * c + ch;
}

// The rows (or columns) [lo, hi) of input the window of output o covers, clipped to [0, in).
__device__ void clip(int64_t o, int64_t stride, int64_t pad, int64_t k, int64_t in, int64_t *lo, int64_t *hi)
{
    int64_t a = o * stride - pad, z = a + k;
    *lo = a < 0 ? 0 : a;
    *hi = z > in ? in : z;
}

// The outputs [lo, hi) whose windows (k wide, every stride, after pad) hold input position pos.
__device__ void windows_holding(int64_t pos, int64_t stride, int64_t pad, int64_t k, int64_t out, int64_t *lo,
                                int64_t *hi)
{
    int64_t q = pos + pad; // in padded coordinates window o covers [o * stride, o * stride + k)
    *lo = q >= k ? (q - k) / stride + 1 : 0;
    int64_t last = q / stride + 1;
    *hi = last < out ? last : out;
}

template <typename T, bool MAX>
__global__ void pool_kernel(const T *x, T *y, tfc_pool_params p, tfc_pool_geom g, int64_t total)
{
    TFC_GPU_FOR(e, total) {
        Pos o = split(e, p.nchw, g.oh, g.ow, g.oc);
        int64_t y0, y1, x0, x1;
        clip(o.y, p.sh, g.pad_top, p.kh, g.ih, &y0, &y1);
        clip(o.x, p.sw, g.pad_left, p.kw, g.iw, &x0, &x1);
        T acc = MAX ? lowest<T>() : T(0);
        for (int64_t iy = y0; iy < y1; iy++)
            for (int64_t ix = x0; ix < x1; ix++)
                for (int64_t ch = o.ch * p.kd; ch < (o.ch + 1) * p.kd; ch++) { // kd == 1 but depthwise
                    T v = x[offset(p.nchw, g.ih, g.iw, g.c, o.b, iy, ix, ch)];
                    acc = MAX ? (v > acc ? v : acc) : acc + v;
                }
        if (!MAX) {
            int64_t n = (y1 > y0 ? y1 - y0 : 0) * (x1 > x0 ? x1 - x0 : 0);
            acc = n ? acc / (T)n : acc;
        }
        y[e] = acc;
    }
}

// Whether (at_y, at_x) is the first maximum of channel ch's window [y0, y1) x [x0, x1) of image b.
template <typename T>
__device__ bool is_first_max(const T *x, const tfc_pool_params &p, const tfc_pool_geom &g, const Pos &at, int64_t y0,
                             int64_t y1, int64_t x0, int64_t x1)
{
    int64_t by = -1, bx = -1;
    T m = 0;
    for (int64_t iy = y0; iy < y1; iy++)
        for (int64_t ix = x0; ix < x1; ix++) {
            T v = x[offset(p.nchw, g.ih, g.iw, g.c, at.b, iy, ix, at.ch)];
            if (by < 0 || v > m) by = iy, bx = ix, m = v;
        }
    return by == at.y && bx == at.x;
}

template <typename T, bool MAX>
__global__ void pool_grad_kernel(const T *x, const T *dy, T *dx, tfc_pool_params p, tfc_pool_geom g, int64_t total)
{
    TFC_GPU_FOR(e, total) {
        Pos at = split(e, p.nchw, g.ih, g.iw, g.c);
        int64_t oy0, oy1, ox0, ox1;
        windows_holding(at.y, p.sh, g.pad_top, p.kh, g.oh, &oy0, &oy1);
        windows_holding(at.x, p.sw, g.pad_left, p.kw, g.ow, &ox0, &ox1);
        T acc = 0;
        for (int64_t oy = oy0; oy < oy1; oy++) {
            int64_t y0, y1;
            clip(oy, p.sh, g.pad_top, p.kh, g.ih, &y0, &y1);
            for (int64_t ox = ox0; ox < ox1; ox++) {
                int64_t x0, x1;
                clip(ox, p.sw, g.pad_left, p.kw, g.iw, &x0, &x1);
                T grad = dy[offset(p.nchw, g.oh, g.ow, g.oc, at.b, oy, ox, at.ch)];
                if (!MAX) acc += grad / (T)((y1 - y0) * (x1 - x0)); // the window holds at: not empty
                else if (is_first_max(x, p, g, at, y0, y1, x0, x1)) acc += grad;
            }
        }
        dx[e] = acc;
    }
}

template <typename T, bool MAX>
cudaError_t launch(const tfc_pool_params *p, const tfc_pool_geom *g, const void *x, void *y, cudaStream_t s)
{
    int64_t total = g->n * g->oh * g->ow * g->oc;
    if (total <= 0) return cudaSuccess;
    pool_kernel<T, MAX><<<tfc_gpu_blocks_for(total), TFC_GPU_THREADS, 0, s>>>((const T *)x, (T *)y, *p, *g, total);
    return cudaGetLastError();
}

template <typename T, bool MAX>
cudaError_t launch_grad(const tfc_pool_params *p, const tfc_pool_geom *g, const void *x, const void *dy, void *dx,
                        cudaStream_t s)
{
    int64_t total = g->n * g->ih * g->iw * g->c;
    if (total <= 0) return cudaSuccess;
    pool_grad_kernel<T, MAX>
        <<<tfc_gpu_blocks_for(total), TFC_GPU_THREADS, 0, s>>>((const T *)x, (const T *)dy, (T *)dx, *p, *g, total);
    return cudaGetLastError();
}

} // namespace

extern "C" cudaError_t tfc_gpu_pool(bool is_max, TF_DataType dt, const tfc_pool_params *p, const tfc_pool_geom *g,
                                    const void *x, void *y, cudaStream_t s)
{
    if (!is_max) { // AvgPool: floating types only
        if (dt == TF_FLOAT) return launch<float, false>(p, g, x, y, s);
        return dt == TF_DOUBLE ? launch<double, false>(p, g, x, y, s) : cudaErrorInvalidValue;
    }
    switch (dt) {
    case TF_FLOAT: return launch<float, true>(p, g, x, y, s);
    case TF_DOUBLE: return launch<double, true>(p, g, x, y, s);
    case TF_INT8: return launch<int8_t, true>(p, g, x, y, s);
    case TF_INT16: return launch<int16_t, true>(p, g, x, y, s);
    case TF_INT32: return launch<int32_t, true>(p, g, x, y, s);
    case TF_INT64: return launch<int64_t, true>(p, g, x, y, s);
    case TF_UINT8: return launch<uint8_t, true>(p, g, x, y, s);
    case TF_UINT16: return launch<uint16_t, true>(p, g, x, y, s);
    default: return cudaErrorInvalidValue;
    }
}

extern "C" cudaError_t tfc_gpu_pool_grad(bool is_max, TF_DataType dt, const tfc_pool_params *p,
                                         const tfc_pool_geom *g, const void *x, const void *dy, void *dx,
                                         cudaStream_t s)
{
    if (dt == TF_FLOAT)
        return is_max ? launch_grad<float, true>(p, g, x, dy, dx, s) : launch_grad<float, false>(p, g, x, dy, dx, s);
    if (dt == TF_DOUBLE)
        return is_max ? launch_grad<double, true>(p, g, x, dy, dx, s) : launch_grad<double, false>(p, g, x, dy, dx, s);
    return cudaErrorInvalidValue;
}
