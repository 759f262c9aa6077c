/* tile_cuda: Tile and BroadcastTo on the GPU (float, double; multiples and shape are host inputs,
 * checked as the CPU checks them: array_build_check.h). Both outputs are strided views of the
 * input, so they run on Transpose's per-element kernel (transpose_launch.h), which reads output
 * element i at sum(digit_d * istride[d]) for any strides: a broadcast dim has stride 0, and a tiled
 * dim of in_d * m elements is split into [m, in_d] with strides [0, the input's]. The gradient of
 * every reduction (Sum, Mean) broadcasts back through BroadcastTo, so training needs this on the
 * device. */
#include <stdbool.h>

#include "core/dtype.h"
#include "kernels/array_build_check.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/transpose_launch.h"
#include "kernels/kernel.h"

/* Appends an output dim of `size` elements reading the input `stride` apart; false when the
 * view would pass TFC_MAX_RANK dims. Size-1 dims are dropped: their digit is always 0. */
static bool push_dim(tfc_gpu_perm *p, int64_t size, int64_t stride)
{
    if (size == 1) return true;
    if (p->rank == TFC_MAX_RANK) return false;
    p->odims[p->rank] = size, p->istride[p->rank] = stride;
    p->rank++;
    return true;
}

/* Queues the copy of the view p of input 0 into out. */
static void gather_view(tfc_kernel_ctx *k, const tfc_gpu_perm *p, TF_Tensor *out, const char *op)
{
    if (out->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, op)) return;
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    cudaError_t e = tfc_gpu_transpose_any(tfc_dtype_elem_size(in->dtype), tfc_tensor_data(in), tfc_tensor_data(out),
                                          p, d->compute);
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "%s kernel launch failed: %s", op, cudaGetErrorString(e));
}

static void too_many_dims(tfc_kernel_ctx *k)
{
    tfc_kernel_error(k, TF_UNIMPLEMENTED, "%s on the GPU: the tiled view needs more than %d dims", k->op_type,
                     TFC_MAX_RANK);
}

static void tile_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    int64_t dims[TFC_MAX_RANK], strides[TFC_MAX_RANK], stride = 1;
    TF_Tensor *out;
    if (!tfc_tile_check(k, dims) || tfc_kernel_alloc_output(k, 0, dims, in->ndims, &out)) return;
    if (out->nelems == 0) return;
    tfc_gpu_perm p = { .rank = 0, .n = out->nelems };
    for (int i = in->ndims - 1; i >= 0; i--) strides[i] = stride, stride *= in->dims[i];
    for (int i = 0; i < in->ndims; i++) {
        int64_t m = dims[i] / in->dims[i]; /* in->dims[i] > 0: the output is not empty */
        if (!push_dim(&p, m, 0) || !push_dim(&p, in->dims[i], strides[i])) {
            too_many_dims(k);
            return;
        }
    }
    gather_view(k, &p, out, "Tile");
}

static void broadcast_to_compute(tfc_kernel_ctx *k)
{
    int64_t dims[TFC_MAX_RANK], in_dims[TFC_MAX_RANK];
    int rank;
    TF_Tensor *out;
    if (!tfc_broadcast_to_check(k, dims, &rank, in_dims) || tfc_kernel_alloc_output(k, 0, dims, rank, &out)) return;
    tfc_gpu_perm p = { .rank = 0, .n = out->nelems };
    int64_t stride = 1, strides[TFC_MAX_RANK];
    for (int i = rank - 1; i >= 0; i--) strides[i] = stride, stride *= in_dims[i];
    for (int i = 0; i < rank; i++) push_dim(&p, dims[i], in_dims[i] == 1 ? 0 : strides[i]); /* rank dims at most */
    gather_view(k, &p, out, "BroadcastTo");
}

#define FLOATS (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))

const tfc_kernel_def tfc_gpu_tile_kernels[] = {
    { "Tile", "GPU", FLOATS, .host_inputs = 1u << 1, /* multiples */ .compute = tile_compute },
    { "BroadcastTo", "GPU", FLOATS, .host_inputs = 1u << 1, /* shape */ .compute = broadcast_to_compute },
    { 0 },
};
