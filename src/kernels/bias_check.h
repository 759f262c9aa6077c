/* bias_check: the run-time shape checks of BiasAdd, shared by its CPU and GPU kernels, with
 * TensorFlow's messages. */
#ifndef TFC_KERNELS_BIAS_CHECK_H_
#define TFC_KERNELS_BIAS_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

/* Checks value (input 0, at least 2-D) against bias (input 1, 1-D, one per channel: the last dim,
 * or dim 1 for NCHW of rank >= 3). On success *nchw says which layout applies, *c is the channel
 * count and *inner the elements after the channel dim (1 for NHWC). On failure the step error is
 * set and false returned. */
bool tfc_bias_add_check(tfc_kernel_ctx *k, bool nchw_attr, bool *nchw, int64_t *c, int64_t *inner);

#endif
