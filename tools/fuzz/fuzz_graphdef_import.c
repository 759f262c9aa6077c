/* fuzz_graphdef_import: TF_GraphImportGraphDef on the input and, when the import succeeds and the
 * graph is small, one session step over it — the import-and-run path of DESIGN.md's security model.
 *
 * Work per input is bounded by the harness, not by the library (time and memory are the caller's
 * to bound): a run happens only when the graph has at most MAX_OPS ops, no op from a family that
 * touches files or blocks (checkpoints, queues, readers), and every output's shape — as shape
 * inference sees it — is fully known and small. Placeholders with a fully known shape are fed
 * zeros; the others are replaced (an input mapping on a second import) by zero constants with their
 * unknown dims set to 1, so shape inference sees concrete shapes downstream. The step fetches every
 * output of every op except the placeholders, under a RunOptions timeout. */
#include "fuzz_util.h"
#include "tfc/c_api.h"

#define MAX_OPS 256
#define MAX_FETCHES 512
#define MAX_ELEMS (1 << 14)  /* elements of one output */
#define MAX_TOTAL (1 << 18)  /* elements of all outputs together */
#define MAX_FEEDS 16
#define MAX_OUTPUTS 64

/* Op families a fuzz step must not run: they read or write files, or may block. */
static const char *const denied[] = { "Save", "Restore", "Checkpoint", "File", "Queue", "Reader", "Writer",
                                      "Print", "Barrier", "Stage", "Accumulator", "Dataset", "Iterator" };

typedef struct feed {
    TF_Operation *op;
    TF_DataType dtype;
    int64_t dims[8];
    int nd;
    int known; /* every dim known: feed it; else map it to a constant */
} feed;

/* TFC_FUZZ_VERBOSE=1 prints what happened to each input (for checking what the seeds reach). */
static void note(const char *what, TF_Status *st)
{
    static int verbose = -1;
    if (verbose < 0) verbose = getenv("TFC_FUZZ_VERBOSE") != NULL;
    if (verbose) fprintf(stderr, "graphdef_import: %s: %s\n", what, st ? TF_Message(st) : "");
}

static int is_denied(const char *type)
{
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++)
        if (strstr(type, denied[i])) return 1;
    return 0;
}

/* Element count of dims (-1 when too big); unknown dims count as 1. */
static int64_t elems(const int64_t *dims, int nd)
{
    int64_t n = 1;
    for (int i = 0; i < nd; i++) {
        int64_t d = dims[i] < 0 ? 1 : dims[i];
        if (d != 0 && n > MAX_ELEMS / d) return -1;
        n *= d;
    }
    return n;
}

/* Reads a placeholder's dtype and shape; 0 when it can be fed a bounded zero tensor. */
static int read_feed(TF_Operation *op, feed *f, TF_Status *st)
{
    memset(f, 0, sizeof *f);
    f->op = op;
    TF_OperationGetAttrType(op, "dtype", &f->dtype, st);
    if (TF_GetCode(st) != TF_OK) return -1;
    if (f->dtype == TF_STRING || f->dtype == TF_RESOURCE || f->dtype == TF_VARIANT || TF_DataTypeSize(f->dtype) == 0)
        return -1;
    TF_AttrMetadata md = TF_OperationGetAttrMetadata(op, "shape", st);
    int64_t rank = TF_GetCode(st) == TF_OK ? md.total_size : -1;
    if (rank > 8) return -1;
    f->nd = rank < 0 ? 0 : (int)rank;
    if (rank > 0) {
        TF_OperationGetAttrShape(op, "shape", f->dims, f->nd, st);
        if (TF_GetCode(st) != TF_OK) return -1;
    }
    f->known = rank >= 0;
    for (int i = 0; i < f->nd; i++) {
        if (f->dims[i] < 0) f->known = 0;
        if (f->dims[i] < 0) f->dims[i] = 1;
    }
    return elems(f->dims, f->nd) < 0 ? -1 : 0;
}

static TF_Tensor *zeros(const feed *f)
{
    size_t n = (size_t)elems(f->dims, f->nd) * TF_DataTypeSize(f->dtype);
    TF_Tensor *t = TF_AllocateTensor(f->dtype, f->dims, f->nd, n);
    if (t && n) memset(TF_TensorData(t), 0, n);
    return t;
}

