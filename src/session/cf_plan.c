/* cf_plan: the static control-flow facts of a plan (see cf.h): node kinds, out-edges, pending
 * counts, and static frames found by walking edges from the root frame — an Enter's consumers run
 * in the child frame named by its frame_name, an Exit's consumers in its frame's parent. */
#include <string.h>

#include "core/alloc.h"
#include "graph/graph.h"
#include "session/cf.h"

static tfc_cf_kind kind_of(const TF_Operation *op)
{
    const char *t = op->def->name;
    if (!strncmp(t, "Ref", 3) && strcmp(t, "RefIdentity")) t += 3;
    if (!strcmp(t, "Switch")) return TFC_CF_SWITCH;
    if (!strcmp(t, "Merge")) return TFC_CF_MERGE;
    if (!strcmp(t, "Enter")) return TFC_CF_ENTER;
    if (!strcmp(t, "Exit")) return TFC_CF_EXIT;
    if (!strcmp(t, "NextIteration")) return TFC_CF_NEXT_ITERATION;
    if (!strcmp(t, "ControlTrigger")) return TFC_CF_CONTROL_TRIGGER;
    return TFC_CF_PLAIN;
}

bool tfc_cf_is_control_flow_op(const TF_Operation *op)
{
    return kind_of(op) != TFC_CF_PLAIN || !strcmp(op->def->name, "LoopCond");
}

void tfc_cf_plan_free(tfc_cf_plan *cf)
{
    if (!cf) return;
    for (int i = 0; cf->frames && i < cf->n_frames; i++) tfc_free(cf->frames[i].exits);
    tfc_free(cf->frames);
    tfc_free(cf->feed_n_out);
    tfc_free(cf->feed_out);
    tfc_free(cf->edges);
    tfc_free(cf->fetch_node);
    tfc_free(cf->fetch_output);
    tfc_free(cf->roots);
    tfc_free(cf->nodes);
    tfc_free(cf);
}

typedef struct ctx {
    tfc_plan *p;
    tfc_cf_plan *cf;
    int *slot_node;   /* slot -> producing plan node (-1: a feed) */
    int *node_of_op;  /* op id -> plan node (-1: not planned) */
    int max_op_id;
    TF_Status *st;
} ctx;

static TF_Code oom(ctx *c) { return tfc_status_set(c->st, TF_RESOURCE_EXHAUSTED, "out of memory planning control flow"); }

/* Visits every in-edge of every node: fn(c, src node or -(feed+1), edge). */
typedef void (*edge_fn)(ctx *c, int src, tfc_cf_edge e, int *counts);

static void for_each_edge(ctx *c, edge_fn fn, int *counts)
{
    tfc_plan *p = c->p;
    int first_feed_slot = p->n_slots - p->n_feeds;
    for (int k = 0; k < p->n_nodes; k++) {
        const tfc_plan_node *n = &p->nodes[k];
        for (int i = 0; i < n->n_inputs; i++) {
            int slot = n->input_slots[i];
            int src = slot >= first_feed_slot ? -(slot - first_feed_slot + 1) : c->slot_node[slot];
            int out = src >= 0 ? slot - p->nodes[src].first_slot : 0;
            fn(c, src, (tfc_cf_edge){ k, i, out }, counts);
        }
        const TF_Operation *op = n->op;
        for (int i = 0; i < op->n_control_inputs; i++) {
            int src = c->node_of_op[op->control_inputs[i]->id];
            if (src >= 0) fn(c, src, (tfc_cf_edge){ k, -1, -1 }, counts);
        }
    }
}

static void count_edge(ctx *c, int src, tfc_cf_edge e, int *counts)
{
    if (src >= 0) c->cf->nodes[src].n_out++;
    else counts[-src - 1]++;
    tfc_cf_node *d = &c->cf->nodes[e.dst];
    if (e.input >= 0) d->n_data_inputs++;
    if (d->kind != TFC_CF_MERGE || e.input < 0) d->initial_pending++;
}

static void store_edge(ctx *c, int src, tfc_cf_edge e, int *counts)
{
    if (src >= 0) c->cf->nodes[src].out[c->cf->nodes[src].n_out++] = e;
    else c->cf->feed_out[-src - 1][counts[-src - 1]++] = e;
}

