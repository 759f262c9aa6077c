/* Sessions: feeds, fetches and targets, pruning (proven by RunMetadata step_stats and the
 * executed-op counter), plan reuse, error reporting, graph growth after the session exists,
 * and concurrent TF_SessionRun calls. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config.pb-c.h"
#include "core/alloc.h"
#include "tfc/c_api.h"

/* ---- helpers ---- */
static TF_Operation *placeholder(TF_Graph *g, const char *name, TF_DataType t, const int64_t *dims, int nd)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, "Placeholder", name);
    TF_SetAttrType(d, "dtype", t);
    if (nd >= 0) TF_SetAttrShape(d, "shape", dims, nd);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_DeleteStatus(s);
    return op;
}

static TF_Tensor *float_tensor(const int64_t *dims, int nd, const float *vals)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    TF_Tensor *t = TF_AllocateTensor(TF_FLOAT, dims, nd, (size_t)n * sizeof(float));
    memcpy(TF_TensorData(t), vals, (size_t)n * sizeof(float));
    return t;
}

static TF_Tensor *scalar(float v) { return float_tensor(NULL, 0, &v); }

static TF_Operation *const_tensor(TF_Graph *g, const char *name, TF_Tensor *t)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, "Const", name);
    TF_SetAttrTensor(d, "value", t, s);
    TF_SetAttrType(d, "dtype", TF_TensorType(t));
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_DeleteStatus(s);
    TF_DeleteTensor(t);
    return op;
}

static TF_Operation *binop(TF_Graph *g, const char *type, const char *name, TF_Operation *a, TF_Operation *b)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    TF_AddInput(d, (TF_Output){ a, 0 });
    TF_AddInput(d, (TF_Output){ b, 0 });
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_DeleteStatus(s);
    return op;
}

static TF_Operation *unary(TF_Graph *g, const char *type, const char *name, TF_Operation *a)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    TF_AddInput(d, (TF_Output){ a, 0 });
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_DeleteStatus(s);
    return op;
}

