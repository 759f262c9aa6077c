/* graph: TF_Graph and TF_Operation, the append-only node store.
 *
 * Ops are allocated one by one and never move or go away before the graph, so TF_Operation
 * pointers and their name strings are stable (the Go binding relies on this). An op's name,
 * type, inputs, attrs and output dtypes never change after TF_FinishOperation; what grows later
 * (consumer lists, control outputs, output shapes set by TF_GraphSetTensorShape) is guarded by
 * the graph's mutex. Sessions hold a reference so TF_DeleteGraph can be deferred. */
#ifndef TFC_GRAPH_GRAPH_H_
#define TFC_GRAPH_GRAPH_H_
#include <pthread.h>
#include <stdbool.h>
#include "core/shape.h"
#include "core/strmap.h"
#include "graph/attr.h"
#include "ops/op_def.h"
#include "tfc/c_api.h"

typedef struct tfc_input_list {
    TF_Input *items;
    int n, cap;
} tfc_input_list;

struct TF_Operation {
    TF_Graph *graph;
    int id;               /* creation index */
    char *name;
    char *device;         /* requested device, "" when none */
    const tfc_op_def *def;
    tfc_attrs attrs;      /* includes defaults filled in by the builder */

    int n_inputs;
    TF_Output *inputs;    /* flattened over the def's input args */
    TF_DataType *input_types;
    int *input_arg_start; /* per input arg of def: first flattened index and count */
    int *input_arg_len;

    int n_outputs;
    TF_DataType *output_types;
    tfc_pshape *output_shapes; /* graph lock */
    int *output_arg_start;
    int *output_arg_len;

    int n_control_inputs;
    TF_Operation **control_inputs;

    tfc_input_list *consumers; /* per output; graph lock */
    TF_Operation **control_outputs; /* graph lock */
    int n_control_outputs, cap_control_outputs;
};

struct TF_Graph {
    pthread_mutex_t mu;
    TF_Operation **ops;   /* creation order */
    int n_ops, cap_ops;
    tfc_strmap *by_name;
    int n_sessions;       /* sessions using the graph */
    bool delete_requested;
    /* Branch graphs of TF_NewWhile / TFC_NewCond (graph/while_loop.c, cond.c): the graph the loop or
     * conditional is built into, and its inputs (owned by the params' arrays); NULL otherwise. */
    TF_Graph *cf_parent;
    const TF_Output *cf_parent_inputs;
};

/* Locks for the duration of a call that reads mutable parts (consumers, shapes, the op list). */
static inline void tfc_graph_lock(TF_Graph *g) { pthread_mutex_lock(&g->mu); }
static inline void tfc_graph_unlock(TF_Graph *g) { pthread_mutex_unlock(&g->mu); }

/* Sessions take and drop references; the last drop after TF_DeleteGraph frees the graph. */
void tfc_graph_ref(TF_Graph *g);
void tfc_graph_unref(TF_Graph *g);
/* Number of ops (under the lock). */
int tfc_graph_num_ops(TF_Graph *g);
/* Valid output / input of an op of this graph? */
bool tfc_output_valid(TF_Output o);

/* Removes the ops with id >= first, newest first, unlinking them from their producers' consumer
 * and control-output lists, and frees them. Only for rolling back a failed GraphDef import: the
 * removed ops must be the newest ones and nobody may hold them yet. Takes the graph lock. */
void tfc_graph_remove_ops_from(TF_Graph *g, int first);

/* Frees an op and everything it owns (used by the builder on failure and by TF_DeleteGraph). */
void tfc_operation_free(TF_Operation *op);

#endif
