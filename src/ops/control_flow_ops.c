/* control_flow_ops: TensorFlow's dataflow control-flow ops (Switch, Merge, Enter, Exit,
 * NextIteration, LoopCond, ControlTrigger and the Ref variants), as
 * tensorflow/core/ops/control_flow_ops.cc defines them. Their routing (dead tensors, frames,
 * iterations) lives in the executor (session/cf.h); kernels: kernels/cpu/control_flow_cpu.c;
 * gradients (tf.cond v1 semantics): ops/control_flow_grad.c. They forward any dtype. */
#include "core/dtype.h"
#include "ops/control_flow_grad.h"
#include "ops/op_def.h"

/* Switch: both outputs have the data's shape; pred must be a scalar. */
static TF_Code switch_shape(tfc_shape_ctx *c)
{
    const tfc_pshape *pred = tfc_shape_input(c, 1);
    if (pred->rank > 0) return tfc_shape_fail(c, "pred must be a scalar, got rank %d", pred->rank);
    tfc_shape_set_output(c, 0, tfc_shape_input(c, 0));
    tfc_shape_set_output(c, 1, tfc_shape_input(c, 0));
    return TF_OK;
}

/* Merge: the inputs' shape where they agree (dims that differ unknown, ranks that differ an
 * unknown rank); value_index is a scalar. */
static TF_Code merge_shape(tfc_shape_ctx *c)
{
    tfc_pshape out = *tfc_shape_input(c, 0);
    for (int i = 1; i < tfc_shape_num_inputs(c) && out.rank >= 0; i++) {
        const tfc_pshape *s = tfc_shape_input(c, i);
        if (s->rank != out.rank) {
            out = tfc_pshape_unknown();
            break;
        }
        for (int d = 0; d < out.rank; d++)
            if (s->dims[d] != out.dims[d]) out.dims[d] = -1;
    }
    tfc_shape_set_output(c, 0, &out);
    tfc_pshape scalar = tfc_pshape_make(NULL, 0);
    tfc_shape_set_output(c, 1, &scalar);
    return TF_OK;
}

static TF_Code forward_shape(tfc_shape_ctx *c)
{
    tfc_shape_set_output(c, 0, tfc_shape_input(c, 0));
    return TF_OK;
}

static TF_Code loop_cond_shape(tfc_shape_ctx *c)
{
    const tfc_pshape *in = tfc_shape_input(c, 0);
    if (in->rank > 0) return tfc_shape_fail(c, "input must be a scalar, got rank %d", in->rank);
    tfc_pshape scalar = tfc_pshape_make(NULL, 0);
    tfc_shape_set_output(c, 0, &scalar);
    return TF_OK;
}

#define T_ATTR ((const tfc_attr_def[]){ { "T", TF_ATTR_TYPE }, { 0 } })
#define ENTER_ATTRS                                                                                                   \
    ((const tfc_attr_def[]){ { "T", TF_ATTR_TYPE },                                                                 \
                             { "frame_name", TF_ATTR_STRING },                                                      \
                             { "is_constant", TF_ATTR_BOOL, .has_default = true, .dflt.b = false },                 \
                             { "parallel_iterations", TF_ATTR_INT, .has_default = true, .dflt.i = 10 },             \
                             { 0 } })
#define DATA(ref) ((const tfc_arg_def[]){ { "data", .type_attr = "T", .is_ref = ref }, { 0 } })
#define OUTPUT(ref) ((const tfc_arg_def[]){ { "output", .type_attr = "T", .is_ref = ref }, { 0 } })
#define SWITCH_IN(ref) ((const tfc_arg_def[]){ { "data", .type_attr = "T", .is_ref = ref }, { "pred", TF_BOOL }, { 0 } })
#define SWITCH_OUT(ref)                                                                                               \
    ((const tfc_arg_def[]){ { "output_false", .type_attr = "T", .is_ref = ref },                                   \
                            { "output_true", .type_attr = "T", .is_ref = ref }, { 0 } })
