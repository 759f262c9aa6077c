/* reduce_cuda: Sum, Mean, Prod, Max, Min, ArgMax, ArgMin and BiasAddGrad (float, double) on the
 * GPU, with the CPU kernels' checks, messages, output shapes and values (reduction_check.h,
 * bias_check.h). The axes and ArgMax's dimension are host inputs.
 *
 * A reduction is collapsed as on the CPU (reduction_check.h) into passes over [O, R, K] views,
 * innermost reduced group first; each pass is our own kernel (reduce_cuda.cu). Between passes the
 * values live in a pool temporary of the tensor's dtype, as the CPU keeps them, and Mean sums in
 * every pass but the last, which divides. An empty input gives the value over nothing (Sum 0,
 * Prod 1, Max -inf, Min +inf, Mean NaN); nothing reduced is a device copy. Temporaries and
 * scratch go back to the pool as soon as the kernels using them are queued: the pool is ordered by
 * the compute stream. */
#include "core/alloc.h"
#include "core/dtype.h"
#include "kernels/bias_check.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/reduce_launch.h"
#include "kernels/kernel.h"
#include "kernels/reduction_check.h"

static bool launched(tfc_kernel_ctx *k, cudaError_t e)
{
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
    return e == cudaSuccess;
}

static void *scratch(tfc_kernel_ctx *k, tfc_cuda *d, size_t n)
{
    void *p = tfc_cuda_pool_alloc(d->pool, n);
    if (!p) tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of GPU memory for %zu bytes of scratch", n);
    return p;
}

static bool is_f32_f64(TF_DataType t) { return t == TF_FLOAT || t == TF_DOUBLE; }

// ---- Sum, Mean, Prod, Max, Min ----

typedef struct red_state {
    TF_DataType dtype;
    bool keep_dims;
    tfc_gpu_reduce_op fin, mid; /* the last pass; the earlier ones (Mean: Sum) */
} red_state;

static TF_Code red_init(const tfc_kernel_init_ctx *c, tfc_gpu_reduce_op fin, tfc_gpu_reduce_op mid, void **state)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    if (!is_f32_f64(t))
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no GPU kernel for dtype %s", tfc_dtype_name(t));
    red_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (red_state){ t, tfc_attrs_bool(c->attrs, "keep_dims", false), fin, mid };
    *state = s;
    return TF_OK;
}

#define DEFINE_RED_INIT(name, fin, mid)                                       \
    static TF_Code name##_init(const tfc_kernel_init_ctx *c, void **state)    \
    {                                                                         \
        return red_init(c, fin, mid, state);                                  \
    }
DEFINE_RED_INIT(sum, TFC_GPU_REDUCE_SUM, TFC_GPU_REDUCE_SUM)
DEFINE_RED_INIT(mean, TFC_GPU_REDUCE_MEAN, TFC_GPU_REDUCE_SUM)
DEFINE_RED_INIT(prod, TFC_GPU_REDUCE_PROD, TFC_GPU_REDUCE_PROD)
DEFINE_RED_INIT(max, TFC_GPU_REDUCE_MAX, TFC_GPU_REDUCE_MAX)
DEFINE_RED_INIT(min, TFC_GPU_REDUCE_MIN, TFC_GPU_REDUCE_MIN)

/* Queues one pass with its scratch; false (error set) on failure. */
static bool run_pass(tfc_kernel_ctx *k, tfc_cuda *d, tfc_gpu_reduce_op op, TF_DataType t, const void *x, void *out,
                     tfc_reduce_pass p, int64_t div)
{
    size_t n = tfc_gpu_reduce_workspace_size(p.O, p.R, p.K);
    void *ws = n ? scratch(k, d, n) : NULL;
    if (n && !ws) return false;
    bool ok = launched(k, tfc_gpu_reduce_pass(op, t, x, out, p.O, p.R, p.K, div, ws, d->compute));
    if (ws) tfc_cuda_pool_free(d->pool, ws);
    return ok;
}

/* The passes, innermost reduced group first, through pool temporaries. */
static void reduce_groups(tfc_kernel_ctx *k, tfc_cuda *d, const red_state *s, const TF_Tensor *x, tfc_reduce_group *g,
                          int n, int64_t div, TF_Tensor *y)
{
    size_t es = tfc_dtype_elem_size(s->dtype);
    const void *cur = tfc_tensor_data(x);
    void *tmp = NULL;
    for (;;) {
        tfc_reduce_pass p = tfc_reduce_next_pass(g, &n);
        if (p.last) {
            run_pass(k, d, s->fin, s->dtype, cur, tfc_tensor_data(y), p, div);
            break;
        }
        void *next = scratch(k, d, (size_t)(p.O * p.K) * es); /* below x's size: no overflow */
        if (!next) break;
        bool ok = run_pass(k, d, s->mid, s->dtype, cur, next, p, 1);
        if (tmp) tfc_cuda_pool_free(d->pool, tmp);
        cur = tmp = next;
        if (!ok) break;
    }
    if (tmp) tfc_cuda_pool_free(d->pool, tmp);
}

