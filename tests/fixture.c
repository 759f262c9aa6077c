/* fixture: reader and runner of TensorFlow-generated op cases (format in fixture.h). Each case
 * becomes a graph of Const inputs (and variables, for ref and resource args) feeding one op; the
 * op's outputs, and then the variables' values, are fetched and compared with the expected values.
 * Uses the public API, plus the op registry to tell ref args from resource args and the kernel
 * registry to pick the cases a device can run (fixture_run_file_on). */
#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"
#include "kernels/kernel.h"
#include "ops/op_def.h"
#include "tfc/c_api.h"

#define MAX_ITEMS 64
#define LINE_MAX_LEN (1 << 22)

typedef struct fx_tensor {
    TF_DataType dtype;
    int rank;
    int64_t dims[TFC_MAX_RANK];
    int64_t n;
    double *values;   /* floating types (and integers, for messages) */
    int64_t *ivalues; /* integer and bool types, exact (uint64 stored as its bit pattern) */
} fx_tensor;

typedef struct fx_case {
    char name[256], op[128];
    char *attrs[MAX_ITEMS];
    int n_attrs;
    fx_tensor inputs[MAX_ITEMS], outputs[MAX_ITEMS], varoutputs[MAX_ITEMS];
    int n_inputs, n_outputs, n_varoutputs;
    int is_var[MAX_ITEMS], uninitialized[MAX_ITEMS]; /* per input: a varinput; left uninitialised */
    int list_start[MAX_ITEMS], list_len[MAX_ITEMS], n_lists;
    double rtol, atol;
    int has_tol, expect_error;
    int cpu_only_error; /* "error cpu": TensorFlow's GPU kernel accepts the case */
} fx_case;

/* fixture_run_file_on's device: the op of each case is pinned there, and cases it has no kernel
 * for are left out. NULL: the session places every op. */
static const char *pin_device, *pin_device_type;

static const struct { const char *name; TF_DataType t; } dtype_names[] = {
    { "float", TF_FLOAT }, { "double", TF_DOUBLE }, { "int32", TF_INT32 }, { "int64", TF_INT64 },
    { "bool", TF_BOOL }, { "uint8", TF_UINT8 }, { "int8", TF_INT8 }, { "int16", TF_INT16 },
    { "uint16", TF_UINT16 }, { "uint32", TF_UINT32 }, { "uint64", TF_UINT64 },
};

static int parse_dtype(const char *s, TF_DataType *t)
{
    for (size_t i = 0; i < sizeof dtype_names / sizeof dtype_names[0]; i++)
        if (s && !strcmp(s, dtype_names[i].name)) return *t = dtype_names[i].t, 0;
    return -1;
}

static double parse_value(const char *s)
{
    if (!strcmp(s, "nan")) return NAN;
    if (!strcmp(s, "inf")) return INFINITY;
    if (!strcmp(s, "-inf")) return -INFINITY;
    if (!strcmp(s, "true")) return 1;
    if (!strcmp(s, "false")) return 0;
    return strtod(s, NULL);
}

/* "<dtype> <rank> <dims...> : <values...>" (strtok state continues from the caller). */
static int parse_tensor(fx_tensor *t)
{
    if (parse_dtype(strtok(NULL, " \t\n"), &t->dtype)) return -1;
    char *tok = strtok(NULL, " \t\n");
    if (!tok) return -1;
    t->rank = atoi(tok);
    if (t->rank < 0 || t->rank > TFC_MAX_RANK) return -1;
    t->n = 1;
    for (int i = 0; i < t->rank; i++) {
        tok = strtok(NULL, " \t\n");
        if (!tok) return -1;
        t->dims[i] = atoll(tok);
        t->n *= t->dims[i];
    }
    tok = strtok(NULL, " \t\n");
    if (!tok || strcmp(tok, ":")) return -1;
    t->values = calloc((size_t)t->n + 1, sizeof(double));
    t->ivalues = calloc((size_t)t->n + 1, sizeof(int64_t));
    for (int64_t i = 0; i < t->n; i++) {
        tok = strtok(NULL, " \t\n");
        if (!tok) return -1;
        t->values[i] = parse_value(tok);
        t->ivalues[i] = t->dtype == TF_UINT64 ? (int64_t)strtoull(tok, NULL, 10) : strtoll(tok, NULL, 10);
        if (t->dtype == TF_BOOL) t->ivalues[i] = t->values[i] != 0;
    }
    return 0;
}

