/* const_cuda: Const on the GPU. The value is copied into device memory once, when the kernel is
 * made, and every step outputs that same tensor, so a weight-like constant costs no copy per step
 * and per consumer. Only floating dtypes: integer constants are mostly shapes and axes, which
 * kernels read on the host, so they stay on the CPU (as TensorFlow keeps int32 in host memory). */
#include "core/tensor.h"
#include "kernels/cuda/cuda_devices.h"
#include "kernels/kernel.h"

static TF_Code const_init(const tfc_kernel_init_ctx *c, void **state)
{
    const TF_Tensor *value = tfc_attrs_tensor(c->attrs, "value");
    if (!value) return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "attr 'value' is not set");
    TF_Tensor *t = NULL;
    TF_Status st = { TF_OK, NULL };
    TF_Code rc = tfc_tensor_copy_to(value, c->device, &t, &st);
    if (rc) {
        tfc_kernel_init_error(c, rc, "copying the value to %s: %s", c->device->name, st.msg ? st.msg : "failed");
        tfc_status_clear(&st);
        return rc;
    }
    *state = t;
    return TF_OK;
}

static void const_free(void *state) { TF_DeleteTensor(state); }

/* The state keeps a reference, so no consumer can take the buffer as exclusive and write it. */
static void const_compute(tfc_kernel_ctx *k)
{
    TF_Tensor *t = tfc_tensor_ref(tfc_kernel_state(k));
    if (!t) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    tfc_kernel_set_output(k, 0, t);
}

const tfc_kernel_def tfc_gpu_const_kernels[] = {
    { "Const", "GPU", TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .type_attr = "dtype", .init = const_init,
      .free_state = const_free, .compute = const_compute },
    { 0 },
};
