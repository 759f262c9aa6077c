/* test_control_flow_import: GraphDefs with TensorFlow 1 control flow (tools/gen_control_flow_fixtures.py:
 * tf.cond, tf.while_loop with a fed trip count, nested loops, an RNN recurrence over a fed sequence)
 * imported, run for every stored input and matched with TF's outputs (1e-5), then exported and
 * imported again; loops built by TF_NewWhile survive the same round trip; and malformed loops (no
 * Enter, a cycle outside NextIteration -> Merge, a bad back edge) fail with nothing added. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "graph_util.h"
#include "tfc/c_api.h"
#include "graph.pb-c.h"

#ifndef TFC_TEST_DATA_DIR
#define TFC_TEST_DATA_DIR "tests/data"
#endif

static TF_Buffer *read_data(const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/control_flow/%s", TFC_TEST_DATA_DIR, file);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    size_t got = fread(p, 1, (size_t)n, f);
    fclose(f);
    TF_Buffer *b = TF_NewBufferFromString(p, got);
    free(p);
    return b;
}

/* ---- the fixtures' runs: "run", then "feed|fetch <name:i> <dtype> <rank> <dims> : <values>" ---- */

enum { MAX_T = 4, MAX_RUNS = 8 };
typedef struct tensors {
    int n;
    char name[MAX_T][64];
    TF_Tensor *t[MAX_T];
} tensors;
typedef struct runs {
    int n;
    tensors feed[MAX_RUNS], fetch[MAX_RUNS];
} runs;

static TF_Tensor *parse_tensor(char *p)
{
    char *save = NULL, *tok = strtok_r(p, " \n", &save);
    TF_DataType dt = !strcmp(tok, "float") ? TF_FLOAT : !strcmp(tok, "bool") ? TF_BOOL : TF_INT32;
    int rank = atoi(strtok_r(NULL, " \n", &save));
    int64_t dims[8], n = 1;
    assert_true(rank >= 0 && rank <= 8);
    for (int i = 0; i < rank; i++) dims[i] = atoll(strtok_r(NULL, " \n", &save)), n *= dims[i];
    strtok_r(NULL, " \n", &save); /* ":" */
    TF_Tensor *t = TF_AllocateTensor(dt, dims, rank, (size_t)n * TF_DataTypeSize(dt));
    for (int64_t i = 0; i < n; i++) {
        char *v = strtok_r(NULL, " \n", &save);
        assert_non_null(v);
        if (dt == TF_FLOAT) ((float *)TF_TensorData(t))[i] = strtof(v, NULL);
        else if (dt == TF_BOOL) ((unsigned char *)TF_TensorData(t))[i] = (unsigned char)atoi(v);
        else ((int32_t *)TF_TensorData(t))[i] = atoi(v);
    }
    return t;
}

static void load_runs(const char *model, runs *r)
{
    char file[128], path[1024], line[1 << 14];
    snprintf(file, sizeof file, "%s.txt", model);
    snprintf(path, sizeof path, "%s/control_flow/%s", TFC_TEST_DATA_DIR, file);
    FILE *fp = fopen(path, "r");
    if (!fp) fail_msg("cannot open %s", path);
    memset(r, 0, sizeof *r);
    while (fgets(line, sizeof line, fp)) {
        char kind[16], name[64];
        int off = 0;
        if (line[0] == '#') continue;
        if (!strncmp(line, "run", 3)) {
            assert_true(r->n < MAX_RUNS);
            r->n++;
            continue;
        }
        if (sscanf(line, "%15s %63s %n", kind, name, &off) < 2) continue;
        assert_true(r->n > 0);
        tensors *ts = !strcmp(kind, "feed") ? &r->feed[r->n - 1] : &r->fetch[r->n - 1];
        assert_true(ts->n < MAX_T);
        snprintf(ts->name[ts->n], sizeof ts->name[0], "%s", name);
        ts->t[ts->n++] = parse_tensor(line + off);
    }
    fclose(fp);
    assert_true(r->n > 0);
}

