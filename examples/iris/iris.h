/* iris: the example's commands (train.c, predict.c) and what they share. */
#ifndef IRIS_IRIS_H_
#define IRIS_IRIS_H_
#include <tensorflow/c/c_api.h>

#include "model.h"

#define IRIS_GRAPH_FILE "graph.pb"  /* the GraphDef, under the model directory */
#define IRIS_CKPT_PREFIX "model.ckpt" /* the checkpoint prefix, under the model directory */
#define IRIS_MIN_ACCURACY 0.93      /* `iris train` fails below this test accuracy */

typedef struct iris_options {
    const char *data_dir;  /* holds iris_training.csv and iris_test.csv */
    const char *model_dir; /* train: where to save; predict: where to load from */
    long seed;
    int steps, batch;
    double learning_rate;
} iris_options;

/* The three unlabeled examples of TensorFlow's Iris tutorial (setosa, versicolor, virginica). */
extern const float iris_classic_examples[3][IRIS_FEATURES];

/* Trains, evaluates, prints the predictions for the classic examples and saves the model. Returns
 * the exit status: 0, 1 on error, 2 when the test accuracy is below IRIS_MIN_ACCURACY. */
int iris_train(const iris_options *o);
/* Loads the saved model and prints predictions for x[0..n) (4 features each). 0 or 1. */
int iris_predict(const iris_options *o, const float *x, int n);

/* A session with one inter-op and one intra-op thread: the model is tiny, and one thread makes
 * every run bit-for-bit repeatable. */
/* Prints one "predict" line per example: the class, its probability and all three. */
int iris_print_predictions(TF_Session *s, const iris_model *m, const float *x, int n, TF_Status *status);
/* Prints "iris: <what>: <message>" to stderr when status is not OK; returns 1 then, else 0. */
int iris_check(TF_Status *status, const char *what);

#endif /* IRIS_IRIS_H_ */
