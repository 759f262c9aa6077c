/* queue: the queue resource (see queue.h). Elements live in a growable ring of component-tensor
 * tuples. Each side (enqueue, dequeue) keeps its waiting attempts in a FIFO list of stack-held
 * nodes: only the head attempt may act, so attempts are served in order without any allocation,
 * and an attempt that gives up (deadline, cancellation) just unlinks itself. One condition
 * variable, broadcast on every change, serves both sides: waiters are few (one per blocked step). */
#include "session/queue.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/dtype.h"

typedef struct attempt {
    struct attempt *next;
} attempt;

typedef struct side {
    attempt *head, *tail;
} side;

struct tfc_queue {
    tfc_object base;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    tfc_queue_kind kind;
    char *op_type, *name;
    int n;                /* components */
    TF_DataType *types;
    int n_shapes;
    tfc_pshape *shapes;
    int64_t capacity, min_after_dequeue;
    TF_Tensor **ring;     /* ring[slot * n + c]; slots (head + i) % ring_cap for i < count */
    int64_t ring_cap, head, count;
    bool closed;
    uint64_t cancel_epoch; /* bumped by close(cancel_pending_enqueues): waiting enqueues fail */
    side enq, deq;
    uint64_t rng;          /* RandomShuffleQueue */
};

static const char *kind_name(tfc_queue_kind k)
{
    return k == TFC_QUEUE_PADDING_FIFO ? "PaddingFIFOQueue" : k == TFC_QUEUE_RANDOM_SHUFFLE ? "RandomShuffleQueue"
                                                                                             : "FIFOQueue";
}

/* ---- lifecycle ---- */

static void queue_destroy(tfc_object *o)
{
    tfc_queue *q = (tfc_queue *)o;
    for (int64_t i = 0; i < q->count; i++)
        for (int c = 0; c < q->n; c++) TF_DeleteTensor(q->ring[((q->head + i) % q->ring_cap) * q->n + c]);
    tfc_free(q->ring);
    tfc_free(q->types);
    tfc_free(q->shapes);
    tfc_free(q->op_type);
    tfc_free(q->name);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    tfc_free(q);
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* TensorFlow's rule: seed == seed2 == 0 means "pick one at random". */
static uint64_t initial_rng(const tfc_queue_spec *spec, const void *salt)
{
    if (spec->seed || spec->seed2) return (uint64_t)spec->seed * 0x9E3779B97F4A7C15ull ^ (uint64_t)spec->seed2;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)(uintptr_t)salt;
}

static tfc_object *queue_create(const char *container, const char *name, void *arg)
{
    (void)container;
    const tfc_queue_spec *spec = arg;
    tfc_queue *q = tfc_calloc(1, sizeof *q);
    if (!q) return NULL;
    q->n = spec->n_components;
    q->n_shapes = spec->n_shapes;
    q->name = tfc_strdup(name);
    q->op_type = tfc_strdup(spec->op_type);
    q->types = tfc_calloc((size_t)q->n + 1, sizeof *q->types);
    q->shapes = tfc_calloc((size_t)q->n_shapes + 1, sizeof *q->shapes);
    if (!q->name || !q->op_type || !q->types || !q->shapes) {
        tfc_free(q->name), tfc_free(q->op_type), tfc_free(q->types), tfc_free(q->shapes), tfc_free(q);
        return NULL;
    }
    memcpy(q->types, spec->types, sizeof *q->types * (size_t)q->n);
    if (q->n_shapes) memcpy(q->shapes, spec->shapes, sizeof *q->shapes * (size_t)q->n_shapes);
    q->kind = spec->kind;
    q->capacity = spec->capacity < 0 ? INT32_MAX : spec->capacity;
    q->min_after_dequeue = spec->min_after_dequeue < 0 ? 0 : spec->min_after_dequeue; /* negative: none kept */
    q->rng = initial_rng(spec, q);
    tfc_object_init(&q->base, TFC_OBJECT_QUEUE, queue_destroy);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    return &q->base;
}

