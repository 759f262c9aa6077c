/* cf_build: branch-graph copies and input relinks for the control-flow builders (see cf_build.h). */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/status.h"
#include "graph/cf_build.h"
#include "graph/op_desc.h"

static TF_Code oom(TF_Status *st) { return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory building control flow"); }

static void unlink_consumer(TF_Operation *op, int input)
{
    tfc_input_list *l = &op->inputs[input].oper->consumers[op->inputs[input].index];
    for (int j = l->n - 1; j >= 0; j--)
        if (l->items[j].oper == op && l->items[j].index == input) {
            memmove(&l->items[j], &l->items[j + 1], sizeof *l->items * (size_t)(l->n - j - 1));
            l->n--;
            return;
        }
}

TF_Code tfc_graph_relink_inputs(TF_Graph *g, const tfc_relink *r, int n, TF_Status *st)
{
    for (int k = 0; k < n; k++) {
        const tfc_relink *e = &r[k];
        if (!e->op || e->op->graph != g || e->input < 0 || e->input >= e->op->n_inputs || !e->src.oper ||
            e->src.oper->graph != g || e->src.index < 0 || e->src.index >= e->src.oper->n_outputs)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "relinking an input: bad op or index");
        if (e->src.oper->output_types[e->src.index] != e->op->input_types[e->input])
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s '%s' input %d: '%s:%d' has dtype %s, want %s",
                                  e->op->def->name, e->op->name, e->input, e->src.oper->name, e->src.index,
                                  tfc_dtype_name(e->src.oper->output_types[e->src.index]),
                                  tfc_dtype_name(e->op->input_types[e->input]));
    }
    tfc_graph_lock(g);
    TF_Code rc = TF_OK;
    for (int k = 0; !rc && k < n; k++) { /* room first, so the relinks below cannot fail */
        tfc_input_list *l = &r[k].src.oper->consumers[r[k].src.index];
        if (tfc_grow((void **)&l->items, &l->cap, l->n + n, sizeof *l->items)) rc = oom(st);
    }
    for (int k = 0; !rc && k < n; k++) {
        unlink_consumer(r[k].op, r[k].input);
        r[k].op->inputs[r[k].input] = r[k].src;
        tfc_input_list *l = &r[k].src.oper->consumers[r[k].src.index];
        l->items[l->n++] = (TF_Input){ r[k].op, r[k].input };
    }
    tfc_graph_unlock(g);
    return rc;
}

char *tfc_graph_unique_scope(TF_Graph *g, const char *base)
{
    size_t n = strlen(base) + 24;
    char *s = tfc_malloc(n);
    if (!s) return NULL;
    snprintf(s, n, "%s", base);
    tfc_graph_lock(g);
    for (long k = 1;; k++) {
        size_t len = strlen(s);
        bool used = false;
        for (int i = 0; i < g->n_ops && !used; i++)
            used = !strncmp(g->ops[i]->name, s, len) && (g->ops[i]->name[len] == '\0' || g->ops[i]->name[len] == '/');
        if (!used) break;
        snprintf(s, n, "%s_%ld", base, k);
    }
    tfc_graph_unlock(g);
    return s;
}

/* "<scope>/<base>", then "<scope>/<base>_1", ... until free. */
static void unique_name(TF_Graph *g, const char *scope, const char *base, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", scope, base);
    for (int k = 1; TF_GraphOperationByName(g, out); k++) snprintf(out, n, "%s/%s_%d", scope, base, k);
}

TF_Operation *tfc_cf_add_op(TF_Graph *g, const char *scope, const char *op_type, const TF_Output *in, int n_in,
                            bool as_list, TF_Status *st)
{
    char name[1024];
    unique_name(g, scope, op_type, name, sizeof name);
    TF_OperationDescription *d = TF_NewOperation(g, op_type, name);
    if (!d) {
        oom(st);
        return NULL;
    }
    if (as_list) TF_AddInputList(d, in, n_in);
    else
        for (int i = 0; i < n_in; i++) TF_AddInput(d, in[i]);
    return TF_FinishOperation(d, st);
}

/* ---- copying a branch graph ---- */

typedef struct copy_ctx {
    TF_Graph *dst;
    const char *prefix;
    const TF_Output *map_from, *map_to;
    int n_map;
    TF_Operation *anchor;
    TF_Operation **copies;
    tfc_relink *relinks;
    int n_relinks, cap_relinks;
} copy_ctx;

static int mapped(const copy_ctx *c, const TF_Operation *op)
{
    for (int j = 0; j < c->n_map; j++)
        if (c->map_from[j].oper == op) return j;
    return -1;
}

TF_Output tfc_graph_copied_output(TF_Operation *const *copies, const TF_Output *map_from, const TF_Output *map_to,
                                  int n_map, TF_Output o)
{
    for (int j = 0; j < n_map; j++)
        if (map_from[j].oper == o.oper) return map_to[j];
    TF_Operation *op = copies[o.oper->id];
    return (TF_Output){ op, op ? o.index : -1 };
}

/* The copy of input i of op; a back edge (its producer is not copied yet) gets a stand-in of the
 * same dtype from the op's other inputs, and a relink to do once the producer exists. */
