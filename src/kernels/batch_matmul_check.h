/* batch_matmul_check: BatchMatMulV2's attrs and run-time checks, shared by its CPU and GPU
 * kernels, with TensorFlow's messages: ranks, dtypes, the inner dimensions, the broadcast of the
 * batch dims, and matrix dims that BLAS can take. */
#ifndef TFC_KERNELS_BATCH_MATMUL_CHECK_H_
#define TFC_KERNELS_BATCH_MATMUL_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

/* The kernel state: attrs T, adj_x and adj_y. */
typedef struct tfc_bmm_attrs {
    TF_DataType dtype;
    bool adj_x, adj_y;
} tfc_bmm_attrs;

/* The products out[b] = op(x[b]) op(y[b]) of x [..., xr, xc] and y [..., yr, yc]: m x k times
 * k x n, op transposing when ta / tb; out has rb batch dims out_batch and is [..., m, n]. Matrix b
 * of the output reads the matrices of x and y at element offsets sum(digit_d * x_stride[d]) and
 * sum(digit_d * y_stride[d]), b written in the mixed radix out_batch (strides 0 where broadcast). */
typedef struct tfc_bmm_geom {
    bool ta, tb;
    int64_t m, n, k;
    int rb;
    int64_t out_batch[TFC_MAX_RANK];
    int64_t x_stride[TFC_MAX_RANK], y_stride[TFC_MAX_RANK]; /* filled by tfc_bmm_strides */
} tfc_bmm_geom;

/* Reads the attrs into a tfc_bmm_attrs state (free it with tfc_free). */
TF_Code tfc_bmm_init(const tfc_kernel_init_ctx *c, void **state);
/* Checks inputs x (0) and y (1) of k as BatchMatMulV2 with attrs s and broadcasts their batch
 * dims; on success g (but its strides) and the output's dims[0 .. g->rb + 2) are set. On failure
 * the step error is set and false returned. */
bool tfc_bmm_check(tfc_kernel_ctx *k, const tfc_bmm_attrs *s, tfc_bmm_geom *g, int64_t *dims);
/* Fills g's matrix strides. Call only when x and y are not empty (the products then stay below
 * their element counts). */
void tfc_bmm_strides(const TF_Tensor *x, const TF_Tensor *y, tfc_bmm_geom *g);

#endif