/* Out-edge lists in two passes (count, then fill one shared array). */
static TF_Code build_edges(ctx *c)
{
    tfc_cf_plan *cf = c->cf;
    int nf = c->p->n_feeds;
    cf->feed_n_out = tfc_calloc((size_t)nf + 1, sizeof(int));
    cf->feed_out = tfc_calloc((size_t)nf + 1, sizeof(tfc_cf_edge *));
    if (!cf->feed_n_out || !cf->feed_out) return oom(c);
    for_each_edge(c, count_edge, cf->feed_n_out);
    size_t total = 0;
    for (int k = 0; k < c->p->n_nodes; k++) total += (size_t)cf->nodes[k].n_out;
    for (int f = 0; f < nf; f++) total += (size_t)cf->feed_n_out[f];
    tfc_cf_edge *all = cf->edges = tfc_calloc(total + 1, sizeof *all);
    if (!all) return oom(c);
    size_t at = 0;
    for (int f = 0; f < nf; f++) {
        cf->feed_out[f] = all + at;
        at += (size_t)cf->feed_n_out[f];
    }
    for (int k = 0; k < c->p->n_nodes; k++) {
        cf->nodes[k].out = all + at;
        at += (size_t)cf->nodes[k].n_out;
        cf->nodes[k].n_out = 0; /* refilled by store_edge */
    }
    int *fill = tfc_calloc((size_t)nf + 1, sizeof(int));
    if (!fill) return oom(c);
    for_each_edge(c, store_edge, fill);
    tfc_free(fill);
    return TF_OK;
}

/* The static frame of Enter `e`'s consumers: (frame of e, frame_name), created on first sight. */
static int child_frame(ctx *c, int e)
{
    tfc_cf_plan *cf = c->cf;
    const char *name = tfc_attrs_string(&c->p->nodes[e].op->attrs, "frame_name", "");
    int parent = cf->nodes[e].frame;
    for (int f = 1; f < cf->n_frames; f++)
        if (cf->frames[f].parent == parent && !strcmp(cf->frames[f].name, name)) return f;
    int f = cf->n_frames++;
    cf->frames[f].parent = parent;
    cf->frames[f].name = name;
    cf->frames[f].parallel_iterations = (int)tfc_attrs_int(&c->p->nodes[e].op->attrs, "parallel_iterations", 10);
    if (cf->frames[f].parallel_iterations < 1) cf->frames[f].parallel_iterations = 1;
    return f;
}

static TF_Code assign(ctx *c, int node, int frame, int *queue, int *tail)
{
    tfc_cf_node *n = &c->cf->nodes[node];
    if (n->frame == frame) return TF_OK;
    if (n->frame >= 0)
        return tfc_status_set(c->st, TF_INVALID_ARGUMENT, "%s '%s' has inputs from two different frames ('%s' and "
                              "'%s')", c->p->nodes[node].op->def->name, c->p->nodes[node].op->name,
                              c->cf->frames[n->frame].name, c->cf->frames[frame].name);
    n->frame = frame;
    queue[(*tail)++] = node;
    return TF_OK;
}

/* Breadth-first from the nodes without planned predecessors (root frame). */
static TF_Code assign_frames(ctx *c)
{
    tfc_cf_plan *cf = c->cf;
    int n = c->p->n_nodes, head = 0, tail = 0;
    int *queue = tfc_malloc(((size_t)n + 1) * sizeof(int));
    if (!queue) return oom(c);
    for (int k = 0; k < n; k++) cf->nodes[k].frame = -1;
    TF_Code rc = TF_OK;
    for (int k = 0; !rc && k < n; k++)
        if (cf->nodes[k].initial_pending == 0 && cf->nodes[k].kind != TFC_CF_MERGE) rc = assign(c, k, 0, queue, &tail);
    for (int f = 0; !rc && f < c->p->n_feeds; f++)
        for (int i = 0; !rc && i < cf->feed_n_out[f]; i++) rc = assign(c, cf->feed_out[f][i].dst, 0, queue, &tail);
    while (!rc && head < tail) {
        int k = queue[head++];
        tfc_cf_node *nd = &cf->nodes[k];
        int to = nd->frame;
        if (nd->kind == TFC_CF_ENTER) to = nd->child_frame = child_frame(c, k);
        if (nd->kind == TFC_CF_EXIT) {
            to = cf->frames[nd->frame].parent;
            if (to < 0)
                rc = tfc_status_set(c->st, TF_INVALID_ARGUMENT, "Exit '%s' is not inside a loop frame",
                                    c->p->nodes[k].op->name);
        }
        for (int i = 0; !rc && i < nd->n_out; i++) rc = assign(c, nd->out[i].dst, to, queue, &tail);
    }
    for (int k = 0; !rc && k < n; k++)
        if (cf->nodes[k].frame < 0)
            rc = tfc_status_set(c->st, TF_INVALID_ARGUMENT, "%s '%s' is not reachable from any input of the step "
                                "(a cycle without Merge/NextIteration?)", c->p->nodes[k].op->def->name,
                                c->p->nodes[k].op->name);
    tfc_free(queue);
    return rc;
}

