/* test_while_run: while loops (TF_NewWhile) at run time — an RNN-style recurrence over a sequence
 * whose length is known only when it is fed (no unrolling), a loop whose body fails at some
 * iteration (the step ends with the body op's error and the session stays usable), and a loop
 * that never ends, stopped by RunOptions.timeout_in_ms with DEADLINE_EXCEEDED. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tfc/c_api.h"
#include "graph_util.h"

enum { D = 3, H = 4 }; /* input and state widths */

static const float W[H * H] = { 0.5f, -0.2f, 0.1f, 0.0f, 0.3f, 0.4f, -0.5f, 0.2f,
                                -0.1f, 0.2f, 0.3f, 0.6f, 0.0f, -0.3f, 0.2f, 0.1f };
static const float U[D * H] = { 1.0f, -0.5f, 0.25f, 0.1f, -0.7f, 0.3f, 0.9f, -0.2f, 0.4f, 0.6f, -0.3f, 0.8f };

static TF_Output scalar_i32(TF_Graph *g, const char *name, int32_t v) { return out0(const_int32(g, name, &v, NULL, 0)); }

static TF_Output unary(TF_Graph *g, const char *type, const char *name, TF_Output a)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    TF_AddInput(d, a);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_DeleteStatus(s);
    return out0(op);
}

/* GatherV2(params, indices, axis 0). */
static TF_Output gather0(TF_Graph *g, const char *name, TF_Output params, TF_Output indices)
{
    TF_Status *s = TF_NewStatus();
    char axis_name[64];
    snprintf(axis_name, sizeof axis_name, "%s_axis", name);
    TF_OperationDescription *d = TF_NewOperation(g, "GatherV2", name);
    TF_AddInput(d, params);
    TF_AddInput(d, indices);
    TF_AddInput(d, scalar_i32(g, axis_name, 0));
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_DeleteStatus(s);
    return out0(op);
}

/* A graph computing h_T of h_{t+1} = tanh(h_t W + x_t U), h_0 = 0, over x fed as [T, D]. The loop
 * runs while t < T + overrun, so overrun 1 makes the last iteration gather past the end. */
typedef struct rnn {
    TF_Graph *g;
    TF_Operation *x;
    TF_Output h;
} rnn;

static rnn build_rnn(int overrun)
{
    rnn r = { TF_NewGraph(), NULL, { 0 } };
    TF_Graph *g = r.g;
    TF_Status *s = TF_NewStatus();
    r.x = placeholder(g, "x", TF_FLOAT, (const int64_t[]){ -1, D }, 2);
    TF_Output len = gather0(g, "len", unary(g, "Shape", "shape", out0(r.x)), scalar_i32(g, "zero", 0));
    TF_Output limit = out0(binop(g, "AddV2", "limit", len, scalar_i32(g, "overrun", overrun)));
    TF_Output h0 = out0(const_float(g, "h0", (const int64_t[]){ 1, H }, 2, (const float[H]){ 0 }));
    TF_Output in[] = { scalar_i32(g, "t0", 0), h0, out0(r.x), limit };
    TF_WhileParams p = TF_NewWhile(g, in, 4, s);
    assert_ok(s);
    p.cond_output = out0(binop(p.cond_graph, "Less", "more", p.cond_inputs[0], p.cond_inputs[3]));
    TF_Graph *b = p.body_graph;
    const TF_Output *v = p.body_inputs;
    TF_Output idx = out0(binop(b, "Reshape", "t_vec", v[0], out0(const_int32(b, "one_dim", (const int32_t[]){ 1 }, (const int64_t[]){ 1 }, 1))));
    TF_Output xt = gather0(b, "x_t", v[2], idx); /* [1, D] */
    TF_Output wt = out0(const_float(b, "W", (const int64_t[]){ H, H }, 2, W));
    TF_Output ut = out0(const_float(b, "U", (const int64_t[]){ D, H }, 2, U));
    TF_Output pre = out0(binop(b, "AddV2", "pre", out0(binop(b, "MatMul", "hw", v[1], wt)),
                               out0(binop(b, "MatMul", "xu", xt, ut))));
    p.body_outputs[0] = out0(binop(b, "AddV2", "next_t", v[0], scalar_i32(b, "one", 1)));
    p.body_outputs[1] = unary(b, "Tanh", "h", pre);
    p.body_outputs[2] = v[2];
    p.body_outputs[3] = v[3];
    p.name = "rnn";
    TF_Output outs[4];
    TF_FinishWhile(&p, s, outs);
    assert_ok(s);
    r.h = outs[1];
    TF_DeleteStatus(s);
    return r;
}

static void reference_rnn(const float *x, int len, float *h)
{
    memset(h, 0, H * sizeof *h);
    for (int t = 0; t < len; t++) {
        float next[H];
        for (int j = 0; j < H; j++) {
            double a = 0;
            for (int i = 0; i < H; i++) a += (double)h[i] * W[i * H + j];
            for (int i = 0; i < D; i++) a += (double)x[t * D + i] * U[i * H + j];
            next[j] = (float)tanh(a);
        }
        memcpy(h, next, sizeof next);
    }
}

