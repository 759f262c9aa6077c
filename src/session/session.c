/* session: the TF_Session API — creation with its devices and thread pools, TF_SessionRun's
 * argument checks, the plan cache keyed by step signature, and the counters of
 * TFC_SessionGetStats. See session.h for how a step flows. */
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/tensor.h"
#include "session/resource.h"
#include "session/session.h"

static tfc_threadpool *make_pool(int threads, const char *name)
{
    if (threads <= 0) threads = tfc_num_cpus();
    /* the calling thread works too, so a pool of n threads has n - 1 workers */
    return threads > 1 ? tfc_threadpool_new(threads - 1, name) : NULL;
}

TF_Session *TF_NewSession(TF_Graph *graph, const TF_SessionOptions *opts, TF_Status *st)
{
    if (!graph || !opts) {
        tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_NewSession: %s is NULL", graph ? "options" : "graph");
        return NULL;
    }
    if (opts->target[0] && strcmp(opts->target, "local")) {
        tfc_status_set(st, TF_UNIMPLEMENTED, "TF_NewSession: target '%s' is not supported: tfc runs in process "
                       "(use MPI collectives to scale out)", opts->target);
        return NULL;
    }
    TF_Session *s = tfc_calloc(1, sizeof *s);
    if (!s) {
        tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory creating a session");
        return NULL;
    }
    s->resources = tfc_resource_mgr_new();
    if (!s->resources) {
        tfc_free(s);
        tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory creating a session");
        return NULL;
    }
    if (tfc_session_devices(opts, &s->devices, &s->n_devices, st)) {
        tfc_resource_mgr_free(s->resources);
        tfc_free(s);
        return NULL;
    }
    s->allow_soft_placement = opts->allow_soft_placement;
    s->log_device_placement = opts->log_device_placement;
    s->inter_pool = make_pool(opts->inter_op_threads, "tfc-inter");
    s->intra_pool = make_pool(opts->intra_op_threads, "tfc-intra");
    pthread_mutex_init(&s->mu, NULL);
    s->graph = graph;
    tfc_graph_ref(graph);
    tfc_status_clear(st);
    return s;
}

void TF_CloseSession(TF_Session *s, TF_Status *st)
{
    if (!s) {
        tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_CloseSession: session is NULL");
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->closed = true;
    atomic_store(&s->closing, true);
    pthread_mutex_unlock(&s->mu);
    tfc_status_clear(st);
}

void TF_DeleteSession(TF_Session *s, TF_Status *st)
{
    tfc_status_clear(st);
    if (!s) return;
    tfc_partial_runs_free(s);
    tfc_threadpool_free(s->inter_pool);
    tfc_threadpool_free(s->intra_pool);
    for (int i = 0; i < s->n_plans; i++) tfc_plan_free(s->plans[i]);
    tfc_free(s->plans);
    tfc_free_shared_states(s);
    tfc_resource_mgr_free(s->resources);
    tfc_free(s->devices);
    pthread_mutex_destroy(&s->mu);
    tfc_graph_unref(s->graph);
    tfc_free(s);
}

void TFC_SessionGetStats(TF_Session *s, TFC_SessionStats *stats, size_t struct_size, TF_Status *st)
{
    if (!s || !stats || struct_size < sizeof *stats) {
        tfc_status_set(st, TF_INVALID_ARGUMENT, "TFC_SessionGetStats: NULL argument or struct_size too small");
        return;
    }
    stats->steps = atomic_load(&s->steps);
    stats->plans_built = atomic_load(&s->plans_built);
    stats->plan_cache_hits = atomic_load(&s->plan_cache_hits);
    stats->ops_executed = atomic_load(&s->ops_executed);
    tfc_status_clear(st);
}

TF_Code tfc_session_check_output(const TF_Session *s, TF_Output o, const char *what, int i, TF_Status *st)
{
    if (!o.oper) return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionRun: %s %d has a NULL operation", what, i);
    if (o.oper->graph != s->graph)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionRun: %s %d ('%s') is not in the session's graph",
                              what, i, o.oper->name);
    if (o.index < 0 || o.index >= o.oper->n_outputs)
        return tfc_status_set(st, TF_OUT_OF_RANGE, "TF_SessionRun: %s %d: '%s' has no output %d", what, i,
                              o.oper->name, o.index);
    return TF_OK;
}

