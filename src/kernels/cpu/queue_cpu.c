/* queue_cpu: CPU kernels of the queue ops (ops/queue_ops.c) over the queue resource
 * (session/queue.h). A queue-creating op finds its queue in the session's resource manager by
 * (container, shared_name) — the node's name when shared_name is empty, as TensorFlow does, so
 * every step of the session sees the same queue — creating it on first use, and outputs a
 * TF_RESOURCE handle to it; the other ops reach the queue through that handle. The blocking ops
 * wait inside the queue module (tfc_kernel_wait). timeout_ms is ignored, as in TensorFlow ("not
 * supported yet"): RunOptions.timeout_in_ms bounds a blocked step. */
#include <stdio.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "session/queue.h"

/* ---- FIFOQueueV2, PaddingFIFOQueueV2, RandomShuffleQueueV2 ---- */

typedef struct queue_state {
    char *container, *name;
    tfc_queue_spec spec; /* types and shapes point into the op's attrs, which outlive every plan */
} queue_state;

static void queue_state_free(void *p)
{
    queue_state *s = p;
    if (!s) return;
    tfc_free(s->container);
    tfc_free(s->name);
    tfc_free(s);
}

/* Reads the attrs into a spec and checks it once, when the plan is built. */
static TF_Code queue_init(const tfc_kernel_init_ctx *c, void **state, tfc_queue_kind kind)
{
    queue_state *s = tfc_calloc(1, sizeof *s);
    const char *shared = tfc_attrs_string(c->attrs, "shared_name", "");
    if (s) {
        s->container = tfc_strdup(tfc_attrs_string(c->attrs, "container", ""));
        s->name = tfc_strdup(shared[0] ? shared : c->op_name);
    }
    if (!s || !s->container || !s->name) {
        queue_state_free(s);
        return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    }
    tfc_queue_spec *q = &s->spec;
    q->kind = kind;
    q->op_type = c->op_type;
    q->n_components = tfc_attrs_type_list(c->attrs, "component_types", &q->types);
    const tfc_attr_value *shapes = tfc_attrs_get(c->attrs, "shapes");
    if (shapes && shapes->is_list && shapes->type == TF_ATTR_SHAPE) {
        q->n_shapes = shapes->n;
        q->shapes = shapes->u.shl;
    }
    q->capacity = tfc_attrs_int(c->attrs, "capacity", -1);
    q->min_after_dequeue = tfc_attrs_int(c->attrs, "min_after_dequeue", 0);
    q->seed = tfc_attrs_int(c->attrs, "seed", 0);
    q->seed2 = tfc_attrs_int(c->attrs, "seed2", 0);
    TF_Status st = { 0 };
    TF_Code rc = q->n_components < 1 ? tfc_status_set(&st, TF_INVALID_ARGUMENT, "component_types is empty")
                                     : tfc_queue_spec_check(q, &st);
    if (rc) {
        tfc_kernel_init_error(c, rc, "%s", st.msg ? st.msg : "invalid queue attrs");
        tfc_status_clear(&st);
        queue_state_free(s);
        return rc;
    }
    *state = s;
    return TF_OK;
}

static TF_Code fifo_init(const tfc_kernel_init_ctx *c, void **state) { return queue_init(c, state, TFC_QUEUE_FIFO); }
static TF_Code padding_init(const tfc_kernel_init_ctx *c, void **state)
{
    return queue_init(c, state, TFC_QUEUE_PADDING_FIFO);
}
static TF_Code shuffle_init(const tfc_kernel_init_ctx *c, void **state)
{
    return queue_init(c, state, TFC_QUEUE_RANDOM_SHUFFLE);
}

static void queue_handle_compute(tfc_kernel_ctx *k)
{
    const queue_state *s = k->state;
    char what[256];
    snprintf(what, sizeof what, "%s '%s'", k->op_type, k->op_name);
    tfc_queue *q = NULL;
    if (tfc_queue_lookup_or_create(k->resources, s->container, s->name, &s->spec, &q, k->status, what)) return;
    TF_Tensor *h = tfc_queue_new_handle(q);
    tfc_queue_unref(q);
    if (!h) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    tfc_kernel_set_output(k, 0, h);
}

/* ---- the ops on a handle ---- */

