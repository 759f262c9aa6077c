/* batchnorm_check: the attributes and the run-time shape and dtype checks of FusedBatchNormV3 and
 * FusedBatchNormGradV3, shared by their CPU and GPU kernels, with TensorFlow's messages. Both view
 * x as [outer, C, inner]: channels last (NHWC, NDHWC) has inner = 1; channels first (NCHW, NCDHW)
 * has outer = N. */
#ifndef TFC_KERNELS_BATCHNORM_CHECK_H_
#define TFC_KERNELS_BATCHNORM_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

typedef struct tfc_bn_params {
    float epsilon, factor; /* factor: exponential_avg_factor */
    bool training, channels_first;
    int rank; /* 4 or 5, from data_format */
} tfc_bn_params;

/* The init of both ops' kernels: the attrs in a tfc_malloc'd tfc_bn_params (free: tfc_free). */
TF_Code tfc_bn_init(const tfc_kernel_init_ctx *c, void **state);

/* FusedBatchNormV3: checks x and the [C] vectors (mean and variance only when they are used: in
 * inference, or with exponential_avg_factor != 1) and sets the [outer, C, inner] view. On failure
 * the step error is set and false returned. */
bool tfc_bn_check(tfc_kernel_ctx *k, const tfc_bn_params *s, int64_t *outer, int64_t *c, int64_t *inner);

/* FusedBatchNormGradV3: checks y_backprop, x, scale and reserve_space_1/2 and sets the view of x.
 * On failure the step error is set and false returned. */
bool tfc_bn_grad_check(tfc_kernel_ctx *k, const tfc_bn_params *s, int64_t *outer, int64_t *c, int64_t *inner);

#endif
