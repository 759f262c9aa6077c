/* session: TF_Session internals shared by the session files.
 *
 * A step goes: TF_SessionRun (session.c) checks its arguments, finds or builds the plan for its
 * signature (plan.c: prune, place, order, kernel lookup, slot layout), and hands it to the
 * executor (executor.c), which runs ready nodes on the inter-op pool and releases each
 * intermediate tensor after its last consumer. Plans are immutable once built and shared by
 * concurrent steps; everything a step mutates lives in its own step state. */
#ifndef TFC_SESSION_SESSION_H_
#define TFC_SESSION_SESSION_H_
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/device.h"
#include "core/shape.h"
#include "core/threadpool.h"
#include "graph/graph.h"
#include "kernels/kernel.h"

struct TF_SessionOptions {
    char *target;
    int intra_op_threads; /* 0: number of cores */
    int inter_op_threads; /* 0: number of cores */
    bool allow_soft_placement;
    int max_gpus;         /* device_count["GPU"]; -1: no limit */
    bool log_device_placement; /* print each op's device when a plan is built */
    double gpu_memory_fraction; /* gpu_options.per_process_gpu_memory_fraction (0: default) */
    bool gpu_allow_growth;
    char *gpu_visible_devices;  /* gpu_options.visible_device_list, "" for all */
};

typedef struct tfc_plan_node {
    TF_Operation *op;
    const tfc_kernel_def *kernel;
    void *state;
    bool owns_state;       /* false when the session shares the state across plans (stateful ops) */
    const tfc_device *device;
    int n_inputs;
    int *input_slots;      /* slot read by each data input */
    int n_outputs;
    int first_slot;        /* outputs live in slots first_slot .. first_slot + n_outputs - 1 */
    int n_succ;
    int *succ;             /* plan nodes to notify when this one is done (one entry per edge) */
    int initial_pending;   /* in-plan edges (data and control) into this node */
    int scratch_offset;    /* where this node's input pointers start in the step's scratch array */
} tfc_plan_node;

typedef struct tfc_plan {
    uint64_t hash;
    int n_feeds, n_fetches, n_targets;
    TF_Output *feeds, *fetches;
    TF_Operation **targets;

    int n_nodes;
    tfc_plan_node *nodes;  /* topological order */
    int n_roots;
    int *roots;
    int n_slots;
    int *slot_uses;        /* consumers of each slot in this plan, fetches included */
    int *feed_slots;
    int *fetch_slots;
    TF_DataType *feed_types;
    tfc_pshape *feed_shapes; /* static shapes of the fed outputs when the plan was built */
    int scratch_size;      /* total data inputs and outputs over all nodes */
    struct tfc_cf_plan *cf; /* control flow (session/cf.h); NULL for plans without it */
} tfc_plan;

struct TF_Session {
    TF_Graph *graph;
    pthread_mutex_t mu;    /* plan cache and closing */
    bool closed;
    atomic_bool closing;   /* set by TF_CloseSession: blocked kernels give up (tfc_kernel_wait) */
    int n_devices;
    const tfc_device **devices;
    bool allow_soft_placement;
    bool log_device_placement;
    tfc_threadpool *inter_pool; /* NULL when one inter-op thread: steps run on the caller */
    tfc_threadpool *intra_pool;
    tfc_plan **plans;
    int n_plans, cap_plans;
    /* Kernel state of stateful ops (random generators, later variables), one per node for the
     * session's lifetime, shared by every plan that runs the node: TensorFlow keeps one kernel per
     * node per session, so a random op's stream continues across different fetch sets. */
    struct tfc_shared_state *shared_states;
    struct tfc_resource_mgr *resources; /* variables (and later queues) of this session */
    struct tfc_prun *pruns;             /* partial runs in progress (partial_run.c), under mu */
    int prun_counter;
    int n_shared, cap_shared;
    _Atomic uint64_t steps, plans_built, plan_cache_hits, ops_executed;
};

/* Per-step tracing, filled when RunOptions asks for a trace. */
typedef struct tfc_trace {
    int64_t *start_ns; /* per plan node, from the step start; -1 when it did not run */
    int64_t *end_ns;
    int64_t step_start_ns;
} tfc_trace;

