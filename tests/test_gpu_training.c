/* test_gpu_training: variables in GPU memory and the optimizers that update them there. Every
 * ApplyX / ResourceApplyX (float and double) runs a few steps on GPU variables and on CPU
 * variables from the same values, and the two must agree; an unpinned variable goes to the GPU
 * only when all its users can follow it; a GPU variable saves and restores through a checkpoint; and a whole training
 * loop (TFC_AddTrainStep) gives the same weights with and without the GPU. Exits 77 (ctest:
 * skipped) without a GPU. (TensorFlow's own values for these ops on the GPU: test_gpu_kernels'
 * fixture run, which pins the training_cases variables to GPU:0.) */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "graph_util.h"
#include "gpu_util.h"
#include "gpu_cases.h"
#include "tfc/c_api.h"

/* One optimizer op: its inputs in order — v: a variable, s: a scalar, g: the gradient — and the
 * values of its scalars. */
typedef struct optimizer_case {
    const char *op;
    const char *inputs;
    float scalars[6];
    const char *bool_attr; /* set to true when not NULL */
} optimizer_case;

static const optimizer_case optimizers[] = {
    { "GradientDescent", "vsg", { 0.1f } },
    { "Momentum", "vvsgs", { 0.05f, 0.9f } },
    { "Momentum", "vvsgs", { 0.05f, 0.9f }, "use_nesterov" },
    { "Adagrad", "vvsg", { 0.1f } },
    { "Adadelta", "vvvsssg", { 1.0f, 0.95f, 1e-6f } },
    { "RMSProp", "vvvssssg", { 0.01f, 0.9f, 0.5f, 1e-7f } },
    { "CenteredRMSProp", "vvvvssssg", { 0.01f, 0.9f, 0.5f, 1e-7f } },
    { "Adam", "vvvssssssg", { 0.9f, 0.999f, 0.001f, 0.9f, 0.999f, 1e-7f } },
    { "Adam", "vvvssssssg", { 0.81f, 0.998f, 0.001f, 0.9f, 0.999f, 1e-7f }, "use_nesterov" },
    { "AdaMax", "vvvsssssg", { 0.9f, 0.002f, 0.9f, 0.999f, 1e-7f } },
    { "Ftrl", "vvvgssss", { 0.1f, 0.01f, 0.02f, -0.5f } },
    { "Ftrl", "vvvgssss", { 0.1f, 0.01f, 0.02f, -0.6f } },
    { "FtrlV2", "vvvgsssss", { 0.1f, 0.01f, 0.02f, 0.03f, -0.5f }, "multiply_linear_by_lr" },
};

enum { STEPS = 3 };

typedef struct optimizer_run {
    const optimizer_case *c;
    bool resource;
    int64_t n; /* elements per variable */
    TF_DataType dtype;
} optimizer_run;

static TF_Operation *typed_variable(TF_Graph *g, const char *name, bool resource, const char *device, int64_t n,
                                    TF_DataType dtype)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, resource ? "VarHandleOp" : "VariableV2", name);
    TF_SetAttrType(d, "dtype", dtype);
    TF_SetAttrShape(d, "shape", (int64_t[]){ n }, 1);
    if (device) TF_SetDevice(d, device);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_DeleteStatus(s);
    return op;
}

static TF_Operation *variable(TF_Graph *g, const char *name, bool resource, const char *device, int64_t n)
{
    return typed_variable(g, name, resource, device, n, TF_FLOAT);
}

/* A Const of the float values v, cast on the CPU to dtype when that is not float. */
static TF_Output typed_const(TF_Graph *g, const char *name, const int64_t *dims, int nd, const float *v,
                             TF_DataType dtype)
{
    char fname[48];
    snprintf(fname, sizeof fname, "%s_f32", name);
    TF_Output f = out0(const_float(g, dtype == TF_FLOAT ? name : fname, dims, nd, v));
    return cpu_cast(g, name, f, TF_FLOAT, dtype);
}

static TF_Operation *assign(TF_Graph *g, const char *name, TF_Output var, TF_Output value, bool resource)
{
    TF_Output in[2] = { var, value };
    return op_on(g, resource ? "AssignVariableOp" : "Assign", name, NULL, in, 2);
}