static void free_case(fx_case *c)
{
    for (int i = 0; i < c->n_attrs; i++) free(c->attrs[i]);
    for (int i = 0; i < c->n_inputs; i++) free(c->inputs[i].values), free(c->inputs[i].ivalues);
    for (int i = 0; i < c->n_outputs; i++) free(c->outputs[i].values), free(c->outputs[i].ivalues);
    for (int i = 0; i < c->n_varoutputs; i++) free(c->varoutputs[i].values), free(c->varoutputs[i].ivalues);
    memset(c, 0, sizeof *c);
}

/* Handles one line of a case; returns 1 at "end", 0 to go on, -1 on a parse error. */
static int parse_line(fx_case *c, char *line)
{
    char *copy = strdup(line);
    char *kw = strtok(line, " \t\n");
    int rc = 0;
    if (!kw || kw[0] == '#') rc = 0;
    else if (!strcmp(kw, "case")) snprintf(c->name, sizeof c->name, "%s", strtok(NULL, "\n"));
    else if (!strcmp(kw, "op")) snprintf(c->op, sizeof c->op, "%s", strtok(NULL, " \t\n"));
    else if (!strcmp(kw, "attr") && c->n_attrs < MAX_ITEMS) c->attrs[c->n_attrs++] = copy, copy = NULL;
    else if (!strcmp(kw, "list") && c->n_lists < MAX_ITEMS) {
        c->list_start[c->n_lists] = c->n_inputs;
        c->list_len[c->n_lists++] = atoi(strtok(NULL, " \t\n"));
    } else if (!strcmp(kw, "input") && c->n_inputs < MAX_ITEMS) rc = parse_tensor(&c->inputs[c->n_inputs++]);
    else if (!strcmp(kw, "output") && c->n_outputs < MAX_ITEMS) rc = parse_tensor(&c->outputs[c->n_outputs++]);
    else if (!strcmp(kw, "varinput") && c->n_inputs < MAX_ITEMS) {
        c->is_var[c->n_inputs] = 1;
        rc = parse_tensor(&c->inputs[c->n_inputs++]);
    } else if (!strcmp(kw, "uninitialized") && c->n_inputs > 0 && c->is_var[c->n_inputs - 1])
        c->uninitialized[c->n_inputs - 1] = 1;
    else if (!strcmp(kw, "varoutput") && c->n_varoutputs < MAX_ITEMS)
        rc = parse_tensor(&c->varoutputs[c->n_varoutputs++]);
    else if (!strcmp(kw, "tol")) {
        c->rtol = strtod(strtok(NULL, " \t\n"), NULL);
        c->atol = strtod(strtok(NULL, " \t\n"), NULL);
        c->has_tol = 1;
    } else if (!strcmp(kw, "error")) {
        c->expect_error = 1;
        const char *scope = strtok(NULL, " \t\n");
        c->cpu_only_error = scope && !strcmp(scope, "cpu");
    } else if (!strcmp(kw, "end")) rc = 1;
    else rc = -1;
    free(copy);
    return rc;
}

/* ---- building the graph ---- */

static size_t dtype_size(TF_DataType t) { return TF_DataTypeSize(t); }

static void store(TF_DataType t, void *data, int64_t i, double v, int64_t iv)
{
    switch (t) {
    case TF_FLOAT: ((float *)data)[i] = (float)v; break;
    case TF_DOUBLE: ((double *)data)[i] = v; break;
    case TF_INT32: ((int32_t *)data)[i] = (int32_t)iv; break;
    case TF_INT64: ((int64_t *)data)[i] = iv; break;
    case TF_BOOL: ((unsigned char *)data)[i] = iv != 0; break;
    case TF_UINT8: ((uint8_t *)data)[i] = (uint8_t)iv; break;
    case TF_INT8: ((int8_t *)data)[i] = (int8_t)iv; break;
    case TF_INT16: ((int16_t *)data)[i] = (int16_t)iv; break;
    case TF_UINT16: ((uint16_t *)data)[i] = (uint16_t)iv; break;
    case TF_UINT32: ((uint32_t *)data)[i] = (uint32_t)iv; break;
    case TF_UINT64: ((uint64_t *)data)[i] = (uint64_t)iv; break;
    default: break;
    }
}

