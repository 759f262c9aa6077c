/* array_build_cpu: CPU kernels of the ops that build tensors (see ops/array_build_ops.c): Fill,
 * ZerosLike, OnesLike, Range, Tile, Pad, PadV2, BroadcastTo, BroadcastArgs, BroadcastGradientArgs.
 *
 * Ops that only move elements (Fill, ZerosLike, Tile, Pad, BroadcastTo) serve every fixed-size
 * dtype with byte copies, dispatched on the element size once per row, never per element. Shape
 * inputs (dims, multiples, paddings, shape) stay in host memory and are validated here again
 * (graph shape inference is not trusted): negative or overflowing sizes are INVALID_ARGUMENT. The
 * checks the GPU's Fill shares are in kernels/array_build_check.h. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/array_build_check.h"
#include "kernels/kernel.h"

/* Every dtype whose elements can be copied as bytes (no strings, resources or variants). */
#define COPY_TYPES (TFC_TYPES_NUMBER | TFC_TYPES_QUANTIZED | TFC_TYPE_BIT(TF_BOOL))
#define ONES_TYPES (TFC_TYPES_NUMBER | TFC_TYPE_BIT(TF_BOOL))
#define I32 TFC_TYPE_BIT(TF_INT32)
#define I64 TFC_TYPE_BIT(TF_INT64)

// ---- helpers ----

/* Writes n copies of the esize-byte element val to dst. */
static void fill_pattern(void *dst, int64_t n, const void *val, size_t esize)
{
    switch (esize) {
    case 1: memset(dst, *(const uint8_t *)val, (size_t)n); return;
    case 2: {
        uint16_t v;
        memcpy(&v, val, 2);
        for (int64_t i = 0; i < n; i++) ((uint16_t *)dst)[i] = v;
        return;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, val, 4);
        for (int64_t i = 0; i < n; i++) ((uint32_t *)dst)[i] = v;
        return;
    }
    case 8: {
        uint64_t v;
        memcpy(&v, val, 8);
        for (int64_t i = 0; i < n; i++) ((uint64_t *)dst)[i] = v;
        return;
    }
    default:
        for (int64_t i = 0; i < n; i++) memcpy((char *)dst + (size_t)i * esize, val, esize);
    }
}

typedef struct fill_job {
    char *dst;
    const void *val;
    size_t esize;
} fill_job;

static void fill_chunk(void *arg, int64_t begin, int64_t end)
{
    const fill_job *j = arg;
    fill_pattern(j->dst + (size_t)begin * j->esize, end - begin, j->val, j->esize);
}

/* Fills all of t with the element val, in parallel. */
static void fill_tensor(tfc_kernel_ctx *k, TF_Tensor *t, const void *val)
{
    fill_job j = { tfc_tensor_data(t), val, tfc_dtype_elem_size(t->dtype) };
    tfc_parallel_for(tfc_kernel_intra_pool(k), t->nelems, 1, fill_chunk, &j);
}

// ---- Fill, ZerosLike, OnesLike ----

static void fill_compute(tfc_kernel_ctx *k)
{
    int64_t dims[TFC_MAX_RANK];
    int n;
    if (!tfc_fill_check(k, dims, &n)) return;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, n, &out)) return;
    fill_tensor(k, out, tfc_tensor_data(tfc_kernel_input(k, 1)));
}

static void zeros_like_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *out;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &out)) return;
    memset(tfc_tensor_data(out), 0, out->nbytes);
}

