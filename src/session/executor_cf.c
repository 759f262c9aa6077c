/* executor_cf: runs plans with control flow (see cf.h for the semantics). State lives in frame
 * instances (one per loop entry: parent instance, parent iteration, static frame) holding
 * iteration states (pending counts, dead counts and input tensors per node). One mutex per step
 * guards all of it; kernels run outside it, on the caller thread and the inter-op pool, the first
 * ready successor inline as in executor.c.
 *
 * Completion follows TensorFlow's rule: iteration i of a frame is done when it has no op running or
 * ready and no child frame alive, iteration i-1 is done, and (for i = 0) every Enter of the frame
 * has delivered; a frame is done when its last iteration is; the step when the root frame is. A
 * failed or timed-out step keeps propagating, with every later op dead, so loops drain and end. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/tensor.h"
#include "session/cf.h"

typedef struct cf_iter {
    int *pending;           /* per node */
    int *dead;              /* per node: dead in-edges (Merge: dead data inputs) */
    unsigned char *fired;   /* per node: scheduled in this iteration */
    TF_Tensor **in;         /* per node input (at the node's scratch_offset); NULL: dead or not arrived */
    int outstanding;        /* ops scheduled or running, plus child frames alive */
} cf_iter;

typedef struct cf_const {
    int node;               /* an is_constant Enter */
    TF_Tensor *value;       /* NULL: dead */
} cf_const;

typedef struct cf_frame {
    int sf;                 /* static frame */
    struct cf_frame *parent;
    int parent_iter;
    int pending_enters;
    cf_iter **iters;        /* by iteration number; NULL once done */
    int n_iters, cap_iters, first_undone, live_iters;
    cf_const *consts;
    int n_consts, cap_consts;
    cf_const *deferred;     /* NextIteration values waiting for iteration n_iters to start */
    int n_deferred, cap_deferred;
    unsigned char *exit_live; /* per Exit of the static frame */
    struct cf_frame *next;  /* the step's list of live frames */
} cf_frame;

typedef struct item {
    cf_frame *f;
    int iter, node;
    struct cf_iter *st; /* f->iters[iter], read under mu when the item was made ready */
} item;

typedef struct cf_step {
    TF_Session *s;
    const tfc_plan *p;
    const tfc_cf_plan *cf;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    cf_frame *frames, *root;
    TF_Tensor **fetched;    /* raw fetched values (references), converted at the end */
    item *ready;            /* no inter-op pool: the caller's stack of ready items */
    int n_ready, cap_ready;
    item *batch;            /* items made ready by one propagation (under mu) */
    int n_batch, cap_batch;
    atomic_bool failed;
    TF_Status status;
    bool done;
    int64_t deadline_ns;
    tfc_trace *trace;
    TF_Tensor **feeds;      /* references to the values fed so far (a fetch may name a fed output) */
} cf_step;

typedef struct task {
    cf_step *x;
    item it;
} task;

static void fail(cf_step *x, const TF_Status *err)
{
    pthread_mutex_lock(&x->mu);
    if (x->status.code == TF_OK) tfc_status_copy(&x->status, err);
    pthread_mutex_unlock(&x->mu);
    atomic_store(&x->failed, true);
}

/* The step failed or ran out of memory while holding mu: remember it without locking again. */
static void fail_locked(cf_step *x, TF_Code code, const char *msg)
{
    if (x->status.code == TF_OK) tfc_status_set(&x->status, code, "%s", msg);
    atomic_store(&x->failed, true);
}

static bool grow(void **items, int *cap, int need, size_t size)
{
    return tfc_grow(items, cap, need, size) == 0;
}

/* ---- frames and iterations (all under mu) ---- */

