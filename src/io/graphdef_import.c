/* graphdef_import: TF_GraphImportGraphDef*: parse, resolve every NodeDef input (input mappings,
 * control remaps, names within the GraphDef), sort the nodes topologically (a cycle is an error,
 * except through a while loop's NextIteration -> Merge back edges, which TensorFlow's importer
 * also leaves out of the order),
 * choose final names (prefix, uniquify), then build each node through TF_FinishOperation
 * (graphdef_build.c). Any failure removes every op the import added: the graph is unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/status.h"
#include "graph/graph.h"
#include "io/graphdef.h"
#include "io/graphdef_import.h"

static TF_Code oom(TF_Status *st)
{
    return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory importing a GraphDef");
}

/* Splits "name", "name:3" or "^name" into (name, len, index, control). */
static TF_Code parse_input(const char *s, const char **name, size_t *len, int *index, bool *control)
{
    *control = s[0] == '^';
    if (*control) s++;
    const char *colon = strrchr(s, ':');
    *name = s;
    *len = strlen(s);
    *index = 0;
    if (colon && !*control) {
        const char *d = colon + 1;
        long v = 0;
        if (!*d) return TF_INVALID_ARGUMENT;
        for (; *d; d++) {
            if (*d < '0' || *d > '9' || v > 100000000) return TF_INVALID_ARGUMENT;
            v = v * 10 + (*d - '0');
        }
        *index = (int)v;
        *len = (size_t)(colon - s);
    }
    return *len ? TF_OK : TF_INVALID_ARGUMENT;
}

/* The option mapping for (name, index) (index -1: control), or -1. */
static int find_map(const TF_ImportGraphDefOptions *o, const char *name, size_t len, int index)
{
    for (int i = 0; o && i < o->n_maps; i++)
        if (o->maps[i].index == index && strlen(o->maps[i].src) == len && !memcmp(o->maps[i].src, name, len))
            return i;
    return -1;
}

static TF_Code resolve_one(tfc_gd_import *im, int node, const char *s, tfc_gd_input *in, TF_Status *st)
{
    const Tensorflow__NodeDef *nd = im->gd->node[node];
    const char *name;
    size_t len;
    if (parse_input(s, &name, &len, &in->index, &in->control))
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "Node '%s': malformed input '%s'", nd->name, s);
    int m = find_map(im->opts, name, len, in->control ? -1 : in->index);
    in->node = -1;
    if (m >= 0) {
        im->map_used[m] = true;
        in->mapped = im->opts->maps[m].dst;
        if (!in->mapped.oper || in->mapped.oper->graph != im->graph)
            return tfc_status_set(st, TF_INVALID_ARGUMENT,
                                  "Node '%s': input mapping of '%s' targets an op of "
                                  "another graph",
                                  nd->name, s);
        return TF_OK;
    }
    void *v = tfc_strmap_getn(im->index, name, len);
    if (!v) return tfc_status_set(st, TF_INVALID_ARGUMENT, "Node '%s': Unknown input node '%s'", nd->name, s);
    in->node = (int)(intptr_t)v - 1;
    return TF_OK;
}

static bool op_is(const Tensorflow__NodeDef *nd, const char *type)
{
    const char *t = nd->op;
    if (!strncmp(t, "Ref", 3)) t += 3;
    return !strcmp(t, type);
}

static TF_Code resolve_node(tfc_gd_import *im, int i, TF_Status *st)
{
    const Tensorflow__NodeDef *nd = im->gd->node[i];
    bool merge = op_is(nd, "Merge");
    im->inputs[i] = tfc_calloc(nd->n_input + 1, sizeof(tfc_gd_input));
    if (!im->inputs[i]) return oom(st);
    for (size_t k = 0; k < nd->n_input; k++) {
        tfc_gd_input *in = &im->inputs[i][k];
        if (resolve_one(im, i, nd->input[k], in, st)) return TF_GetCode(st);
        if (!in->control && im->n_inputs[i] > im->n_data[i])
            return tfc_status_set(st, TF_INVALID_ARGUMENT,
                                  "Node '%s': Control dependencies must come after "
                                  "regular dependencies",
                                  nd->name);
        im->n_inputs[i]++;
        if (!in->control) im->n_data[i]++;
        in->back = merge && !in->control && in->node >= 0 && op_is(im->gd->node[in->node], "NextIteration");
    }
    return TF_OK;
}

