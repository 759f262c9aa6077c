/* test_control_flow: TF_NewWhile / TF_FinishWhile loops (a count fed at run time, nested loops),
 * TFC_NewCond conditionals (the untaken branch would fail if it ran), Merge's value_index, and
 * errors that leave the graph unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tfc/c_api.h"
#include "graph_util.h"

static TF_Operation *const_i32(TF_Graph *g, const char *name, int32_t v) { return const_int32(g, name, &v, NULL, 0); }

static int32_t run_i32(TF_Graph *g, TF_Output *in, TF_Tensor **vals, int nin, TF_Output out, TF_Status *s)
{
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *sess = TF_NewSession(g, o, s);
    assert_ok(s);
    TF_Tensor *got = NULL;
    TF_SessionRun(sess, NULL, in, vals, nin, &out, &got, 1, NULL, 0, NULL, s);
    int32_t v = got ? *(int32_t *)TF_TensorData(got) : -999;
    TF_DeleteTensor(got);
    TF_Status *s2 = TF_NewStatus();
    TF_DeleteSession(sess, s2);
    TF_DeleteStatus(s2);
    TF_DeleteSessionOptions(o);
    return v;
}

/* sum = 0; i = 0; while (i < n) { sum += i; i += 1 } with n fed at run time. */
static void test_while_fed_count(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *n = scalar_placeholder(g, "n", TF_INT32);
    TF_Output in[] = { out0(const_i32(g, "i0", 0)), out0(const_i32(g, "s0", 0)), out0(n) };
    TF_WhileParams p = TF_NewWhile(g, in, 3, s);
    assert_ok(s);
    p.cond_output = out0(binop(p.cond_graph, "Less", "less", p.cond_inputs[0], p.cond_inputs[2]));
    p.body_outputs[0] = out0(binop(p.body_graph, "AddV2", "inc", p.body_inputs[0], out0(const_i32(p.body_graph, "one", 1))));
    p.body_outputs[1] = out0(binop(p.body_graph, "AddV2", "acc", p.body_inputs[1], p.body_inputs[0]));
    p.body_outputs[2] = p.body_inputs[2];
    p.name = "loop";
    TF_Output outs[3];
    TF_FinishWhile(&p, s, outs);
    assert_ok(s);
    for (int32_t k = 0; k <= 12; k += 4) {
        TF_Output feed = out0(n);
        TF_Tensor *v = int_tensor(NULL, 0, &k);
        assert_int_equal(run_i32(g, &feed, &v, 1, outs[1], s), k * (k - 1) / 2);
        assert_ok(s);
        TF_DeleteTensor(v);
    }
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

/* Runs out (int32 scalar) with n fed, on a session with `threads` inter-op threads (1: no pool,
 * the caller runs every op; more: the pool's workers do). */
static int32_t run_fed_n(TF_Graph *g, TF_Operation *n, int32_t k, TF_Output out, int threads, TF_Status *s)
{
    TF_SessionOptions *o = TF_NewSessionOptions();
    TFC_SessionOptionsSetInterOpThreads(o, threads);
    TF_Session *sess = TF_NewSession(g, o, s);
    assert_ok(s);
    TF_Output feed = out0(n);
    TF_Tensor *v = int_tensor(NULL, 0, &k), *got = NULL;
    TF_SessionRun(sess, NULL, &feed, &v, 1, &out, &got, 1, NULL, 0, NULL, s);
    int32_t r = got ? *(int32_t *)TF_TensorData(got) : -999;
    TF_DeleteTensor(got);
    TF_DeleteTensor(v);
    TF_Status *s2 = TF_NewStatus();
    TF_DeleteSession(sess, s2);
    TF_DeleteStatus(s2);
    TF_DeleteSessionOptions(o);
    return r;
}

/* Inside body graph b: j = 0; while (j < count) { acc += j * scale; j += 1 }; returns acc's Exit. */
static TF_Output inner_sum(TF_Graph *b, TF_Output acc, TF_Output count, TF_Output scale, TF_Status *s)
{
    TF_Output iin[] = { out0(const_i32(b, "j0", 0)), acc, count, scale };
    TF_WhileParams q = TF_NewWhile(b, iin, 4, s);
    assert_ok(s);
    TF_Graph *qb = q.body_graph;
    q.cond_output = out0(binop(q.cond_graph, "Less", "less", q.cond_inputs[0], q.cond_inputs[2]));
    q.body_outputs[0] = out0(binop(qb, "AddV2", "inc", q.body_inputs[0], out0(const_i32(qb, "one", 1))));
    TF_Output term = out0(binop(qb, "Mul", "term", q.body_inputs[0], q.body_inputs[3]));
    q.body_outputs[1] = out0(binop(qb, "AddV2", "acc", q.body_inputs[1], term));
    q.body_outputs[2] = q.body_inputs[2];
    q.body_outputs[3] = q.body_inputs[3];
    q.name = "inner";
    TF_Output iout[4];
    TF_FinishWhile(&q, s, iout);
    assert_ok(s);
    return iout[1];
}

/* i = 0; t = 0; while (i < n) { t += inner_sum(count = count_of(i), scale = i or 1); i += 1 }.
 * wide: the inner count is 2i+1 and each term is i*j; else the count is i and each term is j. */
static TF_Output nested_loops(TF_Graph *g, TF_Operation *n, bool wide, TF_Status *s)
{
    TF_Output in[] = { out0(const_i32(g, "i0", 0)), out0(const_i32(g, "t0", 0)), out0(n) };
    TF_WhileParams p = TF_NewWhile(g, in, 3, s);
    assert_ok(s);
    p.cond_output = out0(binop(p.cond_graph, "Less", "less", p.cond_inputs[0], p.cond_inputs[2]));
    TF_Graph *b = p.body_graph;
    TF_Output i = p.body_inputs[0], count = i, scale = out0(const_i32(b, "unit", 1));
    if (wide) {
        TF_Output twice = out0(binop(b, "Mul", "twice", i, out0(const_i32(b, "two", 2))));
        count = out0(binop(b, "AddV2", "count", twice, out0(const_i32(b, "one_more", 1))));
        scale = i;
    }
    p.body_outputs[1] = inner_sum(b, p.body_inputs[1], count, scale, s);
    p.body_outputs[0] = out0(binop(b, "AddV2", "inc", i, out0(const_i32(b, "one", 1))));
    p.body_outputs[2] = p.body_inputs[2];
    p.name = "outer";
    TF_Output outs[3];
    TF_FinishWhile(&p, s, outs);
    assert_ok(s);
    return outs[1];
}

/* Sum over i < n of (sum over j < i of j) = n(n-1)(n-2)/6, n fed at run time. The last pass of the
 * outer loop (i == n) enters the inner loop dead; that inner frame must still end (it hung). */
static void test_nested_while(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *n = scalar_placeholder(g, "n", TF_INT32);
    TF_Output total = nested_loops(g, n, false, s);
    static const int32_t ns[] = { 0, 1, 2, 3, 4, 7 };
    for (int threads = 1; threads <= 4; threads += 3)
        for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
            int32_t v = ns[k];
            assert_int_equal(run_fed_n(g, n, v, total, threads, s), v * (v - 1) * (v - 2) / 6);
            assert_ok(s);
        }
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

/* The inner trip count is computed from the outer loop variable (2i+1) and the inner body uses it
 * (terms i*j): sum over i < n, j < 2i+1 of i*j = sum over i < n of i^2 (2i+1). Without a pool the
 * inner counter runs ahead of the late Enter of i past parallel_iterations (10), so iterations are
 * deferred and started later by retiring ones (whose ready ops were once dropped: a hang at n = 6). */
static void test_nested_while_inner_count_from_outer(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *n = scalar_placeholder(g, "n", TF_INT32);
    TF_Output total = nested_loops(g, n, true, s);
    for (int threads = 1; threads <= 4; threads += 3)
        for (int32_t v = 0; v <= 6; v++) {
            int32_t want = 0;
            for (int32_t i = 0; i < v; i++) want += i * i * (2 * i + 1);
            assert_int_equal(run_fed_n(g, n, v, total, threads, s), want);
            assert_ok(s);
        }
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

static void test_while_errors_leave_graph_unchanged(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Output in = out0(const_i32(g, "i0", 0));
    TF_WhileParams bad = TF_NewWhile(g, &in, 0, s);
    assert_code(s, TF_INVALID_ARGUMENT);
    (void)bad;
    int before = count_ops(g);
    TF_WhileParams p = TF_NewWhile(g, &in, 1, s);
    assert_ok(s);
    p.cond_output = out0(binop(p.cond_graph, "Less", "less", p.cond_inputs[0], out0(const_i32(p.cond_graph, "k", 3))));
    p.name = "loop";
    TF_Output out;
    TF_FinishWhile(&p, s, &out); /* body_outputs[0] unset */
    assert_code(s, TF_INVALID_ARGUMENT);
    assert_msg_has(s, "body_outputs[0]");
    assert_int_equal(count_ops(g), before);
    TF_WhileParams a = TF_NewWhile(g, &in, 1, s);
    assert_ok(s);
    TF_AbortWhile(&a);
    assert_int_equal(count_ops(g), before);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

/* cond(p, x + 1, Reshape(x, [7])): the false branch fails for x of 2 elements, but only if it runs. */
static void test_cond_untaken_branch_does_not_run(void **state)
{
    (void)state;
    static const int64_t d2[] = { 2 };
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *pred = scalar_placeholder(g, "pred", TF_BOOL);
    TF_Operation *x = placeholder(g, "x", TF_FLOAT, NULL, -1); /* static shape unknown: Reshape is checked at run time */
    TF_Output xin = out0(x);
    TFC_CondParams c = TFC_NewCond(g, out0(pred), &xin, 1, 1, s);
    assert_ok(s);
    TF_Operation *one = const_float(c.true_graph, "one", NULL, 0, (float[]){ 1 });
    c.true_outputs[0] = out0(binop(c.true_graph, "AddV2", "add", c.true_inputs[0], out0(one)));
    TF_Operation *shape = const_i32(c.false_graph, "seven", 7);
    TF_Operation *r = binop(c.false_graph, "Reshape", "bad_reshape", c.false_inputs[0], out0(shape));
    TF_Output neg = out0(r);
    c.false_outputs[0] = neg;
    c.name = "cond";
    TF_Output out;
    TFC_FinishCond(&c, s, &out);
    assert_ok(s);
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *sess = TF_NewSession(g, o, s);
    assert_ok(s);
    TF_Output feeds[] = { out0(pred), xin };
    unsigned char yes = 1, no = 0;
    TF_Tensor *pt = TF_AllocateTensor(TF_BOOL, NULL, 0, 1);
    TF_Tensor *xv = float_tensor(d2, 1, (float[]){ 3, 5 });
    memcpy(TF_TensorData(pt), &yes, 1);
    TF_Tensor *vals[] = { pt, xv }, *got = NULL;
    TF_SessionRun(sess, NULL, feeds, vals, 2, &out, &got, 1, NULL, 0, NULL, s);
    assert_ok(s);
    const float *v = TF_TensorData(got);
    assert_float_equal(v[0], 4, 0);
    assert_float_equal(v[1], 6, 0);
    TF_DeleteTensor(got);
    got = NULL;
    memcpy(TF_TensorData(pt), &no, 1); /* now the failing branch runs */
    TF_SessionRun(sess, NULL, feeds, vals, 2, &out, &got, 1, NULL, 0, NULL, s);
    assert_int_not_equal(TF_GetCode(s), TF_OK);
    assert_msg_has(s, "bad_reshape");
    TF_DeleteTensor(pt);
    TF_DeleteTensor(xv);
    TF_DeleteSession(sess, s);
    TF_DeleteSessionOptions(o);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

/* A hand-built Switch/Merge: value_index says which branch was live. */
static void test_merge_value_index(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Operation *pred = scalar_placeholder(g, "pred", TF_BOOL);
    TF_Operation *x = const_i32(g, "x", 5);
    TF_Operation *sw = binop(g, "Switch", "sw", out0(x), out0(pred));
    TF_Operation *neg = NULL;
    TF_OperationDescription *d = TF_NewOperation(g, "Neg", "neg");
    TF_AddInput(d, (TF_Output){ sw, 0 });
    neg = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_Output two[] = { out0(neg), { sw, 1 } };
    d = TF_NewOperation(g, "Merge", "merge");
    TF_AddInputList(d, two, 2);
    TF_Operation *m = TF_FinishOperation(d, s);
    assert_ok(s);
    for (int k = 0; k < 2; k++) {
        TF_Tensor *pt = TF_AllocateTensor(TF_BOOL, NULL, 0, 1);
        *(unsigned char *)TF_TensorData(pt) = (unsigned char)k;
        TF_Output feed = out0(pred);
        assert_int_equal(run_i32(g, &feed, &pt, 1, (TF_Output){ m, 1 }, s), k);
        assert_ok(s);
        assert_int_equal(run_i32(g, &feed, &pt, 1, (TF_Output){ m, 0 }, s), k ? 5 : -5);
        assert_ok(s);
        /* the untaken side is dead: fetching it is an error naming it */
        run_i32(g, &feed, &pt, 1, k ? out0(neg) : (TF_Output){ sw, 1 }, s);
        assert_code(s, TF_INVALID_ARGUMENT);
        assert_msg_has(s, "dead");
        TF_DeleteTensor(pt);
    }
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_while_fed_count),
        cmocka_unit_test(test_nested_while),
        cmocka_unit_test(test_nested_while_inner_count_from_outer),
        cmocka_unit_test(test_while_errors_leave_graph_unchanged),
        cmocka_unit_test(test_cond_untaken_branch_does_not_run),
        cmocka_unit_test(test_merge_value_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
