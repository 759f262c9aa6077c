/* test_gpu_layout: the GPU's data-movement and batched-product kernels against the CPU's.
 * Every case builds the same graph with the op under test on GPU:0 and on CPU:0 and compares the
 * outputs: Transpose over every collapsed form (2-D and batched tiles, any permutation, the
 * order-keeping permutations that give views), ConcatV2 over each axis with empty inputs,
 * GatherV2 with every index type, axis and batch_dims, Tile and BroadcastTo (bit for bit: nothing
 * is computed), and BatchMatMulV2 with adjoints and every batch broadcast, the strided and the
 * pointer-array cuBLAS paths (within rounding). Tensors of a million elements, scalars and empty tensors too. Errors
 * that only the kernels can see (values hidden from shape inference, out-of-range indices) must be
 * the CPU's, code and message. Exits 77 (ctest: skipped) without a GPU. */
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

/* A GPU consumer of y when the op ran there (Neg), so a view or a copy is read on the device. */
static TF_Output consume(TF_Graph *g, const char *device, TF_Output y, TF_DataType dt)
{
    return dt == TF_FLOAT ? out0(op_on(g, "Neg", "use", device, &y, 1)) : y;
}

/* ---- Transpose ---- */

typedef struct transpose_case {
    TF_DataType dt;
    int nd;
    int64_t dims[6];
    int64_t perm[6];
    TF_DataType perm_dt;
} transpose_case;

static TF_Output build_transpose(TF_Graph *g, const char *device, const void *ctx)
{
    const transpose_case *c = ctx;
    TF_Output in[2] = { typed_random(g, "x", c->dims, c->nd, c->dt, 11), ints_as(g, "perm", c->perm, c->nd, c->perm_dt) };
    return consume(g, device, out0(op_on(g, "Transpose", "op", device, in, 2)), c->dt);
}

static void test_transpose(void **state)
{
    (void)state;
    const transpose_case ok[] = {
        { TF_FLOAT, 2, { 37, 53 }, { 1, 0 }, TF_INT32 },          /* tiles, edges not a multiple */
        { TF_FLOAT, 2, { 1000, 1000 }, { 1, 0 }, TF_INT32 },      /* a million elements */
        { TF_FLOAT, 3, { 4, 33, 65 }, { 0, 2, 1 }, TF_INT64 },    /* batched tiles */
        { TF_FLOAT, 4, { 2, 3, 4, 5 }, { 0, 1, 3, 2 }, TF_INT32 },/* collapses to [6, 4, 5] */
        { TF_FLOAT, 3, { 3, 4, 5 }, { 2, 0, 1 }, TF_INT32 },      /* collapses to [12, 5] -> [5, 12] */
        { TF_FLOAT, 3, { 3, 4, 5 }, { 1, 0, 2 }, TF_INT32 },      /* any permutation */
        { TF_FLOAT, 4, { 2, 3, 4, 5 }, { 3, 1, 2, 0 }, TF_INT32 },
        { TF_FLOAT, 4, { 32, 28, 28, 3 }, { 0, 3, 1, 2 }, TF_INT32 }, /* NHWC -> NCHW */
        { TF_FLOAT, 6, { 2, 3, 2, 3, 2, 3 }, { 5, 4, 3, 2, 1, 0 }, TF_INT64 },
        { TF_FLOAT, 3, { 4, 5, 6 }, { 0, 1, 2 }, TF_INT32 },      /* identity: a view */
        { TF_FLOAT, 3, { 1, 7, 1 }, { 2, 1, 0 }, TF_INT32 },      /* size-1 dims: order kept, a view */
        { TF_FLOAT, 0, { 0 }, { 0 }, TF_INT32 },                  /* scalar, empty perm */
        { TF_FLOAT, 2, { 0, 3 }, { 1, 0 }, TF_INT32 },            /* empty */
        { TF_DOUBLE, 2, { 37, 53 }, { 1, 0 }, TF_INT32 },
        { TF_DOUBLE, 3, { 4, 33, 65 }, { 0, 2, 1 }, TF_INT32 },
        { TF_DOUBLE, 4, { 2, 3, 4, 5 }, { 3, 1, 2, 0 }, TF_INT64 },
    };
    expect_cpu_results(build_transpose, ok, LEN(ok), sizeof ok[0], "Transpose");
    const transpose_case bad[] = {
        { TF_FLOAT, 2, { 3, 4 }, { 0, 0 }, TF_INT32 },    /* not a permutation */
        { TF_FLOAT, 2, { 3, 4 }, { 0, 2 }, TF_INT32 },    /* out of range */
        { TF_FLOAT, 3, { 3, 4, 5 }, { 2, -1, 0 }, TF_INT64 },
    };
    expect_cpu_errors(build_transpose, bad, LEN(bad), sizeof bad[0], "Transpose");
}

