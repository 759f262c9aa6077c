/* control_flow_cpu: CPU kernels of the control-flow ops (ops/control_flow_ops.c). They only move
 * tensors: the routing — dead ports, frames, iterations — is the executor's (session/cf.h). A
 * Switch leaves its untaken output unset, which the control-flow executor turns into a dead
 * tensor; Merge runs inside the executor (it needs to know which inputs are live). */
#include "core/dtype.h"
#include "kernels/kernel.h"

/* Enter, Exit, NextIteration, LoopCond and their Ref variants: output 0 is input 0. */
static void forward_compute(tfc_kernel_ctx *k)
{
    TF_Tensor *t = tfc_tensor_ref(tfc_kernel_input(k, 0));
    if (!t) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    tfc_kernel_set_output(k, 0, t);
}

static void switch_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *pred = tfc_kernel_input(k, 1);
    if (pred->dtype != TF_BOOL || pred->ndims != 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "The second input must be a scalar bool, got %s of rank %d",
                         tfc_dtype_name(pred->dtype), pred->ndims);
        return;
    }
    TF_Tensor *t = tfc_tensor_ref(tfc_kernel_input(k, 0));
    if (!t) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    tfc_kernel_set_output(k, *(const bool *)tfc_tensor_data(pred) ? 1 : 0, t);
}

/* Merge runs in the control-flow executor, which passes only live inputs (others NULL). */
static void merge_compute(tfc_kernel_ctx *k)
{
    for (int i = 0; i < tfc_kernel_num_inputs(k); i++) {
        const TF_Tensor *in = tfc_kernel_input(k, i);
        if (!in) continue;
        TF_Tensor *index;
        if (tfc_kernel_alloc_output(k, 1, NULL, 0, &index)) return;
        *(int32_t *)tfc_tensor_data(index) = i;
        TF_Tensor *t = tfc_tensor_ref(in);
        if (!t) {
            tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
            return;
        }
        tfc_kernel_set_output(k, 0, t);
        return;
    }
    tfc_kernel_error(k, TF_INTERNAL, "Merge ran without a live input");
}

static void control_trigger_compute(tfc_kernel_ctx *k) { (void)k; }

#define FORWARD(op) { op, "CPU", 0, .compute = forward_compute }

const tfc_kernel_def tfc_cpu_control_flow_kernels[] = {
    /* types 0: one kernel for every dtype (they only move tensors) */
    { "Switch", "CPU", 0, .compute = switch_compute },
    { "RefSwitch", "CPU", 0, .compute = switch_compute },
    { "Merge", "CPU", 0, .compute = merge_compute },
    { "RefMerge", "CPU", 0, .compute = merge_compute },
    FORWARD("Enter"),
    FORWARD("RefEnter"),
    FORWARD("Exit"),
    FORWARD("RefExit"),
    FORWARD("NextIteration"),
    FORWARD("RefNextIteration"),
    FORWARD("LoopCond"),
    { "ControlTrigger", "CPU", 0, .compute = control_trigger_compute },
    { 0 },
};
