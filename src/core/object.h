/* object: a reference-counted runtime object that tensors can point to — a variable, later a
 * queue. Handle tensors (TF_RESOURCE, and the ref dtypes that carry a ref variable along a graph
 * edge) hold one reference to their object; the object is destroyed with its last reference.
 * Handle tensors are made only by the runtime (tfc_tensor_new_handle), so a caller's bytes can
 * never be taken for an object pointer. */
#ifndef TFC_CORE_OBJECT_H_
#define TFC_CORE_OBJECT_H_
#include <stdatomic.h>

typedef enum tfc_object_kind {
    TFC_OBJECT_VARIABLE = 1,
    TFC_OBJECT_QUEUE = 2,      /* session/queue.h */
    TFC_OBJECT_MUTEX = 3,      /* MutexV2 (kernels/cpu/data_flow_cpu.c) */
    TFC_OBJECT_MUTEX_LOCK = 4, /* MutexLock's variant: the lock is held while it lives */
} tfc_object_kind;

typedef struct tfc_object {
    atomic_int refs;
    tfc_object_kind kind;
    void (*destroy)(struct tfc_object *o); /* frees the object */
} tfc_object;

static inline void tfc_object_init(tfc_object *o, tfc_object_kind kind, void (*destroy)(tfc_object *))
{
    atomic_init(&o->refs, 1);
    o->kind = kind;
    o->destroy = destroy;
}

static inline tfc_object *tfc_object_ref(tfc_object *o)
{
    if (o) atomic_fetch_add_explicit(&o->refs, 1, memory_order_relaxed);
    return o;
}

static inline void tfc_object_unref(tfc_object *o)
{
    if (o && atomic_fetch_sub_explicit(&o->refs, 1, memory_order_acq_rel) == 1) o->destroy(o);
}

#endif