/* ---- ConcatV2 ---- */

typedef struct concat_case {
    TF_DataType dt;
    int n, nd;
    int64_t dims[4][4]; /* the inputs' */
    int64_t axis;
    TF_DataType axis_dt;
    bool hide; /* the inputs' shapes unknown to shape inference */
} concat_case;

static TF_Output build_concat(TF_Graph *g, const char *device, const void *ctx)
{
    const concat_case *c = ctx;
    TF_Output in[4];
    for (int i = 0; i < c->n; i++) {
        char name[16], hidden[16];
        snprintf(name, sizeof name, "v%d", i);
        snprintf(hidden, sizeof hidden, "v%d_hidden", i);
        in[i] = typed_random(g, name, c->dims[i], c->nd, c->dt, 20 + (uint32_t)i);
        if (c->hide) in[i] = unknown_shape(g, hidden, in[i], c->dims[i], c->nd);
    }
    TF_Status *s = TF_NewStatus();
    TF_OperationDescription *d = TF_NewOperation(g, "ConcatV2", "op");
    TF_AddInputList(d, in, c->n);
    TF_AddInput(d, int_scalar(g, "axis", c->axis, c->axis_dt));
    TF_SetDevice(d, device);
    TF_Operation *op = TF_FinishOperation(d, s);
    assert_ok(s);
    TF_DeleteStatus(s);
    return consume(g, device, out0(op), c->dt);
}

static void test_concat(void **state)
{
    (void)state;
    const concat_case ok[] = {
        { TF_FLOAT, 2, 2, { { 3, 4 }, { 5, 4 } }, 0, TF_INT32 },
        { TF_FLOAT, 3, 2, { { 3, 4 }, { 3, 1 }, { 3, 7 } }, 1, TF_INT32 },
        { TF_FLOAT, 3, 3, { { 2, 3, 4 }, { 2, 5, 4 }, { 2, 1, 4 } }, 1, TF_INT64 },      /* middle axis */
        { TF_FLOAT, 2, 3, { { 2, 3, 4 }, { 2, 3, 6 } }, -1, TF_INT32 },                  /* negative axis */
        { TF_FLOAT, 3, 2, { { 3, 4 }, { 3, 0 }, { 3, 2 } }, 1, TF_INT32 },               /* an empty input */
        { TF_FLOAT, 2, 2, { { 0, 4 }, { 0, 4 } }, 0, TF_INT32 },                         /* all empty */
        { TF_FLOAT, 2, 1, { { 500000 }, { 500000 } }, 0, TF_INT32 },                     /* a million */
        { TF_FLOAT, 4, 2, { { 1000, 100 }, { 1000, 50 }, { 1000, 1 }, { 1000, 349 } }, 1, TF_INT32 },
        { TF_FLOAT, 2, 4, { { 2, 3, 4, 5 }, { 2, 3, 4, 5 } }, 3, TF_INT32, true },
        { TF_DOUBLE, 3, 2, { { 3, 4 }, { 3, 1 }, { 3, 7 } }, 1, TF_INT32 },
        { TF_DOUBLE, 2, 3, { { 2, 3, 4 }, { 5, 3, 4 } }, 0, TF_INT64, true },
    };
    expect_cpu_results(build_concat, ok, LEN(ok), sizeof ok[0], "ConcatV2");
    const concat_case bad[] = {
        { TF_FLOAT, 2, 2, { { 3, 4 }, { 5, 3 } }, 0, TF_INT32, true },  /* other dims differ */
        { TF_FLOAT, 2, 2, { { 3, 4 }, { 3, 4 } }, 2, TF_INT32, true },  /* axis out of range */
        { TF_FLOAT, 2, 2, { { 3, 4 }, { 3, 4 } }, -3, TF_INT64, true },
    };
    expect_cpu_errors(build_concat, bad, LEN(bad), sizeof bad[0], "ConcatV2");
}