/* Collects the placeholders of g; -1 when the graph should not run. */
static int scan_graph(TF_Graph *g, feed *feeds, int *nfeeds, TF_Status *st)
{
    size_t pos = 0;
    int nops = 0;
    *nfeeds = 0;
    for (TF_Operation *op; (op = TF_GraphNextOperation(g, &pos));) {
        const char *type = TF_OperationOpType(op);
        if (++nops > MAX_OPS || is_denied(type)) return -1;
        if (strcmp(type, "Placeholder") != 0) continue;
        if (*nfeeds == MAX_FEEDS || read_feed(op, &feeds[*nfeeds], st)) return -1;
        (*nfeeds)++;
    }
    return 0;
}

/* Ops whose output size follows from their input VALUES (a shape, a count, a multiple): when
 * shape inference cannot tell their output shape, nothing bounds it. */
static const char *const value_sized[] = { "Fill", "Tile", "Pad", "Range", "BroadcastTo", "OneHot", "Unsorted",
                                           "StridedSliceGrad", "Backprop", "AvgPoolGrad", "DynamicStitch",
                                           "Random", "TruncatedNormal", "Multinomial", "Empty", "Zeros", "Scatter",
                                           "ToDense", "Resize", "Shuffle" };

static int is_value_sized(const char *type)
{
    for (size_t i = 0; i < sizeof value_sized / sizeof *value_sized; i++)
        if (strstr(type, value_sized[i])) return 1;
    return 0;
}

typedef struct sized_op {
    TF_Operation *op;
    int64_t est[MAX_OUTPUTS]; /* upper bound on the elements of each output */
} sized_op;

/* The element bound of input i of op, from the ops seen before it (the graph is in creation order,
 * so inputs come first); -1 when unknown. */
static int64_t input_bound(const sized_op *ops, int nops, TF_Operation *op, int i)
{
    TF_Output src = TF_OperationInput((TF_Input){ op, i });
    for (int k = 0; k < nops; k++)
        if (ops[k].op == src.oper) return src.index < MAX_OUTPUTS ? ops[k].est[src.index] : -1;
    return -1;
}

/* An upper bound on the elements of output o (-1: unbounded or too big). A fully known shape gives
 * the exact count; otherwise, for an op whose size does not depend on input values, the product
 * of its inputs' bounds bounds broadcasting, MatMul, Where and the like. */
static int64_t output_bound(TF_Graph *g, const sized_op *ops, int nops, TF_Output o, TF_Status *st)
{
    int64_t dims[16];
    int nd = TF_GraphGetTensorNumDims(g, o, st);
    if (TF_GetCode(st) != TF_OK || nd > 16) return -1;
    int known = nd >= 0;
    if (known) {
        TF_GraphGetTensorShape(g, o, dims, nd, st);
        if (TF_GetCode(st) != TF_OK) return -1;
        for (int d = 0; d < nd; d++) known &= dims[d] >= 0;
    }
    if (known) return elems(dims, nd);
    if (is_value_sized(TF_OperationOpType(o.oper))) return -1;
    int64_t b = 1;
    for (int i = 0; i < TF_OperationNumInputs(o.oper); i++) {
        int64_t e = input_bound(ops, nops, o.oper, i);
        if (e < 0) return -1;
        if (e > 1 && b > MAX_TOTAL / e) return -1;
        b *= e > 1 ? e : 1;
    }
    return b;
}

/* Collects every fetchable output of g (placeholders excluded); -1 when some output is unbounded. */
static int collect_fetches(TF_Graph *g, TF_Output *fetches, int *nfetch, TF_Status *st)
{
    static sized_op ops[MAX_OPS];
    size_t pos = 0;
    int64_t total = 0;
    int nops = 0;
    *nfetch = 0;
    for (TF_Operation *op; (op = TF_GraphNextOperation(g, &pos));) {
        int nout = TF_OperationNumOutputs(op);
        if (nops == MAX_OPS || nout > MAX_OUTPUTS) return -1;
        sized_op *so = &ops[nops];
        so->op = op;
        int is_ph = strcmp(TF_OperationOpType(op), "Placeholder") == 0;
        for (int i = 0; i < nout; i++) {
            TF_Output o = { op, i };
            TF_DataType dt = TF_OperationOutputType(o);
            so->est[i] = dt == TF_RESOURCE || dt == TF_VARIANT ? 1 : output_bound(g, ops, nops, o, st);
            if (so->est[i] < 0 || (total += so->est[i]) > MAX_TOTAL) {
                note(TF_OperationName(op), NULL);
                return -1;
            }
            if (is_ph || dt == TF_RESOURCE || dt == TF_VARIANT) continue;
            if (*nfetch == MAX_FETCHES) return -1;
            fetches[(*nfetch)++] = o;
        }
        nops++;
    }
    return 0;
}

