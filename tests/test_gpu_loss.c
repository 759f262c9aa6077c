/* test_gpu_loss: the GPU's losses and comparisons against the CPU's. Every case builds the same
 * graph with the op under test on GPU:0 and on CPU:0 and compares the outputs:
 * SoftmaxCrossEntropyWithLogits (loss and backprop, within rounding: the GPU sums in double) over
 * every broadcast of logits and labels, one-hot and soft labels, logits of +-1000, batch 1 and
 * MNIST's 1000 x 10, one class, empty batches and a million elements; SparseSoftmaxCrossEntropy-
 * WithLogits with int32 and int64 labels; L2Loss; and Equal, NotEqual, Less, LessEqual, Greater,
 * GreaterEqual (bit for bit) over every broadcast form, NaN, and incompatible_shape_error. Errors
 * that only the kernels can see (shapes and ranks hidden from shape inference, labels out of
 * range or negative) must be the CPU's, code and message. Exits 77 (ctest: skipped) without a GPU. */
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
#include "gpu_util.h"
#include "gpu_cases.h"
#include "tfc/c_api.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A reproducible value in [-1, 1). */
static double next_value(uint32_t *seed)
{
    *seed = *seed * 1664525u + 1013904223u;
    return (double)(*seed >> 8) / (double)(1u << 23) - 1.0;
}

static int64_t count_of(const int64_t *dims, int nd)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= dims[i];
    return n;
}

/* n values in [-scale, scale); for scale >= 1000, +-scale plus a small part, so that rows hold
 * logits that differ by 2000 (exp underflows for all but the largest). */
static double *logit_values(int64_t n, double scale, uint32_t seed)
{
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    for (int64_t i = 0; i < n; i++) {
        double r = next_value(&seed);
        v[i] = scale >= 1000 ? (r < 0 ? -scale : scale) + r : scale * r;
    }
    return v;
}

/* Float tolerances: the CPU sums in float, the GPU in double. */
static double rtol_of(TF_DataType dt) { return dt == TF_FLOAT ? 1e-5 : 1e-12; }
static double atol_of(TF_DataType dt) { return dt == TF_FLOAT ? 1e-6 : 1e-12; }

/* gpu_compare on outputs 0 (loss) and 1 (backprop) of each of the n cases (size bytes each, a
 * TF_DataType first, the int choosing the output at out_at). */
static void compare_outputs(build_fn build, const void *cases, size_t n, size_t size, size_t out_at, const char *what)
{
    _Alignas(max_align_t) char c[256];
    assert_true(size <= sizeof c);
    for (size_t i = 0; i < n; i++)
        for (int out = 0; out < 2; out++) {
            memcpy(c, (const char *)cases + i * size, size);
            memcpy(c + out_at, &out, sizeof out);
            TF_DataType dt;
            memcpy(&dt, c, sizeof dt);
            char name[128];
            snprintf(name, sizeof name, "%s case %zu %s", what, i, out ? "backprop" : "loss");
            gpu_compare(build, c, rtol_of(dt), atol_of(dt), name);
        }
}

/* ---- SoftmaxCrossEntropyWithLogits ---- */

enum { ONE_HOT, SOFT };

typedef struct xent_case {
    TF_DataType dt;
    int fnd, lnd;
    int64_t fd[2], ld[2];
    double scale;
    int labels; /* ONE_HOT or SOFT, over the labels' own [rows, classes] view */
    bool hide;  /* both ranks unknown to shape inference */
    int out;    /* which output to fetch: 0 loss, 1 backprop (set by the test) */
} xent_case;

/* Labels of dims[0..nd) (rank <= 2) seen as [rows, classes]: one-hot rows, or positive rows
 * summing to 1. */
static double *label_values(const int64_t *dims, int nd, int kind, uint32_t seed)
{
    int64_t rows = nd >= 2 ? dims[0] : 1, classes = nd >= 1 ? dims[nd - 1] : 1;
    double *v = malloc(sizeof(double) * (size_t)(rows * classes > 0 ? rows * classes : 1));
    for (int64_t r = 0; r < rows; r++) {
        double *row = v + r * classes, sum = 0;
        for (int64_t j = 0; j < classes; j++) {
            row[j] = kind == ONE_HOT ? (double)(j == (r * 7 + 3) % classes) : next_value(&seed) + 1.5;
            sum += row[j];
        }
        for (int64_t j = 0; kind == SOFT && j < classes; j++) row[j] /= sum;
    }
    return v;
}