/* The bytes of the value 1 in dtype (at most 16); false for dtypes without one. */
static bool one_of(TF_DataType dtype, unsigned char one[16])
{
    memset(one, 0, 16);
    switch (dtype) {
    case TF_FLOAT:
    case TF_COMPLEX64: {
        float f = 1;
        memcpy(one, &f, 4);
        return true;
    }
    case TF_DOUBLE:
    case TF_COMPLEX128: {
        double d = 1;
        memcpy(one, &d, 8);
        return true;
    }
    case TF_HALF: {
        uint16_t h = 0x3C00;
        memcpy(one, &h, 2);
        return true;
    }
    case TF_BFLOAT16: {
        uint16_t h = 0x3F80;
        memcpy(one, &h, 2);
        return true;
    }
    case TF_INT8:
    case TF_UINT8:
    case TF_BOOL: one[0] = 1; return true;
    case TF_INT16:
    case TF_UINT16: {
        uint16_t v = 1;
        memcpy(one, &v, 2);
        return true;
    }
    case TF_INT32:
    case TF_UINT32: {
        uint32_t v = 1;
        memcpy(one, &v, 4);
        return true;
    }
    case TF_INT64:
    case TF_UINT64: {
        uint64_t v = 1;
        memcpy(one, &v, 8);
        return true;
    }
    default: return false;
    }
}

static void ones_like_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    unsigned char one[16];
    if (!one_of(k->output_types[0], one)) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "OnesLike has no CPU kernel for %s",
                         tfc_dtype_name(k->output_types[0]));
        return;
    }
    TF_Tensor *out;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &out)) return;
    fill_tensor(k, out, one);
}

// ---- Range ----

/* Element count of an integer range (values widened to int64), with TensorFlow's checks; no
 * arithmetic here can overflow. */
static TF_Code range_count_int(tfc_kernel_ctx *k, int64_t start, int64_t limit, int64_t delta, int64_t *size)
{
    if (delta == 0) return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Requires delta != 0: %" PRId64, delta);
    if (delta > 0 && start > limit)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                "Requires start <= limit when delta > 0: %" PRId64 "/%" PRId64, start, limit);
    if (delta < 0 && start < limit)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                "Requires start >= limit when delta < 0: %" PRId64 "/%" PRId64, start, limit);
    uint64_t diff = delta > 0 ? (uint64_t)limit - (uint64_t)start : (uint64_t)start - (uint64_t)limit;
    uint64_t step = delta > 0 ? (uint64_t)delta : (uint64_t)0 - (uint64_t)delta;
    uint64_t n = diff / step + (diff % step != 0);
    if (n > (uint64_t)INT64_MAX)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Requires ((limit - start) / delta) <= %" PRId64,
                                INT64_MAX);
    *size = (int64_t)n;
    return TF_OK;
}

static TF_Code range_count_float(tfc_kernel_ctx *k, double start, double limit, double delta, int64_t *size)
{
    if (delta == 0) return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Requires delta != 0: %g", delta);
    if (delta > 0 && !(start <= limit))
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Requires start <= limit when delta > 0: %g/%g",
                                start, limit);
    if (delta < 0 && !(start >= limit))
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Requires start >= limit when delta < 0: %g/%g",
                                start, limit);
    double n = ceil(fabs((limit - start) / delta));
    if (!(n < 9223372036854775808.0)) /* also catches NaN */
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Requires ((limit - start) / delta) <= %" PRId64,
                                INT64_MAX);
    *size = (int64_t)n;
    return TF_OK;
}

static bool range_inputs_ok(tfc_kernel_ctx *k)
{
    static const char *names[] = { "start", "limit", "delta" };
    for (int i = 0; i < 3; i++)
        if (tfc_check_scalar(k, tfc_kernel_input(k, i), k->output_types[0], names[i], true)) return false;
    return true;
}

/* One Range kernel per integer type: values are start + i * delta computed modulo 2^64 (exact,
 * since every value lies between start and limit). */
#define DEFINE_RANGE_INT(s, T)                                                                               \
    static void range_##s(tfc_kernel_ctx *k)                                                                 \
    {                                                                                                        \
        if (!range_inputs_ok(k)) return;                                                                     \
        int64_t start = *(const T *)tfc_tensor_data(tfc_kernel_input(k, 0));                                 \
        int64_t limit = *(const T *)tfc_tensor_data(tfc_kernel_input(k, 1));                                 \
        int64_t delta = *(const T *)tfc_tensor_data(tfc_kernel_input(k, 2));                                 \
        int64_t size = 0;                                                                                    \
        TF_Tensor *out;                                                                                      \
        if (range_count_int(k, start, limit, delta, &size)) return;                                          \
        if (tfc_kernel_alloc_output(k, 0, &size, 1, &out)) return;                                           \
        T *o = tfc_tensor_data(out);                                                                         \
        for (int64_t i = 0; i < size; i++)                                                                   \
            o[i] = (T)(int64_t)((uint64_t)start + (uint64_t)i * (uint64_t)delta);                            \
    }