static TF_Output read_var(TF_Graph *g, const char *name, TF_Output var, bool resource, TF_DataType dtype)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, resource ? "ReadVariableOp" : "Identity", name);
    TF_AddInput(d, var);
    if (resource) TF_SetAttrType(d, "dtype", dtype);
    TF_Output o = out0(TF_FinishOperation(d, s));
    assert_ok(s);
    TF_DeleteStatus(s);
    return o;
}

/* Whether var holds a value: IsVariableInitialized or VarIsInitializedOp (where the variable is). */
static TF_Output initialized_op(TF_Graph *g, TF_Output var, const optimizer_run *r)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, r->resource ? "VarIsInitializedOp" : "IsVariableInitialized",
                                                 "initialized");
    TF_AddInput(d, var);
    if (!r->resource) TF_SetAttrType(d, "dtype", r->dtype);
    TF_Output o = out0(TF_FinishOperation(d, s));
    assert_ok(s);
    TF_DeleteStatus(s);
    return o;
}

static bool fetch_bool(TF_Session *sess, TF_Output out)
{
    TF_Tensor *t = fetch_ok(sess, out);
    assert_int_equal(TF_TensorType(t), TF_BOOL);
    bool b = *(const bool *)TF_TensorData(t);
    TF_DeleteTensor(t);
    return b;
}

static void run_targets(TF_Session *sess, TF_Operation *const *ops, int n)
{
    TF_Status *s = TF_NewStatus();
    TF_SessionRun(sess, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)ops, n, NULL, s);
    assert_ok(s);
    TF_DeleteStatus(s);
}

/* The case's op over variables pinned to device, STEPS updates; the variables' values after them,
 * concatenated. */
static TF_Tensor *optimize_on(const optimizer_run *r, const char *device)
{
    const optimizer_case *c = r->c;
    TF_Graph *g = TF_NewGraph();
    TF_Output in[16], reads[4];
    TF_Operation *inits[4];
    int nv = 0, ns = 0, n_in = (int)strlen(c->inputs);
    float *v = malloc(sizeof(float) * (size_t)r->n);
    for (int i = 0; i < n_in; i++) {
        char name[32];
        snprintf(name, sizeof name, "in%d", i);
        if (c->inputs[i] == 's') {
            in[i] = typed_const(g, name, NULL, 0, &c->scalars[ns++], r->dtype);
            continue;
        }
        fill_random(v, r->n, 100u + (uint32_t)i);
        if (c->inputs[i] == 'g') {
            in[i] = typed_const(g, name, (int64_t[]){ r->n }, 1, v, r->dtype);
            continue;
        }
        if (nv > 0) /* accumulators: positive, as the rules expect */
            for (int64_t k = 0; k < r->n; k++) v[k] = fabsf(v[k]) + 0.25f;
        in[i] = out0(typed_variable(g, name, r->resource, device, r->n, r->dtype));
        char init_name[32], value_name[32], read_name[32];
        snprintf(init_name, sizeof init_name, "init%d", i);
        snprintf(value_name, sizeof value_name, "value%d", i);
        snprintf(read_name, sizeof read_name, "read%d", i);
        inits[nv] = assign(g, init_name, in[i], typed_const(g, value_name, (int64_t[]){ r->n }, 1, v, r->dtype),
                           r->resource);
        reads[nv++] = read_var(g, read_name, in[i], r->resource, r->dtype);
    }
    free(v);
    char type[64];
    snprintf(type, sizeof type, "%sApply%s", r->resource ? "Resource" : "", c->op);
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, type, "apply");
    for (int i = 0; i < n_in; i++) TF_AddInput(d, in[i]);
    if (c->bool_attr) TF_SetAttrBool(d, c->bool_attr, 1);
    TF_Operation *apply = TF_FinishOperation(d, s);
    assert_ok(s);
    if (nv == 1) { /* (GradientDescent) ConcatV2 takes N >= 2 */
        d = TF_NewOperation(g, "Identity", "all");
        TF_AddInput(d, reads[0]);
    } else {
        d = TF_NewOperation(g, "ConcatV2", "all");
        TF_AddInputList(d, reads, nv);
        TF_AddInput(d, out0(const_int32(g, "axis", (int32_t[]){ 0 }, NULL, 0)));
    }
    TF_SetDevice(d, CPU0);
    TF_Output all = out0(TF_FinishOperation(d, s));
    assert_ok(s);
    TF_DeleteStatus(s);
    TF_Output initialized = initialized_op(g, in[0], r); /* in[0]: a variable in every case */
    TF_Session *sess = new_test_session(g, NULL, 0);
    assert_false(fetch_bool(sess, initialized));
    run_targets(sess, inits, nv);
    assert_true(fetch_bool(sess, initialized));
    for (int step = 0; step < STEPS; step++) run_targets(sess, &apply, 1);
    TF_Tensor *result = fetch_ok(sess, all);
    close_test_session(sess);
    TF_DeleteGraph(g);
    return result;
}

