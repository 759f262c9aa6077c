/* tensor: TF_Tensor and its reference-counted tfc_buffer (see tensor.h), and the public tensor API
 * of include/tfc/c_api.h. Sizes come from the overflow-checked helpers of shape.h. A buffer's
 * reference count is atomic because tensors are shared between executor threads. */
#include "core/tensor.h"

#include <string.h>

#include "core/alloc.h"
#include "core/device.h"
#include "core/dtype.h"
#include "core/object.h"
#include "core/shape.h"

/* ---- buffers ---- */

static tfc_buffer *buffer_new(void *data, size_t len, bool owned)
{
    tfc_buffer *b = tfc_calloc(1, sizeof *b);
    if (!b) return NULL;
    atomic_init(&b->refs, 1);
    b->data = data;
    b->len = len;
    b->owned = owned;
    return b;
}

static void buffer_ref(tfc_buffer *b) { atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed); }

static void buffer_release_data(tfc_buffer *b)
{
    if (b->object) {
        tfc_object_unref(b->object);
        return;
    }
    if (!b->owned) {
        if (b->dealloc) b->dealloc(b->data, b->len, b->dealloc_arg);
        return;
    }
    if (b->dtype_for_strings == TF_STRING) {
        TF_TString *s = b->data;
        for (int64_t i = 0; i < b->n_strings; i++) TF_TString_Dealloc(&s[i]);
    }
    if (b->device && b->device->ops && b->device->ops->free) {
        b->device->ops->free(b->device, b->data);
    } else {
        tfc_aligned_free(b->data);
    }
}

static void buffer_unref(tfc_buffer *b)
{
    if (!b) return;
    if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) != 1) return;
    buffer_release_data(b);
    tfc_free(b);
}

/* A new owned, aligned host buffer of len bytes. TF_STRING buffers get every whole TF_TString
 * slot initialised empty, so any shape TF_SetShape later allows reads valid strings. */
static tfc_buffer *buffer_alloc(TF_DataType dtype, size_t len)
{
    void *data = tfc_aligned_alloc(len);
    if (!data) return NULL;
    tfc_buffer *b = buffer_new(data, len, true);
    if (!b) {
        tfc_aligned_free(data);
        return NULL;
    }
    if (dtype == TF_STRING) {
        TF_TString *s = data;
        b->dtype_for_strings = TF_STRING;
        b->n_strings = (int64_t)(len / sizeof(TF_TString));
        for (int64_t i = 0; i < b->n_strings; i++) TF_TString_Init(&s[i]);
    }
    return b;
}

/* ---- tensors ---- */

/* A tensor struct viewing buf (takes over the caller's reference). dims already validated. */
static TF_Tensor *tensor_wrap(TF_DataType dtype, const int64_t *dims, int ndims, int64_t nelems,
                              size_t nbytes, tfc_buffer *buf)
{
    TF_Tensor *t = tfc_malloc(sizeof *t);
    if (!t) return NULL;
    t->dtype = dtype;
    t->ndims = ndims;
    if (ndims > 0) memcpy(t->dims, dims, (size_t)ndims * sizeof dims[0]);
    t->nelems = nelems;
    t->nbytes = nbytes;
    t->buf = buf;
    return t;
}

/* Element count and byte size of a shape; bytes is left 0 for dtypes without a fixed size
 * (RESOURCE, VARIANT) when allow_unsized. */
static TF_Code shape_sizes(TF_DataType dtype, const int64_t *dims, int ndims, bool allow_unsized,
                           int64_t *nelems, size_t *nbytes, TF_Status *st, const char *what)
{
    *nbytes = 0;
    if (!tfc_dtype_valid((int)dtype)) {
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s%sinvalid dtype %d", what ? what : "",
                              what ? ": " : "", (int)dtype);
    }
    TF_Code rc = tfc_num_elements(dims, ndims, nelems, st, what);
    if (rc) return rc;
    if (allow_unsized && tfc_dtype_elem_size((int)dtype) == 0) return TF_OK;
    return tfc_byte_size(dtype, *nelems, nbytes, st, what);
}

