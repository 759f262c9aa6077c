/* queue_ops: TensorFlow's queue ops (the resource-handle V2 family) — FIFOQueueV2,
 * PaddingFIFOQueueV2, RandomShuffleQueueV2 and the QueueEnqueue / Dequeue / Close / Size / IsClosed
 * ops on their handle — as tensorflow/core/ops/data_flow_ops.cc defines them. The queue itself is
 * session/queue.h; CPU kernels: kernels/cpu/queue_cpu.c. All are stateful: they act on a queue
 * shared by every step of the session. */
#include <string.h>

#include "core/dtype.h"
#include "core/tensor.h"
#include "ops/op_def.h"

static TF_Code scalar_shape(tfc_shape_ctx *c)
{
    tfc_pshape out = tfc_pshape_make(NULL, 0);
    tfc_shape_set_output(c, 0, &out);
    return TF_OK;
}

/* The component shapes of the queue op behind the handle input 0 (TensorFlow's handle shapes):
 * its `shapes` attr when the handle comes straight from a queue op that lists one shape per
 * output; else NULL (outputs stay unknown). */
static const tfc_pshape *queue_shapes(const tfc_shape_ctx *c)
{
    const char *type = NULL;
    const tfc_attrs *a = tfc_shape_input_producer(c, 0, &type);
    if (!a || (strcmp(type, "FIFOQueueV2") && strcmp(type, "PaddingFIFOQueueV2") && strcmp(type, "RandomShuffleQueueV2")))
        return NULL;
    const tfc_attr_value *v = tfc_attrs_get(a, "shapes");
    if (!v || !v->is_list || v->type != TF_ATTR_SHAPE || v->n != tfc_shape_num_outputs(c)) return NULL;
    return v->u.shl;
}

static TF_Code dequeue_shape(tfc_shape_ctx *c)
{
    const tfc_pshape *s = queue_shapes(c);
    for (int i = 0; s && i < tfc_shape_num_outputs(c); i++) tfc_shape_set_output(c, i, &s[i]);
    return TF_OK;
}

/* Outputs [n] + the queue's component shapes (n -1 when unknown). */
static TF_Code batch_shapes(tfc_shape_ctx *c, int64_t n)
{
    const tfc_pshape *s = queue_shapes(c);
    for (int i = 0; s && i < tfc_shape_num_outputs(c); i++) {
        tfc_pshape out = tfc_pshape_unknown();
        if (s[i].rank >= 0 && s[i].rank < TFC_MAX_RANK) {
            out.rank = s[i].rank + 1;
            out.dims[0] = n;
            memcpy(out.dims + 1, s[i].dims, sizeof(int64_t) * (size_t)s[i].rank);
        }
        tfc_shape_set_output(c, i, &out);
    }
    return TF_OK;
}

static TF_Code dequeue_many_shape(tfc_shape_ctx *c)
{
    const tfc_pshape *ns = tfc_shape_input(c, 1);
    if (ns->rank > 0) return tfc_shape_fail(c, "n must be a scalar, got rank %d", ns->rank);
    const TF_Tensor *t = tfc_shape_input_tensor(c, 1);
    int64_t n = -1;
    if (t && t->dtype == TF_INT32 && t->nelems == 1) {
        n = *(const int32_t *)TF_TensorData(t);
        if (n < 0) return tfc_shape_fail(c, "Input 'n' must be >= 0, but is %lld", (long long)n);
    }
    return batch_shapes(c, n);
}

static TF_Code dequeue_up_to_shape(tfc_shape_ctx *c)
{
    const tfc_pshape *ns = tfc_shape_input(c, 1);
    if (ns->rank > 0) return tfc_shape_fail(c, "n must be a scalar, got rank %d", ns->rank);
    return batch_shapes(c, -1);
}

#define QUEUE_ATTRS_HEAD                                                                                  \
    { "component_types", TF_ATTR_TYPE, .is_list = true, .has_minimum = true, .minimum = 1 },             \
    { "shapes", TF_ATTR_SHAPE, .is_list = true, .has_default = true, .dflt.n = 0 },                     \
    { "capacity", TF_ATTR_INT, .has_default = true, .dflt.i = -1 }
#define QUEUE_ATTRS_TAIL                                                                                  \
    { "container", TF_ATTR_STRING, .has_default = true, .dflt.s = "" },                                  \
    { "shared_name", TF_ATTR_STRING, .has_default = true, .dflt.s = "" }, { 0 }
#define HANDLE_OUT ((const tfc_arg_def[]){ { "handle", TF_RESOURCE }, { 0 } })
#define HANDLE_IN ((const tfc_arg_def[]){ { "handle", TF_RESOURCE }, { 0 } })
#define HANDLE_N_IN ((const tfc_arg_def[]){ { "handle", TF_RESOURCE }, { "n", TF_INT32 }, { 0 } })
#define ENQUEUE_IN \
    ((const tfc_arg_def[]){ { "handle", TF_RESOURCE }, { "components", .type_list_attr = "Tcomponents" }, { 0 } })
