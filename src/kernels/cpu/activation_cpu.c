/* activation_cpu: CPU kernels of BiasAdd and the element-wise activations (see ops/nn_ops.c): Relu and
 * Relu6 (float, double, int32, int64), BiasAdd (same dtypes, NHWC and NCHW), Elu, Selu, LeakyRelu,
 * Softplus, Softsign (float, double); and of their gradient ops ReluGrad, Relu6Grad, EluGrad,
 * SeluGrad, LeakyReluGrad, SoftplusGrad, SoftsignGrad and BiasAddGrad (float, double).
 *
 * Each (op, dtype) is one type-specialised loop, written in blocks that -O2 vectorises; the input's
 * buffer is reused in place when the executor allows it, and big tensors are split across the
 * intra-op pool. NaN propagates as in TensorFlow (Relu(NaN) is NaN). Softplus never overflows: above
 * -log(eps) - 2 it is x, below log(eps) + 2 it is exp(x), as TensorFlow computes it. Integer BiasAdd
 * wraps on overflow (no UB). */
#include <math.h>
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/bias_check.h"
#include "kernels/cpu/broadcast.h"
#include "kernels/kernel.h"

/* Elements per vectorisable block: a local copy makes in-place runs safe without alias checks. */
#define BLOCK 16
#define MAX_DTYPE 32

/* One activation loop per (op, dtype): broadcast.h's block loop; `param` carries LeakyRelu's alpha. */
#define DEFINE_ACT(name, T, EXPR) TFC_DEFINE_MAP(name, T, T, EXPR)

#define SELU_SCALE 1.0507009873554804934193349852946
#define SELU_ALPHA 1.6732632423543772848170429916717

/* Softplus as TensorFlow: thresholds log(eps) + 2 where x or exp(x) is exact to machine precision. */
static inline float e_softplus_f32(float x)
{
    const float th = -13.942385f; /* log(FLT_EPSILON) + 2 */
    if (x > -th) return x;
    if (x < th) return expf(x);
    return log1pf(expf(x));
}
static inline double e_softplus_f64(double x)
{
    const double th = -34.043653389117154; /* log(DBL_EPSILON) + 2 */
    if (x > -th) return x;
    if (x < th) return exp(x);
    return log1p(exp(x));
}

