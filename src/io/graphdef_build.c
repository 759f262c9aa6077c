/* graphdef_build: final names of imported nodes (prefix, uniquify) and the building of one NodeDef
 * through the normal builder path (TF_NewOperation ... TF_FinishOperation), so the registry's checks,
 * attr defaults and shape inference apply to imported nodes exactly as to hand-built ones. */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/status.h"
#include "graph/graph.h"
#include "graph/op_desc.h"
#include "io/graphdef.h"
#include "io/graphdef_import.h"

static TF_Code oom(TF_Status *st)
{
    return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory importing a GraphDef");
}

/* True when name is an op of the graph or was chosen earlier in this import. Graph lock held. */
static bool taken(TF_Graph *g, tfc_strmap *chosen, const char *name)
{
    return tfc_strmap_get(g->by_name, name) || tfc_strmap_get(chosen, name);
}

/* True when some op is named p or lives under "p/". Graph lock held. */
static bool prefix_used(TF_Graph *g, const char *p)
{
    size_t n = strlen(p);
    for (int i = 0; i < g->n_ops; i++) {
        const char *s = g->ops[i]->name;
        if (!strncmp(s, p, n) && (s[n] == '\0' || s[n] == '/')) return true;
    }
    return false;
}

static char *join(const char *a, const char *sep, const char *b, long k)
{
    size_t n = strlen(a) + strlen(sep) + strlen(b) + 24;
    char *s = tfc_malloc(n);
    if (!s) return NULL;
    if (k > 0)
        snprintf(s, n, "%s%s%s_%ld", a, sep, b, k);
    else
        snprintf(s, n, "%s%s%s", a, sep, b);
    return s;
}

static TF_Code pick_prefix(tfc_gd_import *im, TF_Status *st)
{
    const char *p = im->opts->prefix ? im->opts->prefix : "";
    size_t n = strlen(p);
    while (n && p[n - 1] == '/') n--;
    char *base = tfc_strndup(p, n);
    if (!base) return oom(st);
    im->prefix = base;
    if (!n || !im->opts->uniquify_prefix || !prefix_used(im->graph, base)) return TF_OK;
    for (long k = 1;; k++) {
        char *c = join(base, "", "", k);
        if (!c) return oom(st);
        if (!prefix_used(im->graph, c)) {
            tfc_free(base);
            im->prefix = c;
            return TF_OK;
        }
        tfc_free(c);
    }
}

static TF_Code pick_locked(tfc_gd_import *im, tfc_strmap *chosen, TF_Status *st)
{
    if (pick_prefix(im, st)) return TF_GetCode(st);
    const char *sep = im->prefix[0] ? "/" : "";
    for (int i = 0; i < im->n; i++) {
        const char *name = im->gd->node[i]->name;
        char *s = join(im->prefix, sep, name, 0);
        for (long k = 1; s && im->opts->uniquify_names && taken(im->graph, chosen, s); k++) {
            tfc_free(s);
            s = join(im->prefix, sep, name, k);
        }
        if (!s) return oom(st);
        im->names[i] = s;
        if (taken(im->graph, chosen, s))
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "Node name '%s' already exists in the Graph", s);
        if (tfc_strmap_put(chosen, s, s)) return oom(st);
    }
    return TF_OK;
}

TF_Code tfc_gd_pick_names(tfc_gd_import *im, TF_Status *st)
{
    tfc_strmap *chosen = tfc_strmap_new();
    if (!chosen) return oom(st);
    tfc_graph_lock(im->graph);
    TF_Code rc = pick_locked(im, chosen, st);
    tfc_graph_unlock(im->graph);
    tfc_strmap_free(chosen);
    return rc;
}

static TF_Code input_output(tfc_gd_import *im, int i, int k, TF_Output *out, TF_Status *st);

/* A back edge's NextIteration may not exist yet: another data input of the Merge (the loop's
 * Enter) stands in until tfc_gd_link_back_edges. */
static TF_Code stand_in(tfc_gd_import *im, int i, TF_Output *out, TF_Status *st)
{
    for (int k = 0; k < im->n_data[i]; k++)
        if (!im->inputs[i][k].back) return input_output(im, i, k, out, st);
    return tfc_status_set(st, TF_INVALID_ARGUMENT,
                          "Node '%s' (%s): every data input comes from a NextIteration, so it can never "
                          "run (a while loop's Merge also takes the loop's Enter)",
                          im->gd->node[i]->name, im->gd->node[i]->op);
}