static TF_Output build_xent(TF_Graph *g, const char *device, const void *ctx)
{
    const xent_case *c = ctx;
    double *fv = logit_values(count_of(c->fd, c->fnd), c->scale, 41);
    double *lv = label_values(c->ld, c->lnd, c->labels, 42);
    TF_Output in[2] = { values_as(g, "logits", c->fd, c->fnd, fv, c->dt), values_as(g, "labels", c->ld, c->lnd, lv, c->dt) };
    free(fv);
    free(lv);
    if (c->hide) {
        in[0] = unknown_rank(g, "logits_hidden", in[0], c->fd, c->fnd);
        in[1] = unknown_rank(g, "labels_hidden", in[1], c->ld, c->lnd);
    }
    return (TF_Output){ op_on(g, "SoftmaxCrossEntropyWithLogits", "op", device, in, 2), c->out };
}

static void test_xent(void **state)
{
    (void)state;
    const xent_case ok[] = {
        { TF_FLOAT, 2, 2, { 1, 10 }, { 1, 10 }, 1, ONE_HOT },             /* batch 1 */
        { TF_FLOAT, 2, 2, { 1000, 10 }, { 1000, 10 }, 3, ONE_HOT },       /* MNIST */
        { TF_FLOAT, 2, 2, { 1000, 10 }, { 1000, 10 }, 3, SOFT },
        { TF_FLOAT, 2, 2, { 7, 1 }, { 7, 1 }, 1, ONE_HOT },               /* one class */
        { TF_FLOAT, 2, 2, { 7, 1 }, { 7, 1 }, 1, SOFT },
        { TF_FLOAT, 2, 2, { 64, 10 }, { 64, 10 }, 1000, ONE_HOT },        /* logits of +-1000 */
        { TF_FLOAT, 2, 2, { 64, 10 }, { 64, 10 }, 1000, SOFT },
        { TF_FLOAT, 2, 2, { 0, 10 }, { 0, 10 }, 1, ONE_HOT },             /* empty batch */
        { TF_FLOAT, 2, 2, { 3, 0 }, { 3, 0 }, 1, SOFT },                  /* no classes: loss 0 */
        { TF_FLOAT, 2, 2, { 16, 1000 }, { 16, 1000 }, 5, SOFT },          /* a block per row */
        { TF_FLOAT, 2, 2, { 1000, 1000 }, { 1000, 1000 }, 5, ONE_HOT },   /* a million */
        { TF_FLOAT, 2, 2, { 2, 100000 }, { 2, 100000 }, 5, ONE_HOT },     /* long rows */
        { TF_FLOAT, 2, 1, { 6, 10 }, { 10 }, 2, SOFT },                   /* labels [classes] */
        { TF_FLOAT, 1, 2, { 10 }, { 6, 10 }, 2, SOFT },                   /* logits [classes] */
        { TF_FLOAT, 2, 2, { 1, 10 }, { 6, 10 }, 2, SOFT },                /* logits [1, classes] */
        { TF_FLOAT, 2, 2, { 6, 10 }, { 1, 10 }, 2, ONE_HOT },             /* labels [1, classes] */
        { TF_FLOAT, 2, 2, { 6, 1 }, { 6, 10 }, 2, SOFT },                 /* logits [rows, 1] */
        { TF_FLOAT, 2, 2, { 6, 10 }, { 6, 1 }, 2, SOFT },                 /* labels [rows, 1] */
        { TF_FLOAT, 2, 2, { 1, 10 }, { 6, 1 }, 2, SOFT },                 /* both broadcast */
        { TF_FLOAT, 2, 2, { 6, 1 }, { 1, 10 }, 2, ONE_HOT },
        { TF_FLOAT, 0, 2, { 0 }, { 6, 10 }, 2, SOFT },                    /* scalar logits */
        { TF_FLOAT, 2, 0, { 6, 10 }, { 0 }, 2, ONE_HOT },                 /* scalar label */
        { TF_FLOAT, 2, 2, { 5, 12 }, { 5, 12 }, 2, SOFT, true },          /* shapes unknown until run */
        { TF_DOUBLE, 2, 2, { 1000, 10 }, { 1000, 10 }, 3, SOFT },
        { TF_DOUBLE, 2, 2, { 64, 10 }, { 64, 10 }, 1000, SOFT },
        { TF_DOUBLE, 2, 2, { 7, 1 }, { 7, 1 }, 1, ONE_HOT },
        { TF_DOUBLE, 2, 2, { 0, 10 }, { 0, 10 }, 1, SOFT },
        { TF_DOUBLE, 2, 2, { 16, 1000 }, { 16, 1000 }, 5, SOFT },
        { TF_DOUBLE, 2, 1, { 6, 10 }, { 10 }, 2, SOFT },
        { TF_DOUBLE, 2, 2, { 1, 10 }, { 6, 1 }, 2, SOFT },
    };
    compare_outputs(build_xent, ok, LEN(ok), sizeof ok[0], offsetof(xent_case, out), "SoftmaxCrossEntropyWithLogits");
    const xent_case bad[] = {
        { TF_FLOAT, 1, 1, { 5 }, { 5 }, 1, SOFT, true },                 /* equal shapes, not matrices */
        { TF_FLOAT, 2, 2, { 4, 5 }, { 4, 6 }, 1, SOFT, true },           /* not broadcastable */
        { TF_FLOAT, 2, 2, { 4, 5 }, { 3, 5 }, 1, SOFT, true },
        { TF_DOUBLE, 2, 1, { 4, 5 }, { 3 }, 1, SOFT, true },
    };
    expect_cpu_errors(build_xent, bad, LEN(bad), sizeof bad[0], "SoftmaxCrossEntropyWithLogits");
}

