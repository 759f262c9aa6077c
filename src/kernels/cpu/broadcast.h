/* broadcast: the shared machinery of the element-wise CPU kernels (math_cpu.c, unary_cpu.c,
 * compare_cpu.c, cast_cpu.c).
 *
 * - tfc_bcast: NumPy broadcasting of up to three operands, collapsed into as few dims as possible
 *   (size-1 dims dropped, neighbours that every operand broadcasts alike merged), and a parallel
 *   driver that hands out contiguous runs of the innermost dim. A kernel's inner loop is then a
 *   type-specialised row function; no function pointer is called per element.
 * - tfc_binary_*: the driver of two-input kernels (Add, Maximum, Greater, LogicalAnd, ...).
 * - tfc_cwise_map: the driver of one-input, same-shape kernels (Neg, Exp, Cast, LogicalNot, ...).
 *
 * Row and map functions are written so that -O2 vectorises them: TFC_CWISE_BLOCK elements at a
 * time through a local array (GCC's default cost model at -O2 only vectorises loops whose trip
 * count is a known multiple of the vector width, and the local copy makes in-place runs, where
 * the output aliases an input, safe without runtime alias checks). */
#ifndef TFC_KERNELS_CPU_BROADCAST_H_
#define TFC_KERNELS_CPU_BROADCAST_H_
#include <stdbool.h>
#include <stdint.h>

#include "core/dtype.h"
#include "kernels/kernel.h"

#define TFC_BCAST_MAX_OPERANDS 3
/* Size of per-dtype function tables indexed by TF_DataType. */
#define TFC_DTYPE_SLOTS 32
_Static_assert(TF_UINT4 < TFC_DTYPE_SLOTS, "TFC_DTYPE_SLOTS must exceed every TF_DataType");
/* Elements per vectorisable block in row and map functions. */
#define TFC_CWISE_BLOCK 16

/* The element types, for X-macros: X(suffix, C type, unsigned type for wrapping arithmetic). The
 * 8- and 16-bit types wrap in unsigned int, so that their products are not promoted to int. */
#define TFC_CWISE_FLOATS(X) X(f32, float, float) X(f64, double, double)
#define TFC_CWISE_SIGNED(X) \
    X(i8, int8_t, unsigned) X(i16, int16_t, unsigned) X(i32, int32_t, uint32_t) X(i64, int64_t, uint64_t)
#define TFC_CWISE_UNSIGNED(X) \
    X(u8, uint8_t, unsigned) X(u16, uint16_t, unsigned) X(u32, uint32_t, uint32_t) X(u64, uint64_t, uint64_t)
/* Designated initialisers of per-dtype tables: [TF_FLOAT] = name_f32, [TF_DOUBLE] = name_f64, ... */
#define TFC_BY_FLOAT(name) [TF_FLOAT] = name##_f32, [TF_DOUBLE] = name##_f64
#define TFC_BY_SIGNED(name) \
    [TF_INT8] = name##_i8, [TF_INT16] = name##_i16, [TF_INT32] = name##_i32, [TF_INT64] = name##_i64
#define TFC_BY_UNSIGNED(name) \
    [TF_UINT8] = name##_u8, [TF_UINT16] = name##_u16, [TF_UINT32] = name##_u32, [TF_UINT64] = name##_u64
#define TFC_CWISE_FLOAT_MASK (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
#define TFC_CWISE_REAL_MASK (TFC_CWISE_FLOAT_MASK | TFC_TYPES_INT)

typedef struct tfc_bcast {
    int n;                          /* operands */
    int out_rank;                   /* the broadcast shape */
    int64_t out_dims[TFC_MAX_RANK];
    int64_t out_count;              /* -1 when it overflows int64 (allocating the output fails) */
    int rank;                       /* the collapsed iteration space (0 when out_count <= 0) */
    int64_t dims[TFC_MAX_RANK];
    int64_t strides[TFC_BCAST_MAX_OPERANDS][TFC_MAX_RANK]; /* in elements; 0 where broadcast */
    int unit[TFC_BCAST_MAX_OPERANDS]; /* operand k's step along the innermost dim: 1, or 0 */
} tfc_bcast;

