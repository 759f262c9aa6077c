/* test_kernels: the kernel registry and the CPU kernels of the array and math families, run on
 * hand-built kernel contexts (no graph, no session) and compared with hand-computed values and
 * naive reference implementations (broadcasting by multi-index, MatMul by a triple loop in double). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/status.h"
#include "core/tensor.h"
#include "core/threadpool.h"
#include "kernels/cuda/cuda_devices.h"
#include "kernels/kernel.h"
#include "ops/op_def.h"
#include "tfc/c_api.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_IO 8

static const TF_DataType math_dtypes[] = { TF_FLOAT, TF_DOUBLE, TF_INT32, TF_INT64 };

/* ---- helpers ---- */

static double get_elem(const TF_Tensor *t, int64_t i)
{
    const void *d = tfc_tensor_data(t);
    switch (t->dtype) {
    case TF_FLOAT: return ((const float *)d)[i];
    case TF_DOUBLE: return ((const double *)d)[i];
    case TF_INT32: return ((const int32_t *)d)[i];
    case TF_INT64: return (double)((const int64_t *)d)[i];
    default: fail_msg("unexpected dtype %d", t->dtype);
    }
    return 0;
}

static void set_elem(TF_Tensor *t, int64_t i, double v)
{
    void *d = tfc_tensor_data(t);
    switch (t->dtype) {
    case TF_FLOAT: ((float *)d)[i] = (float)v; break;
    case TF_DOUBLE: ((double *)d)[i] = v; break;
    case TF_INT32: ((int32_t *)d)[i] = (int32_t)v; break;
    case TF_INT64: ((int64_t *)d)[i] = (int64_t)v; break;
    default: fail_msg("unexpected dtype %d", t->dtype);
    }
}

static int64_t count_of(const int64_t *dims, int ndims)
{
    int64_t n = 1;
    for (int i = 0; i < ndims; i++) n *= dims[i];
    return n;
}

/* A tensor of dtype and shape; vals (may be NULL) gives its elements, else element i is gen(i). */
static TF_Tensor *make(TF_DataType dtype, const int64_t *dims, int ndims, const double *vals)
{
    int64_t n = count_of(dims, ndims);
    TF_Tensor *t = TF_AllocateTensor(dtype, dims, ndims, (size_t)n * TF_DataTypeSize(dtype));
    assert_non_null(t);
    for (int64_t i = 0; i < n; i++) set_elem(t, i, vals ? vals[i] : (double)((i * 7) % 11) - 5);
    return t;
}

static void put_type(tfc_attrs *a, const char *name, TF_DataType t)
{
    tfc_attr_value v = { .type = TF_ATTR_TYPE, .u.type = t };
    assert_int_equal(tfc_attrs_put(a, name, &v), 0);
}

static void put_bool(tfc_attrs *a, const char *name, bool b)
{
    tfc_attr_value v = { .type = TF_ATTR_BOOL, .u.b = b };
    assert_int_equal(tfc_attrs_put(a, name, &v), 0);
}

/* One kernel run on a hand-built context. */
typedef struct run {
    const char *op;
    tfc_attrs attrs;
    int n_in, n_out;
    TF_Tensor *in[MAX_IO];
    bool forwardable[MAX_IO];
    TF_DataType in_types[MAX_IO], out_types[MAX_IO];
    TF_Tensor *out[MAX_IO];
    tfc_threadpool *pool;
    TF_Status *st;
} run;

static void run_init(run *r, const char *op, int n_out, TF_DataType out_type)
{
    memset(r, 0, sizeof *r);
    r->op = op;
    r->n_out = n_out;
    for (int i = 0; i < n_out; i++) r->out_types[i] = out_type;
    r->st = TF_NewStatus();
}

static void run_add_input(run *r, TF_Tensor *t)
{
    assert_true(r->n_in < MAX_IO);
    r->in_types[r->n_in] = t->dtype;
    r->in[r->n_in++] = t;
}

/* Looks the kernel up, runs init, compute and free_state; returns the status code. */
static TF_Code run_kernel(run *r)
{
    const tfc_kernel_def *kd = tfc_kernel_lookup(r->op, "CPU", &r->attrs);
    assert_non_null(kd);
    tfc_kernel_init_ctx ic = { "node", r->op, &r->attrs, r->n_in, r->in_types, r->n_out, r->out_types, NULL,
                               r->st };
    void *state = NULL;
    if (kd->init && kd->init(&ic, &state)) return TF_GetCode(r->st);
    tfc_kernel_ctx k = { .op_name = "node", .op_type = r->op, .state = state, .n_inputs = r->n_in,
                         .inputs = r->in, .input_forwardable = r->forwardable, .n_outputs = r->n_out,
                         .outputs = r->out, .output_types = r->out_types, .intra_pool = r->pool,
                         .status = r->st };
    kd->compute(&k);
    if (kd->free_state) kd->free_state(state);
    return TF_GetCode(r->st);
}

