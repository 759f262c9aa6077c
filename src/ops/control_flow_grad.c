/* control_flow_grad: Switch and Merge gradients (see control_flow_grad.h). */
#include "graph/graph.h"
#include "ops/control_flow_grad.h"

/* d data = Merge(dy_false, dy_true): exactly one of them is live (a missing one is ZerosLike of its
 * Switch output, dead when that branch was not taken). pred gets no gradient. */
TF_Code tfc_grad_switch(tfc_grad_ctx *g)
{
    TF_Output parts[2] = { tfc_grad_dy(g, 0), tfc_grad_dy(g, 1) };
    TF_OperationDescription *d = tfc_grad_new_op(g, "Merge");
    if (d && parts[0].oper && parts[1].oper) TF_AddInputList(d, parts, 2);
    tfc_grad_set_dx(g, 0, tfc_grad_finish(g, d));
    return tfc_grad_status(g);
}

/* d inputs[i] = Switch(dy, value_index == i):output_true — live only for the input that was live. */
TF_Code tfc_grad_merge(tfc_grad_ctx *g)
{
    TF_Output dy = tfc_grad_dy(g, 0), index = tfc_grad_output(g, 1);
    TF_Operation *op = tfc_grad_forward_op(g);
    for (int i = 0; i < op->n_inputs && tfc_grad_status(g) == TF_OK; i++) {
        int32_t k = i;
        TF_Output taken = tfc_grad_binary(g, "Equal", index, tfc_grad_const_i32(g, &k, 1, true));
        TF_Output sw = tfc_grad_binary(g, "Switch", dy, taken);
        if (sw.oper) tfc_grad_set_dx(g, i, (TF_Output){ sw.oper, 1 });
    }
    return tfc_grad_status(g);
}

TF_Code tfc_grad_loop_unsupported(tfc_grad_ctx *g)
{
    TF_Operation *op = tfc_grad_forward_op(g);
    return tfc_grad_fail(g, TF_UNIMPLEMENTED,
                         "%s '%s': gradients through while loops are not supported (they need stacks of the "
                         "forward values of every iteration)", op->def->name, op->name);
}
