/* cf_build: what the control-flow builders share (TF_NewWhile / TF_FinishWhile in while_loop.c,
 * TFC_NewCond / TFC_FinishCond in cond.c, and the GraphDef importer's loop back edges): copying a
 * branch graph into its parent, and relinking an input of a finished op to an op created after it
 * (a loop's NextIteration into its Merge, the one edge that closes a cycle).
 *
 * A relink changes a finished op, against graph.h's rule; it is only done to ops the builder has
 * just made, before any session can have planned them. */
#ifndef TFC_GRAPH_CF_BUILD_H_
#define TFC_GRAPH_CF_BUILD_H_
#include <stdbool.h>
#include <stddef.h>
#include "graph/graph.h"

typedef struct tfc_relink {
    TF_Operation *op; /* the consumer */
    int input;        /* its data input */
    TF_Output src;    /* the new producer, of the same dtype */
} tfc_relink;

/* Points each r[k].op's input at r[k].src, updating the consumer lists. All or nothing:
 * INVALID_ARGUMENT for a dtype mismatch or a bad index, RESOURCE_EXHAUSTED (nothing changed). */
TF_Code tfc_graph_relink_inputs(TF_Graph *g, const tfc_relink *r, int n, TF_Status *st);

/* Copies the ops of `src` (creation order) into `dst`, each named "<prefix>/<name>", except the ops
 * of map_from[0..n_map) (the Placeholders standing for the inputs), whose uses become map_to[].
 * Ops without any input get a control input from `anchor` (when not NULL), so they run in its
 * frame and are dead with it. Inputs from ops created later (loop back edges into a Merge) are
 * relinked after the copy. *copies (tfc_malloc'ed, one entry per src op, NULL for mapped ops) gives
 * the copies. On error dst may hold part of the copy: the caller removes it. */
TF_Code tfc_graph_copy_into(TF_Graph *src, TF_Graph *dst, const char *prefix, const TF_Output *map_from,
                            const TF_Output *map_to, int n_map, TF_Operation *anchor, TF_Operation ***copies,
                            TF_Status *st);

/* Where `o` (an output of src) went in the copy: a mapped input's replacement or the copied op. */
TF_Output tfc_graph_copied_output(TF_Operation *const *copies, const TF_Output *map_from, const TF_Output *map_to,
                                  int n_map, TF_Output o);

/* tfc_graph_remove_ops_from for graphs whose new ops may hold relinked back edges (which point
 * from an older op to a newer one, and would otherwise be unlinked from a freed op). */
void tfc_cf_remove_ops_from(TF_Graph *g, int first);

/* base, or base_1, base_2, ... : the first name that neither names an op of g nor prefixes one
 * ("<name>/..."). Returns a tfc_malloc'ed string, NULL when out of memory. */
char *tfc_graph_unique_scope(TF_Graph *g, const char *base);

/* One op of the builders: op_type named "<scope>/<op_type>" (made unique) with the inputs given,
 * either one list arg (as_list) or one arg each. NULL on failure (status set). */
TF_Operation *tfc_cf_add_op(TF_Graph *g, const char *scope, const char *op_type, const TF_Output *in, int n_in,
                            bool as_list, TF_Status *st);

/* Two new branch graphs (a loop's cond and body, a cond's branches) whose Placeholders
 * "<a>_input<i>" / "<b>_input<i>" take the dtypes of inputs[0..n); ia, ib receive them. Both graphs
 * get cf_parent = g (the caller sets cf_parent_inputs). On error the caller deletes *ga, *gb. */
TF_Code tfc_cf_new_branches(TF_Graph *g, const TF_Output *inputs, int n, const char *a, const char *b,
                            TF_Graph **ga, TF_Output *ia, TF_Graph **gb, TF_Output *ib, TF_Status *st);

#endif