static void run_free(run *r)
{
    for (int i = 0; i < r->n_in; i++) TF_DeleteTensor(r->in[i]);
    for (int i = 0; i < r->n_out; i++) TF_DeleteTensor(r->out[i]);
    tfc_attrs_clear(&r->attrs);
    TF_DeleteStatus(r->st);
}

static void assert_dims(const TF_Tensor *t, const int64_t *dims, int ndims)
{
    assert_non_null(t);
    assert_int_equal(t->ndims, ndims);
    for (int i = 0; i < ndims; i++) assert_int_equal(t->dims[i], dims[i]);
}

static void assert_msg_contains(const TF_Status *st, const char *want)
{
    if (!strstr(TF_Message(st), want)) fail_msg("message '%s' lacks '%s'", TF_Message(st), want);
}

/* ---- registries ---- */

static void test_registry_check(void **state)
{
    TF_Status *st = TF_NewStatus();
    assert_int_equal(tfc_kernel_registry_check(st), TF_OK);
    assert_int_equal(TF_GetCode(st), TF_OK);
    TF_DeleteStatus(st);
}

static void test_op_registry(void **state)
{
    int n = tfc_op_count();
    assert_true(n >= 15);
    for (int i = 0; i < n; i++) {
        const tfc_op_def *d = tfc_op_at(i);
        assert_non_null(d);
        assert_ptr_equal(tfc_op_lookup(d->name), d); /* names are unique */
    }
    assert_null(tfc_op_at(n));
    assert_null(tfc_op_lookup("NoSuchOp"));
    const tfc_op_def *mm = tfc_op_lookup("MatMul");
    assert_non_null(mm);
    const tfc_attr_def *ta = tfc_op_attr_def(mm, "transpose_a");
    assert_non_null(ta);
    assert_int_equal(ta->type, TF_ATTR_BOOL);
    assert_true(ta->has_default);
    assert_non_null(tfc_op_attr_def(mm, "grad_b"));
    assert_null(tfc_op_attr_def(mm, "nope"));
    const tfc_attr_def *out_type = tfc_op_attr_def(tfc_op_lookup("Shape"), "out_type");
    assert_int_equal(out_type->dflt.type, TF_INT32);
    assert_true(tfc_op_lookup("AddV2")->flags & TFC_OP_COMMUTATIVE);
    assert_true(tfc_op_lookup("AddN")->flags & TFC_OP_AGGREGATE);
}

/* The CPU part of op's kernel list; a CUDA build appends "; GPU {...}" for ops with GPU kernels. */
static const char *cpu_kernels(const char *op, char *buf, size_t size)
{
    tfc_kernel_list_for_op(op, buf, size);
    char *gpu = strstr(buf, "; GPU {");
    if (gpu) *gpu = '\0';
    return buf;
}

static void test_kernel_lookup(void **state)
{
    char buf[256];
    assert_string_equal(cpu_kernels("MatMul", buf, sizeof buf), "CPU {float, double}");
    assert_string_equal(cpu_kernels("Add", buf, sizeof buf), "CPU {float, double, int32, int64}");
    assert_string_equal(tfc_kernel_list_for_op("Shape", buf, sizeof buf), "CPU {int32, int64}");
    assert_string_equal(cpu_kernels("Identity", buf, sizeof buf), "CPU {any type}");
    assert_string_equal(tfc_kernel_list_for_op("NoSuchOp", buf, sizeof buf), "none");
    char tiny[6];
    tfc_kernel_list_for_op("MatMul", tiny, sizeof tiny);
    assert_string_equal(tiny, "CPU {");
    assert_true(tfc_kernel_exists("MatMul", "CPU"));
    assert_int_equal(tfc_kernel_exists("MatMul", "GPU"), tfc_gpu_built()); /* cuBLAS, in a CUDA build */
    assert_false(tfc_kernel_exists("NoSuchOp", "CPU"));

    tfc_attrs a = { 0 };
    put_type(&a, "T", TF_INT32);
    assert_null(tfc_kernel_lookup("MatMul", "CPU", &a));
    assert_non_null(tfc_kernel_lookup("Add", "CPU", &a));
    assert_non_null(tfc_kernel_lookup("Identity", "CPU", &a));
    assert_null(tfc_kernel_lookup("Add", "GPU", &a));
    put_type(&a, "out_type", TF_INT64);
    const tfc_kernel_def *k64 = tfc_kernel_lookup("Shape", "CPU", &a);
    put_type(&a, "out_type", TF_INT32);
    const tfc_kernel_def *k32 = tfc_kernel_lookup("Shape", "CPU", &a);
    assert_non_null(k64);
    assert_non_null(k32);
    assert_ptr_not_equal(k64, k32);
    tfc_attrs_clear(&a);
    assert_null(tfc_kernel_lookup("Add", "CPU", NULL));
}

/* ---- element-wise binary ops ---- */

/* Reference: NumPy broadcasting by multi-index, computed in double. */
static double ref_op(const char *op, double a, double b, bool integer)
{
    if (!strcmp(op, "Sub")) return a - b;
    if (!strcmp(op, "Mul")) return a * b;
    if (!strcmp(op, "RealDiv")) return integer ? trunc(a / b) : a / b;
    return a + b;
}