static cf_iter *new_iter(const cf_step *x, const cf_frame *f)
{
    const tfc_plan *p = x->p;
    size_t n = (size_t)p->n_nodes + 1, sc = (size_t)p->scratch_size + 1;
    cf_iter *it = tfc_calloc(1, sizeof *it + n * (2 * sizeof(int) + 1) + sc * sizeof(TF_Tensor *) + 16);
    if (!it) return NULL;
    it->in = (TF_Tensor **)(it + 1);
    it->pending = (int *)(it->in + sc);
    it->dead = it->pending + n;
    it->fired = (unsigned char *)(it->dead + n);
    for (int k = 0; k < p->n_nodes; k++)
        if (x->cf->nodes[k].frame == f->sf) it->pending[k] = x->cf->nodes[k].initial_pending;
    return it;
}

static void free_iter(const cf_step *x, cf_iter *it)
{
    if (!it) return;
    for (int i = 0; i < x->p->scratch_size; i++) TF_DeleteTensor(it->in[i]);
    tfc_free(it);
}

static void deliver(cf_step *x, cf_frame *f, int iter, const tfc_cf_edge *e, TF_Tensor *value, bool dead);
static void deliver_all(cf_step *x, cf_frame *f, int iter, int k, TF_Tensor *const *out, bool dead);
static void retire(cf_step *x, cf_frame *f);

/* Starts iteration f->n_iters and hands it the frame's constants. */
static cf_iter *start_iter(cf_step *x, cf_frame *f)
{
    if (!grow((void **)&f->iters, &f->cap_iters, f->n_iters + 1, sizeof *f->iters)) return NULL;
    cf_iter *it = new_iter(x, f);
    if (!it) return NULL;
    int i = f->n_iters++;
    f->iters[i] = it;
    f->live_iters++;
    for (int c = 0; c < f->n_consts; c++)
        deliver_all(x, f, i, f->consts[c].node, &f->consts[c].value, !f->consts[c].value);
    return it;
}

static cf_frame *new_frame(cf_step *x, int sf, cf_frame *parent, int parent_iter)
{
    const tfc_cf_frame *s = &x->cf->frames[sf];
    cf_frame *f = tfc_calloc(1, sizeof *f + (size_t)s->n_exits + 1);
    if (!f) return NULL;
    f->sf = sf;
    f->parent = parent;
    f->parent_iter = parent_iter;
    f->pending_enters = s->n_enters;
    f->exit_live = (unsigned char *)(f + 1);
    if (!start_iter(x, f)) {
        tfc_free(f->iters);
        tfc_free(f);
        return NULL;
    }
    f->next = x->frames;
    x->frames = f;
    if (parent) parent->iters[parent_iter]->outstanding++; /* a child frame keeps its parent iteration open */
    return f;
}

static cf_frame *child_frame(cf_step *x, cf_frame *parent, int parent_iter, int sf)
{
    for (cf_frame *f = x->frames; f; f = f->next)
        if (f->parent == parent && f->parent_iter == parent_iter && f->sf == sf) return f;
    return new_frame(x, sf, parent, parent_iter);
}

/* ---- delivery ---- */

static void make_ready(cf_step *x, cf_frame *f, int iter, int node)
{
    cf_iter *it = f->iters[iter];
    it->fired[node] = 1;
    it->outstanding++;
    if (!grow((void **)&x->batch, &x->cap_batch, x->n_batch + 1, sizeof *x->batch)) {
        fail_locked(x, TF_RESOURCE_EXHAUSTED, "out of memory running a control-flow step");
        it->outstanding--;
        return;
    }
    x->batch[x->n_batch++] = (item){ f, iter, node, it };
}

/* Delivers one edge into iteration `iter` of f (value is borrowed: the input keeps its own
 * reference; NULL when dead). */