#define MERGE_IN(ref) ((const tfc_arg_def[]){ { "inputs", .type_attr = "T", .number_attr = "N", .is_ref = ref }, { 0 } })
#define MERGE_OUT(ref)                                                                                                \
    ((const tfc_arg_def[]){ { "output", .type_attr = "T", .is_ref = ref }, { "value_index", TF_INT32 }, { 0 } })
#define MERGE_ATTRS                                                                                                   \
    ((const tfc_attr_def[]){ { "T", TF_ATTR_TYPE }, { "N", TF_ATTR_INT, .has_minimum = true, .minimum = 1 }, { 0 } })

const tfc_op_def tfc_control_flow_ops[] = {
    { .name = "Switch", .summary = "Forwards data to output_true if pred is true, else to output_false.",
      .inputs = SWITCH_IN(false), .outputs = SWITCH_OUT(false), .attrs = T_ATTR, .shape_fn = switch_shape,
      .grad_fn = tfc_grad_switch },
    { .name = "RefSwitch", .summary = "Forwards the ref tensor data to the output port chosen by pred.",
      .inputs = SWITCH_IN(true), .outputs = SWITCH_OUT(true), .attrs = T_ATTR,
      .flags = TFC_OP_ALLOWS_UNINITIALIZED_INPUT, .shape_fn = switch_shape },
    { .name = "Merge", .summary = "Forwards the value of an available tensor from inputs to output.",
      .inputs = MERGE_IN(false), .outputs = MERGE_OUT(false), .attrs = MERGE_ATTRS, .shape_fn = merge_shape,
      .grad_fn = tfc_grad_merge },
    { .name = "RefMerge", .summary = "Forwards the value of an available ref tensor from inputs to output.",
      .inputs = MERGE_IN(true), .outputs = MERGE_OUT(true), .attrs = MERGE_ATTRS,
      .flags = TFC_OP_ALLOWS_UNINITIALIZED_INPUT, .shape_fn = merge_shape },
    { .name = "Enter", .summary = "Creates or finds a child frame, and makes data available to it.",
      .inputs = DATA(false), .outputs = OUTPUT(false), .attrs = ENTER_ATTRS, .shape_fn = forward_shape,
      .grad_fn = tfc_grad_loop_unsupported },
    { .name = "RefEnter", .summary = "Creates or finds a child frame, and makes the ref data available to it.",
      .inputs = DATA(true), .outputs = OUTPUT(true), .attrs = ENTER_ATTRS, .shape_fn = forward_shape },
    { .name = "Exit", .summary = "Exits the current frame to its parent frame.", .inputs = DATA(false),
      .outputs = OUTPUT(false), .attrs = T_ATTR, .shape_fn = forward_shape, .grad_fn = tfc_grad_loop_unsupported },
    { .name = "RefExit", .summary = "Exits the current frame to its parent frame (ref).", .inputs = DATA(true),
      .outputs = OUTPUT(true), .attrs = T_ATTR, .shape_fn = forward_shape },
    { .name = "NextIteration", .summary = "Makes its input available to the next iteration.",
      .inputs = DATA(false), .outputs = OUTPUT(false), .attrs = T_ATTR, .shape_fn = forward_shape,
      .grad_fn = tfc_grad_loop_unsupported },
    { .name = "RefNextIteration", .summary = "Makes its ref input available to the next iteration.",
      .inputs = DATA(true), .outputs = OUTPUT(true), .attrs = T_ATTR, .shape_fn = forward_shape },
    { .name = "LoopCond", .summary = "Forwards the input to the output; the loop's termination condition.",
      .inputs = (const tfc_arg_def[]){ { "input", TF_BOOL }, { 0 } },
      .outputs = (const tfc_arg_def[]){ { "output", TF_BOOL }, { 0 } }, .shape_fn = loop_cond_shape },
    { .name = "ControlTrigger", .summary = "Does nothing; runs whether its control inputs are dead or live." },
    { 0 },
};