/* The expected output (z_count elements of shape zd), computed before the kernel may overwrite
 * its inputs in place. The caller frees it. */
static double *ref_binary(const char *op, const TF_Tensor *x, const TF_Tensor *y, const int64_t *zd, int zr)
{
    bool integer = x->dtype == TF_INT32 || x->dtype == TF_INT64;
    int64_t n = count_of(zd, zr);
    double *want = malloc(sizeof(double) * (size_t)(n + 1));
    assert_non_null(want);
    for (int64_t i = 0; i < n; i++) {
        int64_t rem = i, xi = 0, yi = 0, xs = 1, ys = 1;
        for (int d = zr - 1; d >= 0; d--) {
            int64_t idx = rem % zd[d];
            rem /= zd[d];
            int dx = d - (zr - x->ndims), dy = d - (zr - y->ndims);
            if (dx >= 0) {
                xi += (x->dims[dx] == 1 ? 0 : idx) * xs;
                xs *= x->dims[dx];
            }
            if (dy >= 0) {
                yi += (y->dims[dy] == 1 ? 0 : idx) * ys;
                ys *= y->dims[dy];
            }
        }
        want[i] = ref_op(op, get_elem(x, xi), get_elem(y, yi), integer);
    }
    return want;
}

static void compare(const char *op, const TF_Tensor *z, const double *want)
{
    for (int64_t i = 0; i < z->nelems; i++) {
        double got = get_elem(z, i);
        double tol = z->dtype == TF_FLOAT ? 1e-5 * (1 + fabs(want[i])) : 1e-12 * (1 + fabs(want[i]));
        if (fabs(got - want[i]) > tol)
            fail_msg("%s %s element %lld: got %g, want %g", op, tfc_dtype_name(z->dtype), (long long)i, got,
                     want[i]);
    }
}

typedef struct binary_case {
    const char *op;
    int xr, yr, zr;
    int64_t xd[4], yd[4], zd[4];
    const double *xv, *yv, *zv; /* NULL: generated inputs, reference output */
} binary_case;

static const binary_case binary_cases[] = {
    { "Add", 2, 1, 2, { 2, 3 }, { 3 }, { 2, 3 }, (const double[]){ 1, 2, 3, 4, 5, 6 },
      (const double[]){ 10, 20, 30 }, (const double[]){ 11, 22, 33, 14, 25, 36 } },
    { "Sub", 2, 2, 2, { 2, 1 }, { 1, 3 }, { 2, 3 }, (const double[]){ 1, 2 }, (const double[]){ 10, 20, 30 },
      (const double[]){ -9, -19, -29, -8, -18, -28 } },
    { "Mul", 0, 2, 2, { 0 }, { 2, 2 }, { 2, 2 }, (const double[]){ 3 }, (const double[]){ 1, -2, 3, 4 },
      (const double[]){ 3, -6, 9, 12 } },
    { "RealDiv", 2, 0, 2, { 2, 2 }, { 0 }, { 2, 2 }, (const double[]){ 8, -6, 4, 2 }, (const double[]){ 2 },
      (const double[]){ 4, -3, 2, 1 } },
    { "RealDiv", 1, 1, 1, { 3 }, { 3 }, { 3 }, (const double[]){ 9, -8, 0 }, (const double[]){ 3, 4, -5 },
      (const double[]){ 3, -2, 0 } },
    { "AddV2", 0, 0, 0, { 0 }, { 0 }, { 0 }, (const double[]){ 2 }, (const double[]){ 5 },
      (const double[]){ 7 } },
    { "Add", 2, 1, 2, { 0, 3 }, { 3 }, { 0, 3 } },
    { "Mul", 1, 2, 2, { 1 }, { 0, 4 }, { 0, 4 } },
    { "AddV2", 4, 4, 4, { 2, 1, 3, 1 }, { 1, 2, 1, 2 }, { 2, 2, 3, 2 } },
    { "Sub", 4, 3, 4, { 3, 1, 4, 5 }, { 2, 1, 5 }, { 3, 2, 4, 5 } },
    { "Mul", 3, 3, 3, { 2, 3, 4 }, { 2, 3, 4 }, { 2, 3, 4 } },
    { "Add", 3, 2, 3, { 4, 1, 1 }, { 1, 6 }, { 4, 1, 6 } },
};