/* ---- SparseSoftmaxCrossEntropyWithLogits ---- */

typedef struct sparse_case {
    TF_DataType dt, label_dt;
    int64_t rows, classes;
    double scale;
    int64_t bad_label;  /* when not 0: the last label is this */
    bool hide;          /* both ranks unknown to shape inference */
    int64_t label_rows; /* when not 0: the labels' length (then hide), else rows */
    int out;            /* which output to fetch (set by the test) */
} sparse_case;

static TF_Output build_sparse(TF_Graph *g, const char *device, const void *ctx)
{
    const sparse_case *c = ctx;
    const int64_t fd[2] = { c->rows, c->classes };
    int64_t n = c->label_rows ? c->label_rows : c->rows;
    double *fv = logit_values(c->rows * c->classes, c->scale, 51);
    double *lv = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    for (int64_t r = 0; r < n; r++) lv[r] = (double)(c->classes > 0 ? (r * 7 + 3) % c->classes : 0);
    if (c->bad_label && n > 0) lv[n - 1] = (double)c->bad_label;
    TF_Output in[2] = { values_as(g, "logits", fd, 2, fv, c->dt), values_as(g, "labels", &n, 1, lv, c->label_dt) };
    free(fv);
    free(lv);
    if (c->hide) {
        in[0] = unknown_rank(g, "logits_hidden", in[0], fd, 2);
        in[1] = unknown_rank(g, "labels_hidden", in[1], &n, 1);
    }
    return (TF_Output){ op_on(g, "SparseSoftmaxCrossEntropyWithLogits", "op", device, in, 2), c->out };
}