/* Checks every pointer and index the caller passed, and feed dtypes. */
TF_Code tfc_session_check_args(const TF_Session *s, const TF_Output *inputs, TF_Tensor *const *values, int ni,
                          const TF_Output *outputs, TF_Tensor **out_values, int no,
                          const TF_Operation *const *targets, int nt, TF_Status *st)
{
    if (ni < 0 || no < 0 || nt < 0 || (ni && (!inputs || !values)) || (no && (!outputs || !out_values)) ||
        (nt && !targets))
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionRun: NULL array or negative count");
    for (int i = 0; i < ni; i++) {
        TF_Code rc = tfc_session_check_output(s, inputs[i], "input", i, st);
        if (rc) return rc;
        if (!values[i])
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionRun: input_values[%d] is NULL", i);
        TF_DataType want = tfc_dtype_base(inputs[i].oper->output_types[inputs[i].index]);
        if (values[i]->dtype != want)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionRun: tensor fed to '%s:%d' is %s, expected %s",
                                  inputs[i].oper->name, inputs[i].index, tfc_dtype_name(values[i]->dtype),
                                  tfc_dtype_name(want));
        for (int j = 0; j < i; j++)
            if (inputs[j].oper == inputs[i].oper && inputs[j].index == inputs[i].index)
                return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionRun: '%s:%d' is fed more than once",
                                      inputs[i].oper->name, inputs[i].index);
    }
    for (int i = 0; i < no; i++) {
        TF_Code rc = tfc_session_check_output(s, outputs[i], "output", i, st);
        if (rc) return rc;
    }
    for (int i = 0; i < nt; i++) {
        if (!targets[i] || targets[i]->graph != s->graph)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionRun: target %d is NULL or not in the graph", i);
    }
    return TF_OK;
}

/* Feeds must fit the static shapes the graph knows (a Placeholder's shape attr, say). */
static TF_Code check_feed_shapes(const tfc_plan *p, TF_Tensor *const *values, TF_Status *st)
{
    for (int i = 0; i < p->n_feeds; i++) {
        if (tfc_pshape_matches(&p->feed_shapes[i], values[i]->dims, values[i]->ndims)) continue;
        char a[256], b[256];
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionRun: tensor fed to '%s:%d' has shape %s, "
                              "which is not compatible with %s", p->feeds[i].oper->name, p->feeds[i].index,
                              tfc_dims_str(values[i]->dims, values[i]->ndims, a, sizeof a),
                              tfc_pshape_str(&p->feed_shapes[i], b, sizeof b));
    }
    return TF_OK;
}