static void check_binary(const binary_case *c, TF_DataType dt, tfc_threadpool *pool, bool forward)
{
    run r;
    run_init(&r, c->op, 1, dt);
    r.pool = pool;
    put_type(&r.attrs, "T", dt);
    run_add_input(&r, make(dt, c->xd, c->xr, c->xv));
    run_add_input(&r, make(dt, c->yd, c->yr, c->yv));
    r.forwardable[0] = r.forwardable[1] = forward;
    void *xdata = tfc_tensor_data(r.in[0]), *ydata = tfc_tensor_data(r.in[1]);
    double *want = c->zv ? NULL : ref_binary(c->op, r.in[0], r.in[1], c->zd, c->zr);
    if (run_kernel(&r) != TF_OK) fail_msg("%s: %s", c->op, TF_Message(r.st));
    assert_dims(r.out[0], c->zd, c->zr);
    assert_int_equal(r.out[0]->dtype, dt);
    compare(c->op, r.out[0], c->zv ? c->zv : want);
    free(want);
    void *zdata = tfc_tensor_data(r.out[0]);
    bool same_as_x = c->xr == c->zr && !memcmp(c->xd, c->zd, sizeof(int64_t) * (size_t)c->zr);
    bool same_as_y = c->yr == c->zr && !memcmp(c->yd, c->zd, sizeof(int64_t) * (size_t)c->zr);
    if (!forward) {
        assert_true(zdata != xdata && zdata != ydata);
    } else if (r.out[0]->nelems > 0 && (same_as_x || same_as_y)) {
        assert_true(zdata == (same_as_x ? xdata : ydata)); /* reused in place */
    }
    run_free(&r);
}

static void test_binary_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(binary_cases); i++)
        for (size_t d = 0; d < ARRAY_LEN(math_dtypes); d++) {
            const binary_case *c = &binary_cases[i];
            if (!strcmp(c->op, "RealDiv") && !c->yv) continue; /* generated divisors may be 0 */
            check_binary(c, math_dtypes[d], NULL, false);
            check_binary(c, math_dtypes[d], NULL, true);
        }
}

static void test_binary_parallel(void **state)
{
    tfc_threadpool *pool = tfc_threadpool_new(4, "test");
    assert_non_null(pool);
    static const binary_case big[] = {
        { "Add", 2, 1, 2, { 1000, 999 }, { 999 }, { 1000, 999 } },
        { "Mul", 2, 2, 2, { 700, 1 }, { 1, 900 }, { 700, 900 } },
        { "Sub", 1, 1, 1, { 1 << 20 }, { 1 << 20 }, { 1 << 20 } },
        { "AddV2", 3, 3, 3, { 64, 1, 128 }, { 1, 96, 128 }, { 64, 96, 128 } },
    };
    for (size_t i = 0; i < ARRAY_LEN(big); i++) {
        check_binary(&big[i], TF_FLOAT, pool, false);
        check_binary(&big[i], TF_INT64, pool, true);
    }
    tfc_threadpool_free(pool);
}

static void test_binary_errors(void **state)
{
    run r;
    run_init(&r, "Add", 1, TF_FLOAT);
    put_type(&r.attrs, "T", TF_FLOAT);
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 2, 3 }, 2, NULL));
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 4 }, 1, NULL));
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    assert_string_equal(TF_Message(r.st), "Add 'node': Incompatible shapes: [2,3] vs. [4]");
    assert_null(r.out[0]);
    run_free(&r);

    for (int d = 2; d < 4; d++) { /* integer division by zero is an error, never a trap */
        TF_DataType dt = math_dtypes[d];
        run_init(&r, "RealDiv", 1, dt);
        put_type(&r.attrs, "T", dt);
        run_add_input(&r, make(dt, (const int64_t[]){ 3 }, 1, (const double[]){ 1, 2, 3 }));
        run_add_input(&r, make(dt, (const int64_t[]){ 3 }, 1, (const double[]){ 1, 0, 3 }));
        assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
        assert_msg_contains(r.st, "Integer division by zero");
        run_free(&r);
    }

    run_init(&r, "RealDiv", 1, TF_INT32); /* INT32_MIN / -1 wraps instead of trapping */
    put_type(&r.attrs, "T", TF_INT32);
    run_add_input(&r, make(TF_INT32, (const int64_t[]){ 2 }, 1, (const double[]){ INT32_MIN, 7 }));
    run_add_input(&r, make(TF_INT32, (const int64_t[]){ 2 }, 1, (const double[]){ -1, -1 }));
    assert_int_equal(run_kernel(&r), TF_OK);
    assert_int_equal(((int32_t *)tfc_tensor_data(r.out[0]))[0], INT32_MIN);
    assert_int_equal(((int32_t *)tfc_tensor_data(r.out[0]))[1], -7);
    run_free(&r);

    run_init(&r, "Add", 1, TF_INT32); /* overflow wraps (no undefined behaviour) */
    put_type(&r.attrs, "T", TF_INT32);
    run_add_input(&r, make(TF_INT32, (const int64_t[]){ 1 }, 1, (const double[]){ INT32_MAX }));
    run_add_input(&r, make(TF_INT32, (const int64_t[]){ 1 }, 1, (const double[]){ 1 }));
    assert_int_equal(run_kernel(&r), TF_OK);
    assert_int_equal(((int32_t *)tfc_tensor_data(r.out[0]))[0], INT32_MIN);
    run_free(&r);

    run_init(&r, "Mul", 1, TF_FLOAT); /* an input of the wrong dtype is rejected, not misread */
    put_type(&r.attrs, "T", TF_FLOAT);
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 2 }, 1, NULL));
    run_add_input(&r, make(TF_DOUBLE, (const int64_t[]){ 2 }, 1, NULL));
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    run_free(&r);
}