static void deliver(cf_step *x, cf_frame *f, int iter, const tfc_cf_edge *e, TF_Tensor *value, bool dead)
{
    cf_iter *it = f->iters[iter];
    const tfc_cf_node *d = &x->cf->nodes[e->dst];
    TF_Tensor *copy = value ? tfc_tensor_ref(value) : NULL;
    if (value && !copy) fail_locked(x, TF_RESOURCE_EXHAUSTED, "out of memory passing a tensor");
    if (!it || it->fired[e->dst]) { /* a Merge that already ran takes no second input */
        TF_DeleteTensor(copy);
        return;
    }
    if (e->input >= 0) {
        TF_Tensor **slot = &it->in[x->p->nodes[e->dst].scratch_offset + e->input];
        TF_DeleteTensor(*slot);
        *slot = dead ? NULL : copy;
        if (dead) TF_DeleteTensor(copy);
    }
    if (d->kind == TFC_CF_MERGE) {
        if (e->input < 0) it->pending[e->dst]--;
        else if (dead) it->dead[e->dst]++;
        bool live = false;
        for (int i = 0; i < d->n_data_inputs && !live; i++)
            live = it->in[x->p->nodes[e->dst].scratch_offset + i] != NULL;
        if (it->pending[e->dst] == 0 && (live || it->dead[e->dst] == d->n_data_inputs))
            make_ready(x, f, iter, e->dst);
        return;
    }
    if (dead) it->dead[e->dst]++;
    if (--it->pending[e->dst] == 0) make_ready(x, f, iter, e->dst);
}

/* Sends node k's outputs (out[], or all dead) along its out-edges into iteration iter of f. */
static void deliver_all(cf_step *x, cf_frame *f, int iter, int k, TF_Tensor *const *out, bool dead)
{
    const tfc_cf_node *n = &x->cf->nodes[k];
    for (int e = 0; e < n->n_out; e++) {
        const tfc_cf_edge *ed = &n->out[e];
        TF_Tensor *v = ed->output >= 0 && !dead ? out[ed->output] : NULL;
        deliver(x, f, iter, ed, v, dead || (ed->output >= 0 && !v));
    }
}

/* Where node k's outputs go: NextIteration into the next iteration (started now, or deferred
 * past parallel_iterations), Enter into its child frame, Exit out to the parent. */
static void propagate_next(cf_step *x, const item *it, TF_Tensor *const *out, bool dead)
{
    cf_frame *f = it->f;
    if (dead) return; /* a dead NextIteration ends the loop */
    int next = it->iter + 1;
    if (next >= f->n_iters && f->live_iters >= x->cf->frames[f->sf].parallel_iterations) {
        if (!grow((void **)&f->deferred, &f->cap_deferred, f->n_deferred + 1, sizeof *f->deferred)) {
            fail_locked(x, TF_RESOURCE_EXHAUSTED, "out of memory deferring an iteration");
            return;
        }
        f->deferred[f->n_deferred++] = (cf_const){ it->node, tfc_tensor_ref(out[0]) };
        return;
    }
    if (next >= f->n_iters && !start_iter(x, f)) {
        fail_locked(x, TF_RESOURCE_EXHAUSTED, "out of memory starting an iteration");
        return;
    }
    deliver_all(x, f, next, it->node, out, false);
}

static void propagate_enter(cf_step *x, const item *it, TF_Tensor *const *out, bool dead)
{
    const tfc_cf_node *n = &x->cf->nodes[it->node];
    cf_frame *child = child_frame(x, it->f, it->iter, n->child_frame);
    if (!child) {
        fail_locked(x, TF_RESOURCE_EXHAUSTED, "out of memory entering a loop frame");
        return;
    }
    if (n->is_constant) { /* every iteration, present and future, gets the value */
        TF_Tensor *v = dead ? NULL : out[0];
        if (grow((void **)&child->consts, &child->cap_consts, child->n_consts + 1, sizeof *child->consts))
            child->consts[child->n_consts++] = (cf_const){ it->node, v ? tfc_tensor_ref(v) : NULL };
        else
            fail_locked(x, TF_RESOURCE_EXHAUSTED, "out of memory entering a loop frame");
        for (int i = child->first_undone; i < child->n_iters; i++) deliver_all(x, child, i, it->node, out, dead);
    } else {
        deliver_all(x, child, 0, it->node, out, dead);
    }
    child->pending_enters--;
    /* The child may have nothing to run: a dead Enter (an inner loop in the untaken last pass of
     * its outer loop) reaches a Merge that still waits for its NextIteration. Nothing would ever
     * retire the child then, and its parent iteration would wait for it forever. The Enter's own
     * parent iteration is still outstanding here, so this cannot end the parent. */
    retire(x, child);
}