static void free_runs(runs *r)
{
    for (int k = 0; k < r->n; k++)
        for (int i = 0; i < MAX_T; i++) TF_DeleteTensor(r->feed[k].t[i]), TF_DeleteTensor(r->fetch[k].t[i]);
}

static TF_Output named(TF_Graph *g, const char *prefix, const char *name)
{
    char buf[256];
    const char *colon = strrchr(name, ':');
    snprintf(buf, sizeof buf, "%s%s%.*s", prefix ? prefix : "", prefix ? "/" : "", (int)(colon - name), name);
    TF_Operation *op = TF_GraphOperationByName(g, buf);
    if (!op) fail_msg("no op '%s'", buf);
    return (TF_Output){ op, atoi(colon + 1) };
}

static void expect_close(const TF_Tensor *want, const TF_Tensor *got, const char *what, int run)
{
    assert_int_equal(TF_TensorType(want), TF_TensorType(got));
    assert_int_equal(TF_NumDims(want), TF_NumDims(got));
    for (int d = 0; d < TF_NumDims(want); d++) assert_int_equal(TF_Dim(want, d), TF_Dim(got, d));
    int64_t n = TF_TensorElementCount(want);
    for (int64_t i = 0; i < n; i++) {
        double a, b;
        if (TF_TensorType(want) == TF_FLOAT)
            a = ((const float *)TF_TensorData(want))[i], b = ((const float *)TF_TensorData(got))[i];
        else if (TF_TensorType(want) == TF_BOOL)
            a = ((const unsigned char *)TF_TensorData(want))[i], b = ((const unsigned char *)TF_TensorData(got))[i];
        else
            a = ((const int32_t *)TF_TensorData(want))[i], b = ((const int32_t *)TF_TensorData(got))[i];
        if (fabs(a - b) > 1e-5 + 1e-5 * fabs(a))
            fail_msg("run %d, %s[%lld]: TensorFlow %.9g, tfc %.9g", run, what, (long long)i, a, b);
    }
}

/* Every stored run through g (ops under prefix), on one session, against TF's values. */
static void check_runs(TF_Graph *g, const char *prefix, const runs *r)
{
    TF_Status *s = TF_NewStatus();
    TF_SessionOptions *so = TF_NewSessionOptions();
    TF_Session *sess = TF_NewSession(g, so, s);
    assert_ok(s);
    for (int k = 0; k < r->n; k++) {
        const tensors *fd = &r->feed[k], *ft = &r->fetch[k];
        TF_Output in[MAX_T], out[MAX_T];
        TF_Tensor *res[MAX_T] = { 0 };
        for (int i = 0; i < fd->n; i++) in[i] = named(g, prefix, fd->name[i]);
        for (int i = 0; i < ft->n; i++) out[i] = named(g, prefix, ft->name[i]);
        TF_SessionRun(sess, NULL, in, (TF_Tensor *const *)fd->t, fd->n, out, res, ft->n, NULL, 0, NULL, s);
        if (TF_GetCode(s) != TF_OK) fail_msg("run %d: %s", k, TF_Message(s));
        for (int i = 0; i < ft->n; i++) {
            expect_close(ft->t[i], res[i], ft->name[i], k);
            TF_DeleteTensor(res[i]);
        }
    }
    TF_DeleteSession(sess, s);
    TF_DeleteSessionOptions(so);
    TF_DeleteStatus(s);
}

static TF_Code import(TF_Graph *g, const TF_Buffer *b, const char *prefix, TF_Status *s)
{
    TF_ImportGraphDefOptions *o = TF_NewImportGraphDefOptions();
    if (prefix) TF_ImportGraphDefOptionsSetPrefix(o, prefix);
    TF_GraphImportGraphDef(g, b, o, s);
    TF_DeleteImportGraphDefOptions(o);
    return TF_GetCode(s);
}

static TF_Buffer *export_graph(TF_Graph *g)
{
    TF_Status *s = TF_NewStatus();
    TF_Buffer *b = TF_NewBuffer();
    TF_GraphToGraphDef(g, b, s);
    assert_ok(s);
    TF_DeleteStatus(s);
    return b;
}