/* Integer element i as int64 (uint64 as its bit pattern). */
static int64_t load_int(TF_DataType t, const void *data, int64_t i)
{
    switch (t) {
    case TF_INT32: return ((const int32_t *)data)[i];
    case TF_INT64: return ((const int64_t *)data)[i];
    case TF_BOOL: return ((const unsigned char *)data)[i] != 0;
    case TF_UINT8: return ((const uint8_t *)data)[i];
    case TF_INT8: return ((const int8_t *)data)[i];
    case TF_INT16: return ((const int16_t *)data)[i];
    case TF_UINT16: return ((const uint16_t *)data)[i];
    case TF_UINT32: return ((const uint32_t *)data)[i];
    case TF_UINT64: return (int64_t)((const uint64_t *)data)[i];
    default: return 0;
    }
}

static double load(TF_DataType t, const void *data, int64_t i)
{
    switch (t) {
    case TF_FLOAT: return ((const float *)data)[i];
    case TF_DOUBLE: return ((const double *)data)[i];
    case TF_INT32: return ((const int32_t *)data)[i];
    case TF_INT64: return (double)((const int64_t *)data)[i];
    case TF_BOOL: return ((const unsigned char *)data)[i];
    case TF_UINT8: return ((const uint8_t *)data)[i];
    case TF_INT8: return ((const int8_t *)data)[i];
    case TF_INT16: return ((const int16_t *)data)[i];
    case TF_UINT16: return ((const uint16_t *)data)[i];
    case TF_UINT32: return ((const uint32_t *)data)[i];
    case TF_UINT64: return (double)((const uint64_t *)data)[i];
    default: return NAN;
    }
}

static TF_Operation *make_const(TF_Graph *g, int i, const fx_tensor *t, TF_Status *s)
{
    TF_Tensor *v = TF_AllocateTensor(t->dtype, t->dims, t->rank, (size_t)t->n * dtype_size(t->dtype));
    for (int64_t j = 0; j < t->n; j++) store(t->dtype, TF_TensorData(v), j, t->values[j], t->ivalues[j]);
    char name[32];
    snprintf(name, sizeof name, "in%d", i);
    TF_OperationDescription *d = TF_NewOperation(g, "Const", name);
    TF_SetAttrTensor(d, "value", v, s);
    TF_SetAttrType(d, "dtype", t->dtype);
    TF_DeleteTensor(v);
    return TF_FinishOperation(d, s);
}

static int set_attr(TF_OperationDescription *d, char *line)
{
    strtok(line, " \t\n"); /* "attr" */
    char *name = strtok(NULL, " \t\n"), *kind = strtok(NULL, " \t\n"), *v = strtok(NULL, " \t\n");
    if (!name || !kind || !v) return -1;
    if (!strcmp(kind, "int")) TF_SetAttrInt(d, name, atoll(v));
    else if (!strcmp(kind, "float")) TF_SetAttrFloat(d, name, (float)parse_value(v));
    else if (!strcmp(kind, "bool")) TF_SetAttrBool(d, name, (unsigned char)(parse_value(v) != 0));
    else if (!strcmp(kind, "string")) TF_SetAttrString(d, name, v, strlen(v));
    else if (!strcmp(kind, "type")) {
        TF_DataType t;
        if (parse_dtype(v, &t)) return -1;
        TF_SetAttrType(d, name, t);
    } else {
        int n = atoi(v);
        if (n < -1 || n > MAX_ITEMS) return -1;
        int64_t ints[MAX_ITEMS];
        float floats[MAX_ITEMS];
        TF_DataType types[MAX_ITEMS];
        for (int i = 0; i < n; i++) {
            char *tok = strtok(NULL, " \t\n");
            if (!tok) return -1;
            ints[i] = atoll(tok);
            floats[i] = (float)parse_value(tok);
            if (!strcmp(kind, "list_type") && parse_dtype(tok, &types[i])) return -1;
        }
        if (!strcmp(kind, "shape")) TF_SetAttrShape(d, name, ints, n);
        else if (!strcmp(kind, "list_int")) TF_SetAttrIntList(d, name, ints, n);
        else if (!strcmp(kind, "list_float")) TF_SetAttrFloatList(d, name, floats, n);
        else if (!strcmp(kind, "list_type")) TF_SetAttrTypeList(d, name, types, n);
        else return -1;
    }
    return 0;
}

