/* cast_cuda: Cast on the GPU, for the sources of cast_launch.h (float, double, int32, int64, uint8,
 * bool) to every Cast type, converting by the CPU's rules (kernels/cast_rules.h) so NaN and
 * out-of-range values give the same bits on both devices. The attrs are checked as the CPU checks
 * them (kernels/cast_check.h); SrcT == DstT views the input's buffer, as on the CPU. */
#include "core/alloc.h"
#include "kernels/cast_check.h"
#include "kernels/cpu/broadcast.h"
#include "kernels/cuda/cast_launch.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/kernel.h"

static TF_Code cast_init(const tfc_kernel_init_ctx *c, void **state)
{
    tfc_cast_spec spec;
    TF_Code rc = tfc_cast_parse(c, &spec);
    if (rc) return rc;
    tfc_cast_spec *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = spec;
    *state = s;
    return TF_OK;
}

static void cast_compute(tfc_kernel_ctx *k)
{
    const tfc_cast_spec *s = tfc_kernel_state(k);
    if (!tfc_cwise_check(k, 1, s->src, s->dst)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    if (s->src == s->dst) {
        TF_Tensor *t = tfc_tensor_ref(x);
        if (!t) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        else tfc_kernel_set_output(k, 0, t);
        return;
    }
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y) || y->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, "Cast")) return;
    cudaError_t e = tfc_gpu_cast(s->src, s->dst_index, s->truncate, tfc_tensor_data(x), tfc_tensor_data(y), y->nelems,
                                 d->compute);
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

#define SOURCE_BIT(s, S, K, T) | TFC_TYPE_BIT(T)
const tfc_kernel_def tfc_gpu_cast_kernels[] = {
    { "Cast", "GPU", 0 TFC_GPU_CAST_SRC(SOURCE_BIT), .type_attr = "SrcT", .init = cast_init, .free_state = tfc_free,
      .compute = cast_compute },
    { 0 },
};