TF_Code tfc_queue_spec_check(const tfc_queue_spec *spec, TF_Status *st)
{
    char buf[256];
    if (spec->kind == TFC_QUEUE_PADDING_FIFO && spec->n_shapes != spec->n_components)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "Shapes must be provided for all components, but received "
                              "%d dtypes and %d shapes.", spec->n_components, spec->n_shapes);
    if (spec->n_shapes && spec->n_shapes != spec->n_components)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "Different number of component types.  Types: %d, Shapes: %d",
                              spec->n_components, spec->n_shapes);
    for (int i = 0; i < spec->n_shapes; i++) {
        const tfc_pshape *s = &spec->shapes[i];
        if (spec->kind == TFC_QUEUE_PADDING_FIFO && s->rank < 0)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "shape %s must have known rank.",
                                  tfc_pshape_str(s, buf, sizeof buf));
        if (spec->kind != TFC_QUEUE_PADDING_FIFO && !tfc_pshape_fully_defined(s))
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "shapes[%d] %s must be fully defined (only "
                                  "PaddingFIFOQueue takes unknown dimensions)", i, tfc_pshape_str(s, buf, sizeof buf));
        if (s->rank + 1 > TFC_MAX_RANK)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "shapes[%d] has rank %d; batches of it exceed the "
                                  "maximum rank", i, s->rank);
    }
    int64_t capacity = spec->capacity < 0 ? INT32_MAX : spec->capacity;
    if (spec->kind == TFC_QUEUE_RANDOM_SHUFFLE && spec->min_after_dequeue >= capacity)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "min_after_dequeue %" PRId64 " must be < capacity %" PRId64,
                              spec->min_after_dequeue, capacity);
    return TF_OK;
}

static const char *types_str(const TF_DataType *t, int n, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && at < size; i++) at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "", tfc_dtype_name(t[i]));
    return buf;
}

static const char *shapes_str(const tfc_pshape *s, int n, char *buf, size_t size)
{
    size_t at = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < n && at < size; i++) {
        char one[256];
        at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "", tfc_pshape_str(&s[i], one, sizeof one));
    }
    if (at < size) snprintf(buf + at, size - at, "]");
    return buf;
}

static bool same_shapes(const tfc_queue *q, const tfc_queue_spec *spec)
{
    if (q->n_shapes != spec->n_shapes) return false;
    for (int i = 0; i < q->n_shapes; i++) {
        const tfc_pshape *a = &q->shapes[i], *b = &spec->shapes[i];
        if (a->rank != b->rank || (a->rank > 0 && memcmp(a->dims, b->dims, sizeof(int64_t) * (size_t)a->rank)))
            return false;
    }
    return true;
}

/* As TensorFlow's QueueBase::MatchesNodeDef: a shared queue must be asked for as it was made. */
static TF_Code check_match(const tfc_queue *q, const tfc_queue_spec *spec, TF_Status *st, const char *what)
{
    char a[1024], b[1024];
    int64_t capacity = spec->capacity < 0 ? INT32_MAX : spec->capacity;
    if (strcmp(q->op_type, spec->op_type))
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: Shared queue '%s' has type '%s' that does not match "
                              "the requested type '%s'", what, q->name, q->op_type, spec->op_type);
    if (q->capacity != capacity)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: Shared queue '%s' has capacity %" PRId64
                              " but requested capacity was %" PRId64, what, q->name, q->capacity, capacity);
    if (q->n != spec->n_components || memcmp(q->types, spec->types, sizeof *q->types * (size_t)q->n))
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: Shared queue '%s' has component types %s but requested "
                              "component types were %s", what, q->name, types_str(q->types, q->n, a, sizeof a),
                              types_str(spec->types, spec->n_components, b, sizeof b));
    if (!same_shapes(q, spec))
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: Shared queue '%s' has component shapes %s but requested "
                              "component shapes were %s", what, q->name, shapes_str(q->shapes, q->n_shapes, a, sizeof a),
                              shapes_str(spec->shapes, spec->n_shapes, b, sizeof b));
    int64_t min_after = spec->min_after_dequeue < 0 ? 0 : spec->min_after_dequeue;
    if (q->kind == TFC_QUEUE_RANDOM_SHUFFLE && q->min_after_dequeue != min_after)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: Shared queue '%s' has min_after_dequeue %" PRId64
                              " but requested min_after_dequeue was %" PRId64, what, q->name, q->min_after_dequeue,
                              min_after);
    return TF_OK;
}

