// training_cuda: the optimizer update rules on the GPU. The rules are the CPU's, compiled from
// the same template (kernels/training_rules.h) as __device__ functions; each thread runs its
// rule over one element, after reading the scalar inputs (lr, beta1, ...) from device memory into
// its copy of the job, so no scalar ever crosses to the host.
#include "kernels/cuda/training_launch.h"

#include <math.h>

#include "kernels/cuda/grid.h"

#define restrict __restrict__
#define TM_DEVICE __device__
#include "kernels/training_rules_f32_f64.h"

namespace {

// One element of the rule's update, for the float (f32) or double (f64) rules.
#define RUN_RULE(T, SFX)                                                                             \
    template <>                                                                                     \
    __device__ void run_rule<T>(tfc_train_rule rule, const tfc_train_job *j, int64_t i)             \
    {                                                                                               \
        switch (rule) {                                                                             \
        case TFC_TRAIN_SGD: sgd_##SFX(j, i, i + 1); break;                                          \
        case TFC_TRAIN_MOMENTUM: momentum_##SFX(j, i, i + 1); break;                                \
        case TFC_TRAIN_ADAGRAD: adagrad_##SFX(j, i, i + 1); break;                                  \
        case TFC_TRAIN_ADADELTA: adadelta_##SFX(j, i, i + 1); break;                                \
        case TFC_TRAIN_RMSPROP: rmsprop_##SFX(j, i, i + 1); break;                                  \
        case TFC_TRAIN_CENTERED_RMSPROP: centered_rmsprop_##SFX(j, i, i + 1); break;                \
        case TFC_TRAIN_ADAM: adam_##SFX(j, i, i + 1); break;                                        \
        case TFC_TRAIN_ADAMAX: adamax_##SFX(j, i, i + 1); break;                                    \
        case TFC_TRAIN_FTRL: ftrl_##SFX(j, i, i + 1); break;                                        \
        default: break;                                                                             \
        }                                                                                           \
    }

template <typename T>
__device__ void run_rule(tfc_train_rule rule, const tfc_train_job *j, int64_t i);
RUN_RULE(float, f32)
RUN_RULE(double, f64)

// The rule is uniform across the grid, so the switch costs one well-predicted branch.
template <typename T>
__global__ void train_kernel(tfc_train_rule rule, tfc_train_job j, int64_t n)
{
    for (int s = 0; s < j.n_scalars; s++) j.s[s] = (double)*(const T *)j.sp[s];
    TFC_GPU_FOR(i, n)
        run_rule<T>(rule, &j, i);
}

} // namespace

extern "C" cudaError_t tfc_gpu_train(tfc_train_rule rule, bool is_double, tfc_train_job j, int64_t n, cudaStream_t s)
{
    if (n <= 0) return cudaSuccess;
    if (is_double) train_kernel<double><<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>(rule, j, n);
    else train_kernel<float><<<tfc_gpu_blocks_for(n), TFC_GPU_THREADS, 0, s>>>(rule, j, n);
    return cudaGetLastError();
}