/* x + x with both inputs forwardable: the buffer is read twice, so it is not reused. */
static void test_binary_same_buffer(void **state)
{
    run r;
    run_init(&r, "Add", 1, TF_FLOAT);
    put_type(&r.attrs, "T", TF_FLOAT);
    TF_Tensor *x = make(TF_FLOAT, (const int64_t[]){ 3 }, 1, (const double[]){ 1, 2, 3 });
    run_add_input(&r, x);
    run_add_input(&r, x); /* the very same tensor twice: its buffer looks exclusive */
    r.forwardable[0] = r.forwardable[1] = true;
    assert_int_equal(run_kernel(&r), TF_OK);
    assert_ptr_not_equal(tfc_tensor_data(r.out[0]), tfc_tensor_data(x));
    for (int i = 0; i < 3; i++) assert_true(get_elem(r.out[0], i) == 2.0 * (i + 1));
    r.in[1] = NULL;
    run_free(&r);
}

/* ---- AddN ---- */

static void test_addn(void **state)
{
    for (size_t d = 0; d < ARRAY_LEN(math_dtypes); d++) {
        TF_DataType dt = math_dtypes[d];
        run r;
        run_init(&r, "AddN", 1, dt);
        put_type(&r.attrs, "T", dt);
        for (int i = 0; i < 3; i++)
            run_add_input(&r, make(dt, (const int64_t[]){ 2, 2 }, 2,
                                   (const double[]){ i + 1, 10 * (i + 1), -i, 100 }));
        r.forwardable[0] = true;
        void *in0 = tfc_tensor_data(r.in[0]);
        assert_int_equal(run_kernel(&r), TF_OK);
        assert_dims(r.out[0], (const int64_t[]){ 2, 2 }, 2);
        const double want[] = { 6, 60, -3, 300 };
        for (int i = 0; i < 4; i++) assert_true(get_elem(r.out[0], i) == want[i]);
        assert_ptr_equal(tfc_tensor_data(r.out[0]), in0);
        run_free(&r);
    }
    run r; /* one input: forwarded */
    run_init(&r, "AddN", 1, TF_FLOAT);
    put_type(&r.attrs, "T", TF_FLOAT);
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 3 }, 1, NULL));
    assert_int_equal(run_kernel(&r), TF_OK);
    assert_ptr_equal(tfc_tensor_data(r.out[0]), tfc_tensor_data(r.in[0]));
    run_free(&r);

    run_init(&r, "AddN", 1, TF_FLOAT); /* shapes must be identical: no broadcasting */
    put_type(&r.attrs, "T", TF_FLOAT);
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 2, 3 }, 2, NULL));
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 3 }, 1, NULL));
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    assert_msg_contains(r.st, "Input 0: [2,3] != input 1: [3]");
    run_free(&r);
}

/* ---- MatMul ---- */

static void check_matmul(TF_DataType dt, int64_t m, int64_t k, int64_t n, bool ta, bool tb,
                         tfc_threadpool *pool)
{
    run r;
    run_init(&r, "MatMul", 1, dt);
    r.pool = pool;
    put_type(&r.attrs, "T", dt);
    put_bool(&r.attrs, "transpose_a", ta);
    put_bool(&r.attrs, "transpose_b", tb);
    int64_t ad[2] = { ta ? k : m, ta ? m : k }, bd[2] = { tb ? n : k, tb ? k : n };
    run_add_input(&r, make(dt, ad, 2, NULL));
    run_add_input(&r, make(dt, bd, 2, NULL));
    if (run_kernel(&r) != TF_OK) fail_msg("MatMul: %s", TF_Message(r.st));
    assert_dims(r.out[0], (const int64_t[]){ m, n }, 2);
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double want = 0;
            for (int64_t p = 0; p < k; p++)
                want += get_elem(r.in[0], ta ? p * m + i : i * k + p) *
                        get_elem(r.in[1], tb ? j * k + p : p * n + j);
            double got = get_elem(r.out[0], i * n + j);
            double tol = (dt == TF_FLOAT ? 1e-5 : 1e-12) * (1 + fabs(want)) * (double)(k + 1);
            if (fabs(got - want) > tol)
                fail_msg("MatMul %lldx%lldx%lld ta=%d tb=%d [%lld,%lld]: got %g want %g", (long long)m,
                         (long long)k, (long long)n, ta, tb, (long long)i, (long long)j, got, want);
        }
    run_free(&r);
}

