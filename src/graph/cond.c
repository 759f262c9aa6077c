/* cond: TFC_NewCond / TFC_FinishCond / TFC_AbortCond, a conditional built the way TensorFlow 1's
 * tf.cond builds one, under "<name>/" in the parent graph:
 *   Switch(pred, pred) -> pivot_f = Identity(:0), pivot_t = Identity(:1)
 *   Switch_i(input_i, pred): false branch copied with false_input<i> = Switch_i:0, true branch
 *   with true_input<i> = Switch_i:1; branch ops without inputs hang on their branch's pivot
 *   Merge_j(false_output_j, true_output_j): the results
 * The untaken branch only ever sees dead tensors, so none of its ops run. The params' arrays hold
 * the parent's inputs and pred after their own entries (graph.h's cf_parent_inputs points there). */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/status.h"
#include "graph/cf_build.h"
#include "graph/graph.h"

static TFC_CondParams empty_params(void)
{
    return (TFC_CondParams){ 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
}

static TF_Code check_new(TF_Graph *g, TF_Output pred, const TF_Output *inputs, int ninputs, int noutputs,
                         TF_Status *st)
{
    if (!g) return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_NewCond: graph is NULL");
    if (ninputs < 0 || noutputs < 1)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_NewCond: needs ninputs >= 0 and noutputs >= 1");
    if (!pred.oper || pred.oper->graph != g || !tfc_output_valid(pred) || TF_OperationOutputType(pred) != TF_BOOL)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_NewCond: pred must be a bool output of the graph");
    if (ninputs > 0 && !inputs) return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_NewCond: inputs is NULL");
    for (int i = 0; i < ninputs; i++)
        if (!inputs[i].oper || inputs[i].oper->graph != g || !tfc_output_valid(inputs[i]))
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_NewCond: inputs[%d] is not an output of the graph", i);
    return TF_OK;
}

TFC_CondParams TFC_NewCond(TF_Graph *g, TF_Output pred, const TF_Output *inputs, int ninputs, int noutputs,
                           TF_Status *status)
{
    if (check_new(g, pred, inputs, ninputs, noutputs, status)) return empty_params();
    size_t n = (size_t)ninputs, m = (size_t)noutputs;
    /* true_inputs: the n Placeholders, then the parent's n inputs and pred */
    TF_Output *tin = tfc_calloc(2 * n + 1, sizeof *tin), *fin = tfc_calloc(n + 1, sizeof *fin);
    TF_Output *outs = tfc_calloc(2 * m, sizeof *outs);
    TF_Graph *tg = NULL, *fg = NULL;
    TF_Code rc = tin && fin && outs ? TF_OK : tfc_status_set(status, TF_RESOURCE_EXHAUSTED, "out of memory");
    if (!rc) rc = tfc_cf_new_branches(g, inputs, ninputs, "true", "false", &tg, tin, &fg, fin, status);
    if (rc) {
        TF_DeleteGraph(tg);
        TF_DeleteGraph(fg);
        tfc_free(tin);
        tfc_free(fin);
        tfc_free(outs);
        return empty_params();
    }
    if (n) memcpy(tin + n, inputs, n * sizeof *inputs);
    tin[2 * n] = pred;
    tg->cf_parent_inputs = fg->cf_parent_inputs = tin + n;
    for (size_t j = 0; j < 2 * m; j++) outs[j] = (TF_Output){ NULL, -1 };
    tfc_status_clear(status);
    return (TFC_CondParams){ ninputs, noutputs, tg, tin, outs, fg, fin, outs + m, NULL };
}

static void free_params(const TFC_CondParams *p)
{
    TF_DeleteGraph(p->true_graph);
    TF_DeleteGraph(p->false_graph);
    tfc_free((void *)p->true_inputs);
    tfc_free((void *)p->false_inputs);
    tfc_free(p->true_outputs);
}

void TFC_AbortCond(const TFC_CondParams *params)
{
    if (params && params->true_graph) free_params(params);
}

static TF_Code check_params(const TFC_CondParams *p, TF_Status *st)
{
    if (!p->true_graph || !p->false_graph || !p->true_graph->cf_parent ||
        p->true_graph->cf_parent != p->false_graph->cf_parent || p->ninputs < 0 || p->noutputs < 1 ||
        !p->true_inputs || !p->false_inputs || !p->true_outputs || p->false_outputs != p->true_outputs + p->noutputs ||
        p->true_graph->cf_parent_inputs != p->true_inputs + p->ninputs ||
        p->false_graph->cf_parent_inputs != p->true_graph->cf_parent_inputs)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_CondParams must be created by a successful TFC_NewCond() call");
    return TF_OK;
}

static TF_Code check_outputs(const TFC_CondParams *p, TF_Status *st)
{
    for (int j = 0; j < p->noutputs; j++) {
        TF_Output t = p->true_outputs[j], f = p->false_outputs[j];
        if (!t.oper || !f.oper)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_CondParams `%s_outputs[%d]` field isn't set",
                                  t.oper ? "false" : "true", j);
        if (t.oper->graph != p->true_graph || f.oper->graph != p->false_graph || !tfc_output_valid(t) ||
            !tfc_output_valid(f))
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_CondParams outputs[%d] must be outputs of their "
                                  "branch graph", j);
        if (TF_OperationOutputType(t) != TF_OperationOutputType(f))
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_CondParams output %d: the true branch gives %s, the "
                                  "false branch %s", j, tfc_dtype_name(TF_OperationOutputType(t)),
                                  tfc_dtype_name(TF_OperationOutputType(f)));
    }
    if (!p->name || !p->name[0]) return tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_CondParams `name` field is null");
    return TF_OK;
}

