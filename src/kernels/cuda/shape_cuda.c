/* shape_cuda: the ops whose output views the input's GPU buffer — Identity, Snapshot, StopGradient,
 * PreventGradient, Reshape, ExpandDims, Squeeze — so a reshape between two GPU kernels costs no
 * copy and no launch. The computes are the CPU's (kernels/view_kernels.h): they only share the
 * buffer under another shape, reading shape and axis inputs from host memory. Float and double
 * only: integer tensors stay on the CPU, so shape arithmetic around them stays on the host. */
#include "core/alloc.h"
#include "kernels/kernel.h"
#include "kernels/view_kernels.h"

#define FLOATS (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))

const tfc_kernel_def tfc_gpu_shape_kernels[] = {
    { "Identity", "GPU", FLOATS, .compute = tfc_forward_compute },
    { "Snapshot", "GPU", FLOATS, .compute = tfc_forward_compute },
    { "StopGradient", "GPU", FLOATS, .compute = tfc_forward_compute },
    { "PreventGradient", "GPU", FLOATS, .compute = tfc_forward_compute },
    { "Reshape", "GPU", FLOATS, .host_inputs = 1u << 1, .compute = tfc_reshape_compute },
    { "ExpandDims", "GPU", FLOATS, .host_inputs = 1u << 1, .compute = tfc_expand_dims_compute },
    { "Squeeze", "GPU", FLOATS, .init = tfc_squeeze_init, .free_state = tfc_free, .compute = tfc_squeeze_compute },
    { 0 },
};