/* A new tensor with a new owned buffer of max(alloc_len, size of the shape) bytes. */
static TF_Code tensor_alloc(TF_DataType dtype, const int64_t *dims, int ndims, size_t alloc_len,
                            TF_Tensor **out, TF_Status *st, const char *what)
{
    int64_t nelems;
    size_t nbytes;
    *out = NULL;
    TF_Code rc = shape_sizes(dtype, dims, ndims, false, &nelems, &nbytes, st, what);
    if (rc) return rc;
    size_t len = alloc_len > nbytes ? alloc_len : nbytes;
    tfc_buffer *b = buffer_alloc(dtype, len);
    TF_Tensor *t = b ? tensor_wrap(dtype, dims, ndims, nelems, nbytes, b) : NULL;
    if (!t) {
        buffer_unref(b);
        return tfc_status_set(st, TF_RESOURCE_EXHAUSTED,
                              "%s%sout of memory allocating a %s tensor of %zu bytes", what ? what : "",
                              what ? ": " : "", tfc_dtype_name((int)dtype), len);
    }
    *out = t;
    return TF_OK;
}

TF_Code tfc_tensor_new(TF_DataType dtype, const int64_t *dims, int ndims, TF_Tensor **out, TF_Status *st,
                       const char *what)
{
    if (!out) return tfc_status_set(st, TF_INVALID_ARGUMENT, "tfc_tensor_new: out is NULL");
    return tensor_alloc(dtype, dims, ndims, 0, out, st, what);
}

TF_Tensor *tfc_tensor_ref(const TF_Tensor *t)
{
    if (!t || !t->buf) return NULL;
    TF_Tensor *r = tensor_wrap(t->dtype, t->dims, t->ndims, t->nelems, t->nbytes, t->buf);
    if (r) buffer_ref(t->buf);
    return r;
}

TF_Tensor *tfc_tensor_ref_reshaped(const TF_Tensor *t, const int64_t *dims, int ndims)
{
    int64_t n;
    if (!t || !t->buf || tfc_num_elements(dims, ndims, &n, NULL, NULL) || n != t->nelems) return NULL;
    TF_Tensor *r = tensor_wrap(t->dtype, dims, ndims, n, t->nbytes, t->buf);
    if (r) buffer_ref(t->buf);
    return r;
}

bool tfc_tensor_is_exclusive(const TF_Tensor *t)
{
    return t && t->buf && t->buf->owned && atomic_load_explicit(&t->buf->refs, memory_order_acquire) == 1;
}

/* Deep-copies t's string elements into the fresh tensor c (whose elements are empty). */
static TF_Code copy_strings(const TF_Tensor *t, TF_Tensor *c, TF_Status *st)
{
    const TF_TString *src = t->buf->data;
    TF_TString *dst = c->buf->data;
    for (int64_t i = 0; i < t->nelems; i++) {
        size_t n = TF_TString_GetSize(&src[i]);
        char *d = TF_TString_ResizeUninitialized(&dst[i], n);
        if (!d) {
            return tfc_status_set(st, TF_RESOURCE_EXHAUSTED,
                                  "out of memory copying a %zu-byte string element", n);
        }
        if (n) memcpy(d, TF_TString_GetDataPointer(&src[i]), n);
    }
    return TF_OK;
}

TF_Tensor *tfc_tensor_new_handle(TF_DataType dtype, tfc_object *obj)
{
    tfc_buffer *b = buffer_new(NULL, sizeof obj, false);
    if (!b) return NULL;
    b->object = tfc_object_ref(obj);
    b->data = &b->object;
    TF_Tensor *t = tensor_wrap(dtype, NULL, 0, 1, sizeof obj, b);
    if (!t) buffer_unref(b);
    return t;
}

tfc_object *tfc_tensor_object(const TF_Tensor *t) { return t && t->buf ? t->buf->object : NULL; }