static void test_matmul(void **state)
{
    static const int64_t shapes[][3] = { { 2, 3, 4 }, { 1, 5, 7 }, { 1, 1, 1 }, { 6, 4, 1 }, { 3, 0, 4 },
                                         { 0, 3, 4 }, { 3, 4, 0 }, { 17, 33, 9 }, { 1, 64, 3 } };
    static const TF_DataType dts[] = { TF_FLOAT, TF_DOUBLE };
    for (size_t d = 0; d < ARRAY_LEN(dts); d++)
        for (size_t s = 0; s < ARRAY_LEN(shapes); s++)
            for (int t = 0; t < 4; t++)
                check_matmul(dts[d], shapes[s][0], shapes[s][1], shapes[s][2], t & 1, t & 2, NULL);
    tfc_threadpool *pool = tfc_threadpool_new(4, "test");
    assert_non_null(pool);
    for (int t = 0; t < 4; t++) {
        check_matmul(TF_FLOAT, 256, 128, 96, t & 1, t & 2, pool);
        check_matmul(TF_DOUBLE, 130, 100, 120, t & 1, t & 2, pool);
        check_matmul(TF_FLOAT, 64, 300, 700, t & 1, t & 2, pool);  /* N > M: column blocks */
        check_matmul(TF_FLOAT, 1, 784, 512, t & 1, t & 2, pool);   /* parallel GEMV, columns */
        check_matmul(TF_DOUBLE, 600, 400, 1, t & 1, t & 2, pool); /* parallel GEMV, rows */
    }
    tfc_threadpool_free(pool);
}

static void test_matmul_errors(void **state)
{
    run r;
    run_init(&r, "MatMul", 1, TF_FLOAT);
    put_type(&r.attrs, "T", TF_FLOAT);
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 2, 3 }, 2, NULL));
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 4, 5 }, 2, NULL));
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    assert_string_equal(TF_Message(r.st),
                        "MatMul 'node': Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]");
    run_free(&r);

    run_init(&r, "MatMul", 1, TF_DOUBLE);
    put_type(&r.attrs, "T", TF_DOUBLE);
    run_add_input(&r, make(TF_DOUBLE, (const int64_t[]){ 2, 3 }, 2, NULL));
    run_add_input(&r, make(TF_DOUBLE, (const int64_t[]){ 3, 2, 1 }, 3, NULL));
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    assert_msg_contains(r.st, "In[1] is not a matrix. Instead it has shape [3,2,1]");
    run_free(&r);
}

/* ---- array kernels ---- */

static void test_placeholder(void **state)
{
    run r;
    run_init(&r, "Placeholder", 1, TF_FLOAT);
    put_type(&r.attrs, "dtype", TF_FLOAT);
    tfc_attr_value v = { .type = TF_ATTR_SHAPE, .u.shape = { 2, { -1, 784 } } };
    assert_int_equal(tfc_attrs_put(&r.attrs, "shape", &v), 0);
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    assert_string_equal(TF_Message(r.st), "Placeholder 'node': You must feed a value for placeholder tensor "
                                          "'node' with dtype float and shape [?,784]");
    run_free(&r);
}

static void test_forwarding_ops(void **state)
{
    static const char *ops[] = { "Identity", "PlaceholderWithDefault" };
    for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
        run r;
        run_init(&r, ops[i], 1, TF_INT64);
        put_type(&r.attrs, "T", TF_INT64);
        put_type(&r.attrs, "dtype", TF_INT64);
        run_add_input(&r, make(TF_INT64, (const int64_t[]){ 2, 2 }, 2, NULL));
        assert_int_equal(run_kernel(&r), TF_OK);
        assert_dims(r.out[0], (const int64_t[]){ 2, 2 }, 2);
        assert_ptr_equal(tfc_tensor_data(r.out[0]), tfc_tensor_data(r.in[0]));
        run_free(&r);
    }
    run r;
    run_init(&r, "IdentityN", 2, TF_FLOAT);
    r.out_types[1] = TF_INT32;
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 3 }, 1, NULL));
    run_add_input(&r, make(TF_INT32, NULL, 0, (const double[]){ 42 }));
    assert_int_equal(run_kernel(&r), TF_OK);
    assert_ptr_equal(tfc_tensor_data(r.out[0]), tfc_tensor_data(r.in[0]));
    assert_int_equal(r.out[1]->dtype, TF_INT32);
    assert_true(get_elem(r.out[1], 0) == 42);
    run_free(&r);

    run_init(&r, "NoOp", 0, TF_FLOAT);
    assert_int_equal(run_kernel(&r), TF_OK);
    run_free(&r);
}

static void test_const(void **state)
{
    run r;
    run_init(&r, "Const", 1, TF_DOUBLE);
    put_type(&r.attrs, "dtype", TF_DOUBLE);
    TF_Tensor *value = make(TF_DOUBLE, (const int64_t[]){ 3 }, 1, (const double[]){ 1.5, 2.5, 3.5 });
    tfc_attr_value v = { .type = TF_ATTR_TENSOR, .u.tensor = value }; /* the attrs take the reference */
    assert_int_equal(tfc_attrs_put(&r.attrs, "value", &v), 0);
    assert_int_equal(run_kernel(&r), TF_OK);
    assert_dims(r.out[0], (const int64_t[]){ 3 }, 1);
    assert_true(get_elem(r.out[0], 2) == 3.5);
    assert_ptr_equal(tfc_tensor_data(r.out[0]), tfc_tensor_data(value));
    assert_false(tfc_tensor_is_exclusive(r.out[0])); /* shared with the attr */
    run_free(&r);
}