static void reduce_compute(tfc_kernel_ctx *k)
{
    const red_state *s = tfc_kernel_state(k);
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    tfc_reduce_shape sh;
    TF_Tensor *y;
    if (!tfc_reduce_check(k, s->dtype, s->keep_dims, &sh)) return;
    if (tfc_kernel_alloc_output(k, 0, sh.dims, sh.rank, &y) || y->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    if (x->nelems == 0) { /* every output reduces nothing: R = 0 gives the value over nothing */
        run_pass(k, d, s->fin, s->dtype, NULL, tfc_tensor_data(y), (tfc_reduce_pass){ 1, 0, y->nelems, true },
                 sh.div);
        return;
    }
    tfc_reduce_group g[TFC_MAX_RANK];
    int reduced, n = tfc_reduce_groups(x, sh.reduce, g, &reduced);
    if (reduced == 0) { /* nothing reduced (or only size-1 dims): a copy */
        cudaError_t e = cudaMemcpyAsync(tfc_tensor_data(y), tfc_tensor_data(x), y->nbytes, cudaMemcpyDeviceToDevice,
                                        d->compute);
        if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "copying the input: %s", cudaGetErrorString(e));
        return;
    }
    reduce_groups(k, d, s, x, g, n, sh.div, y);
}

// ---- ArgMax, ArgMin ----

typedef struct arg_state {
    TF_DataType dtype, out_type;
    bool is_max;
} arg_state;

static TF_Code arg_init(const tfc_kernel_init_ctx *c, bool is_max, void **state)
{
    TF_DataType t = tfc_attrs_type(c->attrs, "T", (TF_DataType)0);
    TF_DataType ot = tfc_attrs_type(c->attrs, "output_type", TF_INT64);
    if (!is_f32_f64(t))
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "no GPU kernel for dtype %s", tfc_dtype_name(t));
    if (ot != TF_INT64 && ot != TF_INT32 && ot != TF_INT16 && ot != TF_UINT16)
        return tfc_kernel_init_error(c, TF_UNIMPLEMENTED, "output_type %s is not supported", tfc_dtype_name(ot));
    arg_state *s = tfc_malloc(sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *s = (arg_state){ t, ot, is_max };
    *state = s;
    return TF_OK;
}

static TF_Code argmax_init(const tfc_kernel_init_ctx *c, void **state) { return arg_init(c, true, state); }
static TF_Code argmin_init(const tfc_kernel_init_ctx *c, void **state) { return arg_init(c, false, state); }

static void arg_compute(tfc_kernel_ctx *k)
{
    const arg_state *s = tfc_kernel_state(k);
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    tfc_arg_shape sh;
    TF_Tensor *y;
    if (!tfc_arg_check(k, s->dtype, s->out_type, &sh)) return;
    if (tfc_kernel_alloc_output(k, 0, sh.dims, sh.rank, &y) || y->nelems == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    launched(k, tfc_gpu_arg_reduce(s->is_max, s->dtype, s->out_type, tfc_tensor_data(x), tfc_tensor_data(y), sh.O,
                                   sh.N, sh.K, d->compute));
}

// ---- BiasAddGrad ----

static TF_Code bias_grad_init(const tfc_kernel_init_ctx *c, void **state)
{
    return tfc_bias_add_grad_init(c, "GPU", state);
}

static void bias_grad_compute(tfc_kernel_ctx *k)
{
    const tfc_bias_grad_params *s = tfc_kernel_state(k);
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    int64_t outer, c, inner;
    TF_Tensor *y;
    if (!tfc_bias_add_grad_check(k, s->dtype, s->nchw, &outer, &c, &inner)) return;
    if (tfc_kernel_alloc_output(k, 0, &c, 1, &y) || c == 0) return;
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, "BiasAddGrad")) return;
    if (x->nelems == 0) {
        cudaError_t e = cudaMemsetAsync(tfc_tensor_data(y), 0, y->nbytes, d->compute);
        if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "zeroing the output: %s", cudaGetErrorString(e));
        return;
    }
    size_t n = tfc_gpu_bias_grad_workspace_size(outer, c, inner);
    void *ws = n ? scratch(k, d, n) : NULL;
    if (n && !ws) return;
    launched(k, tfc_gpu_bias_grad(s->dtype, tfc_tensor_data(x), tfc_tensor_data(y), outer, c, inner, ws, d->compute));
    if (ws) tfc_cuda_pool_free(d->pool, ws);
}

// ---- the table ----

#define F32_F64 (TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE))
#define REDUCE(op, init_fn)                                                                               \
    { op, "GPU", F32_F64, .host_inputs = 1u << 1, /* reduction_indices */ .init = init_fn,                \
      .free_state = tfc_free, .compute = reduce_compute }

const tfc_kernel_def tfc_gpu_reduce_kernels[] = {
    REDUCE("Sum", sum_init),
    REDUCE("Mean", mean_init),
    REDUCE("Prod", prod_init),
    REDUCE("Max", max_init),
    REDUCE("Min", min_init),
    { "ArgMax", "GPU", F32_F64, .host_inputs = 1u << 1, /* dimension */ .init = argmax_init, .free_state = tfc_free,
      .compute = arg_compute },
    { "ArgMin", "GPU", F32_F64, .host_inputs = 1u << 1, .init = argmin_init, .free_state = tfc_free,
      .compute = arg_compute },
    { "BiasAddGrad", "GPU", F32_F64, .init = bias_grad_init, .free_state = tfc_free, .compute = bias_grad_compute },
    { 0 },
};
