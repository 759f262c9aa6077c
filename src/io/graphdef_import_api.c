/* graphdef_import_api: TF_GraphImportGraphDef, ...WithResults, ...WithReturnOutputs: runs the import
 * steps of graphdef_import.h and rolls the graph back on any failure. */
#include <string.h>

#include "core/alloc.h"
#include "core/status.h"
#include "graph/cf_build.h"
#include "graph/graph.h"
#include "io/graphdef.h"
#include "io/graphdef_import.h"

static TF_Code oom(TF_Status *st)
{
    return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory importing a GraphDef");
}

static void import_free(tfc_gd_import *im)
{
    for (int i = 0; im->inputs && i < im->n; i++) tfc_free(im->inputs[i]);
    for (int i = 0; im->names && i < im->n; i++) tfc_free(im->names[i]);
    tfc_free(im->inputs);
    tfc_free(im->names);
    tfc_free(im->n_inputs);
    tfc_free(im->n_data);
    tfc_free(im->order);
    tfc_free(im->ops);
    tfc_free(im->map_used);
    tfc_free(im->prefix);
    tfc_strmap_free(im->index);
    if (im->gd) tensorflow__graph_def__free_unpacked(im->gd, NULL);
}

static TF_Code check_versions(const Tensorflow__GraphDef *gd, TF_Status *st)
{
    const Tensorflow__VersionDef *v = gd->versions;
    if (gd->library.len)
        return tfc_status_set(st, TF_UNIMPLEMENTED,
                              "GraphDef has a function library, which tfc does not "
                              "support yet");
    if (!v) return TF_OK;
    if (v->min_consumer > TFC_GRAPH_DEF_PRODUCER)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "GraphDef min consumer %d exceeds our producer %d",
                              (int)v->min_consumer, TFC_GRAPH_DEF_PRODUCER);
    for (size_t i = 0; i < v->n_bad_consumers; i++)
        if (v->bad_consumers[i] == TFC_GRAPH_DEF_PRODUCER)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "GraphDef disallows consumer version %d",
                                  TFC_GRAPH_DEF_PRODUCER);
    return TF_OK;
}

static int node_of(const tfc_gd_import *im, const char *name)
{
    void *v = name ? tfc_strmap_get(im->index, name) : NULL;
    return v ? (int)(intptr_t)v - 1 : -1;
}

static TF_Code fill_returns(tfc_gd_import *im, TF_ImportGraphDefResults *r, TF_Status *st)
{
    const TF_ImportGraphDefOptions *o = im->opts;
    r->outputs = tfc_calloc((size_t)o->n_ret_outputs + 1, sizeof *r->outputs);
    r->opers = tfc_calloc((size_t)o->n_ret_opers + 1, sizeof *r->opers);
    if (!r->outputs || !r->opers) return oom(st);
    for (int i = 0; i < o->n_ret_outputs; i++) {
        const tfc_return_output *ro = &o->ret_outputs[i];
        int k = node_of(im, ro->name);
        if (k < 0)
            return tfc_status_set(st, TF_INVALID_ARGUMENT,
                                  "Requested return tensor '%s:%d' not found in graph def", ro->name,
                                  ro->index);
        if (ro->index < 0 || ro->index >= im->ops[k]->n_outputs)
            return tfc_status_set(st, TF_INVALID_ARGUMENT,
                                  "Invalid return output %d of node '%s', which has %d "
                                  "output(s)",
                                  ro->index, ro->name, im->ops[k]->n_outputs);
        r->outputs[r->n_outputs++] = (TF_Output){ im->ops[k], ro->index };
    }
    for (int i = 0; i < o->n_ret_opers; i++) {
        int k = node_of(im, o->ret_opers[i]);
        if (k < 0)
            return tfc_status_set(st, TF_INVALID_ARGUMENT,
                                  "Requested return node '%s' not found in graph def", o->ret_opers[i]);
        r->opers[r->n_opers++] = im->ops[k];
    }
    return TF_OK;
}

static TF_Code fill_missing(tfc_gd_import *im, TF_ImportGraphDefResults *r, TF_Status *st)
{
    const TF_ImportGraphDefOptions *o = im->opts;
    size_t n = (size_t)o->n_maps + 1;
    r->missing_names = tfc_calloc(n, sizeof *r->missing_names);
    r->missing_storage = tfc_calloc(n, sizeof *r->missing_storage);
    r->missing_indexes = tfc_calloc(n, sizeof *r->missing_indexes);
    if (!r->missing_names || !r->missing_storage || !r->missing_indexes) return oom(st);
    for (int i = 0; i < o->n_maps; i++) {
        if (im->map_used[i]) continue;
        char *s = tfc_strdup(o->maps[i].src);
        if (!s) return oom(st);
        r->missing_storage[r->n_missing] = s;
        r->missing_names[r->n_missing] = s;
        r->missing_indexes[r->n_missing++] = o->maps[i].index;
    }
    return TF_OK;
}

