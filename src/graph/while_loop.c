/* while_loop: TF_NewWhile / TF_FinishWhile / TF_AbortWhile, as TensorFlow's c_api.cc and
 * cc/ops/while_loop.cc build loops. Per loop variable i, in the parent graph under "<name>/":
 *   Enter_i(input_i, frame_name=<name>) -> Merge_i(Enter_i, NextIteration_i)
 *   cond copied with cond_input<i> = Merge_i -> LoopCond -> Switch_i(Merge_i, LoopCond)
 *   Exit_i(Switch_i:0) (the results);  Identity_i(Switch_i:1) -> body copied with body_input<i> =
 *   Identity_i -> NextIteration_i -> back into Merge_i's input 1 (a relink, cf_build.h).
 * Source ops of the cond hang on Merge_0, those of the body on Identity_0, so they run once per
 * iteration inside the frame. The cond and body graphs remember their parent (graph.h's
 * cf_parent) so TF_FinishWhile can tell its own params from forged ones. */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/status.h"
#include "graph/cf_build.h"
#include "graph/graph.h"

static TF_WhileParams empty_params(void)
{
    return (TF_WhileParams){ 0, NULL, NULL, { NULL, -1 }, NULL, NULL, NULL, NULL };
}

/* A Placeholder of the dtype of `like`, named name in g. */
static TF_Operation *input_placeholder(TF_Graph *g, TF_Output like, const char *name, TF_Status *st)
{
    TF_OperationDescription *d = TF_NewOperation(g, "Placeholder", name);
    TF_SetAttrType(d, "dtype", TF_OperationOutputType(like));
    return TF_FinishOperation(d, st);
}

TF_Code tfc_cf_new_branches(TF_Graph *g, const TF_Output *inputs, int n, const char *a, const char *b,
                            TF_Graph **ga, TF_Output *ia, TF_Graph **gb, TF_Output *ib, TF_Status *st)
{
    *ga = TF_NewGraph();
    *gb = TF_NewGraph();
    if (!*ga || !*gb) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory creating branch graphs");
    char name[64];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s_input%d", a, i);
        TF_Operation *pa = input_placeholder(*ga, inputs[i], name, st);
        if (!pa) return TF_GetCode(st);
        snprintf(name, sizeof name, "%s_input%d", b, i);
        TF_Operation *pb = input_placeholder(*gb, inputs[i], name, st);
        if (!pb) return TF_GetCode(st);
        ia[i] = (TF_Output){ pa, 0 };
        ib[i] = (TF_Output){ pb, 0 };
    }
    (*ga)->cf_parent = (*gb)->cf_parent = g;
    return TF_OK;
}

static TF_Code check_inputs(TF_Graph *g, const TF_Output *inputs, int n, const char *fn, TF_Status *st)
{
    if (!g) return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: graph is NULL", fn);
    if (n > 0 && !inputs) return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: inputs is NULL", fn);
    for (int i = 0; i < n; i++)
        if (!inputs[i].oper || inputs[i].oper->graph != g || !tfc_output_valid(inputs[i]))
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: inputs[%d] is not an output of the graph", fn, i);
    return TF_OK;
}

TF_WhileParams TF_NewWhile(TF_Graph *g, TF_Output *inputs, int ninputs, TF_Status *status)
{
    if (ninputs <= 0) {
        tfc_status_set(status, TF_INVALID_ARGUMENT, "TF_NewWhile() must be passed at least one input");
        return empty_params();
    }
    if (check_inputs(g, inputs, ninputs, "TF_NewWhile", status)) return empty_params();
    /* cond_inputs holds the parent's inputs after its own n entries (they outlive the caller's array) */
    TF_Output *cond_in = tfc_calloc(2 * (size_t)ninputs, sizeof *cond_in);
    TF_Output *body_in = tfc_calloc((size_t)ninputs, sizeof *body_in);
    TF_Output *body_out = tfc_calloc((size_t)ninputs, sizeof *body_out);
    TF_Graph *cg = NULL, *bg = NULL;
    TF_Code rc = cond_in && body_in && body_out ? TF_OK
                                                 : tfc_status_set(status, TF_RESOURCE_EXHAUSTED, "out of memory");
    if (!rc) rc = tfc_cf_new_branches(g, inputs, ninputs, "cond", "body", &cg, cond_in, &bg, body_in, status);
    if (rc) {
        TF_DeleteGraph(cg);
        TF_DeleteGraph(bg);
        tfc_free(cond_in);
        tfc_free(body_in);
        tfc_free(body_out);
        return empty_params();
    }
    memcpy(cond_in + ninputs, inputs, (size_t)ninputs * sizeof *inputs);
    cg->cf_parent_inputs = bg->cf_parent_inputs = cond_in + ninputs;
    for (int i = 0; i < ninputs; i++) body_out[i] = (TF_Output){ NULL, -1 };
    tfc_status_clear(status);
    return (TF_WhileParams){ ninputs, cg, cond_in, { NULL, -1 }, bg, body_in, body_out, NULL };
}

