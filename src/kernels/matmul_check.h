/* matmul_check: the run-time shape and dtype checks of MatMul, shared by its CPU and GPU kernels,
 * with TensorFlow's messages. */
#ifndef TFC_KERNELS_MATMUL_CHECK_H_
#define TFC_KERNELS_MATMUL_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

/* Checks inputs 0 and 1 of k as op(A)[m,k] x op(B)[k,n] (op: transpose when ta / tb), every dim
 * at most INT_MAX (BLAS takes int); on success *m, *n, *kd get the sizes. On failure the step
 * error is set and false returned. */
bool tfc_matmul_check(tfc_kernel_ctx *k, bool ta, bool tb, int64_t *m, int64_t *n, int64_t *kd);

#endif
