/* gather_cpu: CPU kernels of the indexing ops (see ops/array_build_ops.c): GatherV2 (with
 * batch_dims), OneHot and Where.
 *
 * GatherV2 and OneHot move elements as bytes, so they serve every fixed-size dtype. GatherV2
 * checks every index before copying anything ("indices[1,2] = 7 is not in [0, 5)", as TensorFlow
 * reports it; the checks are shared with the GPU: gather_check.h); OneHot gives all-off rows for
 * out-of-range indices, as TensorFlow does. Where
 * writes the int64 coordinates of the non-zero elements (NaN counts as non-zero, -0.0 does not). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/array_build_check.h"
#include "kernels/gather_check.h"
#include "kernels/kernel.h"

#define COPY_TYPES (TFC_TYPES_NUMBER | TFC_TYPES_QUANTIZED | TFC_TYPE_BIT(TF_BOOL))
#define WHERE_TYPES (TFC_TYPES_NUMBER | TFC_TYPES_QUANTIZED | TFC_TYPE_BIT(TF_BOOL))

// ---- GatherV2 ----

typedef struct gather_job {
    const char *params;
    char *out;
    const TF_Tensor *indices;
    int64_t outer, gather, inner, nidx; /* per batch: outer * nidx units of inner elements */
    size_t esize;
} gather_job;

static void gather_units(void *arg, int64_t begin, int64_t end)
{
    const gather_job *j = arg;
    size_t row = (size_t)j->inner * j->esize;
    for (int64_t u = begin; u < end; u++) {
        int64_t i = u % j->nidx, bo = u / j->nidx, b = bo / j->outer;
        int64_t src = bo * j->gather + tfc_index_at(j->indices, b * j->nidx + i);
        const char *s = j->params + (size_t)src * row;
        char *d = j->out + (size_t)u * row;
        switch (row) {
        case 1: *d = *s; break;
        case 2: memcpy(d, s, 2); break;
        case 4: memcpy(d, s, 4); break;
        case 8: memcpy(d, s, 8); break;
        default: memcpy(d, s, row);
        }
    }
}

static void gather_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *params = tfc_kernel_input(k, 0), *indices = tfc_kernel_input(k, 1);
    tfc_gather_geom g;
    if (!tfc_gather_check(k, &g)) return;
    gather_job j = { tfc_tensor_data(params), NULL, indices, g.outer, g.gather, g.inner, g.nidx,
                     tfc_dtype_elem_size(params->dtype) };
    int64_t units = g.batch * g.outer * g.nidx; /* output elements / inner: cannot overflow */
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, g.dims, g.rank, &out)) return;
    if (out->nelems == 0) return;
    j.out = tfc_tensor_data(out);
    tfc_parallel_for(tfc_kernel_intra_pool(k), units, 10 + j.inner * (int64_t)j.esize / 8, gather_units, &j);
}

// ---- OneHot ----

static void one_hot_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *idx = tfc_kernel_input(k, 0), *on = tfc_kernel_input(k, 2), *off = tfc_kernel_input(k, 3);
    int64_t dims[TFC_MAX_RANK], depth, suffix;
    int rank;
    if (!tfc_one_hot_check(k, dims, &rank, &depth, &suffix)) return;
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, rank, &out)) return;
    size_t esize = tfc_dtype_elem_size(out->dtype);
    char *o = tfc_tensor_data(out);
    const char *off_v = tfc_tensor_data(off), *on_v = tfc_tensor_data(on);
    for (int64_t i = 0; i < out->nelems; i++) memcpy(o + (size_t)i * esize, off_v, esize);
    for (int64_t i = 0; i < idx->nelems && suffix > 0; i++) {
        int64_t v = tfc_index_at(idx, i), p = i / suffix, s = i % suffix;
        if (v >= 0 && v < depth) memcpy(o + (size_t)((p * depth + v) * suffix + s) * esize, on_v, esize);
    }
}

// ---- Where ----

