/* test_gpu_kernels: the CUDA device against the CPU and TensorFlow. Every TensorFlow fixture case
 * (tests/data/<family>_cases.txt) whose op has a GPU kernel runs again with the op pinned to GPU:0 and must
 * match TensorFlow's values; larger random graphs run once on each device and must agree; and the
 * device machinery is checked: listing, host <-> GPU copies at partition edges, fetched tensors on
 * the host, the caching allocator, placement rules. Exits 77 (ctest: skipped) without a GPU. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "graph_util.h"
#include "gpu_util.h"
#include "kernels/cuda/cuda_devices.h"
#include "tfc/c_api.h"

/* ---- TensorFlow's values, on the GPU ---- */

static void test_fixtures_on_gpu(void **state)
{
    (void)state;
    const char *dir = getenv("TFC_TEST_DATA");
    if (!dir) dir = TFC_TEST_DATA_DIR;
    DIR *d = opendir(dir);
    assert_non_null(d);
    int total_run = 0, total_failures = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 10 || strcmp(e->d_name + len - 10, "_cases.txt")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        int n = 0, run = 0, failures = fixture_run_file_on(path, GPU0, "GPU", &n, &run);
        assert_true(failures >= 0);
        if (run) printf("%-40s %4d of %4d cases on GPU, %d failed\n", e->d_name, run, n, failures);
        total_run += run;
        total_failures += failures;
    }
    closedir(d);
    assert_true(total_run > 100); /* MatMul and the element-wise ops at least */
    assert_int_equal(total_failures, 0);
}

/* ---- the same graph on both devices ---- */

/* MatMul of random a[m,k] and b[k,n] (stored transposed when asked), on `device`. */
static TF_Tensor *matmul_on(const char *device, int64_t m, int64_t k, int64_t n, bool ta, bool tb, TF_DataType dt)
{
    TF_Graph *g = TF_NewGraph();
    int64_t ad[2] = { ta ? k : m, ta ? m : k }, bd[2] = { tb ? n : k, tb ? k : n };
    float *av = malloc(sizeof(float) * (size_t)(m * k)), *bv = malloc(sizeof(float) * (size_t)(k * n));
    fill_random(av, m * k, 1);
    fill_random(bv, k * n, 2);
    TF_Operation *a = const_float(g, "a", ad, 2, av), *b = const_float(g, "b", bd, 2, bv);
    free(av);
    free(bv);
    TF_Output x = out0(a), y = out0(b);
    if (dt == TF_DOUBLE) {
        TF_Status *s = TF_NewStatus();
        TF_Operation *c[2];
        for (int i = 0; i < 2; i++) {
            TF_OperationDescription *d = TF_NewOperation(g, "Cast", i ? "cb" : "ca");
            TF_AddInput(d, i ? y : x);
            TF_SetAttrType(d, "DstT", TF_DOUBLE);
            c[i] = TF_FinishOperation(d, s);
            assert_ok(s);
        }
        x = out0(c[0]), y = out0(c[1]);
        TF_DeleteStatus(s);
    }
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, "MatMul", "mm");
    TF_AddInput(d, x);
    TF_AddInput(d, y);
    TF_SetAttrBool(d, "transpose_a", ta);
    TF_SetAttrBool(d, "transpose_b", tb);
    TF_SetDevice(d, device);
    TF_Operation *mm = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_Output r = out0(mm);
    if (dt == TF_DOUBLE) { /* back to float for the comparison */
        TF_OperationDescription *cd = TF_NewOperation(g, "Cast", "back");
        TF_AddInput(cd, r);
        TF_SetAttrType(cd, "DstT", TF_FLOAT);
        TF_SetDevice(cd, CPU0);
        r = out0(TF_FinishOperation(cd, s));
        assert_ok(s);
    }
    TF_DeleteStatus(s);
    TF_Session *sess = new_test_session(g, NULL, 0);
    TF_Tensor *v = fetch_ok(sess, r);
    close_test_session(sess);
    TF_DeleteGraph(g);
    return v;
}