/* The copy lives in host memory; data on another device is copied with the device's copy_to_host. */
TF_Code tfc_tensor_copy(const TF_Tensor *t, TF_Tensor **out, TF_Status *st)
{
    if (!out) return tfc_status_set(st, TF_INVALID_ARGUMENT, "tfc_tensor_copy: out is NULL");
    *out = NULL;
    if (!t || !t->buf) return tfc_status_set(st, TF_INVALID_ARGUMENT, "tfc_tensor_copy: tensor is NULL");
    if (t->buf->object) { /* a handle: the copy refers to the same object */
        *out = tfc_tensor_new_handle(t->dtype, t->buf->object);
        return *out ? TF_OK : tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory copying a handle");
    }
    tfc_buffer *b = buffer_alloc(t->dtype, t->nbytes);
    TF_Tensor *c = b ? tensor_wrap(t->dtype, t->dims, t->ndims, t->nelems, t->nbytes, b) : NULL;
    if (!c) {
        buffer_unref(b);
        return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory copying a tensor of %zu bytes",
                              t->nbytes);
    }
    TF_Code rc = TF_OK;
    const tfc_device *dev = t->buf->device;
    if (t->dtype == TF_STRING) {
        rc = copy_strings(t, c, st);
    } else if (dev && dev->ops && dev->ops->copy_to_host) {
        rc = dev->ops->copy_to_host(dev, c->buf->data, t->buf->data, t->nbytes, st);
    } else if (t->nbytes) {
        memcpy(c->buf->data, t->buf->data, t->nbytes);
    }
    if (rc) {
        TF_DeleteTensor(c);
        return rc;
    }
    *out = c;
    return TF_OK;
}

/* ---- tensors in device memory ---- */

bool tfc_device_is_host(const tfc_device *d) { return !d || !strcmp(d->type, "CPU"); }

TF_Code tfc_tensor_new_on(const tfc_device *dev, TF_DataType dtype, const int64_t *dims, int ndims, TF_Tensor **out,
                          TF_Status *st, const char *what)
{
    if (tfc_device_is_host(dev)) return tfc_tensor_new(dtype, dims, ndims, out, st, what);
    *out = NULL;
    int64_t nelems;
    size_t nbytes;
    TF_Code rc = shape_sizes(dtype, dims, ndims, false, &nelems, &nbytes, st, what);
    if (rc) return rc;
    if (dtype == TF_STRING)
        return tfc_status_set(st, TF_INTERNAL, "%s%sstring tensors cannot live on %s", what ? what : "",
                              what ? ": " : "", dev->name);
    void *data = dev->ops->alloc(dev, nbytes);
    tfc_buffer *b = data ? buffer_new(data, nbytes, true) : NULL;
    TF_Tensor *t = b ? tensor_wrap(dtype, dims, ndims, nelems, nbytes, b) : NULL;
    if (b) b->device = dev;
    if (!t) {
        if (b) buffer_unref(b);
        else if (data) dev->ops->free(dev, data);
        return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "%s%sout of memory allocating a %s tensor of %zu bytes on %s",
                              what ? what : "", what ? ": " : "", tfc_dtype_name((int)dtype), nbytes, dev->name);
    }
    *out = t;
    return TF_OK;
}

bool tfc_tensor_in_memory_of(const TF_Tensor *t, const tfc_device *dev)
{
    if (!t->buf || t->buf->object) return true;
    return tfc_device_is_host(dev) ? tfc_tensor_on_host(t) : t->buf->device == dev;
}

TF_Code tfc_tensor_clone(const TF_Tensor *t, TF_Tensor **out, TF_Status *st)
{
    const tfc_device *dev = t && t->buf ? t->buf->device : NULL;
    if (tfc_device_is_host(dev) || t->buf->object) return tfc_tensor_copy(t, out, st);
    TF_Code rc = tfc_tensor_new_on(dev, t->dtype, t->dims, t->ndims, out, st, NULL);
    if (!rc) rc = dev->ops->copy_within(dev, (*out)->buf->data, t->buf->data, t->nbytes, st);
    if (rc) {
        TF_DeleteTensor(*out);
        *out = NULL;
    }
    return rc;
}

