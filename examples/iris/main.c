/* iris: trains a 4-10-10-3 DNN classifier on Fisher's Iris data with tfc, through TensorFlow's C
 * API, and predicts the species of new flowers from the saved model.
 *
 *   iris train   [--data DIR] [--out DIR] [--seed N] [--steps N] [--batch N] [--lr X]
 *   iris predict [--model DIR] [a,b,c,d ...]
 *
 * `train` exits 2 when the test accuracy is below 0.93. `predict` imports the GraphDef and
 * restores the checkpoint that `train` saved (default directory: iris-model) and predicts the
 * given examples (sepal length, sepal width, petal length, petal width in cm), by default the
 * three of TensorFlow's tutorial. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iris.h"

#ifndef IRIS_DATA_DIR
#define IRIS_DATA_DIR "data"
#endif

enum { MAX_EXAMPLES = 64 };

static int usage(void)
{
    fprintf(stderr,
            "usage: iris train [--data DIR] [--out DIR] [--seed N] [--steps N] [--batch N] [--lr X]\n"
            "       iris predict [--model DIR] [a,b,c,d ...]\n"
            "defaults: --data %s --out/--model iris-model --seed 42 --steps 1000 --batch 32 --lr 0.01\n",
            IRIS_DATA_DIR);
    return 1;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return 1;
    *out = v;
    return 0;
}

/* "a,b,c,d" into 4 floats. */
static int parse_example(const char *s, float *x)
{
    char *end;
    for (int i = 0; i < IRIS_FEATURES; i++) {
        x[i] = strtof(s, &end);
        if (end == s || *end != (i + 1 < IRIS_FEATURES ? ',' : '\0')) return 1;
        s = end + 1;
    }
    return 0;
}

/* One "--flag value" pair into o; 1 when unknown or malformed. */
static int parse_flag(const char *flag, const char *value, iris_options *o)
{
    long v;
    if (!strcmp(flag, "--data")) o->data_dir = value;
    else if (!strcmp(flag, "--out") || !strcmp(flag, "--model")) o->model_dir = value;
    else if (!strcmp(flag, "--seed") && !parse_long(value, 0, 0x7fffffffL, &v)) o->seed = v;
    else if (!strcmp(flag, "--steps") && !parse_long(value, 0, 10000000L, &v)) o->steps = (int)v;
    else if (!strcmp(flag, "--batch") && !parse_long(value, 1, 1000000L, &v)) o->batch = (int)v;
    else if (!strcmp(flag, "--lr") && (o->learning_rate = atof(value)) > 0) return 0;
    else return 1;
    return 0;
}

int main(int argc, char **argv)
{
    iris_options o = { .data_dir = IRIS_DATA_DIR, .model_dir = "iris-model", .seed = 42, .steps = 1000,
                       .batch = 32, .learning_rate = 0.01 };
    static float x[MAX_EXAMPLES][IRIS_FEATURES];
    int n = 0;
    if (argc < 2 || (strcmp(argv[1], "train") && strcmp(argv[1], "predict"))) return usage();
    int train = !strcmp(argv[1], "train");
    for (int i = 2; i < argc; i++) {
        if (!strncmp(argv[i], "--", 2)) {
            if (i + 1 == argc || parse_flag(argv[i], argv[i + 1], &o)) return usage();
            i++;
        } else if (!train && n < MAX_EXAMPLES && !parse_example(argv[i], x[n])) {
            n++;
        } else {
            fprintf(stderr, "iris: bad argument '%s'\n", argv[i]);
            return usage();
        }
    }
    if (train) return iris_train(&o);
    if (n == 0) {
        memcpy(x, iris_classic_examples, sizeof iris_classic_examples);
        n = 3;
    }
    return iris_predict(&o, &x[0][0], n);
}