/* Imports <model>.pb, checks every run; exports it, imports that under a prefix, checks again. */
static void check_model(const char *model)
{
    char file[128];
    snprintf(file, sizeof file, "%s.pb", model);
    TF_Buffer *b = read_data(file);
    runs r;
    load_runs(model, &r);
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    import(g, b, NULL, s);
    assert_ok(s);
    check_runs(g, NULL, &r);
    TF_Buffer *e = export_graph(g);
    TF_Graph *g2 = TF_NewGraph();
    import(g2, e, "again", s);
    assert_ok(s);
    assert_int_equal(count_ops(g2), count_ops(g));
    check_runs(g2, "again", &r);
    TF_DeleteGraph(g2);
    TF_DeleteBuffer(e);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
    free_runs(&r);
    TF_DeleteBuffer(b);
}

static void test_tf_cond(void **state)
{
    (void)state;
    check_model("cond");
}

static void test_tf_while(void **state)
{
    (void)state;
    check_model("while");
}

static void test_tf_nested_while(void **state)
{
    (void)state;
    check_model("nested");
}

static void test_tf_rnn(void **state)
{
    (void)state;
    check_model("rnn");
}

/* ---- loops built by TF_NewWhile, exported and imported ---- */

static TF_Operation *const_i32(TF_Graph *g, const char *name, int32_t v) { return const_int32(g, name, &v, NULL, 0); }

/* i = 0; t = 0; while (i < n) { j = 0; while (j < i) { t += j; j++ }; i++ }: t = n(n-1)(n-2)/6. */
static TF_Output built_nested(TF_Graph *g, TF_Operation *n, TF_Status *s)
{
    TF_Output in[] = { out0(const_i32(g, "i0", 0)), out0(const_i32(g, "t0", 0)), out0(n) };
    TF_WhileParams p = TF_NewWhile(g, in, 3, s);
    assert_ok(s);
    p.cond_output = out0(binop(p.cond_graph, "Less", "less", p.cond_inputs[0], p.cond_inputs[2]));
    TF_Graph *b = p.body_graph;
    TF_Output iin[] = { out0(const_i32(b, "j0", 0)), p.body_inputs[1], p.body_inputs[0] };
    TF_WhileParams q = TF_NewWhile(b, iin, 3, s);
    assert_ok(s);
    q.cond_output = out0(binop(q.cond_graph, "Less", "less", q.cond_inputs[0], q.cond_inputs[2]));
    q.body_outputs[0] = out0(binop(q.body_graph, "AddV2", "inc", q.body_inputs[0], out0(const_i32(q.body_graph, "one", 1))));
    q.body_outputs[1] = out0(binop(q.body_graph, "AddV2", "acc", q.body_inputs[1], q.body_inputs[0]));
    q.body_outputs[2] = q.body_inputs[2];
    q.name = "inner";
    TF_Output iout[3];
    TF_FinishWhile(&q, s, iout);
    assert_ok(s);
    p.body_outputs[0] = out0(binop(b, "AddV2", "inc", p.body_inputs[0], out0(const_i32(b, "one", 1))));
    p.body_outputs[1] = iout[1];
    p.body_outputs[2] = p.body_inputs[2];
    p.name = "outer";
    TF_Output outs[3];
    TF_FinishWhile(&p, s, outs);
    assert_ok(s);
    return outs[1];
}

static int32_t run_n(TF_Graph *g, TF_Output n, int32_t v, TF_Output out)
{
    TF_Status *s = TF_NewStatus();
    TF_SessionOptions *so = TF_NewSessionOptions();
    TF_Session *sess = TF_NewSession(g, so, s);
    assert_ok(s);
    TF_Tensor *t = int_tensor(NULL, 0, &v), *got = NULL;
    TF_SessionRun(sess, NULL, &n, &t, 1, &out, &got, 1, NULL, 0, NULL, s);
    assert_ok(s);
    int32_t r = *(int32_t *)TF_TensorData(got);
    TF_DeleteTensor(got);
    TF_DeleteTensor(t);
    TF_DeleteSession(sess, s);
    TF_DeleteSessionOptions(so);
    TF_DeleteStatus(s);
    return r;
}