TF_Code tfc_tensor_copy_to(const TF_Tensor *t, const tfc_device *dev, TF_Tensor **out, TF_Status *st)
{
    if (tfc_device_is_host(dev)) return tfc_tensor_copy(t, out, st); /* brings device data back too */
    if (t->buf && t->buf->device == dev) return tfc_tensor_clone(t, out, st);
    *out = NULL;
    TF_Tensor *host = NULL, *c = NULL;
    TF_Code rc = TF_OK;
    if (!tfc_device_is_host(t->buf->device)) { /* another device: through the host */
        rc = tfc_tensor_copy(t, &host, st);
        if (rc) return rc;
        t = host;
    }
    rc = tfc_tensor_new_on(dev, t->dtype, t->dims, t->ndims, &c, st, NULL);
    if (!rc) rc = dev->ops->copy_from_host(dev, c->buf->data, t->buf->data, t->nbytes, st);
    TF_DeleteTensor(host);
    if (rc) {
        TF_DeleteTensor(c);
        return rc;
    }
    *out = c;
    return TF_OK;
}

/* ---- public API ---- */

/* Frees the small record that carries a user deallocator for an empty tensor given NULL data. */
typedef struct null_data_dealloc {
    void (*fn)(void *data, size_t len, void *arg);
    void *arg;
} null_data_dealloc;

static _Alignas(TFC_ALIGNMENT) char empty_data[TFC_ALIGNMENT];

static void call_null_data_dealloc(void *data, size_t len, void *arg)
{
    null_data_dealloc *d = arg;
    (void)data;
    if (d->fn) d->fn(NULL, len, d->arg);
    tfc_free(d);
}

/* The buffer for TF_NewTensor; NULL data (allowed for 0-element tensors) is replaced by a static
 * non-NULL pointer so kernels never see NULL data, and the deallocator still receives NULL. */
static tfc_buffer *user_buffer(void *data, size_t len, void (*dealloc)(void *, size_t, void *), void *arg)
{
    if (data) {
        tfc_buffer *b = buffer_new(data, len, false);
        if (b) {
            b->dealloc = dealloc;
            b->dealloc_arg = arg;
        }
        return b;
    }
    null_data_dealloc *d = tfc_malloc(sizeof *d);
    tfc_buffer *b = d ? buffer_new(empty_data, len, false) : NULL;
    if (!b) {
        tfc_free(d);
        return NULL;
    }
    d->fn = dealloc;
    d->arg = arg;
    b->dealloc = call_null_data_dealloc;
    b->dealloc_arg = d;
    return b;
}

TF_Tensor *TF_NewTensor(TF_DataType dtype, const int64_t *dims, int num_dims, void *data, size_t len,
                        void (*deallocator)(void *data, size_t len, void *arg), void *deallocator_arg)
{
    int64_t nelems;
    size_t nbytes;
    TF_Tensor *t = NULL;
    tfc_buffer *b = NULL;
    if (shape_sizes(dtype, dims, num_dims, true, &nelems, &nbytes, NULL, NULL) != TF_OK) goto fail;
    if (tfc_dtype_elem_size((int)dtype) == 0) nbytes = len; /* RESOURCE, VARIANT: opaque bytes */
    if (len < nbytes || (!data && nbytes > 0)) goto fail;
    b = user_buffer(data, len, deallocator, deallocator_arg);
    if (!b) goto fail;
    t = tensor_wrap(dtype, dims, num_dims, nelems, nbytes, b);
    if (!t) {
        b->dealloc = NULL; /* the deallocator runs once, below */
        if (!data) tfc_free(b->dealloc_arg);
        buffer_unref(b);
        goto fail;
    }
    return t;
fail:
    if (deallocator) deallocator(data, len, deallocator_arg);
    return NULL;
}

TF_Tensor *TF_AllocateTensor(TF_DataType dtype, const int64_t *dims, int num_dims, size_t len)
{
    int64_t nelems;
    size_t nbytes;
    if (shape_sizes(dtype, dims, num_dims, false, &nelems, &nbytes, NULL, NULL) != TF_OK) return NULL;
    if (len < nbytes) return NULL;
    TF_Tensor *t = NULL;
    if (tensor_alloc(dtype, dims, num_dims, len, &t, NULL, NULL) != TF_OK) return NULL;
    return t;
}

TF_Tensor *TF_TensorMaybeMove(TF_Tensor *tensor) { return tfc_tensor_is_exclusive(tensor) ? tensor : NULL; }