DEFINE_RANGE_INT(i8, int8_t)
DEFINE_RANGE_INT(i16, int16_t)
DEFINE_RANGE_INT(i32, int32_t)
DEFINE_RANGE_INT(i64, int64_t)
DEFINE_RANGE_INT(u16, uint16_t)
DEFINE_RANGE_INT(u32, uint32_t)

#define DEFINE_RANGE_FLOAT(s, T)                                                                             \
    static void range_##s(tfc_kernel_ctx *k)                                                                 \
    {                                                                                                        \
        if (!range_inputs_ok(k)) return;                                                                     \
        T start = *(const T *)tfc_tensor_data(tfc_kernel_input(k, 0));                                       \
        T limit = *(const T *)tfc_tensor_data(tfc_kernel_input(k, 1));                                       \
        T delta = *(const T *)tfc_tensor_data(tfc_kernel_input(k, 2));                                       \
        int64_t size = 0;                                                                                    \
        TF_Tensor *out;                                                                                      \
        if (range_count_float(k, start, limit, delta, &size)) return;                                        \
        if (tfc_kernel_alloc_output(k, 0, &size, 1, &out)) return;                                           \
        T *o = tfc_tensor_data(out);                                                                         \
        for (int64_t i = 0; i < size; i++) o[i] = start + (T)i * delta;                                      \
    }
DEFINE_RANGE_FLOAT(f32, float)
DEFINE_RANGE_FLOAT(f64, double)

// ---- Tile and BroadcastTo: out[idx] = in[idx % in_dims] ----

typedef struct tile_job {
    const char *in;
    char *out;
    size_t esize;
    int rank; /* >= 1 */
    const int64_t *in_dims, *out_dims;
} tile_job;

/* Output rows [begin, end) (a row runs along the last dim). */
static void tile_rows(void *arg, int64_t begin, int64_t end)
{
    const tile_job *j = arg;
    int r = j->rank - 1;
    int64_t in_last = j->in_dims[r], out_last = j->out_dims[r];
    size_t in_row_bytes = (size_t)in_last * j->esize;
    for (int64_t row = begin; row < end; row++) {
        int64_t rest = row, in_row = 0, in_stride = 1;
        for (int d = r - 1; d >= 0; d--) {
            int64_t idx = rest % j->out_dims[d];
            rest /= j->out_dims[d];
            in_row += (idx % j->in_dims[d]) * in_stride;
            in_stride *= j->in_dims[d];
        }
        const char *src = j->in + (size_t)in_row * in_row_bytes;
        char *dst = j->out + (size_t)row * (size_t)out_last * j->esize;
        if (in_last == 1) {
            fill_pattern(dst, out_last, src, j->esize);
            continue;
        }
        for (int64_t o = 0; o < out_last; o += in_last, dst += in_row_bytes) memcpy(dst, src, in_row_bytes);
    }
}

/* Fills out (dims out_dims) from in (dims in_dims, same rank, each dividing the output's). */
static void tile_fill(tfc_kernel_ctx *k, const TF_Tensor *in, const int64_t *in_dims, TF_Tensor *out)
{
    size_t esize = tfc_dtype_elem_size(out->dtype);
    if (out->nelems == 0) return;
    if (out->ndims == 0) {
        memcpy(tfc_tensor_data(out), tfc_tensor_data(in), esize);
        return;
    }
    tile_job j = { tfc_tensor_data(in), tfc_tensor_data(out), esize, out->ndims, in_dims, out->dims };
    int64_t last = out->dims[out->ndims - 1];
    tfc_parallel_for(tfc_kernel_intra_pool(k), out->nelems / last, 20 + last * (int64_t)esize / 8, tile_rows,
                     &j);
}