static void test_matmul_matches_cpu(void **state)
{
    (void)state;
    const struct { int64_t m, k, n; } shapes[] = { { 1, 1, 1 }, { 7, 13, 5 }, { 257, 129, 65 }, { 64, 1000, 3 } };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        for (int t = 0; t < 4; t++)
            for (int dt = 0; dt < 2; dt++) {
                TF_DataType type = dt ? TF_DOUBLE : TF_FLOAT;
                TF_Tensor *gpu = matmul_on(GPU0, shapes[i].m, shapes[i].k, shapes[i].n, t & 1, t & 2, type);
                TF_Tensor *cpu = matmul_on(CPU0, shapes[i].m, shapes[i].k, shapes[i].n, t & 1, t & 2, type);
                char what[96];
                snprintf(what, sizeof what, "MatMul %lldx%lldx%lld ta=%d tb=%d %s", (long long)shapes[i].m,
                         (long long)shapes[i].k, (long long)shapes[i].n, t & 1, (t & 2) >> 1, dt ? "double" : "float");
                /* Sums of k products of values below 1: cuBLAS may order them differently. */
                assert_close(gpu, cpu, 1e-4, 1e-5 * (double)shapes[i].k, what);
                TF_DeleteTensor(gpu);
                TF_DeleteTensor(cpu);
            }
}

/* Broadcasting shapes the GPU kernel collapses differently: each pair on both devices. */
static void test_broadcasting_matches_cpu(void **state)
{
    (void)state;
    const struct { int ra, rb; int64_t a[4], b[4]; } cases[] = {
        { 2, 1, { 300, 17 }, { 17 } },           { 2, 2, { 300, 1 }, { 1, 17 } },
        { 4, 4, { 2, 1, 5, 1 }, { 1, 3, 1, 7 } }, { 3, 0, { 4, 5, 6 }, { 0 } },
        { 1, 1, { 100000 }, { 100000 } },
    };
    const char *ops[] = { "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "SquaredDifference" };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
            TF_Tensor *res[2];
            for (int dev = 0; dev < 2; dev++) {
                TF_Graph *g = TF_NewGraph();
                int64_t na = 1, nb = 1;
                for (int i = 0; i < cases[c].ra; i++) na *= cases[c].a[i];
                for (int i = 0; i < cases[c].rb; i++) nb *= cases[c].b[i];
                float *va = malloc(sizeof(float) * (size_t)na), *vb = malloc(sizeof(float) * (size_t)nb);
                fill_random(va, na, 3);
                fill_random(vb, nb, 4);
                for (int64_t i = 0; i < nb; i++) vb[i] += vb[i] < 0 ? -0.5f : 0.5f; /* away from 0 for RealDiv */
                TF_Output in[2] = { out0(const_float(g, "a", cases[c].a, cases[c].ra, va)),
                                    out0(const_float(g, "b", cases[c].b, cases[c].rb, vb)) };
                free(va);
                free(vb);
                TF_Operation *op = op_on(g, ops[o], "op", dev ? CPU0 : GPU0, in, 2);
                TF_Session *sess = new_test_session(g, NULL, 0);
                res[dev] = fetch_ok(sess, out0(op));
                close_test_session(sess);
                TF_DeleteGraph(g);
            }
            char what[64];
            snprintf(what, sizeof what, "%s case %zu", ops[o], c);
            assert_close(res[0], res[1], 1e-6, 1e-7, what);
            TF_DeleteTensor(res[0]);
            TF_DeleteTensor(res[1]);
        }
}

/* Every float unary and activation-gradient kernel on 100,003 values in [-4, 4) against the CPU's. */
typedef struct unary_case {
    const char *op;
    bool gradient; /* (gradients, features/outputs) */
    double rtol;   /* the GPU's libm differs by a few ulp */
} unary_case;

static TF_Output build_unary(TF_Graph *g, const char *device, const void *ctx)
{
    const unary_case *c = ctx;
    enum { N = 100003 };
    float *v = malloc(sizeof(float) * N);
    fill_random(v, N, 9);
    for (int i = 0; i < N; i++) v[i] *= 4;
    TF_Output in[2] = { out0(const_float(g, "x", (int64_t[]){ N }, 1, v)), random_const(g, "g", (int64_t[]){ N }, 1, 10) };
    free(v);
    if (c->gradient) in[0] = in[1], in[1] = out0(TF_GraphOperationByName(g, "x"));
    return out0(op_on(g, c->op, "op", device, in, c->gradient ? 2 : 1));
}