#define COMPONENTS_OUT ((const tfc_arg_def[]){ { "components", .type_list_attr = "component_types" }, { 0 } })
#define TIMEOUT_ATTR { "timeout_ms", TF_ATTR_INT, .has_default = true, .dflt.i = -1 }
#define ENQUEUE_ATTRS                                                                                     \
    ((const tfc_attr_def[]){ { "Tcomponents", TF_ATTR_TYPE, .is_list = true, .has_minimum = true, .minimum = 1 }, \
                             TIMEOUT_ATTR, { 0 } })
#define DEQUEUE_ATTRS                                                                                     \
    ((const tfc_attr_def[]){ { "component_types", TF_ATTR_TYPE, .is_list = true, .has_minimum = true,     \
                               .minimum = 1 },                                                            \
                             TIMEOUT_ATTR, { 0 } })

const tfc_op_def tfc_queue_ops[] = {
    { .name = "FIFOQueueV2",
      .summary = "A queue that produces elements in first-in first-out order.",
      .outputs = HANDLE_OUT,
      .attrs = (const tfc_attr_def[]){ QUEUE_ATTRS_HEAD, QUEUE_ATTRS_TAIL },
      .flags = TFC_OP_STATEFUL,
      .shape_fn = scalar_shape },
    { .name = "PaddingFIFOQueueV2",
      .summary = "A queue that produces elements in first-in first-out order; DequeueMany pads to the largest.",
      .outputs = HANDLE_OUT,
      .attrs = (const tfc_attr_def[]){ QUEUE_ATTRS_HEAD, QUEUE_ATTRS_TAIL },
      .flags = TFC_OP_STATEFUL,
      .shape_fn = scalar_shape },
    { .name = "RandomShuffleQueueV2",
      .summary = "A queue that randomizes the order of elements.",
      .outputs = HANDLE_OUT,
      .attrs = (const tfc_attr_def[]){ QUEUE_ATTRS_HEAD,
                                       { "min_after_dequeue", TF_ATTR_INT, .has_default = true, .dflt.i = 0 },
                                       { "seed", TF_ATTR_INT, .has_default = true, .dflt.i = 0 },
                                       { "seed2", TF_ATTR_INT, .has_default = true, .dflt.i = 0 },
                                       QUEUE_ATTRS_TAIL },
      .flags = TFC_OP_STATEFUL,
      .shape_fn = scalar_shape },
    { .name = "QueueEnqueueV2",
      .summary = "Enqueues a tuple of one or more tensors in the given queue.",
      .inputs = ENQUEUE_IN,
      .attrs = ENQUEUE_ATTRS,
      .flags = TFC_OP_STATEFUL },
    { .name = "QueueEnqueueManyV2",
      .summary = "Enqueues zero or more tuples of one or more tensors in the given queue.",
      .inputs = ENQUEUE_IN,
      .attrs = ENQUEUE_ATTRS,
      .flags = TFC_OP_STATEFUL },
    { .name = "QueueDequeueV2",
      .summary = "Dequeues a tuple of one or more tensors from the given queue.",
      .inputs = HANDLE_IN,
      .outputs = COMPONENTS_OUT,
      .attrs = DEQUEUE_ATTRS,
      .flags = TFC_OP_STATEFUL,
      .shape_fn = dequeue_shape },
    { .name = "QueueDequeueManyV2",
      .summary = "Dequeues `n` tuples of one or more tensors from the given queue.",
      .inputs = HANDLE_N_IN,
      .outputs = COMPONENTS_OUT,
      .attrs = DEQUEUE_ATTRS,
      .flags = TFC_OP_STATEFUL,
      .shape_fn = dequeue_many_shape },
    { .name = "QueueDequeueUpToV2",
      .summary = "Dequeues `n` tuples of one or more tensors from the given queue (fewer once it is closed).",
      .inputs = HANDLE_N_IN,
      .outputs = COMPONENTS_OUT,
      .attrs = DEQUEUE_ATTRS,
      .flags = TFC_OP_STATEFUL,
      .shape_fn = dequeue_up_to_shape },
    { .name = "QueueCloseV2",
      .summary = "Closes the given queue.",
      .inputs = HANDLE_IN,
      .attrs = (const tfc_attr_def[]){ { "cancel_pending_enqueues", TF_ATTR_BOOL, .has_default = true,
                                         .dflt.b = false }, { 0 } },
      .flags = TFC_OP_STATEFUL },
    { .name = "QueueSizeV2",
      .summary = "Computes the number of elements in the given queue.",
      .inputs = HANDLE_IN,
      .outputs = (const tfc_arg_def[]){ { "size", TF_INT32 }, { 0 } },
      .flags = TFC_OP_STATEFUL,
      .shape_fn = scalar_shape },
    { .name = "QueueIsClosedV2",
      .summary = "Returns true if queue is closed.",
      .inputs = HANDLE_IN,
      .outputs = (const tfc_arg_def[]){ { "is_closed", TF_BOOL }, { 0 } },
      .flags = TFC_OP_STATEFUL,
      .shape_fn = scalar_shape },
    { 0 },
};
