/* transpose_cuda: Transpose on the GPU (float, double; perm int32 or int64, a host input). The perm
 * check and the collapsing of dims are the CPU kernel's (transpose_check.h): a permutation that
 * keeps the order of the elements outputs a view of the input, as on the CPU; one that collapses to
 * [rows, cols] -> [cols, rows], or [b, rows, cols] -> [b, cols, rows], runs the tiled kernel; any
 * other the per-element kernel of transpose_cuda.cu. Our own kernels rather than
 * cudnnTransformTensor: no limit on the rank or on int sizes, and the same code for each dtype. */
#include "core/dtype.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/transpose_launch.h"
#include "kernels/kernel.h"
#include "kernels/transpose_check.h"

static void transpose_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    tfc_transpose_plan p;
    TF_Tensor *out;
    if (!tfc_transpose_prepare(k, &p) || tfc_kernel_alloc_output(k, 0, p.dims, p.rank, &out)) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, "Transpose")) return;
    size_t es = tfc_dtype_elem_size(in->dtype);
    bool batched_2d = p.cr == 3 && p.cperm[0] == 0 && p.cperm[1] == 2 && p.cperm[2] == 1;
    cudaError_t e;
    if (p.cr == 2 || batched_2d) { /* [1,0] or [0,2,1] after collapsing */
        int b = p.cr - 2;
        e = tfc_gpu_transpose_tiles(es, tfc_tensor_data(in), tfc_tensor_data(out), b ? p.cdims[0] : 1, p.cdims[b],
                                    p.cdims[b + 1], d->compute);
    } else {
        tfc_gpu_perm g = { .rank = p.cr, .n = out->nelems };
        for (int j = 0; j < p.cr; j++) g.odims[j] = p.odims[j], g.istride[j] = p.istride[j];
        e = tfc_gpu_transpose_any(es, tfc_tensor_data(in), tfc_tensor_data(out), &g, d->compute);
    }
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "Transpose kernel launch failed: %s", cudaGetErrorString(e));
}

const tfc_kernel_def tfc_gpu_transpose_kernels[] = {
    { "Transpose", "GPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .host_inputs = 1u << 1, /* perm */
      .compute = transpose_compute },
    { 0 },
};