static TF_Code index_nodes(tfc_gd_import *im, TF_Status *st)
{
    for (int i = 0; i < im->n; i++) {
        const Tensorflow__NodeDef *nd = im->gd->node[i];
        if (!nd->name || !nd->name[0])
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "GraphDef node %d has no name", i);
        if (!nd->op || !nd->op[0])
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "Node '%s' has no op", nd->name);
        if (tfc_strmap_get(im->index, nd->name))
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "Duplicate node name in GraphDef: '%s'", nd->name);
        if (tfc_strmap_put(im->index, nd->name, (void *)(intptr_t)(i + 1))) return oom(st);
    }
    return TF_OK;
}

/* A node on a cycle, given the nodes Kahn's algorithm left pending: walking back along pending inputs
 * n times from any pending node must end on a cycle. */
static int on_cycle(const tfc_gd_import *im, const int *pending)
{
    int u = 0;
    while (u < im->n && !pending[u]) u++;
    for (int step = 0; u < im->n && step < im->n; step++) {
        int next = -1;
        for (int k = 0; next < 0 && k < im->n_inputs[u]; k++) {
            int src = im->inputs[u][k].node;
            if (src >= 0 && !im->inputs[u][k].back && pending[src]) next = src;
        }
        if (next < 0) break;
        u = next;
    }
    return u < im->n ? u : 0;
}

/* Kahn's algorithm over the edges inside the GraphDef but the back edges; nodes left over lie on a
 * cycle. */
static TF_Code topo_sort(tfc_gd_import *im, TF_Status *st)
{
    int n = im->n, head = 0, tail = 0, rc = TF_OK;
    int *pending = tfc_calloc((size_t)n + 1, sizeof(int));
    int *n_out = tfc_calloc((size_t)n + 1, sizeof(int)), *start = tfc_calloc((size_t)n + 2, sizeof(int));
    int *adj = NULL;
    int edges = 0;
    if (!pending || !n_out || !start) goto fail_oom;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < im->n_inputs[i]; k++)
            if (im->inputs[i][k].node >= 0 && !im->inputs[i][k].back)
                pending[i]++, n_out[im->inputs[i][k].node]++, edges++;
    adj = tfc_calloc((size_t)edges + 1, sizeof(int));
    if (!adj) goto fail_oom;
    for (int i = 0; i < n; i++) start[i + 1] = start[i] + n_out[i], n_out[i] = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < im->n_inputs[i]; k++) {
            int src = im->inputs[i][k].node;
            if (src >= 0 && !im->inputs[i][k].back) adj[start[src] + n_out[src]++] = i;
        }
    for (int i = 0; i < n; i++)
        if (!pending[i]) im->order[tail++] = i;
    while (head < tail) {
        int u = im->order[head++];
        for (int e = start[u]; e < start[u + 1]; e++)
            if (--pending[adj[e]] == 0) im->order[tail++] = adj[e];
    }
    if (tail < n) {
        int bad = on_cycle(im, pending);
        rc = tfc_status_set(st, TF_INVALID_ARGUMENT,
                            "GraphDef has a cycle through node '%s' (%d nodes unsorted)",
                            im->gd->node[bad]->name, n - tail);
    }
    goto done;
fail_oom:
    rc = oom(st);
done:
    tfc_free(pending);
    tfc_free(n_out);
    tfc_free(start);
    tfc_free(adj);
    return rc;
}

TF_Code tfc_gd_resolve(tfc_gd_import *im, TF_Status *st)
{
    int n = im->n;
    im->index = tfc_strmap_new();
    im->inputs = tfc_calloc((size_t)n + 1, sizeof *im->inputs);
    im->n_inputs = tfc_calloc((size_t)n + 1, sizeof(int));
    im->n_data = tfc_calloc((size_t)n + 1, sizeof(int));
    im->order = tfc_calloc((size_t)n + 1, sizeof(int));
    im->names = tfc_calloc((size_t)n + 1, sizeof(char *));
    im->ops = tfc_calloc((size_t)n + 1, sizeof(TF_Operation *));
    im->map_used = tfc_calloc((size_t)im->opts->n_maps + 1, sizeof(bool));
    if (!im->index || !im->inputs || !im->n_inputs || !im->n_data || !im->order || !im->names || !im->ops ||
        !im->map_used)
        return oom(st);
    if (index_nodes(im, st)) return TF_GetCode(st);
    for (int i = 0; i < n; i++)
        if (resolve_node(im, i, st)) return TF_GetCode(st);
    return topo_sort(im, st);
}