static TF_Tensor *sequence(int len)
{
    float v[16 * D];
    for (int i = 0; i < len * D; i++) v[i] = (float)sin(0.7 * i + 0.3);
    return float_tensor((const int64_t[]){ len, D }, 2, v);
}


/* One step of the RNN on a sequence of len steps; the status is left in s. */
static TF_Tensor *run_rnn(TF_Session *sess, const rnn *r, int len, TF_Status *s)
{
    TF_Tensor *x = sequence(len), *got = NULL;
    TF_Output feed = out0(r->x);
    TF_SessionRun(sess, NULL, &feed, &x, 1, &r->h, &got, 1, NULL, 0, NULL, s);
    TF_DeleteTensor(x);
    return got;
}

static void test_rnn_over_fed_sequence(void **state)
{
    (void)state;
    rnn r = build_rnn(0);
    TF_Session *sess = new_test_session(r.g, NULL, 0);
    TF_Status *s = TF_NewStatus();
    static const int lengths[] = { 0, 1, 2, 7, 16, 3 };
    for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
        TF_Tensor *got = run_rnn(sess, &r, lengths[k], s);
        assert_ok(s);
        assert_int_equal(TF_NumDims(got), 2);
        assert_int_equal(TF_Dim(got, 1), H);
        float want[H];
        TF_Tensor *x = sequence(lengths[k]);
        reference_rnn(TF_TensorData(x), lengths[k], want);
        TF_DeleteTensor(x);
        const float *h = TF_TensorData(got);
        for (int j = 0; j < H; j++) assert_float_equal(h[j], want[j], 1e-5);
        if (lengths[k] > 0) assert_true(fabsf(h[0]) > 1e-3f); /* the recurrence really ran */
        TF_DeleteTensor(got);
    }
    close_test_session(sess);
    TF_DeleteStatus(s);
    TF_DeleteGraph(r.g);
}

static void test_error_inside_loop_ends_step(void **state)
{
    (void)state;
    rnn bad = build_rnn(1); /* gathers x[T] on its last iteration */
    TF_Session *sess = new_test_session(bad.g, NULL, 0);
    TF_Status *s = TF_NewStatus();
    TF_Tensor *got = run_rnn(sess, &bad, 5, s);
    assert_null(got);
    assert_code(s, TF_INVALID_ARGUMENT);
    assert_msg_has(s, "x_t");
    assert_msg_has(s, "indices[0] = 5 is not in [0, 5)");
    got = run_rnn(sess, &bad, 0, s); /* still fails at the first iteration, and does not hang */
    assert_code(s, TF_INVALID_ARGUMENT);
    assert_null(got);
    close_test_session(sess);
    TF_DeleteGraph(bad.g);
    /* the same session keeps working after a failed step */
    rnn good = build_rnn(0);
    sess = new_test_session(good.g, NULL, 0);
    got = run_rnn(sess, &good, 4, s);
    assert_non_null(got);
    assert_ok(s);
    TF_DeleteTensor(got);
    got = run_rnn(sess, &good, 4, s);
    assert_ok(s);
    TF_DeleteTensor(got);
    close_test_session(sess);
    TF_DeleteGraph(good.g);
    TF_DeleteStatus(s);
}

/* i = 0; while (i >= 0) i = i * 1 + 0 (never ends), under RunOptions.timeout_in_ms = 200. */
static void test_endless_loop_times_out(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_Output in[] = { scalar_i32(g, "i0", 0) };
    TF_WhileParams p = TF_NewWhile(g, in, 1, s);
    assert_ok(s);
    p.cond_output = out0(binop(p.cond_graph, "GreaterEqual", "ge", p.cond_inputs[0], scalar_i32(p.cond_graph, "z", 0)));
    p.body_outputs[0] = out0(binop(p.body_graph, "Mul", "same", p.body_inputs[0], scalar_i32(p.body_graph, "one", 1)));
    p.name = "forever";
    TF_Output out;
    TF_FinishWhile(&p, s, &out);
    assert_ok(s);
    TF_Session *sess = new_test_session(g, NULL, 0);
    static const char timeout_200ms[] = { 0x10, (char)0xc8, 0x01 }; /* RunOptions field 2 = 200 */
    TF_Buffer *ro = TF_NewBufferFromString(timeout_200ms, sizeof timeout_200ms);
    TF_Tensor *got = NULL;
    TF_SessionRun(sess, ro, NULL, NULL, 0, &out, &got, 1, NULL, 0, NULL, s);
    assert_code(s, TF_DEADLINE_EXCEEDED);
    assert_null(got);
    TF_DeleteBuffer(ro);
    close_test_session(sess);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnn_over_fed_sequence),
        cmocka_unit_test(test_error_inside_loop_ends_step),
        cmocka_unit_test(test_endless_loop_times_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