static TF_Code copy_input(copy_ctx *c, TF_Operation *op, int i, TF_Output *out, TF_Status *st)
{
    TF_Output in = op->inputs[i];
    int m = mapped(c, in.oper);
    if (m >= 0) {
        *out = c->map_to[m];
        return TF_OK;
    }
    if (in.oper->id < op->id || c->copies[in.oper->id]) {
        *out = (TF_Output){ c->copies[in.oper->id], in.index };
        return out->oper ? TF_OK : tfc_status_set(st, TF_INVALID_ARGUMENT, "'%s' uses '%s', which was not copied",
                                                   op->name, in.oper->name);
    }
    for (int k = 0; k < op->n_inputs; k++) {
        TF_Output o = op->inputs[k];
        if (k == i || op->input_types[k] != op->input_types[i] || (o.oper->id > op->id && mapped(c, o.oper) < 0))
            continue;
        int mk = mapped(c, o.oper);
        *out = mk >= 0 ? c->map_to[mk] : (TF_Output){ c->copies[o.oper->id], o.index };
        if (!out->oper) continue;
        if (tfc_grow((void **)&c->relinks, &c->cap_relinks, c->n_relinks + 1, sizeof *c->relinks)) return oom(st);
        c->relinks[c->n_relinks++] = (tfc_relink){ NULL, i, in }; /* op and src resolved after the copy */
        c->relinks[c->n_relinks - 1].op = op;
        return TF_OK;
    }
    return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s '%s': input %d comes from '%s', created after it, and no "
                          "other input can stand in for it", op->def->name, op->name, i, in.oper->name);
}

static TF_Code add_inputs(copy_ctx *c, TF_Operation *op, TF_OperationDescription *d, TF_Status *st)
{
    TF_Output *outs = tfc_calloc((size_t)op->n_inputs + 1, sizeof *outs);
    if (!outs) return oom(st);
    TF_Code rc = TF_OK;
    for (int i = 0; !rc && i < op->n_inputs; i++) rc = copy_input(c, op, i, &outs[i], st);
    int a = 0;
    for (const tfc_arg_def *arg = op->def->inputs; !rc && arg && arg->name; arg++, a++) {
        TF_Output *first = outs + op->input_arg_start[a];
        if (arg->number_attr || arg->type_list_attr) TF_AddInputList(d, first, op->input_arg_len[a]);
        else TF_AddInput(d, first[0]);
    }
    tfc_free(outs);
    return rc;
}

static TF_Code copy_op(copy_ctx *c, TF_Operation *op, TF_Status *st)
{
    size_t n = strlen(c->prefix) + strlen(op->name) + 2;
    char *name = tfc_malloc(n);
    if (!name) return oom(st);
    snprintf(name, n, "%s/%s", c->prefix, op->name);
    TF_OperationDescription *d = TF_NewOperation(c->dst, op->def->name, name);
    tfc_free(name);
    if (!d) return oom(st);
    TF_Code rc = add_inputs(c, op, d, st);
    for (int i = 0; !rc && i < op->attrs.n; i++) {
        tfc_attr_value v;
        rc = tfc_attr_value_copy(&op->attrs.items[i].v, &v, st);
        if (!rc) tfc_desc_put_attr(d, op->attrs.items[i].name, &v);
    }
    for (int i = 0; !rc && i < op->n_control_inputs; i++) {
        int m = mapped(c, op->control_inputs[i]);
        TF_Operation *ci = m >= 0 ? c->map_to[m].oper : c->copies[op->control_inputs[i]->id];
        if (ci) TF_AddControlInput(d, ci);
    }
    if (!rc && op->n_inputs == 0 && op->n_control_inputs == 0 && c->anchor) TF_AddControlInput(d, c->anchor);
    if (!rc && op->device && op->device[0]) TF_SetDevice(d, op->device);
    if (rc) {
        TF_FinishOperation(d, NULL);
        return rc;
    }
    c->copies[op->id] = TF_FinishOperation(d, st);
    return c->copies[op->id] ? TF_OK : TF_GetCode(st);
}

TF_Code tfc_graph_copy_into(TF_Graph *src, TF_Graph *dst, const char *prefix, const TF_Output *map_from,
                            const TF_Output *map_to, int n_map, TF_Operation *anchor, TF_Operation ***copies,
                            TF_Status *st)
{
    copy_ctx c = { dst, prefix, map_from, map_to, n_map, anchor, NULL, NULL, 0, 0 };
    tfc_graph_lock(src);
    int n = src->n_ops;
    TF_Operation **ops = tfc_calloc((size_t)n + 1, sizeof *ops); /* the graph's array holds only n */
    if (ops && n) memcpy(ops, src->ops, (size_t)n * sizeof *ops);
    tfc_graph_unlock(src);
    c.copies = tfc_calloc((size_t)n + 1, sizeof *c.copies);
    TF_Code rc = ops && c.copies ? TF_OK : oom(st);
    for (int i = 0; !rc && i < n; i++)
        if (mapped(&c, ops[i]) < 0) rc = copy_op(&c, ops[i], st);
    for (int k = 0; !rc && k < c.n_relinks; k++) {
        tfc_relink *r = &c.relinks[k];
        r->op = c.copies[r->op->id];
        r->src = tfc_graph_copied_output(c.copies, map_from, map_to, n_map, r->src);
    }
    if (!rc) rc = tfc_graph_relink_inputs(dst, c.relinks, c.n_relinks, st);
    tfc_free(ops);
    tfc_free(c.relinks);
    if (rc) {
        tfc_free(c.copies);
        c.copies = NULL;
    }
    *copies = c.copies;
    return rc;
}

void tfc_cf_remove_ops_from(TF_Graph *g, int first)
{
    tfc_graph_lock(g);
    for (int id = first; id < g->n_ops; id++) {
        TF_Operation *op = g->ops[id];
        for (int i = 0; i < op->n_inputs; i++) {
            if (op->inputs[i].oper->id <= id) continue;
            for (int k = 0; k < op->n_inputs; k++) /* an older input stands in; (op, i) is in no list */
                if (op->inputs[k].oper->id < id) {
                    unlink_consumer(op, i);
                    op->inputs[i] = op->inputs[k];
                    break;
                }
        }
    }
    tfc_graph_unlock(g);
    tfc_graph_remove_ops_from(g, first);
}