static void test_sparse_xent(void **state)
{
    (void)state;
    const sparse_case ok[] = {
        { TF_FLOAT, TF_INT32, 1, 10, 1 },             /* batch 1 */
        { TF_FLOAT, TF_INT64, 1000, 10, 3 },          /* MNIST */
        { TF_FLOAT, TF_INT32, 1000, 10, 3 },
        { TF_FLOAT, TF_INT32, 9, 1, 1 },              /* one class: loss 0 */
        { TF_FLOAT, TF_INT64, 64, 10, 1000 },         /* logits of +-1000 */
        { TF_FLOAT, TF_INT32, 0, 10, 1 },             /* empty batch */
        { TF_FLOAT, TF_INT64, 0, 10, 1 },
        { TF_FLOAT, TF_INT32, 16, 1000, 5 },          /* a block per row */
        { TF_FLOAT, TF_INT64, 1000, 1000, 5 },        /* a million */
        { TF_FLOAT, TF_INT32, 5, 12, 2, 0, true },    /* shapes unknown until run */
        { TF_DOUBLE, TF_INT32, 1000, 10, 3 },
        { TF_DOUBLE, TF_INT64, 64, 10, 1000 },
        { TF_DOUBLE, TF_INT64, 9, 1, 1 },
        { TF_DOUBLE, TF_INT32, 0, 10, 1 },
        { TF_DOUBLE, TF_INT64, 16, 1000, 5 },
    };
    compare_outputs(build_sparse, ok, LEN(ok), sizeof ok[0], offsetof(sparse_case, out),
                    "SparseSoftmaxCrossEntropyWithLogits");
    const sparse_case bad[] = {
        { TF_FLOAT, TF_INT32, 5, 10, 1, 10 },                /* label = classes */
        { TF_FLOAT, TF_INT64, 5, 10, 1, -1 },                /* negative */
        { TF_FLOAT, TF_INT64, 100, 10, 1, INT64_C(1) << 40 },/* the message lists labels up to "..." */
        { TF_DOUBLE, TF_INT32, 3, 4, 1, -7 },
        { TF_DOUBLE, TF_INT64, 1, 1, 1, 1 },
        { TF_FLOAT, TF_INT32, 3, 0, 1 },                     /* no classes */
        { TF_FLOAT, TF_INT32, 4, 5, 1, 0, true, 3 },         /* batch differs */
    };
    expect_cpu_errors(build_sparse, bad, LEN(bad), sizeof bad[0], "SparseSoftmaxCrossEntropyWithLogits");
}

/* ---- rank errors of both cross-entropies ---- */

typedef struct rank_case {
    const char *op;
    TF_DataType dt, label_dt; /* label_dt: dt for the dense op, int32 or int64 for the sparse one */
    int fnd, lnd;
    int64_t fd[3], ld[3];
} rank_case;

/* The op on logits and labels of any rank, both ranks hidden from shape inference. */
static TF_Output build_rank(TF_Graph *g, const char *device, const void *ctx)
{
    const rank_case *c = ctx;
    bool sparse = c->label_dt != c->dt;
    double *fv = logit_values(count_of(c->fd, c->fnd), 1, 71), *lv = logit_values(count_of(c->ld, c->lnd), 1, 72);
    for (int64_t i = 0; sparse && i < count_of(c->ld, c->lnd); i++) lv[i] = 0;
    TF_Output in[2] = { unknown_rank(g, "logits_hidden", values_as(g, "logits", c->fd, c->fnd, fv, c->dt), c->fd, c->fnd),
                        unknown_rank(g, "labels_hidden", values_as(g, "labels", c->ld, c->lnd, lv, c->label_dt), c->ld,
                                     c->lnd) };
    free(fv);
    free(lv);
    return out0(op_on(g, c->op, "op", device, in, 2));
}

static void test_rank_errors(void **state)
{
    (void)state;
    const rank_case bad[] = {
        { "SoftmaxCrossEntropyWithLogits", TF_FLOAT, TF_FLOAT, 3, 2, { 1, 2, 3 }, { 2, 3 } },
        { "SoftmaxCrossEntropyWithLogits", TF_DOUBLE, TF_DOUBLE, 3, 3, { 2, 2, 3 }, { 2, 2, 3 } },
        { "SoftmaxCrossEntropyWithLogits", TF_FLOAT, TF_FLOAT, 0, 0, { 0 }, { 0 } },
        { "SparseSoftmaxCrossEntropyWithLogits", TF_FLOAT, TF_INT32, 1, 1, { 5 }, { 5 } },
        { "SparseSoftmaxCrossEntropyWithLogits", TF_DOUBLE, TF_INT64, 3, 1, { 5, 2, 2 }, { 5 } },
        { "SparseSoftmaxCrossEntropyWithLogits", TF_FLOAT, TF_INT64, 2, 0, { 5, 2 }, { 0 } },
        { "SparseSoftmaxCrossEntropyWithLogits", TF_FLOAT, TF_INT32, 2, 2, { 5, 2 }, { 5, 1 } },
    };
    expect_cpu_errors(build_rank, bad, LEN(bad), sizeof bad[0], "cross-entropy rank");
}