static void free_params(const TF_WhileParams *p)
{
    TF_DeleteGraph(p->cond_graph);
    TF_DeleteGraph(p->body_graph);
    tfc_free((void *)p->cond_inputs);
    tfc_free((void *)p->body_inputs);
    tfc_free(p->body_outputs);
}

void TF_AbortWhile(const TF_WhileParams *params)
{
    if (params && params->cond_graph) free_params(params);
}

static TF_Code check_params(const TF_WhileParams *p, TF_Status *st)
{
    if (!p->cond_graph || !p->body_graph || !p->cond_graph->cf_parent ||
        p->cond_graph->cf_parent != p->body_graph->cf_parent || p->ninputs <= 0 || !p->cond_inputs ||
        !p->body_inputs || !p->body_outputs || p->cond_graph->cf_parent_inputs != p->cond_inputs + p->ninputs ||
        p->body_graph->cf_parent_inputs != p->cond_graph->cf_parent_inputs)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_WhileParams must be created by successful TF_NewWhile() call");
    return TF_OK;
}

static bool in_graph(TF_Output o, TF_Graph *g) { return o.oper && o.oper->graph == g && tfc_output_valid(o); }

static TF_Code check_outputs(const TF_WhileParams *p, TF_Status *st)
{
    if (!p->cond_output.oper) return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_WhileParams `cond_output` field isn't set");
    if (!in_graph(p->cond_output, p->cond_graph) || TF_OperationOutputType(p->cond_output) != TF_BOOL)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_WhileParams `cond_output` must be a bool output of cond_graph");
    for (int i = 0; i < p->ninputs; i++) {
        if (!p->body_outputs[i].oper)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_WhileParams `body_outputs[%d]` field isn't set", i);
        if (!in_graph(p->body_outputs[i], p->body_graph) ||
            TF_OperationOutputType(p->body_outputs[i]) != TF_OperationOutputType(p->body_inputs[i]))
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_WhileParams `body_outputs[%d]` must be an output of "
                                  "body_graph with the dtype of loop variable %d", i, i);
    }
    if (!p->name || !p->name[0]) return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_WhileParams `name` field is null");
    return TF_OK;
}

typedef struct loop {
    const TF_WhileParams *p;
    TF_Graph *g;
    char *scope;
    TF_Output *merge, *ident, *exit, *body_out;
    TF_Operation **cond_copies, **body_copies;
} loop;

static TF_Operation *add_enter(loop *l, TF_Output in, TF_Status *st)
{
    char name[1024];
    snprintf(name, sizeof name, "%s/Enter", l->scope);
    for (int k = 1; TF_GraphOperationByName(l->g, name); k++) snprintf(name, sizeof name, "%s/Enter_%d", l->scope, k);
    TF_OperationDescription *d = TF_NewOperation(l->g, "Enter", name);
    TF_AddInput(d, in);
    TF_SetAttrString(d, "frame_name", l->scope, strlen(l->scope));
    TF_SetAttrInt(d, "parallel_iterations", 10);
    return TF_FinishOperation(d, st);
}

/* Enter and Merge (its input 1 stands in for NextIteration until the relink) per variable. */
static TF_Code build_heads(loop *l, TF_Status *st)
{
    const TF_Output *in = l->p->cond_inputs + l->p->ninputs;
    for (int i = 0; i < l->p->ninputs; i++) {
        TF_Operation *e = add_enter(l, in[i], st);
        if (!e) return TF_GetCode(st);
        TF_Output two[2] = { { e, 0 }, { e, 0 } };
        TF_Operation *m = tfc_cf_add_op(l->g, l->scope, "Merge", two, 2, true, st);
        if (!m) return TF_GetCode(st);
        l->merge[i] = (TF_Output){ m, 0 };
    }
    return TF_OK;
}