/* One step on g: feeds the known-shape placeholders, fetches every bounded output. */
static void run_graph(TF_Graph *g, feed *feeds, int nfeeds, TF_Status *st)
{
    static TF_Output fetches[MAX_FETCHES];
    static TF_Tensor *outs[MAX_FETCHES];
    TF_Output in[MAX_FEEDS];
    TF_Tensor *vals[MAX_FEEDS];
    int nin = 0, nfetch = 0;
    if (collect_fetches(g, fetches, &nfetch, st)) {
        note("not run: an output is unbounded", NULL);
        return;
    }
    for (int i = 0; i < nfeeds; i++) {
        if (!feeds[i].known) continue;
        in[nin] = (TF_Output){ feeds[i].op, 0 };
        if (!(vals[nin] = zeros(&feeds[i]))) abort();
        nin++;
    }
    TF_SessionOptions *so = TF_NewSessionOptions();
    TFC_SessionOptionsSetIntraOpThreads(so, 1);
    TFC_SessionOptionsSetInterOpThreads(so, 1);
    TF_Session *s = TF_NewSession(g, so, st);
    /* RunOptions { timeout_in_ms: 2000 } */
    static const unsigned char ro_bytes[] = { 0x10, 0xd0, 0x0f };
    TF_Buffer ro = { ro_bytes, sizeof ro_bytes, NULL };
    if (s) {
        TF_SessionRun(s, &ro, in, vals, nin, fetches, outs, nfetch, NULL, 0, NULL, st);
        note(TF_GetCode(st) == TF_OK ? "ran" : "run failed", st);
        for (int i = 0; i < nfetch; i++) TF_DeleteTensor(outs[i]);
        TF_DeleteSession(s, st);
    }
    for (int i = 0; i < nin; i++) TF_DeleteTensor(vals[i]);
    TF_DeleteSessionOptions(so);
}

/* A second graph where the unknown-shape placeholders read zero constants instead. */
static TF_Graph *remap_graph(const TF_Buffer *def, feed *feeds, int nfeeds, TF_Status *st)
{
    TF_Graph *g = TF_NewGraph();
    TF_ImportGraphDefOptions *io = TF_NewImportGraphDefOptions();
    int ok = 1;
    for (int i = 0; ok && i < nfeeds; i++) {
        if (feeds[i].known) continue;
        char name[32];
        snprintf(name, sizeof name, "fuzz_zero_%d", i);
        TF_OperationDescription *d = TF_NewOperation(g, "Const", name);
        TF_Tensor *t = zeros(&feeds[i]);
        if (!t) abort();
        TF_SetAttrTensor(d, "value", t, st);
        TF_SetAttrType(d, "dtype", feeds[i].dtype);
        TF_Operation *c = TF_FinishOperation(d, st);
        TF_DeleteTensor(t);
        ok = c != NULL;
        if (ok) TF_ImportGraphDefOptionsAddInputMapping(io, TF_OperationName(feeds[i].op), 0, (TF_Output){ c, 0 });
    }
    if (ok) TF_GraphImportGraphDef(g, def, io, st);
    TF_DeleteImportGraphDefOptions(io);
    if (!ok || TF_GetCode(st) != TF_OK) {
        TF_DeleteGraph(g);
        return NULL;
    }
    return g;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    TF_Status *st = TF_NewStatus();
    TF_Graph *g = TF_NewGraph();
    TF_Buffer def = { data, size, NULL };
    TF_ImportGraphDefOptions *io = TF_NewImportGraphDefOptions();
    TF_GraphImportGraphDef(g, &def, io, st);
    TF_DeleteImportGraphDefOptions(io);
    feed feeds[MAX_FEEDS];
    int nfeeds = 0;
    if (TF_GetCode(st) != TF_OK) note("import failed", st);
    else if (scan_graph(g, feeds, &nfeeds, st)) note("not run: too big, a denied op or a bad placeholder", NULL);
    else {
        int all_known = 1;
        for (int i = 0; i < nfeeds; i++) all_known &= feeds[i].known;
        if (all_known) {
            run_graph(g, feeds, nfeeds, st);
        } else {
            TF_Graph *g2 = remap_graph(&def, feeds, nfeeds, st);
            int n2 = 0;
            /* the feeds now point into g2 */
            if (g2 && scan_graph(g2, feeds, &n2, st) == 0) run_graph(g2, feeds, n2, st);
            TF_DeleteGraph(g2);
        }
    }
    TF_DeleteGraph(g);
    TF_DeleteStatus(st);
    return 0;
}