/* plan.c */
uint64_t tfc_plan_signature_hash(const TF_Output *feeds, int nf, const TF_Output *fetches, int nfe,
                                 const TF_Operation *const *targets, int nt);
bool tfc_plan_matches(const tfc_plan *p, uint64_t hash, const TF_Output *feeds, int nf, const TF_Output *fetches,
                      int nfe, const TF_Operation *const *targets, int nt);
TF_Code tfc_plan_build(TF_Session *s, const TF_Output *feeds, int nf, const TF_Output *fetches, int nfe,
                       const TF_Operation *const *targets, int nt, tfc_plan **out, TF_Status *st);
void tfc_plan_free(tfc_plan *p);

/* executor.c: runs one step of plan p. feeds[i] fills p->feed_slots[i]; on success fetched[i] are
 * new tensors owned by the caller. trace may be NULL. */
TF_Code tfc_execute(TF_Session *s, const tfc_plan *p, TF_Tensor *const *feeds, TF_Tensor **fetched,
                    tfc_trace *trace, int64_t timeout_ms, TF_Status *st);
int64_t tfc_now_ns(void);
/* A copy of the current value of the ref variable behind handle, fetched as output o. */
TF_Code tfc_fetch_ref_value(const TF_Output *o, const TF_Tensor *handle, TF_Tensor **out, TF_Status *st);

/* kernel_call.c: runs n's kernel on inputs (borrowed); a plain input fed by a ref variable's edge
 * gets the variable's value for the call. fwd (may be NULL) marks inputs whose buffer the kernel
 * may reuse. Outputs are left in outputs[]; errors in local. */
typedef struct tfc_kernel_call {
    TF_Session *s;
    int64_t deadline_ns;
    const atomic_bool *step_failed;
} tfc_kernel_call;
void tfc_call_kernel(const tfc_kernel_call *c, const tfc_plan_node *n, TF_Tensor *const *inputs, const bool *fwd,
                     TF_Tensor **outputs, TF_Status *local);
/* Replaces each of t[0..n) that lives in device memory by a host copy (what TF_SessionRun hands
 * back for a fetch); an error leaves the remaining ones as they are. */
TF_Code tfc_tensors_to_host(TF_Tensor **t, int n, TF_Status *st);

/* run_metadata.c */
/* Parses run_options (may be NULL); *trace is true when a trace was asked for. */
TF_Code tfc_parse_run_options(const TF_Buffer *run_options, bool *trace, int64_t *timeout_ms, TF_Status *st);
/* Serialises a RunMetadata (with step_stats when trace is not NULL) into run_metadata. */
TF_Code tfc_fill_run_metadata(const TF_Session *s, const tfc_plan *p, const tfc_trace *trace,
                              TF_Buffer *run_metadata, TF_Status *st);

/* place.c: device and kernel of one node, kernel state initialised. */
TF_Code tfc_place_node(TF_Session *s, tfc_plan_node *n, TF_Status *st);

/* session.c: argument checks shared with partial runs ("TF_SessionRun: ..." messages). */
TF_Code tfc_session_check_output(const TF_Session *s, TF_Output o, const char *what, int i, TF_Status *st);
TF_Code tfc_session_check_args(const TF_Session *s, const TF_Output *inputs, TF_Tensor *const *values, int ni,
                               const TF_Output *outputs, TF_Tensor **out_values, int no,
                               const TF_Operation *const *targets, int nt, TF_Status *st);

/* partial_run.c: ends (cancelling) every partial run of the session. */
void tfc_partial_runs_free(TF_Session *s);

/* Frees the session's shared kernel states (session.c). */
void tfc_free_shared_states(TF_Session *s);

/* devices.c */
/* The devices a session may use (CPU first); *n receives the count. */
TF_Code tfc_session_devices(const TF_SessionOptions *opts, const tfc_device ***out, int *n, TF_Status *st);
/* Waits for the work a step queued on the session's accelerators, as TensorFlow's sync_on_finish:
 * a step returns only once its GPU kernels have run, and a kernel's asynchronous failure is the
 * step's error. A no-op for the CPU. */
TF_Code tfc_session_sync_devices(const TF_Session *s, TF_Status *st);

#endif