static void test_optimizers_match_cpu(void **state)
{
    (void)state;
    const int64_t sizes[] = { 1, 1000, 100003 };
    const TF_DataType dtypes[] = { TF_FLOAT, TF_DOUBLE };
    for (size_t i = 0; i < sizeof optimizers / sizeof optimizers[0]; i++)
        for (int resource = 0; resource < 2; resource++)
            for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
                for (int t = 0; t < 2; t++) {
                    if (dtypes[t] == TF_DOUBLE && sizes[z] > 1000) continue; /* the rules are the float ones */
                    optimizer_run r = { &optimizers[i], resource, sizes[z], dtypes[t] };
                    TF_Tensor *gpu = optimize_on(&r, GPU0), *cpu = optimize_on(&r, CPU0);
                    char what[128];
                    snprintf(what, sizeof what, "%sApply%s%s%s, %lld %s elements", resource ? "Resource" : "",
                             optimizers[i].op, optimizers[i].bool_attr ? " " : "",
                             optimizers[i].bool_attr ? optimizers[i].bool_attr : "", (long long)sizes[z],
                             dtypes[t] == TF_FLOAT ? "float" : "double");
                    /* the same rule; the GPU may fuse a multiply-add */
                    if (dtypes[t] == TF_FLOAT) assert_close(gpu, cpu, 1e-5, 1e-6, what);
                    else assert_close(gpu, cpu, 1e-12, 1e-14, what);
                    TF_DeleteTensor(gpu);
                    TF_DeleteTensor(cpu);
                }
}

/* ---- placement and memory ---- */

enum { BIG = 1 << 18 }; /* a 1 MiB float variable */

static int64_t gpu_bytes_in_use(void)
{
    tfc_cuda_pool_stats st;
    assert_true(tfc_gpu_pool_stats(0, &st));
    return st.bytes_in_use;
}

/* GPU bytes an unpinned resource variable of BIG floats holds once initialised from a fed host
 * tensor; with_gather adds a ResourceGather user, which has no GPU kernel. */
static int64_t variable_gpu_bytes(bool with_gather)
{
    TF_Graph *g = TF_NewGraph();
    TF_Output var = out0(variable(g, "v", true, NULL, BIG));
    TF_Output value = out0(placeholder(g, "value", TF_FLOAT, (int64_t[]){ BIG }, 1));
    TF_Operation *init = assign(g, "init", var, value, true);
    TF_Output lr = out0(const_float(g, "lr", NULL, 0, (float[]){ 0.5f }));
    TF_Output in[3] = { var, lr, value };
    TF_Operation *step = op_on(g, "ResourceApplyGradientDescent", "step", NULL, in, 3);
    if (with_gather) {
        TF_Status *s = TF_NewStatus();
        TF_OperationDescription *d = TF_NewOperation(g, "ResourceGather", "gather");
        TF_AddInput(d, var);
        TF_AddInput(d, out0(const_int32(g, "ix", (int32_t[]){ 1 }, (int64_t[]){ 1 }, 1)));
        TF_SetAttrType(d, "dtype", TF_FLOAT);
        TF_FinishOperation(d, s);
        assert_ok(s);
        TF_DeleteStatus(s);
    }
    TF_Session *sess = new_test_session(g, NULL, 0);
    float *v = malloc(sizeof(float) * BIG);
    fill_random(v, BIG, 7);
    TF_Tensor *fed = float_tensor((int64_t[]){ BIG }, 1, v);
    free(v);
    int64_t before = gpu_bytes_in_use();
    TF_Status *s = TF_NewStatus();
    TF_Operation *targets[2] = { init, step };
    for (int i = 0; i < 2; i++) {
        TF_SessionRun(sess, NULL, &value, &fed, 1, NULL, NULL, 0, (const TF_Operation *const *)&targets[i], 1, NULL,
                      s);
        assert_ok(s);
    }
    int64_t held = gpu_bytes_in_use() - before;
    TF_DeleteTensor(fed);
    TF_DeleteStatus(s);
    close_test_session(sess);
    TF_DeleteGraph(g);
    return held;
}