void TF_DeleteTensor(TF_Tensor *tensor)
{
    if (!tensor) return;
    buffer_unref(tensor->buf);
    tfc_free(tensor);
}

TF_DataType TF_TensorType(const TF_Tensor *tensor) { return tensor ? tensor->dtype : (TF_DataType)0; }

void TF_SetShape(TF_Tensor *tensor, const int64_t *dims, int num_dims)
{
    int64_t nelems;
    size_t nbytes;
    if (!tensor || !tensor->buf) return;
    if (shape_sizes(tensor->dtype, dims, num_dims, true, &nelems, &nbytes, NULL, NULL) != TF_OK) return;
    if (tfc_dtype_elem_size((int)tensor->dtype) == 0) nbytes = tensor->nbytes;
    if (nbytes > tensor->buf->len) return;
    tensor->ndims = num_dims;
    if (num_dims > 0) memcpy(tensor->dims, dims, (size_t)num_dims * sizeof dims[0]);
    tensor->nelems = nelems;
    tensor->nbytes = nbytes;
}

int TF_NumDims(const TF_Tensor *tensor) { return tensor ? tensor->ndims : -1; }

int64_t TF_Dim(const TF_Tensor *tensor, int dim_index)
{
    if (!tensor || dim_index < 0 || dim_index >= tensor->ndims) return -1;
    return tensor->dims[dim_index];
}

size_t TF_TensorByteSize(const TF_Tensor *tensor) { return tensor ? tensor->nbytes : 0; }

void *TF_TensorData(const TF_Tensor *tensor) { return tensor ? tfc_tensor_data(tensor) : NULL; }

int64_t TF_TensorElementCount(const TF_Tensor *tensor) { return tensor ? tensor->nelems : 0; }

void TF_TensorBitcastFrom(const TF_Tensor *from, TF_DataType type, TF_Tensor *to, const int64_t *new_dims,
                          int num_new_dims, TF_Status *status)
{
    int64_t nelems;
    size_t nbytes;
    if (!from || !to || !from->buf) {
        tfc_status_set(status, TF_INVALID_ARGUMENT, "TF_TensorBitcastFrom: tensor is NULL");
        return;
    }
    if (tfc_dtype_elem_size((int)type) == 0 || type == TF_STRING || from->dtype == TF_STRING ||
        tfc_dtype_elem_size((int)from->dtype) == 0) {
        tfc_status_set(status, TF_INVALID_ARGUMENT, "TF_TensorBitcastFrom: cannot bitcast %s to %s",
                       tfc_dtype_name((int)from->dtype), tfc_dtype_name((int)type));
        return;
    }
    if (shape_sizes(type, new_dims, num_new_dims, false, &nelems, &nbytes, status, "TF_TensorBitcastFrom")) {
        return;
    }
    if (nbytes != from->nbytes) {
        char a[512], b[512];
        tfc_status_set(status, TF_INVALID_ARGUMENT,
                       "TF_TensorBitcastFrom: %zu bytes of %s %s cannot be viewed as %s %s (%zu bytes)",
                       from->nbytes, tfc_dtype_name((int)from->dtype),
                       tfc_dims_str(from->dims, from->ndims, a, sizeof a), tfc_dtype_name((int)type),
                       tfc_dims_str(new_dims, num_new_dims, b, sizeof b), nbytes);
        return;
    }
    buffer_ref(from->buf); /* before the unref: from and to may share (or be) the same buffer */
    buffer_unref(to->buf);
    to->buf = from->buf;
    to->dtype = type;
    to->ndims = num_new_dims;
    if (num_new_dims > 0) memmove(to->dims, new_dims, (size_t)num_new_dims * sizeof new_dims[0]);
    to->nelems = nelems;
    to->nbytes = nbytes;
    tfc_status_clear(status);
}

bool TF_TensorIsAligned(const TF_Tensor *tensor)
{
    void *p = TF_TensorData(tensor);
    return p && ((uintptr_t)p % TFC_ALIGNMENT) == 0;
}

size_t TF_TensorDefaultAlignment(void) { return TFC_ALIGNMENT; }
