/* select_check: the run-time checks of Select and SelectV2, shared by their CPU kernels
 * (kernels/cpu/compare_cpu.c) and the GPU's (kernels/cuda/select_cuda.c), with TensorFlow's
 * messages: condition is bool, t and e are of the kernel's dtype, and the shapes follow each op's
 * rules. On success b is the broadcast of (condition, t, e) to the output's shape; on failure the
 * step error is set and false returned. */
#ifndef TFC_KERNELS_SELECT_CHECK_H_
#define TFC_KERNELS_SELECT_CHECK_H_
#include <stdbool.h>

#include "kernels/cpu/broadcast.h"
#include "kernels/kernel.h"

/* Select keeps TensorFlow's old rules: condition is a scalar (*scalar set: the output is all of t
 * or all of e), has t's shape, or is a vector over t's first dim (broadcast as [n, 1, ..., 1]). */
bool tfc_select_check(tfc_kernel_ctx *k, TF_DataType dtype, tfc_bcast *b, bool *scalar);
/* SelectV2 broadcasts all three as NumPy does. */
bool tfc_selectv2_check(tfc_kernel_ctx *k, TF_DataType dtype, tfc_bcast *b);

#endif
