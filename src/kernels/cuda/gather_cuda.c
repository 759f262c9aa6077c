/* gather_cuda: GatherV2 on the GPU (float, double params; int16, int32 or int64 indices; axis and
 * batch_dims as on the CPU).
 *
 * TensorFlow's CPU kernel rejects an index outside [0, gather dim) with an error naming it, and the
 * fixtures expect that error on every device; a GPU kernel cannot look at device data without
 * waiting for the device. So indices are a host input, like the axis: gather_check.h runs the CPU
 * kernel's exact checks on them on the host, then they are copied into a pool buffer with
 * cudaMemcpyAsync on the compute stream (from pageable memory this returns once the source is
 * staged, so the host tensor may go) and the gather runs as our own kernel (gather_cuda.cu). The
 * pool buffer is freed right after the launch: the pool is ordered by the compute stream. */
#include "core/dtype.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/gather_launch.h"
#include "kernels/gather_check.h"
#include "kernels/kernel.h"

/* Copies the indices to the device and gathers params into out. */
static void gather_on_device(tfc_kernel_ctx *k, tfc_cuda *d, const tfc_gather_geom *g, TF_Tensor *out)
{
    const TF_Tensor *params = tfc_kernel_input(k, 0), *indices = tfc_kernel_input(k, 1);
    void *idx = tfc_cuda_pool_alloc(d->pool, indices->nbytes);
    if (!idx) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of GPU memory for %zu bytes of indices", indices->nbytes);
        return;
    }
    cudaError_t e = cudaMemcpyAsync(idx, tfc_tensor_data(indices), indices->nbytes, cudaMemcpyDefault, d->compute);
    if (e != cudaSuccess) {
        tfc_kernel_error(k, TF_INTERNAL, "copying the indices: %s", cudaGetErrorString(e));
    } else {
        tfc_gpu_gather_geom gg = { out->nelems, g->outer, g->gather, g->inner, g->nidx };
        e = tfc_gpu_gather(tfc_dtype_elem_size(params->dtype), indices->dtype, tfc_tensor_data(params), idx,
                           tfc_tensor_data(out), gg, d->compute);
        if (e != cudaSuccess)
            tfc_kernel_error(k, TF_INTERNAL, "GatherV2 kernel launch failed: %s", cudaGetErrorString(e));
    }
    tfc_cuda_pool_free(d->pool, idx); /* the kernel reading it is queued before any new user */
}

static void gather_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *indices = tfc_kernel_input(k, 1);
    tfc_gather_geom g;
    TF_Tensor *out;
    if (!tfc_gather_check(k, &g)) return;
    if (indices->dtype != TF_INT16 && indices->dtype != TF_INT32 && indices->dtype != TF_INT64) {
        /* int8 and uint8 pass the shared check, but GatherV2's Tindices does not allow them */
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "GatherV2 on the GPU takes int16, int32 or int64 indices, not %s",
                         tfc_dtype_name(indices->dtype));
        return;
    }
    if (tfc_kernel_alloc_output(k, 0, g.dims, g.rank, &out) || out->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, "GatherV2")) return;
    gather_on_device(k, d, &g, out);
}

const tfc_kernel_def tfc_gpu_gather_kernels[] = {
    { "GatherV2", "GPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .type_attr = "Tparams",
      .host_inputs = 1u << 1 | 1u << 2, /* indices, axis */ .init = tfc_gather_init, .compute = gather_compute },
    { 0 },
};