static void test_shape(void **state)
{
    static const TF_DataType types[] = { TF_INT32, TF_INT64 };
    for (int i = 0; i < 2; i++) {
        run r;
        run_init(&r, "Shape", 1, types[i]);
        put_type(&r.attrs, "T", TF_FLOAT);
        put_type(&r.attrs, "out_type", types[i]);
        run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 2, 0, 5 }, 3, NULL));
        assert_int_equal(run_kernel(&r), TF_OK);
        assert_dims(r.out[0], (const int64_t[]){ 3 }, 1);
        assert_int_equal(r.out[0]->dtype, types[i]);
        assert_true(get_elem(r.out[0], 0) == 2 && get_elem(r.out[0], 1) == 0 && get_elem(r.out[0], 2) == 5);
        run_free(&r);
    }
    run r; /* a dim above INT32_MAX does not fit an int32 shape (empty tensor, so no memory needed) */
    run_init(&r, "Shape", 1, TF_INT32);
    put_type(&r.attrs, "T", TF_FLOAT);
    put_type(&r.attrs, "out_type", TF_INT32);
    int64_t big[2] = { INT64_C(3000000000), 0 };
    TF_Tensor *t = TF_AllocateTensor(TF_FLOAT, big, 2, 0);
    assert_non_null(t);
    run_add_input(&r, t);
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    assert_msg_contains(r.st, "3000000000");
    run_free(&r);
}

typedef struct reshape_case {
    TF_DataType shape_type;
    int in_rank, n_shape;
    int64_t in_dims[4];
    double shape[4];
    int out_rank;
    int64_t out_dims[4];
    const char *error; /* NULL: success */
} reshape_case;

static const reshape_case reshape_cases[] = {
    { TF_INT32, 2, 1, { 2, 3 }, { 6 }, 1, { 6 } },
    { TF_INT64, 2, 3, { 2, 6 }, { 3, -1, 2 }, 3, { 3, 2, 2 } },
    { TF_INT32, 1, 0, { 1 }, { 0 }, 0, { 0 } },
    { TF_INT32, 2, 2, { 0, 4 }, { 2, 0 }, 2, { 2, 0 } },
    { TF_INT32, 2, 2, { 2, 3 }, { 2, 4 }, 0, { 0 },
      "tensor with 6 values, but the requested shape has 8 (input shape [2,3], requested shape [2,4])" },
    { TF_INT64, 2, 2, { 2, 3 }, { -1, 4 }, 0, { 0 }, "requires a multiple of 4" },
    { TF_INT32, 2, 2, { 2, 3 }, { -1, -1 }, 0, { 0 }, "only one input size may be -1" },
    { TF_INT32, 2, 2, { 2, 3 }, { -2, -3 }, 0, { 0 }, "must be non-negative" },
    { TF_INT32, 2, 2, { 0, 3 }, { -1, 0 }, 0, { 0 }, "cannot infer the missing input size" },
};

static void test_reshape(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(reshape_cases); i++) {
        const reshape_case *c = &reshape_cases[i];
        run r;
        run_init(&r, "Reshape", 1, TF_FLOAT);
        put_type(&r.attrs, "T", TF_FLOAT);
        put_type(&r.attrs, "Tshape", c->shape_type);
        run_add_input(&r, make(TF_FLOAT, c->in_dims, c->in_rank, NULL));
        run_add_input(&r, make(c->shape_type, (const int64_t[]){ c->n_shape }, 1, c->shape));
        TF_Code rc = run_kernel(&r);
        if (c->error) {
            assert_int_equal(rc, TF_INVALID_ARGUMENT);
            assert_msg_contains(r.st, c->error);
        } else {
            if (rc) fail_msg("case %zu: %s", i, TF_Message(r.st));
            assert_dims(r.out[0], c->out_dims, c->out_rank);
            assert_ptr_equal(tfc_tensor_data(r.out[0]), tfc_tensor_data(r.in[0]));
        }
        run_free(&r);
    }
    run r; /* the shape must be a vector */
    run_init(&r, "Reshape", 1, TF_FLOAT);
    put_type(&r.attrs, "T", TF_FLOAT);
    run_add_input(&r, make(TF_FLOAT, (const int64_t[]){ 4 }, 1, NULL));
    run_add_input(&r, make(TF_INT32, (const int64_t[]){ 2, 1 }, 2, (const double[]){ 2, 2 }));
    assert_int_equal(run_kernel(&r), TF_INVALID_ARGUMENT);
    assert_msg_contains(r.st, "sizes input must be 1-D");
    run_free(&r);
}

/* ---- out of memory ---- */

