/* cast_cpu: CPU kernels of Cast and ClipByValue (see ops/math_ops.c).
 *
 * Cast converts between every pair of float, double, int8, int16, int32, int64, uint8, uint16,
 * uint32, uint64 and bool (one map function per pair; SrcT == DstT views the input's buffer), by
 * the rules the GPU's Cast uses too (kernels/cast_rules.h: C's conversions, x86-64's results
 * where C leaves float → integer undefined, TensorFlow's Truncate for double → float).
 *
 * ClipByValue computes max(min(t, clip_value_max), clip_value_min) with std::min/std::max's NaN
 * behaviour (a NaN t stays NaN, a NaN bound is ignored), as TensorFlow's CPU kernel does; each
 * bound is a scalar or has t's shape. Its dtypes are TensorFlow's CPU kernels': float, double,
 * the signed integers, uint8 and uint16. */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "kernels/cast_check.h"
#include "kernels/cast_rules.h"
#include "kernels/cpu/broadcast.h"
#include "kernels/kernel.h"

// ---- the conversion functions ----

#define DEFINE_CAST(s, S, SK, ST, d, D, DK, DT) TFC_DEFINE_MAP(cast_##s##_##d, S, D, TFC_CAST_##SK##DK(d, D, a))
#define DEFINE_CASTS_FROM(s, S, SK, ST) TFC_CAST_DST(DEFINE_CAST, s, S, SK, ST)
TFC_CAST_SRC(DEFINE_CASTS_FROM)
TFC_DEFINE_MAP(cast_f64_f32_truncate, double, float, tfc_truncate_f64_f32(a))

#define CAST_ENTRY(s, S, SK, ST, d, D, DK, DT) cast_##s##_##d,
#define CAST_ROW(s, S, SK, ST) { TFC_CAST_DST(CAST_ENTRY, s, S, SK, ST) },
static const tfc_map_fn cast_fns[TFC_CAST_COUNT][TFC_CAST_COUNT] = { TFC_CAST_SRC(CAST_ROW) };

// ---- Cast ----

typedef struct cast_state {
    TF_DataType src, dst;
    tfc_map_fn fn; /* NULL: src == dst, the output views the input */
} cast_state;

static TF_Code cast_init(const tfc_kernel_init_ctx *c, void **state)
{
    tfc_cast_spec spec;
    TF_Code rc = tfc_cast_parse(c, &spec);
    if (rc) return rc;
    cast_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (cast_state){ spec.src, spec.dst, spec.src == spec.dst ? NULL : cast_fns[spec.src_index][spec.dst_index] };
    if (spec.truncate) s->fn = cast_f64_f32_truncate;
    *state = s;
    return TF_OK;
}

static void cast_compute(tfc_kernel_ctx *k)
{
    const cast_state *s = tfc_kernel_state(k);
    if (s->fn) {
        tfc_cwise_map(k, s->src, s->dst, s->fn, 1, 0);
        return;
    }
    if (!tfc_cwise_check(k, 1, s->src, s->dst)) return;
    TF_Tensor *t = tfc_tensor_ref(tfc_kernel_input(k, 0));
    if (!t) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
    else tfc_kernel_set_output(k, 0, t);
}

// ---- ClipByValue ----

/* z[i] = clip(t[i*st], lo[i*sl], hi[i*sh]) with s* = unit[0..2] */
typedef void (*clip_row_fn)(void *z, const void *t, const void *lo, const void *hi, int64_t n, const int *unit);

/* std::max(std::min(v, hi), lo): min(a, b) is b < a ? b : a, max(a, b) is a < b ? b : a. */
#define DEFINE_CLIP(s, T, U)                                                                         \
    static inline T clip_##s(T v, T lo, T hi)                                                       \
    {                                                                                               \
        T m = hi < v ? hi : v;                                                                      \
        return m < lo ? lo : m;                                                                     \
    }                                                                                               \
    static void clip_row_##s(void *zv, const void *tv, const void *lv, const void *hv, int64_t n,  \
                             const int *unit)                                                       \
    {                                                                                               \
        T *z = zv;                                                                                  \
        const T *t = tv, *lo = lv, *hi = hv;                                                        \
        int st = unit[0], sl = unit[1], sh = unit[2];                                               \
        if (st && !sl && !sh) { /* scalar bounds: the common case, vectorised */                    \
            const T l = lo[0], h = hi[0];                                                           \
            int64_t i = 0;                                                                          \
            for (; i + TFC_CWISE_BLOCK <= n; i += TFC_CWISE_BLOCK) {                                \
                T tb[TFC_CWISE_BLOCK];                                                              \
                for (int j = 0; j < TFC_CWISE_BLOCK; j++) tb[j] = t[i + j];                         \
                for (int j = 0; j < TFC_CWISE_BLOCK; j++) z[i + j] = clip_##s(tb[j], l, h);         \
            }                                                                                       \
            for (; i < n; i++) z[i] = clip_##s(t[i], l, h);                                         \
            return;                                                                                 \
        }                                                                                           \
        for (int64_t i = 0; i < n; i++) z[i] = clip_##s(t[i * st], lo[i * sl], hi[i * sh]);        \
    }
