/* variable: variable state and reads (see variable.h). */
#include "session/variable.h"

#include "core/alloc.h"
#include "core/dtype.h"

static void var_destroy(tfc_object *o)
{
    tfc_var *v = (tfc_var *)o;
    TF_DeleteTensor(v->value);
    pthread_mutex_destroy(&v->mu);
    tfc_free(v->container);
    tfc_free(v->name);
    tfc_free(v);
}

typedef struct create_args {
    TF_DataType dtype;
    bool is_resource;
} create_args;

static tfc_object *var_create(const char *container, const char *name, void *arg)
{
    const create_args *a = arg;
    tfc_var *v = tfc_calloc(1, sizeof *v);
    if (!v) return NULL;
    v->container = tfc_strdup(container);
    v->name = tfc_strdup(name);
    if (!v->name || !v->container) {
        tfc_free(v->container);
        tfc_free(v->name);
        tfc_free(v);
        return NULL;
    }
    tfc_object_init(&v->base, TFC_OBJECT_VARIABLE, var_destroy);
    pthread_mutex_init(&v->mu, NULL);
    v->dtype = a->dtype;
    v->is_resource = a->is_resource;
    return &v->base;
}

TF_Code tfc_var_lookup_or_create(tfc_resource_mgr *m, const char *container, const char *name, TF_DataType dtype,
                                 bool is_resource, tfc_var **out, TF_Status *st, const char *what)
{
    create_args a = { dtype, is_resource };
    tfc_object *o = NULL;
    *out = NULL;
    TF_Code rc = tfc_resource_lookup_or_create(m, container, name, TFC_OBJECT_VARIABLE, var_create, &a, &o, st, what);
    if (rc) return rc;
    tfc_var *v = (tfc_var *)o;
    if (v->dtype != dtype) {
        tfc_object_unref(o);
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: variable '%s' holds %s, but %s was asked for", what,
                              name, tfc_dtype_name(v->dtype), tfc_dtype_name(dtype));
    }
    *out = v;
    return TF_OK;
}

tfc_var *tfc_var_from_handle(const TF_Tensor *t)
{
    tfc_object *o = tfc_tensor_object(t);
    if (!o || o->kind != TFC_OBJECT_VARIABLE) return NULL;
    if (t->dtype != TF_RESOURCE && !tfc_dtype_is_ref(t->dtype)) return NULL;
    return (tfc_var *)o;
}

TF_Code tfc_var_check_initialized(const tfc_var *v, TF_Status *st, const char *what)
{
    if (v->value && !v->destroyed) return TF_OK;
    if (v->is_resource)
        return tfc_status_set(st, TF_FAILED_PRECONDITION,
                              "%s: Error while reading resource variable %s: it is %s", what, v->name,
                              v->destroyed ? "destroyed (DestroyResourceOp)" : "uninitialized");
    return tfc_status_set(st, TF_FAILED_PRECONDITION, "%s: Attempting to use uninitialized value %s", what,
                          v->name);
}

TF_Code tfc_var_read(tfc_var *v, TF_Tensor **out, TF_Status *st, const char *what)
{
    *out = NULL;
    pthread_mutex_lock(&v->mu);
    TF_Code rc = tfc_var_check_initialized(v, st, what);
    if (!rc) {
        *out = tfc_tensor_ref(v->value);
        if (!*out) rc = tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "%s: out of memory reading %s", what, v->name);
    }
    pthread_mutex_unlock(&v->mu);
    return rc;
}

TF_Code tfc_var_make_exclusive(tfc_var *v, TF_Status *st, const char *what)
{
    if (tfc_tensor_is_exclusive(v->value)) return TF_OK;
    TF_Tensor *copy = NULL;
    if (tfc_tensor_clone(v->value, &copy, st)) {
        tfc_status_prefix(st, "%s: copying %s before an update: ", what, v->name);
        return st->code;
    }
    TF_DeleteTensor(v->value);
    v->value = copy;
    return TF_OK;
}

TF_Code tfc_var_move_to(tfc_var *v, const tfc_device *dev, TF_Status *st, const char *what)
{
    if (!v->value || tfc_tensor_in_memory_of(v->value, dev)) return TF_OK;
    TF_Tensor *moved = NULL;
    if (tfc_tensor_copy_to(v->value, dev, &moved, st)) {
        tfc_status_prefix(st, "%s: moving %s to %s: ", what, v->name, tfc_device_is_host(dev) ? "the host" : dev->name);
        return st->code;
    }
    TF_DeleteTensor(v->value);
    v->value = moved;
    return TF_OK;
}

TF_Code tfc_var_read_on(tfc_var *v, const tfc_device *dev, TF_Tensor **out, TF_Status *st, const char *what)
{
    *out = NULL;
    pthread_mutex_lock(&v->mu);
    TF_Code rc = tfc_var_check_initialized(v, st, what);
    if (!rc) rc = tfc_var_move_to(v, dev, st, what);
    if (!rc) {
        *out = tfc_tensor_ref(v->value);
        if (!*out) rc = tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "%s: out of memory reading %s", what, v->name);
    }
    pthread_mutex_unlock(&v->mu);
    return rc;
}

void tfc_var_unref(tfc_var *v)
{
    if (v) tfc_object_unref(&v->base);
}