/* Per element class: how to read "non-zero". Stamps out a counter and a coordinate writer. */
#define DEFINE_WHERE(name, T, NONZERO)                                                                       \
    static int64_t where_count_##name(const void *xv, int64_t n)                                             \
    {                                                                                                        \
        const T *x = xv;                                                                                     \
        int64_t c = 0;                                                                                       \
        for (int64_t i = 0; i < n; i++) c += (NONZERO) ? 1 : 0;                                              \
        return c;                                                                                            \
    }                                                                                                        \
    static void where_write_##name(const void *xv, const TF_Tensor *in, int64_t *o)                          \
    {                                                                                                        \
        const T *x = xv;                                                                                     \
        int r = in->ndims;                                                                                   \
        int64_t coord[TFC_MAX_RANK] = { 0 };                                                                 \
        for (int64_t i = 0; i < in->nelems; i++) {                                                           \
            if (NONZERO) {                                                                                   \
                memcpy(o, coord, (size_t)r * sizeof *o);                                                     \
                o += r;                                                                                      \
            }                                                                                                \
            for (int d = r - 1; d >= 0 && ++coord[d] == in->dims[d]; d--) coord[d] = 0;                      \
        }                                                                                                    \
    }
DEFINE_WHERE(u8, uint8_t, x[i] != 0)
DEFINE_WHERE(u16, uint16_t, x[i] != 0)
DEFINE_WHERE(u32, uint32_t, x[i] != 0)
DEFINE_WHERE(u64, uint64_t, x[i] != 0)
DEFINE_WHERE(f32, float, x[i] != 0)
DEFINE_WHERE(f64, double, x[i] != 0)
DEFINE_WHERE(f16, uint16_t, (x[i] & 0x7FFF) != 0)
DEFINE_WHERE(c64, float, x[2 * i] != 0 || x[2 * i + 1] != 0)
DEFINE_WHERE(c128, double, x[2 * i] != 0 || x[2 * i + 1] != 0)

typedef struct where_impl {
    int64_t (*count)(const void *x, int64_t n);
    void (*write)(const void *x, const TF_Tensor *in, int64_t *o);
} where_impl;

static where_impl where_for(TF_DataType t)
{
    switch (t) {
    case TF_FLOAT: return (where_impl){ where_count_f32, where_write_f32 };
    case TF_DOUBLE: return (where_impl){ where_count_f64, where_write_f64 };
    case TF_HALF:
    case TF_BFLOAT16: return (where_impl){ where_count_f16, where_write_f16 };
    case TF_COMPLEX64: return (where_impl){ where_count_c64, where_write_c64 };
    case TF_COMPLEX128: return (where_impl){ where_count_c128, where_write_c128 };
    default: break;
    }
    switch (tfc_dtype_elem_size(t)) { /* integers, bool, quantized: any set bit */
    case 1: return (where_impl){ where_count_u8, where_write_u8 };
    case 2: return (where_impl){ where_count_u16, where_write_u16 };
    case 4: return (where_impl){ where_count_u32, where_write_u32 };
    case 8: return (where_impl){ where_count_u64, where_write_u64 };
    default: return (where_impl){ NULL, NULL };
    }
}

static void where_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    where_impl w = where_for(in->dtype);
    if (!w.count) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "Where has no CPU kernel for %s", tfc_dtype_name(in->dtype));
        return;
    }
    if (in->ndims == 0) { /* as TensorFlow's kernel (its shape function accepts scalars) */
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "WhereOp : Unhandled input dimensions: 0");
        return;
    }
    const void *x = tfc_tensor_data(in);
    int64_t dims[2] = { w.count(x, in->nelems), in->ndims };
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, dims, 2, &out)) return;
    if (dims[0] > 0) w.write(x, in, tfc_tensor_data(out));
}

// ---- the table ----

const tfc_kernel_def tfc_cpu_gather_kernels[] = {
    { "GatherV2", "CPU", COPY_TYPES, .type_attr = "Tparams", .host_inputs = 1u << 2, .init = tfc_gather_init,
      .compute = gather_compute },
    { "OneHot", "CPU", COPY_TYPES, .host_inputs = 1u << 1, .init = tfc_one_hot_init, .compute = one_hot_compute },
    { "Where", "CPU", WHERE_TYPES, .compute = where_compute },
    { 0 }
};