/* Finds the cached plan of this signature or builds and caches it. */
static TF_Code get_plan(TF_Session *s, const TF_Output *in, int ni, const TF_Output *out, int no,
                        const TF_Operation *const *targets, int nt, tfc_plan **plan, TF_Status *st)
{
    uint64_t h = tfc_plan_signature_hash(in, ni, out, no, targets, nt);
    TF_Code rc = TF_OK;
    pthread_mutex_lock(&s->mu);
    *plan = NULL;
    for (int i = 0; i < s->n_plans && !*plan; i++)
        if (tfc_plan_matches(s->plans[i], h, in, ni, out, no, targets, nt)) *plan = s->plans[i];
    if (*plan) {
        atomic_fetch_add(&s->plan_cache_hits, 1);
    } else {
        rc = tfc_plan_build(s, in, ni, out, no, targets, nt, plan, st);
        if (!rc && tfc_grow((void **)&s->plans, &s->cap_plans, s->n_plans + 1, sizeof *s->plans)) {
            tfc_plan_free(*plan);
            rc = tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory caching a plan");
        }
        if (!rc) {
            s->plans[s->n_plans++] = *plan;
            atomic_fetch_add(&s->plans_built, 1);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static TF_Code run_traced(TF_Session *s, const tfc_plan *p, TF_Tensor *const *values, TF_Tensor **out_values,
                          int64_t timeout_ms, TF_Buffer *run_metadata, TF_Status *st)
{
    tfc_trace trace = { 0 };
    trace.start_ns = tfc_malloc(((size_t)p->n_nodes + 1) * 2 * sizeof(int64_t));
    if (!trace.start_ns) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory tracing a step");
    trace.end_ns = trace.start_ns + p->n_nodes + 1;
    for (int k = 0; k < p->n_nodes; k++) trace.start_ns[k] = trace.end_ns[k] = -1;
    trace.step_start_ns = tfc_now_ns();
    TF_Code rc = tfc_execute(s, p, values, out_values, &trace, timeout_ms, st);
    if (!rc) rc = tfc_session_sync_devices(s, st);
    if (!rc) rc = tfc_tensors_to_host(out_values, p->n_fetches, st);
    if (!rc && run_metadata) rc = tfc_fill_run_metadata(s, p, &trace, run_metadata, st);
    tfc_free(trace.start_ns);
    return rc;
}

static TF_Code session_run(TF_Session *s, const TF_Buffer *run_options, const TF_Output *inputs,
                           TF_Tensor *const *values, int ni, const TF_Output *outputs, TF_Tensor **out_values, int no,
                           const TF_Operation *const *targets, int nt, TF_Buffer *run_metadata, TF_Status *st)
{
    if (!s) return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionRun: session is NULL");
    pthread_mutex_lock(&s->mu);
    bool closed = s->closed;
    pthread_mutex_unlock(&s->mu);
    if (closed) return tfc_status_set(st, TF_FAILED_PRECONDITION, "Session has been closed.");
    if (run_metadata && run_metadata->data)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "Passing non-empty run_metadata is invalid.");
    bool trace;
    int64_t timeout_ms;
    TF_Code rc = tfc_parse_run_options(run_options, &trace, &timeout_ms, st);
    if (!rc) rc = tfc_session_check_args(s, inputs, values, ni, outputs, out_values, no, targets, nt, st);
    tfc_plan *p = NULL;
    if (!rc) rc = get_plan(s, inputs, ni, outputs, no, targets, nt, &p, st);
    if (!rc) rc = check_feed_shapes(p, values, st);
    if (rc) return rc;
    atomic_fetch_add(&s->steps, 1);
    if (trace) return run_traced(s, p, values, out_values, timeout_ms, run_metadata, st);
    rc = tfc_execute(s, p, values, out_values, NULL, timeout_ms, st);
    if (!rc) rc = tfc_session_sync_devices(s, st);
    if (!rc) rc = tfc_tensors_to_host(out_values, no, st);
    if (!rc && run_metadata) rc = tfc_fill_run_metadata(s, p, NULL, run_metadata, st);
    return rc;
}

void TF_SessionRun(TF_Session *s, const TF_Buffer *run_options, const TF_Output *inputs,
                   TF_Tensor *const *input_values, int ninputs, const TF_Output *outputs, TF_Tensor **output_values,
                   int noutputs, const TF_Operation *const *target_opers, int ntargets, TF_Buffer *run_metadata,
                   TF_Status *st)
{
    for (int i = 0; output_values && i < noutputs; i++) output_values[i] = NULL;
    TF_Status scratch = { 0 }; /* internal code may read the status, so never pass NULL down */
    TF_Status *use = st ? st : &scratch;
    TF_Code rc = session_run(s, run_options, inputs, input_values, ninputs, outputs, output_values, noutputs,
                             target_opers, ntargets, run_metadata, use);
    tfc_status_clear(&scratch);
    if (rc == TF_OK) {
        tfc_status_clear(st);
        return;
    }
    for (int i = 0; output_values && i < noutputs; i++) {
        TF_DeleteTensor(output_values[i]);
        output_values[i] = NULL;
    }
}