static void propagate_exit(cf_step *x, const item *it, TF_Tensor *const *out, bool dead)
{
    cf_frame *f = it->f;
    const tfc_cf_frame *sf = &x->cf->frames[f->sf];
    if (dead) return; /* a frame that ends without a live value sends dead when it is done */
    for (int j = 0; j < sf->n_exits; j++) {
        if (sf->exits[j] != it->node) continue;
        if (f->exit_live[j]) return; /* only the first live value leaves the loop */
        f->exit_live[j] = 1;
    }
    deliver_all(x, f->parent, f->parent_iter, it->node, out, false);
}

static void propagate(cf_step *x, const item *it, TF_Tensor *const *out, bool dead)
{
    const tfc_cf_node *n = &x->cf->nodes[it->node];
    switch (n->kind) {
    case TFC_CF_NEXT_ITERATION: propagate_next(x, it, out, dead); return;
    case TFC_CF_ENTER: propagate_enter(x, it, out, dead); return;
    case TFC_CF_EXIT: propagate_exit(x, it, out, dead); break; /* its value may be fetched below */
    default: deliver_all(x, it->f, it->iter, it->node, out, dead); break;
    }
    if (it->f == x->root || (n->kind == TFC_CF_EXIT && it->f->parent == x->root))
        for (int i = 0; i < x->p->n_fetches; i++)
            if (x->cf->fetch_node[i] == it->node && !dead && out[x->cf->fetch_output[i]] && !x->fetched[i])
            {
                x->fetched[i] = tfc_tensor_ref(out[x->cf->fetch_output[i]]);
                pthread_cond_broadcast(&x->cv); /* a partial run may be waiting for it */
            }
}

/* ---- completion (under mu) ---- */

static void finish_frame(cf_step *x, cf_frame *f);

/* Retires the done iterations of f in order; finishes f when its last one is done. */
static void retire(cf_step *x, cf_frame *f)
{
    while (f->first_undone < f->n_iters) {
        int i = f->first_undone;
        cf_iter *it = f->iters[i];
        if (it->outstanding > 0 || (i == 0 && f->pending_enters > 0)) return;
        free_iter(x, it);
        f->iters[i] = NULL;
        f->first_undone++;
        f->live_iters--;
        if (f->n_deferred && start_iter(x, f)) {
            for (int d = 0; d < f->n_deferred; d++) {
                deliver_all(x, f, f->n_iters - 1, f->deferred[d].node, &f->deferred[d].value, false);
                TF_DeleteTensor(f->deferred[d].value);
            }
            f->n_deferred = 0;
        }
    }
    if (f->n_deferred || f->pending_enters > 0) return;
    finish_frame(x, f);
}

static void finish_frame(cf_step *x, cf_frame *f)
{
    if (f == x->root) {
        x->done = true;
        pthread_cond_broadcast(&x->cv);
        return;
    }
    const tfc_cf_frame *sf = &x->cf->frames[f->sf];
    for (int j = 0; j < sf->n_exits; j++) { /* exits that never saw a live value send dead */
        if (!f->exit_live[j]) deliver_all(x, f->parent, f->parent_iter, sf->exits[j], NULL, true);
    }
    for (cf_frame **pp = &x->frames; *pp; pp = &(*pp)->next)
        if (*pp == f) {
            *pp = f->next;
            break;
        }
    cf_frame *parent = f->parent;
    int parent_iter = f->parent_iter;
    for (int c = 0; c < f->n_consts; c++) TF_DeleteTensor(f->consts[c].value);
    tfc_free(f->consts);
    tfc_free(f->deferred);
    tfc_free(f->iters);
    tfc_free(f);
    parent->iters[parent_iter]->outstanding--;
    retire(x, parent);
}

