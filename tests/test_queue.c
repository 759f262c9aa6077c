/* test_queue: TensorFlow's queue ops through the public API — FIFO order with tuples, EnqueueMany
 * and DequeueMany batches, DequeueUpTo after close, PaddingFIFOQueue's zero padding,
 * RandomShuffleQueue's seeded permutations and min_after_dequeue, QueueSize / QueueIsClosed, and
 * errors naming the op. The blocking side: a dequeue on an empty queue under
 * RunOptions.timeout_in_ms, a blocked enqueue cancelled by QueueCloseV2(cancel_pending_enqueues)
 * and a blocked dequeue ended by TF_CloseSession from other threads, steps blocked on the only
 * inter-op worker not starving others, and an input pipeline (one producer, two training-style
 * consumers on one session) that loses and duplicates nothing. Threads record what happened;
 * only the main thread asserts. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tfc/c_api.h"
#include "graph_util.h"

/* ---- graph helpers ---- */

static TF_Operation *finish(TF_OperationDescription *d)
{
    TF_Status *s = TF_NewStatus();
    TF_Operation *op = TF_FinishOperation(d, s);
    if (TF_GetCode(s) != TF_OK) fail_msg("%s", TF_Message(s));
    TF_DeleteStatus(s);
    return op;
}

typedef struct qspec {
    const char *type; /* FIFOQueueV2, ... */
    int n;
    TF_DataType types[3];
    int n_shapes;
    int ranks[3];
    int64_t dims[3][3];
    int64_t capacity;                   /* 0: the default (-1) */
    int64_t min_after_dequeue, seed;    /* RandomShuffleQueueV2 */
    const char *shared_name;
} qspec;

static TF_OperationDescription *queue_desc(TF_Graph *g, const char *name, const qspec *q)
{
    TF_OperationDescription *d = TF_NewOperation(g, q->type, name);
    TF_SetAttrTypeList(d, "component_types", q->types, q->n);
    const int64_t *dims[3] = { q->dims[0], q->dims[1], q->dims[2] };
    if (q->n_shapes) TF_SetAttrShapeList(d, "shapes", dims, q->ranks, q->n_shapes);
    if (q->capacity) TF_SetAttrInt(d, "capacity", q->capacity);
    if (q->min_after_dequeue) TF_SetAttrInt(d, "min_after_dequeue", q->min_after_dequeue);
    if (q->seed) TF_SetAttrInt(d, "seed", q->seed), TF_SetAttrInt(d, "seed2", q->seed + 4);
    if (q->shared_name) TF_SetAttrString(d, "shared_name", q->shared_name, strlen(q->shared_name));
    return d;
}

static TF_Output make_queue(TF_Graph *g, const char *name, const qspec *q) { return out0(finish(queue_desc(g, name, q))); }

static TF_Operation *enqueue(TF_Graph *g, const char *name, TF_Output q, const TF_Output *comps, int n, bool many)
{
    TF_OperationDescription *d = TF_NewOperation(g, many ? "QueueEnqueueManyV2" : "QueueEnqueueV2", name);
    TF_AddInput(d, q);
    TF_AddInputList(d, comps, n);
    return finish(d);
}

/* QueueDequeueV2 (n_in NULL), else QueueDequeueManyV2 / QueueDequeueUpToV2 of n_in elements. */
static TF_Operation *dequeue(TF_Graph *g, const char *name, TF_Output q, const TF_DataType *types, int n,
                             const TF_Output *n_in, bool up_to)
{
    const char *type = !n_in ? "QueueDequeueV2" : up_to ? "QueueDequeueUpToV2" : "QueueDequeueManyV2";
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    TF_AddInput(d, q);
    if (n_in) TF_AddInput(d, *n_in);
    TF_SetAttrTypeList(d, "component_types", types, n);
    return finish(d);
}

static TF_Operation *unary_op(TF_Graph *g, const char *type, const char *name, TF_Output q)
{
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    TF_AddInput(d, q);
    return finish(d);
}

static TF_Operation *close_op(TF_Graph *g, const char *name, TF_Output q, bool cancel)
{
    TF_OperationDescription *d = TF_NewOperation(g, "QueueCloseV2", name);
    TF_AddInput(d, q);
    TF_SetAttrBool(d, "cancel_pending_enqueues", cancel);
    return finish(d);
}

static TF_Output const_i32(TF_Graph *g, const char *name, const int32_t *v, const int64_t *dims, int nd)
{
    return out0(const_int32(g, name, v, dims, nd));
}

static TF_Output scalar_i32(TF_Graph *g, const char *name, int32_t v) { return const_i32(g, name, &v, NULL, 0); }

/* ---- running steps (from any thread: results are recorded, never asserted) ---- */