static void test_new_while_round_trip(void **state)
{
    (void)state;
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Operation *n = scalar_placeholder(g, "n", TF_INT32);
    TF_Output total = built_nested(g, n, s);
    TF_Buffer *e = export_graph(g);
    TF_Graph *g2 = TF_NewGraph();
    import(g2, e, "imp", s);
    assert_ok(s);
    char name[256];
    snprintf(name, sizeof name, "imp/%s", TF_OperationName(total.oper));
    TF_Output total2 = { TF_GraphOperationByName(g2, name), total.index };
    TF_Output n2 = { TF_GraphOperationByName(g2, "imp/n"), 0 };
    assert_non_null(total2.oper);
    assert_non_null(n2.oper);
    for (int32_t v = 0; v <= 8; v++) {
        assert_int_equal(run_n(g, out0(n), v, total), v * (v - 1) * (v - 2) / 6);
        assert_int_equal(run_n(g2, n2, v, total2), v * (v - 1) * (v - 2) / 6);
    }
    TF_Buffer *e2 = export_graph(g2); /* and the imported graph exports the same loop again */
    TF_Graph *g3 = TF_NewGraph();
    import(g3, e2, NULL, s);
    assert_ok(s);
    assert_int_equal(count_ops(g3), count_ops(g));
    TF_DeleteGraph(g3);
    TF_DeleteBuffer(e2);
    TF_DeleteGraph(g2);
    TF_DeleteBuffer(e);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
}

/* ---- malformed loops (while.pb mutated): rejected, nothing added ---- */

static Tensorflow__NodeDef *node(Tensorflow__GraphDef *gd, const char *name)
{
    for (size_t i = 0; i < gd->n_node; i++)
        if (!strcmp(gd->node[i]->name, name)) return gd->node[i];
    fail_msg("no node '%s' in while.pb", name);
    return NULL;
}

typedef struct edit {
    const char *node;
    int k;
    const char *input;
} edit;

/* while.pb with the edits applied (node's input k becomes input), packed (caller frees). */
static void *mutated(const edit *e, int n, size_t *len)
{
    TF_Buffer *b = read_data("while.pb");
    Tensorflow__GraphDef *gd = tensorflow__graph_def__unpack(NULL, b->length, b->data);
    assert_non_null(gd);
    for (int i = 0; i < n; i++) {
        Tensorflow__NodeDef *nd = node(gd, e[i].node);
        assert_true((size_t)e[i].k < nd->n_input);
        free(nd->input[e[i].k]);
        nd->input[e[i].k] = strdup(e[i].input);
    }
    *len = tensorflow__graph_def__get_packed_size(gd);
    void *p = malloc(*len);
    tensorflow__graph_def__pack(gd, p);
    tensorflow__graph_def__free_unpacked(gd, NULL);
    TF_DeleteBuffer(b);
    return p;
}

static void expect_rejected(const char *name, int k, const char *input, const char *needle)
{
    size_t len;
    void *p = mutated(&(edit){ name, k, input }, 1, &len);
    TF_Graph *g = TF_NewGraph();
    scalar_placeholder(g, "keep", TF_FLOAT);
    TF_Status *s = TF_NewStatus();
    TF_Buffer b = { p, len, NULL };
    import(g, &b, NULL, s);
    if (TF_GetCode(s) != TF_INVALID_ARGUMENT || !strstr(TF_Message(s), needle))
        fail_msg("%s input %d = '%s': expected INVALID_ARGUMENT with '%s', got %d: %s", name, k, input, needle,
                 (int)TF_GetCode(s), TF_Message(s));
    assert_int_equal(count_ops(g), 1);
    assert_null(TF_GraphOperationByName(g, "n")); /* rolled back: the names are free */
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
    free(p);
}