/* ---- L2Loss ---- */

typedef struct l2_case {
    TF_DataType dt;
    int nd;
    int64_t dims[3];
    double scale;
} l2_case;

static TF_Output build_l2(TF_Graph *g, const char *device, const void *ctx)
{
    const l2_case *c = ctx;
    double *v = logit_values(count_of(c->dims, c->nd), c->scale, 61);
    TF_Output x = values_as(g, "x", c->dims, c->nd, v, c->dt);
    free(v);
    return out0(op_on(g, "L2Loss", "op", device, &x, 1));
}

static void test_l2_loss(void **state)
{
    (void)state;
    const l2_case ok[] = {
        { TF_FLOAT, 0, { 0 }, 3 },                 /* scalar */
        { TF_FLOAT, 1, { 0 }, 1 },                 /* empty: 0 */
        { TF_FLOAT, 1, { 1 }, 1 },
        { TF_FLOAT, 3, { 3, 5, 7 }, 2 },
        { TF_FLOAT, 2, { 1000, 1000 }, 1 },        /* a million: many blocks */
        { TF_FLOAT, 1, { 3000000 }, 1 },           /* more than one element a thread */
        { TF_FLOAT, 0, { 0 }, 2.2e19 },            /* a square past float's range, its half not */
        { TF_DOUBLE, 0, { 0 }, 3 },
        { TF_DOUBLE, 1, { 0 }, 1 },
        { TF_DOUBLE, 3, { 3, 5, 7 }, 2 },
        { TF_DOUBLE, 2, { 1000, 1000 }, 1 },
    };
    for (size_t i = 0; i < LEN(ok); i++) {
        char what[64];
        snprintf(what, sizeof what, "L2Loss case %zu", i);
        gpu_compare(build_l2, &ok[i], ok[i].dt == TF_FLOAT ? 1e-6 : 1e-12, 0, what);
    }
}

/* ---- comparisons ---- */

static const char *const compare_ops[] = { "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual" };

typedef struct compare_case {
    TF_DataType dt;
    int na, nb;
    int64_t a[8], b[8];
    bool nan;        /* some elements NaN, some of them in both operands */
    bool hide;       /* ranks unknown to shape inference (for incompatible shapes) */
    int shape_error; /* incompatible_shape_error of Equal / NotEqual: -1 default, 0 false, 1 true */
    const char *op;  /* set by the test */
} compare_case;

/* Small integers, so that the operands are often equal; NaN at some positions when asked. */
static double *compare_values(int64_t n, bool nan, uint32_t salt)
{
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    for (int64_t i = 0; i < n; i++) {
        v[i] = (double)((i * (3 + salt) + salt) % 5) - 2;
        if (nan && (i % 4 == 0 || i % (5 + salt) == 1)) v[i] = NAN;
    }
    return v;
}

static void set_shape_error(TF_OperationDescription *d, const void *ctx)
{
    const compare_case *c = ctx;
    if (c->shape_error >= 0) TF_SetAttrBool(d, "incompatible_shape_error", (unsigned char)c->shape_error);
}

static TF_Output build_compare(TF_Graph *g, const char *device, const void *ctx)
{
    const compare_case *c = ctx;
    double *av = compare_values(count_of(c->a, c->na), c->nan, 0), *bv = compare_values(count_of(c->b, c->nb), c->nan, 1);
    TF_Output in[2] = { values_as(g, "a", c->a, c->na, av, c->dt), values_as(g, "b", c->b, c->nb, bv, c->dt) };
    free(av);
    free(bv);
    if (c->hide) {
        in[0] = unknown_rank(g, "a_hidden", in[0], c->a, c->na);
        in[1] = unknown_rank(g, "b_hidden", in[1], c->b, c->nb);
    }
    bool equal_like = !strcmp(c->op, "Equal") || !strcmp(c->op, "NotEqual");
    return out0(op_with(g, c->op, "op", device, in, 2, equal_like ? set_shape_error : NULL, c));
}

