/* concat_cuda: ConcatV2 on the GPU (float, double; axis int32 or int64, read on the host). The
 * checks and messages are the CPU kernel's (concat_check.h). The output is seen as rows
 * [outer, sum of the inputs' row sizes], outer the product of the dims before the axis, and input
 * i fills a run of its own row size in every row: one cudaMemcpy2DAsync per input on the compute
 * stream (a plain copy when the rows are one run), no kernel of our own.
 *
 * The axis is the last input, whose index depends on N: host_last_input keeps it in host memory,
 * TensorFlow's HostMemory("axis"). */
#include <limits.h>

#include "core/dtype.h"
#include "core/status.h"
#include "kernels/concat_check.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/kernel.h"

/* height rows of width bytes from src (rows spitch apart) to dst (rows dpitch apart). */
static cudaError_t copy_rows(char *dst, size_t dpitch, const char *src, size_t spitch, size_t width, size_t height,
                             cudaStream_t stream)
{
    if (width == dpitch && width == spitch) return cudaMemcpyAsync(dst, src, width * height, cudaMemcpyDefault, stream);
    if (dpitch <= INT_MAX) /* the largest pitch cudaMemcpy2D takes (cudaDevAttrMaxPitch) */
        return cudaMemcpy2DAsync(dst, dpitch, src, spitch, width, height, cudaMemcpyDefault, stream);
    cudaError_t e = cudaSuccess; /* rows of over 2 GiB: few of them */
    for (size_t r = 0; r < height && e == cudaSuccess; r++)
        e = cudaMemcpyAsync(dst + r * dpitch, src + r * spitch, width, cudaMemcpyDefault, stream);
    return e;
}

static void concat_out(tfc_kernel_ctx *k, int n, int64_t axis, const int64_t *dims)
{
    const TF_Tensor *first = tfc_kernel_input(k, 0);
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, first->ndims, &out) || out->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, "ConcatV2")) return;
    int64_t outer = 1;
    for (int i = 0; i < axis; i++) outer *= dims[i]; /* divides out->nelems, which is not 0 */
    size_t es = tfc_dtype_elem_size(out->dtype), row = (size_t)(out->nelems / outer) * es, col = 0;
    for (int i = 0; i < n; i++) {
        const TF_Tensor *in = tfc_kernel_input(k, i);
        size_t run = (size_t)(in->nelems / outer) * es;
        if (run == 0) continue;
        cudaError_t e = copy_rows((char *)tfc_tensor_data(out) + col, row, tfc_tensor_data(in), run, run,
                                  (size_t)outer, d->compute);
        if (e != cudaSuccess) {
            tfc_kernel_error(k, TF_INTERNAL, "copying input %d: %s", i, cudaGetErrorString(e));
            return;
        }
        col += run;
    }
}

static void concat_compute(tfc_kernel_ctx *k)
{
    int n = k->n_inputs - 1;
    int64_t axis = 0, dims[TFC_MAX_RANK];
    if (tfc_concat_v2_check(k, n, tfc_kernel_input(k, n), &axis, dims)) concat_out(k, n, axis, dims);
}

const tfc_kernel_def tfc_gpu_concat_kernels[] = {
    { "ConcatV2", "GPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .host_last_input = true, /* axis */
      .compute = concat_compute },
    { 0 },
};
