/* broadcast: NumPy broadcasting and the drivers of the element-wise CPU kernels (see broadcast.h). */
#include "kernels/cpu/broadcast.h"

#include <string.h>

#include "core/dtype.h"
#include "core/shape.h"

bool tfc_same_dims(const int64_t *a, int na, const int64_t *b, int nb)
{
    return na == nb && (na == 0 || !memcmp(a, b, (size_t)na * sizeof *a));
}

/* Drops size-1 dims and merges neighbours that every operand spans (or broadcasts) alike, then
 * computes the element strides. */
static void bcast_collapse(tfc_bcast *b, const int64_t *const dims[], const int ranks[])
{
    int r = b->out_rank, n = 0;
    bool span[TFC_BCAST_MAX_OPERANDS][TFC_MAX_RANK]; /* operand spans collapsed dim j (else broadcast) */
    for (int i = 0; i < r; i++) {
        int64_t o = b->out_dims[i];
        if (o == 1) continue;
        bool f[TFC_BCAST_MAX_OPERANDS], same = n > 0;
        for (int k = 0; k < b->n; k++) {
            int ik = i - (r - ranks[k]);
            f[k] = ik >= 0 && dims[k][ik] == o;
            if (n > 0 && span[k][n - 1] != f[k]) same = false;
        }
        if (same) {
            b->dims[n - 1] *= o; /* bounded by the output's element count */
            continue;
        }
        for (int k = 0; k < b->n; k++) span[k][n] = f[k];
        b->dims[n++] = o;
    }
    if (n == 0) { /* every operand is a single element */
        for (int k = 0; k < b->n; k++) span[k][0] = true;
        b->dims[n++] = 1;
    }
    b->rank = n;
    for (int k = 0; k < b->n; k++) {
        int64_t run = 1;
        for (int j = n - 1; j >= 0; j--) {
            b->strides[k][j] = span[k][j] ? run : 0;
            if (span[k][j]) run *= b->dims[j];
        }
        b->unit[k] = b->strides[k][n - 1] != 0;
    }
}

bool tfc_bcast_init(tfc_bcast *b, int n, const int64_t *const dims[], const int ranks[])
{
    int r = 0;
    for (int k = 0; k < n; k++)
        if (ranks[k] > r) r = ranks[k];
    b->n = n;
    b->out_rank = r;
    b->rank = 0;
    int64_t count = 1;
    bool zero = false, overflow = false;
    for (int i = 0; i < r; i++) {
        int64_t o = 1;
        for (int k = 0; k < n; k++) {
            int ik = i - (r - ranks[k]);
            int64_t d = ik >= 0 ? dims[k][ik] : 1;
            if (d == 1) continue;
            if (o != 1 && o != d) return false;
            o = d;
        }
        b->out_dims[i] = o;
        /* Dims of different operands multiply: [2^40,1,0] and [1,2^40,0] are fine tensors. */
        if (o == 0) zero = true;
        else if (!tfc_mul_checked_i64(count, o, &count)) overflow = true;
    }
    b->out_count = zero ? 0 : overflow ? -1 : count;
    if (b->out_count > 0) bcast_collapse(b, dims, ranks); /* merged dims stay below out_count */
    return true;
}

typedef struct bcast_job {
    const tfc_bcast *b;
    tfc_bcast_run_fn run;
    void *arg;
} bcast_job;

/* Runs output elements [begin, end) one contiguous run of the innermost dim at a time. */
static void bcast_chunk(void *arg, int64_t begin, int64_t end)
{
    const bcast_job *j = arg;
    const tfc_bcast *b = j->b;
    int last = b->rank - 1;
    int64_t inner = b->dims[last];
    for (int64_t i = begin; i < end;) {
        int64_t row = i / inner, col = i % inner, len = inner - col;
        if (len > end - i) len = end - i;
        int64_t off[TFC_BCAST_MAX_OPERANDS];
        for (int k = 0; k < b->n; k++) off[k] = col * b->unit[k];
        for (int d = last - 1; d >= 0 && row > 0; d--) {
            int64_t idx = row % b->dims[d];
            row /= b->dims[d];
            for (int k = 0; k < b->n; k++) off[k] += idx * b->strides[k][d];
        }
        j->run(j->arg, i, off, len);
        i += len;
    }
}

void tfc_bcast_for(tfc_threadpool *pool, const tfc_bcast *b, int64_t cost_per_elem, tfc_bcast_run_fn run,
                   void *arg)
{
    bcast_job job = { b, run, arg };
    tfc_parallel_for(pool, b->out_count, cost_per_elem, bcast_chunk, &job);
}

// ---- checks ----

bool tfc_cwise_check(tfc_kernel_ctx *k, int n, TF_DataType dtype, TF_DataType out)
{
    if (k->n_inputs != n) {
        tfc_kernel_error(k, TF_INTERNAL, "expected %d inputs, got %d", n, k->n_inputs);
        return false;
    }
    for (int i = 0; dtype && i < n; i++)
        if (k->inputs[i]->dtype != dtype) {
            tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input %d has dtype %s, expected %s", i,
                             tfc_dtype_name(k->inputs[i]->dtype), tfc_dtype_name(dtype));
            return false;
        }
    if (k->n_outputs < 1 || k->output_types[0] != out) {
        tfc_kernel_error(k, TF_INTERNAL, "output dtype does not match %s", tfc_dtype_name(out));
        return false;
    }
    return true;
}