/* Per frame: its Enter count and Exit list; the root frame's start nodes; the fetch producers. */
static TF_Code summarise(ctx *c)
{
    tfc_cf_plan *cf = c->cf;
    tfc_plan *p = c->p;
    for (int k = 0; k < p->n_nodes; k++) {
        tfc_cf_node *n = &cf->nodes[k];
        if (n->kind == TFC_CF_ENTER) {
            cf->frames[n->child_frame].n_enters++;
            n->is_constant = tfc_attrs_bool(&p->nodes[k].op->attrs, "is_constant", false);
        }
        if (n->kind == TFC_CF_EXIT) {
            tfc_cf_frame *f = &cf->frames[n->frame];
            int *grown = tfc_realloc(f->exits, (size_t)(f->n_exits + 1) * sizeof(int));
            if (!grown) return oom(c);
            f->exits = grown;
            f->exits[f->n_exits++] = k;
        }
        if (n->kind == TFC_CF_NEXT_ITERATION && n->frame == 0) /* would start iterations of the step itself */
            return tfc_status_set(c->st, TF_INVALID_ARGUMENT, "NextIteration '%s' is not inside a loop frame",
                                  p->nodes[k].op->name);
        if (n->initial_pending == 0 && n->kind != TFC_CF_MERGE && n->frame == 0) cf->roots[cf->n_roots++] = k;
    }
    int first_feed_slot = p->n_slots - p->n_feeds;
    for (int i = 0; i < p->n_fetches; i++) {
        int slot = p->fetch_slots[i];
        cf->fetch_node[i] = slot >= first_feed_slot ? -1 : c->slot_node[slot];
        cf->fetch_output[i] = slot >= first_feed_slot ? slot - first_feed_slot : slot - p->nodes[cf->fetch_node[i]].first_slot;
        const tfc_cf_node *fn = cf->fetch_node[i] >= 0 ? &cf->nodes[cf->fetch_node[i]] : NULL;
        int out_frame = fn && fn->kind == TFC_CF_EXIT ? cf->frames[fn->frame].parent : fn ? fn->frame : 0;
        if (out_frame != 0) /* an Exit's value lives in its frame's parent */
            return tfc_status_set(c->st, TF_INVALID_ARGUMENT, "cannot fetch '%s:%d': it is inside loop frame '%s'",
                                  p->fetches[i].oper->name, p->fetches[i].index,
                                  cf->frames[cf->nodes[cf->fetch_node[i]].frame].name);
    }
    return TF_OK;
}

static TF_Code build(ctx *c)
{
    tfc_plan *p = c->p;
    tfc_cf_plan *cf = c->cf;
    int n = p->n_nodes;
    cf->nodes = tfc_calloc((size_t)n + 1, sizeof *cf->nodes);
    cf->frames = tfc_calloc((size_t)n + 2, sizeof *cf->frames); /* at most one frame per Enter, + root */
    cf->fetch_node = tfc_calloc((size_t)p->n_fetches + 1, sizeof(int));
    cf->fetch_output = tfc_calloc((size_t)p->n_fetches + 1, sizeof(int));
    cf->roots = tfc_calloc((size_t)n + 1, sizeof(int));
    c->slot_node = tfc_malloc(((size_t)p->n_slots + 1) * sizeof(int));
    for (int k = 0; k < n; k++) c->max_op_id = p->nodes[k].op->id > c->max_op_id ? p->nodes[k].op->id : c->max_op_id;
    c->node_of_op = tfc_malloc(((size_t)c->max_op_id + 2) * sizeof(int));
    if (!cf->nodes || !cf->frames || !cf->fetch_node || !cf->fetch_output || !cf->roots || !c->slot_node ||
        !c->node_of_op)
        return oom(c);
    cf->frames[0] = (tfc_cf_frame){ .parent = -1, .name = "", .parallel_iterations = 1 };
    cf->n_frames = 1;
    for (int i = 0; i <= c->max_op_id; i++) c->node_of_op[i] = -1;
    for (int k = 0; k < n; k++) {
        c->node_of_op[p->nodes[k].op->id] = k;
        cf->nodes[k].kind = kind_of(p->nodes[k].op);
        for (int o = 0; o < p->nodes[k].n_outputs; o++) c->slot_node[p->nodes[k].first_slot + o] = k;
    }
    TF_Code rc = build_edges(c);
    if (!rc) rc = assign_frames(c);
    if (!rc) rc = summarise(c);
    return rc;
}

TF_Code tfc_cf_plan_build(tfc_plan *p, bool force, TF_Status *st)
{
    bool any = force;
    for (int k = 0; k < p->n_nodes && !any; k++) any = tfc_cf_is_control_flow_op(p->nodes[k].op);
    if (!any) return TF_OK;
    ctx c = { .p = p, .st = st };
    c.cf = tfc_calloc(1, sizeof *c.cf);
    if (!c.cf) return oom(&c);
    TF_Code rc = build(&c);
    tfc_free(c.slot_node);
    tfc_free(c.node_of_op);
    if (rc) {
        tfc_cf_plan_free(c.cf);
        return rc;
    }
    p->cf = c.cf;
    return TF_OK;
}
