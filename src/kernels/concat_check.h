/* concat_check: the run-time checks of ConcatV2, shared by its CPU and GPU kernels, with
 * TensorFlow's messages. */
#ifndef TFC_KERNELS_CONCAT_CHECK_H_
#define TFC_KERNELS_CONCAT_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

/* Checks the n values (inputs 0 .. n-1) of k and the axis tensor axis_t (in host memory): no
 * scalars, an int32 or int64 scalar axis in [-rank, rank), every value of input 0's rank and dims
 * but on the axis, and a sum of the axis dims that does not overflow. On success *axis is in
 * [0, rank) and dims[0 .. rank) are the output's dims; on failure the step error is set and false
 * returned. */
bool tfc_concat_v2_check(tfc_kernel_ctx *k, int n, const TF_Tensor *axis_t, int64_t *axis, int64_t *dims);

#endif
