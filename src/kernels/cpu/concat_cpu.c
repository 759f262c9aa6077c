/* concat_cpu: ConcatV2 and Pack kernels (see ops/array_ops.c), for every dtype of fixed element
 * size (strings: UNIMPLEMENTED). Both see the output as rows: [outer, sum of the inputs' row
 * sizes], where outer is the product of the dims before the axis; each input contributes one
 * contiguous run per row, copied with memcpy. Rows are split over the intra-op pool. ConcatV2's
 * checks are shared with the GPU (concat_check.h). */
#include <inttypes.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/concat_check.h"
#include "kernels/kernel.h"

#define STACK_INPUTS 64

typedef struct concat_job {
    int n;
    const char *const *src;  /* per input: its data */
    const size_t *run;       /* per input: bytes per row */
    size_t row;              /* output bytes per row */
    char *dst;
} concat_job;

static void concat_rows(void *arg, int64_t begin, int64_t end)
{
    const concat_job *j = arg;
    for (int64_t r = begin; r < end; r++) {
        char *d = j->dst + (size_t)r * j->row;
        for (int i = 0; i < j->n; i++) {
            memcpy(d, j->src[i] + (size_t)r * j->run[i], j->run[i]);
            d += j->run[i];
        }
    }
}

/* The element size of dtype, or 0 after reporting why it cannot be copied by bytes. */
static size_t copyable_size(tfc_kernel_ctx *k, TF_DataType t)
{
    size_t es = tfc_dtype_elem_size(t);
    if (t == TF_STRING || es == 0) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "%s is not supported for dtype %s", k->op_type,
                         tfc_dtype_name(t));
        return 0;
    }
    return es;
}

/* Copies n inputs into out, row by row; in_inner[i] is input i's elements per row. */
static void copy_rows(tfc_kernel_ctx *k, int n, const TF_Tensor *const *ins, const int64_t *in_inner,
                      int64_t outer, TF_Tensor *out, size_t es)
{
    const char *src_stack[STACK_INPUTS];
    size_t run_stack[STACK_INPUTS];
    const char **src = src_stack;
    size_t *run = run_stack;
    if (n > STACK_INPUTS) {
        src = tfc_malloc((size_t)n * sizeof *src);
        run = tfc_malloc((size_t)n * sizeof *run);
    }
    if (!src || !run) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
    } else {
        size_t row = 0;
        for (int i = 0; i < n; i++) {
            src[i] = tfc_tensor_data(ins[i]);
            run[i] = (size_t)in_inner[i] * es;
            row += run[i];
        }
        concat_job job = { n, src, run, row, tfc_tensor_data(out) };
        if (row > 0)
            tfc_parallel_for(tfc_kernel_intra_pool(k), outer, (int64_t)(row / 8) + 10, concat_rows, &job);
    }
    if (src != src_stack) tfc_free((void *)src);
    if (run != run_stack) tfc_free(run);
}

static int64_t product(const int64_t *dims, int from, int to)
{
    int64_t p = 1;
    for (int i = from; i < to; i++) p *= dims[i]; /* a sub-product of a valid tensor's shape: no overflow */
    return p;
}

// ---- ConcatV2 ----

static void concat_compute(tfc_kernel_ctx *k)
{
    int n = k->n_inputs - 1;
    const TF_Tensor *first = tfc_kernel_input(k, 0);
    size_t es = copyable_size(k, first->dtype);
    int64_t axis = 0, dims[TFC_MAX_RANK];
    if (!es || !tfc_concat_v2_check(k, n, tfc_kernel_input(k, n), &axis, dims)) return;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, first->ndims, &out)) return;
    int64_t outer = product(first->dims, 0, (int)axis), inner_stack[STACK_INPUTS], *inner = inner_stack;
    if (out->nelems == 0) return;
    if (n > STACK_INPUTS && !(inner = tfc_malloc((size_t)n * sizeof *inner))) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    for (int i = 0; i < n; i++) inner[i] = product(tfc_kernel_input(k, i)->dims, (int)axis, first->ndims);
    copy_rows(k, n, (const TF_Tensor *const *)k->inputs, inner, outer, out, es);
    if (inner != inner_stack) tfc_free(inner);
}

// ---- Pack ----

typedef struct pack_state {
    int64_t axis;
} pack_state;

static TF_Code pack_init(const tfc_kernel_init_ctx *c, void **state)
{
    pack_state *s = tfc_calloc(1, sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    s->axis = tfc_attrs_int(c->attrs, "axis", 0);
    *state = s;
    return TF_OK;
}

static void pack_compute(tfc_kernel_ctx *k)
{
    const pack_state *s = tfc_kernel_state(k);
    const TF_Tensor *first = tfc_kernel_input(k, 0);
    int n = k->n_inputs, rank = first->ndims;
    size_t es = copyable_size(k, first->dtype);
    if (!es) return;
    int64_t axis = s->axis;
    if (axis < -(rank + 1) || axis > rank || rank >= TFC_MAX_RANK) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "axis = %" PRId64 " not in [%d, %d)", axis, -(rank + 1),
                         rank + 1);
        return;
    }
    if (axis < 0) axis += rank + 1;
    for (int i = 1; i < n; i++) {
        const TF_Tensor *b = tfc_kernel_input(k, i);
        if (b->ndims != rank || memcmp(b->dims, first->dims, sizeof(int64_t) * (size_t)rank) != 0) {
            char sa[256], sb[256];
            tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                             "Shapes of all inputs must match: values[0].shape = %s != "
                             "values[%d].shape = %s",
                             tfc_dims_str(first->dims, rank, sa, sizeof sa), i,
                             tfc_dims_str(b->dims, b->ndims, sb, sizeof sb));
            return;
        }
    }
    int64_t dims[TFC_MAX_RANK];
    for (int i = 0, j = 0; i <= rank; i++) dims[i] = i == axis ? n : first->dims[j++];
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, rank + 1, &out)) return;
    if (out->nelems == 0) return;
    int64_t inner_stack[STACK_INPUTS], *inner = inner_stack;
    if (n > STACK_INPUTS && !(inner = tfc_malloc((size_t)n * sizeof *inner))) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        return;
    }
    for (int i = 0; i < n; i++) inner[i] = product(first->dims, (int)axis, rank);
    copy_rows(k, n, (const TF_Tensor *const *)k->inputs, inner, product(first->dims, 0, (int)axis), out, es);
    if (inner != inner_stack) tfc_free(inner);
}

const tfc_kernel_def tfc_cpu_concat_kernels[] = {
    /* the axis is the last input, whose index depends on N: no static host_inputs bit */
    { "ConcatV2", "CPU", 0, .compute = concat_compute },
    { "Pack", "CPU", 0, .init = pack_init, .free_state = tfc_free, .compute = pack_compute },
    { 0 }
};