static TF_Session *new_session(TF_Graph *g, int inter, int intra)
{
    TF_Status *s = TF_NewStatus();
    TF_SessionOptions *o = TF_NewSessionOptions();
    TFC_SessionOptionsSetInterOpThreads(o, inter);
    TFC_SessionOptionsSetIntraOpThreads(o, intra);
    TF_Session *sess = TF_NewSession(g, o, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_DeleteSessionOptions(o);
    TF_DeleteStatus(s);
    return sess;
}

static void delete_session(TF_Session *sess)
{
    TF_Status *s = TF_NewStatus();
    TF_CloseSession(sess, s);
    TF_DeleteSession(sess, s);
    TF_DeleteStatus(s);
}

static float fetch_scalar(TF_Session *sess, TF_Output *feeds, TF_Tensor **vals, int nf, TF_Output fetch,
                          TF_Status *s)
{
    TF_Tensor *out = NULL;
    TF_SessionRun(sess, NULL, feeds, vals, nf, &fetch, &out, 1, NULL, 0, NULL, s);
    if (TF_GetCode(s) != TF_OK) {
        assert_null(out);
        return -1e30f;
    }
    assert_non_null(out);
    float v = *(float *)TF_TensorData(out);
    TF_DeleteTensor(out);
    return v;
}

/* Names of the ops a traced run executed, joined with ','. */
static void traced_run(TF_Session *sess, TF_Output *feeds, TF_Tensor **vals, int nf, TF_Output *fetch, int nfe,
                       const TF_Operation *const *targets, int nt, char *names, size_t cap)
{
    static const uint8_t full_trace[] = { 0x08, 0x03 }; /* RunOptions.trace_level = FULL_TRACE */
    TF_Buffer *opts = TF_NewBufferFromString(full_trace, sizeof full_trace);
    TF_Buffer *md = TF_NewBuffer();
    TF_Status *s = TF_NewStatus();
    TF_Tensor *outs[4] = { 0 };
    TF_SessionRun(sess, opts, feeds, vals, nf, fetch, outs, nfe, targets, nt, md, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    for (int i = 0; i < nfe; i++) TF_DeleteTensor(outs[i]);
    Tensorflow__RunMetadata *m = tensorflow__run_metadata__unpack(NULL, md->length, md->data);
    assert_non_null(m);
    assert_non_null(m->step_stats);
    assert_int_equal(m->step_stats->n_dev_stats, 1);
    names[0] = '\0';
    Tensorflow__DeviceStepStats *dev = m->step_stats->dev_stats[0];
    /* sort names so the check does not depend on the execution order */
    const char *sorted[64];
    size_t n = dev->n_node_stats;
    assert_true(n <= 64);
    for (size_t i = 0; i < n; i++) sorted[i] = dev->node_stats[i]->node_name;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(sorted[j - 1], sorted[j]) > 0; j--) {
            const char *t = sorted[j];
            sorted[j] = sorted[j - 1], sorted[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        if (i) strncat(names, ",", cap - strlen(names) - 1);
        strncat(names, sorted[i], cap - strlen(names) - 1);
    }
    tensorflow__run_metadata__free_unpacked(m, NULL);
    TF_DeleteBuffer(md);
    TF_DeleteBuffer(opts);
    TF_DeleteStatus(s);
}

/* ---- tests ---- */
static void test_feed_fetch_and_growth(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, NULL, 0);
    TF_Operation *c = const_tensor(g, "c", scalar(2));
    TF_Operation *y = binop(g, "AddV2", "y", x, c);
    TF_Session *sess = new_session(g, 1, 1);
    TF_Output feed = { x, 0 };
    TF_Tensor *v = scalar(3);
    assert_float_equal(fetch_scalar(sess, &feed, &v, 1, (TF_Output){ y, 0 }, s), 5.0f, 0);
    /* TensorFlow allows adding ops once the session exists */
    TF_Operation *z = binop(g, "Mul", "z", y, c);
    assert_float_equal(fetch_scalar(sess, &feed, &v, 1, (TF_Output){ z, 0 }, s), 10.0f, 0);
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_DeleteTensor(v);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_pruning_by_trace(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, NULL, 0);
    TF_Operation *a = const_tensor(g, "a", scalar(1));
    TF_Operation *b = const_tensor(g, "b", scalar(2));
    TF_Operation *s1 = binop(g, "AddV2", "s1", a, b);
    TF_Operation *s2 = binop(g, "Mul", "s2", x, a);
    TF_Session *sess = new_session(g, 1, 1);
    char names[512];
    TF_Output f1 = { s1, 0 }, f2 = { s2, 0 }, feed = { x, 0 };
    traced_run(sess, NULL, NULL, 0, &f1, 1, NULL, 0, names, sizeof names);
    assert_string_equal(names, "a,b,s1"); /* x unfed but not needed: pruned */
    TF_Tensor *v = scalar(4);
    traced_run(sess, &feed, &v, 1, &f2, 1, NULL, 0, names, sizeof names);
    assert_string_equal(names, "a,s2"); /* fed x does not run */
    TF_DeleteTensor(v);
    TFC_SessionStats st;
    TFC_SessionGetStats(sess, &st, sizeof st, NULL);
    assert_int_equal(st.ops_executed, 5);
    delete_session(sess);
    TF_DeleteGraph(g);
}

static void test_feeding_an_edge_cuts_the_graph(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, NULL, 0);
    TF_Operation *c = const_tensor(g, "c", scalar(2));
    TF_Operation *y = binop(g, "AddV2", "y", x, c);
    TF_Operation *z = binop(g, "Mul", "z", y, c);
    TF_Session *sess = new_session(g, 1, 1);
    TF_Output feed = { y, 0 }, fetch = { z, 0 };
    TF_Tensor *v = scalar(10);
    assert_float_equal(fetch_scalar(sess, &feed, &v, 1, fetch, s), 20.0f, 0);
    char names[256];
    traced_run(sess, &feed, &v, 1, &fetch, 1, NULL, 0, names, sizeof names);
    assert_string_equal(names, "c,z");
    /* fetching the fed edge itself returns the fed value */
    assert_float_equal(fetch_scalar(sess, &feed, &v, 1, feed, s), 10.0f, 0);
    TF_DeleteTensor(v);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_unfed_placeholder_is_named(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *x = placeholder(g, "input_x", TF_FLOAT, NULL, 0);
    TF_Operation *c = const_tensor(g, "c", scalar(2));
    TF_Operation *y = binop(g, "AddV2", "y", x, c);
    TF_Session *sess = new_session(g, 2, 1);
    TF_Output fetch = { y, 0 };
    TF_Tensor *out = (TF_Tensor *)0x1;
    TF_SessionRun(sess, NULL, NULL, NULL, 0, &fetch, &out, 1, NULL, 0, NULL, s);
    assert_int_equal(TF_GetCode(s), TF_INVALID_ARGUMENT);
    assert_non_null(strstr(TF_Message(s), "input_x"));
    assert_null(out);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_feed_must_match_placeholder(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    int64_t dims[1] = { 2 };
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, dims, 1);
    TF_Operation *y = binop(g, "AddV2", "y", x, x);
    TF_Session *sess = new_session(g, 1, 1);
    TF_Output feed = { x, 0 }, fetch = { y, 0 };
    TF_Tensor *out = NULL;
    int64_t d3[1] = { 3 };
    TF_Tensor *wrong_shape = float_tensor(d3, 1, (float[]){ 1, 2, 3 });
    TF_SessionRun(sess, NULL, &feed, &wrong_shape, 1, &fetch, &out, 1, NULL, 0, NULL, s);
    assert_int_equal(TF_GetCode(s), TF_INVALID_ARGUMENT);
    assert_non_null(strstr(TF_Message(s), "[3]"));
    TF_Tensor *wrong_type = TF_AllocateTensor(TF_INT32, dims, 1, 8);
    TF_SessionRun(sess, NULL, &feed, &wrong_type, 1, &fetch, &out, 1, NULL, 0, NULL, s);
    assert_int_equal(TF_GetCode(s), TF_INVALID_ARGUMENT);
    assert_non_null(strstr(TF_Message(s), "int32"));
    TF_Tensor *good = float_tensor(dims, 1, (float[]){ 1.5f, -2 });
    TF_SessionRun(sess, NULL, &feed, &good, 1, &fetch, &out, 1, NULL, 0, NULL, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    assert_float_equal(((float *)TF_TensorData(out))[0], 3.0f, 0);
    assert_float_equal(((float *)TF_TensorData(out))[1], -4.0f, 0);
    /* the fed tensor is still the caller's and unchanged (no in-place reuse of feeds) */
    assert_float_equal(((float *)TF_TensorData(good))[0], 1.5f, 0);
    TF_DeleteTensor(out);
    TF_DeleteTensor(good);
    TF_DeleteTensor(wrong_type);
    TF_DeleteTensor(wrong_shape);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_targets_run_for_effect(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *a = const_tensor(g, "a", scalar(1));
    TF_Operation *b = binop(g, "AddV2", "b", a, a);
    TF_OperationDescription *d = TF_NewOperation(g, "NoOp", "init");
    TF_AddControlInput(d, b);
    TF_Operation *init = TF_FinishOperation(d, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    const_tensor(g, "unused", scalar(7));
    TF_Session *sess = new_session(g, 1, 1);
    char names[256];
    const TF_Operation *targets[1] = { init };
    traced_run(sess, NULL, NULL, 0, NULL, 0, targets, 1, names, sizeof names);
    assert_string_equal(names, "a,b,init");
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_plan_is_reused(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, NULL, 0);
    TF_Operation *c = const_tensor(g, "c", scalar(2));
    TF_Operation *y = binop(g, "AddV2", "y", x, c);
    TF_Operation *z = binop(g, "Mul", "z", y, c);
    TF_Session *sess = new_session(g, 1, 1);
    TF_Output feed = { x, 0 };
    TF_Tensor *v = scalar(1);
    for (int i = 0; i < 5; i++) fetch_scalar(sess, &feed, &v, 1, (TF_Output){ y, 0 }, s);
    TFC_SessionStats st;
    TFC_SessionGetStats(sess, &st, sizeof st, s);
    assert_int_equal(st.steps, 5);
    assert_int_equal(st.plans_built, 1);
    assert_int_equal(st.plan_cache_hits, 4);
    assert_int_equal(st.ops_executed, 10); /* c and y each step */
    fetch_scalar(sess, &feed, &v, 1, (TF_Output){ z, 0 }, s);
    TFC_SessionGetStats(sess, &st, sizeof st, s);
    assert_int_equal(st.plans_built, 2);
    TF_DeleteTensor(v);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_runtime_error_names_the_op(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    int64_t unknown2[2] = { -1, -1 };
    TF_Operation *a = placeholder(g, "a", TF_FLOAT, unknown2, 2);
    TF_Operation *b = placeholder(g, "b", TF_FLOAT, unknown2, 2);
    TF_Operation *mm = binop(g, "MatMul", "dense/MatMul", a, b);
    TF_Operation *after = binop(g, "AddV2", "after", mm, mm);
    TF_Session *sess = new_session(g, 2, 2);
    int64_t da[2] = { 2, 3 }, db[2] = { 4, 5 };
    float zeros[20] = { 0 };
    TF_Tensor *vals[2] = { float_tensor(da, 2, zeros), float_tensor(db, 2, zeros) };
    TF_Output feeds[2] = { { a, 0 }, { b, 0 } }, fetch = { after, 0 };
    TF_Tensor *out = NULL;
    TF_SessionRun(sess, NULL, feeds, vals, 2, &fetch, &out, 1, NULL, 0, NULL, s);
    assert_int_equal(TF_GetCode(s), TF_INVALID_ARGUMENT);
    assert_non_null(strstr(TF_Message(s), "dense/MatMul"));
    assert_null(out);
    TF_DeleteTensor(vals[0]);
    TF_DeleteTensor(vals[1]);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_matmul_values(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    int64_t da[2] = { 2, 3 }, db[2] = { 3, 2 };
    TF_Operation *a = placeholder(g, "a", TF_FLOAT, da, 2);
    TF_Operation *b = const_tensor(g, "b", float_tensor(db, 2, (float[]){ 1, 2, 3, 4, 5, 6 }));
    TF_Operation *mm = binop(g, "MatMul", "mm", a, b);
    TF_Session *sess = new_session(g, 1, 1);
    TF_Tensor *va = float_tensor(da, 2, (float[]){ 1, 0, -1, 2, 1, 0.5f });
    TF_Output feed = { a, 0 }, fetch = { mm, 0 };
    TF_Tensor *out = NULL;
    TF_SessionRun(sess, NULL, &feed, &va, 1, &fetch, &out, 1, NULL, 0, NULL, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    assert_int_equal(TF_NumDims(out), 2);
    assert_int_equal(TF_Dim(out, 0), 2);
    assert_int_equal(TF_Dim(out, 1), 2);
    const float *r = TF_TensorData(out);
    const float want[4] = { 1 - 5, 2 - 6, 2 + 3 + 2.5f, 4 + 4 + 3 };
    for (int i = 0; i < 4; i++) assert_float_equal(r[i], want[i], 1e-6);
    TF_DeleteTensor(out);
    TF_DeleteTensor(va);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_fetch_twice_const_and_reuse(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    int64_t d[1] = { 3 };
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, d, 1);
    TF_Operation *c = const_tensor(g, "c", float_tensor(d, 1, (float[]){ 1, 2, 3 }));
    TF_Operation *y = binop(g, "AddV2", "y", x, c);   /* y is read twice below: never reused in place */
    TF_Operation *z = binop(g, "AddV2", "z", y, y);
    TF_Operation *w = binop(g, "Mul", "w", z, c);
    TF_Session *sess = new_session(g, 2, 1);
    TF_Tensor *vx = float_tensor(d, 1, (float[]){ 10, 20, 30 });
    TF_Output feed = { x, 0 }, fetch[4] = { { y, 0 }, { w, 0 }, { y, 0 }, { c, 0 } };
    TF_Tensor *out[4] = { 0 };
    for (int step = 0; step < 2; step++) {
        TF_SessionRun(sess, NULL, &feed, &vx, 1, fetch, out, 4, NULL, 0, NULL, s);
        assert_int_equal(TF_GetCode(s), TF_OK);
        const float *py = TF_TensorData(out[0]), *pw = TF_TensorData(out[1]), *py2 = TF_TensorData(out[2]);
        float *pc = TF_TensorData(out[3]);
        assert_ptr_not_equal(out[0], out[2]);
        for (int i = 0; i < 3; i++) {
            float yy = (float)((i + 1) * 10 + i + 1);
            assert_float_equal(py[i], yy, 0);
            assert_float_equal(py2[i], yy, 0);
            assert_float_equal(pw[i], 2 * yy * (float)(i + 1), 0);
            assert_float_equal(pc[i], (float)(i + 1), 0);
            pc[i] = -99; /* the caller owns its copy: the graph's constant must not change */
        }
        for (int i = 0; i < 4; i++) TF_DeleteTensor(out[i]);
    }
    TF_DeleteTensor(vx);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

/* 64 independent chains joined by AddN, run with a 4-thread inter-op pool. */
static void test_wide_graph_parallel(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, NULL, 0);
    TF_Output ends[64];
    char name[32];
    for (int i = 0; i < 64; i++) {
        snprintf(name, sizeof name, "k%d", i);
        TF_Operation *k = const_tensor(g, name, scalar((float)i));
        snprintf(name, sizeof name, "m%d", i);
        TF_Operation *m = binop(g, "Mul", name, x, k);
        snprintf(name, sizeof name, "a%d", i);
        ends[i] = (TF_Output){ binop(g, "AddV2", name, m, k), 0 };
    }
    TF_OperationDescription *d = TF_NewOperation(g, "AddN", "sum");
    TF_AddInputList(d, ends, 64);
    TF_Operation *sum = TF_FinishOperation(d, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_Session *sess = new_session(g, 4, 2);
    TF_Output feed = { x, 0 };
    for (int step = 0; step < 50; step++) {
        TF_Tensor *v = scalar((float)step);
        /* sum_i (step * i + i) = (step + 1) * 2016 */
        assert_float_equal(fetch_scalar(sess, &feed, &v, 1, (TF_Output){ sum, 0 }, s), (float)(step + 1) * 2016, 0);
        TF_DeleteTensor(v);
    }
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

typedef struct worker_arg {
    TF_Session *sess;
    TF_Operation *x, *out;
    int id, bad;
} worker_arg;

static void *worker(void *p)
{
    worker_arg *w = p;
    TF_Status *s = TF_NewStatus();
    TF_Output feed = { w->x, 0 };
    for (int i = 0; i < 300; i++) {
        float v = (float)(w->id * 1000 + i);
        int64_t d[1] = { 4 };
        TF_Tensor *t = float_tensor(d, 1, (float[]){ v, v + 1, v + 2, v + 3 });
        TF_Output fetch = { w->out, 0 };
        TF_Tensor *out = NULL;
        TF_SessionRun(w->sess, NULL, &feed, &t, 1, &fetch, &out, 1, NULL, 0, NULL, s);
        if (TF_GetCode(s) != TF_OK || !out) {
            w->bad++;
        } else {
            const float *r = TF_TensorData(out);
            for (int j = 0; j < 4; j++) w->bad += r[j] != ((v + (float)j) * 2 + 1) * 3;
        }
        TF_DeleteTensor(out);
        TF_DeleteTensor(t);
    }
    TF_DeleteStatus(s);
    return NULL;
}

static void test_concurrent_runs(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    int64_t d[1] = { 4 };
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, d, 1);
    TF_Operation *two = const_tensor(g, "two", scalar(2));
    TF_Operation *one = const_tensor(g, "one", scalar(1));
    TF_Operation *three = const_tensor(g, "three", scalar(3));
    TF_Operation *m = binop(g, "Mul", "m", x, two);
    TF_Operation *a = binop(g, "AddV2", "a", m, one);
    TF_Operation *out = binop(g, "Mul", "out", a, three);
    TF_Session *sess = new_session(g, 2, 2);
    pthread_t th[8];
    worker_arg args[8];
    for (int i = 0; i < 8; i++) {
        args[i] = (worker_arg){ sess, x, out, i, 0 };
        pthread_create(&th[i], NULL, worker, &args[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].bad, 0);
    }
    TFC_SessionStats st;
    TFC_SessionGetStats(sess, &st, sizeof st, NULL);
    assert_int_equal(st.steps, 8 * 300);
    assert_int_equal(st.plans_built, 1);
    delete_session(sess);
    TF_DeleteGraph(g);
}

static void test_shape_and_reshape(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    int64_t d[2] = { -1, 3 };
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, d, 2);
    TF_Operation *shp = unary(g, "Shape", "shp", x);
    int64_t d1[1] = { 2 };
    TF_Tensor *ns = TF_AllocateTensor(TF_INT32, d1, 1, 8);
    ((int32_t *)TF_TensorData(ns))[0] = 3;
    ((int32_t *)TF_TensorData(ns))[1] = -1;
    TF_Operation *newshape = const_tensor(g, "newshape", ns);
    TF_Operation *r = binop(g, "Reshape", "r", x, newshape);
    TF_Session *sess = new_session(g, 1, 1);
    int64_t dx[2] = { 2, 3 };
    TF_Tensor *vx = float_tensor(dx, 2, (float[]){ 0, 1, 2, 3, 4, 5 });
    TF_Output feed = { x, 0 }, fetch[2] = { { shp, 0 }, { r, 0 } };
    TF_Tensor *out[2] = { 0 };
    TF_SessionRun(sess, NULL, &feed, &vx, 1, fetch, out, 2, NULL, 0, NULL, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    assert_int_equal(TF_TensorType(out[0]), TF_INT32);
    assert_int_equal(((int32_t *)TF_TensorData(out[0]))[0], 2);
    assert_int_equal(((int32_t *)TF_TensorData(out[0]))[1], 3);
    assert_int_equal(TF_Dim(out[1], 0), 3);
    assert_int_equal(TF_Dim(out[1], 1), 2);
    assert_float_equal(((float *)TF_TensorData(out[1]))[5], 5.0f, 0);
    for (int i = 0; i < 2; i++) TF_DeleteTensor(out[i]);
    TF_DeleteTensor(vx);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

static void test_config_threads(void **state)
{
    (void)state;
    TF_Status *s = TF_NewStatus();
    TF_SessionOptions *o = TF_NewSessionOptions();
    const uint8_t cfg[] = { 0x10, 0x03, 0x28, 0x02, 0x38, 0x01 }; /* intra 3, inter 2, soft placement */
    TF_SetConfig(o, cfg, sizeof cfg, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    assert_int_equal(TFC_SessionOptionsGetIntraOpThreads(o), 3);
    assert_int_equal(TFC_SessionOptionsGetInterOpThreads(o), 2);
    const uint8_t junk[] = { 0xff, 0xff, 0xff };
    TF_SetConfig(o, junk, sizeof junk, s);
    assert_int_equal(TF_GetCode(s), TF_INVALID_ARGUMENT);
    assert_int_equal(TFC_SessionOptionsGetIntraOpThreads(o), 3);
    TF_Graph *g = TF_NewGraph();
    TF_Operation *a = const_tensor(g, "a", scalar(1));
    TF_Session *sess = TF_NewSession(g, o, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_DeviceList *dl = TF_SessionListDevices(sess, s);
    assert_true(TF_DeviceListCount(dl) >= 1);
    assert_string_equal(TF_DeviceListType(dl, 0, s), "CPU");
    assert_string_equal(TF_DeviceListName(dl, 0, s), "/job:localhost/replica:0/task:0/device:CPU:0");
    for (int i = 1; i < TF_DeviceListCount(dl); i++) /* one CPU; the rest are this machine's GPUs */
        assert_string_equal(TF_DeviceListType(dl, i, s), "GPU");
    TF_DeleteDeviceList(dl);
    assert_float_equal(fetch_scalar(sess, NULL, NULL, 0, (TF_Output){ a, 0 }, s), 1.0f, 0);
    delete_session(sess);
    TF_DeleteGraph(g);
    TF_DeleteSessionOptions(o);
    TF_DeleteStatus(s);
}

/* Fails allocation n of a session's creation and first steps, for n = 1, 2, ... until a run
 * succeeds: every failure must be a clean error with NULL outputs (ASan checks for leaks). */
static void test_out_of_memory_during_runs(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    int64_t d[2] = { 2, 2 };
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, d, 2);
    TF_Operation *c = const_tensor(g, "c", float_tensor(d, 2, (float[]){ 1, 2, 3, 4 }));
    TF_Operation *mm = binop(g, "MatMul", "mm", x, c);
    TF_Operation *y = binop(g, "AddV2", "y", mm, c);
    TF_Tensor *vx = float_tensor(d, 2, (float[]){ 1, 0, 0, 1 });
    TF_Output feed = { x, 0 }, fetch[2] = { { y, 0 }, { mm, 0 } };
    int succeeded = 0, failures = 0;
    for (int64_t n = 1; n < 10000 && !succeeded; n++) {
        tfc_alloc_fail_at(n);
        TF_SessionOptions *o = TF_NewSessionOptions();
        TF_Session *sess = o ? TF_NewSession(g, o, s) : NULL;
        TF_Tensor *out[2] = { (TF_Tensor *)0x1, (TF_Tensor *)0x1 };
        if (sess) {
            TF_SessionRun(sess, NULL, &feed, &vx, 1, fetch, out, 2, NULL, 0, NULL, s);
            if (TF_GetCode(s) == TF_OK) {
                tfc_alloc_fail_at(0);
                succeeded = 1;
                assert_float_equal(((float *)TF_TensorData(out[0]))[3], 8.0f, 0);
                TF_DeleteTensor(out[0]);
                TF_DeleteTensor(out[1]);
            } else {
                failures++;
                assert_null(out[0]);
                assert_null(out[1]);
            }
        }
        tfc_alloc_fail_at(0);
        TF_DeleteSession(sess, s);
        TF_DeleteSessionOptions(o);
    }
    assert_true(succeeded);
    assert_true(failures > 5);
    TF_DeleteTensor(vx);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

/* A stateful op keeps one kernel state per session: a random op's stream continues when the
 * same node runs under another fetch set, as in TensorFlow. */
static void test_stateful_state_shared_across_plans(void **state)
{
    (void)state;
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    int64_t d1[1] = { 1 };
    TF_Tensor *shape = TF_AllocateTensor(TF_INT32, d1, 1, 4);
    *(int32_t *)TF_TensorData(shape) = 4;
    TF_Operation *shp = const_tensor(g, "shape", shape);
    TF_OperationDescription *d = TF_NewOperation(g, "RandomUniform", "r");
    TF_AddInput(d, (TF_Output){ shp, 0 });
    TF_SetAttrType(d, "dtype", TF_FLOAT);
    TF_SetAttrInt(d, "seed", 7);
    TF_SetAttrInt(d, "seed2", 11);
    TF_Operation *r = TF_FinishOperation(d, s);
    assert_int_equal(TF_GetCode(s), TF_OK);
    TF_Operation *other = const_tensor(g, "other", scalar(1));
    float first[2][4];
    for (int variant = 0; variant < 2; variant++) {
        TF_Session *sess = new_session(g, 1, 1);
        TF_Output fetch_a[1] = { { r, 0 } }, fetch_b[2] = { { r, 0 }, { other, 0 } };
        TF_Tensor *out[2] = { 0 };
        TF_SessionRun(sess, NULL, NULL, NULL, 0, fetch_a, out, 1, NULL, 0, NULL, s);
        assert_int_equal(TF_GetCode(s), TF_OK);
        TF_DeleteTensor(out[0]);
        /* second step: the same fetch set, or another plan with the same node */
        if (variant == 0) TF_SessionRun(sess, NULL, NULL, NULL, 0, fetch_a, out, 1, NULL, 0, NULL, s);
        else TF_SessionRun(sess, NULL, NULL, NULL, 0, fetch_b, out, 2, NULL, 0, NULL, s);
        assert_int_equal(TF_GetCode(s), TF_OK);
        memcpy(first[variant], TF_TensorData(out[0]), sizeof first[variant]);
        TF_DeleteTensor(out[0]);
        if (variant == 1) TF_DeleteTensor(out[1]);
        delete_session(sess);
    }
    assert_memory_equal(first[0], first[1], sizeof first[0]);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feed_fetch_and_growth),
        cmocka_unit_test(test_pruning_by_trace),
        cmocka_unit_test(test_feeding_an_edge_cuts_the_graph),
        cmocka_unit_test(test_unfed_placeholder_is_named),
        cmocka_unit_test(test_feed_must_match_placeholder),
        cmocka_unit_test(test_targets_run_for_effect),
        cmocka_unit_test(test_plan_is_reused),
        cmocka_unit_test(test_runtime_error_names_the_op),
        cmocka_unit_test(test_matmul_values),
        cmocka_unit_test(test_fetch_twice_const_and_reuse),
        cmocka_unit_test(test_wide_graph_parallel),
        cmocka_unit_test(test_concurrent_runs),
        cmocka_unit_test(test_shape_and_reshape),
        cmocka_unit_test(test_config_threads),
        cmocka_unit_test(test_out_of_memory_during_runs),
        cmocka_unit_test(test_stateful_state_shared_across_plans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