/* ---- GatherV2 ---- */

typedef struct gather_case {
    TF_DataType dt, index_dt;
    int np, ni;
    int64_t params[4], indices[3];
    int64_t axis, batch_dims;
    int64_t bad_index; /* when not 0: the last index is this */
} gather_case;

static void set_batch_dims(TF_OperationDescription *d, const void *ctx)
{
    TF_SetAttrInt(d, "batch_dims", *(const int64_t *)ctx);
}

static TF_Output build_gather(TF_Graph *g, const char *device, const void *ctx)
{
    const gather_case *c = ctx;
    int64_t n = 1;
    for (int i = 0; i < c->ni; i++) n *= c->indices[i];
    int64_t gather_dim = c->params[c->axis < 0 ? c->axis + c->np : c->axis];
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    for (int64_t i = 0; i < n; i++) v[i] = (double)((i * 7 + 3) % gather_dim); /* repeats and every order */
    if (c->bad_index && n > 0) v[n - 1] = (double)c->bad_index;
    TF_Output in[3] = { typed_random(g, "params", c->params, c->np, c->dt, 30),
                        values_as(g, "indices", c->indices, c->ni, v, c->index_dt),
                        int_scalar(g, "axis", c->axis, TF_INT32) };
    free(v);
    TF_Output y = out0(op_with(g, "GatherV2", "op", device, in, 3, set_batch_dims, &c->batch_dims));
    return consume(g, device, y, c->dt);
}

static void test_gather(void **state)
{
    (void)state;
    const gather_case ok[] = {
        { TF_FLOAT, TF_INT32, 2, 1, { 10, 4 }, { 5 }, 0, 0 },
        { TF_FLOAT, TF_INT64, 2, 2, { 10, 4 }, { 3, 6 }, 0, 0 },
        { TF_FLOAT, TF_INT16, 2, 1, { 10, 4 }, { 9 }, 1, 0 },          /* axis 1 */
        { TF_FLOAT, TF_INT32, 3, 1, { 3, 5, 4 }, { 7 }, -1, 0 },       /* negative axis */
        { TF_FLOAT, TF_INT32, 3, 0, { 3, 5, 4 }, { 0 }, 1, 0 },        /* scalar index */
        { TF_FLOAT, TF_INT32, 3, 2, { 3, 5, 4 }, { 3, 2 }, 1, 1 },     /* batch_dims 1 */
        { TF_FLOAT, TF_INT64, 4, 3, { 2, 3, 5, 4 }, { 2, 3, 4 }, 2, 2 },/* batch_dims 2 */
        { TF_FLOAT, TF_INT32, 2, 1, { 10, 4 }, { 0 }, 0, 0 },          /* no indices */
        { TF_FLOAT, TF_INT32, 2, 1, { 60000, 16 }, { 65536 }, 0, 0 },  /* a million out */
        { TF_DOUBLE, TF_INT32, 2, 1, { 10, 4 }, { 5 }, 1, 0 },
        { TF_DOUBLE, TF_INT64, 3, 2, { 3, 5, 4 }, { 3, 2 }, 1, 1 },
    };
    expect_cpu_results(build_gather, ok, LEN(ok), sizeof ok[0], "GatherV2");
    const gather_case bad[] = {
        { TF_FLOAT, TF_INT32, 2, 1, { 10, 4 }, { 5 }, 0, 0, 10 },      /* index = the gather dim */
        { TF_FLOAT, TF_INT64, 2, 2, { 10, 4 }, { 3, 2 }, 1, 0, -1 },   /* negative index */
        { TF_FLOAT, TF_INT16, 3, 2, { 3, 5, 4 }, { 3, 2 }, 1, 1, 99 },
    };
    expect_cpu_errors(build_gather, bad, LEN(bad), sizeof bad[0], "GatherV2");
}

