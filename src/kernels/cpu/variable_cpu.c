/* variable_cpu: kernels of the variable ops (ops/state_ops.c). Ref and resource variables share
 * the state and the update code (kernels/var_access.h); they differ in how the variable is named
 * (a ref handle or a TF_RESOURCE handle) and in the messages TensorFlow gives. Only AssignAdd's
 * arithmetic and ResourceGather touch data: the other computes serve the GPU's table too
 * (kernels/variable_kernels.h, cuda/variable_cuda.c), so a variable can live in GPU memory. */
#include <inttypes.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/var_access.h"
#include "kernels/variable_kernels.h"

/* ---- creating handles: VariableV2, Variable, VarHandleOp ---- */

typedef struct var_state {
    char *container, *name;
    TF_DataType dtype;
} var_state;

void tfc_var_state_free(void *p)
{
    var_state *s = p;
    if (!s) return;
    tfc_free(s->container);
    tfc_free(s->name);
    tfc_free(s);
}

/* As TensorFlow's ContainerInfo: an empty shared_name means the node's name. */
TF_Code tfc_var_init(const tfc_kernel_init_ctx *c, void **state)
{
    var_state *s = tfc_calloc(1, sizeof *s);
    const char *shared = tfc_attrs_string(c->attrs, "shared_name", "");
    if (s) {
        s->container = tfc_strdup(tfc_attrs_string(c->attrs, "container", ""));
        s->name = tfc_strdup(shared[0] ? shared : c->op_name);
        s->dtype = tfc_attrs_type(c->attrs, "dtype", 0);
    }
    if (!s || !s->container || !s->name) {
        tfc_var_state_free(s);
        return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    }
    *state = s;
    return TF_OK;
}

static void make_handle(tfc_kernel_ctx *k, bool is_resource)
{
    const var_state *s = k->state;
    char what[256];
    tfc_var *v = NULL;
    if (tfc_var_lookup_or_create(k->resources, s->container, s->name, s->dtype, is_resource, &v, k->status,
                                 tfc_kernel_what(k, what, sizeof what)))
        return;
    TF_Tensor *h = tfc_tensor_new_handle(is_resource ? TF_RESOURCE : tfc_dtype_make_ref(s->dtype), &v->base);
    tfc_var_unref(v);
    if (!h) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    tfc_kernel_set_output(k, 0, h);
}

void tfc_ref_variable_compute(tfc_kernel_ctx *k) { make_handle(k, false); }
void tfc_var_handle_compute(tfc_kernel_ctx *k) { make_handle(k, true); }

/* ---- assignment ---- */

static bool same_shape(const TF_Tensor *a, const TF_Tensor *b)
{
    if (a->ndims != b->ndims) return false;
    for (int i = 0; i < a->ndims; i++)
        if (a->dims[i] != b->dims[i]) return false;
    return true;
}

static const char *dims_str(const TF_Tensor *t, char *buf, size_t size)
{
    tfc_pshape s = tfc_pshape_make(t->dims, t->ndims);
    return tfc_pshape_str(&s, buf, size);
}

/* Sets the variable behind input 0 to input 1 (a fresh copy, or input 1's buffer when nobody
 * else holds it). Checks the dtype, and the shape when validate_shape. */
static TF_Code assign_value(tfc_kernel_ctx *k, bool validate_shape)
{
    tfc_var *v;
    const TF_Tensor *value = tfc_kernel_input(k, 1);
    if (tfc_kernel_input_var(k, 0, &v)) return k->status->code;
    if (value->dtype != v->dtype)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "variable %s holds %s but the value is %s", v->name,
                                tfc_dtype_name(v->dtype), tfc_dtype_name(value->dtype));
    TF_Tensor *next = NULL;
    if (k->input_forwardable[1] && tfc_tensor_is_exclusive(value)) next = tfc_tensor_ref(value);
    else if (tfc_tensor_clone(value, &next, k->status)) return k->status->code;
    if (!next) return tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
    pthread_mutex_lock(&v->mu);
    TF_Code rc = TF_OK;
    if (validate_shape && v->value && !v->destroyed && !same_shape(v->value, value)) {
        char a[256], b[256];
        rc = tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                              "Assign requires shapes of both tensors to match. lhs shape= %s rhs shape= %s",
                              dims_str(v->value, a, sizeof a), dims_str(value, b, sizeof b));
    } else {
        TF_Tensor *old = v->value;
        v->value = next;
        v->destroyed = false;
        next = old;
    }
    pthread_mutex_unlock(&v->mu);
    TF_DeleteTensor(next);
    return rc;
}

