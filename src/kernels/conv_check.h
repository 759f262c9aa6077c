/* conv_check: the attribute parsing and run-time shape checks of Conv2D, DepthwiseConv2dNative,
 * Conv2DBackpropInput and Conv2DBackpropFilter, shared by their CPU and GPU kernels, with
 * TensorFlow's messages, and the window arithmetic both devices use (TensorFlow's
 * GetWindowedOutputSize). The device-specific limits (the CPU's NHWC only, no dilated or grouped
 * backprops) stay with the device's kernels. */
#ifndef TFC_KERNELS_CONV_CHECK_H_
#define TFC_KERNELS_CONV_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

enum { TFC_CONV_PAD_VALID, TFC_CONV_PAD_SAME, TFC_CONV_PAD_EXPLICIT };

/* A convolution node's attrs, parsed once at init. Strides, dilations and explicit paddings are
 * the spatial ones (top, bottom, left, right), whatever the data format. */
typedef struct tfc_conv_params {
    int pad_mode;
    bool nchw; /* data_format NCHW (else NHWC) */
    int64_t sh, sw, dh, dw;
    int64_t pt, pb, pl, pr;
} tfc_conv_params;

/* One call's sizes: input [n, ih, iw, c] (stored in the data format's order), filter
 * [kh, kw, cg, k] (HWIO; DepthwiseConv2dNative: cg = c and k the channel multiplier), output
 * [n, oh, ow, k] (depthwise: c * k channels), groups = c / cg, and the zero padding on each side
 * (SAME splits it as TensorFlow does: the odd one at the bottom / right). */
typedef struct tfc_conv_geom {
    int64_t n, ih, iw, c, kh, kw, cg, k, oh, ow, groups;
    int64_t pad_top, pad_bottom, pad_left, pad_right;
} tfc_conv_geom;

/* Parses strides, dilations, padding, explicit_paddings and data_format of c->op_type into *p
 * (every value below 2^31). nchw_supported: whether the device takes NCHW (the CPU does not:
 * UNIMPLEMENTED, TensorFlow's message). DepthwiseConv2dNative's spatial dilations are
 * UNIMPLEMENTED on every device, as in TensorFlow. */
TF_Code tfc_conv_parse(const tfc_kernel_init_ctx *c, bool nchw_supported, tfc_conv_params *p);

/* Conv2D / DepthwiseConv2dNative: checks input 0 against filter 1 and sets g. On failure the step
 * error is set and false returned. */
bool tfc_conv_check(tfc_kernel_ctx *k, const tfc_conv_params *p, bool depthwise, tfc_conv_geom *g);

/* Conv2DBackpropInput (filter_grad false: input_sizes 0, filter 1) and Conv2DBackpropFilter
 * (input 0, filter_sizes 1): reads the int32 sizes vector (host memory), checks it against the
 * other operand, and out_backprop (input 2) against the convolution's output; sets g. On failure
 * the step error is set and false returned. */
bool tfc_conv_backprop_check(tfc_kernel_ctx *k, const tfc_conv_params *p, bool filter_grad, tfc_conv_geom *g);

/* dims[4] of an image [n, h, w, c] in p's data format. */
void tfc_conv_image_dims(const tfc_conv_params *p, int64_t n, int64_t h, int64_t w, int64_t c, int64_t dims[4]);

#endif
