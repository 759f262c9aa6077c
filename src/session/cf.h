/* cf: control flow in the executor — TensorFlow's dataflow control flow (Switch, Merge, Enter,
 * Exit, NextIteration, LoopCond, ControlTrigger) with dead tensors and execution frames.
 *
 * A plan with any control-flow op gets a tfc_cf_plan (cf_plan.c): every node's static frame (the
 * root frame, or the loop frame an Enter opens — named by its frame_name inside its parent frame),
 * its out-edges, and its pending count. executor_cf.c runs such plans: a node runs once per
 * iteration of its frame instance; a node with a dead input does not run and sends dead outputs
 * on (Switch sends its input on one port and dead on the other); Merge runs on its first live data
 * input (or dead when all are dead) and reports value_index; Enter passes a value into iteration 0
 * of a child frame instance (an is_constant Enter into every iteration); NextIteration passes a
 * live value into the next iteration (a dead one ends the loop); Exit passes the live value of
 * the last iteration out to the parent frame (a frame that ends without one sends dead). */
#ifndef TFC_SESSION_CF_H_
#define TFC_SESSION_CF_H_
#include <stdbool.h>
#include "session/session.h"

typedef enum tfc_cf_kind {
    TFC_CF_PLAIN = 0,
    TFC_CF_SWITCH,
    TFC_CF_MERGE,
    TFC_CF_ENTER,
    TFC_CF_EXIT,
    TFC_CF_NEXT_ITERATION,
    TFC_CF_CONTROL_TRIGGER,
} tfc_cf_kind;

typedef struct tfc_cf_edge {
    int dst;    /* plan node */
    int input;  /* data input of dst, or -1 for a control edge */
    int output; /* output of the source, or -1 for a control edge */
} tfc_cf_edge;

typedef struct tfc_cf_node {
    tfc_cf_kind kind;
    int frame;          /* static frame the node runs in */
    int child_frame;    /* Enter: the static frame it feeds */
    bool is_constant;   /* Enter */
    int initial_pending;/* in-edges to wait for; a Merge waits only for its control edges */
    int n_data_inputs;
    int n_out;
    tfc_cf_edge *out;
} tfc_cf_node;

typedef struct tfc_cf_frame {
    int parent;              /* -1 for the root frame */
    const char *name;        /* the Enters' frame_name (borrowed from the graph) */
    int n_enters;            /* Enter nodes feeding one instance of this frame */
    int parallel_iterations; /* iterations in flight at most */
    int n_exits;
    int *exits;              /* Exit nodes of this frame */
} tfc_cf_frame;

typedef struct tfc_cf_plan {
    tfc_cf_node *nodes;     /* parallel to the plan's nodes */
    int n_frames;
    tfc_cf_frame *frames;   /* frames[0] is the root frame */
    int *feed_n_out;        /* per feed: its edges into plan nodes */
    tfc_cf_edge **feed_out;
    int *fetch_node;        /* per fetch: the producing plan node, or -1 when the fetch is fed */
    int *fetch_output;
    int *roots;             /* root-frame nodes with nothing to wait for */
    int n_roots;
    tfc_cf_edge *edges;     /* owns every out-edge list above */
} tfc_cf_plan;

/* True when op's type is one of the control-flow ops above (incl. Ref variants and LoopCond). */
bool tfc_cf_is_control_flow_op(const TF_Operation *op);
/* Builds p->cf when the plan has control-flow ops (else leaves it NULL). INVALID_ARGUMENT for
 * malformed frames (a node fed from two frames, an Exit or a NextIteration outside a loop). */
TF_Code tfc_cf_plan_build(tfc_plan *p, bool force, TF_Status *st); /* force: even without control flow */
void tfc_cf_plan_free(tfc_cf_plan *cf);

/* executor_cf.c: a step as an object, so partial runs can feed and fetch it in several calls.
 * start; feed each of the plan's feeds once (any order); fetch (waits until the named fetches are
 * computed or the step ends); finish (waits for the step to end, frees it). */
typedef struct tfc_cf_run tfc_cf_run;
TF_Code tfc_cf_run_start(TF_Session *s, const tfc_plan *p, tfc_trace *trace, int64_t timeout_ms, tfc_cf_run **out,
                         TF_Status *st);
TF_Code tfc_cf_run_feed(tfc_cf_run *r, int feed, TF_Tensor *value, TF_Status *st);
TF_Code tfc_cf_run_fetch(tfc_cf_run *r, const int *fetches, int n, TF_Tensor **out, TF_Status *st);
TF_Code tfc_cf_run_finish(tfc_cf_run *r, TF_Status *st);
/* Ends a step that may never get its remaining feeds: they arrive dead, the step fails with
 * CANCELLED, and it is finished and freed. */
void tfc_cf_run_abort(tfc_cf_run *r);
/* tfc_execute for plans with control flow: all of the above in one call. */
TF_Code tfc_execute_cf(TF_Session *s, const tfc_plan *p, TF_Tensor *const *feeds, TF_Tensor **fetched,
                       tfc_trace *trace, int64_t timeout_ms, TF_Status *st);

#endif