TFC_CWISE_FLOATS(DEFINE_CLIP)
TFC_CWISE_SIGNED(DEFINE_CLIP)
DEFINE_CLIP(u8, uint8_t, unsigned)
DEFINE_CLIP(u16, uint16_t, unsigned)

/* TensorFlow's CPU kernels: float, double, the signed integers, uint8 and uint16. */
static const clip_row_fn clip_rows[TFC_DTYPE_SLOTS] = {
    TFC_BY_FLOAT(clip_row), TFC_BY_SIGNED(clip_row), [TF_UINT8] = clip_row_u8, [TF_UINT16] = clip_row_u16,
};

typedef struct clip_state {
    TF_DataType dtype;
    clip_row_fn row;
} clip_state;

static TF_Code clip_init(const tfc_kernel_init_ctx *c, void **state)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    clip_row_fn f = t > 0 && t < TFC_DTYPE_SLOTS ? clip_rows[t] : NULL;
    if (!f)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    clip_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (clip_state){ t, f };
    *state = s;
    return TF_OK;
}

typedef struct clip_job {
    const tfc_bcast *b;
    clip_row_fn row;
    size_t es;
    char *z;
    const char *t, *lo, *hi;
} clip_job;

static void clip_run_row(void *arg, int64_t out, const int64_t *off, int64_t len)
{
    const clip_job *j = arg;
    j->row(j->z + (size_t)out * j->es, j->t + (size_t)off[0] * j->es, j->lo + (size_t)off[1] * j->es,
           j->hi + (size_t)off[2] * j->es, len, j->b->unit);
}

static void clip_compute(tfc_kernel_ctx *k)
{
    const clip_state *s = tfc_kernel_state(k);
    if (!tfc_cwise_check(k, 3, s->dtype, s->dtype)) return;
    const TF_Tensor *t = k->inputs[0], *lo = k->inputs[1], *hi = k->inputs[2];
    for (int i = 1; i < 3; i++) {
        const TF_Tensor *bound = k->inputs[i];
        if (bound->ndims != 0 && !tfc_same_dims(bound->dims, bound->ndims, t->dims, t->ndims)) {
            char a[256], b[256], c[256];
            tfc_kernel_error(k, TF_INVALID_ARGUMENT,
                             "clip_value_min and clip_value_max must be either of the same shape as input, "
                             "or a scalar. input shape: %s clip_value_min shape: %s clip_value_max shape: %s",
                             tfc_dims_str(t->dims, t->ndims, a, sizeof a),
                             tfc_dims_str(lo->dims, lo->ndims, b, sizeof b),
                             tfc_dims_str(hi->dims, hi->ndims, c, sizeof c));
            return;
        }
    }
    const int64_t *dims[3] = { t->dims, lo->dims, hi->dims };
    int ranks[3] = { t->ndims, lo->ndims, hi->ndims };
    tfc_bcast b;
    tfc_bcast_init(&b, 3, dims, ranks); /* cannot fail: scalars or t's shape */
    TF_Tensor *z;
    int fwd = tfc_forwardable_input(k, t->dims, t->ndims);
    if (tfc_kernel_forward_or_alloc(k, fwd, 0, t->dims, t->ndims, &z)) return;
    if (z->nelems == 0) return;
    clip_job job = { &b, s->row, tfc_dtype_elem_size(s->dtype), tfc_tensor_data(z), tfc_tensor_data(t),
                     tfc_tensor_data(lo), tfc_tensor_data(hi) };
    tfc_bcast_for(tfc_kernel_intra_pool(k), &b, 1, clip_run_row, &job);
}

// ---- the table ----

#define CAST_TYPES_MASK (TFC_CWISE_REAL_MASK | TFC_TYPE_BIT(TF_BOOL))
#define CLIP_TYPES_MASK \
    (TFC_CWISE_FLOAT_MASK | TFC_TYPES_SIGNED_INT | TFC_TYPE_BIT(TF_UINT8) | TFC_TYPE_BIT(TF_UINT16))

const tfc_kernel_def tfc_cpu_cast_kernels[] = {
    { "Cast", "CPU", CAST_TYPES_MASK, .type_attr = "SrcT", .init = cast_init, .free_state = tfc_free,
      .compute = cast_compute },
    { "ClipByValue", "CPU", CLIP_TYPES_MASK, .init = clip_init, .free_state = tfc_free, .compute = clip_compute },
    { 0 }
};