TF_Code tfc_queue_lookup_or_create(tfc_resource_mgr *m, const char *container, const char *name,
                                   const tfc_queue_spec *spec, tfc_queue **out, TF_Status *st, const char *what)
{
    tfc_object *o = NULL;
    *out = NULL;
    TF_Code rc = tfc_resource_lookup_or_create(m, container, name, TFC_OBJECT_QUEUE, queue_create, (void *)spec, &o,
                                               st, what);
    if (rc) return rc;
    tfc_queue *q = (tfc_queue *)o;
    rc = check_match(q, spec, st, what);
    if (rc) {
        tfc_object_unref(o);
        return rc;
    }
    *out = q;
    return TF_OK;
}

TF_Tensor *tfc_queue_new_handle(tfc_queue *q) { return tfc_tensor_new_handle(TF_RESOURCE, &q->base); }

tfc_queue *tfc_queue_from_handle(const TF_Tensor *t)
{
    tfc_object *o = tfc_tensor_object(t);
    return t && o && o->kind == TFC_OBJECT_QUEUE && t->dtype == TF_RESOURCE ? (tfc_queue *)o : NULL;
}

void tfc_queue_unref(tfc_queue *q)
{
    if (q) tfc_object_unref(&q->base);
}

int tfc_queue_num_components(const tfc_queue *q) { return q->n; }
const TF_DataType *tfc_queue_types(const tfc_queue *q) { return q->types; }

int64_t tfc_queue_size(tfc_queue *q)
{
    pthread_mutex_lock(&q->mu);
    int64_t n = q->count;
    pthread_mutex_unlock(&q->mu);
    return n;
}

bool tfc_queue_is_closed(tfc_queue *q)
{
    pthread_mutex_lock(&q->mu);
    bool c = q->closed;
    pthread_mutex_unlock(&q->mu);
    return c;
}

/* ---- attempts, in order ---- */

static void side_join(side *s, attempt *a)
{
    a->next = NULL;
    if (s->tail) s->tail->next = a;
    else s->head = a;
    s->tail = a;
}

/* Unlinks a (served or given up) and wakes the others: the next attempt may be at the head now. */
static void side_leave(tfc_queue *q, side *s, attempt *a)
{
    attempt **p = &s->head, *prev = NULL;
    while (*p && *p != a) prev = *p, p = &(*p)->next;
    if (*p) {
        *p = a->next;
        if (s->tail == a) s->tail = prev;
    }
    pthread_cond_broadcast(&q->cv);
}

/* ---- the ring ---- */

static TF_Tensor **slot(tfc_queue *q, int64_t i) { return &q->ring[((q->head + i) % q->ring_cap) * q->n]; }

/* Makes room for one more element. Called locked. */
static TF_Code ring_reserve(tfc_queue *q, TF_Status *st)
{
    if (q->count < q->ring_cap) return TF_OK;
    int64_t cap = q->ring_cap ? q->ring_cap * 2 : 16, bytes;
    if (!tfc_mul_checked_i64(cap, (int64_t)q->n * (int64_t)sizeof(TF_Tensor *), &bytes))
        return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "queue '%s' is too large", q->name);
    TF_Tensor **r = tfc_malloc((size_t)bytes);
    if (!r) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory growing queue '%s'", q->name);
    for (int64_t i = 0; i < q->count; i++) memcpy(&r[i * q->n], slot(q, i), sizeof *r * (size_t)q->n);
    tfc_free(q->ring);
    q->ring = r;
    q->ring_cap = cap;
    q->head = 0;
    return TF_OK;
}

/* Appends elem (n tensors, ownership taken: the caller's pointers are cleared). Called locked. */
static TF_Code push(tfc_queue *q, TF_Tensor **elem, TF_Status *st)
{
    TF_Code rc = ring_reserve(q, st);
    if (rc) return rc;
    memcpy(slot(q, q->count), elem, sizeof *elem * (size_t)q->n);
    memset(elem, 0, sizeof *elem * (size_t)q->n);
    q->count++;
    return TF_OK;
}

