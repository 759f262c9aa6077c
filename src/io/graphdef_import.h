/* graphdef_import: the import options and results (TF_ImportGraphDefOptions, TF_ImportGraphDefResults)
 * shared by graphdef_options.c (their C API) and graphdef_import.c / graphdef_build.c (the import). */
#ifndef TFC_IO_GRAPHDEF_IMPORT_H_
#define TFC_IO_GRAPHDEF_IMPORT_H_
#include <stdbool.h>
#include "core/strmap.h"
#include "graph/cf_build.h"
#include "tfc/c_api.h"
#include "graph.pb-c.h"

typedef struct tfc_input_map {
    char *src; /* GraphDef node name */
    int index; /* output index; -1: control dependency remap */
    TF_Output dst; /* dst.index unused for control remaps */
} tfc_input_map;

typedef struct tfc_return_output {
    char *name;
    int index;
} tfc_return_output;

struct TF_ImportGraphDefOptions {
    char *prefix;
    char *default_device;
    bool uniquify_names, uniquify_prefix;
    bool oom; /* a setter ran out of memory: the import fails */
    tfc_input_map *maps;
    int n_maps, cap_maps;
    TF_Operation **control_deps;
    int n_control_deps, cap_control_deps;
    tfc_return_output *ret_outputs;
    int n_ret_outputs, cap_ret_outputs;
    char **ret_opers;
    int n_ret_opers, cap_ret_opers;
};

struct TF_ImportGraphDefResults {
    TF_Output *outputs;
    int n_outputs;
    TF_Operation **opers;
    int n_opers;
    const char **missing_names; /* point into missing_storage */
    char **missing_storage;
    int *missing_indexes;
    int n_missing;
};

/* One resolved NodeDef input. */
typedef struct tfc_gd_input {
    bool control;
    bool back; /* a while loop's back edge: a Merge's data input from a NextIteration */
    int node; /* GraphDef node index, or -1 when mapped */
    int index; /* output index (data inputs) */
    TF_Output mapped; /* mapped.oper set when an input mapping applies */
} tfc_gd_input;

/* The import of one GraphDef: parsed proto, name index, resolved inputs, order, created ops. */
typedef struct tfc_gd_import {
    TF_Graph *graph;
    const TF_ImportGraphDefOptions *opts;
    Tensorflow__GraphDef *gd;
    int n; /* nodes */
    tfc_strmap *index; /* GraphDef name -> node index + 1 */
    tfc_gd_input **inputs; /* per node */
    int *n_inputs, *n_data;
    int *order; /* topological order, back edges left out */
    bool *map_used; /* per opts->maps entry */
    char *prefix; /* effective prefix ("" when none), owned */
    char **names; /* final op names, owned */
    TF_Operation **ops; /* created ops, per node */
} tfc_gd_import;

/* Resolves inputs, sorts, picks names (graphdef_import.c) and builds ops (graphdef_build.c). A
 * Merge is built with a stand-in (one of its other data inputs) for each back edge;
 * tfc_gd_link_back_edges points those inputs at their NextIteration once every op exists. */
TF_Code tfc_gd_resolve(tfc_gd_import *im, TF_Status *st);
TF_Code tfc_gd_pick_names(tfc_gd_import *im, TF_Status *st);
TF_Code tfc_gd_build_node(tfc_gd_import *im, int node, TF_Status *st);
TF_Code tfc_gd_link_back_edges(tfc_gd_import *im, TF_Status *st);

#endif