static void test_variables_go_where_their_users_can_follow(void **state)
{
    (void)state;
    assert_true(variable_gpu_bytes(false) >= (int64_t)sizeof(float) * BIG); /* the value sits on the GPU */
    assert_true(variable_gpu_bytes(true) < (int64_t)sizeof(float) * BIG);   /* ResourceGather keeps it home */
}

/* DestroyResourceOp on a GPU variable (it sits with the variable) gives the variable's device
 * memory back to the pool; reading it afterwards is a FAILED_PRECONDITION naming it. */
static void test_destroy_gpu_variable(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Output var = out0(variable(g, "w", true, GPU0, BIG));
    TF_Output value = out0(placeholder(g, "value", TF_FLOAT, (int64_t[]){ BIG }, 1));
    TF_Operation *init = assign(g, "init", var, value, true);
    TF_Operation *destroy = op_on(g, "DestroyResourceOp", "destroy", NULL, &var, 1);
    TF_Output read = read_var(g, "read", var, true, TF_FLOAT);
    TF_Session *sess = new_test_session(g, NULL, 0);
    float *v = calloc(BIG, sizeof(float));
    TF_Tensor *fed = float_tensor((int64_t[]){ BIG }, 1, v);
    free(v);
    int64_t before = gpu_bytes_in_use();
    TF_Status *s = TF_NewStatus();
    TF_SessionRun(sess, NULL, &value, &fed, 1, NULL, NULL, 0, (const TF_Operation *const *)&init, 1, NULL, s);
    assert_ok(s);
    assert_true(gpu_bytes_in_use() - before >= (int64_t)sizeof(float) * BIG);
    run_targets(sess, &destroy, 1);
    assert_true(gpu_bytes_in_use() - before < (int64_t)sizeof(float) * BIG);
    TF_SessionRun(sess, NULL, NULL, NULL, 0, &read, &(TF_Tensor *){ NULL }, 1, NULL, 0, NULL, s);
    assert_code(s, TF_FAILED_PRECONDITION);
    assert_msg_has(s, "w");
    TF_DeleteTensor(fed);
    TF_DeleteStatus(s);
    close_test_session(sess);
    TF_DeleteGraph(g);
}

/* A GPU variable saved by TFC_SaveVariables and restored into a new session (the restored value
 * is a host tensor) reads the same, and the next update, on the GPU, continues from it. */
static void test_gpu_variable_checkpoint(void **state)
{
    (void)state;
    char dir[] = "/tmp/tfc_gpu_ckpt_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s/model", dir);
    TF_Graph *g = TF_NewGraph();
    TF_Output var = out0(variable(g, "w", true, GPU0, 1000));
    TF_Output init_value = random_const(g, "w0", (int64_t[]){ 1000 }, 1, 11);
    TF_Operation *init = assign(g, "init", var, init_value, true);
    TF_Output lr = out0(const_float(g, "lr", NULL, 0, (float[]){ 0.25f }));
    TF_Output in[3] = { var, lr, random_const(g, "grad", (int64_t[]){ 1000 }, 1, 12) };
    TF_Operation *step = op_on(g, "ResourceApplyGradientDescent", "step", NULL, in, 3);
    TF_Output read = read_var(g, "read", var, true, TF_FLOAT);
    TF_Status *s = TF_NewStatus();
    TF_Session *a = new_test_session(g, NULL, 0);
    run_targets(a, &init, 1);
    run_targets(a, &step, 1);
    TFC_SaveVariables(a, prefix, s);
    assert_ok(s);
    TF_Session *b = new_test_session(g, NULL, 0);
    run_targets(b, &init, 1); /* creates the variable, on the GPU; the restore then sets it on the host */
    TFC_RestoreVariables(b, prefix, s);
    assert_ok(s);
    TF_Tensor *va = fetch_ok(a, read), *vb = fetch_ok(b, read);
    assert_close(vb, va, 0, 0, "restored value");
    TF_DeleteTensor(va);
    TF_DeleteTensor(vb);
    run_targets(a, &step, 1);
    run_targets(b, &step, 1);
    va = fetch_ok(a, read), vb = fetch_ok(b, read);
    assert_close(vb, va, 0, 0, "value after one more step");
    TF_DeleteTensor(va);
    TF_DeleteTensor(vb);
    close_test_session(a);
    close_test_session(b);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- a whole training loop ---- */

