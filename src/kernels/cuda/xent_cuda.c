/* xent_cuda: SoftmaxCrossEntropyWithLogits, SparseSoftmaxCrossEntropyWithLogits and L2Loss on the
 * GPU (float, double), with the CPU kernels' checks and messages (kernels/xent_check.h) and their
 * formulas (cpu/softmax_cpu.c), as our own kernels (xent_cuda.cu).
 *
 * The CPU rejects an out-of-range sparse label before touching any row, and a GPU kernel cannot
 * look at device data without waiting for the device; so labels are a host input: the shared
 * check reads them on the host, then they are copied into a pool buffer with cudaMemcpyAsync on
 * the compute stream (as gather_cuda.c does with its indices) and freed right after the launch
 * (the pool is ordered by the compute stream). L2Loss's per-block partial sums live in a pool
 * buffer freed the same way. */
#include "core/dtype.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/grid.h"
#include "kernels/cuda/xent_launch.h"
#include "kernels/kernel.h"
#include "kernels/xent_check.h"

static void launch_error(tfc_kernel_ctx *k, cudaError_t e)
{
    if (e != cudaSuccess)
        tfc_kernel_error(k, TF_INTERNAL, "%s kernel launch failed: %s", k->op_type, cudaGetErrorString(e));
}

static void xent_compute(tfc_kernel_ctx *k)
{
    const TF_DataType dt = k->output_types[0]; /* T: the loss has it */
    tfc_xent_geom g;
    if (!tfc_xent_check(k, dt, &g)) return;
    TF_Tensor *loss, *bp;
    if (tfc_xent_alloc_outputs(k, &g, &loss, &bp) || g.rows == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    tfc_gpu_xent_geom gg = { g.rows, g.classes, { g.fs[0], g.fs[1] }, { g.ls[0], g.ls[1] } };
    launch_error(k, tfc_gpu_xent(dt, tfc_tensor_data(tfc_kernel_input(k, 0)), tfc_tensor_data(tfc_kernel_input(k, 1)),
                                 tfc_tensor_data(loss), tfc_tensor_data(bp), gg, d->compute));
}

/* Copies the (checked) host labels to the device and runs the kernel into loss and bp. */
static void sparse_on_device(tfc_kernel_ctx *k, tfc_cuda *d, TF_Tensor *loss, TF_Tensor *bp)
{
    const TF_Tensor *logits = tfc_kernel_input(k, 0), *labels = tfc_kernel_input(k, 1);
    void *dev = tfc_cuda_pool_alloc(d->pool, labels->nbytes);
    if (!dev) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of GPU memory for %zu bytes of labels", labels->nbytes);
        return;
    }
    cudaError_t e = cudaMemcpyAsync(dev, tfc_tensor_data(labels), labels->nbytes, cudaMemcpyDefault, d->compute);
    if (e != cudaSuccess)
        tfc_kernel_error(k, TF_INTERNAL, "copying the labels: %s", cudaGetErrorString(e));
    else
        launch_error(k, tfc_gpu_sparse_xent(logits->dtype, labels->dtype, tfc_tensor_data(logits), dev,
                                            tfc_tensor_data(loss), tfc_tensor_data(bp), logits->dims[0],
                                            logits->dims[1], d->compute));
    tfc_cuda_pool_free(d->pool, dev); /* the kernel reading it is queued before any new user */
}

static void sparse_xent_compute(tfc_kernel_ctx *k)
{
    if (!tfc_sparse_xent_check(k, k->output_types[0])) return;
    const TF_Tensor *f = tfc_kernel_input(k, 0);
    TF_Tensor *loss, *bp;
    if (tfc_kernel_alloc_output(k, 0, f->dims, 1, &loss)) return;
    if (tfc_kernel_forward_or_alloc(k, 0, 1, f->dims, 2, &bp)) return;
    if (f->dims[0] == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    sparse_on_device(k, d, loss, bp);
}

static void l2_loss_compute(tfc_kernel_ctx *k)
{
    const TF_DataType dt = k->output_types[0];
    if (!tfc_xent_check_types(k, 1, &dt, 1)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_alloc_output(k, 0, NULL, 0, &y)) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    int blocks = tfc_gpu_blocks_for(x->nelems);
    double *partial = tfc_cuda_pool_alloc(d->pool, sizeof(double) * (size_t)blocks);
    if (!partial) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of GPU memory for L2Loss's partial sums");
        return;
    }
    launch_error(k, tfc_gpu_l2_loss(dt, tfc_tensor_data(x), x->nelems, partial, blocks, tfc_tensor_data(y),
                                    d->compute));
    tfc_cuda_pool_free(d->pool, partial); /* ordered after the kernels by the compute stream */
}

#define FLOATS (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
const tfc_kernel_def tfc_gpu_xent_kernels[] = {
    { "SoftmaxCrossEntropyWithLogits", "GPU", FLOATS, .compute = xent_compute },
    { "SparseSoftmaxCrossEntropyWithLogits", "GPU", FLOATS, .host_inputs = 1u << 1, /* labels */
      .compute = sparse_xent_compute },
    { "L2Loss", "GPU", FLOATS, .compute = l2_loss_compute },
    { 0 },
};