/* Broadcasts n (1..3) operand shapes (non-negative dims); false when they are incompatible. */
bool tfc_bcast_init(tfc_bcast *b, int n, const int64_t *const dims[], const int ranks[]);

/* Called for output elements [out, out + len): operand k's element for `out` is off[k], and it
 * advances by b->unit[k] per element. */
typedef void (*tfc_bcast_run_fn)(void *arg, int64_t out, const int64_t *off, int64_t len);
/* Calls run over every output element, split across pool (may be NULL) by cost_per_elem (ns). */
void tfc_bcast_for(tfc_threadpool *pool, const tfc_bcast *b, int64_t cost_per_elem, tfc_bcast_run_fn run,
                   void *arg);

/* ---- two-input kernels ---- */

/* z[i] = x[i*sx] op y[i*sy] for i in [0, n), sx and sy in {0, 1}; z may alias x or y. */
typedef void (*tfc_binary_row_fn)(void *z, const void *x, const void *y, int64_t n, int sx, int sy);

/* Defines a tfc_binary_row_fn over inputs of type T and outputs of type R; EXPR computes an output
 * element from the input elements `a` (of x) and `b` (of y). */
#define TFC_DEFINE_BINARY_ROW(name, T, R, EXPR)                                                     \
    static void name(void *zv, const void *xv, const void *yv, int64_t n, int sx, int sy)          \
    {                                                                                               \
        R *z = zv;                                                                                  \
        const T *x = xv, *y = yv;                                                                   \
        int64_t i = 0;                                                                              \
        if (sx && sy) {                                                                             \
            for (; i + TFC_CWISE_BLOCK <= n; i += TFC_CWISE_BLOCK) {                                \
                T xb[TFC_CWISE_BLOCK], yb[TFC_CWISE_BLOCK];                                         \
                for (int j = 0; j < TFC_CWISE_BLOCK; j++) xb[j] = x[i + j], yb[j] = y[i + j];       \
                for (int j = 0; j < TFC_CWISE_BLOCK; j++) {                                         \
                    T a = xb[j], b = yb[j];                                                         \
                    z[i + j] = (EXPR);                                                              \
                }                                                                                   \
            }                                                                                       \
            for (; i < n; i++) {                                                                    \
                T a = x[i], b = y[i];                                                               \
                z[i] = (EXPR);                                                                      \
            }                                                                                       \
        } else if (sx) {                                                                            \
            const T b = y[0];                                                                       \
            for (; i + TFC_CWISE_BLOCK <= n; i += TFC_CWISE_BLOCK) {                                \
                T xb[TFC_CWISE_BLOCK];                                                              \
                for (int j = 0; j < TFC_CWISE_BLOCK; j++) xb[j] = x[i + j];                         \
                for (int j = 0; j < TFC_CWISE_BLOCK; j++) {                                         \
                    T a = xb[j];                                                                    \
                    z[i + j] = (EXPR);                                                              \
                }                                                                                   \
            }                                                                                       \
            for (; i < n; i++) {                                                                    \
                T a = x[i];                                                                         \
                z[i] = (EXPR);                                                                      \
            }                                                                                       \
        } else if (sy) {                                                                            \
            const T a = x[0];                                                                       \
            for (; i + TFC_CWISE_BLOCK <= n; i += TFC_CWISE_BLOCK) {                                \
                T yb[TFC_CWISE_BLOCK];                                                              \
                for (int j = 0; j < TFC_CWISE_BLOCK; j++) yb[j] = y[i + j];                         \
                for (int j = 0; j < TFC_CWISE_BLOCK; j++) {                                         \
                    T b = yb[j];                                                                    \
                    z[i + j] = (EXPR);                                                              \
                }                                                                                   \
            }                                                                                       \
            for (; i < n; i++) {                                                                    \
                T b = y[i];                                                                         \
                z[i] = (EXPR);                                                                      \
            }                                                                                       \
        } else {                                                                                    \
            const T a = x[0], b = y[0];                                                             \
            const R v = (EXPR);                                                                     \
            for (; i < n; i++) z[i] = v;                                                            \
        }                                                                                           \
    }

