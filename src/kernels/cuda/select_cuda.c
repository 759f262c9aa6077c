/* select_cuda: Select and SelectV2 (float, double) on the GPU, the condition a bool tensor in
 * device memory. Shapes are checked and collapsed as on the CPU (kernels/select_check.h), so
 * messages match; Select's scalar condition, which the CPU reads on the host to view t or e,
 * here broadcasts over the output like any other (the GPU's data is never read on the host). */
#include "kernels/cpu/broadcast.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/select_launch.h"
#include "kernels/kernel.h"
#include "kernels/select_check.h"

static void select_run(tfc_kernel_ctx *k, const tfc_bcast *b)
{
    if (b->rank > TFC_GPU_BCAST_RANK) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "broadcasting over %d dimensions that do not merge (the GPU does %d)",
                         b->rank, TFC_GPU_BCAST_RANK);
        return;
    }
    TF_Tensor *z;
    int fwd = tfc_forwardable_input(k, b->out_dims, b->out_rank); /* t or e: each element reads its own */
    if (tfc_kernel_forward_or_alloc(k, fwd, 0, b->out_dims, b->out_rank, &z) || b->out_count <= 0) return;
    tfc_gpu_bcast3 g = { .rank = b->rank, .n = b->out_count };
    for (int d = 0; d < b->rank; d++) {
        g.dims[d] = b->dims[d];
        g.sc[d] = b->strides[0][d];
        g.st[d] = b->strides[1][d];
        g.se[d] = b->strides[2][d];
    }
    tfc_cuda *c = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(c, k->status, k->op_type)) return;
    cudaError_t e = tfc_gpu_select(tfc_tensor_data(k->inputs[0]), tfc_tensor_data(k->inputs[1]),
                                   tfc_tensor_data(k->inputs[2]), tfc_tensor_data(z), tfc_dtype_elem_size(z->dtype), g,
                                   c->compute);
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

static void select_compute(tfc_kernel_ctx *k)
{
    tfc_bcast b;
    bool scalar;
    if (tfc_select_check(k, k->output_types[0], &b, &scalar)) select_run(k, &b);
}

static void selectv2_compute(tfc_kernel_ctx *k)
{
    tfc_bcast b;
    if (tfc_selectv2_check(k, k->output_types[0], &b)) select_run(k, &b);
}

#define FLOATS (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
const tfc_kernel_def tfc_gpu_select_kernels[] = {
    { "Select", "GPU", FLOATS, .compute = select_compute },
    { "SelectV2", "GPU", FLOATS, .compute = selectv2_compute },
    { 0 },
};
