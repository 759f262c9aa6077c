/* compare_cpu: CPU kernels of the comparison, logical and select ops (see ops/math_ops.c):
 * Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual (float, double, the eight integer types;
 * Equal and NotEqual also bool), LogicalAnd, LogicalOr, LogicalNot, Select and SelectV2 (every
 * fixed-size dtype). Binary ops broadcast as NumPy does (broadcast.h).
 *
 * Comparisons follow IEEE: NaN compares unequal to everything. Equal and NotEqual with
 * incompatible_shape_error = false return a scalar false (true for NotEqual) when the shapes
 * cannot broadcast, as TensorFlow does (the GPU's comparisons, cuda/compare_cuda.c, share the
 * checks: broadcast.h's tfc_binary_prepare). Bool inputs are read as "non-zero is true", so a fed
 * bool tensor holding 2 behaves like one holding 1. Select keeps TensorFlow's old rules (condition is
 * a scalar, has t's shape, or is a vector over t's first dim); SelectV2 broadcasts all three (the
 * checks are shared with the GPU: kernels/select_check.h). */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "kernels/cpu/broadcast.h"
#include "kernels/kernel.h"
#include "kernels/select_check.h"

#define CMP(name, T, EXPR) TFC_DEFINE_BINARY_ROW(name, T, uint8_t, (uint8_t)(EXPR))

