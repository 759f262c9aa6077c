/* bias_check: the run-time shape checks of BiasAdd and BiasAddGrad, shared by their CPU and GPU
 * kernels, with TensorFlow's messages. */
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

/* BiasAddGrad's attrs, parsed once by tfc_bias_add_grad_init (freed with tfc_free). */
typedef struct tfc_bias_grad_params {
    TF_DataType dtype;
    bool nchw;
} tfc_bias_grad_params;

/* BiasAddGrad's init on `device` ("CPU" or "GPU"), whose kernels take float and double. */
TF_Code tfc_bias_add_grad_init(const tfc_kernel_init_ctx *c, const char *device, void **state);

/* Checks BiasAddGrad's out_backprop (input 0): dtype (its and the output's), at least 2-D. On
 * success *c is the channel count (dim 1 for NCHW of rank >= 3, else the last dim) and, when the
 * input is not empty, *outer and *inner the elements before and after the channel dim (both 0 when
 * it is empty). On failure the step error is set and false returned. */
bool tfc_bias_add_grad_check(tfc_kernel_ctx *k, TF_DataType dtype, bool nchw_attr, int64_t *outer, int64_t *c,
                             int64_t *inner);

#endif