void tfc_assign_compute(tfc_kernel_ctx *k)
{
    if (assign_value(k, tfc_attrs_bool(k->state, "validate_shape", true)) == TF_OK) tfc_kernel_forward_ref(k, 0, 0);
}

void tfc_assign_variable_compute(tfc_kernel_ctx *k)
{
    assign_value(k, tfc_attrs_bool(k->state, "validate_shape", false));
}

/* The op's attrs serve as its state (read with tfc_attrs_*): they outlive every plan. */
TF_Code tfc_attrs_as_state_init(const tfc_kernel_init_ctx *c, void **state)
{
    *state = (void *)c->attrs;
    return TF_OK;
}

/* ---- AssignAdd, AssignSub and their resource twins ---- */

#define DEFINE_UPDATE(name, T)                                                   \
    static void name(void *dst, const void *src, int64_t n, bool subtract)       \
    {                                                                            \
        T *d = dst;                                                              \
        const T *s = src;                                                        \
        if (subtract)                                                            \
            for (int64_t i = 0; i < n; i++) d[i] -= s[i];                        \
        else                                                                     \
            for (int64_t i = 0; i < n; i++) d[i] += s[i];                        \
    }
DEFINE_UPDATE(update_f32, float)
DEFINE_UPDATE(update_f64, double)
DEFINE_UPDATE(update_i32, int32_t)
DEFINE_UPDATE(update_i64, int64_t)

typedef void (*update_fn)(void *dst, const void *src, int64_t n, bool subtract);

static update_fn update_for(TF_DataType t)
{
    switch (t) {
    case TF_FLOAT: return update_f32;
    case TF_DOUBLE: return update_f64;
    case TF_INT32: return update_i32;
    case TF_INT64: return update_i64;
    default: return NULL;
    }
}

/* The CPU's arithmetic for tfc_var_add_value: cur += value (or -=), same dtype and shape. */
static TF_Code add_on_cpu(tfc_kernel_ctx *k, TF_Tensor *cur, const TF_Tensor *value, bool subtract)
{
    update_fn fn = update_for(cur->dtype);
    if (!fn) return tfc_kernel_error(k, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(cur->dtype));
    fn(tfc_tensor_data(cur), tfc_tensor_data(value), cur->nelems, subtract);
    return TF_OK;
}

void tfc_var_add_value(tfc_kernel_ctx *k, bool subtract, tfc_var_add_fn add)
{
    tfc_var_update u;
    const TF_Tensor *value = tfc_kernel_input(k, 1);
    if (tfc_var_update_begin(k, (const int[]){ 0 }, 1, false, &u)) return;
    TF_Tensor *cur = u.values[0];
    char a[256], b[256];
    if (value->dtype != cur->dtype)
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "variable %s holds %s but the value is %s", u.vars[0]->name,
                         tfc_dtype_name(cur->dtype), tfc_dtype_name(value->dtype));
    else if (!same_shape(cur, value))
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "the variable's shape %s and the value's shape %s differ",
                         dims_str(cur, a, sizeof a), dims_str(value, b, sizeof b));
    else if (cur->nelems > 0)
        add(k, cur, value, subtract);
    tfc_var_update_end(&u);
}