bool tfc_cwise_same_shape(tfc_kernel_ctx *k, int a, int b)
{
    const TF_Tensor *x = k->inputs[a], *y = k->inputs[b];
    if (tfc_same_dims(x->dims, x->ndims, y->dims, y->ndims)) return true;
    char s[256], t[256];
    tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                     "Inputs to operation %s of type %s must have the same size and shape.  Input %d: %s != input "
                     "%d: %s", k->op_name, k->op_type, a, tfc_dims_str(x->dims, x->ndims, s, sizeof s), b,
                     tfc_dims_str(y->dims, y->ndims, t, sizeof t));
    return false;
}

bool tfc_has_zero(const TF_Tensor *t)
{
    const void *d = tfc_tensor_data(t);
    int64_t n = t->nelems;
    switch (tfc_dtype_elem_size(t->dtype)) {
    case 1:
        for (int64_t i = 0; i < n; i++)
            if (((const uint8_t *)d)[i] == 0) return true;
        return false;
    case 2:
        for (int64_t i = 0; i < n; i++)
            if (((const uint16_t *)d)[i] == 0) return true;
        return false;
    case 4:
        for (int64_t i = 0; i < n; i++)
            if (((const uint32_t *)d)[i] == 0) return true;
        return false;
    default:
        for (int64_t i = 0; i < n; i++)
            if (((const uint64_t *)d)[i] == 0) return true;
        return false;
    }
}

// ---- two-input kernels ----

bool tfc_binary_prepare(tfc_kernel_ctx *k, TF_DataType dtype, TF_DataType out, tfc_bcast *b,
                        bool *incompatible)
{
    if (incompatible) *incompatible = false;
    if (!tfc_cwise_check(k, 2, dtype, out)) return false;
    const TF_Tensor *x = tfc_kernel_input(k, 0), *y = tfc_kernel_input(k, 1);
    const int64_t *dims[2] = { x->dims, y->dims };
    int ranks[2] = { x->ndims, y->ndims };
    if (tfc_bcast_init(b, 2, dims, ranks)) return true;
    if (incompatible) {
        *incompatible = true;
        return true;
    }
    char a[256], c[256];
    tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Incompatible shapes: %s vs. %s",
                     tfc_dims_str(x->dims, x->ndims, a, sizeof a), tfc_dims_str(y->dims, y->ndims, c, sizeof c));
    return false;
}

typedef struct binary_job {
    const tfc_bcast *b;
    tfc_binary_row_fn row;
    size_t es_in, es_out;
    char *z;
    const char *x, *y;
} binary_job;

static void binary_run_row(void *arg, int64_t out, const int64_t *off, int64_t len)
{
    const binary_job *j = arg;
    j->row(j->z + (size_t)out * j->es_out, j->x + (size_t)off[0] * j->es_in, j->y + (size_t)off[1] * j->es_in,
           len, j->b->unit[0], j->b->unit[1]);
}

int tfc_forwardable_input(const tfc_kernel_ctx *k, const int64_t *dims, int rank)
{
    for (int i = 0; i < k->n_inputs; i++) {
        const TF_Tensor *t = k->inputs[i];
        if (k->input_forwardable && k->input_forwardable[i] && t->dtype == k->output_types[0] &&
            tfc_same_dims(t->dims, t->ndims, dims, rank))
            return i;
    }
    return -1;
}

void tfc_binary_run(tfc_kernel_ctx *k, const tfc_bcast *b, tfc_binary_row_fn row, int64_t cost_per_elem)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0), *y = tfc_kernel_input(k, 1);
    TF_Tensor *z;
    int fwd = tfc_forwardable_input(k, b->out_dims, b->out_rank);
    if (tfc_kernel_forward_or_alloc(k, fwd, 0, b->out_dims, b->out_rank, &z)) return;
    if (z->nelems == 0) return;
    binary_job job = { b, row, tfc_dtype_elem_size(x->dtype), tfc_dtype_elem_size(z->dtype),
                       tfc_tensor_data(z), tfc_tensor_data(x), tfc_tensor_data(y) };
    tfc_bcast_for(tfc_kernel_intra_pool(k), b, cost_per_elem, binary_run_row, &job);
}

// ---- one-input kernels ----

typedef struct map_job {
    tfc_map_fn fn;
    size_t es_in, es_out;
    char *y;
    const char *x;
    double param;
} map_job;

static void map_chunk(void *arg, int64_t begin, int64_t end)
{
    const map_job *j = arg;
    j->fn(j->y + (size_t)begin * j->es_out, j->x + (size_t)begin * j->es_in, end - begin, j->param);
}

void tfc_cwise_map(tfc_kernel_ctx *k, TF_DataType in, TF_DataType out, tfc_map_fn fn, int64_t cost_per_elem,
                   double param)
{
    if (!tfc_cwise_check(k, 1, in, out)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y)) return;
    if (y->nelems == 0) return;
    map_job job = { fn, tfc_dtype_elem_size(in), tfc_dtype_elem_size(out), tfc_tensor_data(y), tfc_tensor_data(x),
                    param };
    tfc_parallel_for(tfc_kernel_intra_pool(k), y->nelems, cost_per_elem, map_chunk, &job);
}
