/* train: `iris train` — read the CSV splits, train the model with shuffled mini-batches, report
 * the test accuracy, print the classic predictions and save the checkpoint and the GraphDef. */
#include <stdio.h>
#include <string.h>

#include "iris.h"
#include "model_files.h"

typedef struct split {
    TF_Tensor *x, *y;
} split;

/* The class names of a TensorFlow-tutorial CSV header ("120,4,setosa,versicolor,virginica"). */
static int read_class_names(const char *path, char names[IRIS_CLASSES][IRIS_NAME_MAX])
{
    char line[512];
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    line[strcspn(line, "\r\n")] = 0;
    char *field = ok ? strtok(line, ",") : NULL;
    for (int i = 0; field && i < 2; i++) field = strtok(NULL, ","); /* skip the two counts */
    for (int k = 0; k < IRIS_CLASSES; k++, field = strtok(NULL, ",")) {
        if (!field || strlen(field) >= IRIS_NAME_MAX) {
            fprintf(stderr, "iris: %s: the header does not name %d classes\n", path, IRIS_CLASSES);
            return 1;
        }
        strcpy(names[k], field);
    }
    return 0;
}

static int read_split(const char *dir, const char *file, split *sp, TF_Status *status)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    TFC_ReadCSV(path, TFC_CSV_AUTO_HEADER, &sp->x, &sp->y, -1, status);
    if (iris_check(status, "reading the data")) return 1;
    if (TF_Dim(sp->x, 1) != IRIS_FEATURES) {
        fprintf(stderr, "iris: %s: %d features per row, want %d\n", path, (int)TF_Dim(sp->x, 1), IRIS_FEATURES);
        return 1;
    }
    return 0;
}

static int run_targets(TF_Session *s, TF_Operation *op, TF_Status *status)
{
    TF_SessionRun(s, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&op, 1, NULL, status);
    return iris_check(status, TF_OperationName(op));
}

/* Runs the loss and accuracy of (x, y), with `train` as a target when not NULL. */
static int run_batch(TF_Session *s, const iris_model *m, TF_Tensor *x, TF_Tensor *y, TF_Operation *train,
                     float *loss, float *accuracy, TF_Status *status)
{
    TF_Output feeds[2] = { m->features, m->labels }, fetches[2] = { m->loss, m->accuracy };
    TF_Tensor *in[2] = { x, y }, *out[2] = { NULL, NULL };
    TF_SessionRun(s, NULL, feeds, in, 2, fetches, out, 2, (const TF_Operation *const *)&train, train ? 1 : 0,
                  NULL, status);
    if (!iris_check(status, train ? "training step" : "evaluation")) {
        *loss = *(const float *)TF_TensorData(out[0]);
        *accuracy = *(const float *)TF_TensorData(out[1]);
    }
    TF_DeleteTensor(out[0]);
    TF_DeleteTensor(out[1]);
    return TF_GetCode(status) != TF_OK;
}

/* o->steps mini-batch steps over the shuffled training set, printing the loss now and then. */
static int fit(TF_Session *s, const iris_model *m, const split *train, const iris_options *o, TF_Status *status)
{
    TFC_Dataset *ds = TFC_NewDataset(train->x, train->y, status);
    if (iris_check(status, "TFC_NewDataset")) return 1;
    if (TFC_DatasetSize(ds) == 0) {
        fprintf(stderr, "iris: the training set is empty\n");
        TFC_DeleteDataset(ds);
        return 1;
    }
    TFC_DatasetShuffle(ds, (uint64_t)o->seed);
    int rc = 0, every = o->steps >= 10 ? o->steps / 10 : 1;
    for (int step = 1; !rc && step <= o->steps; step++) {
        TF_Tensor *x = NULL, *y = NULL;
        if (!TFC_DatasetNextBatch(ds, o->batch, 0, &x, &y, status)) {
            rc = iris_check(status, "TFC_DatasetNextBatch");
            TFC_DatasetReset(ds); /* end of an epoch */
            step--;
            continue;
        }
        float loss, acc;
        rc = run_batch(s, m, x, y, m->train, &loss, &acc, status);
        if (!rc && (step % every == 0 || step == 1))
            printf("step %5d  loss %.4f  batch accuracy %.3f\n", step, loss, acc);
        TF_DeleteTensor(x);
        TF_DeleteTensor(y);
    }
    TFC_DeleteDataset(ds);
    return rc;
}

