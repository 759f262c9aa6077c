/* predict: `iris predict` — import the saved GraphDef into a fresh graph, restore the checkpoint
 * and print predictions; and the prediction printer `iris train` uses too, so both print the
 * same lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iris.h"
#include "model_files.h"

const float iris_classic_examples[3][IRIS_FEATURES] = {
    { 5.1f, 3.3f, 1.7f, 0.5f },
    { 5.9f, 3.0f, 4.2f, 1.5f },
    { 6.9f, 3.1f, 5.4f, 2.1f },
};

int iris_check(TF_Status *status, const char *what)
{
    if (TF_GetCode(status) == TF_OK) return 0;
    fprintf(stderr, "iris: %s: %s\n", what, TF_Message(status));
    return 1;
}

static void no_free(void *data, size_t len, void *arg) { (void)data, (void)len, (void)arg; }

static void print_one(const float *x, const float *p, const TF_TString *names)
{
    int best = 0;
    for (int k = 1; k < IRIS_CLASSES; k++)
        if (p[k] > p[best]) best = k;
    printf("predict %g,%g,%g,%g -> %.*s (%.4f) [", x[0], x[1], x[2], x[3],
           (int)TF_TString_GetSize(&names[best]), TF_TString_GetDataPointer(&names[best]), p[best]);
    for (int k = 0; k < IRIS_CLASSES; k++)
        printf("%s%.*s %.6f", k ? ", " : "", (int)TF_TString_GetSize(&names[k]),
               TF_TString_GetDataPointer(&names[k]), p[k]);
    printf("]\n");
}

int iris_print_predictions(TF_Session *s, const iris_model *m, const float *x, int n, TF_Status *status)
{
    int64_t dims[2] = { n, IRIS_FEATURES };
    TF_Tensor *in = TF_NewTensor(TF_FLOAT, dims, 2, (void *)x, (size_t)n * IRIS_FEATURES * sizeof(float),
                                 no_free, NULL);
    TF_Output fetch[2] = { m->probs, m->class_names };
    TF_Tensor *out[2] = { NULL, NULL };
    int rc = 1;
    if (!in) {
        fprintf(stderr, "iris: cannot make the features tensor\n");
        return 1;
    }
    TF_SessionRun(s, NULL, &m->features, &in, 1, fetch, out, 2, NULL, 0, NULL, status);
    if (iris_check(status, "predict")) goto done;
    if (TF_TensorType(out[0]) != TF_FLOAT || TF_TensorElementCount(out[0]) != (int64_t)n * IRIS_CLASSES ||
        TF_TensorType(out[1]) != TF_STRING || TF_TensorElementCount(out[1]) != IRIS_CLASSES) {
        fprintf(stderr, "iris: the model's outputs have unexpected types or shapes\n");
        goto done;
    }
    const float *p = TF_TensorData(out[0]);
    for (int i = 0; i < n; i++) print_one(&x[i * IRIS_FEATURES], &p[i * IRIS_CLASSES], TF_TensorData(out[1]));
    rc = 0;
done:
    TF_DeleteTensor(in);
    TF_DeleteTensor(out[0]);
    TF_DeleteTensor(out[1]);
    return rc;
}

/* Imports dir/graph.pb into m->graph, opens a session, creates the variables and restores them. */
static TF_Session *load(const char *dir, iris_model *m, TF_Status *status)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, IRIS_GRAPH_FILE);
    if (ex_import_graph(m->graph, path, status) || iris_find(m, status)) {
        iris_check(status, path);
        return NULL;
    }
    TF_Session *s = ex_session(m->graph, 1, status);
    if (iris_check(status, "TF_NewSession")) return NULL;
    snprintf(path, sizeof path, "%s/%s", dir, IRIS_CKPT_PREFIX);
    if (ex_init_and_restore(s, m->init, path, status)) {
        iris_check(status, path);
        ex_close_session(s);
        return NULL;
    }
    return s;
}

int iris_predict(const iris_options *o, const float *x, int n)
{
    TF_Status *status = TF_NewStatus();
    iris_model m = { .graph = TF_NewGraph() };
    TF_Session *s = load(o->model_dir, &m, status);
    int rc = s ? iris_print_predictions(s, &m, x, n, status) : 1;
    ex_close_session(s);
    TF_DeleteGraph(m.graph);
    TF_DeleteStatus(status);
    return rc;
}