/* Removes one element into out (n tensors): the front, or for RandomShuffleQueue a random one
 * whose place the last element takes. Called locked, count > 0. */
static void pop(tfc_queue *q, TF_Tensor **out)
{
    int64_t i = 0;
    if (q->kind == TFC_QUEUE_RANDOM_SHUFFLE)
        i = (int64_t)(((unsigned __int128)splitmix64(&q->rng) * (uint64_t)q->count) >> 64);
    memcpy(out, slot(q, i), sizeof *out * (size_t)q->n);
    if (i != q->count - 1 && q->kind == TFC_QUEUE_RANDOM_SHUFFLE)
        memcpy(slot(q, i), slot(q, q->count - 1), sizeof *out * (size_t)q->n);
    if (q->kind != TFC_QUEUE_RANDOM_SHUFFLE) q->head = (q->head + 1) % q->ring_cap;
    q->count--;
}

/* Puts m elements (elems[i * n + c], ownership taken) back at the front in their order: a
 * dequeue that gave up returns what it took. Called locked. Out of memory (the ring may have
 * to grow: others enqueued meanwhile) drops the elements that do not fit. */
static void unpop_front(tfc_queue *q, TF_Tensor **elems, int64_t m)
{
    TF_Status st = { 0 };
    for (int64_t i = m - 1; i >= 0; i--) {
        TF_Tensor **e = &elems[i * q->n];
        if (ring_reserve(q, &st)) {
            for (int c = 0; c < q->n; c++) TF_DeleteTensor(e[c]), e[c] = NULL;
            continue;
        }
        q->head = (q->head + q->ring_cap - 1) % q->ring_cap;
        memcpy(slot(q, 0), e, sizeof *e * (size_t)q->n);
        memset(e, 0, sizeof *e * (size_t)q->n);
        q->count++;
    }
    tfc_status_clear(&st);
}

/* ---- enqueue ---- */

static void free_elems(TF_Tensor **e, int64_t n)
{
    for (int64_t i = 0; e && i < n; i++) TF_DeleteTensor(e[i]);
    tfc_free(e);
}

/* Records st's error on k, prefixed with the op as every kernel error is, and clears st. */
static TF_Code fail_with(tfc_kernel_ctx *k, TF_Status *st)
{
    TF_Code rc = tfc_kernel_error(k, st->code ? st->code : TF_INTERNAL, "%s", st->msg ? st->msg : "failed");
    tfc_status_clear(st);
    return rc;
}

/* Waits until a (an enqueue attempt joined at epoch) may push one element. Called locked. */
static TF_Code wait_enqueue(tfc_queue *q, tfc_kernel_ctx *k, attempt *a, uint64_t epoch)
{
    for (;;) {
        if (q->cancel_epoch != epoch) return tfc_kernel_error(k, TF_CANCELLED, "Enqueue operation was cancelled");
        if (q->enq.head == a && q->closed)
            return tfc_kernel_error(k, TF_CANCELLED, "%s '%s' is closed.", kind_name(q->kind), q->name);
        if (q->enq.head == a && q->count < q->capacity) return TF_OK;
        TF_Code rc = tfc_kernel_wait(k, &q->cv, &q->mu);
        if (rc) return rc;
    }
}

/* Pushes m elements (elems[i * n + c]), blocking for room; elements not pushed stay in elems. */
static TF_Code enqueue_elems(tfc_queue *q, tfc_kernel_ctx *k, TF_Tensor **elems, int64_t m)
{
    attempt a;
    TF_Code rc = TF_OK;
    pthread_mutex_lock(&q->mu);
    uint64_t epoch = q->cancel_epoch;
    side_join(&q->enq, &a);
    for (int64_t i = 0; i < m && !rc; i++) {
        rc = wait_enqueue(q, k, &a, epoch);
        TF_Status st = { 0 };
        if (!rc && push(q, &elems[i * q->n], &st)) rc = fail_with(k, &st);
        if (!rc) pthread_cond_broadcast(&q->cv); /* a dequeue may be waiting for it */
    }
    side_leave(q, &q->enq, &a);
    pthread_mutex_unlock(&q->mu);
    return rc;
}