/* ---- running one item (outside mu) ---- */

/* Merge: the first live data input, and its index as value_index. */
static bool run_merge(const cf_step *x, const tfc_plan_node *n, TF_Tensor **in, TF_Tensor **out, TF_Status *st)
{
    for (int i = 0; i < n->n_inputs; i++) {
        if (!in[i]) continue;
        TF_Tensor *index = NULL;
        if (tfc_tensor_new(TF_INT32, NULL, 0, &index, st, n->op->name)) return false;
        *(int32_t *)tfc_tensor_data(index) = i;
        out[0] = in[i];
        in[i] = NULL;
        out[1] = index;
        return true;
    }
    (void)x;
    return false;
}

/* Runs the kernel unless the node is dead; returns whether its outputs are dead. A Switch leaves
 * its untaken port NULL, which its consumers see as dead. */
static bool run_item(cf_step *x, const item *it, TF_Tensor **out)
{
    const tfc_plan_node *n = &x->p->nodes[it->node];
    const tfc_cf_node *cn = &x->cf->nodes[it->node];
    cf_iter *st = it->st;
    TF_Tensor **in = st->in + n->scratch_offset;
    TF_Status local = { 0 };
    bool dead = atomic_load(&x->failed);
    if (!dead && x->deadline_ns && tfc_now_ns() >= x->deadline_ns) {
        tfc_status_set(&local, TF_DEADLINE_EXCEEDED, "Timed out: the step ran past its RunOptions timeout");
        dead = true;
    }
    if (cn->kind == TFC_CF_MERGE) {
        if (!dead) dead = !run_merge(x, n, in, out, &local);
    } else if (cn->kind == TFC_CF_CONTROL_TRIGGER) {
        dead = false; /* runs whatever its inputs, and is never dead */
    } else if (!dead && st->dead[it->node] == 0) {
        tfc_kernel_call call = { x->s, x->deadline_ns, &x->failed };
        tfc_call_kernel(&call, n, in, NULL, out, &local);
        for (int o = 0; o < n->n_outputs && local.code == TF_OK && cn->kind != TFC_CF_SWITCH; o++)
            if (!out[o]) tfc_status_set(&local, TF_INTERNAL, "%s '%s': kernel produced no value for output %d",
                                        n->op->def->name, n->op->name, o);
        dead = local.code != TF_OK;
    } else {
        dead = true;
    }
    if (local.code != TF_OK) fail(x, &local);
    tfc_status_clear(&local);
    for (int i = 0; i < n->n_inputs; i++) {
        TF_DeleteTensor(in[i]);
        in[i] = NULL;
    }
    return dead;
}

/* ---- scheduling ---- */

static void process(cf_step *x, item it);

static void pool_entry(void *arg)
{
    task t = *(task *)arg;
    tfc_free(arg);
    process(t.x, t.it);
}

/* Hands an item to the inter-op pool, or to the caller's stack when there is none. */
static void dispatch(cf_step *x, item it)
{
    if (x->s->inter_pool) {
        task *t = tfc_malloc(sizeof *t);
        if (t) {
            *t = (task){ x, it };
            if (tfc_threadpool_schedule(x->s->inter_pool, pool_entry, t) == 0) return;
            tfc_free(t);
        }
        process(x, it); /* could not queue: run it here */
        return;
    }
    pthread_mutex_lock(&x->mu);
    bool ok = grow((void **)&x->ready, &x->cap_ready, x->n_ready + 1, sizeof *x->ready);
    if (ok) x->ready[x->n_ready++] = it;
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
    if (!ok) process(x, it);
}

/* Runs `it`, then keeps running the first item it made ready; the others go to dispatch. Each
 * invocation owns the buffer that collects the items its propagations make ready (x->batch points
 * at it only while mu is held). Touches x only while some item is outstanding, so the caller may
 * free the step as soon as it sees done. */