#define DEFINE_COMPARE_ROWS(s, T, U)                                                           \
    CMP(greater_##s, T, a > b)                                                                 \
    CMP(greater_equal_##s, T, a >= b)                                                          \
    CMP(less_##s, T, a < b)                                                                    \
    CMP(less_equal_##s, T, a <= b)                                                             \
    CMP(equal_##s, T, a == b)                                                                  \
    CMP(not_equal_##s, T, a != b)
TFC_CWISE_FLOATS(DEFINE_COMPARE_ROWS)
TFC_CWISE_SIGNED(DEFINE_COMPARE_ROWS)
TFC_CWISE_UNSIGNED(DEFINE_COMPARE_ROWS)
CMP(equal_b, uint8_t, (a != 0) == (b != 0))
CMP(not_equal_b, uint8_t, (a != 0) != (b != 0))
CMP(logical_and, uint8_t, (a != 0) & (b != 0))
CMP(logical_or, uint8_t, (a != 0) | (b != 0))
TFC_DEFINE_MAP(logical_not, uint8_t, uint8_t, (uint8_t)(a == 0))

// ---- comparisons and binary logical ops ----

#define NUMERIC10(op) TFC_BY_FLOAT(op), TFC_BY_SIGNED(op), TFC_BY_UNSIGNED(op)

typedef struct op_rows {
    tfc_binary_row_fn fn[TFC_DTYPE_SLOTS];
    bool not_equal; /* the value of Equal-like ops on shapes that cannot broadcast */
} op_rows;

static const op_rows greater_rows = { { NUMERIC10(greater) }, false };
static const op_rows greater_equal_rows = { { NUMERIC10(greater_equal) }, false };
static const op_rows less_rows = { { NUMERIC10(less) }, false };
static const op_rows less_equal_rows = { { NUMERIC10(less_equal) }, false };
static const op_rows equal_rows = { { NUMERIC10(equal), [TF_BOOL] = equal_b }, false };
static const op_rows not_equal_rows = { { NUMERIC10(not_equal), [TF_BOOL] = not_equal_b }, true };
static const op_rows logical_and_rows = { { [TF_BOOL] = logical_and }, false };
static const op_rows logical_or_rows = { { [TF_BOOL] = logical_or }, false };

typedef struct compare_state {
    TF_DataType dtype;
    tfc_binary_row_fn row;
    bool shape_error;    /* incompatible_shape_error */
    uint8_t incompatible_value;
} compare_state;

/* dtype: the type attr "T", or bool for ops without one (LogicalAnd, LogicalOr). */
static TF_Code rows_init(const tfc_kernel_init_ctx *c, const op_rows *rows, TF_DataType fixed, void **state)
{
    TF_DataType t = fixed ? fixed : tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    tfc_binary_row_fn f = t > 0 && t < TFC_DTYPE_SLOTS ? rows->fn[t] : NULL;
    if (!f)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    compare_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (compare_state){ t, f, tfc_attrs_bool(c->attrs, "incompatible_shape_error", true), rows->not_equal };
    *state = s;
    return TF_OK;
}

#define DEFINE_INIT(op, fixed)                                                   \
    static TF_Code op##_init(const tfc_kernel_init_ctx *c, void **state)         \
    {                                                                            \
        return rows_init(c, &op##_rows, fixed, state);                           \
    }
DEFINE_INIT(greater, 0)
DEFINE_INIT(greater_equal, 0)
DEFINE_INIT(less, 0)
DEFINE_INIT(less_equal, 0)
DEFINE_INIT(equal, 0)
DEFINE_INIT(not_equal, 0)
DEFINE_INIT(logical_and, TF_BOOL)
DEFINE_INIT(logical_or, TF_BOOL)

static void compare_compute(tfc_kernel_ctx *k)
{
    const compare_state *s = tfc_kernel_state(k);
    tfc_bcast b;
    bool incompatible;
    if (!tfc_binary_prepare(k, s->dtype, TF_BOOL, &b, s->shape_error ? NULL : &incompatible)) return;
    if (!s->shape_error && incompatible) {
        TF_Tensor *z;
        if (tfc_kernel_alloc_output(k, 0, NULL, 0, &z)) return;
        *(uint8_t *)tfc_tensor_data(z) = s->incompatible_value;
        return;
    }
    tfc_binary_run(k, &b, s->row, 1);
}

static void logical_not_compute(tfc_kernel_ctx *k) { tfc_cwise_map(k, TF_BOOL, TF_BOOL, logical_not, 1, 0); }

// ---- Select, SelectV2 ----

/* z[i] = c[i*sc] ? t[i*st] : e[i*se] (s* = unit[0..2]), on elements of one size: selecting
 * moves bytes, so one row function serves every dtype of that size. */
typedef void (*select_row_fn)(void *z, const uint8_t *c, const void *t, const void *e, int64_t n,
                              const int *unit);

typedef struct bytes16 {
    uint64_t w[2];
} bytes16;

#define DEFINE_SELECT_ROW(name, T)                                                                  \
    static void name(void *zv, const uint8_t *c, const void *tv, const void *ev, int64_t n,        \
                     const int *unit)                                                               \
    {                                                                                               \
        T *z = zv;                                                                                  \
        const T *t = tv, *e = ev;                                                                   \
        int sc = unit[0], st = unit[1], se = unit[2];                                               \
        if (sc && st && se) {                                                                       \
            for (int64_t i = 0; i < n; i++) z[i] = c[i] ? t[i] : e[i];                              \
            return;                                                                                 \
        }                                                                                           \
        for (int64_t i = 0; i < n; i++) z[i] = c[i * sc] ? t[i * st] : e[i * se];                   \
    }
DEFINE_SELECT_ROW(select_1, uint8_t)
DEFINE_SELECT_ROW(select_2, uint16_t)
DEFINE_SELECT_ROW(select_4, uint32_t)
DEFINE_SELECT_ROW(select_8, uint64_t)
DEFINE_SELECT_ROW(select_16, bytes16)

typedef struct select_state {
    TF_DataType dtype;
    size_t es;
    select_row_fn row;
} select_state;

static TF_Code select_init(const tfc_kernel_init_ctx *c, void **state)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    size_t es = t == TF_STRING ? 0 : tfc_dtype_elem_size(t);
    select_row_fn f = es == 1 ? select_1 : es == 2 ? select_2 : es == 4 ? select_4 : es == 8 ? select_8
                    : es == 16 ? select_16 : NULL;
    if (!f)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    select_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (select_state){ t, es, f };
    *state = s;
    return TF_OK;
}

typedef struct select_job {
    const tfc_bcast *b;
    select_row_fn row;
    size_t es;
    char *z;
    const uint8_t *c;
    const char *t, *e;
} select_job;

static void select_run_row(void *arg, int64_t out, const int64_t *off, int64_t len)
{
    const select_job *j = arg;
    j->row(j->z + (size_t)out * j->es, j->c + off[0], j->t + (size_t)off[1] * j->es, j->e + (size_t)off[2] * j->es,
           len, j->b->unit);
}

/* Fills output 0 (b's shape) with the selection, reusing t's or e's buffer when allowed. */
static void select_run(tfc_kernel_ctx *k, const select_state *s, const tfc_bcast *b)
{
    TF_Tensor *z;
    int fwd = tfc_forwardable_input(k, b->out_dims, b->out_rank);
    if (tfc_kernel_forward_or_alloc(k, fwd, 0, b->out_dims, b->out_rank, &z)) return;
    if (z->nelems == 0) return;
    select_job job = { b, s->row, s->es, tfc_tensor_data(z), tfc_tensor_data(k->inputs[0]),
                       tfc_tensor_data(k->inputs[1]), tfc_tensor_data(k->inputs[2]) };
    tfc_bcast_for(tfc_kernel_intra_pool(k), b, 1, select_run_row, &job);
}

static void selectv2_compute(tfc_kernel_ctx *k)
{
    const select_state *s = tfc_kernel_state(k);
    tfc_bcast b;
    if (tfc_selectv2_check(k, s->dtype, &b)) select_run(k, s, &b);
}

static void select_compute(tfc_kernel_ctx *k)
{
    const select_state *s = tfc_kernel_state(k);
    tfc_bcast b;
    bool scalar;
    if (!tfc_select_check(k, s->dtype, &b, &scalar)) return;
    if (scalar) { /* the output is all of t or all of e: view its buffer */
        const TF_Tensor *c = k->inputs[0], *t = k->inputs[1], *e = k->inputs[2];
        TF_Tensor *out = tfc_tensor_ref(*(const uint8_t *)tfc_tensor_data(c) ? t : e);
        if (!out) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory");
        else tfc_kernel_set_output(k, 0, out);
        return;
    }
    select_run(k, s, &b);
}

// ---- the table ----

#define NUMERIC_MASK TFC_CWISE_REAL_MASK
/* Every dtype with a fixed element size (not strings, resources or variants). */
#define SELECT_TYPES (TFC_TYPES_NUMBER | TFC_TYPE_BIT(TF_BOOL))

#define COMPARE(op, types, init_fn) \
    { op, "CPU", types, .init = init_fn, .free_state = tfc_free, .compute = compare_compute }

const tfc_kernel_def tfc_cpu_compare_kernels[] = {
    COMPARE("Greater", NUMERIC_MASK, greater_init),
    COMPARE("GreaterEqual", NUMERIC_MASK, greater_equal_init),
    COMPARE("Less", NUMERIC_MASK, less_init),
    COMPARE("LessEqual", NUMERIC_MASK, less_equal_init),
    COMPARE("Equal", NUMERIC_MASK | TFC_TYPE_BIT(TF_BOOL), equal_init),
    COMPARE("NotEqual", NUMERIC_MASK | TFC_TYPE_BIT(TF_BOOL), not_equal_init),
    COMPARE("LogicalAnd", 0, logical_and_init),
    COMPARE("LogicalOr", 0, logical_or_init),
    { "LogicalNot", "CPU", 0, .compute = logical_not_compute },
    { "Select", "CPU", SELECT_TYPES, .init = select_init, .free_state = tfc_free, .compute = select_compute },
    { "SelectV2", "CPU", SELECT_TYPES, .init = select_init, .free_state = tfc_free, .compute = selectv2_compute },
    { 0 }
};
