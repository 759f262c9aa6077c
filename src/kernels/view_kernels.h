/* view_kernels: the computes of the ops whose output views an input's buffer under the same or
 * another shape — Identity and the forwarding ops (IdentityN, PlaceholderWithDefault, Snapshot,
 * StopGradient, PreventGradient), Reshape, ExpandDims and Squeeze. They never touch the data (a
 * buffer is immutable once produced, so even Snapshot needs no copy) and read only host-memory
 * shape and axis inputs, so kernels/cpu/array_cpu.c and the GPU's kernels/cuda/shape_cuda.c serve
 * these ops with the same computes, checks and messages, wherever the buffer lives. */
#ifndef TFC_KERNELS_VIEW_KERNELS_H_
#define TFC_KERNELS_VIEW_KERNELS_H_
#include "kernels/kernel.h"

/* Output i views input i, for every output. */
void tfc_forward_compute(tfc_kernel_ctx *k);
/* Reshape(tensor, shape): shape (host, int32 or int64) may hold one -1, inferred. */
void tfc_reshape_compute(tfc_kernel_ctx *k);
/* ExpandDims(input, dim): dim (host) a single int32 or int64 in [-rank - 1, rank]. */
void tfc_expand_dims_compute(tfc_kernel_ctx *k);
/* Squeeze: state is the squeeze_dims attr, parsed by tfc_squeeze_init (free with tfc_free). */
TF_Code tfc_squeeze_init(const tfc_kernel_init_ctx *c, void **state);
void tfc_squeeze_compute(tfc_kernel_ctx *k);

#endif