static void tile_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    int64_t dims[TFC_MAX_RANK];
    TF_Tensor *out;
    if (!tfc_tile_check(k, dims) || tfc_kernel_alloc_output(k, 0, dims, in->ndims, &out)) return;
    tile_fill(k, in, in->dims, out);
}

static void broadcast_to_compute(tfc_kernel_ctx *k)
{
    int64_t dims[TFC_MAX_RANK], in_dims[TFC_MAX_RANK];
    int rank;
    TF_Tensor *out;
    if (!tfc_broadcast_to_check(k, dims, &rank, in_dims) || tfc_kernel_alloc_output(k, 0, dims, rank, &out)) return;
    tile_fill(k, tfc_kernel_input(k, 0), in_dims, out);
}

// ---- Pad, PadV2 ----

typedef struct pad_job {
    const char *in;
    char *out;
    const void *pad; /* the padding element */
    size_t esize;
    int rank; /* >= 1 */
    const int64_t *in_dims, *out_dims, *lo;
} pad_job;

/* Output rows [begin, end): padding everywhere, except where the row lies inside the input. */
static void pad_rows(void *arg, int64_t begin, int64_t end)
{
    const pad_job *j = arg;
    int r = j->rank - 1;
    int64_t in_last = j->in_dims[r], out_last = j->out_dims[r], lo = j->lo[r];
    for (int64_t row = begin; row < end; row++) {
        int64_t rest = row, in_row = 0, in_stride = 1;
        bool inside = in_last > 0;
        for (int d = r - 1; d >= 0 && inside; d--) {
            int64_t idx = rest % j->out_dims[d] - j->lo[d];
            rest /= j->out_dims[d];
            inside = idx >= 0 && idx < j->in_dims[d];
            in_row += idx * in_stride;
            in_stride *= j->in_dims[d];
        }
        char *dst = j->out + (size_t)row * (size_t)out_last * j->esize;
        if (!inside) {
            fill_pattern(dst, out_last, j->pad, j->esize);
            continue;
        }
        fill_pattern(dst, lo, j->pad, j->esize);
        memcpy(dst + (size_t)lo * j->esize, j->in + (size_t)in_row * (size_t)in_last * j->esize,
               (size_t)in_last * j->esize);
        fill_pattern(dst + (size_t)(lo + in_last) * j->esize, out_last - lo - in_last, j->pad, j->esize);
    }
}

/* Reads paddings ([rank, 2], non-negative) into lo and the output dims. */
static TF_Code pad_dims(tfc_kernel_ctx *k, const TF_Tensor *in, const TF_Tensor *p, int64_t *lo,
                        int64_t *dims)
{
    char a[256], b[256];
    if (p->ndims != 2 || p->dims[1] != 2)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "paddings must be a matrix with 2 columns: %s",
                                tfc_dims_str(p->dims, p->ndims, a, sizeof a));
    if (p->dims[0] != in->ndims)
        return tfc_kernel_error(
            k, TF_INVALID_ARGUMENT, "The first dimension of paddings must be the rank of inputs%s %s",
            tfc_dims_str(p->dims, p->ndims, a, sizeof a), tfc_dims_str(in->dims, in->ndims, b, sizeof b));
    if (p->dtype != TF_INT32 && p->dtype != TF_INT64)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "paddings must be int32 or int64");
    for (int d = 0; d < in->ndims; d++) {
        int64_t l = tfc_int_at(p, 2 * d), h = tfc_int_at(p, 2 * d + 1);
        if (l < 0 || h < 0)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                                    "Paddings must be non-negative: %" PRId64 " %" PRId64, l, h);
        if (l > INT64_MAX - in->dims[d] || h > INT64_MAX - in->dims[d] - l)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "padded dim %d overflows", d);
        lo[d] = l;
        dims[d] = in->dims[d] + l + h;
    }
    return TF_OK;
}

