/* pool_params: a pooling node's window and one call's sizes, as pool_check.h parses and checks
 * them; plain data, so the GPU's launchers (cuda/pool_launch.h) take them as they are. */
#ifndef TFC_KERNELS_POOL_PARAMS_H_
#define TFC_KERNELS_POOL_PARAMS_H_
#include <stdbool.h>
#include <stdint.h>

enum { TFC_PAD_VALID, TFC_PAD_SAME, TFC_PAD_EXPLICIT };

/* The window, parsed once at init. kd > 1 is depthwise max pooling (then kh = kw = 1 and the depth
 * stride equals kd). Explicit paddings are in pixels: top, bottom, left, right. */
typedef struct tfc_pool_params {
    int pad_mode;
    bool nchw;
    int64_t kh, kw, kd, sh, sw;
    int64_t pt, pb, pl, pr;
} tfc_pool_params;

/* One call's sizes: the input [n, ih, iw, c] and the pooled output [n, oh, ow, oc] (laid out in
 * the data format's order), and the padding before the first row and column. */
typedef struct tfc_pool_geom {
    int64_t n, ih, iw, c, oh, ow, oc, pad_top, pad_left;
} tfc_pool_geom;

#endif
