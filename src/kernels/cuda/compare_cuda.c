/* compare_cuda: Equal, NotEqual, Less, LessEqual, Greater and GreaterEqual on the GPU (float,
 * double, int64 inputs; bool output) with NumPy broadcasting. Shapes are checked and collapsed as
 * on the CPU (tfc_gpu_binary_prepare, over broadcast.h's tfc_binary_prepare), so messages match;
 * Equal and NotEqual with incompatible_shape_error = false give the CPU's scalar false (true for
 * NotEqual) when the shapes cannot broadcast. int32 is left to the CPU, as TensorFlow keeps int32
 * in host memory: a loop counter's Less on the GPU would cost two copies per iteration. */
#include <stdint.h>

#include "core/alloc.h"
#include "kernels/cpu/broadcast.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/cwise_launch.h"
#include "kernels/kernel.h"

typedef struct compare_state {
    TF_DataType dtype;
    bool shape_error; /* incompatible_shape_error (Equal, NotEqual; true for the others) */
} compare_state;

static TF_Code compare_init(const tfc_kernel_init_ctx *c, void **state)
{
    compare_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (compare_state){ tfc_attrs_type(c->attrs, "T", (TF_DataType)0),
                          tfc_attrs_bool(c->attrs, "incompatible_shape_error", true) };
    *state = s;
    return TF_OK;
}

static void launch_error(tfc_kernel_ctx *k, cudaError_t e)
{
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

/* incompatible_value: the scalar output of Equal-like ops on shapes that cannot broadcast. */
static void compare(tfc_kernel_ctx *k, tfc_gpu_compare_op op, uint8_t incompatible_value)
{
    const compare_state *s = tfc_kernel_state(k);
    tfc_bcast b;
    tfc_gpu_bcast g;
    bool incompatible = false;
    if (!tfc_gpu_binary_prepare(k, s->dtype, TF_BOOL, &b, &g, s->shape_error ? NULL : &incompatible)) return;
    TF_Tensor *z;
    if (incompatible ? tfc_kernel_alloc_output(k, 0, NULL, 0, &z)
                     : tfc_kernel_alloc_output(k, 0, b.out_dims, b.out_rank, &z))
        return;
    if (z->nelems == 0) return;
    tfc_cuda *c = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(c, k->status, k->op_type)) return;
    if (incompatible) {
        launch_error(k, cudaMemsetAsync(tfc_tensor_data(z), incompatible_value, 1, c->compute));
        return;
    }
    launch_error(k, tfc_gpu_compare(op, s->dtype, tfc_tensor_data(tfc_kernel_input(k, 0)),
                                    tfc_tensor_data(tfc_kernel_input(k, 1)), tfc_tensor_data(z), g, c->compute));
}

#define COMPARE(fn, OP, INCOMPATIBLE) static void fn(tfc_kernel_ctx *k) { compare(k, OP, INCOMPATIBLE); }
COMPARE(equal, TFC_GPU_EQUAL, 0)
COMPARE(not_equal, TFC_GPU_NOT_EQUAL, 1)
COMPARE(less, TFC_GPU_LESS, 0)
COMPARE(less_equal, TFC_GPU_LESS_EQUAL, 0)
COMPARE(greater, TFC_GPU_GREATER, 0)
COMPARE(greater_equal, TFC_GPU_GREATER_EQUAL, 0)

#define TYPES (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE) | TFC_TYPE_BIT(TF_INT64))
#define KERNEL(op, fn) { op, "GPU", TYPES, .init = compare_init, .free_state = tfc_free, .compute = fn }
const tfc_kernel_def tfc_gpu_compare_kernels[] = {
    KERNEL("Equal", equal),
    KERNEL("NotEqual", not_equal),
    KERNEL("Less", less),
    KERNEL("LessEqual", less_equal),
    KERNEL("Greater", greater),
    KERNEL("GreaterEqual", greater_equal),
    { 0 },
};