/* The variables of a case: the init ops run before the op, the reads run after it. */
typedef struct fx_vars {
    TF_Operation *vars[MAX_ITEMS], *inits[MAX_ITEMS];
    TF_Output reads[MAX_ITEMS];
    int n_vars, n_inits, n_reads;
} fx_vars;

/* Arg `slot` of op: 1 for a resource arg, 0 for a ref arg, -1 for anything else. */
static int var_kind(const char *op, int slot)
{
    const tfc_op_def *def = tfc_op_lookup(op);
    for (int a = 0; def && def->inputs && def->inputs[a].name; a++)
        if (a == slot) return def->inputs[a].type == TF_RESOURCE ? 1 : def->inputs[a].is_ref ? 0 : -1;
    return -1;
}

/* The op's arg index of case input i (a list input is one arg). */
static int slot_of(const fx_case *c, int i)
{
    int slot = 0;
    for (int j = 0, l = 0; j < i; slot++) {
        if (l < c->n_lists && c->list_start[l] == j) {
            j += c->list_len[l++];
            if (j > i) return slot;
        } else {
            j++;
        }
    }
    return slot;
}

static TF_Operation *finish_unary(TF_Graph *g, const char *type, const char *name, TF_Output in,
                                  TF_DataType dtype, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, type, name);
    TF_AddInput(d, in);
    if (dtype) TF_SetAttrType(d, "dtype", dtype);
    return TF_FinishOperation(d, s);
}

/* Case input i as a variable: a VariableV2 for a ref arg, a VarHandleOp for a resource arg, given
 * the input's value by an init op (Assign / AssignVariableOp) unless marked uninitialized, and
 * read back by Identity / ReadVariableOp. With a pinned device the variable is pinned there too
 * (its init and read ops follow it). Returns the variable's handle. */
static TF_Output make_var(TF_Graph *g, const fx_case *c, int i, bool resource, fx_vars *vars, TF_Status *s)
{
    const fx_tensor *t = &c->inputs[i];
    char name[32];
    snprintf(name, sizeof name, "var%d", i);
    TF_OperationDescription *d = TF_NewOperation(g, resource ? "VarHandleOp" : "VariableV2", name);
    TF_SetAttrType(d, "dtype", t->dtype);
    TF_SetAttrShape(d, "shape", t->dims, t->rank);
    if (pin_device) TF_SetDevice(d, pin_device);
    TF_Output h = { TF_FinishOperation(d, s), 0 };
    if (TF_GetCode(s) != TF_OK) return h;
    vars->vars[vars->n_vars++] = h.oper;
    if (!c->uninitialized[i]) {
        TF_Output v = { make_const(g, i, t, s), 0 };
        if (TF_GetCode(s) != TF_OK) return h;
        snprintf(name, sizeof name, "init%d", i);
        d = TF_NewOperation(g, resource ? "AssignVariableOp" : "Assign", name);
        TF_AddInput(d, h);
        TF_AddInput(d, v);
        vars->inits[vars->n_inits++] = TF_FinishOperation(d, s);
        if (TF_GetCode(s) != TF_OK) return h;
    }
    snprintf(name, sizeof name, "read%d", i);
    TF_Operation *read = finish_unary(g, resource ? "ReadVariableOp" : "Identity", name, h,
                                      resource ? t->dtype : 0, s);
    vars->reads[vars->n_reads++] = (TF_Output){ read, 0 };
    return h;
}

/* Builds the op of case c over Const inputs and variables; NULL (status set) when finishing fails. */
static TF_Operation *build(TF_Graph *g, fx_case *c, fx_vars *vars, TF_Status *s)
{
    TF_Output in[MAX_ITEMS];
    for (int i = 0; i < c->n_inputs; i++) {
        int kind = c->is_var[i] ? var_kind(c->op, slot_of(c, i)) : -1;
        if (c->is_var[i] && kind < 0) {
            TF_SetStatus(s, TF_INVALID_ARGUMENT, "fixture: varinput for an arg neither ref nor resource");
            return NULL;
        }
        in[i] = c->is_var[i] ? make_var(g, c, i, kind == 1, vars, s)
                             : (TF_Output){ make_const(g, i, &c->inputs[i], s), 0 };
        if (TF_GetCode(s) != TF_OK) return NULL;
    }
    TF_OperationDescription *d = TF_NewOperation(g, c->op, "op");
    if (pin_device) TF_SetDevice(d, pin_device);
    for (int i = 0, l = 0; i < c->n_inputs;) {
        if (l < c->n_lists && c->list_start[l] == i) {
            TF_AddInputList(d, in + i, c->list_len[l]);
            i += c->list_len[l++];
        } else {
            TF_AddInput(d, in[i++]);
        }
    }
    for (int i = 0; i < c->n_attrs; i++) {
        char *copy = strdup(c->attrs[i]);
        int bad = set_attr(d, copy);
        free(copy);
        if (bad) {
            TF_SetStatus(s, TF_INVALID_ARGUMENT, "fixture: bad attr line");
            TF_Operation *op = TF_FinishOperation(d, NULL);
            (void)op;
            return NULL;
        }
    }
    return TF_FinishOperation(d, s);
}