/* The queue's shape of component c for messages and checks: [batch] + shape when batch >= 0. */
static tfc_pshape expected_shape(const tfc_queue *q, int c, int64_t batch)
{
    const tfc_pshape *s = &q->shapes[c];
    if (batch < 0) return *s;
    tfc_pshape e = tfc_pshape_unknown_dims(s->rank + 1);
    e.dims[0] = batch;
    for (int d = 0; d < s->rank; d++) e.dims[d + 1] = s->dims[d];
    return e;
}

/* Appends "a, b, c" (the dtype names of n entries read by type_at) to buf at *at. */
static void append_types(char *buf, size_t size, size_t *at, int n, TF_DataType (*type_at)(const void *, int),
                         const void *arg)
{
    for (int i = 0; i < n && *at < size; i++)
        *at += (size_t)snprintf(buf + *at, size - *at, "%s%s", i ? ", " : "", tfc_dtype_name(type_at(arg, i)));
}

static TF_DataType input_type(const void *k, int i) { return ((const tfc_kernel_ctx *)k)->inputs[i]->dtype; }
static TF_DataType output_type(const void *k, int i) { return ((const tfc_kernel_ctx *)k)->output_types[i]; }
static TF_DataType queue_type(const void *q, int i) { return i ? ((const tfc_queue *)q)->types[i - 1] : TF_RESOURCE; }
static TF_DataType queue_comp_type(const void *q, int i) { return ((const tfc_queue *)q)->types[i]; }

/* The op's component dtypes (an enqueue's inputs after the handle, a dequeue's outputs) must be
 * the queue's; the message is TensorFlow's MatchSignature one. */
static TF_Code check_signature(const tfc_queue *q, tfc_kernel_ctx *k, bool enqueue)
{
    bool ok = enqueue ? k->n_inputs == 1 + q->n : k->n_outputs == q->n;
    for (int c = 0; ok && c < q->n; c++) ok = (enqueue ? k->inputs[1 + c]->dtype : k->output_types[c]) == q->types[c];
    if (ok) return TF_OK;
    char have[512], want[512];
    size_t h = 0, w = 0;
    append_types(have, sizeof have, &h, k->n_inputs, input_type, k);
    if (h < sizeof have) h += (size_t)snprintf(have + h, sizeof have - h, "->");
    append_types(have, sizeof have, &h, k->n_outputs, output_type, k);
    if (enqueue) append_types(want, sizeof want, &w, 1 + q->n, queue_type, q);
    else append_types(want, sizeof want, &w, k->n_inputs, input_type, k);
    if (w < sizeof want) w += (size_t)snprintf(want + w, sizeof want - w, "->");
    if (!enqueue) append_types(want, sizeof want, &w, q->n, queue_comp_type, q);
    return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Signature mismatch, have: %s expected: %s", have, want);
}

/* Components' dtypes and shapes against the queue's, and EnqueueMany's common batch size (*m). */
static TF_Code check_components(tfc_queue *q, tfc_kernel_ctx *k, bool many, int64_t *m)
{
    *m = 1;
    if (check_signature(q, k, true)) return k->status->code;
    for (int c = 0; c < q->n; c++) {
        const TF_Tensor *t = k->inputs[1 + c];
        char a[256], b[256];
        if (many && t->ndims == 0)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Shape mismatch in tuple component %d. Expected a batch "
                                    "(rank >= 1), got []", c);
        if (many && c == 0) *m = t->dims[0];
        if (many && t->dims[0] != *m)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "All input tensors must have the same size in the 0th "
                                    "dimension. Component %d has %" PRId64 ", and should have %" PRId64, c,
                                    t->dims[0], *m);
        if (!q->n_shapes) continue;
        tfc_pshape e = expected_shape(q, c, many ? *m : -1);
        if (!tfc_pshape_matches(&e, t->dims, t->ndims))
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Shape mismatch in tuple component %d. Expected %s, got %s",
                                    c, tfc_pshape_str(&e, a, sizeof a), tfc_dims_str(t->dims, t->ndims, b, sizeof b));
    }
    return TF_OK;
}

/* The elements to enqueue, as new tensors owned by the queue: the components themselves for one
 * element (shared when nobody else may write them, else copied), their rows for many. */
