// emu_device: what nvcc gives a .cu file, for the CUDA emulator: the execution-space keywords as
// nothing, threadIdx and its kin, __syncthreads, the warp shuffles, the intrinsics tfc's kernels
// use, and tfc_emu_launch, which queues a grid on a stream. The build compiles each .cu file as C++
// with this header forced in first, after emu_rewrite.c turned every `k<<<grid, block, shared,
// stream>>>(args)` into `tfc_emu_launch(<lambda calling k>, grid, block, shared, stream)(args)`.
//
// Each emulated thread gets its own copy of the kernel's arguments; __shared__ variables become
// statics, shared by a block's threads because blocks run one at a time.
#ifndef TFC_TESTS_CUDA_EMU_EMU_DEVICE_H_
#define TFC_TESTS_CUDA_EMU_EMU_DEVICE_H_
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cmath>
#include <tuple>
#include <utility>

#include <cuda_runtime_api.h>
#include <vector_functions.h>
#include <vector_types.h>

#include "emu_runtime.h"

#undef __host__
#undef __device__
#undef __global__
#undef __shared__
#undef __forceinline__
#define __host__
#define __device__
#define __global__
#define __shared__ static
#define __forceinline__ inline
#define __launch_bounds__(...)
#ifndef __CUDACC__
#define __CUDACC__ 1 // what tfc's shared headers test for their device parts (never __CUDA_ARCH__)
#endif

// ---- the thread's place, set by the scheduler (emu_threads.cpp) while a kernel runs ----
extern uint3 tfc_emu_threadIdx, tfc_emu_blockIdx;
extern dim3 tfc_emu_blockDim, tfc_emu_gridDim;
#define threadIdx tfc_emu_threadIdx
#define blockIdx tfc_emu_blockIdx
#define blockDim tfc_emu_blockDim
#define gridDim tfc_emu_gridDim
#define warpSize 32

void tfc_emu_syncthreads();
void tfc_emu_syncwarp();
unsigned tfc_emu_linear_thread();
void *tfc_emu_lane_value(unsigned linear_thread);
bool tfc_emu_launch_ok(dim3 grid, dim3 block, size_t shared_bytes);

inline void __syncthreads() { tfc_emu_syncthreads(); }
inline void __syncwarp(unsigned = 0xffffffffu) { tfc_emu_syncwarp(); }

// A shuffle: every lane of the warp posts v, waits for the others, reads lane `from` (its own
// value when from is outside its width-lane segment), and waits again before anyone posts anew.
template <typename T>
T tfc_emu_shuffle(T v, int from_offset, bool absolute, int width)
{
    static_assert(sizeof(T) <= 16, "a shuffled value is at most 16 bytes");
    const unsigned me = tfc_emu_linear_thread(), lane = me % 32, seg = lane / (unsigned)width * (unsigned)width;
    memcpy(tfc_emu_lane_value(me), &v, sizeof v);
    tfc_emu_syncwarp();
    const int in_seg = absolute ? from_offset % width : (int)(lane - seg) + from_offset;
    T r = v;
    if (in_seg >= 0 && in_seg < width) memcpy(&r, tfc_emu_lane_value(me - lane + seg + (unsigned)in_seg), sizeof r);
    tfc_emu_syncwarp();
    return r;
}

template <typename T>
T __shfl_down_sync(unsigned, T v, unsigned delta, int width = 32)
{
    return tfc_emu_shuffle(v, (int)delta, false, width);
}

template <typename T>
T __shfl_sync(unsigned, T v, int lane, int width = 32)
{
    return tfc_emu_shuffle(v, lane, true, width);
}

// ---- intrinsics: the host's IEEE arithmetic rounds to nearest, as the _rn ones do ----
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __uint_as_float(unsigned u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}
inline unsigned __float_as_uint(float f)
{
    unsigned u;
    memcpy(&u, &f, sizeof u);
    return u;
}
inline double __longlong_as_double(long long l)
{
    double d;
    memcpy(&d, &l, sizeof d);
    return d;
}
inline long long __double_as_longlong(double d)
{
    long long l;
    memcpy(&l, &d, sizeof l);
    return l;
}
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }

// ---- launches ----

// A queued grid: the kernel (a lambda that calls it) and the launch's arguments, copied for each
// thread as CUDA gives each thread the parameters.
template <typename K, typename... A>
struct tfc_emu_grid_job {
    K kernel;
    dim3 grid, block;
    std::tuple<A...> args;

    static void thread_main(void *job)
    {
        auto *j = static_cast<tfc_emu_grid_job *>(job);
        std::tuple<A...> mine = j->args;
        std::apply(j->kernel, mine);
    }
    static void run(void *job)
    {
        auto *j = static_cast<tfc_emu_grid_job *>(job);
        tfc_emu_run_grid(j->grid, j->block, thread_main, j);
        delete j;
    }
};

template <typename K>
struct tfc_emu_launcher {
    K kernel;
    dim3 grid, block;
    size_t shared_bytes;
    cudaStream_t stream;

    template <typename... A>
    void operator()(A &&...a) const
    {
        if (!tfc_emu_launch_ok(grid, block, shared_bytes)) return;
        using job = tfc_emu_grid_job<K, std::decay_t<A>...>;
        tfc_emu_enqueue(stream, job::run, new job{ kernel, grid, block, { std::forward<A>(a)... } });
    }
};

template <typename K>
tfc_emu_launcher<K> tfc_emu_launch(K kernel, dim3 grid, dim3 block, size_t shared_bytes = 0,
                                   cudaStream_t stream = nullptr)
{
    return tfc_emu_launcher<K>{ kernel, grid, block, shared_bytes, stream };
}

#endif