static void assign_add_compute(tfc_kernel_ctx *k)
{
    tfc_var_add_value(k, false, add_on_cpu);
    if (tfc_kernel_ok(k)) tfc_kernel_forward_ref(k, 0, 0);
}

static void assign_sub_compute(tfc_kernel_ctx *k)
{
    tfc_var_add_value(k, true, add_on_cpu);
    if (tfc_kernel_ok(k)) tfc_kernel_forward_ref(k, 0, 0);
}

static void assign_add_variable_compute(tfc_kernel_ctx *k) { tfc_var_add_value(k, false, add_on_cpu); }
static void assign_sub_variable_compute(tfc_kernel_ctx *k) { tfc_var_add_value(k, true, add_on_cpu); }

/* ---- queries ---- */

void tfc_is_initialized_compute(tfc_kernel_ctx *k)
{
    tfc_var *v;
    TF_Tensor *out;
    if (tfc_kernel_input_var(k, 0, &v) || tfc_kernel_alloc_output(k, 0, NULL, 0, &out)) return;
    pthread_mutex_lock(&v->mu);
    *(bool *)tfc_tensor_data(out) = v->value != NULL && !v->destroyed;
    pthread_mutex_unlock(&v->mu);
}

/* The variable's value (shared, not copied) after checking its dtype against the op's; moved into
 * the kernel's memory first when the kernel reads its data. */
static TF_Code read_checked(tfc_kernel_ctx *k, TF_DataType want, bool reads_data, TF_Tensor **value)
{
    tfc_var *v;
    char what[256];
    *value = NULL;
    if (tfc_kernel_input_var(k, 0, &v)) return k->status->code;
    if (want && v->dtype != want)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Trying to read variable %s with wrong dtype. Expected %s "
                                "got %s", v->name, tfc_dtype_name(want), tfc_dtype_name(v->dtype));
    tfc_kernel_what(k, what, sizeof what);
    return reads_data ? tfc_var_read_on(v, k->device, value, k->status, what) : tfc_var_read(v, value, k->status, what);
}

void tfc_read_variable_compute(tfc_kernel_ctx *k)
{
    TF_Tensor *value;
    if (read_checked(k, k->output_types[0], true, &value) == TF_OK) tfc_kernel_set_output(k, 0, value);
}

void tfc_variable_shape_compute(tfc_kernel_ctx *k)
{
    TF_Tensor *value, *out;
    if (read_checked(k, 0, false, &value)) return;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){ value->ndims }, 1, &out) == TF_OK) {
        for (int i = 0; i < value->ndims; i++) {
            if (out->dtype == TF_INT32 && value->dims[i] > INT32_MAX) {
                tfc_kernel_error(k, TF_INVALID_ARGUMENT, "dim %d is %" PRId64 ", too large for int32", i,
                                 value->dims[i]);
                break;
            }
            if (out->dtype == TF_INT32) ((int32_t *)tfc_tensor_data(out))[i] = (int32_t)value->dims[i];
            else ((int64_t *)tfc_tensor_data(out))[i] = value->dims[i];
        }
    }
    TF_DeleteTensor(value);
}

void tfc_destroy_resource_compute(tfc_kernel_ctx *k)
{
    tfc_var *v;
    if (tfc_kernel_input_var(k, 0, &v)) return;
    pthread_mutex_lock(&v->mu);
    bool was_there = !v->destroyed;
    v->destroyed = true;
    TF_Tensor *old = v->value;
    v->value = NULL;
    pthread_mutex_unlock(&v->mu);
    TF_DeleteTensor(old);
    was_there &= tfc_resource_remove(k->resources, v->container, v->name);
    if (!was_there && !tfc_attrs_bool(k->state, "ignore_lookup_error", true))
        tfc_kernel_error(k, TF_NOT_FOUND, "Resource %s/%s does not exist", v->container, v->name);
}

/* ---- ResourceGather (batch_dims 0) ---- */