/* Builds one run of op `which` (inputs and attrs, before fault injection starts). */
static void oom_setup(run *r, int which)
{
    static const char *ops[] = { "Add", "MatMul", "Reshape", "Const", "Placeholder", "AddN", "Shape" };
    run_init(r, ops[which], 1, TF_FLOAT);
    put_type(&r->attrs, "T", TF_FLOAT);
    put_type(&r->attrs, "dtype", TF_FLOAT);
    switch (which) {
    case 0: case 1: case 5:
        run_add_input(r, make(TF_FLOAT, (const int64_t[]){ 4, 4 }, 2, NULL));
        run_add_input(r, make(TF_FLOAT, (const int64_t[]){ 4, 4 }, 2, NULL));
        break;
    case 2:
        run_add_input(r, make(TF_FLOAT, (const int64_t[]){ 4, 4 }, 2, NULL));
        run_add_input(r, make(TF_INT32, (const int64_t[]){ 1 }, 1, (const double[]){ 16 }));
        break;
    case 3: {
        tfc_attr_value v = { .type = TF_ATTR_TENSOR, .u.tensor = make(TF_FLOAT, NULL, 0, NULL) };
        assert_int_equal(tfc_attrs_put(&r->attrs, "value", &v), 0);
        break;
    }
    case 6:
        r->out_types[0] = TF_INT32;
        put_type(&r->attrs, "out_type", TF_INT32);
        run_add_input(r, make(TF_FLOAT, (const int64_t[]){ 4, 4 }, 2, NULL));
        break;
    }
}

/* Fails the 1st, 2nd, ... allocation of each kernel run until it succeeds: every failure must be
 * a clean RESOURCE_EXHAUSTED (the sanitizer build checks that nothing leaks). */
static void test_out_of_memory(void **state)
{
    for (int which = 0; which < 7; which++) {
        bool done = false;
        for (int64_t n = 1; n < 100 && !done; n++) {
            run r;
            oom_setup(&r, which);
            tfc_alloc_fail_at(n);
            TF_Code rc = run_kernel(&r);
            tfc_alloc_fail_at(0);
            if (which == 4) { /* Placeholder always fails; out of memory only in init */
                assert_true(rc == TF_INVALID_ARGUMENT || rc == TF_RESOURCE_EXHAUSTED);
                done = rc == TF_INVALID_ARGUMENT;
            } else {
                if (rc != TF_OK && rc != TF_RESOURCE_EXHAUSTED)
                    fail_msg("%s, allocation %lld failing: %s", r.op, (long long)n, TF_Message(r.st));
                done = rc == TF_OK;
                if (!done) assert_null(r.out[0]);
            }
            run_free(&r);
        }
        assert_true(done);
    }
}

/* ---- kernel-context helpers ---- */

static void test_context_helpers(void **state)
{
    TF_Status *st = TF_NewStatus();
    TF_Tensor *outs[2] = { NULL, NULL };
    TF_DataType types[2] = { TF_FLOAT, TF_INT32 };
    tfc_kernel_ctx k = { .op_name = "n", .op_type = "Op", .n_outputs = 2, .outputs = outs,
                         .output_types = types, .status = st };
    TF_Tensor *t;
    assert_int_equal(tfc_kernel_alloc_output(&k, 1, (const int64_t[]){ 2, 2 }, 2, &t), TF_OK);
    assert_ptr_equal(outs[1], t);
    assert_int_equal(t->dtype, TF_INT32);
    assert_int_equal(tfc_kernel_alloc_output(&k, 1, (const int64_t[]){ 3 }, 1, &t), TF_OK); /* replaces */
    assert_int_equal(outs[1]->dims[0], 3);
    assert_int_equal(tfc_kernel_alloc_output(&k, 0, (const int64_t[]){ -1 }, 1, &t), TF_INVALID_ARGUMENT);
    assert_null(t);
    assert_true(strncmp(TF_Message(st), "Op 'n': ", 8) == 0);
    assert_false(tfc_kernel_ok(&k));
    tfc_kernel_error(&k, TF_INTERNAL, "second"); /* the first error wins */
    assert_int_equal(TF_GetCode(st), TF_INVALID_ARGUMENT);
    tfc_kernel_set_output(&k, 1, NULL);
    assert_null(outs[1]);

    tfc_status_clear(st);
    tfc_kernel_init_ctx ic = { .op_name = "n", .op_type = "Op", .status = st };
    assert_int_equal(tfc_kernel_init_error(&ic, TF_UNIMPLEMENTED, "x=%d", 3), TF_UNIMPLEMENTED);
    assert_string_equal(TF_Message(st), "Op 'n': x=3");
    TF_DeleteStatus(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_check),
        cmocka_unit_test(test_op_registry),
        cmocka_unit_test(test_kernel_lookup),
        cmocka_unit_test(test_binary_table),
        cmocka_unit_test(test_binary_parallel),
        cmocka_unit_test(test_binary_errors),
        cmocka_unit_test(test_binary_same_buffer),
        cmocka_unit_test(test_addn),
        cmocka_unit_test(test_matmul),
        cmocka_unit_test(test_matmul_errors),
        cmocka_unit_test(test_placeholder),
        cmocka_unit_test(test_forwarding_ops),
        cmocka_unit_test(test_const),
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_reshape),
        cmocka_unit_test(test_context_helpers),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
