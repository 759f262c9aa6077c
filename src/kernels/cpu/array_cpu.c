/* array_cpu: CPU kernels of the array ops (see ops/array_ops.c): Placeholder's fallback error,
 * forwarding ops (Identity, IdentityN, PlaceholderWithDefault, StopGradient, PreventGradient,
 * Snapshot), Const, NoOp, Shape, ShapeN, Size, Rank, and the reshaping ops Reshape, ExpandDims and
 * Squeeze. Forwarding and reshaping never copy: the output views the input's buffer; their computes
 * are shared with the GPU (kernels/view_kernels.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/kernel.h"
#include "kernels/view_kernels.h"

static void out_of_memory(tfc_kernel_ctx *k) { tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory"); }

// ---- Placeholder ----

typedef struct placeholder_state {
    char shape[256]; /* "" when the shape attr has unknown rank */
} placeholder_state;

static TF_Code placeholder_init(const tfc_kernel_init_ctx *c, void **state)
{
    placeholder_state *s = tfc_calloc(1, sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    const tfc_pshape *shape = tfc_attrs_shape(c->attrs, "shape");
    if (shape && shape->rank >= 0) tfc_pshape_str(shape, s->shape, sizeof s->shape);
    *state = s;
    return TF_OK;
}

/* The executor reports unfed placeholders before running; this is the fallback, with
 * TensorFlow's message. */
static void placeholder_compute(tfc_kernel_ctx *k)
{
    const placeholder_state *s = tfc_kernel_state(k);
    const char *dtype = tfc_dtype_name(k->n_outputs > 0 ? k->output_types[0] : 0);
    if (s && s->shape[0])
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "You must feed a value for placeholder tensor '%s' with dtype %s "
                         "and shape %s",
                         k->op_name, dtype, s->shape);
    else
        tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                         "You must feed a value for placeholder tensor '%s' with dtype %s", k->op_name,
                         dtype);
}

// ---- Const ----

static TF_Code const_init(const tfc_kernel_init_ctx *c, void **state)
{
    const TF_Tensor *value = tfc_attrs_tensor(c->attrs, "value");
    if (!value) return tfc_kernel_init_error(c, TF_INVALID_ARGUMENT, "attr 'value' is not set");
    TF_Tensor *t = tfc_tensor_ref(value);
    if (!t) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *state = t;
    return TF_OK;
}

static void const_free(void *state) { TF_DeleteTensor(state); }

/* The output shares the attr's buffer; since the state keeps a reference, no consumer can treat
 * it as exclusive and write into it. */
static void const_compute(tfc_kernel_ctx *k)
{
    TF_Tensor *t = tfc_tensor_ref(tfc_kernel_state(k));
    if (!t) {
        out_of_memory(k);
        return;
    }
    tfc_kernel_set_output(k, 0, t);
}

// ---- NoOp ----

static void noop_compute(tfc_kernel_ctx *k) { (void)k; }

// ---- Shape ----

static void shape_compute_i32(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    for (int i = 0; i < in->ndims; i++)
        if (in->dims[i] > INT32_MAX) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Shape output type is 32-bit but dim %d is %" PRId64, i,
                             in->dims[i]);
            return;
        }
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){ in->ndims }, 1, &out)) return;
    int32_t *o = tfc_tensor_data(out);
    for (int i = 0; i < in->ndims; i++) o[i] = (int32_t)in->dims[i];
}

static void shape_compute_i64(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, (const int64_t[]){ in->ndims }, 1, &out)) return;
    int64_t *o = tfc_tensor_data(out);
    for (int i = 0; i < in->ndims; i++) o[i] = in->dims[i];
}

// ---- ShapeN, Size, Rank ----