static void test_malformed_loops_rejected(void **state)
{
    (void)state;
    /* a Merge fed only by NextIterations (its Enter replaced) can never run */
    expect_rejected("fib/Merge", 0, "fib/NextIteration", "every data input comes from a NextIteration");
    /* cycles that do not close through NextIteration -> Merge stay cycles */
    expect_rejected("fib/Merge", 1, "fib/Identity", "cycle");
    expect_rejected("fib/add", 0, "fib/NextIteration", "cycle");
    /* back edges checked like other inputs: output index, dtype (float NextIteration into int32 Merge) */
    expect_rejected("fib/Merge", 1, "fib/NextIteration:1", "output 1");
    expect_rejected("fib/Merge", 1, "decay/NextIteration_1", "dtype");
}

/* A failure after the back edges are relinked (a missing return output) still removes every op. */
static void test_rollback_after_relink(void **state)
{
    (void)state;
    TF_Buffer *b = read_data("while.pb");
    TF_Graph *g = TF_NewGraph();
    scalar_placeholder(g, "keep", TF_FLOAT);
    TF_Status *s = TF_NewStatus();
    TF_ImportGraphDefOptions *o = TF_NewImportGraphDefOptions();
    TF_ImportGraphDefOptionsAddReturnOutput(o, "no_such_node", 0);
    TF_GraphImportGraphDef(g, b, o, s);
    assert_code(s, TF_INVALID_ARGUMENT);
    assert_int_equal(count_ops(g), 1);
    import(g, b, NULL, s); /* the names are free again, and the loop runs */
    assert_ok(s);
    assert_int_equal(run_n(g, (TF_Output){ TF_GraphOperationByName(g, "n"), 0 }, 7,
                           (TF_Output){ TF_GraphOperationByName(g, "fib_n"), 0 }), 13);
    TF_DeleteImportGraphDefOptions(o);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
    TF_DeleteBuffer(b);
}

/* Imports the edited while.pb (which must import), runs n = 3 fetching `fetch`: INVALID_ARGUMENT
 * naming `needle`, not a hang. */
static void expect_run_rejected(const edit *e, int n_edits, const char *fetch, const char *needle)
{
    size_t len;
    void *p = mutated(e, n_edits, &len);
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Buffer b = { p, len, NULL };
    import(g, &b, NULL, s);
    assert_ok(s);
    TF_SessionOptions *so = TF_NewSessionOptions();
    TF_Session *sess = TF_NewSession(g, so, s);
    assert_ok(s);
    int32_t v = 3;
    TF_Output in = { TF_GraphOperationByName(g, "n"), 0 }, out = { TF_GraphOperationByName(g, fetch), 0 };
    TF_Tensor *t = int_tensor(NULL, 0, &v), *got = NULL;
    TF_SessionRun(sess, NULL, &in, &t, 1, &out, &got, 1, NULL, 0, NULL, s);
    assert_code(s, TF_INVALID_ARGUMENT);
    assert_msg_has(s, needle);
    assert_null(got);
    TF_DeleteTensor(t);
    TF_DeleteSession(sess, s);
    TF_DeleteSessionOptions(so);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
    free(p);
}

/* Loops whose Merges skip their Enter import (the back edges are well formed) but are rejected
 * when planned: the loop's ops would sit in two frames, or with no Enter at all its NextIteration
 * would run in the step's own frame (and start "iterations" of the step forever). */
static void test_loop_without_enter_fails_at_run(void **state)
{
    (void)state;
    const edit one[] = { { "fib/Merge", 0, "fib/Const" } };
    expect_run_rejected(one, 1, "fib_n", "two different frames");
    const edit none[] = { { "fib/Merge", 0, "fib/Const" }, { "fib/Less", 1, "n" } };
    expect_run_rejected(none, 2, "fib/Merge", "NextIteration 'fib/NextIteration' is not inside a loop frame");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tf_cond),
        cmocka_unit_test(test_tf_while),
        cmocka_unit_test(test_tf_nested_while),
        cmocka_unit_test(test_tf_rnn),
        cmocka_unit_test(test_new_while_round_trip),
        cmocka_unit_test(test_malformed_loops_rejected),
        cmocka_unit_test(test_rollback_after_relink),
        cmocka_unit_test(test_loop_without_enter_fails_at_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
