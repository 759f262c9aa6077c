/* eval: `mnist eval` — a fresh process imports the GraphDef `mnist train` saved, restores its
 * checkpoint and reports the accuracy on a test set (e.g. ../shared/data/mnist-test, MNIST's 10k
 * test images, for a model trained on MNIST). */
#include <stdio.h>
#include <stdlib.h>

#include "mnist.h"
#include "model_files.h"

/* Imports the graph, opens a session, creates the variables and restores them. */
static TF_Session *load(const mnist_options *o, mnist_model *m, int *epochs, TF_Status *status)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", o->model_dir, MNIST_GRAPH_FILE);
    if (ex_import_graph(m->graph, path, status) || mnist_find(m, status)) {
        mnist_check(status, path);
        return NULL;
    }
    TF_Session *s = ex_session(m->graph, o->threads, status);
    if (mnist_check(status, "TF_NewSession")) return NULL;
    TF_Tensor *t = NULL;
    snprintf(path, sizeof path, "%s/%s", o->model_dir, MNIST_CKPT_PREFIX);
    if (ex_init_and_restore(s, m->init, path, status)) {
        mnist_check(status, path);
    } else {
        TF_SessionRun(s, NULL, NULL, NULL, 0, &m->epochs_read, &t, 1, NULL, 0, NULL, status);
        if (!mnist_check(status, "epochs_done")) *epochs = (int)*(const float *)TF_TensorData(t);
    }
    TF_DeleteTensor(t);
    if (TF_GetCode(status) == TF_OK) return s;
    ex_close_session(s);
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
    ex_close_session(s);
    mnist_free_split(&test);
    TF_DeleteGraph(m.graph);
    TF_DeleteStatus(status);
    return rc;
}