static void process(cf_step *x, item it)
{
    item *batch = NULL;
    int cap = 0;
    for (;;) {
        const tfc_plan_node *n = &x->p->nodes[it.node];
        const int n_outputs = n->n_outputs; /* the plan may be freed once retire() ends the step */
        TF_Tensor *small[8] = { 0 }, **out = small;
        if (n->n_outputs > 8) out = tfc_calloc((size_t)n->n_outputs, sizeof *out);
        if (x->trace) x->trace->start_ns[it.node] = tfc_now_ns() - x->trace->step_start_ns;
        bool dead = out ? run_item(x, &it, out) : true;
        if (x->trace) x->trace->end_ns[it.node] = tfc_now_ns() - x->trace->step_start_ns;
        pthread_mutex_lock(&x->mu);
        if (!out) fail_locked(x, TF_RESOURCE_EXHAUSTED, "out of memory running an op");
        x->batch = batch, x->cap_batch = cap, x->n_batch = 0;
        propagate(x, &it, out ? out : small, dead);
        it.f->iters[it.iter]->outstanding--;
        retire(x, it.f); /* may start deferred iterations: their ready items join the batch */
        batch = x->batch, cap = x->cap_batch;
        int n_new = x->n_batch;
        x->batch = NULL, x->cap_batch = 0, x->n_batch = 0;
        pthread_mutex_unlock(&x->mu);
        for (int o = 0; out && o < n_outputs; o++) TF_DeleteTensor(out[o]);
        if (out != small) tfc_free(out);
        for (int i = 1; i < n_new; i++) dispatch(x, batch[i]);
        if (!n_new) break;
        it = batch[0];
    }
    tfc_free(batch);
}

/* ---- the step ---- */

static void free_frames(cf_step *x)
{
    while (x->frames) {
        cf_frame *f = x->frames;
        x->frames = f->next;
        for (int i = f->first_undone; i < f->n_iters; i++) free_iter(x, f->iters[i]);
        for (int c = 0; c < f->n_consts; c++) TF_DeleteTensor(f->consts[c].value);
        for (int d = 0; d < f->n_deferred; d++) TF_DeleteTensor(f->deferred[d].value);
        tfc_free(f->consts);
        tfc_free(f->deferred);
        tfc_free(f->iters);
        tfc_free(f);
    }
}

/* Runs `f` under mu with a fresh batch, then (unlocked) dispatches what it made ready. */
static void with_batch(cf_step *x, void (*f)(cf_step *x, void *arg), void *arg)
{
    pthread_mutex_lock(&x->mu);
    x->batch = NULL, x->cap_batch = 0, x->n_batch = 0;
    f(x, arg);
    retire(x, x->root);
    item *batch = x->batch;
    int n_new = x->n_batch;
    x->batch = NULL, x->cap_batch = 0, x->n_batch = 0;
    pthread_mutex_unlock(&x->mu);
    for (int i = 0; i < n_new; i++) dispatch(x, batch[i]);
    tfc_free(batch);
}

/* The root nodes start; the root frame stays open until every feed has arrived (pending_enters
 * counts the feeds still to come). */
static void start_roots(cf_step *x, void *arg)
{
    (void)arg;
    x->root->iters[0]->outstanding++; /* held while starting, so the root cannot finish early */
    x->root->pending_enters = x->p->n_feeds;
    for (int r = 0; r < x->cf->n_roots; r++) make_ready(x, x->root, 0, x->cf->roots[r]);
    x->root->iters[0]->outstanding--;
}

typedef struct feed_arg {
    int index;
    TF_Tensor *value;
} feed_arg;

static void feed_one(cf_step *x, void *arg)
{
    const feed_arg *a = arg;
    for (int e = 0; e < x->cf->feed_n_out[a->index]; e++)
        deliver(x, x->root, 0, &x->cf->feed_out[a->index][e], a->value, false);
    x->root->pending_enters--;
}

