/* gradcheck: finite-difference checking of TF_AddGradients (see gradcheck.h). */
#include "gradcheck.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t count(const gradcheck_case *c, int k)
{
    int64_t n = 1;
    for (int i = 0; i < c->rank[k]; i++) n *= c->dims[k][i];
    return n;
}

static double next_rand(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (double)((*state >> 8) & 0xffffff) / (double)0x1000000;
}

/* sum(y) for the given inputs; NAN (message printed) on error. */
static double eval_sum(TF_Session *sess, TF_Output *x, TF_Tensor **vals, int nx, TF_Output y, TF_Status *s)
{
    TF_Tensor *out = NULL;
    TF_SessionRun(sess, NULL, x, vals, nx, &y, &out, 1, NULL, 0, NULL, s);
    if (TF_GetCode(s) != TF_OK) {
        printf("gradcheck: evaluating y: %s\n", TF_Message(s));
        return NAN;
    }
    double sum = 0;
    for (int64_t i = 0; i < TF_TensorElementCount(out); i++) sum += ((double *)TF_TensorData(out))[i];
    TF_DeleteTensor(out);
    return sum;
}

static int compare(const gradcheck_case *c, TF_Session *sess, TF_Output *x, TF_Tensor **vals, TF_Output y,
                   TF_Tensor **grads, TF_Status *s)
{
    const double h = 1e-6, tol = c->tol > 0 ? c->tol : 1e-6;
    for (int k = 0; k < c->nx; k++) {
        if (TF_TensorElementCount(grads[k]) != count(c, k)) {
            printf("gradcheck %s: gradient of x%d has %lld elements, want %lld\n", c->name, k,
                   (long long)TF_TensorElementCount(grads[k]), (long long)count(c, k));
            return 1;
        }
        double *v = TF_TensorData(vals[k]);
        for (int64_t i = 0; i < count(c, k); i++) {
            double keep = v[i];
            v[i] = keep + h;
            double up = eval_sum(sess, x, vals, c->nx, y, s);
            v[i] = keep - h;
            double down = eval_sum(sess, x, vals, c->nx, y, s);
            v[i] = keep;
            double numeric = (up - down) / (2 * h), analytic = ((double *)TF_TensorData(grads[k]))[i];
            if (!(fabs(analytic - numeric) <= tol * (1 + fabs(numeric)))) {
                printf("gradcheck %s: d/dx%d[%lld] analytic %.10g numeric %.10g\n", c->name, k, (long long)i,
                       analytic, numeric);
                return 1;
            }
        }
    }
    return 0;
}

int gradcheck_run(const gradcheck_case *c, unsigned seed)
{
    TF_Status *s = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Output x[GRADCHECK_MAX_X], dy[GRADCHECK_MAX_X];
    TF_Tensor *vals[GRADCHECK_MAX_X] = { 0 }, *grads[GRADCHECK_MAX_X] = { 0 };
    double lo = c->lo || c->hi ? c->lo : 0.5, hi = c->lo || c->hi ? c->hi : 1.5;
    for (int k = 0; k < c->nx; k++) {
        char name[16];
        snprintf(name, sizeof name, "x%d", k);
        TF_OperationDescription *d = TF_NewOperation(g, "Placeholder", name);
        TF_SetAttrType(d, "dtype", TF_DOUBLE);
        x[k] = (TF_Output){ TF_FinishOperation(d, s), 0 };
        vals[k] = TF_AllocateTensor(TF_DOUBLE, c->dims[k], c->rank[k], (size_t)count(c, k) * sizeof(double));
        for (int64_t i = 0; i < count(c, k); i++) {
            double m = lo + (hi - lo) * next_rand(&seed);
            ((double *)TF_TensorData(vals[k]))[i] = c->positive_only || next_rand(&seed) < 0.5 ? m : -m;
        }
    }
    int failed = 1;
    TF_Output y = c->build(g, x, s);
    if (TF_GetCode(s) == TF_OK) TF_AddGradients(g, &y, 1, x, c->nx, NULL, s, dy);
    TF_SessionOptions *o = TF_NewSessionOptions();
    TF_Session *sess = TF_GetCode(s) == TF_OK ? TF_NewSession(g, o, s) : NULL;
    if (sess) TF_SessionRun(sess, NULL, x, vals, c->nx, dy, grads, c->nx, NULL, 0, NULL, s);
    if (TF_GetCode(s) != TF_OK) printf("gradcheck %s: %s\n", c->name, TF_Message(s));
    else failed = compare(c, sess, x, vals, y, grads, s);
    for (int k = 0; k < c->nx; k++) TF_DeleteTensor(grads[k]), TF_DeleteTensor(vals[k]);
    TF_DeleteSession(sess, s);
    TF_DeleteSessionOptions(o);
    TF_DeleteGraph(g);
    TF_DeleteStatus(s);
    return failed;
}

const char *gradcheck_name(const char *base)
{
    static int uniq;
    static char buf[64];
    snprintf(buf, sizeof buf, "%s_%d", base, uniq++);
    return buf;
}

TF_Output gradcheck_op1(TF_Graph *g, const char *type, TF_Output a, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, type, gradcheck_name(type));
    TF_AddInput(d, a);
    return (TF_Output){ TF_FinishOperation(d, s), 0 };
}

TF_Output gradcheck_op2(TF_Graph *g, const char *type, TF_Output a, TF_Output b, TF_Status *s)
{
    TF_OperationDescription *d = TF_NewOperation(g, type, gradcheck_name(type));
    TF_AddInput(d, a);
    TF_AddInput(d, b);
    return (TF_Output){ TF_FinishOperation(d, s), 0 };
}