static void test_unary_ops_match_cpu(void **state)
{
    (void)state;
    const unary_case cases[] = {
        { "Relu", 0, 0 },       { "Relu6", 0, 0 },      { "Elu", 0, 1e-6 },      { "Selu", 0, 1e-6 },
        { "LeakyRelu", 0, 0 },  { "Softplus", 0, 1e-6 }, { "Softsign", 0, 1e-6 }, { "Tanh", 0, 1e-6 },
        { "Sigmoid", 0, 1e-6 }, { "Neg", 0, 0 },        { "Exp", 0, 1e-6 },      { "Abs", 0, 0 },
        { "Square", 0, 0 },     { "Floor", 0, 0 },      { "Ceil", 0, 0 },        { "Round", 0, 0 },
        { "Sign", 0, 0 },       { "Reciprocal", 0, 1e-6 }, { "Sin", 0, 1e-6 },    { "Cos", 0, 1e-6 },
        { "Erf", 0, 1e-6 },     { "ReluGrad", 1, 0 },   { "Relu6Grad", 1, 0 },   { "EluGrad", 1, 1e-6 },
        { "SeluGrad", 1, 1e-6 }, { "SoftplusGrad", 1, 1e-6 }, { "SoftsignGrad", 1, 1e-6 },
        { "LeakyReluGrad", 1, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        gpu_compare(build_unary, &cases[i], cases[i].rtol, 1e-7, cases[i].op);
}

/* ---- the device machinery ---- */

static void test_gpu_is_listed(void **state)
{
    (void)state;
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Session *sess = new_test_session(g, NULL, 0);
    TF_DeviceList *l = TF_SessionListDevices(sess, s);
    assert_ok(s);
    assert_string_equal(TF_DeviceListType(l, 0, s), "CPU"); /* the CPU first, as TensorFlow lists them */
    assert_string_equal(TF_DeviceListName(l, 1, s), "/job:localhost/replica:0/task:0/device:GPU:0");
    assert_string_equal(TF_DeviceListType(l, 1, s), "GPU");
    assert_true(TF_DeviceListMemoryBytes(l, 1, s) > (INT64_C(1) << 30));
    TF_DeleteDeviceList(l);
    close_test_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

/* Relu (GPU) -> Neg (CPU) -> Exp (GPU) -> Square (CPU) -> Tanh (GPU), fetched: four copies at
 * partition edges, and the fetched GPU tensor comes back in host memory. */
static void test_copies_at_partition_edges(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    enum { N = 1000 };
    float v[N];
    fill_random(v, N, 5);
    TF_Output x = out0(const_float(g, "x", (int64_t[]){ N }, 1, v));
    const char *types[] = { "Relu", "Neg", "Exp", "Square", "Tanh" };
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "op%d", i);
        x = out0(op_on(g, types[i], name, i % 2 ? CPU0 : GPU0, &x, 1));
    }
    TF_Session *sess = new_test_session(g, NULL, 0);
    for (int step = 0; step < 3; step++) {
        TF_Tensor *r = fetch_ok(sess, x);
        const float *got = TF_TensorData(r);
        for (int i = 0; i < N; i++) {
            double want = tanh(pow(exp(-(v[i] > 0 ? v[i] : 0)), 2));
            if (fabs(got[i] - want) > 1e-6) fail_msg("element %d: %.9g, want %.9g", i, got[i], want);
        }
        TF_DeleteTensor(r);
    }
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* A steady step allocates from the cache: no cudaMalloc after the first, and the step's tensors
 * go back to the pool once it ends. */
static void test_pool_reuses_blocks(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    float v[64 * 64];
    fill_random(v, 64 * 64, 6);
    TF_Output a = out0(const_float(g, "a", (int64_t[]){ 64, 64 }, 2, v));
    TF_Output in[2] = { a, a };
    TF_Operation *mm = op_on(g, "MatMul", "mm", GPU0, in, 2);
    TF_Output r2[2] = { out0(mm), out0(mm) };
    TF_Operation *sum = op_on(g, "AddV2", "sum", GPU0, r2, 2);
    TF_Session *sess = new_test_session(g, NULL, 0);
    TF_DeleteTensor(fetch_ok(sess, out0(sum)));
    tfc_cuda_pool_stats first, later;
    assert_true(tfc_gpu_pool_stats(0, &first));
    for (int i = 0; i < 20; i++) TF_DeleteTensor(fetch_ok(sess, out0(sum)));
    assert_true(tfc_gpu_pool_stats(0, &later));
    assert_int_equal(later.num_mallocs, first.num_mallocs);
    assert_true(later.num_allocs >= first.num_allocs + 20 * 2); /* mm and sum each step (a: once, kept) */
    assert_int_equal(later.bytes_in_use, first.bytes_in_use);
    assert_true(later.peak_bytes_in_use <= later.limit_bytes);
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* An explicit GPU request for an op with no GPU kernel fails, naming the op; soft placement puts
 * it on the CPU. Unpinned ops with a GPU kernel go to the GPU (log_device_placement says so). */
static void test_placement_rules(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Output x = out0(const_float(g, "x", (int64_t[]){ 3 }, 1, (float[]){ 1, 4, 9 }));
    TF_Operation *sq = op_on(g, "Sqrt", "sq", NULL, &x, 1);
    TF_Output clip_in[3] = { x, out0(const_float(g, "lo", NULL, 0, (float[]){ 2 })),
                             out0(const_float(g, "hi", NULL, 0, (float[]){ 5 })) };
    TF_Operation *sm = op_on(g, "ClipByValue", "sp", GPU0, clip_in, 3); /* CPU-only for now */
    TF_Session *sess = new_test_session(g, NULL, 0);
    char msg[512];
    TF_Code code;
    TF_Tensor *v = fetch(sess, out0(sm), &code, msg, sizeof msg);
    assert_null(v);
    assert_int_equal(code, TF_INVALID_ARGUMENT);
    assert_non_null(strstr(msg, "'sp'"));
    assert_non_null(strstr(msg, "no supported kernel for GPU devices"));
    v = fetch_ok(sess, out0(sq));
    assert_float_equal(((float *)TF_TensorData(v))[2], 3.0f, 1e-6);
    TF_DeleteTensor(v);
    close_test_session(sess);
    const uint8_t soft_and_log[] = { 0x38, 0x01, 0x40, 0x01 }; /* allow_soft_placement, log_device_placement */
    sess = new_test_session(g, soft_and_log, sizeof soft_and_log);
    v = fetch_ok(sess, out0(sm));
    assert_float_equal(((float *)TF_TensorData(v))[0], 2.0f, 0);
    assert_float_equal(((float *)TF_TensorData(v))[2], 5.0f, 0);
    TF_DeleteTensor(v);
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* A variable's updates stay with it: Assign and AssignAdd run where the VariableV2 is, while the
 * math feeding them may run on the GPU. */
static void test_stateful_ops_sit_with_their_variables(void **state)
{
    (void)state;
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_OperationDescription *d = TF_NewOperation(g, "VariableV2", "v");
    TF_SetAttrType(d, "dtype", TF_FLOAT);
    TF_SetAttrShape(d, "shape", (int64_t[]){ 2 }, 1);
    TF_Output var = out0(TF_FinishOperation(d, s));
    assert_ok(s);
    TF_Output init_v = out0(const_float(g, "init_v", (int64_t[]){ 2 }, 1, (float[]){ 1, 2 }));
    TF_Operation *init = binop(g, "Assign", "init", var, init_v);
    TF_Output two = out0(const_float(g, "two", (int64_t[]){ 2 }, 1, (float[]){ 2, 2 }));
    TF_Output in[2] = { two, two };
    TF_Operation *four = op_on(g, "Mul", "four", NULL, in, 2); /* has a GPU kernel: goes there */
    TF_Operation *add = binop(g, "AssignAdd", "add", var, out0(four));
    TF_Session *sess = new_test_session(g, NULL, 0);
    TF_SessionRun(sess, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const[]){ init }, 1, NULL, s);
    assert_ok(s);
    for (int i = 0; i < 3; i++) TF_DeleteTensor(fetch_ok(sess, out0(add)));
    TF_Tensor *v = fetch_ok(sess, var);
    assert_float_equal(((float *)TF_TensorData(v))[0], 13.0f, 0);
    assert_float_equal(((float *)TF_TensorData(v))[1], 14.0f, 0);
    TF_DeleteTensor(v);
    close_test_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_kernels")) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gpu_is_listed),
        cmocka_unit_test(test_fixtures_on_gpu),
        cmocka_unit_test(test_matmul_matches_cpu),
        cmocka_unit_test(test_broadcasting_matches_cpu),
        cmocka_unit_test(test_unary_ops_match_cpu),
        cmocka_unit_test(test_copies_at_partition_edges),
        cmocka_unit_test(test_pool_reuses_blocks),
        cmocka_unit_test(test_placement_rules),
        cmocka_unit_test(test_stateful_ops_sit_with_their_variables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