/* Waits (running ready items when there is no pool) until pred(x, arg) holds or the step is done. */
static void wait_until(cf_step *x, bool (*pred)(const cf_step *x, const void *arg), const void *arg)
{
    for (;;) {
        pthread_mutex_lock(&x->mu);
        while (!x->done && x->n_ready == 0 && !(pred && pred(x, arg))) pthread_cond_wait(&x->cv, &x->mu);
        if (x->n_ready == 0 || (pred && pred(x, arg))) {
            pthread_mutex_unlock(&x->mu);
            return;
        }
        item it = x->ready[--x->n_ready];
        pthread_mutex_unlock(&x->mu);
        process(x, it);
    }
}

/* The caller's tensor for fetch i (a copy, or the variable's value for a ref), or an error. */
static TF_Code fetch_value(cf_step *x, int i, TF_Tensor **out, TF_Status *st)
{
    const tfc_plan *p = x->p;
    TF_Tensor *t = x->cf->fetch_node[i] < 0 ? x->feeds[x->cf->fetch_output[i]] : x->fetched[i];
    if (!t)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "fetch '%s:%d' was not computed: its value is dead (it is "
                              "on an untaken branch)", p->fetches[i].oper->name, p->fetches[i].index);
    if (tfc_dtype_is_ref(t->dtype)) return tfc_fetch_ref_value(&p->fetches[i], t, out, st);
    return tfc_tensor_copy(t, out, st);
}

static bool fetches_ready(const cf_step *x, const void *arg)
{
    const int *want = arg; /* count, then fetch indices */
    for (int j = 0; j < want[0]; j++) {
        int i = want[1 + j];
        if (x->cf->fetch_node[i] < 0 ? !x->feeds[x->cf->fetch_output[i]] : !x->fetched[i]) return false;
    }
    return true;
}

TF_Code tfc_cf_run_start(TF_Session *s, const tfc_plan *p, tfc_trace *trace, int64_t timeout_ms, tfc_cf_run **out,
                         TF_Status *st)
{
    *out = NULL;
    cf_step *x = tfc_calloc(1, sizeof *x);
    if (x) {
        *x = (cf_step){ .s = s, .p = p, .cf = p->cf, .trace = trace };
        x->fetched = tfc_calloc((size_t)p->n_fetches + 1, sizeof *x->fetched);
        x->feeds = tfc_calloc((size_t)p->n_feeds + 1, sizeof *x->feeds);
    }
    if (x && x->fetched && x->feeds) {
        pthread_mutex_init(&x->mu, NULL);
        pthread_cond_init(&x->cv, NULL);
        if (timeout_ms > 0) x->deadline_ns = tfc_now_ns() + timeout_ms * 1000000;
        pthread_mutex_lock(&x->mu);
        x->root = new_frame(x, 0, NULL, 0);
        pthread_mutex_unlock(&x->mu);
    }
    if (!x || !x->root) {
        if (x) {
            tfc_free(x->fetched);
            tfc_free(x->feeds);
            if (x->fetched && x->feeds) pthread_mutex_destroy(&x->mu), pthread_cond_destroy(&x->cv);
        }
        tfc_free(x);
        return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory starting a step");
    }
    with_batch(x, start_roots, NULL);
    *out = (tfc_cf_run *)x;
    return TF_OK;
}

TF_Code tfc_cf_run_feed(tfc_cf_run *r, int feed, TF_Tensor *value, TF_Status *st)
{
    cf_step *x = (cf_step *)r;
    TF_Tensor *keep = tfc_tensor_ref(value);
    if (!keep) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory feeding a tensor");
    x->feeds[feed] = keep;
    feed_arg a = { feed, value };
    with_batch(x, feed_one, &a);
    return TF_OK;
}