/* Compares got with want ("<what> <k>" in messages); 0 when they match, else 1 with why set. */
static int compare(const fx_case *c, const fx_tensor *want, const char *what, int k, const TF_Tensor *got,
                   char *why, size_t n)
{
    if (TF_TensorType(got) != want->dtype) return snprintf(why, n, "%s %d dtype %d, want %d", what, k,
                                                           TF_TensorType(got), want->dtype), 1;
    if (TF_NumDims(got) != want->rank) return snprintf(why, n, "%s %d rank %d, want %d", what, k,
                                                       TF_NumDims(got), want->rank), 1;
    for (int i = 0; i < want->rank; i++)
        if (TF_Dim(got, i) != want->dims[i])
            return snprintf(why, n, "%s %d dim %d is %lld, want %lld", what, k, i, (long long)TF_Dim(got, i),
                            (long long)want->dims[i]), 1;
    double rtol = c->has_tol ? c->rtol : want->dtype == TF_DOUBLE ? 1e-10 : 1e-5;
    double atol = c->has_tol ? c->atol : want->dtype == TF_DOUBLE ? 1e-12 : 1e-6;
    bool floating = want->dtype == TF_FLOAT || want->dtype == TF_DOUBLE;
    for (int64_t i = 0; i < want->n; i++) {
        double a = load(want->dtype, TF_TensorData(got), i), b = want->values[i];
        bool ok = floating ? (isnan(b) ? isnan(a) : isinf(b) ? a == b : fabs(a - b) <= atol + rtol * fabs(b))
                           : load_int(want->dtype, TF_TensorData(got), i) == want->ivalues[i];
        if (!ok)
            return snprintf(why, n, "%s %d element %lld is %.9g, want %.9g", what, k, (long long)i, a, b), 1;
    }
    return 0;
}

/* Fetches the n outputs (or, with n == 0, runs the targets) and compares them with want[]; 0 when
 * the step behaves as expected. expect_error: the step must fail. */
static int run_step(TF_Session *sess, const fx_case *c, const char *what, TF_Output *outs, int n,
                    const fx_tensor *want, int n_want, TF_Operation *const *targets, int n_targets,
                    int expect_error, char *why, size_t why_size, TF_Status *s)
{
    TF_Tensor *vals[MAX_ITEMS] = { 0 };
    int failed = 0;
    TF_SessionRun(sess, NULL, NULL, NULL, 0, outs, vals, n, (const TF_Operation *const *)targets, n_targets,
                  NULL, s);
    if (TF_GetCode(s) != TF_OK) {
        failed = !expect_error;
        snprintf(why, why_size, "%s: run failed: %s", what, TF_Message(s));
    } else if (expect_error) {
        failed = 1;
        snprintf(why, why_size, "expected an error, the op succeeded");
    } else if (n != n_want) {
        failed = 1;
        snprintf(why, why_size, "%d %ss, want %d", n, what, n_want);
    } else {
        for (int i = 0; i < n && !failed; i++) failed = compare(c, &want[i], what, i, vals[i], why, why_size);
    }
    for (int i = 0; i < n; i++) TF_DeleteTensor(vals[i]);
    return failed;
}

