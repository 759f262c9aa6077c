/* pool_check: the attribute and run-time shape checks of MaxPool, AvgPool, MaxPoolGrad and
 * AvgPoolGrad, shared by their CPU and GPU kernels, with TensorFlow's messages, and the window
 * arithmetic both devices use (TensorFlow's GetWindowedOutputSize). */
#ifndef TFC_KERNELS_POOL_CHECK_H_
#define TFC_KERNELS_POOL_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "core/dtype.h"
#include "kernels/kernel.h"
#include "kernels/pool_params.h"

/* The dtypes of MaxPool's kernels (both devices); AvgPool and the gradients take float and double. */
#define TFC_MAXPOOL_KERNEL_TYPES                                                                             \
    (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE) | TFC_TYPE_BIT(TF_INT8) | TFC_TYPE_BIT(TF_INT16) |     \
     TFC_TYPE_BIT(TF_INT32) | TFC_TYPE_BIT(TF_INT64) | TFC_TYPE_BIT(TF_UINT8) | TFC_TYPE_BIT(TF_UINT16))

/* The init of every pooling kernel: parses ksize, strides, padding, explicit_paddings and
 * data_format of c->op_type into a tfc_malloc'd tfc_pool_params (free: tfc_free). nchw_supported:
 * whether the device takes NCHW (the CPU does not: INVALID_ARGUMENT, TensorFlow's message);
 * NCHW_VECT_C is UNIMPLEMENTED where NCHW is supported. */
TF_Code tfc_pool_init(const tfc_kernel_init_ctx *c, bool nchw_supported, void **state);

/* MaxPool / AvgPool: checks input 0 against p and sets g. On failure the step error is set and
 * false returned. */
bool tfc_pool_check(tfc_kernel_ctx *k, const tfc_pool_params *p, tfc_pool_geom *g);

/* MaxPoolGrad / AvgPoolGrad: reads the input dims (orig_input's, or AvgPoolGrad's host int32
 * orig_input_shape) into in_dims, checks orig_output and grad against the pooled shape and sets g.
 * On failure the step error is set and false returned. */
bool tfc_pool_grad_check(tfc_kernel_ctx *k, const tfc_pool_params *p, tfc_pool_geom *g, int64_t in_dims[4]);

/* The pooled output's dims in the data format's order. */
void tfc_pool_out_dims(const tfc_pool_params *p, const tfc_pool_geom *g, int64_t dims[4]);

#endif
