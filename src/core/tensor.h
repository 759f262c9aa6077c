/* tensor: TF_Tensor and its reference-counted buffer.
 * A tfc_buffer is shared by every TF_Tensor that views it (Identity, Reshape, fetches, attr
 * tensors); the deallocator runs once, when the last reference goes. The executor passes
 * TF_Tensor pointers between kernels; TF_DeleteTensor drops one tensor and one buffer reference. */
#ifndef TFC_CORE_TENSOR_H_
#define TFC_CORE_TENSOR_H_
#include <stdatomic.h>
#include <stdbool.h>
#include "core/status.h"
#include "tfc/c_api.h"

struct tfc_device;

typedef struct tfc_buffer {
    atomic_int refs;
    void *data;
    size_t len;
    void (*dealloc)(void *data, size_t len, void *arg); /* NULL: not ours to free */
    void *dealloc_arg;
    bool owned;   /* allocated by tfc (tfc_aligned_alloc); TF_STRING elements are ours to free */
    TF_DataType dtype_for_strings; /* TF_STRING when owned string elements need releasing */
    int64_t n_strings;
    const struct tfc_device *device; /* where data lives; NULL means host (CPU) memory */
    struct tfc_object *object; /* handle tensors: the object (one reference); data points here */
} tfc_buffer;

struct TF_Tensor {
    TF_DataType dtype;
    int ndims;
    int64_t dims[TFC_MAX_RANK];
    int64_t nelems;
    size_t nbytes;  /* bytes this tensor views (<= buf->len) */
    tfc_buffer *buf;
};

/* A new tensor with a new tfc-owned, 64-byte aligned buffer sized for the shape (TF_STRING
 * elements initialised empty). INVALID_ARGUMENT for bad shapes or sizes, RESOURCE_EXHAUSTED when
 * memory runs out. `what` names the op (or NULL) for the message. */
TF_Code tfc_tensor_new(TF_DataType dtype, const int64_t *dims, int ndims, TF_Tensor **out, TF_Status *st,
                       const char *what);
/* A new tensor viewing t's buffer (one more buffer reference) with the same dtype and shape. */
TF_Tensor *tfc_tensor_ref(const TF_Tensor *t);
/* Same, with another shape of the same element count (Reshape). NULL if out of memory. */
TF_Tensor *tfc_tensor_ref_reshaped(const TF_Tensor *t, const int64_t *dims, int ndims);
/* True when t is the only user of its buffer and tfc owns it: a kernel may write into it. */
bool tfc_tensor_is_exclusive(const TF_Tensor *t);
/* A deep copy (strings copied too). */
TF_Code tfc_tensor_copy(const TF_Tensor *t, TF_Tensor **out, TF_Status *st);
/* A scalar handle tensor of dtype (TF_RESOURCE, or a ref dtype) holding a new reference to obj.
 * NULL when out of memory. */
TF_Tensor *tfc_tensor_new_handle(TF_DataType dtype, struct tfc_object *obj);
/* The object of a handle tensor made by tfc_tensor_new_handle; NULL for any other tensor. */
struct tfc_object *tfc_tensor_object(const TF_Tensor *t);
/* True for host memory: no device, or the CPU. */
bool tfc_device_is_host(const struct tfc_device *d);
/* Like tfc_tensor_new, with the buffer in dev's memory (host memory when dev is NULL or the CPU).
 * TF_STRING tensors live on the host only. */
TF_Code tfc_tensor_new_on(const struct tfc_device *dev, TF_DataType dtype, const int64_t *dims, int ndims,
                          TF_Tensor **out, TF_Status *st, const char *what);
/* A copy of t in the memory t lives in (host or device). */
TF_Code tfc_tensor_clone(const TF_Tensor *t, TF_Tensor **out, TF_Status *st);
/* True when t's data is in dev's memory (host memory for NULL or the CPU). Handles count as
 * everywhere. */
bool tfc_tensor_in_memory_of(const TF_Tensor *t, const struct tfc_device *dev);
/* A copy of t in dev's memory (host memory when dev is NULL or the CPU), wherever t lives. */
TF_Code tfc_tensor_copy_to(const TF_Tensor *t, const struct tfc_device *dev, TF_Tensor **out, TF_Status *st);
static inline bool tfc_tensor_on_host(const TF_Tensor *t) { return !t->buf || tfc_device_is_host(t->buf->device); }
static inline void *tfc_tensor_data(const TF_Tensor *t) { return t->buf ? t->buf->data : NULL; }

#endif