TF_Code tfc_cf_run_fetch(tfc_cf_run *r, const int *fetches, int n, TF_Tensor **out, TF_Status *st)
{
    cf_step *x = (cf_step *)r;
    int *want = tfc_malloc(((size_t)n + 1) * sizeof(int));
    if (!want) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory fetching");
    want[0] = n;
    memcpy(want + 1, fetches, (size_t)n * sizeof(int));
    wait_until(x, fetches_ready, want);
    tfc_free(want);
    pthread_mutex_lock(&x->mu);
    TF_Code rc = x->status.code != TF_OK ? tfc_status_copy(st, &x->status), st->code : TF_OK;
    pthread_mutex_unlock(&x->mu);
    for (int j = 0; !rc && j < n; j++) {
        rc = fetch_value(x, fetches[j], &out[j], st);
        if (rc)
            for (int i = 0; i < j; i++) TF_DeleteTensor(out[i]), out[i] = NULL;
    }
    return rc;
}

TF_Code tfc_cf_run_finish(tfc_cf_run *r, TF_Status *st)
{
    cf_step *x = (cf_step *)r;
    if (!x) return TF_OK;
    wait_until(x, NULL, NULL);
    TF_Code rc = TF_OK;
    if (x->status.code != TF_OK && st) {
        tfc_status_copy(st, &x->status);
        rc = st->code;
    }
    atomic_fetch_add(&x->s->ops_executed, (uint64_t)x->p->n_nodes);
    free_frames(x);
    for (int i = 0; i < x->p->n_fetches; i++) TF_DeleteTensor(x->fetched[i]);
    for (int i = 0; i < x->p->n_feeds; i++) TF_DeleteTensor(x->feeds[i]);
    tfc_free(x->fetched);
    tfc_free(x->feeds);
    tfc_free(x->ready);
    tfc_status_clear(&x->status);
    pthread_mutex_destroy(&x->mu);
    pthread_cond_destroy(&x->cv);
    tfc_free(x);
    return rc;
}

static void feed_dead(cf_step *x, void *arg)
{
    int f = *(const int *)arg;
    for (int e = 0; e < x->cf->feed_n_out[f]; e++) deliver(x, x->root, 0, &x->cf->feed_out[f][e], NULL, true);
    x->root->pending_enters--;
}

void tfc_cf_run_abort(tfc_cf_run *r)
{
    cf_step *x = (cf_step *)r;
    TF_Status err = { 0 };
    tfc_status_set(&err, TF_CANCELLED, "the partial run was abandoned");
    fail(x, &err);
    tfc_status_clear(&err);
    for (int f = 0; f < x->p->n_feeds; f++)
        if (!x->feeds[f]) with_batch(x, feed_dead, &f);
    tfc_cf_run_finish(r, NULL);
}

TF_Code tfc_execute_cf(TF_Session *s, const tfc_plan *p, TF_Tensor *const *feeds, TF_Tensor **fetched,
                       tfc_trace *trace, int64_t timeout_ms, TF_Status *st)
{
    tfc_cf_run *r;
    if (tfc_cf_run_start(s, p, trace, timeout_ms, &r, st)) return st->code;
    TF_Code rc = TF_OK;
    for (int f = 0; !rc && f < p->n_feeds; f++) rc = tfc_cf_run_feed(r, f, feeds[f], st);
    int *all = tfc_malloc(((size_t)p->n_fetches + 1) * sizeof(int));
    if (!rc && !all) rc = tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory fetching");
    for (int i = 0; !rc && i < p->n_fetches; i++) all[i] = i;
    /* wait for the whole step first: a step's error wins over a missing fetch */
    TF_Status finish_st = { 0 };
    if (!rc) {
        wait_until((cf_step *)r, NULL, NULL);
        rc = tfc_cf_run_fetch(r, all, p->n_fetches, fetched, st);
    }
    tfc_free(all);
    TF_Code frc = tfc_cf_run_finish(r, &finish_st);
    if (!rc && frc) {
        tfc_status_copy(st, &finish_st);
        rc = frc;
    }
    tfc_status_clear(&finish_st);
    return rc;
}
