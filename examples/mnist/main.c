/* mnist: trains an MLP (784-512-256-10) or a CNN (two conv+pool layers, dense, dropout) on any
 * MNIST-format IDX directory with tfc, through TensorFlow's C API.
 *
 *   mnist train [--model mlp|cnn] [--data DIR] [--out DIR] [--epochs N] [--batch N] [--lr X]
 *               [--threads N] [--seed N] [--dropout X] [--resume] [--limit N] [--steps N]
 *               [--log-every N] [--train-split NAME]
 *   mnist eval  [--out DIR] [--data DIR] [--threads N] [--limit N]
 *
 * The data directory holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte
 * and t10k-labels-idx1-ubyte (each may be gzipped); the default is Debian's dataset-fashion-mnist.
 * --limit keeps the first N examples of each split; --steps stops after N steps in all;
 * --train-split t10k trains on the test files (for data sets that ship only those). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnist.h"

#define DEFAULT_DATA "/usr/share/datasets/fashion-mnist"

static int usage(void)
{
    fprintf(stderr,
            "usage: mnist train [--model mlp|cnn] [--data DIR] [--out DIR] [--epochs N] [--batch N]\n"
            "                   [--lr X] [--threads N] [--seed N] [--dropout X] [--resume] [--limit N]\n"
            "                   [--steps N] [--log-every N] [--train-split NAME]\n"
            "       mnist eval  [--out DIR] [--data DIR] [--threads N] [--limit N]\n"
            "defaults: --model mlp --data " DEFAULT_DATA " --out mnist-<model> --epochs 10 --batch 100\n"
            "          --lr 0.001 --threads 2 --seed 42 --dropout 0.4 (cnn only) --log-every 100\n");
    return 1;
}

static int parse_int(const char *s, long lo, long hi, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return 1;
    *out = v;
    return 0;
}

static int parse_real(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= lo && v <= hi)) return 1;
    *out = v;
    return 0;
}

/* One "--flag value" pair into o; 1 when unknown or malformed. */
static int parse_flag(const char *flag, const char *v, mnist_options *o)
{
    int64_t n = 0;
    if (!strcmp(flag, "--model")) {
        if (strcmp(v, "mlp") && strcmp(v, "cnn")) return 1;
        o->kind = strcmp(v, "cnn") ? MNIST_MLP : MNIST_CNN;
        return 0;
    }
    if (!strcmp(flag, "--data")) o->data_dir = v;
    else if (!strcmp(flag, "--out")) o->model_dir = v;
    else if (!strcmp(flag, "--train-split")) o->train_split = v;
    else if (!strcmp(flag, "--lr")) return parse_real(v, 1e-9, 10, &o->learning_rate);
    else if (!strcmp(flag, "--dropout")) return parse_real(v, 0, 0.95, &o->dropout);
    else if (parse_int(v, 0, 0x7fffffffL, &n)) return 1;
    else if (!strcmp(flag, "--epochs") && n > 0) o->epochs = (int)n;
    else if (!strcmp(flag, "--batch") && n > 0) o->batch = (int)n;
    else if (!strcmp(flag, "--threads") && n > 0 && n <= 256) o->threads = (int)n;
    else if (!strcmp(flag, "--seed")) o->seed = (long)n;
    else if (!strcmp(flag, "--limit")) o->limit = n;
    else if (!strcmp(flag, "--steps")) o->max_steps = n;
    else if (!strcmp(flag, "--log-every") && n > 0) o->log_every = n;
    else return 1;
    return 0;
}

int main(int argc, char **argv)
{
    mnist_options o = { .kind = MNIST_MLP, .data_dir = DEFAULT_DATA, .train_split = "train", .epochs = 10,
                        .batch = 100, .threads = 2, .seed = 42, .learning_rate = 1e-3, .dropout = 0.4,
                        .log_every = 100 };
    if (argc < 2 || (strcmp(argv[1], "train") && strcmp(argv[1], "eval"))) return usage();
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--resume")) {
            o.resume = 1;
        } else if (i + 1 == argc || parse_flag(argv[i], argv[i + 1], &o)) {
            fprintf(stderr, "mnist: bad argument '%s'\n", argv[i]);
            return usage();
        } else {
            i++;
        }
    }
    char out[64];
    if (!o.model_dir) {
        snprintf(out, sizeof out, "mnist-%s", o.kind == MNIST_CNN ? "cnn" : "mlp");
        o.model_dir = out;
    }
    return !strcmp(argv[1], "train") ? mnist_train(&o) : mnist_eval(&o);
}