/* ---- Tile and BroadcastTo ---- */

typedef struct tile_case {
    const char *op;
    TF_DataType dt;
    int nd, nm;      /* input rank, multiples / shape length */
    int64_t dims[4];
    int64_t m[5];    /* Tile: multiples; BroadcastTo: the shape */
    bool hide;       /* the input's shape unknown to shape inference */
} tile_case;

static TF_Output build_tile(TF_Graph *g, const char *device, const void *ctx)
{
    const tile_case *c = ctx;
    TF_Output x = typed_random(g, "x", c->dims, c->nd, c->dt, 70);
    if (c->hide) x = unknown_shape(g, "x_hidden", x, c->dims, c->nd);
    TF_Output in[2] = { x, ints_as(g, "m", c->m, c->nm, TF_INT32) };
    return consume(g, device, out0(op_on(g, c->op, "op", device, in, 2)), c->dt);
}

static void test_tile_and_broadcast(void **state)
{
    (void)state;
    const tile_case ok[] = {
        { "Tile", TF_FLOAT, 2, 2, { 3, 4 }, { 2, 3 } },
        { "Tile", TF_FLOAT, 3, 3, { 2, 1, 5 }, { 1, 4, 1 } },       /* size-1 dim tiled */
        { "Tile", TF_FLOAT, 1, 1, { 7 }, { 0 } },                    /* multiple 0: empty */
        { "Tile", TF_FLOAT, 0, 0, { 0 }, { 0 } },                    /* scalar */
        { "Tile", TF_FLOAT, 2, 2, { 1000, 10 }, { 10, 10 } },        /* a million */
        { "Tile", TF_DOUBLE, 4, 4, { 2, 3, 1, 2 }, { 2, 1, 3, 2 } },
        { "BroadcastTo", TF_FLOAT, 2, 2, { 1, 4 }, { 3, 4 } },
        { "BroadcastTo", TF_FLOAT, 1, 3, { 4 }, { 2, 3, 4 } },       /* new leading dims */
        { "BroadcastTo", TF_FLOAT, 3, 3, { 2, 1, 1 }, { 2, 5, 3 } },
        { "BroadcastTo", TF_FLOAT, 0, 2, { 0 }, { 1000, 1000 } },    /* a scalar to a million */
        { "BroadcastTo", TF_FLOAT, 2, 2, { 3, 4 }, { 3, 4 } },       /* nothing to broadcast */
        { "BroadcastTo", TF_FLOAT, 2, 3, { 1, 4 }, { 0, 5, 4 } },    /* empty */
        { "BroadcastTo", TF_DOUBLE, 4, 5, { 3, 1, 4, 1 }, { 2, 3, 2, 4, 3 }, true },
    };
    expect_cpu_results(build_tile, ok, LEN(ok), sizeof ok[0], "Tile/BroadcastTo");
    const tile_case bad[] = {
        { "Tile", TF_FLOAT, 2, 2, { 3, 4 }, { 2, -1 } },              /* negative multiple */
        { "BroadcastTo", TF_FLOAT, 2, 2, { 3, 4 }, { 3, 5 }, true },  /* not broadcastable */
    };
    expect_cpu_errors(build_tile, bad, LEN(bad), sizeof bad[0], "Tile/BroadcastTo");
}

/* ---- BatchMatMulV2 ---- */

typedef struct bmm_case {
    TF_DataType dt;
    int nx, ny;
    int64_t x[5], y[5];
    bool adj_x, adj_y, hide;
} bmm_case;