/* Checks that the kernel has 2 inputs of dtype and output dtype out, and broadcasts the inputs
 * into *b. On incompatible shapes: records INVALID_ARGUMENT "Incompatible shapes: [2,3] vs. [4]"
 * and returns false, or, when incompatible is not NULL, sets *incompatible and returns true. */
bool tfc_binary_prepare(tfc_kernel_ctx *k, TF_DataType dtype, TF_DataType out, tfc_bcast *b,
                        bool *incompatible);
/* Allocates output 0 with b's shape (reusing an input's buffer when the executor allows it and
 * the input has the output's shape and dtype) and fills it with row, in parallel. */
void tfc_binary_run(tfc_kernel_ctx *k, const tfc_bcast *b, tfc_binary_row_fn row, int64_t cost_per_elem);

/* ---- one-input, same-shape kernels ---- */

/* y[i] = f(x[i]) for i in [0, n); y may be x. param is an op's scalar attr (LeakyRelu's alpha),
 * 0 for ops without one. */
typedef void (*tfc_map_fn)(void *y, const void *x, int64_t n, double param);

/* Defines a tfc_map_fn from T to R; EXPR computes an output element from the input element `a`
 * (and may use `param`). */
#define TFC_DEFINE_MAP(name, T, R, EXPR)                                                            \
    static void name(void *yv, const void *xv, int64_t n, double param)                             \
    {                                                                                               \
        R *y = yv;                                                                                  \
        const T *x = xv;                                                                            \
        (void)param;                                                                                \
        int64_t i = 0;                                                                              \
        for (; i + TFC_CWISE_BLOCK <= n; i += TFC_CWISE_BLOCK) {                                    \
            T xb[TFC_CWISE_BLOCK];                                                                  \
            for (int j = 0; j < TFC_CWISE_BLOCK; j++) xb[j] = x[i + j];                             \
            for (int j = 0; j < TFC_CWISE_BLOCK; j++) {                                             \
                T a = xb[j];                                                                        \
                y[i + j] = (EXPR);                                                                  \
            }                                                                                       \
        }                                                                                           \
        for (; i < n; i++) {                                                                        \
            T a = x[i];                                                                             \
            y[i] = (EXPR);                                                                          \
        }                                                                                           \
    }

/* Checks that the kernel has one input, of dtype `in`, and output dtype `out`; allocates output 0
 * with the input's shape (reusing its buffer when allowed and in == out) and fills it with
 * fn(..., param), in parallel. */
void tfc_cwise_map(tfc_kernel_ctx *k, TF_DataType in, TF_DataType out, tfc_map_fn fn, int64_t cost_per_elem,
                   double param);

/* ---- helpers ---- */

/* True when dims a[0..na) and b[0..nb) are the same shape. */
bool tfc_same_dims(const int64_t *a, int na, const int64_t *b, int nb);
/* Checks that the kernel has n inputs, all of dtype (0: not checked), and that output 0 has dtype
 * out; records an error and returns false otherwise. The executor guarantees this; a mismatch
 * would make the loops read or write past buffers, so kernels check anyway. */
bool tfc_cwise_check(tfc_kernel_ctx *k, int n, TF_DataType dtype, TF_DataType out);
/* For the activation gradients (ReluGrad(gradients, features), ...), which do not broadcast:
 * inputs a and b have the same shape, else INVALID_ARGUMENT in TensorFlow's words. */
bool tfc_cwise_same_shape(tfc_kernel_ctx *k, int a, int b);
/* The first input whose buffer output 0 (of shape dims) may take over: it has that shape and
 * output 0's dtype, and the executor allows it (kernel.c then checks size and exclusivity); -1
 * when none. For element-wise kernels in place is safe: each output element reads only the same
 * element of that input before writing it. */
int tfc_forwardable_input(const tfc_kernel_ctx *k, const int64_t *dims, int rank);
/* True when some element of integer tensor t is zero. */
bool tfc_has_zero(const TF_Tensor *t);

#endif
