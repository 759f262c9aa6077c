/* mnist: the example's shared declarations — options, the data loader (data.c), the models
 * (model.c) and the commands (train.c, eval.c). */
#ifndef MNIST_MNIST_H_
#define MNIST_MNIST_H_
#include <stdint.h>
#include <tensorflow/c/c_api.h>

enum { MNIST_ROWS = 28, MNIST_COLS = 28, MNIST_PIXELS = 28 * 28, MNIST_CLASSES = 10 };

#define MNIST_GRAPH_FILE "graph.pb"
#define MNIST_CKPT_PREFIX "model.ckpt"

typedef enum mnist_kind { MNIST_MLP, MNIST_CNN } mnist_kind;

typedef struct mnist_options {
    mnist_kind kind;
    const char *data_dir, *model_dir, *train_split;
    int epochs, batch, threads, resume;
    long seed;
    double learning_rate, dropout;
    int64_t limit;     /* use only the first `limit` examples of each split (0: all) */
    int64_t max_steps; /* stop after this many training steps in all (0: no bound) */
    int64_t log_every; /* plain-line progress every this many steps */
} mnist_options;

/* One split: images uint8 [n, 28, 28], labels uint8 [n] (0..9). */
typedef struct mnist_split {
    TF_Tensor *images, *labels;
} mnist_split;

/* Reads <dir>/<name>-images-idx3-ubyte and <name>-labels-idx1-ubyte (either may end in .gz),
 * checking their shapes and labels, and keeps the first `limit` examples (0: all). 0 or 1. */
int mnist_load(const char *dir, const char *name, int64_t limit, mnist_split *out, TF_Status *status);
void mnist_free_split(mnist_split *s);

/* The graph of one model, with the names a process that imports its GraphDef looks up. */
typedef struct mnist_model {
    TF_Graph *graph;
    TF_Output images;      /* "images": uint8 [batch, 28, 28] */
    TF_Output labels;      /* "labels": uint8 [batch] */
    TF_Output keep_prob;   /* "keep_prob": dropout's keep probability, default 1 (no dropout) */
    TF_Output loss;        /* "loss": mean cross-entropy */
    TF_Output correct;     /* "correct": number of right predictions in the batch, float */
    TF_Output epochs_done; /* "epochs_done/value": feeds the saved epoch counter */
    TF_Output epochs_read; /* "epochs_done/read" */
    TF_Operation *set_epochs, *init, *train, *init_slots;
} mnist_model;

/* Builds the training graph of o->kind into m->graph. 0, or 1 with status set. */
int mnist_build(mnist_model *m, const mnist_options *o, TF_Status *status);
/* Finds the ops of an imported model (no train step). 0, or 1 with status set. */
int mnist_find(mnist_model *m, TF_Status *status);

int mnist_check(TF_Status *status, const char *what);
/* Test-set loss and accuracy, in batches of 1000. 0 or 1. */
int mnist_evaluate(TF_Session *s, const mnist_model *m, const mnist_split *test, double *loss, double *acc,
                   TF_Status *status);

int mnist_train(const mnist_options *o);
/* `mnist eval`: imports <model_dir>/graph.pb, restores the checkpoint, evaluates on <data>/t10k. */
int mnist_eval(const mnist_options *o);

#endif /* MNIST_MNIST_H_ */