/* The TF_Output of data input k of node i (already built: the nodes go in topological order). */
static TF_Code input_output(tfc_gd_import *im, int i, int k, TF_Output *out, TF_Status *st)
{
    const tfc_gd_input *in = &im->inputs[i][k];
    if (in->back) return stand_in(im, i, out, st);
    if (in->node < 0) {
        *out = in->mapped;
        return TF_OK;
    }
    TF_Operation *src = im->ops[in->node];
    if (in->index >= src->n_outputs)
        return tfc_status_set(st, TF_INVALID_ARGUMENT,
                              "Node '%s': input '%s' refers to output %d of '%s', "
                              "which has %d outputs",
                              im->gd->node[i]->name, im->gd->node[i]->input[k], in->index, src->name,
                              src->n_outputs);
    *out = (TF_Output){ src, in->index };
    return TF_OK;
}

/* Adds the data inputs, grouped by the op's input args (lists sized by number / type-list attrs). */
static TF_Code add_inputs(tfc_gd_import *im, int i, TF_OperationDescription *d, TF_Status *st)
{
    const tfc_op_def *def = d->def;
    const Tensorflow__NodeDef *nd = im->gd->node[i];
    int k = 0, want = 0;
    for (const tfc_arg_def *a = def->inputs; a && a->name; a++) {
        int count = 1;
        if (a->number_attr) {
            const tfc_attr_def *ad = tfc_op_attr_def(def, a->number_attr);
            count = (int)tfc_attrs_int(&d->attrs, a->number_attr, ad ? ad->dflt.i : 0);
        } else if (a->type_list_attr) {
            const TF_DataType *tl;
            count = tfc_attrs_type_list(&d->attrs, a->type_list_attr, &tl);
        }
        if (count < 0 || count > im->n_data[i] - k) {
            want = -1;
            break;
        }
        TF_Output *outs = tfc_calloc((size_t)count + 1, sizeof *outs);
        if (!outs) return oom(st);
        for (int j = 0; j < count; j++)
            if (input_output(im, i, k + j, &outs[j], st)) {
                tfc_free(outs);
                return TF_GetCode(st);
            }
        if (a->number_attr || a->type_list_attr)
            TF_AddInputList(d, outs, count);
        else
            TF_AddInput(d, outs[0]);
        tfc_free(outs);
        k += count;
    }
    if (want < 0 || k != im->n_data[i])
        return tfc_status_set(st, TF_INVALID_ARGUMENT,
                              "Node '%s' (%s): the NodeDef has %d inputs, which do not "
                              "match the op's input args",
                              nd->name, nd->op, im->n_data[i]);
    return TF_OK;
}

/* GraphDefs before producer 22 wrote an unknown Placeholder shape as the empty shape; TensorFlow
 * reads such a shape as unknown for them (Placeholder's shape function), and so do we. */
static void legacy_placeholder_shape(const char *attr, int producer, TF_OperationDescription *d,
                                     tfc_attr_value *v)
{
    if (producer <= 21 && !strcmp(d->def->name, "Placeholder") && !strcmp(attr, "shape") && !v->is_list &&
        v->type == TF_ATTR_SHAPE && v->u.shape.rank == 0)
        v->u.shape.rank = -1;
}

/* Colocation constraints "loc:@<node>" follow their node's new name (prefix, uniquify), as in
 * TensorFlow; names outside the GraphDef stay as they are. */
static TF_Code rename_class(tfc_gd_import *im, const char *attr, tfc_attr_value *v, TF_Status *st)
{
    if (strcmp(attr, "_class") || !v->is_list || v->type != TF_ATTR_STRING) return TF_OK;
    for (int i = 0; i < v->n; i++) {
        const char *s = v->u.sl.p[i];
        if (strncmp(s, "loc:@", 5)) continue;
        void *k = tfc_strmap_get(im->index, s + 5);
        if (!k) continue;
        char *renamed = join("loc:@", "", im->names[(intptr_t)k - 1], 0);
        if (!renamed) return oom(st);
        tfc_free(v->u.sl.p[i]);
        v->u.sl.p[i] = renamed;
        v->u.sl.len[i] = strlen(renamed);
    }
    return TF_OK;
}

