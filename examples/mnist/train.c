/* train: `mnist train` — shuffled mini-batch training with a progress bar, test accuracy after
 * every epoch, a checkpoint per epoch (with the epoch counter, so --resume goes on from it) and
 * the GraphDef for `mnist eval`. */
#include <stdio.h>

#include "mnist.h"
#include "model_files.h"
#include "progress.h"

static int run_target(TF_Session *s, TF_Operation *op, TF_Status *status)
{
    TF_SessionRun(s, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&op, 1, NULL, status);
    return mnist_check(status, TF_OperationName(op));
}

static TF_Tensor *scalar(float v)
{
    TF_Tensor *t = TF_AllocateTensor(TF_FLOAT, NULL, 0, sizeof v);
    if (t) *(float *)TF_TensorData(t) = v;
    return t;
}

/* One training step on (x, y); *loss and *acc get the batch's loss and accuracy. */
static int train_step(TF_Session *s, const mnist_model *m, TF_Tensor *x, TF_Tensor *y, TF_Tensor *keep,
                      double *loss, double *acc, TF_Status *status)
{
    TF_Output feeds[3] = { m->images, m->labels, m->keep_prob }, fetches[2] = { m->loss, m->correct };
    TF_Tensor *in[3] = { x, y, keep }, *out[2] = { NULL, NULL };
    TF_SessionRun(s, NULL, feeds, in, keep ? 3 : 2, fetches, out, 2, (const TF_Operation *const *)&m->train, 1,
                  NULL, status);
    if (TF_GetCode(status) == TF_OK) {
        *loss = *(const float *)TF_TensorData(out[0]);
        *acc = *(const float *)TF_TensorData(out[1]) / (double)TF_Dim(x, 0);
    }
    TF_DeleteTensor(out[0]);
    TF_DeleteTensor(out[1]);
    return mnist_check(status, "training step");
}

/* Stores the epoch counter, then every variable (Adam's slots too) under dir/model.ckpt. */
static int save_checkpoint(TF_Session *s, const mnist_model *m, const char *dir, int epochs, TF_Status *status)
{
    char path[4096];
    TF_Tensor *e = scalar((float)epochs);
    TF_SessionRun(s, NULL, &m->epochs_done, &e, 1, NULL, NULL, 0, (const TF_Operation *const *)&m->set_epochs, 1,
                  NULL, status);
    TF_DeleteTensor(e);
    if (mnist_check(status, "epochs_done/set")) return 1;
    snprintf(path, sizeof path, "%s/%s", dir, MNIST_CKPT_PREFIX);
    TFC_SaveVariables(s, path, status);
    return mnist_check(status, path);
}

/* Restores dir/model.ckpt into the (initialised) session; *epochs gets the epochs it had done. */
static int restore(TF_Session *s, const mnist_model *m, const char *dir, int *epochs, TF_Status *status)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, MNIST_CKPT_PREFIX);
    TFC_RestoreVariables(s, path, status);
    if (mnist_check(status, path)) return 1;
    TF_Tensor *t = NULL;
    TF_SessionRun(s, NULL, NULL, NULL, 0, &m->epochs_read, &t, 1, NULL, 0, NULL, status);
    if (!mnist_check(status, "epochs_done")) *epochs = (int)*(const float *)TF_TensorData(t);
    TF_DeleteTensor(t);
    return TF_GetCode(status) != TF_OK;
}