static TF_Code make_elems(tfc_queue *q, tfc_kernel_ctx *k, bool many, int64_t m, TF_Tensor ***out)
{
    int64_t total;
    *out = NULL;
    if (!tfc_mul_checked_i64(m, q->n, &total) || (uint64_t)total > SIZE_MAX / sizeof(TF_Tensor *))
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "too many elements (%" PRId64 ")", m);
    TF_Tensor **e = tfc_calloc((size_t)total + 1, sizeof *e);
    if (!e) return tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
    TF_Code rc = TF_OK;
    TF_Status st = { 0 };
    for (int c = 0; c < q->n && !rc; c++) {
        const TF_Tensor *t = k->inputs[1 + c];
        if (!many && k->input_forwardable && k->input_forwardable[1 + c] && tfc_tensor_is_exclusive(t)) {
            e[c] = tfc_tensor_ref(t);
            if (!e[c]) rc = tfc_status_set(&st, TF_RESOURCE_EXHAUSTED, "out of memory");
        } else if (!many) {
            rc = tfc_tensor_copy(t, &e[c], &st);
        }
        for (int64_t i = 0; many && i < m && !rc; i++) rc = tfc_queue_slice_row(t, i, &e[i * q->n + c], &st);
    }
    if (rc) {
        free_elems(e, total);
        return fail_with(k, &st);
    }
    *out = e;
    return TF_OK;
}

TF_Code tfc_queue_enqueue(tfc_queue *q, tfc_kernel_ctx *k, bool many)
{
    int64_t m;
    TF_Tensor **elems = NULL;
    TF_Code rc = check_components(q, k, many, &m);
    if (!rc) rc = make_elems(q, k, many, m, &elems);
    if (!rc) rc = enqueue_elems(q, k, elems, m);
    free_elems(elems, m * q->n);
    return rc;
}

/* ---- dequeue ---- */

/* How many elements a dequeue may take now: RandomShuffleQueue keeps min_after_dequeue back
 * until it is closed. Called locked. */
static int64_t available(const tfc_queue *q)
{
    if (q->kind != TFC_QUEUE_RANDOM_SHUFFLE || q->closed) return q->count;
    return q->count > q->min_after_dequeue ? q->count - q->min_after_dequeue : 0;
}

/* What one dequeue attempt holds: taken elements, n tensors each (e[i * n + c]). */
typedef struct batch {
    TF_Tensor **e;
    int64_t taken, cap;
} batch;

/* Pops m more elements into b. Called locked, m <= available(q). */
static TF_Code take_more(tfc_queue *q, tfc_kernel_ctx *k, batch *b, int64_t m, int64_t n)
{
    if (b->taken + m > b->cap) {
        int64_t cap = b->cap ? b->cap * 2 : 16, bytes;
        if (cap > n) cap = n;
        if (cap < b->taken + m) cap = b->taken + m;
        if (!tfc_mul_checked_i64(cap, (int64_t)q->n * (int64_t)sizeof(TF_Tensor *), &bytes))
            return tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory dequeuing %" PRId64 " elements", n);
        TF_Tensor **e = tfc_realloc(b->e, (size_t)bytes);
        if (!e) return tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory dequeuing %" PRId64 " elements", n);
        b->e = e;
        b->cap = cap;
    }
    for (int64_t i = 0; i < m; i++) pop(q, &b->e[(b->taken + i) * q->n]);
    b->taken += m;
    pthread_cond_broadcast(&q->cv); /* enqueues blocked on a full queue may go on */
    return TF_OK;
}

/* One look at the queue by the attempt at the head of the dequeue side: takes what it may toward
 * n. *done once b holds the result. Once the queue is closed and can no longer supply n, the
 * elements taken go back (TensorFlow restores them too) and up_to takes all that is left.
 * Called locked. */
