/* queue: TensorFlow's queues — FIFOQueue, PaddingFIFOQueue and RandomShuffleQueue — as session
 * resources shared by every step, found by (container, shared_name) in the resource manager like
 * variables, and reached by kernels through TF_RESOURCE handle tensors (kernels/cpu/queue_cpu.c).
 * An element is a tuple of component tensors, one per component type.
 *
 * Blocking, as TensorFlow does it: the enqueue side (enqueues and a plain close) and the dequeue
 * side each serve their attempts in arrival order (tickets), so an EnqueueMany's elements stay
 * together and a waiting DequeueMany is not overtaken by smaller dequeues. An attempt that must
 * wait sleeps on the queue's condition variable through tfc_kernel_wait, so the wait also ends on
 * the step's RunOptions deadline (DEADLINE_EXCEEDED), a failure elsewhere in the step or the
 * session closing (CANCELLED). Closing wakes every waiter: dequeues that can no longer be served
 * fail with OUT_OF_RANGE ("... is closed and has insufficient elements ..."), enqueues with
 * CANCELLED. Thread-safe. */
#ifndef TFC_SESSION_QUEUE_H_
#define TFC_SESSION_QUEUE_H_
#include <stdbool.h>
#include <stdint.h>

#include "core/shape.h"
#include "core/tensor.h"
#include "kernels/kernel.h"
#include "session/resource.h"

typedef enum tfc_queue_kind {
    TFC_QUEUE_FIFO,
    TFC_QUEUE_PADDING_FIFO,
    TFC_QUEUE_RANDOM_SHUFFLE,
} tfc_queue_kind;

/* What a queue-creating op asks for (its attrs). */
typedef struct tfc_queue_spec {
    tfc_queue_kind kind;
    const char *op_type;        /* FIFOQueueV2, ...: for the shared-queue mismatch message */
    int n_components;
    const TF_DataType *types;
    int n_shapes;               /* 0 (elements unconstrained) or n_components */
    const tfc_pshape *shapes;   /* fully defined, except PaddingFIFOQueue's -1 dims */
    int64_t capacity;           /* < 0: unbounded (INT32_MAX, as TensorFlow) */
    int64_t min_after_dequeue;  /* RandomShuffleQueue */
    int64_t seed, seed2;        /* RandomShuffleQueue: both 0 picks a random seed */
} tfc_queue_spec;

typedef struct tfc_queue tfc_queue;

/* Checks a spec as TensorFlow's queue kernels do when they are created (shape count, padding
 * shapes of known rank, min_after_dequeue < capacity): INVALID_ARGUMENT, message unprefixed. */
TF_Code tfc_queue_spec_check(const tfc_queue_spec *spec, TF_Status *st);
/* The queue at (container, name) in m, created from spec when absent; an existing one must have
 * been made by the same op type with the same types, shapes and capacity. A new reference;
 * `what` names the op for messages. */
TF_Code tfc_queue_lookup_or_create(tfc_resource_mgr *m, const char *container, const char *name,
                                   const tfc_queue_spec *spec, tfc_queue **out, TF_Status *st, const char *what);
/* A new TF_RESOURCE handle tensor holding a reference to q; NULL when out of memory. */
TF_Tensor *tfc_queue_new_handle(tfc_queue *q);
/* The queue behind a TF_RESOURCE handle tensor, borrowed; NULL when t is not a queue handle. */
tfc_queue *tfc_queue_from_handle(const TF_Tensor *t);
void tfc_queue_unref(tfc_queue *q);

int tfc_queue_num_components(const tfc_queue *q);
const TF_DataType *tfc_queue_types(const tfc_queue *q);

/* ---- what the kernels call; errors are recorded on k (naming its op) ---- */
/* QueueEnqueueV2 (many = false: components are one element) or QueueEnqueueManyV2 (many: the
 * elements are the components' rows). Validates dtypes and shapes first, then blocks while the
 * queue is full. */
TF_Code tfc_queue_enqueue(tfc_queue *q, tfc_kernel_ctx *k, bool many);
typedef enum tfc_dequeue_mode { TFC_DEQUEUE_ONE, TFC_DEQUEUE_MANY, TFC_DEQUEUE_UP_TO } tfc_dequeue_mode;
/* Dequeues one element (n ignored), exactly n (blocking), or up to n (fewer only once the queue
 * is closed) into k's outputs, one per component, after checking the op's output dtypes against
 * the queue's; MANY and UP_TO stack the elements on a new first dimension (PaddingFIFOQueue pads
 * each to the batch's largest shape with zeros). Elements are taken as they arrive, so n may
 * exceed the capacity; an attempt that fails (closed with too few, deadline, cancelled) puts
 * what it took back at the front. */
TF_Code tfc_queue_dequeue(tfc_queue *q, tfc_kernel_ctx *k, tfc_dequeue_mode mode, int64_t n);
/* QueueCloseV2. Plainly, the close waits its turn behind enqueues already blocked (they may still
 * complete) and closing a closed queue is CANCELLED; with cancel_pending_enqueues the queue closes
 * at once and every blocked enqueue fails with CANCELLED. */
TF_Code tfc_queue_close(tfc_queue *q, tfc_kernel_ctx *k, bool cancel_pending_enqueues);
int64_t tfc_queue_size(tfc_queue *q);
bool tfc_queue_is_closed(tfc_queue *q);

/* ---- tensors in and out of elements (queue_batch.c) ---- */
/* Row i of batch (a tensor of rank >= 1) as a new tensor of batch's dtype and shape dims[1:]. */
TF_Code tfc_queue_slice_row(const TF_Tensor *batch, int64_t i, TF_Tensor **out, TF_Status *st);
/* Stacks elems[0], elems[stride], ... (n tensors of dtype dt) into one tensor of shape
 * [n] + element shape. With pad, elements may differ in shape (same rank): the result takes each
 * dimension's maximum and fills the rest with zeros (empty strings); without, every element must
 * have the first one's shape. n == 0 gives shape [0] + empty_shape (its -1 dims as 0). */
TF_Code tfc_queue_stack(TF_Tensor *const *elems, int64_t n, int stride, TF_DataType dt, bool pad,
                        const tfc_pshape *empty_shape, TF_Tensor **out, TF_Status *st);

#endif