/* The queue behind input 0, borrowed (the input holds a reference); NULL after recording an error. */
static tfc_queue *input_queue(tfc_kernel_ctx *k)
{
    tfc_queue *q = k->n_inputs > 0 ? tfc_queue_from_handle(k->inputs[0]) : NULL;
    if (!q) tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input 0 is not a queue handle");
    return q;
}

static void enqueue_compute(tfc_kernel_ctx *k)
{
    tfc_queue *q = input_queue(k);
    if (q) tfc_queue_enqueue(q, k, false);
}

static void enqueue_many_compute(tfc_kernel_ctx *k)
{
    tfc_queue *q = input_queue(k);
    if (q) tfc_queue_enqueue(q, k, true);
}

static void dequeue_compute(tfc_kernel_ctx *k)
{
    tfc_queue *q = input_queue(k);
    if (q) tfc_queue_dequeue(q, k, TFC_DEQUEUE_ONE, 1);
}

/* DequeueMany and DequeueUpTo: n is input 1, an int32 scalar. */
static void dequeue_n(tfc_kernel_ctx *k, tfc_dequeue_mode mode)
{
    tfc_queue *q = input_queue(k);
    if (!q) return;
    const TF_Tensor *n = k->n_inputs > 1 ? k->inputs[1] : NULL;
    if (!n || n->dtype != TF_INT32 || n->ndims != 0) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "n must be an int32 scalar");
        return;
    }
    tfc_queue_dequeue(q, k, mode, *(const int32_t *)tfc_tensor_data(n));
}

static void dequeue_many_compute(tfc_kernel_ctx *k) { dequeue_n(k, TFC_DEQUEUE_MANY); }
static void dequeue_up_to_compute(tfc_kernel_ctx *k) { dequeue_n(k, TFC_DEQUEUE_UP_TO); }

/* The op's attrs serve as its state (read with tfc_attrs_*): they outlive every plan. */
static TF_Code attrs_init(const tfc_kernel_init_ctx *c, void **state)
{
    *state = (void *)c->attrs;
    return TF_OK;
}

static void close_compute(tfc_kernel_ctx *k)
{
    tfc_queue *q = input_queue(k);
    if (q) tfc_queue_close(q, k, tfc_attrs_bool(k->state, "cancel_pending_enqueues", false));
}

static void size_compute(tfc_kernel_ctx *k)
{
    tfc_queue *q = input_queue(k);
    TF_Tensor *out;
    if (!q || tfc_kernel_alloc_output(k, 0, NULL, 0, &out)) return;
    int64_t n = tfc_queue_size(q);
    *(int32_t *)tfc_tensor_data(out) = n > INT32_MAX ? INT32_MAX : (int32_t)n;
}

static void is_closed_compute(tfc_kernel_ctx *k)
{
    tfc_queue *q = input_queue(k);
    TF_Tensor *out;
    if (!q || tfc_kernel_alloc_output(k, 0, NULL, 0, &out)) return;
    *(bool *)tfc_tensor_data(out) = tfc_queue_is_closed(q);
}

#define QUEUE_STATE(init_fn) .init = init_fn, .free_state = queue_state_free

const tfc_kernel_def tfc_cpu_queue_kernels[] = {
    { "FIFOQueueV2", "CPU", 0, QUEUE_STATE(fifo_init), .compute = queue_handle_compute },
    { "PaddingFIFOQueueV2", "CPU", 0, QUEUE_STATE(padding_init), .compute = queue_handle_compute },
    { "RandomShuffleQueueV2", "CPU", 0, QUEUE_STATE(shuffle_init), .compute = queue_handle_compute },
    { "QueueEnqueueV2", "CPU", 0, .compute = enqueue_compute },
    { "QueueEnqueueManyV2", "CPU", 0, .compute = enqueue_many_compute },
    { "QueueDequeueV2", "CPU", 0, .compute = dequeue_compute },
    { "QueueDequeueManyV2", "CPU", 0, .compute = dequeue_many_compute },
    { "QueueDequeueUpToV2", "CPU", 0, .compute = dequeue_up_to_compute },
    { "QueueCloseV2", "CPU", 0, .init = attrs_init, .compute = close_compute },
    { "QueueSizeV2", "CPU", 0, .compute = size_compute },
    { "QueueIsClosedV2", "CPU", 0, .compute = is_closed_compute },
    { 0 },
};