static TF_Code try_dequeue(tfc_queue *q, tfc_kernel_ctx *k, batch *b, int64_t n, bool up_to, bool *done)
{
    int64_t avail = available(q);
    *done = false;
    if (q->closed && b->taken + avail < n) {
        unpop_front(q, b->e, b->taken);
        b->taken = 0;
        if (!up_to || q->count == 0)
            return tfc_kernel_error(k, TF_OUT_OF_RANGE, "%s '%s' is closed and has insufficient elements "
                                    "(requested %" PRId64 ", current size %" PRId64 ")", kind_name(q->kind),
                                    q->name, n, q->count);
        n = q->count; /* closed: available() is the whole queue */
        avail = n;
    }
    int64_t m = avail < n - b->taken ? avail : n - b->taken;
    TF_Code rc = m > 0 ? take_more(q, k, b, m, n) : TF_OK;
    *done = !rc && b->taken == n;
    return rc;
}

/* Takes n elements (up_to: fewer once the queue is closed) into b, waiting for them in turn. A
 * failed attempt (closed, deadline, cancelled) gives back what it took. */
static TF_Code take_elems(tfc_queue *q, tfc_kernel_ctx *k, int64_t n, bool up_to, batch *b)
{
    attempt a;
    TF_Code rc = TF_OK;
    pthread_mutex_lock(&q->mu);
    side_join(&q->deq, &a);
    for (bool done = false; !done;) {
        if (q->deq.head == &a) rc = try_dequeue(q, k, b, n, up_to, &done);
        if (!rc && !done) rc = tfc_kernel_wait(k, &q->cv, &q->mu);
        if (rc) break;
    }
    if (rc) {
        unpop_front(q, b->e, b->taken);
        b->taken = 0;
    }
    side_leave(q, &q->deq, &a); /* broadcasts: the next dequeue may be at the head now */
    pthread_mutex_unlock(&q->mu);
    return rc;
}

/* Sets the outputs to the stacked elements; an empty batch takes the queue's shapes. */
static TF_Code stack_outputs(tfc_queue *q, tfc_kernel_ctx *k, TF_Tensor **e, int64_t taken)
{
    for (int c = 0; c < q->n; c++) {
        TF_Tensor *out = NULL;
        TF_Status st = { 0 };
        if (tfc_queue_stack(e + c, taken, q->n, q->types[c], q->kind == TFC_QUEUE_PADDING_FIFO,
                            q->n_shapes ? &q->shapes[c] : NULL, &out, &st))
            return fail_with(k, &st);
        tfc_kernel_set_output(k, c, out);
    }
    return TF_OK;
}

TF_Code tfc_queue_dequeue(tfc_queue *q, tfc_kernel_ctx *k, tfc_dequeue_mode mode, int64_t n)
{
    if (check_signature(q, k, false)) return k->status->code;
    if (mode != TFC_DEQUEUE_ONE && q->kind != TFC_QUEUE_PADDING_FIFO && !q->n_shapes)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s's DequeueMany and DequeueUpTo require the components to "
                                "have specified shapes.", kind_name(q->kind));
    if (mode == TFC_DEQUEUE_ONE) n = 1;
    if (n < 0) return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Input 'n' must be >= 0, but is %" PRId64, n);
    batch b = { 0 };
    TF_Code rc = n ? take_elems(q, k, n, mode == TFC_DEQUEUE_UP_TO, &b) : TF_OK;
    if (!rc && mode == TFC_DEQUEUE_ONE) {
        for (int c = 0; c < q->n; c++) tfc_kernel_set_output(k, c, b.e[c]), b.e[c] = NULL;
    } else if (!rc) {
        rc = stack_outputs(q, k, b.e, b.taken);
    }
    free_elems(b.e, b.taken * q->n);
    return rc;
}

/* ---- close ---- */

TF_Code tfc_queue_close(tfc_queue *q, tfc_kernel_ctx *k, bool cancel_pending_enqueues)
{
    TF_Code rc = TF_OK;
    pthread_mutex_lock(&q->mu);
    if (cancel_pending_enqueues) {
        q->closed = true;
        q->cancel_epoch++;
        pthread_cond_broadcast(&q->cv);
    } else {
        attempt a;
        side_join(&q->enq, &a); /* behind the enqueues already waiting, which may still succeed */
        while (!rc && q->enq.head != &a) rc = tfc_kernel_wait(k, &q->cv, &q->mu);
        if (!rc && q->closed) rc = tfc_kernel_error(k, TF_CANCELLED, "Queue '%s' is already closed.", q->name);
        if (!rc) q->closed = true;
        side_leave(q, &q->enq, &a);
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}
