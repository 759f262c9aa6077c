/* variable_cuda: the variable ops on the GPU, so a float or double variable's value lives in GPU
 * memory and the optimizer updates it in place (training_cuda.c) instead of copying weights and
 * gradients across every step. The handle, assignment and read kernels are the CPU's (they only
 * swap and share tensors: kernels/variable_kernels.h); AssignAdd and AssignSub add on the GPU.
 * Placement (session/place.c) puts a variable here only when every op using its handle has a GPU
 * kernel, so a variable read by, say, ResourceGather stays on the CPU. */
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/cwise_launch.h"
#include "kernels/kernel.h"
#include "kernels/var_access.h"
#include "kernels/variable_kernels.h"

static TF_Code add_on_gpu(tfc_kernel_ctx *k, TF_Tensor *cur, const TF_Tensor *value, bool subtract)
{
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return k->status->code;
    tfc_gpu_bcast g = { .rank = 1, .n = cur->nelems, .dims = { cur->nelems }, .sa = { 1 }, .sb = { 1 } };
    float *x = tfc_tensor_data(cur);
    cudaError_t e = tfc_gpu_binary_f32(subtract ? TFC_GPU_SUB : TFC_GPU_ADD, x, tfc_tensor_data(value), x, g, d->compute);
    if (e != cudaSuccess) return tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
    return TF_OK;
}

static void assign_add(tfc_kernel_ctx *k)
{
    tfc_var_add_value(k, false, add_on_gpu);
    if (tfc_kernel_ok(k)) tfc_kernel_forward_ref(k, 0, 0);
}

static void assign_sub(tfc_kernel_ctx *k)
{
    tfc_var_add_value(k, true, add_on_gpu);
    if (tfc_kernel_ok(k)) tfc_kernel_forward_ref(k, 0, 0);
}

static void assign_add_variable(tfc_kernel_ctx *k) { tfc_var_add_value(k, false, add_on_gpu); }
static void assign_sub_variable(tfc_kernel_ctx *k) { tfc_var_add_value(k, true, add_on_gpu); }

/* Float and double, the dtypes of the optimizers on the GPU (training_cuda.c); integer variables
 * (counters, steps) are read on the host. AssignAdd and AssignSub are float only (the GPU's
 * element-wise add is), so a double variable they update stays on the CPU. */
#define F32 TFC_TYPE_BIT(TF_FLOAT)
#define FLOATS (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
const tfc_kernel_def tfc_gpu_variable_kernels[] = {
    { "VariableV2", "GPU", FLOATS, .type_attr = "dtype", TFC_VAR_STATE, .compute = tfc_ref_variable_compute },
    { "VarHandleOp", "GPU", FLOATS, .type_attr = "dtype", TFC_VAR_STATE, .compute = tfc_var_handle_compute },
    { "Assign", "GPU", FLOATS, TFC_ATTRS_STATE, .compute = tfc_assign_compute },
    { "AssignVariableOp", "GPU", FLOATS, .type_attr = "dtype", TFC_ATTRS_STATE, .compute = tfc_assign_variable_compute },
    { "AssignAdd", "GPU", F32, .compute = assign_add },
    { "AssignSub", "GPU", F32, .compute = assign_sub },
    { "AssignAddVariableOp", "GPU", F32, .type_attr = "dtype", .compute = assign_add_variable },
    { "AssignSubVariableOp", "GPU", F32, .type_attr = "dtype", .compute = assign_sub_variable },
    { "IsVariableInitialized", "GPU", FLOATS, .type_attr = "dtype", .host_outputs = 1, .compute = tfc_is_initialized_compute },
    { "VarIsInitializedOp", "GPU", 0, .host_outputs = 1, .compute = tfc_is_initialized_compute },
    { "ReadVariableOp", "GPU", FLOATS, .type_attr = "dtype", .compute = tfc_read_variable_compute },
    { "VariableShape", "GPU", 0, .host_outputs = 1, .compute = tfc_variable_shape_compute },
    { "DestroyResourceOp", "GPU", 0, TFC_ATTRS_STATE, .compute = tfc_destroy_resource_compute },
    { 0 },
};
