/* control_flow_grad: gradients of the control-flow ops (ops/control_flow_ops.c) with TensorFlow 1's
 * tf.cond semantics: the gradient of a Switch is a Merge of its branches' gradients (the untaken
 * branch's gradient is dead, so Merge picks the live one), the gradient of a Merge a Switch of the
 * incoming gradient back to the input that was live — chosen here by Merge's value_index, which
 * needs no predicate and holds for Merges of any arity. Loop ops (Enter, Exit, NextIteration) have
 * no gradient: that needs TensorFlow's stacks of forward values, not implemented. */
#ifndef TFC_OPS_CONTROL_FLOW_GRAD_H_
#define TFC_OPS_CONTROL_FLOW_GRAD_H_
#include "ops/op_def.h"

TF_Code tfc_grad_switch(tfc_grad_ctx *g);
TF_Code tfc_grad_merge(tfc_grad_ctx *g);
/* Enter, Exit, NextIteration: UNIMPLEMENTED, naming the op. */
TF_Code tfc_grad_loop_unsupported(tfc_grad_ctx *g);

#endif