/* dir/model.ckpt.* (every variable, Adam's slots too) and dir/graph.pb. */
static int save(TF_Session *s, TF_Graph *g, const char *dir, TF_Status *status)
{
    char path[4096];
    if (ex_save_graph(g, dir, IRIS_GRAPH_FILE, status)) {
        iris_check(status, "saving the GraphDef");
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s", dir, IRIS_CKPT_PREFIX);
    TFC_SaveVariables(s, path, status);
    if (iris_check(status, path)) return 1;
    printf("saved the checkpoint %s/%s and the GraphDef %s/%s\n", dir, IRIS_CKPT_PREFIX, dir, IRIS_GRAPH_FILE);
    return 0;
}

/* Builds, initialises, trains and evaluates; *test_acc gets the test accuracy. */
static int train_and_test(const iris_options *o, iris_model *m, split *train, split *test, TF_Session **sp,
                          float *test_acc, TF_Status *status)
{
    char names[IRIS_CLASSES][IRIS_NAME_MAX], path[4096];
    snprintf(path, sizeof path, "%s/iris_training.csv", o->data_dir);
    if (read_class_names(path, names)) return 1;
    if (read_split(o->data_dir, "iris_training.csv", train, status) ||
        read_split(o->data_dir, "iris_test.csv", test, status))
        return 1;
    printf("iris: %lld training and %lld test examples, classes %s, %s, %s\n", (long long)TF_Dim(train->x, 0),
           (long long)TF_Dim(test->x, 0), names[0], names[1], names[2]);
    if (iris_build(m, names, o->seed, o->learning_rate, status)) return iris_check(status, "building the model");
    TF_Session *s = *sp = ex_session(m->graph, 1, status);
    if (iris_check(status, "TF_NewSession") || run_targets(s, m->init, status) ||
        run_targets(s, m->init_slots, status) || fit(s, m, train, o, status))
        return 1;
    float loss, acc;
    if (run_batch(s, m, train->x, train->y, NULL, &loss, &acc, status)) return 1;
    printf("training loss %.4f, training accuracy %.4f\n", loss, acc);
    if (run_batch(s, m, test->x, test->y, NULL, &loss, test_acc, status)) return 1;
    printf("test loss %.4f, test accuracy %.4f (%d of %lld)\n", loss, *test_acc,
           (int)(*test_acc * TF_Dim(test->x, 0) + 0.5f), (long long)TF_Dim(test->x, 0));
    return 0;
}

int iris_train(const iris_options *o)
{
    TF_Status *status = TF_NewStatus();
    iris_model m = { .graph = TF_NewGraph() };
    split train = { 0 }, test = { 0 };
    TF_Session *s = NULL;
    float acc = 0;
    int rc = train_and_test(o, &m, &train, &test, &s, &acc, status) ||
             iris_print_predictions(s, &m, &iris_classic_examples[0][0], 3, status) ||
             save(s, m.graph, o->model_dir, status);
    if (!rc && acc < IRIS_MIN_ACCURACY) {
        fprintf(stderr, "iris: test accuracy %.4f is below %.2f\n", acc, IRIS_MIN_ACCURACY);
        rc = 2;
    }
    ex_close_session(s);
    TF_DeleteTensor(train.x);
    TF_DeleteTensor(train.y);
    TF_DeleteTensor(test.x);
    TF_DeleteTensor(test.y);
    TF_DeleteGraph(m.graph);
    TF_DeleteStatus(status);
    return rc;
}