static TF_Code gather_rows(tfc_kernel_ctx *k, const TF_Tensor *params, const TF_Tensor *indices)
{
    if (params->ndims < 1 || params->dtype == TF_STRING)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "the variable must be a non-string tensor of rank >= 1");
    int64_t dims[TFC_MAX_RANK], rows = params->dims[0], n = indices->nelems;
    int nd = indices->ndims + params->ndims - 1;
    if (nd > TFC_MAX_RANK) return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "the result's rank is too large");
    memcpy(dims, indices->dims, (size_t)indices->ndims * sizeof *dims);
    memcpy(dims + indices->ndims, params->dims + 1, (size_t)(params->ndims - 1) * sizeof *dims);
    size_t row_bytes = rows ? params->nbytes / (size_t)rows : 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t ix = indices->dtype == TF_INT32 ? ((const int32_t *)tfc_tensor_data(indices))[i]
                                                : ((const int64_t *)tfc_tensor_data(indices))[i];
        if (ix < 0 || ix >= rows)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "indices[%" PRId64 "] = %" PRId64 " is not in [0, %" PRId64
                                    ")", i, ix, rows);
    }
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, nd, &out)) return k->status->code;
    char *o = tfc_tensor_data(out);
    const char *p = tfc_tensor_data(params);
    for (int64_t i = 0; i < n && row_bytes; i++) {
        int64_t ix = indices->dtype == TF_INT32 ? ((const int32_t *)tfc_tensor_data(indices))[i]
                                                : ((const int64_t *)tfc_tensor_data(indices))[i];
        memcpy(o + (size_t)i * row_bytes, p + (size_t)ix * row_bytes, row_bytes);
    }
    return TF_OK;
}

static void resource_gather_compute(tfc_kernel_ctx *k)
{
    TF_Tensor *value;
    if (read_checked(k, k->output_types[0], true, &value)) return;
    gather_rows(k, value, tfc_kernel_input(k, 1));
    TF_DeleteTensor(value);
}

#define INDEX_TYPES (TFC_TYPE_BIT(TF_INT32) | TFC_TYPE_BIT(TF_INT64))
#define UPDATE_TYPES (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE) | INDEX_TYPES)

const tfc_kernel_def tfc_cpu_variable_kernels[] = {
    { "VariableV2", "CPU", 0, TFC_VAR_STATE, .compute = tfc_ref_variable_compute },
    { "Variable", "CPU", 0, TFC_VAR_STATE, .compute = tfc_ref_variable_compute },
    { "VarHandleOp", "CPU", 0, TFC_VAR_STATE, .compute = tfc_var_handle_compute },
    { "Assign", "CPU", 0, TFC_ATTRS_STATE, .compute = tfc_assign_compute },
    { "AssignVariableOp", "CPU", 0, TFC_ATTRS_STATE, .compute = tfc_assign_variable_compute },
    { "AssignAdd", "CPU", UPDATE_TYPES, .compute = assign_add_compute },
    { "AssignSub", "CPU", UPDATE_TYPES, .compute = assign_sub_compute },
    { "AssignAddVariableOp", "CPU", UPDATE_TYPES, .type_attr = "dtype", .compute = assign_add_variable_compute },
    { "AssignSubVariableOp", "CPU", UPDATE_TYPES, .type_attr = "dtype", .compute = assign_sub_variable_compute },
    { "IsVariableInitialized", "CPU", 0, .compute = tfc_is_initialized_compute },
    { "VarIsInitializedOp", "CPU", 0, .compute = tfc_is_initialized_compute },
    { "ReadVariableOp", "CPU", 0, .compute = tfc_read_variable_compute },
    { "VariableShape", "CPU", 0, .compute = tfc_variable_shape_compute },
    { "DestroyResourceOp", "CPU", 0, TFC_ATTRS_STATE, .compute = tfc_destroy_resource_compute },
    { "ResourceGather", "CPU", 0, .compute = resource_gather_compute },
    { 0 },
};