static void set_adjoints(TF_OperationDescription *d, const void *ctx)
{
    const bmm_case *c = ctx;
    TF_SetAttrBool(d, "adj_x", c->adj_x);
    TF_SetAttrBool(d, "adj_y", c->adj_y);
}

static TF_Output build_bmm(TF_Graph *g, const char *device, const void *ctx)
{
    const bmm_case *c = ctx;
    TF_Output in[2] = { typed_random(g, "x", c->x, c->nx, c->dt, 40), typed_random(g, "y", c->y, c->ny, c->dt, 41) };
    if (c->hide) {
        in[0] = unknown_shape(g, "x_hidden", in[0], c->x, c->nx);
        in[1] = unknown_shape(g, "y_hidden", in[1], c->y, c->ny);
    }
    return out0(op_with(g, "BatchMatMulV2", "op", device, in, 2, set_adjoints, c));
}

static void bmm_compare(const bmm_case *c, const char *what)
{
    /* float sums of up to 256 products in [-1, 1), in another order on each device */
    double tol = c->dt == TF_FLOAT ? 1e-4 : 1e-12;
    gpu_compare(build_bmm, c, tol, tol, what);
}

static void test_batch_matmul(void **state)
{
    (void)state;
    const bmm_case ok[] = {
        { TF_FLOAT, 3, 3, { 3, 4, 5 }, { 3, 5, 6 } },
        { TF_FLOAT, 3, 3, { 3, 5, 4 }, { 3, 5, 6 }, true, false },
        { TF_FLOAT, 3, 3, { 3, 4, 5 }, { 3, 6, 5 }, false, true },
        { TF_FLOAT, 3, 3, { 3, 5, 4 }, { 3, 6, 5 }, true, true },
        { TF_FLOAT, 2, 2, { 7, 9 }, { 9, 3 } },                         /* no batch */
        { TF_FLOAT, 4, 2, { 2, 3, 4, 5 }, { 5, 6 } },                   /* y broadcast whole: stride 0 */
        { TF_FLOAT, 3, 3, { 1, 4, 5 }, { 7, 5, 6 } },                   /* x broadcast whole */
        { TF_FLOAT, 4, 4, { 2, 1, 4, 5 }, { 1, 3, 5, 6 } },             /* both: pointer arrays */
        { TF_FLOAT, 5, 3, { 2, 1, 3, 4, 5 }, { 3, 6, 5 }, false, true, true },
        { TF_FLOAT, 4, 4, { 2, 3, 5, 4 }, { 2, 1, 5, 6 }, true, false, true },
        { TF_FLOAT, 3, 3, { 0, 4, 5 }, { 0, 5, 6 } },                   /* no matrices */
        { TF_FLOAT, 3, 3, { 3, 4, 0 }, { 3, 0, 6 } },                   /* k = 0: zeros */
        { TF_FLOAT, 3, 3, { 16, 128, 256 }, { 16, 256, 64 } },          /* large enough to tile */
        { TF_DOUBLE, 3, 3, { 3, 5, 4 }, { 3, 6, 5 }, true, true },
        { TF_DOUBLE, 4, 4, { 2, 1, 4, 5 }, { 1, 3, 5, 6 } },
    };
    for (size_t i = 0; i < LEN(ok); i++) {
        char what[64];
        snprintf(what, sizeof what, "BatchMatMulV2 case %zu", i);
        bmm_compare(&ok[i], what);
    }
    const bmm_case bad[] = {
        { TF_FLOAT, 3, 3, { 2, 4, 5 }, { 3, 5, 6 }, .hide = true },    /* batch dims 2 vs 3 */
        { TF_FLOAT, 3, 3, { 3, 4, 5 }, { 3, 4, 6 }, .hide = true },    /* inner dims 5 vs 4 */
    };
    expect_cpu_errors(build_bmm, bad, LEN(bad), sizeof bad[0], "BatchMatMulV2");
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_layout")) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transpose),
        cmocka_unit_test(test_concat),
        cmocka_unit_test(test_gather),
        cmocka_unit_test(test_tile_and_broadcast),
        cmocka_unit_test(test_batch_matmul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