/* ConfigProto{device_count {key: "GPU" value: 0}}: a session with the CPU only. */
static const uint8_t no_gpu_config[] = { 0x0a, 0x07, 0x0a, 0x03, 'G', 'P', 'U', 0x10, 0x00 };

/* Linear regression of 64 random rows of 16 features onto 4 outputs, mean squared error, trained
 * by Adam for 30 steps with every op placed by the session; the weights and the last loss. */
static TF_Tensor *train_regression(bool with_gpu, float *last_loss)
{
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Output x = random_const(g, "x", (int64_t[]){ 64, 16 }, 2, 21);
    TF_Output y = random_const(g, "y", (int64_t[]){ 64, 4 }, 2, 22);
    TF_Output w = out0(variable(g, "w", true, NULL, 64)), w_value;
    TF_Operation *init = assign(g, "w/init", w, random_const(g, "w0", (int64_t[]){ 64 }, 1, 23), true);
    w_value = read_var(g, "w/read", w, true, TF_FLOAT);
    TF_Output shape = out0(const_int32(g, "w/shape", (int32_t[]){ 16, 4 }, (int64_t[]){ 2 }, 1));
    TF_Output wm = out0(binop(g, "Reshape", "w/matrix", w_value, shape));
    TF_Output pred = out0(binop(g, "MatMul", "pred", x, wm));
    TF_Output err = out0(binop(g, "SquaredDifference", "err", pred, y));
    TF_Output axes = out0(const_int32(g, "axes", (int32_t[]){ 0, 1 }, (int64_t[]){ 2 }, 1));
    TF_Output loss = out0(binop(g, "Mean", "loss", err, axes));
    TFC_Optimizer opt;
    TFC_OptimizerDefaults(&opt, TFC_OPTIMIZER_ADAM, 0.05);
    TF_Operation *init_slots = NULL;
    TF_Operation *train = TFC_AddTrainStep(g, loss, &w, 1, &opt, "train", &init_slots, s);
    assert_ok(s);
    TF_Session *sess = with_gpu ? new_test_session(g, NULL, 0) : new_test_session(g, no_gpu_config, sizeof no_gpu_config);
    run_targets(sess, &init, 1);
    if (init_slots) run_targets(sess, &init_slots, 1);
    for (int i = 0; i < 30; i++) run_targets(sess, &train, 1);
    TF_Tensor *l = fetch_ok(sess, loss);
    *last_loss = *(const float *)TF_TensorData(l);
    TF_DeleteTensor(l);
    TF_Tensor *weights = fetch_ok(sess, w_value);
    close_test_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
    return weights;
}

static void test_training_loop_matches_cpu(void **state)
{
    (void)state;
    float loss_gpu, loss_cpu;
    TF_Tensor *gpu = train_regression(true, &loss_gpu), *cpu = train_regression(false, &loss_cpu);
    assert_close(gpu, cpu, 1e-4, 1e-5, "weights after 30 Adam steps");
    assert_true(fabsf(loss_gpu - loss_cpu) <= 1e-4f * fabsf(loss_cpu) + 1e-6f);
    TF_DeleteTensor(gpu);
    TF_DeleteTensor(cpu);
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_training")) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optimizers_match_cpu),
        cmocka_unit_test(test_variables_go_where_their_users_can_follow),
        cmocka_unit_test(test_destroy_gpu_variable),
        cmocka_unit_test(test_gpu_variable_checkpoint),
        cmocka_unit_test(test_training_loop_matches_cpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