/* One pass over ds (or what is left of o->max_steps); *step counts steps over all epochs. */
static int run_epoch(TF_Session *s, const mnist_model *m, TFC_Dataset *ds, const mnist_options *o, int epoch,
                     int64_t *step, double *rate, TF_Status *status)
{
    int64_t n = TFC_DatasetSize(ds), steps = (n + o->batch - 1) / o->batch;
    if (o->max_steps && o->max_steps - *step < steps) steps = o->max_steps - *step;
    TF_Tensor *keep = o->kind == MNIST_CNN ? scalar((float)(1 - o->dropout)) : NULL;
    progress p;
    progress_begin(&p, stdout, epoch, o->epochs, steps, o->log_every);
    int rc = 0;
    for (int64_t i = 0; !rc && i < steps; i++) {
        TF_Tensor *x = NULL, *y = NULL;
        double loss = 0, acc = 0;
        if (!TFC_DatasetNextBatch(ds, o->batch, 0, &x, &y, status)) {
            mnist_check(status, "TFC_DatasetNextBatch");
            rc = 1;
        }
        if (!rc) rc = train_step(s, m, x, y, keep, &loss, &acc, status);
        if (!rc) progress_step(&p, TF_Dim(x, 0), loss, acc);
        TF_DeleteTensor(x);
        TF_DeleteTensor(y);
        ++*step;
    }
    TF_DeleteTensor(keep);
    double loss, acc;
    progress_end(&p, &loss, &acc, rate);
    TFC_DatasetReset(ds);
    return rc;
}

/* Initialises (or restores) and trains epoch by epoch, evaluating and saving after each. */
static int fit(TF_Session *s, const mnist_model *m, const mnist_split *train, const mnist_split *test,
               const mnist_options *o, TF_Status *status)
{
    int done = 0;
    int64_t step = 0;
    if (run_target(s, m->init, status) || run_target(s, m->init_slots, status)) return 1;
    if (o->resume && restore(s, m, o->model_dir, &done, status)) return 1;
    if (o->resume) printf("resuming from %s/%s after epoch %d\n", o->model_dir, MNIST_CKPT_PREFIX, done);
    TFC_Dataset *ds = TFC_NewDataset(train->images, train->labels, status);
    if (mnist_check(status, "TFC_NewDataset")) return 1;
    TFC_DatasetShuffle(ds, (uint64_t)o->seed);
    for (int e = 0; e < done; e++) TFC_DatasetReset(ds); /* the order the epochs would have had */
    int rc = 0;
    for (int epoch = done + 1; !rc && epoch <= o->epochs && (!o->max_steps || step < o->max_steps); epoch++) {
        double rate, loss, acc, t0 = progress_now();
        rc = run_epoch(s, m, ds, o, epoch, &step, &rate, status) || mnist_evaluate(s, m, test, &loss, &acc, status) ||
             save_checkpoint(s, m, o->model_dir, epoch, status);
        if (!rc)
            printf("epoch %d: test loss %.4f, test accuracy %.4f, %.0f samples/s, %.1f s\n", epoch, loss, acc, rate,
                   progress_now() - t0);
        fflush(stdout);
    }
    TFC_DeleteDataset(ds);
    return rc;
}

int mnist_train(const mnist_options *o)
{
    TF_Status *status = TF_NewStatus();
    mnist_model m = { .graph = TF_NewGraph() };
    mnist_split train = { 0 }, test = { 0 };
    TF_Session *s = NULL;
    int rc = mnist_load(o->data_dir, o->train_split, o->limit, &train, status) ||
             mnist_load(o->data_dir, "t10k", o->limit, &test, status);
    if (!rc) {
        printf("mnist: %s, %lld training and %lld test images from %s, batch %d, Adam lr %g, %d thread(s)\n",
               o->kind == MNIST_CNN ? "cnn" : "mlp", (long long)TF_Dim(train.images, 0),
               (long long)TF_Dim(test.images, 0), o->data_dir, o->batch, o->learning_rate, o->threads);
        rc = mnist_build(&m, o, status) ? mnist_check(status, "building the model") : 0;
    }
    if (!rc && ex_save_graph(m.graph, o->model_dir, MNIST_GRAPH_FILE, status)) {
        mnist_check(status, "saving the GraphDef");
        rc = 1;
    }
    if (!rc) s = ex_session(m.graph, o->threads, status);
    if (!rc) rc = mnist_check(status, "TF_NewSession") || fit(s, &m, &train, &test, o, status);
    ex_close_session(s);
    mnist_free_split(&train);
    mnist_free_split(&test);
    TF_DeleteGraph(m.graph);
    TF_DeleteStatus(status);
    return rc;
}