/* A serialised RunOptions with timeout_in_ms (field 2, varint) = ms. */
static TF_Buffer *run_options(int64_t ms)
{
    unsigned char b[16] = { 0x10 };
    size_t n = 1;
    for (uint64_t v = (uint64_t)ms; n < sizeof b; v >>= 7) {
        b[n++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        if (v <= 0x7f) break;
    }
    return TF_NewBufferFromString(b, n);
}

typedef struct step {
    TF_Session *sess;
    int n_feeds, n_fetches, n_targets;
    TF_Output feeds[2], fetches[3];
    TF_Tensor *values[2], *outs[3];
    TF_Operation *targets[2];
    int64_t timeout_ms; /* 0: none */
    TF_Code code;
    char msg[512];
} step;

static TF_Code run_step(step *x)
{
    TF_Status *s = TF_NewStatus();
    TF_Buffer *ro = x->timeout_ms ? run_options(x->timeout_ms) : NULL;
    TF_SessionRun(x->sess, ro, x->feeds, x->values, x->n_feeds, x->fetches, x->outs, x->n_fetches,
                  (const TF_Operation *const *)x->targets, x->n_targets, NULL, s);
    x->code = TF_GetCode(s);
    snprintf(x->msg, sizeof x->msg, "%s", TF_Message(s));
    TF_DeleteBuffer(ro);
    TF_DeleteStatus(s);
    return x->code;
}

static void *step_thread(void *p)
{
    run_step(p);
    return NULL;
}

static void step_free(step *x)
{
    for (int i = 0; i < x->n_fetches; i++) TF_DeleteTensor(x->outs[i]), x->outs[i] = NULL;
    for (int i = 0; i < x->n_feeds; i++) TF_DeleteTensor(x->values[i]), x->values[i] = NULL;
}

static void expect_code(const step *x, TF_Code code, const char *needle1, const char *needle2)
{
    if (x->code != code) fail_msg("expected code %d, got %d: %s", (int)code, (int)x->code, x->msg);
    if (needle1 && !strstr(x->msg, needle1)) fail_msg("message '%s' does not contain '%s'", x->msg, needle1);
    if (needle2 && !strstr(x->msg, needle2)) fail_msg("message '%s' does not contain '%s'", x->msg, needle2);
}

/* Runs target op (no fetches); must succeed. */
static void run_target(TF_Session *sess, TF_Operation *op)
{
    step x = { .sess = sess, .n_targets = 1, .targets = { op } };
    run_step(&x);
    expect_code(&x, TF_OK, NULL, NULL);
}

/* Runs target op with one fed value (taken); returns the code, message in x. */
static TF_Code run_fed(TF_Session *sess, TF_Operation *op, TF_Output feed, TF_Tensor *value, step *x)
{
    *x = (step){ .sess = sess, .n_feeds = 1, .feeds = { feed }, .values = { value }, .n_targets = 1,
                 .targets = { op } };
    run_step(x);
    step_free(x);
    return x->code;
}

/* Fetches outputs 0..n-1 of op into x (caller frees with step_free). */
static TF_Code run_fetch(TF_Session *sess, TF_Operation *op, int n, int64_t timeout_ms, step *x)
{
    *x = (step){ .sess = sess, .n_fetches = n, .timeout_ms = timeout_ms };
    for (int i = 0; i < n; i++) x->fetches[i] = (TF_Output){ op, i };
    return run_step(x);
}

static int32_t fetch_i32(TF_Session *sess, TF_Operation *op)
{
    step x;
    run_fetch(sess, op, 1, 0, &x);
    expect_code(&x, TF_OK, NULL, NULL);
    int32_t v = *(const int32_t *)TF_TensorData(x.outs[0]);
    step_free(&x);
    return v;
}

static bool fetch_bool(TF_Session *sess, TF_Operation *op)
{
    step x;
    run_fetch(sess, op, 1, 0, &x);
    expect_code(&x, TF_OK, NULL, NULL);
    bool v = *(const bool *)TF_TensorData(x.outs[0]);
    step_free(&x);
    return v;
}

/* Checks t's shape and int32 / float values. */
static void expect_i32(const TF_Tensor *t, const int64_t *dims, int nd, const int32_t *v)
{
    assert_int_equal(TF_TensorType(t), TF_INT32);
    assert_int_equal(TF_NumDims(t), nd);
    for (int i = 0; i < nd; i++) assert_int_equal(TF_Dim(t, i), dims[i]);
    for (int64_t i = 0; i < TF_TensorElementCount(t); i++) assert_int_equal(((const int32_t *)TF_TensorData(t))[i], v[i]);
}

static void expect_f32(const TF_Tensor *t, const int64_t *dims, int nd, const float *v)
{
    assert_int_equal(TF_TensorType(t), TF_FLOAT);
    assert_int_equal(TF_NumDims(t), nd);
    for (int i = 0; i < nd; i++) assert_int_equal(TF_Dim(t, i), dims[i]);
    for (int64_t i = 0; i < TF_TensorElementCount(t); i++)
        assert_float_equal(((const float *)TF_TensorData(t))[i], v[i], 0);
}

/* A session; inter_op > 0 sets ConfigProto.inter_op_parallelism_threads (2: one pool worker). */
/* inter_op > 0: that many inter-op threads (ConfigProto field 5); else the default. */
static TF_Session *open_session(TF_Graph *g, int inter_op)
{
    const unsigned char config[] = { 0x28, (unsigned char)inter_op }; /* field 5, varint */
    return new_test_session(g, inter_op > 0 ? config : NULL, sizeof config);
}

static TF_Tensor *scalar_i32_tensor(int32_t v) { return int_tensor(NULL, 0, &v); }

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- values ---- */

static const TF_DataType I32[] = { TF_INT32 }, F32[] = { TF_FLOAT };

/* Elements come out in the order they went in, each a tuple (int32 scalar, float [2]). */
static void test_fifo_order_of_tuples(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    qspec spec = { "FIFOQueueV2", 2, { TF_INT32, TF_FLOAT }, 2, { 0, 1 }, { { 0 }, { 2 } }, .capacity = 10 };
    TF_Output q = make_queue(g, "q", &spec);
    TF_Operation *x = placeholder(g, "x", TF_INT32, NULL, 0), *y = placeholder(g, "y", TF_FLOAT, (int64_t[]){ 2 }, 1);
    TF_Operation *enq = enqueue(g, "enq", q, (TF_Output[]){ out0(x), out0(y) }, 2, false);
    TF_Operation *deq = dequeue(g, "deq", q, spec.types, 2, NULL, false);
    TF_Operation *size = unary_op(g, "QueueSizeV2", "size", q);
    /* the dequeue's static shapes come from the queue's shapes attr */
    int64_t dims[2];
    assert_int_equal(TF_GraphGetTensorNumDims(g, (TF_Output){ deq, 1 }, s), 1);
    TF_GraphGetTensorShape(g, (TF_Output){ deq, 1 }, dims, 1, s);
    assert_int_equal(dims[0], 2);
    TF_Session *sess = open_session(g, 0);
    step st = { .sess = sess, .n_feeds = 2, .feeds = { out0(x), out0(y) }, .n_targets = 1, .targets = { enq } };
    for (int i = 0; i < 5; i++) {
        st.values[0] = scalar_i32_tensor(10 + i);
        st.values[1] = float_tensor((int64_t[]){ 2 }, 1, (float[]){ (float)i, (float)-i });
        run_step(&st);
        expect_code(&st, TF_OK, NULL, NULL);
        step_free(&st);
    }
    assert_int_equal(fetch_i32(sess, size), 5);
    for (int i = 0; i < 5; i++) {
        step r;
        run_fetch(sess, deq, 2, 0, &r);
        expect_code(&r, TF_OK, NULL, NULL);
        expect_i32(r.outs[0], NULL, 0, (int32_t[]){ 10 + i });
        expect_f32(r.outs[1], (int64_t[]){ 2 }, 1, (float[]){ (float)i, (float)-i });
        step_free(&r);
    }
    assert_int_equal(fetch_i32(sess, size), 0);
    close_test_session(sess);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

/* EnqueueMany slices batches into rows; DequeueMany stacks n rows back, across batch borders. */
static void test_enqueue_many_dequeue_many(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    qspec spec = { "FIFOQueueV2", 1, { TF_INT32 }, 1, { 1 }, { { 2 } } };
    TF_Output q = make_queue(g, "q", &spec);
    TF_Operation *batch = placeholder(g, "batch", TF_INT32, (int64_t[]){ -1, 2 }, 2);
    TF_Operation *enq = enqueue(g, "enq", q, (TF_Output[]){ out0(batch) }, 1, true);
    TF_Output four = scalar_i32(g, "four", 4), two = scalar_i32(g, "two", 2), zero = scalar_i32(g, "zero", 0);
    TF_Operation *deq4 = dequeue(g, "deq4", q, I32, 1, &four, false);
    TF_Operation *deq2 = dequeue(g, "deq2", q, I32, 1, &two, false);
    TF_Operation *deq0 = dequeue(g, "deq0", q, I32, 1, &zero, false);
    TF_Operation *size = unary_op(g, "QueueSizeV2", "size", q);
    int64_t dims[2];
    TF_GraphGetTensorShape(g, out0(deq4), dims, 2, s);
    assert_ok(s);
    assert_int_equal(dims[0], 4);
    assert_int_equal(dims[1], 2);
    TF_Session *sess = open_session(g, 0);
    step x;
    assert_int_equal(run_fed(sess, enq, out0(batch), int_tensor((int64_t[]){ 3, 2 }, 2, (int32_t[]){ 0, 1, 2, 3, 4, 5 }), &x), TF_OK);
    assert_int_equal(run_fed(sess, enq, out0(batch), int_tensor((int64_t[]){ 3, 2 }, 2, (int32_t[]){ 6, 7, 8, 9, 10, 11 }), &x), TF_OK);
    assert_int_equal(fetch_i32(sess, size), 6);
    run_fetch(sess, deq4, 1, 0, &x);
    expect_code(&x, TF_OK, NULL, NULL);
    expect_i32(x.outs[0], (int64_t[]){ 4, 2 }, 2, (int32_t[]){ 0, 1, 2, 3, 4, 5, 6, 7 });
    step_free(&x);
    assert_int_equal(fetch_i32(sess, size), 2);
    run_fetch(sess, deq0, 1, 0, &x); /* zero elements: an empty [0, 2] batch at once */
    expect_code(&x, TF_OK, NULL, NULL);
    expect_i32(x.outs[0], (int64_t[]){ 0, 2 }, 2, NULL);
    step_free(&x);
    run_fetch(sess, deq2, 1, 0, &x);
    expect_code(&x, TF_OK, NULL, NULL);
    expect_i32(x.outs[0], (int64_t[]){ 2, 2 }, 2, (int32_t[]){ 8, 9, 10, 11 });
    step_free(&x);
    /* an empty batch enqueues nothing */
    assert_int_equal(run_fed(sess, enq, out0(batch), int_tensor((int64_t[]){ 0, 2 }, 2, (int32_t[]){ 0 }), &x), TF_OK);
    assert_int_equal(fetch_i32(sess, size), 0);
    close_test_session(sess);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

/* After a close, DequeueUpTo returns what is left; DequeueMany fails OUT_OF_RANGE and puts back
 * what it could not use; enqueues fail CANCELLED. */
static void test_dequeue_up_to_after_close(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    qspec spec = { "FIFOQueueV2", 1, { TF_FLOAT }, 1, { 0 } };
    TF_Output q = make_queue(g, "q", &spec);
    TF_Operation *batch = placeholder(g, "batch", TF_FLOAT, (int64_t[]){ -1 }, 1);
    TF_Operation *enq = enqueue(g, "enq", q, (TF_Output[]){ out0(batch) }, 1, true);
    TF_Output five = scalar_i32(g, "five", 5), two = scalar_i32(g, "two", 2);
    TF_Operation *up_to = dequeue(g, "up_to", q, F32, 1, &five, true);
    TF_Operation *many5 = dequeue(g, "many5", q, F32, 1, &five, false);
    TF_Operation *many2 = dequeue(g, "many2", q, F32, 1, &two, false);
    TF_Operation *close = close_op(g, "close", q, false);
    TF_Operation *size = unary_op(g, "QueueSizeV2", "size", q), *closed = unary_op(g, "QueueIsClosedV2", "closed", q);
    TF_Session *sess = open_session(g, 0);
    step x;
    assert_int_equal(run_fed(sess, enq, out0(batch), float_tensor((int64_t[]){ 4 }, 1, (float[]){ 1, 2, 3, 4 }), &x), TF_OK);
    assert_false(fetch_bool(sess, closed));
    run_target(sess, close);
    assert_true(fetch_bool(sess, closed));
    run_fetch(sess, many5, 1, 0, &x);
    expect_code(&x, TF_OUT_OF_RANGE, "QueueDequeueManyV2 'many5'", "is closed and has insufficient elements");
    assert_int_equal(fetch_i32(sess, size), 4); /* nothing lost */
    run_fetch(sess, many2, 1, 0, &x);
    expect_code(&x, TF_OK, NULL, NULL);
    expect_f32(x.outs[0], (int64_t[]){ 2 }, 1, (float[]){ 1, 2 }); /* order kept */
    step_free(&x);
    run_fetch(sess, up_to, 1, 0, &x);
    expect_code(&x, TF_OK, NULL, NULL);
    expect_f32(x.outs[0], (int64_t[]){ 2 }, 1, (float[]){ 3, 4 });
    step_free(&x);
    run_fetch(sess, up_to, 1, 0, &x);
    expect_code(&x, TF_OUT_OF_RANGE, "QueueDequeueUpToV2 'up_to'", "requested 5, current size 0");
    run_fed(sess, enq, out0(batch), float_tensor((int64_t[]){ 1 }, 1, (float[]){ 9 }), &x);
    expect_code(&x, TF_CANCELLED, "QueueEnqueueManyV2 'enq'", "is closed");
    step c = { .sess = sess, .n_targets = 1, .targets = { close } };
    run_step(&c);
    expect_code(&c, TF_CANCELLED, "QueueCloseV2 'close'", "already closed");
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* PaddingFIFOQueue pads each -1 dimension with zeros up to the batch's largest element. */
static void test_padding_fifo_pads_with_zeros(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    qspec spec = { "PaddingFIFOQueueV2", 2, { TF_FLOAT, TF_INT32 }, 2, { 1, 0 }, { { -1 } } };
    TF_Output q = make_queue(g, "q", &spec);
    TF_Operation *v = placeholder(g, "v", TF_FLOAT, (int64_t[]){ -1 }, 1), *len = placeholder(g, "len", TF_INT32, NULL, 0);
    TF_Operation *enq = enqueue(g, "enq", q, (TF_Output[]){ out0(v), out0(len) }, 2, false);
    TF_Output three = scalar_i32(g, "three", 3);
    TF_Operation *deq = dequeue(g, "deq", q, spec.types, 2, &three, false);
    /* rank 2, both dims padded */
    qspec spec2 = { "PaddingFIFOQueueV2", 1, { TF_INT32 }, 1, { 2 }, { { -1, -1 } } };
    TF_Output q2 = make_queue(g, "q2", &spec2);
    TF_Operation *m = placeholder(g, "m", TF_INT32, NULL, -1);
    TF_Operation *enq2 = enqueue(g, "enq2", q2, (TF_Output[]){ out0(m) }, 1, false);
    TF_Output two = scalar_i32(g, "two", 2);
    TF_Operation *deq2 = dequeue(g, "deq2", q2, I32, 1, &two, false);
    TF_Session *sess = open_session(g, 0);
    const float rows[3][3] = { { 1, 2 }, { 3 }, { 4, 5, 6 } };
    const int lens[3] = { 2, 1, 3 };
    for (int i = 0; i < 3; i++) {
        step x = { .sess = sess, .n_feeds = 2, .feeds = { out0(v), out0(len) }, .n_targets = 1, .targets = { enq } };
        x.values[0] = float_tensor((int64_t[]){ lens[i] }, 1, rows[i]);
        x.values[1] = scalar_i32_tensor(lens[i]);
        run_step(&x);
        expect_code(&x, TF_OK, NULL, NULL);
        step_free(&x);
    }
    step x;
    run_fetch(sess, deq, 2, 0, &x);
    expect_code(&x, TF_OK, NULL, NULL);
    expect_f32(x.outs[0], (int64_t[]){ 3, 3 }, 2, (float[]){ 1, 2, 0, 3, 0, 0, 4, 5, 6 });
    expect_i32(x.outs[1], (int64_t[]){ 3 }, 1, (int32_t[]){ 2, 1, 3 });
    step_free(&x);
    assert_int_equal(run_fed(sess, enq2, out0(m), int_tensor((int64_t[]){ 2, 1 }, 2, (int32_t[]){ 1, 2 }), &x), TF_OK);
    assert_int_equal(run_fed(sess, enq2, out0(m), int_tensor((int64_t[]){ 1, 3 }, 2, (int32_t[]){ 3, 4, 5 }), &x), TF_OK);
    run_fetch(sess, deq2, 1, 0, &x);
    expect_code(&x, TF_OK, NULL, NULL);
    expect_i32(x.outs[0], (int64_t[]){ 2, 2, 3 }, 3, (int32_t[]){ 1, 0, 0, 2, 0, 0, 3, 4, 5, 0, 0, 0 });
    step_free(&x);
    /* a rank mismatch is refused at the enqueue */
    run_fed(sess, enq2, out0(m), int_tensor((int64_t[]){ 3 }, 1, (int32_t[]){ 1, 2, 3 }), &x);
    expect_code(&x, TF_INVALID_ARGUMENT, "QueueEnqueueV2 'enq2'", "Shape mismatch in tuple component 0");
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* Dequeues every element of a seeded RandomShuffleQueue holding 0..19 (min_after_dequeue 5) into
 * order[20]: 15 single dequeues, then one that must time out (only 5 left), then close and take
 * the rest. */
static void shuffle_run(TF_Graph *g, TF_Operation *enq, TF_Operation *batch, TF_Operation *deq, TF_Operation *rest,
                        TF_Operation *close, TF_Operation *size, int32_t *order)
{
    TF_Session *sess = open_session(g, 0);
    int32_t v[20];
    for (int i = 0; i < 20; i++) v[i] = i;
    step x;
    assert_int_equal(run_fed(sess, enq, out0(batch), int_tensor((int64_t[]){ 20 }, 1, v), &x), TF_OK);
    for (int i = 0; i < 15; i++) order[i] = fetch_i32(sess, deq);
    run_fetch(sess, deq, 1, 100, &x); /* min_after_dequeue holds the last 5 back */
    expect_code(&x, TF_DEADLINE_EXCEEDED, NULL, NULL);
    assert_int_equal(fetch_i32(sess, size), 5);
    run_target(sess, close);
    run_fetch(sess, rest, 1, 0, &x); /* closed: the last 5 may go */
    expect_code(&x, TF_OK, NULL, NULL);
    assert_int_equal(TF_Dim(x.outs[0], 0), 5);
    memcpy(order + 15, TF_TensorData(x.outs[0]), 5 * sizeof(int32_t));
    step_free(&x);
    close_test_session(sess);
}

static void test_random_shuffle_is_a_seeded_permutation(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    qspec spec = { "RandomShuffleQueueV2", 1, { TF_INT32 }, 1, { 0 }, .capacity = 30, .min_after_dequeue = 5, .seed = 7 };
    TF_Output q = make_queue(g, "q", &spec);
    TF_Operation *batch = placeholder(g, "batch", TF_INT32, (int64_t[]){ -1 }, 1);
    TF_Operation *enq = enqueue(g, "enq", q, (TF_Output[]){ out0(batch) }, 1, true);
    TF_Operation *deq = dequeue(g, "deq", q, I32, 1, NULL, false);
    TF_Output five = scalar_i32(g, "five", 5), six = scalar_i32(g, "six", 6);
    TF_Operation *rest = dequeue(g, "rest", q, I32, 1, &five, false);
    TF_Operation *many6 = dequeue(g, "many6", q, I32, 1, &six, false);
    TF_Operation *close = close_op(g, "close", q, false);
    TF_Operation *size = unary_op(g, "QueueSizeV2", "size", q);
    int32_t a[20], b[20];
    shuffle_run(g, enq, batch, deq, rest, close, size, a);
    shuffle_run(g, enq, batch, deq, rest, close, size, b);
    int seen[20] = { 0 }, in_place = 0;
    for (int i = 0; i < 20; i++) {
        assert_true(a[i] >= 0 && a[i] < 20);
        seen[a[i]]++;
        in_place += a[i] == i;
        assert_int_equal(a[i], b[i]); /* the same seeds give the same order */
    }
    for (int i = 0; i < 20; i++) assert_int_equal(seen[i], 1);
    assert_true(in_place < 20); /* shuffled */
    /* DequeueMany respects min_after_dequeue too: of 10, only 5 may go before the close */
    TF_Session *sess = open_session(g, 0);
    step x;
    assert_int_equal(run_fed(sess, enq, out0(batch), int_tensor((int64_t[]){ 10 }, 1, a), &x), TF_OK);
    run_fetch(sess, many6, 1, 100, &x);
    expect_code(&x, TF_DEADLINE_EXCEEDED, NULL, NULL);
    assert_int_equal(fetch_i32(sess, size), 10); /* the timed-out attempt gave its elements back */
    run_fetch(sess, rest, 1, 0, &x);
    expect_code(&x, TF_OK, NULL, NULL);
    step_free(&x);
    assert_int_equal(fetch_i32(sess, size), 5);
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* ---- errors ---- */

/* Builds queue spec `bad` and a QueueSizeV2 on it; running it fails with needle in the message. */
static void expect_bad_queue(const qspec *bad, const char *needle)
{
    TF_Graph *g = TF_NewGraph();
    TF_Operation *size = unary_op(g, "QueueSizeV2", "size", make_queue(g, "bad_q", bad));
    TF_Session *sess = open_session(g, 0);
    step x;
    run_fetch(sess, size, 1, 0, &x);
    char who[64];
    snprintf(who, sizeof who, "%s 'bad_q'", bad->type);
    expect_code(&x, TF_INVALID_ARGUMENT, who, needle);
    close_test_session(sess);
    TF_DeleteGraph(g);
}

static void test_errors_name_the_op(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    qspec spec = { "FIFOQueueV2", 1, { TF_INT32 }, 1, { 1 }, { { 2 } } };
    TF_Output q = make_queue(g, "q", &spec);
    TF_Operation *f = placeholder(g, "f", TF_FLOAT, (int64_t[]){ 2 }, 1), *i3 = placeholder(g, "i3", TF_INT32, NULL, -1);
    TF_Operation *enq_f = enqueue(g, "enq_f", q, (TF_Output[]){ out0(f) }, 1, false);
    TF_Operation *enq_i = enqueue(g, "enq_i", q, (TF_Output[]){ out0(i3) }, 1, false);
    TF_Operation *enq_two = enqueue(g, "enq_two", q, (TF_Output[]){ out0(i3), out0(i3) }, 2, true);
    TF_Operation *deq_f = dequeue(g, "deq_f", q, F32, 1, NULL, false);
    TF_Operation *n_in = placeholder(g, "n", TF_INT32, NULL, 0);
    TF_Operation *deq_n = dequeue(g, "deq_n", q, I32, 1, &(TF_Output){ n_in, 0 }, false);
    qspec loose = { "FIFOQueueV2", 1, { TF_INT32 } }; /* no shapes: one element at a time only */
    TF_Output lq = make_queue(g, "loose", &loose);
    TF_Operation *deq_loose = dequeue(g, "deq_loose", lq, I32, 1, &(TF_Output){ n_in, 0 }, false);
    TF_OperationDescription *d = TF_NewOperation(g, "VarHandleOp", "var");
    TF_SetAttrType(d, "dtype", TF_INT32);
    TF_SetAttrShape(d, "shape", NULL, 0);
    TF_Operation *not_q = unary_op(g, "QueueSizeV2", "not_q", out0(finish(d)));
    /* two nodes asking for one shared queue must agree */
    qspec a = { "FIFOQueueV2", 1, { TF_INT32 }, .capacity = 5, .shared_name = "shared" }, b = a;
    b.capacity = 6;
    TF_Operation *size_a = unary_op(g, "QueueSizeV2", "size_a", make_queue(g, "qa", &a));
    TF_Operation *size_b = unary_op(g, "QueueSizeV2", "size_b", make_queue(g, "qb", &b));
    TF_Session *sess = open_session(g, 0);
    step x;
    run_fed(sess, enq_f, out0(f), float_tensor((int64_t[]){ 2 }, 1, (float[]){ 1, 2 }), &x);
    expect_code(&x, TF_INVALID_ARGUMENT, "QueueEnqueueV2 'enq_f'", "Signature mismatch, have: resource, float");
    run_fed(sess, enq_i, out0(i3), int_tensor((int64_t[]){ 3 }, 1, (int32_t[]){ 1, 2, 3 }), &x);
    expect_code(&x, TF_INVALID_ARGUMENT, "QueueEnqueueV2 'enq_i'", "Shape mismatch in tuple component 0. Expected [2], got [3]");
    run_fed(sess, enq_i, out0(i3), scalar_i32_tensor(1), &x);
    expect_code(&x, TF_INVALID_ARGUMENT, "QueueEnqueueV2 'enq_i'", "Shape mismatch");
    run_fed(sess, enq_two, out0(i3), int_tensor((int64_t[]){ 1, 2 }, 2, (int32_t[]){ 1, 2 }), &x);
    expect_code(&x, TF_INVALID_ARGUMENT, "QueueEnqueueManyV2 'enq_two'", "Signature mismatch");
    run_fetch(sess, deq_f, 1, 0, &x);
    expect_code(&x, TF_INVALID_ARGUMENT, "QueueDequeueV2 'deq_f'", "expected: resource->int32");
    x = (step){ .sess = sess, .n_feeds = 1, .feeds = { out0(n_in) }, .values = { scalar_i32_tensor(-1) },
                .n_fetches = 1, .fetches = { out0(deq_n) } };
    run_step(&x);
    expect_code(&x, TF_INVALID_ARGUMENT, "QueueDequeueManyV2 'deq_n'", "must be >= 0");
    step_free(&x);
    x = (step){ .sess = sess, .n_feeds = 1, .feeds = { out0(n_in) }, .values = { scalar_i32_tensor(1) },
                .n_fetches = 1, .fetches = { out0(deq_loose) } };
    run_step(&x);
    expect_code(&x, TF_INVALID_ARGUMENT, "QueueDequeueManyV2 'deq_loose'", "require the components to have specified shapes");
    step_free(&x);
    run_fetch(sess, not_q, 1, 0, &x);
    expect_code(&x, TF_INVALID_ARGUMENT, "QueueSizeV2 'not_q'", "not a queue handle");
    assert_int_equal(fetch_i32(sess, size_a), 0);
    run_fetch(sess, size_b, 1, 0, &x);
    expect_code(&x, TF_INVALID_ARGUMENT, "FIFOQueueV2 'qb'", "capacity 5 but requested capacity was 6");
    close_test_session(sess);
    /* graph-time checks: a negative constant n, no components */
    TF_Output minus = scalar_i32(g, "minus", -1);
    d = TF_NewOperation(g, "QueueDequeueManyV2", "deq_minus");
    TF_AddInput(d, q);
    TF_AddInput(d, minus);
    TF_SetAttrTypeList(d, "component_types", I32, 1);
    expect_finish_fails(g, d, "deq_minus", TF_INVALID_ARGUMENT, "QueueDequeueManyV2 'deq_minus'", "must be >= 0");
    d = TF_NewOperation(g, "QueueEnqueueV2", "enq_none");
    TF_AddInput(d, q);
    TF_AddInputList(d, NULL, 0);
    expect_finish_fails(g, d, "enq_none", TF_INVALID_ARGUMENT, NULL, NULL);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
    /* queue attrs checked when the queue op runs */
    expect_bad_queue(&(qspec){ "RandomShuffleQueueV2", 1, { TF_INT32 }, .capacity = 10, .min_after_dequeue = 10 },
                     "min_after_dequeue 10 must be < capacity 10");
    expect_bad_queue(&(qspec){ "PaddingFIFOQueueV2", 1, { TF_INT32 } }, "Shapes must be provided");
    expect_bad_queue(&(qspec){ "FIFOQueueV2", 1, { TF_INT32 }, 1, { 1 }, { { -1 } } }, "must be fully defined");
    expect_bad_queue(&(qspec){ "FIFOQueueV2", 2, { TF_INT32, TF_INT32 }, 1, { 0 } }, "Different number of component types");
}

/* One shared_name names one queue for every node asking for it; an empty one means the node's
 * own name, so two unnamed queue nodes are two queues. */
static void test_shared_name_and_node_name(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    qspec shared = { "FIFOQueueV2", 1, { TF_INT32 }, 1, { 0 }, .shared_name = "common" }, own = shared;
    own.shared_name = NULL;
    TF_Output qa = make_queue(g, "qa", &shared), qb = make_queue(g, "qb", &shared);
    TF_Output qc = make_queue(g, "qc", &own), qd = make_queue(g, "qd", &own);
    TF_Output one = scalar_i32(g, "one", 1);
    TF_Operation *enq_a = enqueue(g, "enq_a", qa, &one, 1, false), *enq_c = enqueue(g, "enq_c", qc, &one, 1, false);
    TF_Operation *size_b = unary_op(g, "QueueSizeV2", "size_b", qb), *size_c = unary_op(g, "QueueSizeV2", "size_c", qc);
    TF_Operation *size_d = unary_op(g, "QueueSizeV2", "size_d", qd);
    TF_Session *sess = open_session(g, 0);
    run_target(sess, enq_a);
    run_target(sess, enq_a);
    run_target(sess, enq_c);
    assert_int_equal(fetch_i32(sess, size_b), 2);
    assert_int_equal(fetch_i32(sess, size_c), 1);
    assert_int_equal(fetch_i32(sess, size_d), 0);
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* ---- blocking ---- */

typedef struct qgraph {
    TF_Graph *g;
    TF_Output q;
    TF_Operation *x, *enq, *deq, *deq_many, *close, *cancel, *size, *closed;
} qgraph;

/* A FIFO queue of int32 scalars: enqueue of fed x, dequeue, DequeueMany(Const 1), both closes. */
static qgraph scalar_queue(int64_t capacity)
{
    qgraph b = { TF_NewGraph() };
    qspec spec = { "FIFOQueueV2", 1, { TF_INT32 }, 1, { 0 }, .capacity = capacity };
    b.q = make_queue(b.g, "q", &spec);
    b.x = placeholder(b.g, "x", TF_INT32, NULL, 0);
    b.enq = enqueue(b.g, "enq", b.q, (TF_Output[]){ out0(b.x) }, 1, false);
    b.deq = dequeue(b.g, "deq", b.q, I32, 1, NULL, false);
    TF_Output one = scalar_i32(b.g, "one", 1);
    b.deq_many = dequeue(b.g, "deq_many", b.q, I32, 1, &one, false);
    b.close = close_op(b.g, "close", b.q, false);
    b.cancel = close_op(b.g, "cancel", b.q, true);
    b.size = unary_op(b.g, "QueueSizeV2", "size", b.q);
    b.closed = unary_op(b.g, "QueueIsClosedV2", "closed", b.q);
    return b;
}

static step enqueue_step(TF_Session *sess, const qgraph *b, int32_t v, int64_t timeout_ms)
{
    return (step){ .sess = sess, .n_feeds = 1, .feeds = { out0(b->x) }, .values = { scalar_i32_tensor(v) },
                   .n_targets = 1, .targets = { b->enq }, .timeout_ms = timeout_ms };
}

static void test_dequeue_times_out(void **state)
{
    (void)state;
    qgraph b = scalar_queue(-1);
    TF_Session *sess = open_session(b.g, 0);
    step x;
    int64_t t0 = now_ms();
    run_fetch(sess, b.deq, 1, 150, &x);
    int64_t took = now_ms() - t0;
    expect_code(&x, TF_DEADLINE_EXCEEDED, NULL, NULL);
    assert_true(took >= 140 && took < 5000);
    /* the session goes on */
    x = enqueue_step(sess, &b, 42, 0);
    run_step(&x);
    expect_code(&x, TF_OK, NULL, NULL);
    step_free(&x);
    assert_int_equal(fetch_i32(sess, b.deq), 42);
    close_test_session(sess);
    TF_DeleteGraph(b.g);
}

/* An enqueue blocked on a full queue in another thread fails CANCELLED when the queue is closed
 * with cancel_pending_enqueues; what was in the queue stays dequeueable. */
static void test_close_cancels_pending_enqueue(void **state)
{
    (void)state;
    qgraph b = scalar_queue(1);
    TF_Session *sess = open_session(b.g, 0);
    step x = enqueue_step(sess, &b, 1, 0);
    run_step(&x);
    expect_code(&x, TF_OK, NULL, NULL);
    step_free(&x);
    step blocked = enqueue_step(sess, &b, 2, 20000);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, step_thread, &blocked), 0);
    sleep_ms(150);
    run_target(sess, b.cancel);
    pthread_join(th, NULL);
    step_free(&blocked);
    expect_code(&blocked, TF_CANCELLED, "QueueEnqueueV2 'enq'", "Enqueue operation was cancelled");
    assert_true(fetch_bool(sess, b.closed));
    assert_int_equal(fetch_i32(sess, b.size), 1);
    assert_int_equal(fetch_i32(sess, b.deq), 1);
    run_fetch(sess, b.deq, 1, 0, &x);
    expect_code(&x, TF_OUT_OF_RANGE, "QueueDequeueV2 'deq'", "is closed");
    close_test_session(sess);
    TF_DeleteGraph(b.g);
}

/* A plain close waits behind an enqueue already blocked, which still succeeds once room is made. */
static void test_plain_close_waits_for_pending_enqueue(void **state)
{
    (void)state;
    qgraph b = scalar_queue(1);
    TF_Session *sess = open_session(b.g, 0);
    step x = enqueue_step(sess, &b, 1, 0);
    run_step(&x);
    step_free(&x);
    step blocked = enqueue_step(sess, &b, 2, 20000);
    step closing = { .sess = sess, .n_targets = 1, .targets = { b.close }, .timeout_ms = 20000 };
    pthread_t th[2];
    assert_int_equal(pthread_create(&th[0], NULL, step_thread, &blocked), 0);
    sleep_ms(100);
    assert_int_equal(pthread_create(&th[1], NULL, step_thread, &closing), 0);
    sleep_ms(100);
    assert_false(fetch_bool(sess, b.closed));
    assert_int_equal(fetch_i32(sess, b.deq), 1);
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
    step_free(&blocked);
    expect_code(&blocked, TF_OK, NULL, NULL);
    expect_code(&closing, TF_OK, NULL, NULL);
    assert_true(fetch_bool(sess, b.closed));
    assert_int_equal(fetch_i32(sess, b.deq), 2);
    close_test_session(sess);
    TF_DeleteGraph(b.g);
}

/* TF_CloseSession ends a dequeue blocked in another thread with CANCELLED. */
static void test_close_session_ends_blocked_dequeue(void **state)
{
    (void)state;
    qgraph b = scalar_queue(-1);
    TF_Session *sess = open_session(b.g, 0);
    step blocked = (step){ .sess = sess, .n_fetches = 1, .fetches = { out0(b.deq) }, .timeout_ms = 30000 };
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, step_thread, &blocked), 0);
    sleep_ms(150);
    TF_Status *s = TF_NewStatus();
    int64_t t0 = now_ms();
    TF_CloseSession(sess, s);
    assert_ok(s);
    pthread_join(th, NULL);
    assert_true(now_ms() - t0 < 5000);
    expect_code(&blocked, TF_CANCELLED, "QueueDequeueV2 'deq'", NULL);
    step x;
    run_fetch(sess, b.size, 1, 0, &x);
    expect_code(&x, TF_FAILED_PRECONDITION, NULL, NULL);
    TF_DeleteSession(sess, s);
    TF_DeleteStatus(s);
    TF_DeleteGraph(b.g);
}

/* DequeueMany of more elements than the capacity takes them as they arrive. */
static void test_dequeue_many_beyond_capacity(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    qspec spec = { "FIFOQueueV2", 1, { TF_INT32 }, 1, { 0 }, .capacity = 2 };
    TF_Output q = make_queue(g, "q", &spec);
    TF_Operation *x = placeholder(g, "x", TF_INT32, NULL, 0);
    TF_Operation *enq = enqueue(g, "enq", q, (TF_Output[]){ out0(x) }, 1, false);
    TF_Output five = scalar_i32(g, "five", 5);
    TF_Operation *deq = dequeue(g, "deq", q, I32, 1, &five, false);
    TF_Session *sess = open_session(g, 0);
    step consumer = (step){ .sess = sess, .n_fetches = 1, .fetches = { out0(deq) }, .timeout_ms = 20000 };
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, step_thread, &consumer), 0);
    for (int i = 0; i < 5; i++) {
        step e = { .sess = sess, .n_feeds = 1, .feeds = { out0(x) }, .values = { scalar_i32_tensor(i) },
                   .n_targets = 1, .targets = { enq }, .timeout_ms = 20000 };
        run_step(&e);
        expect_code(&e, TF_OK, NULL, NULL);
        step_free(&e);
    }
    pthread_join(th, NULL);
    expect_code(&consumer, TF_OK, NULL, NULL);
    expect_i32(consumer.outs[0], (int64_t[]){ 5 }, 1, (int32_t[]){ 0, 1, 2, 3, 4 });
    step_free(&consumer);
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* With one inter-op worker, four steps blocked in DequeueMany (whose kernels may run on that
 * worker) must not stop the enqueue step that serves them. */
static void test_blocked_steps_do_not_starve_others(void **state)
{
    (void)state;
    enum { N = 4 };
    qgraph b = scalar_queue(-1);
    TF_Session *sess = open_session(b.g, 2);
    step waiters[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        waiters[i] = (step){ .sess = sess, .n_fetches = 1, .fetches = { out0(b.deq_many) }, .timeout_ms = 20000 };
        assert_int_equal(pthread_create(&th[i], NULL, step_thread, &waiters[i]), 0);
    }
    sleep_ms(100);
    for (int i = 0; i < N; i++) {
        step e = enqueue_step(sess, &b, 100 + i, 10000);
        run_step(&e);
        expect_code(&e, TF_OK, NULL, NULL);
        step_free(&e);
    }
    int seen[N] = { 0 };
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        expect_code(&waiters[i], TF_OK, NULL, NULL);
        int32_t v = *(const int32_t *)TF_TensorData(waiters[i].outs[0]);
        assert_true(v >= 100 && v < 100 + N);
        seen[v - 100]++;
        step_free(&waiters[i]);
    }
    for (int i = 0; i < N; i++) assert_int_equal(seen[i], 1);
    close_test_session(sess);
    TF_DeleteGraph(b.g);
}

/* ---- the input pipeline ---- */

enum { BATCHES = 25, PER_BATCH = 4, TOTAL = BATCHES * PER_BATCH, TAKE = 5, CONSUMERS = 2 };

typedef struct pipeline {
    TF_Session *sess;
    TF_Operation *batch, *enq, *close, *deq, *update;
    pthread_mutex_t mu;
    int seen[TOTAL + 1];   /* how often each value 1..TOTAL was dequeued */
    int steps[CONSUMERS];
    TF_Code failure;       /* the first unexpected code, OK if none */
    char msg[512];
} pipeline;

static void pipeline_fail(pipeline *p, const step *x)
{
    pthread_mutex_lock(&p->mu);
    if (p->failure == TF_OK) p->failure = x->code, snprintf(p->msg, sizeof p->msg, "%s", x->msg);
    pthread_mutex_unlock(&p->mu);
}

/* Enqueues 1..TOTAL in batches of PER_BATCH, then closes the queue. */
static void *producer(void *arg)
{
    pipeline *p = arg;
    for (int b = 0; b < BATCHES; b++) {
        float v[PER_BATCH];
        for (int i = 0; i < PER_BATCH; i++) v[i] = (float)(b * PER_BATCH + i + 1);
        step x = { .sess = p->sess, .n_feeds = 1, .feeds = { out0(p->batch) }, .n_targets = 1,
                   .targets = { p->enq }, .timeout_ms = 30000 };
        x.values[0] = float_tensor((int64_t[]){ PER_BATCH }, 1, v);
        if (run_step(&x)) pipeline_fail(p, &x);
        step_free(&x);
    }
    step c = { .sess = p->sess, .n_targets = 1, .targets = { p->close }, .timeout_ms = 30000 };
    if (run_step(&c)) pipeline_fail(p, &c);
    return NULL;
}

typedef struct consumer_arg {
    pipeline *p;
    int id;
} consumer_arg;

/* Training-style steps: DequeueMany(TAKE), add the batch's sum to the variable; until OUT_OF_RANGE. */
static void *consumer(void *arg)
{
    consumer_arg *c = arg;
    pipeline *p = c->p;
    for (;;) {
        step x = { .sess = p->sess, .n_fetches = 1, .fetches = { out0(p->deq) }, .n_targets = 1,
                   .targets = { p->update }, .timeout_ms = 30000 };
        run_step(&x);
        if (x.code == TF_OUT_OF_RANGE) break;
        if (x.code != TF_OK) {
            pipeline_fail(p, &x);
            break;
        }
        pthread_mutex_lock(&p->mu);
        const float *v = TF_TensorData(x.outs[0]);
        for (int64_t i = 0; i < TF_TensorElementCount(x.outs[0]); i++) {
            int k = (int)v[i];
            if (k >= 1 && k <= TOTAL) p->seen[k]++;
            else p->seen[0]++;
        }
        p->steps[c->id]++;
        pthread_mutex_unlock(&p->mu);
        step_free(&x);
    }
    return NULL;
}

static void run_pipeline(int inter_op)
{
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    qspec spec = { "FIFOQueueV2", 1, { TF_FLOAT }, 1, { 0 }, .capacity = 8 };
    TF_Output q = make_queue(g, "input_queue", &spec);
    pipeline p = { .failure = TF_OK };
    pthread_mutex_init(&p.mu, NULL);
    p.batch = placeholder(g, "batch", TF_FLOAT, (int64_t[]){ -1 }, 1);
    p.enq = enqueue(g, "enqueue", q, (TF_Output[]){ out0(p.batch) }, 1, true);
    p.close = close_op(g, "close", q, false);
    TF_Output take = scalar_i32(g, "take", TAKE);
    p.deq = dequeue(g, "dequeue", q, F32, 1, &take, false);
    TF_OperationDescription *d = TF_NewOperation(g, "VariableV2", "total");
    TF_SetAttrType(d, "dtype", TF_FLOAT);
    TF_SetAttrShape(d, "shape", NULL, 0);
    TF_Output total = out0(finish(d));
    TF_Operation *init = binop(g, "Assign", "init", total, out0(const_float(g, "zero", NULL, 0, (float[]){ 0 })));
    TF_Output sum = out0(binop(g, "Sum", "batch_sum", out0(p.deq), const_i32(g, "axis", (int32_t[]){ 0 }, (int64_t[]){ 1 }, 1)));
    d = TF_NewOperation(g, "AssignAdd", "update");
    TF_AddInput(d, total);
    TF_AddInput(d, sum);
    TF_SetAttrBool(d, "use_locking", true);
    p.update = finish(d);
    p.sess = open_session(g, inter_op);
    run_target(p.sess, init);
    pthread_t prod, cons[CONSUMERS];
    consumer_arg args[CONSUMERS];
    for (int i = 0; i < CONSUMERS; i++) {
        args[i] = (consumer_arg){ &p, i };
        assert_int_equal(pthread_create(&cons[i], NULL, consumer, &args[i]), 0);
    }
    assert_int_equal(pthread_create(&prod, NULL, producer, &p), 0);
    pthread_join(prod, NULL);
    for (int i = 0; i < CONSUMERS; i++) pthread_join(cons[i], NULL);
    if (p.failure != TF_OK) fail_msg("pipeline (inter_op %d): code %d: %s", inter_op, (int)p.failure, p.msg);
    assert_int_equal(p.seen[0], 0);
    for (int k = 1; k <= TOTAL; k++)
        if (p.seen[k] != 1) fail_msg("value %d dequeued %d times", k, p.seen[k]);
    assert_int_equal(p.steps[0] + p.steps[1], TOTAL / TAKE);
    step x = { .sess = p.sess, .n_fetches = 1, .fetches = { total } };
    run_step(&x);
    expect_code(&x, TF_OK, NULL, NULL);
    assert_float_equal(*(const float *)TF_TensorData(x.outs[0]), TOTAL * (TOTAL + 1) / 2, 0);
    step_free(&x);
    close_test_session(p.sess);
    pthread_mutex_destroy(&p.mu);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

/* Default pools, one inter-op worker, and no pool at all (every step on its caller). */
static void test_pipeline_producer_and_two_trainers(void **state)
{
    (void)state;
    run_pipeline(0);
    run_pipeline(2);
    run_pipeline(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_order_of_tuples),
        cmocka_unit_test(test_enqueue_many_dequeue_many),
        cmocka_unit_test(test_dequeue_up_to_after_close),
        cmocka_unit_test(test_padding_fifo_pads_with_zeros),
        cmocka_unit_test(test_random_shuffle_is_a_seeded_permutation),
        cmocka_unit_test(test_errors_name_the_op),
        cmocka_unit_test(test_shared_name_and_node_name),
        cmocka_unit_test(test_dequeue_times_out),
        cmocka_unit_test(test_close_cancels_pending_enqueue),
        cmocka_unit_test(test_plain_close_waits_for_pending_enqueue),
        cmocka_unit_test(test_close_session_ends_blocked_dequeue),
        cmocka_unit_test(test_dequeue_many_beyond_capacity),
        cmocka_unit_test(test_blocked_steps_do_not_starve_others),
        cmocka_unit_test(test_pipeline_producer_and_two_trainers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