static TF_Code add_attrs(tfc_gd_import *im, const Tensorflow__NodeDef *nd, int producer,
                         TF_OperationDescription *d, TF_Status *st)
{
    char what[512];
    for (size_t k = 0; k < nd->n_attr; k++) {
        const Tensorflow__NodeDef__AttrEntry *e = nd->attr[k];
        if (!e->key || !e->key[0])
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "Node '%s': attr with an empty name", nd->name);
        snprintf(what, sizeof what, "Node '%s' (%s) attr '%s': ", nd->name, nd->op, e->key);
        tfc_attr_value v;
        if (tfc_attr_from_proto(e->value, tfc_op_attr_def(d->def, e->key), &v, st, what))
            return TF_GetCode(st);
        legacy_placeholder_shape(e->key, producer, d, &v);
        if (rename_class(im, e->key, &v, st)) {
            tfc_attr_value_clear(&v);
            return TF_GetCode(st);
        }
        tfc_desc_put_attr(d, e->key, &v);
    }
    return TF_OK;
}

static void add_controls(tfc_gd_import *im, int i, TF_OperationDescription *d)
{
    bool internal = false;
    for (int k = 0; k < im->n_inputs[i]; k++) {
        const tfc_gd_input *in = &im->inputs[i][k];
        if (in->node >= 0) internal = true;
        if (!in->control) continue;
        TF_AddControlInput(d, in->node >= 0 ? im->ops[in->node] : in->mapped.oper);
    }
    for (int k = 0; !internal && k < im->opts->n_control_deps; k++)
        TF_AddControlInput(d, im->opts->control_deps[k]);
}

TF_Code tfc_gd_build_node(tfc_gd_import *im, int i, TF_Status *st)
{
    const Tensorflow__NodeDef *nd = im->gd->node[i];
    if (!tfc_op_lookup(nd->op))
        return tfc_status_set(st, TF_NOT_FOUND,
                              "Op type not registered '%s' in binary running on tfc "
                              "(node '%s')",
                              nd->op, nd->name);
    TF_OperationDescription *d = TF_NewOperation(im->graph, nd->op, im->names[i]);
    if (!d) return oom(st);
    TF_Status local = { 0 };
    int producer = im->gd->versions ? im->gd->versions->producer : 0;
    if (add_attrs(im, nd, producer, d, &local) || add_inputs(im, i, d, &local)) {
        tfc_desc_error(d, TF_GetCode(&local), "%s", TF_Message(&local));
    } else {
        add_controls(im, i, d);
        const char *dev = nd->device && nd->device[0] ? nd->device : im->opts->default_device;
        if (dev && dev[0]) TF_SetDevice(d, dev);
    }
    tfc_status_clear(&local);
    im->ops[i] = TF_FinishOperation(d, st);
    return im->ops[i] ? TF_OK : TF_GetCode(st);
}

/* The back edge of data input k of node i: its NextIteration, checked like any other input. */
static TF_Code back_edge(tfc_gd_import *im, int i, int k, tfc_relink *r, TF_Status *st)
{
    const tfc_gd_input *in = &im->inputs[i][k];
    TF_Operation *src = im->ops[in->node];
    if (in->index >= src->n_outputs)
        return tfc_status_set(st, TF_INVALID_ARGUMENT,
                              "Node '%s': input '%s' refers to output %d of '%s', which has %d outputs",
                              im->gd->node[i]->name, im->gd->node[i]->input[k], in->index, src->name,
                              src->n_outputs);
    *r = (tfc_relink){ im->ops[i], k, { src, in->index } }; /* a Merge's inputs are one list: k is flat */
    return TF_OK;
}

TF_Code tfc_gd_link_back_edges(tfc_gd_import *im, TF_Status *st)
{
    int n = 0;
    for (int i = 0; i < im->n; i++)
        for (int k = 0; k < im->n_data[i]; k++) n += im->inputs[i][k].back;
    if (!n) return TF_OK;
    tfc_relink *r = tfc_calloc((size_t)n, sizeof *r);
    if (!r) return oom(st);
    TF_Code rc = TF_OK;
    int at = 0;
    for (int i = 0; !rc && i < im->n; i++)
        for (int k = 0; !rc && k < im->n_data[i]; k++)
            if (im->inputs[i][k].back) rc = back_edge(im, i, k, &r[at++], st);
    if (!rc) rc = tfc_graph_relink_inputs(im->graph, r, n, st); /* all or nothing; checks dtypes */
    tfc_free(r);
    return rc;
}