/* Runs the inits, the op, and the variables' reads of a built case. */
static int run_steps(TF_Session *sess, fx_case *c, TF_Operation *op, fx_vars *vars, char *why, size_t n,
                     TF_Status *s)
{
    if (vars->n_inits &&
        run_step(sess, c, "init", NULL, 0, NULL, 0, vars->inits, vars->n_inits, 0, why, n, s))
        return 1;
    int n_out = TF_OperationNumOutputs(op);
    TF_Output outs[MAX_ITEMS];
    for (int i = 0; i < n_out && i < MAX_ITEMS; i++) outs[i] = (TF_Output){ op, i };
    if (n_out > MAX_ITEMS) return snprintf(why, n, "too many outputs"), 1;
    if (run_step(sess, c, "output", outs, n_out, c->outputs, c->n_outputs, &op, n_out ? 0 : 1,
                 c->expect_error, why, n, s))
        return 1;
    if (c->expect_error || !c->n_varoutputs) return 0;
    return run_step(sess, c, "varoutput", vars->reads, vars->n_reads, c->varoutputs, c->n_varoutputs, NULL, 0,
                    0, why, n, s);
}

static bool has_pinned_kernel(const TF_Operation *op)
{
    return tfc_kernel_lookup(op->def->name, pin_device_type, &op->attrs) != NULL;
}

/* With a pinned device: whether the case can run there. Not when building it fails (that is
 * device-independent), or when the device has no kernel for its dtype — nor for its variables,
 * their init and their read ops (a ref never crosses devices). */
static bool runs_on_pinned_device(const TF_Operation *op, const fx_vars *vars)
{
    if (!op || !has_pinned_kernel(op)) return false;
    for (int i = 0; i < vars->n_vars; i++)
        if (!has_pinned_kernel(vars->vars[i])) return false;
    for (int i = 0; i < vars->n_inits; i++)
        if (!has_pinned_kernel(vars->inits[i])) return false;
    for (int i = 0; i < vars->n_reads; i++)
        if (!has_pinned_kernel(vars->reads[i].oper)) return false;
    return true;
}

/* Runs one case; 0 when it behaves as expected, else 1 with the reason printed; -1 when it was
 * left out: pinned to a device other than the CPU, see runs_on_pinned_device; an "error cpu" case,
 * which only TensorFlow's CPU kernel rejects, is left out there too. */
static int run_case(fx_case *c)
{
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    char why[512] = "";
    int failed = 0;
    fx_vars vars = { 0 };
    TF_Operation *op = build(g, c, &vars, s);
    /* Only a pin to another device than the CPU (where TensorFlow made the fixtures) leaves out. */
    bool elsewhere = pin_device && strcmp(pin_device_type, "CPU");
    if (elsewhere && (c->cpu_only_error || !runs_on_pinned_device(op, &vars))) {
        failed = -1;
    } else if (!op) {
        failed = !c->expect_error;
        snprintf(why, sizeof why, "building failed: %s", TF_Message(s));
    } else {
        TF_SessionOptions *o = TF_NewSessionOptions();
        TF_Session *sess = TF_NewSession(g, o, s);
        failed = run_steps(sess, c, op, &vars, why, sizeof why, s);
        TF_DeleteSession(sess, s);
        TF_DeleteSessionOptions(o);
    }
    if (failed > 0) printf("FAIL %s (%s%s%s): %s\n", c->name, c->op, pin_device ? " on " : "",
                           pin_device ? pin_device : "", why);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
    return failed;
}

static int run_file(const char *path, int *n_cases, int *n_run)
{
    *n_cases = 0;
    if (n_run) *n_run = 0;
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char *line = malloc(LINE_MAX_LEN);
    fx_case *c = calloc(1, sizeof *c);
    int failures = 0, rc = 0;
    while (rc >= 0 && fgets(line, LINE_MAX_LEN, f)) {
        rc = parse_line(c, line);
        if (rc == 1) {
            int failed = run_case(c);
            failures += failed > 0;
            (*n_cases)++;
            if (n_run && failed >= 0) (*n_run)++;
            free_case(c);
            rc = 0;
        }
    }
    if (rc < 0) printf("fixture: parse error in %s near case '%s'\n", path, c->name);
    free_case(c);
    free(c);
    free(line);
    fclose(f);
    return rc < 0 ? -1 : failures;
}

int fixture_run_file(const char *path, int *n_cases)
{
    pin_device = pin_device_type = NULL;
    return run_file(path, n_cases, NULL);
}

int fixture_run_file_on(const char *path, const char *device, const char *device_type, int *n_cases, int *n_run)
{
    pin_device = device, pin_device_type = device_type;
    int failures = run_file(path, n_cases, n_run);
    pin_device = pin_device_type = NULL;
    return failures;
}