static void pad_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    int64_t lo[TFC_MAX_RANK], dims[TFC_MAX_RANK];
    unsigned char zero[16] = { 0 };
    const void *pad = zero;
    if (pad_dims(k, in, tfc_kernel_input(k, 1), lo, dims)) return;
    if (k->n_inputs > 2) {
        const TF_Tensor *cv = tfc_kernel_input(k, 2);
        if (tfc_check_scalar(k, cv, in->dtype, "constant_values", false)) return;
        pad = tfc_tensor_data(cv);
    }
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, in->ndims, &out)) return;
    size_t esize = tfc_dtype_elem_size(in->dtype);
    if (out->nelems == 0) return;
    if (in->ndims == 0) {
        memcpy(tfc_tensor_data(out), tfc_tensor_data(in), esize);
        return;
    }
    pad_job j = { tfc_tensor_data(in), tfc_tensor_data(out), pad, esize, in->ndims, in->dims, dims, lo };
    int64_t last = dims[in->ndims - 1];
    tfc_parallel_for(tfc_kernel_intra_pool(k), out->nelems / last, 20 + last * (int64_t)esize / 8, pad_rows,
                     &j);
}

// ---- BroadcastArgs, BroadcastGradientArgs ----

/* Dim i (counted from the left of the broadcast shape of rank n) of shape vector s, 1 where s is shorter. */
static inline int64_t aligned_dim(const TF_Tensor *s, int64_t n, int64_t i)
{
    int64_t j = i - (n - s->dims[0]);
    return j >= 0 ? tfc_int_at(s, j) : 1;
}

static TF_Code incompatible(tfc_kernel_ctx *k, const TF_Tensor *s0, const TF_Tensor *s1)
{
    return tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                            "Incompatible shapes: [%" PRId64 " dims] vs. [%" PRId64 " dims]", s0->dims[0],
                            s1->dims[0]);
}

static bool shape_vectors_ok(tfc_kernel_ctx *k, const TF_Tensor *s0, const TF_Tensor *s1)
{
    return !tfc_check_int_vector(k, s0, "s0", INT64_MAX) && !tfc_check_int_vector(k, s1, "s1", INT64_MAX);
}

static void broadcast_args_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *s0 = tfc_kernel_input(k, 0), *s1 = tfc_kernel_input(k, 1);
    if (!shape_vectors_ok(k, s0, s1)) return;
    int64_t n = s0->dims[0] > s1->dims[0] ? s0->dims[0] : s1->dims[0];
    for (int64_t i = 0; i < n; i++) {
        int64_t a = aligned_dim(s0, n, i), b = aligned_dim(s1, n, i);
        if (a != b && a != 1 && b != 1) {
            incompatible(k, s0, s1);
            return;
        }
    }
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, &n, 1, &out)) return;
    for (int64_t i = 0; i < n; i++) {
        int64_t a = aligned_dim(s0, n, i), b = aligned_dim(s1, n, i), d = a == 1 ? b : a;
        if (out->dtype == TF_INT32)
            ((int32_t *)tfc_tensor_data(out))[i] = (int32_t)d;
        else
            ((int64_t *)tfc_tensor_data(out))[i] = d;
    }
}

/* TensorFlow's BCast reduction indices: dim i is reduced for an input that has 1 there (after
 * 1-extension on the left), and for both inputs when both have 1. Writes them to r0/r1 when not
 * NULL and counts them in n0/n1. */
static void gradient_indices(const TF_Tensor *s0, const TF_Tensor *s1, int64_t n, TF_Tensor *r0,
                             TF_Tensor *r1, int64_t *n0, int64_t *n1)
{
    TF_Tensor *r[2] = { r0, r1 };
    int64_t cnt[2] = { 0, 0 };
    for (int64_t i = 0; i < n; i++) {
        int64_t d[2] = { aligned_dim(s0, n, i), aligned_dim(s1, n, i) };
        for (int s = 0; s < 2; s++) {
            if (d[s] != 1) continue;
            if (r[s] && r[s]->dtype == TF_INT32)
                ((int32_t *)tfc_tensor_data(r[s]))[cnt[s]] = (int32_t)i;
            else if (r[s])
                ((int64_t *)tfc_tensor_data(r[s]))[cnt[s]] = i;
            cnt[s]++;
        }
    }
    *n0 = cnt[0], *n1 = cnt[1];
}