#define DEFINE_FLOAT_ACTS(s, T, SUFFIX)                                                         \
    DEFINE_ACT(relu_##s, T, a < 0 ? (T)0 : a)                                                   \
    DEFINE_ACT(relu6_##s, T, a < 0 ? (T)0 : a > 6 ? (T)6 : a)                                   \
    DEFINE_ACT(elu_##s, T, a < 0 ? expm1##SUFFIX(a) : a)                                        \
    DEFINE_ACT(selu_##s, T, a < 0 ? (T)(SELU_SCALE * SELU_ALPHA) * expm1##SUFFIX(a) : (T)SELU_SCALE * a) \
    DEFINE_ACT(leaky_relu_##s, T, a > 0 ? a : a * (T)param)                                     \
    DEFINE_ACT(softplus_##s, T, e_softplus_##s(a))                                              \
    DEFINE_ACT(softsign_##s, T, a / (fabs##SUFFIX(a) + (T)1))
DEFINE_FLOAT_ACTS(f32, float, f)
DEFINE_FLOAT_ACTS(f64, double, )

DEFINE_ACT(relu_i32, int32_t, a < 0 ? 0 : a)
DEFINE_ACT(relu_i64, int64_t, a < 0 ? 0 : a)
DEFINE_ACT(relu6_i32, int32_t, a < 0 ? 0 : a > 6 ? 6 : a)
DEFINE_ACT(relu6_i64, int64_t, a < 0 ? 0 : a > 6 ? 6 : a)

/* The loops of one op, by dtype, and a rough cost in ns per element for parallel_for. */
typedef struct act_table {
    tfc_map_fn fn[MAX_DTYPE];
    int64_t cost;
} act_table;

#define FLOATS2(op) [TF_FLOAT] = op##_f32, [TF_DOUBLE] = op##_f64
#define BASIC4(op) FLOATS2(op), [TF_INT32] = op##_i32, [TF_INT64] = op##_i64

static const act_table relu_table = { { BASIC4(relu) }, 1 };
static const act_table relu6_table = { { BASIC4(relu6) }, 1 };
static const act_table elu_table = { { FLOATS2(elu) }, 12 };
static const act_table selu_table = { { FLOATS2(selu) }, 12 };
static const act_table leaky_relu_table = { { FLOATS2(leaky_relu) }, 1 };
static const act_table softplus_table = { { FLOATS2(softplus) }, 20 };
static const act_table softsign_table = { { FLOATS2(softsign) }, 3 };

typedef struct act_state {
    TF_DataType dtype;
    tfc_map_fn fn;
    int64_t cost;
    double alpha;
} act_state;

static TF_Code act_init(const tfc_kernel_init_ctx *c, const act_table *table, void **state)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    tfc_map_fn f = t > 0 && t < MAX_DTYPE ? table->fn[t] : NULL;
    if (!f)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    act_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (act_state){ t, f, table->cost, tfc_attrs_float(c->attrs, "alpha", 0.2f) };
    *state = s;
    return TF_OK;
}

#define DEFINE_INIT(op)                                                          \
    static TF_Code op##_init(const tfc_kernel_init_ctx *c, void **state)         \
    {                                                                            \
        return act_init(c, &op##_table, state);                                  \
    }
DEFINE_INIT(relu)
DEFINE_INIT(relu6)
DEFINE_INIT(elu)
DEFINE_INIT(selu)
DEFINE_INIT(leaky_relu)
DEFINE_INIT(softplus)
DEFINE_INIT(softsign)

/* True (after recording an error otherwise) when input i exists and has dtype t. */
static bool input_is(tfc_kernel_ctx *k, int i, TF_DataType t)
{
    if (i >= k->n_inputs || k->n_outputs < 1) {
        tfc_kernel_error(k, TF_INTERNAL, "expected at least %d inputs and an output", i + 1);
        return false;
    }
    if (k->inputs[i]->dtype != t || k->output_types[0] != t) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input %d has dtype %s, expected %s", i,
                         tfc_dtype_name(k->inputs[i]->dtype), tfc_dtype_name(t));
        return false;
    }
    return true;
}

static void act_compute(tfc_kernel_ctx *k)
{
    const act_state *s = tfc_kernel_state(k);
    tfc_cwise_map(k, s->dtype, s->dtype, s->fn, s->cost, s->alpha);
}

// ---- activation gradient ops: backprops[i] = f(gradients[i], features or outputs[i]) ----

/* y[i] = f(g[i], x[i]); y may be g or x (each element is read before it is written). */
typedef void (*act_grad_fn)(void *y, const void *g, const void *x, int64_t n, double alpha);

#define DEFINE_ACT_GRAD(name, T, EXPR)                                                            \
    static void name(void *yv, const void *gv, const void *xv, int64_t n, double alpha_d)         \
    {                                                                                             \
        T *y = yv;                                                                                \
        const T *g = gv, *x = xv;                                                                 \
        const T alpha = (T)alpha_d;                                                               \
        (void)alpha;                                                                              \
        for (int64_t i = 0; i < n; i++) {                                                         \
            T gr = g[i], a = x[i];                                                                \
            y[i] = (EXPR);                                                                        \
        }                                                                                         \
    }

/* As TensorFlow's functors: Relu(6)Grad multiply by a 0/1 mask (so a NaN gradient stays NaN). */
#define DEFINE_FLOAT_ACT_GRADS(s, T, SUFFIX)                                                        \
    DEFINE_ACT_GRAD(relu_grad_##s, T, gr * (T)(a > 0))                                              \
    DEFINE_ACT_GRAD(relu6_grad_##s, T, gr * (T)(a > 0 && a < 6))                                    \
    DEFINE_ACT_GRAD(elu_grad_##s, T, a < 0 ? (a + (T)1) * gr : gr)                                  \
    DEFINE_ACT_GRAD(selu_grad_##s, T,                                                               \
                    a < 0 ? gr * (a + (T)(SELU_SCALE * SELU_ALPHA)) : gr * (T)SELU_SCALE)           \
    DEFINE_ACT_GRAD(leaky_relu_grad_##s, T, a > 0 ? gr : gr * alpha)                                \
    DEFINE_ACT_GRAD(softplus_grad_##s, T, gr / (exp##SUFFIX(-a) + (T)1))                            \
    DEFINE_ACT_GRAD(softsign_grad_##s, T, gr / ((fabs##SUFFIX(a) + (T)1) * (fabs##SUFFIX(a) + (T)1)))
DEFINE_FLOAT_ACT_GRADS(f32, float, f)
DEFINE_FLOAT_ACT_GRADS(f64, double, )

typedef struct act_grad_table {
    act_grad_fn fn[MAX_DTYPE];
    int64_t cost;
} act_grad_table;

static const act_grad_table relu_grad_table = { { FLOATS2(relu_grad) }, 1 };
static const act_grad_table relu6_grad_table = { { FLOATS2(relu6_grad) }, 1 };
static const act_grad_table elu_grad_table = { { FLOATS2(elu_grad) }, 2 };
static const act_grad_table selu_grad_table = { { FLOATS2(selu_grad) }, 2 };
static const act_grad_table leaky_relu_grad_table = { { FLOATS2(leaky_relu_grad) }, 1 };
static const act_grad_table softplus_grad_table = { { FLOATS2(softplus_grad) }, 20 };
static const act_grad_table softsign_grad_table = { { FLOATS2(softsign_grad) }, 4 };

typedef struct act_grad_state {
    TF_DataType dtype;
    act_grad_fn fn;
    int64_t cost;
    double alpha;
} act_grad_state;

static TF_Code act_grad_init(const tfc_kernel_init_ctx *c, const act_grad_table *table, void **state)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    act_grad_fn f = t > 0 && t < MAX_DTYPE ? table->fn[t] : NULL;
    if (!f)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    act_grad_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (act_grad_state){ t, f, table->cost, tfc_attrs_float(c->attrs, "alpha", 0.2f) };
    *state = s;
    return TF_OK;
}

#define DEFINE_GRAD_INIT(op)                                                     \
    static TF_Code op##_init(const tfc_kernel_init_ctx *c, void **state)         \
    {                                                                            \
        return act_grad_init(c, &op##_table, state);                             \
    }
DEFINE_GRAD_INIT(relu_grad)
DEFINE_GRAD_INIT(relu6_grad)
DEFINE_GRAD_INIT(elu_grad)
DEFINE_GRAD_INIT(selu_grad)
DEFINE_GRAD_INIT(leaky_relu_grad)
DEFINE_GRAD_INIT(softplus_grad)
DEFINE_GRAD_INIT(softsign_grad)

typedef struct act_grad_job {
    act_grad_fn fn;
    size_t es;
    double alpha;
    char *y;
    const char *g, *x;
} act_grad_job;

static void act_grad_chunk(void *arg, int64_t begin, int64_t end)
{
    const act_grad_job *j = arg;
    size_t off = (size_t)begin * j->es;
    j->fn(j->y + off, j->g + off, j->x + off, end - begin, j->alpha);
}

static void act_grad_compute(tfc_kernel_ctx *k)
{
    const act_grad_state *s = tfc_kernel_state(k);
    if (!input_is(k, 0, s->dtype) || !input_is(k, 1, s->dtype)) return;
    if (!tfc_cwise_same_shape(k, 0, 1)) return;
    const TF_Tensor *g = tfc_kernel_input(k, 0), *x = tfc_kernel_input(k, 1);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, g->dims, g->ndims, &y)) return;
    if (y->nelems == 0) return;
    act_grad_job job = { s->fn, tfc_dtype_elem_size(s->dtype), s->alpha, tfc_tensor_data(y),
                         tfc_tensor_data(g), tfc_tensor_data(x) };
    tfc_parallel_for(tfc_kernel_intra_pool(k), y->nelems, s->cost, act_grad_chunk, &job);
}

// ---- BiasAdd ----

/* rows: y[r*c + j] = x[r*c + j] + b[j] for r in [r0, r1) (NHWC).
 * planes: y[p*inner + j] = x[p*inner + j] + b[p % c] for p in [p0, p1) (NCHW). U is the type the
 * addition runs in (unsigned for integers, so that overflow wraps). */
#define DEFINE_BIAS(s, T, U)                                                                     \
    static void bias_rows_##s(void *yv, const void *xv, const void *bv, int64_t r0, int64_t r1,  \
                              int64_t c, int64_t inner)                                          \
    {                                                                                            \
        T *y = yv;                                                                               \
        const T *x = xv, *b = bv;                                                                \
        (void)inner;                                                                             \
        for (int64_t r = r0; r < r1; r++)                                                        \
            for (int64_t j = 0; j < c; j++) y[r * c + j] = (T)((U)x[r * c + j] + (U)b[j]);       \
    }                                                                                            \
    static void bias_planes_##s(void *yv, const void *xv, const void *bv, int64_t p0, int64_t p1, \
                                int64_t c, int64_t inner)                                        \
    {                                                                                            \
        T *y = yv;                                                                               \
        const T *x = xv, *b = bv;                                                                \
        for (int64_t p = p0; p < p1; p++) {                                                      \
            const U bias = (U)b[p % c];                                                          \
            for (int64_t j = 0; j < inner; j++) y[p * inner + j] = (T)((U)x[p * inner + j] + bias); \
        }                                                                                        \
    }
DEFINE_BIAS(f32, float, float)
DEFINE_BIAS(f64, double, double)
DEFINE_BIAS(i32, int32_t, uint32_t)
DEFINE_BIAS(i64, int64_t, uint64_t)

typedef void (*bias_fn)(void *y, const void *x, const void *b, int64_t u0, int64_t u1, int64_t c,
                        int64_t inner);

typedef struct bias_state {
    TF_DataType dtype;
    bool nchw;
    bias_fn rows, planes;
} bias_state;

static TF_Code bias_add_init(const tfc_kernel_init_ctx *c, void **state)
{
    static const bias_fn rows[MAX_DTYPE] = { BASIC4(bias_rows) }, planes[MAX_DTYPE] = { BASIC4(bias_planes) };
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    if (!(t > 0 && t < MAX_DTYPE && rows[t]))
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no CPU kernel for dtype %s", tfc_dtype_name(t));
    bias_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (bias_state){ t, !strcmp(tfc_attrs_string(c->attrs, "data_format", "NHWC"), "NCHW"), rows[t],
                       planes[t] };
    *state = s;
    return TF_OK;
}

typedef struct bias_job {
    bias_fn fn;
    void *y;
    const void *x, *b;
    int64_t c, inner;
} bias_job;

static void bias_chunk(void *arg, int64_t begin, int64_t end)
{
    const bias_job *j = arg;
    j->fn(j->y, j->x, j->b, begin, end, j->c, j->inner);
}

static void bias_add_compute(tfc_kernel_ctx *k)
{
    const bias_state *s = tfc_kernel_state(k);
    if (!input_is(k, 0, s->dtype) || !input_is(k, 1, s->dtype)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0), *b = tfc_kernel_input(k, 1);
    bool nchw;
    int64_t c, inner;
    if (!tfc_bias_add_check(k, s->nchw, &nchw, &c, &inner)) return;
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y)) return;
    if (y->nelems == 0) return; /* c > 0 from here */
    bias_job job = { nchw ? s->planes : s->rows, tfc_tensor_data(y), tfc_tensor_data(x), tfc_tensor_data(b),
                     c, inner };
    int64_t units = nchw ? y->nelems / inner : y->nelems / c;
    tfc_parallel_for(tfc_kernel_intra_pool(k), units, nchw ? inner : c, bias_chunk, &job);
}

// ---- BiasAddGrad ----

/* out[ch] = sum of x over every dim but the channel dim; x viewed as [outer, c, inner] (inner is 1
 * for NHWC). Sums channels [begin, end) row by row, so the inner loop runs over contiguous channels
 * (NHWC) or contiguous positions (NCHW) and vectorises; accumulates in double. */
#define DEFINE_BIAS_GRAD(s, T)                                                                   \
    static void bias_grad_##s(T *y, const T *x, double *acc, int64_t outer, int64_t c,           \
                              int64_t inner, int64_t begin, int64_t end)                         \
    {                                                                                            \
        int64_t n = end - begin;                                                                 \
        for (int64_t ch = 0; ch < n; ch++) acc[ch] = 0;                                          \
        for (int64_t o = 0; o < outer; o++) {                                                    \
            const T *row = x + (o * c + begin) * inner;                                          \
            if (inner == 1) {                                                                    \
                for (int64_t ch = 0; ch < n; ch++) acc[ch] += (double)row[ch];                   \
                continue;                                                                        \
            }                                                                                    \
            for (int64_t ch = 0; ch < n; ch++) {                                                 \
                double sum = 0;                                                                  \
                for (int64_t j = 0; j < inner; j++) sum += (double)row[ch * inner + j];          \
                acc[ch] += sum;                                                                  \
            }                                                                                    \
        }                                                                                        \
        for (int64_t ch = 0; ch < n; ch++) y[begin + ch] = (T)acc[ch];                           \
    }
DEFINE_BIAS_GRAD(f32, float)
DEFINE_BIAS_GRAD(f64, double)

enum { BIAS_GRAD_BLOCK = 256 }; /* channels per accumulator block */

typedef struct bias_grad_job {
    TF_DataType dtype;
    void *y;
    const void *x;
    int64_t outer, c, inner;
} bias_grad_job;

static void bias_grad_chunk(void *arg, int64_t begin, int64_t end)
{
    const bias_grad_job *j = arg;
    double acc[BIAS_GRAD_BLOCK];
    for (int64_t b = begin; b < end; b += BIAS_GRAD_BLOCK) {
        int64_t e = end - b < BIAS_GRAD_BLOCK ? end : b + BIAS_GRAD_BLOCK;
        if (j->dtype == TF_FLOAT) bias_grad_f32(j->y, j->x, acc, j->outer, j->c, j->inner, b, e);
        else bias_grad_f64(j->y, j->x, acc, j->outer, j->c, j->inner, b, e);
    }
}

static TF_Code bias_add_grad_init(const tfc_kernel_init_ctx *c, void **state)
{
    return tfc_bias_add_grad_init(c, "CPU", state);
}

static void bias_add_grad_compute(tfc_kernel_ctx *k)
{
    const tfc_bias_grad_params *s = tfc_kernel_state(k);
    int64_t c, outer, inner;
    if (!tfc_bias_add_grad_check(k, s->dtype, s->nchw, &outer, &c, &inner)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    TF_Tensor *y;
    if (tfc_kernel_alloc_output(k, 0, &c, 1, &y)) return;
    if (c == 0) return;
    if (x->nelems == 0) {
        memset(tfc_tensor_data(y), 0, (size_t)c * tfc_dtype_elem_size(s->dtype));
        return;
    }
    bias_grad_job job = { s->dtype, tfc_tensor_data(y), tfc_tensor_data(x), outer, c, inner };
    tfc_parallel_for(tfc_kernel_intra_pool(k), c, outer * inner, bias_grad_chunk, &job);
}

// ---- the table ----

#define F2 (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
#define F2_I2 (F2 | TFC_TYPE_BIT(TF_INT32) | TFC_TYPE_BIT(TF_INT64))

#define ACT(op, types, init_fn) \
    { op, "CPU", types, .init = init_fn, .free_state = tfc_free, .compute = act_compute }

#define ACT_GRAD(op, init_fn) \
    { op, "CPU", F2, .init = init_fn, .free_state = tfc_free, .compute = act_grad_compute }

const tfc_kernel_def tfc_cpu_activation_kernels[] = {
    { "BiasAdd", "CPU", F2_I2, .init = bias_add_init, .free_state = tfc_free, .compute = bias_add_compute },
    ACT("Relu", F2_I2, relu_init),
    ACT("Relu6", F2_I2, relu6_init),
    ACT("Elu", F2, elu_init),
    ACT("Selu", F2, selu_init),
    ACT("LeakyRelu", F2, leaky_relu_init),
    ACT("Softplus", F2, softplus_init),
    ACT("Softsign", F2, softsign_init),
    ACT_GRAD("ReluGrad", relu_grad_init),
    ACT_GRAD("Relu6Grad", relu6_grad_init),
    ACT_GRAD("EluGrad", elu_grad_init),
    ACT_GRAD("SeluGrad", selu_grad_init),
    ACT_GRAD("LeakyReluGrad", leaky_relu_grad_init),
    ACT_GRAD("SoftplusGrad", softplus_grad_init),
    ACT_GRAD("SoftsignGrad", softsign_grad_init),
    { "BiasAddGrad", "CPU", F2, .init = bias_add_grad_init, .free_state = tfc_free,
      .compute = bias_add_grad_compute },
    { 0 }
};
