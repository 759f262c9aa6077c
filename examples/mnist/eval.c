/* eval: `mnist eval` — a fresh process imports the GraphDef `mnist train` saved, restores its
 * checkpoint and reports the accuracy on a test set (e.g. ../shared/data/mnist-test, MNIST's 10k
 * test images, for a model trained on MNIST). */
#include <stdio.h>
#include <stdlib.h>

#include "mnist.h"

static TF_Buffer *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    TF_Buffer *buf = NULL;
    long len = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
    char *data = len > 0 ? malloc((size_t)len) : NULL;
    if (data && fseek(f, 0, SEEK_SET) == 0 && fread(data, 1, (size_t)len, f) == (size_t)len)
        buf = TF_NewBufferFromString(data, (size_t)len);
    else
        fprintf(stderr, "mnist: cannot read %s\n", path);
    free(data);
    fclose(f);
    return buf;
}

/* Imports the graph, opens a session, creates the variables and restores them. */
static TF_Session *load(const mnist_options *o, mnist_model *m, int *epochs, TF_Status *status)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", o->model_dir, MNIST_GRAPH_FILE);
    TF_Buffer *def = read_file(path);
    if (!def) return NULL;
    TF_ImportGraphDefOptions *io = TF_NewImportGraphDefOptions();
    TF_GraphImportGraphDef(m->graph, def, io, status);
    TF_DeleteImportGraphDefOptions(io);
    TF_DeleteBuffer(def);
    if (mnist_check(status, path)) return NULL;
    if (mnist_find(m, status)) {
        mnist_check(status, path);
        return NULL;
    }
    TF_Session *s = mnist_session(m->graph, o->threads, status);
    if (mnist_check(status, "TF_NewSession")) return NULL;
    TF_Tensor *t = NULL;
    snprintf(path, sizeof path, "%s/%s", o->model_dir, MNIST_CKPT_PREFIX);
    TF_SessionRun(s, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&m->init, 1, NULL, status);
    if (!mnist_check(status, "init")) TFC_RestoreVariables(s, path, status);
    if (!mnist_check(status, path))
        TF_SessionRun(s, NULL, NULL, NULL, 0, &m->epochs_read, &t, 1, NULL, 0, NULL, status);
    if (t) *epochs = (int)*(const float *)TF_TensorData(t);
    TF_DeleteTensor(t);
    if (TF_GetCode(status) == TF_OK) return s;
    mnist_close_session(s);
    return NULL;
}

int mnist_eval(const mnist_options *o)
{
    TF_Status *status = TF_NewStatus();
    mnist_model m = { .graph = TF_NewGraph() };
    mnist_split test = { 0 };
    int epochs = 0, rc = 1;
    double loss, acc;
    TF_Session *s = load(o, &m, &epochs, status);
    if (s && !mnist_load(o->data_dir, "t10k", o->limit, &test, status) &&
        !mnist_evaluate(s, &m, &test, &loss, &acc, status)) {
        printf("mnist eval: %s after %d epoch(s): %lld test images from %s: loss %.4f, accuracy %.4f\n",
               o->model_dir, epochs, (long long)TF_Dim(test.images, 0), o->data_dir, loss, acc);
        rc = 0;
    }
    mnist_close_session(s);
    mnist_free_split(&test);
    TF_DeleteGraph(m.graph);
    TF_DeleteStatus(status);
    return rc;
}