static void broadcast_gradient_args_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *s0 = tfc_kernel_input(k, 0), *s1 = tfc_kernel_input(k, 1);
    if (!shape_vectors_ok(k, s0, s1)) return;
    int64_t n = s0->dims[0] > s1->dims[0] ? s0->dims[0] : s1->dims[0];
    for (int64_t i = 0; i < n; i++) {
        int64_t a = aligned_dim(s0, n, i), b = aligned_dim(s1, n, i);
        if (a != b && a != 1 && b != 1) {
            incompatible(k, s0, s1);
            return;
        }
    }
    int64_t n0 = 0, n1 = 0;
    TF_Tensor *r0, *r1;
    bool same = s0->dims[0] == s1->dims[0]; /* TensorFlow's BCast reduces nothing for equal shapes */
    for (int64_t i = 0; same && i < n; i++) same = tfc_int_at(s0, i) == tfc_int_at(s1, i);
    if (!same) gradient_indices(s0, s1, n, NULL, NULL, &n0, &n1);
    if (tfc_kernel_alloc_output(k, 0, &n0, 1, &r0)) return;
    if (tfc_kernel_alloc_output(k, 1, &n1, 1, &r1)) return;
    if (!same) gradient_indices(s0, s1, n, r0, r1, &n0, &n1);
}

// ---- the table ----

const tfc_kernel_def tfc_cpu_array_build_kernels[] = {
    { "Fill", "CPU", COPY_TYPES, .host_inputs = 1u << 0, .compute = fill_compute },
    { "ZerosLike", "CPU", COPY_TYPES, .compute = zeros_like_compute },
    { "OnesLike", "CPU", ONES_TYPES, .compute = ones_like_compute },
    { "Range", "CPU", TFC_TYPE_BIT(TF_FLOAT), .type_attr = "Tidx", .compute = range_f32 },
    { "Range", "CPU", TFC_TYPE_BIT(TF_DOUBLE), .type_attr = "Tidx", .compute = range_f64 },
    { "Range", "CPU", TFC_TYPE_BIT(TF_INT8), .type_attr = "Tidx", .compute = range_i8 },
    { "Range", "CPU", TFC_TYPE_BIT(TF_INT16), .type_attr = "Tidx", .compute = range_i16 },
    { "Range", "CPU", I32, .type_attr = "Tidx", .compute = range_i32 },
    { "Range", "CPU", I64, .type_attr = "Tidx", .compute = range_i64 },
    { "Range", "CPU", TFC_TYPE_BIT(TF_UINT16), .type_attr = "Tidx", .compute = range_u16 },
    { "Range", "CPU", TFC_TYPE_BIT(TF_UINT32), .type_attr = "Tidx", .compute = range_u32 },
    { "Tile", "CPU", COPY_TYPES, .host_inputs = 1u << 1, .compute = tile_compute },
    { "Pad", "CPU", COPY_TYPES, .host_inputs = 1u << 1, .compute = pad_compute },
    { "PadV2", "CPU", COPY_TYPES, .host_inputs = 1u << 1, .compute = pad_compute },
    { "BroadcastTo", "CPU", COPY_TYPES, .host_inputs = 1u << 1, .compute = broadcast_to_compute },
    { "BroadcastArgs", "CPU", I32 | I64, .host_inputs = 3, .host_outputs = 1,
      .compute = broadcast_args_compute },
    { "BroadcastGradientArgs", "CPU", I32 | I64, .host_inputs = 3, .host_outputs = 3,
      .compute = broadcast_gradient_args_compute },
    { 0 }
};