static TF_Code build_cond_and_switches(loop *l, TF_Status *st)
{
    const TF_WhileParams *p = l->p;
    char prefix[1100];
    snprintf(prefix, sizeof prefix, "%s/cond", l->scope);
    if (tfc_graph_copy_into(p->cond_graph, l->g, prefix, p->cond_inputs, l->merge, p->ninputs, l->merge[0].oper,
                            &l->cond_copies, st))
        return TF_GetCode(st);
    TF_Output c = tfc_graph_copied_output(l->cond_copies, p->cond_inputs, l->merge, p->ninputs, p->cond_output);
    TF_Operation *lc = tfc_cf_add_op(l->g, l->scope, "LoopCond", &c, 1, false, st);
    if (!lc) return TF_GetCode(st);
    for (int i = 0; i < p->ninputs; i++) {
        TF_Output sw_in[2] = { l->merge[i], { lc, 0 } };
        TF_Operation *sw = tfc_cf_add_op(l->g, l->scope, "Switch", sw_in, 2, false, st);
        if (!sw) return TF_GetCode(st);
        TF_Output f = { sw, 0 }, t = { sw, 1 };
        TF_Operation *ex = tfc_cf_add_op(l->g, l->scope, "Exit", &f, 1, false, st);
        TF_Operation *id = ex ? tfc_cf_add_op(l->g, l->scope, "Identity", &t, 1, false, st) : NULL;
        if (!id) return TF_GetCode(st);
        l->exit[i] = (TF_Output){ ex, 0 };
        l->ident[i] = (TF_Output){ id, 0 };
    }
    return TF_OK;
}

static TF_Code build_body(loop *l, TF_Status *st)
{
    const TF_WhileParams *p = l->p;
    char prefix[1100];
    snprintf(prefix, sizeof prefix, "%s/body", l->scope);
    if (tfc_graph_copy_into(p->body_graph, l->g, prefix, p->body_inputs, l->ident, p->ninputs, l->ident[0].oper,
                            &l->body_copies, st))
        return TF_GetCode(st);
    tfc_relink *back = tfc_calloc((size_t)p->ninputs, sizeof *back);
    if (!back) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory building a while loop");
    TF_Code rc = TF_OK;
    for (int i = 0; !rc && i < p->ninputs; i++) {
        TF_Output o = tfc_graph_copied_output(l->body_copies, p->body_inputs, l->ident, p->ninputs, p->body_outputs[i]);
        TF_Operation *next = tfc_cf_add_op(l->g, l->scope, "NextIteration", &o, 1, false, st);
        if (!next) rc = TF_GetCode(st);
        else back[i] = (tfc_relink){ l->merge[i].oper, 1, { next, 0 } };
    }
    if (!rc) rc = tfc_graph_relink_inputs(l->g, back, p->ninputs, st);
    tfc_free(back);
    return rc;
}

static TF_Code build_loop(loop *l, TF_Status *st)
{
    int n = l->p->ninputs;
    l->scope = tfc_graph_unique_scope(l->g, l->p->name);
    TF_Output *all = tfc_calloc(4 * (size_t)n, sizeof *all);
    if (!l->scope || !all) {
        tfc_free(all);
        return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory building a while loop");
    }
    l->merge = all, l->ident = all + n, l->exit = all + 2 * n, l->body_out = all + 3 * n;
    TF_Code rc = build_heads(l, st);
    if (!rc) rc = build_cond_and_switches(l, st);
    if (!rc) rc = build_body(l, st);
    return rc;
}

void TF_FinishWhile(const TF_WhileParams *params, TF_Status *status, TF_Output *outputs)
{
    if (!params || check_params(params, status)) {
        if (!params) tfc_status_set(status, TF_INVALID_ARGUMENT, "TF_FinishWhile: params is NULL");
        return;
    }
    loop l = { .p = params, .g = params->cond_graph->cf_parent };
    int first = tfc_graph_num_ops(l.g);
    TF_Code rc = check_outputs(params, status);
    if (!rc && !outputs) rc = tfc_status_set(status, TF_INVALID_ARGUMENT, "TF_FinishWhile: outputs is NULL");
    if (!rc) rc = build_loop(&l, status);
    if (rc) {
        tfc_cf_remove_ops_from(l.g, first);
    } else {
        for (int i = 0; i < params->ninputs; i++) outputs[i] = l.exit[i];
        tfc_status_clear(status);
    }
    tfc_free(l.merge);
    tfc_free(l.scope);
    tfc_free(l.cond_copies);
    tfc_free(l.body_copies);
    free_params(params);
}