static TF_Code check_args(TF_Graph *g, const TF_Buffer *gd, const TF_ImportGraphDefOptions *o, TF_Status *st)
{
    if (!g) return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_GraphImportGraphDef: graph is NULL");
    if (!gd || (!gd->data && gd->length))
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_GraphImportGraphDef: graph_def buffer is NULL");
    if (o->oom)
        return tfc_status_set(st, TF_INVALID_ARGUMENT,
                              "TF_GraphImportGraphDef: an options setter failed "
                              "(NULL argument or out of memory)");
    for (int i = 0; i < o->n_control_deps; i++)
        if (o->control_deps[i]->graph != g)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "control dependency '%s' is not in the graph",
                                  o->control_deps[i]->name);
    return TF_OK;
}

/* The whole import; on failure removes what it added. */
static TF_Code run_import(tfc_gd_import *im, const TF_Buffer *buf, TF_ImportGraphDefResults *r, TF_Status *st)
{
    im->gd = tensorflow__graph_def__unpack(NULL, buf->length, buf->data);
    if (!im->gd) return tfc_status_set(st, TF_INVALID_ARGUMENT, "Invalid GraphDef");
    if (im->gd->n_node > (size_t)INT32_MAX / 4)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "GraphDef too large");
    im->n = (int)im->gd->n_node;
    if (check_versions(im->gd, st) || tfc_gd_resolve(im, st) || tfc_gd_pick_names(im, st))
        return TF_GetCode(st);
    int first = tfc_graph_num_ops(im->graph);
    TF_Code rc = TF_OK;
    for (int k = 0; !rc && k < im->n; k++) rc = tfc_gd_build_node(im, im->order[k], st);
    if (!rc) rc = tfc_gd_link_back_edges(im, st);
    if (!rc) rc = fill_returns(im, r, st);
    if (!rc) rc = fill_missing(im, r, st);
    if (rc) tfc_cf_remove_ops_from(im->graph, first); /* also undoes relinked back edges */
    return rc;
}

TF_ImportGraphDefResults *TF_GraphImportGraphDefWithResults(TF_Graph *graph, const TF_Buffer *graph_def,
                                                            const TF_ImportGraphDefOptions *options,
                                                            TF_Status *status)
{
    static const TF_ImportGraphDefOptions defaults = { 0 };
    if (!options) options = &defaults;
    if (check_args(graph, graph_def, options, status)) return NULL;
    TF_ImportGraphDefResults *r = tfc_calloc(1, sizeof *r);
    if (!r) {
        oom(status);
        return NULL;
    }
    tfc_gd_import im = { .graph = graph, .opts = options };
    TF_Code rc = run_import(&im, graph_def, r, status);
    import_free(&im);
    if (rc) {
        TF_DeleteImportGraphDefResults(r);
        return NULL;
    }
    tfc_status_clear(status);
    return r;
}

void TF_GraphImportGraphDefWithReturnOutputs(TF_Graph *graph, const TF_Buffer *graph_def,
                                             const TF_ImportGraphDefOptions *options,
                                             TF_Output *return_outputs, int num_return_outputs,
                                             TF_Status *status)
{
    if (options && num_return_outputs != options->n_ret_outputs) {
        tfc_status_set(status, TF_INVALID_ARGUMENT, "Expected 'num_return_outputs' to be %d, got %d",
                       options->n_ret_outputs, num_return_outputs);
        return;
    }
    if (num_return_outputs > 0 && !return_outputs) {
        tfc_status_set(status, TF_INVALID_ARGUMENT, "return_outputs is NULL");
        return;
    }
    TF_ImportGraphDefResults *r = TF_GraphImportGraphDefWithResults(graph, graph_def, options, status);
    if (!r) return;
    for (int i = 0; i < r->n_outputs; i++) return_outputs[i] = r->outputs[i];
    TF_DeleteImportGraphDefResults(r);
}

void TF_GraphImportGraphDef(TF_Graph *graph, const TF_Buffer *graph_def,
                            const TF_ImportGraphDefOptions *options, TF_Status *status)
{
    TF_DeleteImportGraphDefResults(TF_GraphImportGraphDefWithResults(graph, graph_def, options, status));
}