static void shape_n_compute_i32(tfc_kernel_ctx *k)
{
    for (int i = 0; i < k->n_inputs && i < k->n_outputs; i++) {
        const TF_Tensor *in = tfc_kernel_input(k, i);
        TF_Tensor *out;
        for (int d = 0; d < in->ndims; d++)
            if (in->dims[d] > INT32_MAX) {
                tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                 "ShapeN output type is 32-bit but dim %d of input %d "
                                 "is %" PRId64,
                                 d, i, in->dims[d]);
                return;
            }
        if (tfc_kernel_alloc_output(k, i, (const int64_t[]){ in->ndims }, 1, &out)) return;
        int32_t *o = tfc_tensor_data(out);
        for (int d = 0; d < in->ndims; d++) o[d] = (int32_t)in->dims[d];
    }
}

static void shape_n_compute_i64(tfc_kernel_ctx *k)
{
    for (int i = 0; i < k->n_inputs && i < k->n_outputs; i++) {
        const TF_Tensor *in = tfc_kernel_input(k, i);
        TF_Tensor *out;
        if (tfc_kernel_alloc_output(k, i, (const int64_t[]){ in->ndims }, 1, &out)) return;
        int64_t *o = tfc_tensor_data(out);
        for (int d = 0; d < in->ndims; d++) o[d] = in->dims[d];
    }
}

static void size_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    bool i32 = k->output_types[0] == TF_INT32;
    if (i32 && in->nelems > INT32_MAX) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Number of elements was larger than representable by 32-bit "
                         "output type (%" PRId64 ")", in->nelems);
        return;
    }
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, NULL, 0, &out)) return;
    if (i32) *(int32_t *)tfc_tensor_data(out) = (int32_t)in->nelems;
    else *(int64_t *)tfc_tensor_data(out) = in->nelems;
}

static void rank_compute(tfc_kernel_ctx *k)
{
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, NULL, 0, &out)) return;
    *(int32_t *)tfc_tensor_data(out) = tfc_kernel_input(k, 0)->ndims;
}

// ---- the table ----

#define I32 TFC_TYPE_BIT(TF_INT32)
#define I64 TFC_TYPE_BIT(TF_INT64)

const tfc_kernel_def tfc_cpu_array_kernels[] = {
    { "Placeholder", "CPU", 0, .type_attr = "dtype", .init = placeholder_init, .free_state = tfc_free,
      .compute = placeholder_compute },
    { "PlaceholderWithDefault", "CPU", 0, .type_attr = "dtype", .compute = tfc_forward_compute },
    { "Const", "CPU", 0, .type_attr = "dtype", .init = const_init, .free_state = const_free,
      .compute = const_compute },
    { "Identity", "CPU", 0, .compute = tfc_forward_compute },
    { "IdentityN", "CPU", 0, .compute = tfc_forward_compute },
    { "NoOp", "CPU", 0, .compute = noop_compute },
    { "Shape", "CPU", I32, .type_attr = "out_type", .meta_inputs = 1, .compute = shape_compute_i32 },
    { "Shape", "CPU", I64, .type_attr = "out_type", .meta_inputs = 1, .compute = shape_compute_i64 },
    { "Reshape", "CPU", 0, .host_inputs = 1u << 1, .compute = tfc_reshape_compute },
    { "ShapeN", "CPU", I32, .type_attr = "out_type", .meta_inputs = UINT64_MAX, .compute = shape_n_compute_i32 },
    { "ShapeN", "CPU", I64, .type_attr = "out_type", .meta_inputs = UINT64_MAX, .compute = shape_n_compute_i64 },
    { "Size", "CPU", I32 | I64, .type_attr = "out_type", .meta_inputs = 1, .compute = size_compute },
    { "Rank", "CPU", 0, .meta_inputs = 1, .compute = rank_compute },
    { "ExpandDims", "CPU", 0, .host_inputs = 1u << 1, .compute = tfc_expand_dims_compute },
    { "Squeeze", "CPU", 0, .init = tfc_squeeze_init, .free_state = tfc_free, .compute = tfc_squeeze_compute },
    { "StopGradient", "CPU", 0, .compute = tfc_forward_compute },
    { "PreventGradient", "CPU", 0, .compute = tfc_forward_compute },
    { "Snapshot", "CPU", 0, .compute = tfc_forward_compute },
    { 0 }
};