static void test_compare(void **state)
{
    (void)state;
    const compare_case ok[] = {
        { TF_FLOAT, 2, 2, { 3, 4 }, { 3, 4 }, false, false, -1 },            /* same shape */
        { TF_FLOAT, 2, 2, { 3, 4 }, { 3, 4 }, true, false, -1 },             /* NaN */
        { TF_FLOAT, 0, 0, { 0 }, { 0 }, false, false, -1 },                  /* scalars */
        { TF_FLOAT, 0, 2, { 0 }, { 3, 4 }, true, false, -1 },                /* scalar a */
        { TF_FLOAT, 2, 0, { 3, 4 }, { 0 }, false, false, -1 },               /* scalar b */
        { TF_FLOAT, 2, 2, { 3, 1 }, { 1, 4 }, true, false, -1 },             /* outer product */
        { TF_FLOAT, 3, 2, { 2, 3, 4 }, { 3, 1 }, false, false, -1 },         /* lower rank b */
        { TF_FLOAT, 1, 3, { 4 }, { 2, 3, 4 }, false, false, -1 },            /* lower rank a */
        { TF_FLOAT, 3, 3, { 5, 1, 3 }, { 1, 4, 1 }, true, false, -1 },
        { TF_FLOAT, 3, 3, { 1, 1, 1 }, { 2, 1, 3 }, false, false, -1 },      /* size-1 dims */
        { TF_FLOAT, 8, 8, { 2, 1, 2, 1, 2, 1, 2, 1 }, { 1, 2, 1, 2, 1, 2, 1, 2 }, false, false, -1 }, /* 8 dims */
        { TF_FLOAT, 2, 1, { 0, 3 }, { 3 }, false, false, -1 },               /* empty */
        { TF_FLOAT, 2, 2, { 1000, 1000 }, { 1000, 1 }, true, false, -1 },    /* a million */
        { TF_FLOAT, 2, 2, { 3, 4 }, { 4, 3 }, false, true, 0 },              /* incompatible: a scalar */
        { TF_DOUBLE, 2, 2, { 3, 4 }, { 3, 4 }, true, false, -1 },
        { TF_DOUBLE, 2, 2, { 3, 1 }, { 1, 4 }, true, false, -1 },
        { TF_DOUBLE, 0, 3, { 0 }, { 2, 3, 4 }, false, false, -1 },
        { TF_DOUBLE, 3, 2, { 0, 3, 4 }, { 3, 4 }, false, false, -1 },
        { TF_DOUBLE, 1, 1, { 3 }, { 2 }, false, true, 0 },
        { TF_INT64, 1, 1, { 1000 }, { 1000 }, false, false, -1 },            /* MNIST's accuracy */
        { TF_INT64, 2, 1, { 3, 4 }, { 4 }, false, false, -1 },
        { TF_INT64, 0, 2, { 0 }, { 1000, 1000 }, false, false, -1 },
        { TF_INT64, 1, 1, { 3 }, { 2 }, false, true, 0 },
    };
    const compare_case bad[] = {
        { TF_FLOAT, 2, 2, { 3, 4 }, { 4, 3 }, false, true, -1 },             /* Incompatible shapes */
        { TF_DOUBLE, 1, 1, { 3 }, { 2 }, false, true, 1 },
        { TF_INT64, 2, 2, { 2, 3 }, { 3, 2 }, false, true, -1 },
    };
    for (size_t o = 0; o < LEN(compare_ops); o++) {
        bool equal_like = o < 2;
        for (size_t i = 0; i < LEN(ok); i++) {
            compare_case c = ok[i];
            c.op = compare_ops[o];
            if (c.shape_error == 0 && !equal_like) continue; /* only Equal-like ops have the attr */
            char what[96];
            snprintf(what, sizeof what, "%s case %zu", c.op, i);
            expect_cpu_result(build_compare, &c, what);
        }
        for (size_t i = 0; i < LEN(bad); i++) {
            compare_case c = bad[i];
            c.op = compare_ops[o];
            if (c.shape_error >= 0 && !equal_like) c.shape_error = -1;
            char what[96];
            snprintf(what, sizeof what, "%s error case %zu", c.op, i);
            expect_cpu_error(build_compare, &c, what);
        }
    }
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_loss")) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xent),
        cmocka_unit_test(test_sparse_xent),
        cmocka_unit_test(test_rank_errors),
        cmocka_unit_test(test_l2_loss),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
