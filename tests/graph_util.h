/* graph_util: small graph-building helpers shared by the test_graph* suites (static inline so each
 * suite takes what it uses). Include after <cmocka.h>. */
#ifndef TFC_TESTS_GRAPH_UTIL_H_
#define TFC_TESTS_GRAPH_UTIL_H_
#include <stdio.h>
#include <string.h>
#include "tfc/c_api.h"

/* ---- helpers ---- */

static inline void assert_ok(const TF_Status *s)
{
    if (TF_GetCode(s) != TF_OK) fail_msg("status %d: %s", (int)TF_GetCode(s), TF_Message(s));
}

static inline void assert_code(const TF_Status *s, TF_Code code)
{
    if (TF_GetCode(s) != code)
        fail_msg("expected code %d, got %d: %s", (int)code, (int)TF_GetCode(s), TF_Message(s));
}

static inline void assert_msg_has(const TF_Status *s, const char *needle)
{
    if (!strstr(TF_Message(s), needle)) fail_msg("message '%s' does not contain '%s'", TF_Message(s), needle);
}

static inline int count_ops(TF_Graph *g)
{
    size_t pos = 0;
    int n = 0;
    while (TF_GraphNextOperation(g, &pos)) n++;
    return n;
}

static inline TF_Operation *placeholder(TF_Graph *g, const char *name, TF_DataType t, const int64_t *dims, int nd)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, "Placeholder", name);
    TF_SetAttrType(d, "dtype", t);
    if (nd >= 0) TF_SetAttrShape(d, "shape", dims, nd);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    assert_non_null(op);
    TF_DeleteStatus(s);
    return op;
}

static inline TF_Operation *scalar_placeholder(TF_Graph *g, const char *name, TF_DataType t)
{
    return placeholder(g, name, t, NULL, -1);
}

static inline TF_Tensor *float_tensor(const int64_t *dims, int nd, const float *vals)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    TF_Tensor *t = TF_AllocateTensor(TF_FLOAT, dims, nd, (size_t)n * sizeof(float));
    assert_non_null(t);
    if (n) memcpy(TF_TensorData(t), vals, (size_t)n * sizeof(float));
    return t;
}

static inline TF_Tensor *int_tensor(const int64_t *dims, int nd, const int32_t *vals)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    TF_Tensor *t = TF_AllocateTensor(TF_INT32, dims, nd, (size_t)n * sizeof(int32_t));
    assert_non_null(t);
    memcpy(TF_TensorData(t), vals, (size_t)n * sizeof(int32_t));
    return t;
}

static inline TF_Operation *const_float(TF_Graph *g, const char *name, const int64_t *dims, int nd, const float *vals)
{
    TF_Status *s = TF_NewStatus();
    TF_Tensor *t = float_tensor(dims, nd, vals);
    TF_OperationDescription *d = TF_NewOperation(g, "Const", name);
    TF_SetAttrTensor(d, "value", t, s);
    assert_ok(s);
    TF_SetAttrType(d, "dtype", TF_FLOAT);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    assert_non_null(op);
    TF_DeleteTensor(t);
    TF_DeleteStatus(s);
    return op;
}

static inline TF_Operation *const_int32(TF_Graph *g, const char *name, const int32_t *vals, const int64_t *dims, int nd)
{
    TF_Status *s = TF_NewStatus();
    TF_Tensor *t = int_tensor(dims, nd, vals);
    TF_OperationDescription *d = TF_NewOperation(g, "Const", name);
    TF_SetAttrTensor(d, "value", t, s);
    TF_SetAttrType(d, "dtype", TF_INT32);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_DeleteTensor(t);
    TF_DeleteStatus(s);
    return op;
}

/* A session on g; config (a serialized ConfigProto) may be NULL. */
static inline TF_Session *new_test_session(TF_Graph *g, const void *config, size_t config_len)
{
    TF_Status *s = TF_NewStatus();
    TF_SessionOptions *o = TF_NewSessionOptions();
    if (config) TF_SetConfig(o, config, config_len, s);
    assert_ok(s);
    TF_Session *sess = TF_NewSession(g, o, s);
    assert_ok(s);
    TF_DeleteSessionOptions(o);
    TF_DeleteStatus(s);
    return sess;
}

static inline void close_test_session(TF_Session *sess)
{
    TF_Status *s = TF_NewStatus();
    TF_CloseSession(sess, s);
    TF_DeleteSession(sess, s);
    assert_ok(s);
    TF_DeleteStatus(s);
}

static inline TF_Operation *binop(TF_Graph *g, const char *type, const char *name, TF_Output a, TF_Output b)
{
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    TF_AddInput(d, a);
    TF_AddInput(d, b);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    assert_non_null(op);
    TF_DeleteStatus(s);
    return op;
}

static inline TF_Output out0(TF_Operation *op) { return (TF_Output){ op, 0 }; }

/* Finishes d, which must fail with `code`; the message must contain each non-NULL needle; the
 * graph must keep its op count and have no op called `name`. */
static inline void expect_finish_fails(TF_Graph *g, TF_OperationDescription *d, const char *name, TF_Code code,
                                const char *needle1, const char *needle2)
{
    int before = count_ops(g);
    /* NULL, except for a duplicate name, whose earlier op must stay in place */
    TF_Operation *existing = TF_GraphOperationByName(g, name);
    TF_Status *s = TF_NewStatus();
    TF_Operation *op = TF_FinishOperation(d, s);
    if (op) fail_msg("'%s' was added, expected code %d", name, (int)code);
    assert_code(s, code);
    if (needle1) assert_msg_has(s, needle1);
    if (needle2) assert_msg_has(s, needle2);
    assert_int_equal(count_ops(g), before);
    assert_ptr_equal(TF_GraphOperationByName(g, name), existing);
    TF_DeleteStatus(s);
}

/* The name can be used by a valid op after a failed finish. */
static inline void expect_name_reusable(TF_Graph *g, const char *name)
{
    assert_null(TF_GraphOperationByName(g, name));
    TF_Operation *op = scalar_placeholder(g, name, TF_FLOAT);
    assert_ptr_equal(TF_GraphOperationByName(g, name), op);
}


#endif