typedef struct cond {
    const TFC_CondParams *p;
    TF_Graph *g;
    char *scope;
    TF_Output *sw_t, *sw_f; /* per input: Switch:1, Switch:0 */
    TF_Operation *pivot_t, *pivot_f;
    TF_Operation **t_copies, **f_copies;
} cond;

static TF_Code build_switches(cond *c, TF_Status *st)
{
    TF_Output pred = c->p->true_inputs[2 * c->p->ninputs];
    TF_Output pp[2] = { pred, pred };
    TF_Operation *ps = tfc_cf_add_op(c->g, c->scope, "Switch", pp, 2, false, st);
    if (!ps) return TF_GetCode(st);
    TF_Output f = { ps, 0 }, t = { ps, 1 };
    c->pivot_f = tfc_cf_add_op(c->g, c->scope, "Identity", &f, 1, false, st);
    c->pivot_t = c->pivot_f ? tfc_cf_add_op(c->g, c->scope, "Identity", &t, 1, false, st) : NULL;
    if (!c->pivot_t) return TF_GetCode(st);
    const TF_Output *in = c->p->true_inputs + c->p->ninputs;
    for (int i = 0; i < c->p->ninputs; i++) {
        TF_Output sw_in[2] = { in[i], pred };
        TF_Operation *sw = tfc_cf_add_op(c->g, c->scope, "Switch", sw_in, 2, false, st);
        if (!sw) return TF_GetCode(st);
        c->sw_f[i] = (TF_Output){ sw, 0 };
        c->sw_t[i] = (TF_Output){ sw, 1 };
    }
    return TF_OK;
}

static TF_Code build_cond(cond *c, TF_Output *outputs, TF_Status *st)
{
    const TFC_CondParams *p = c->p;
    char prefix[1100];
    c->scope = tfc_graph_unique_scope(c->g, p->name);
    TF_Output *sw = tfc_calloc(2 * (size_t)p->ninputs + 1, sizeof *sw);
    if (!c->scope || !sw) {
        tfc_free(sw);
        return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory building a cond");
    }
    c->sw_t = sw, c->sw_f = sw + p->ninputs;
    TF_Code rc = build_switches(c, st);
    snprintf(prefix, sizeof prefix, "%s/true", c->scope ? c->scope : "");
    if (!rc) rc = tfc_graph_copy_into(p->true_graph, c->g, prefix, p->true_inputs, c->sw_t, p->ninputs, c->pivot_t,
                                      &c->t_copies, st);
    snprintf(prefix, sizeof prefix, "%s/false", c->scope ? c->scope : "");
    if (!rc) rc = tfc_graph_copy_into(p->false_graph, c->g, prefix, p->false_inputs, c->sw_f, p->ninputs,
                                      c->pivot_f, &c->f_copies, st);
    for (int j = 0; !rc && j < p->noutputs; j++) {
        TF_Output two[2] = {
            tfc_graph_copied_output(c->f_copies, p->false_inputs, c->sw_f, p->ninputs, p->false_outputs[j]),
            tfc_graph_copied_output(c->t_copies, p->true_inputs, c->sw_t, p->ninputs, p->true_outputs[j]),
        };
        TF_Operation *m = tfc_cf_add_op(c->g, c->scope, "Merge", two, 2, true, st);
        if (!m) rc = TF_GetCode(st);
        else outputs[j] = (TF_Output){ m, 0 };
    }
    return rc;
}

void TFC_FinishCond(const TFC_CondParams *params, TF_Status *status, TF_Output *outputs)
{
    if (!params || check_params(params, status)) {
        if (!params) tfc_status_set(status, TF_INVALID_ARGUMENT, "TFC_FinishCond: params is NULL");
        return;
    }
    cond c = { .p = params, .g = params->true_graph->cf_parent };
    int first = tfc_graph_num_ops(c.g);
    TF_Code rc = check_outputs(params, status);
    if (!rc && !outputs) rc = tfc_status_set(status, TF_INVALID_ARGUMENT, "TFC_FinishCond: outputs is NULL");
    if (!rc) rc = build_cond(&c, outputs, status);
    if (rc) tfc_cf_remove_ops_from(c.g, first);
    else tfc_status_clear(status);
    tfc_free(c.sw_t);
    tfc_free(c.scope);
    tfc_free(c.t_copies);
    tfc_free(c.f_copies);
    free_params(params);
}
