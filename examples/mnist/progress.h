/* progress: per-epoch training progress. On a terminal, one line rewritten in place with \r
 * (steps, running loss and accuracy, samples/s, ETA); otherwise (a log, a pipe, CI) plain lines
 * every `every` steps and at the end of the epoch, so logs stay readable. */
#ifndef MNIST_PROGRESS_H_
#define MNIST_PROGRESS_H_
#include <stdint.h>
#include <stdio.h>

typedef struct progress {
    FILE *out;
    int tty, epoch, epochs;
    int64_t steps, step, samples, every;
    double start, last_draw;
    double loss_sum, acc_sum; /* over the steps since the last plain line (or the epoch on a tty) */
    int64_t window;
    double epoch_loss, epoch_acc; /* sums over the whole epoch */
} progress;

double progress_now(void); /* seconds, monotonic */
/* Starts epoch `epoch` (1-based) of `epochs`, of `steps` steps. */
void progress_begin(progress *p, FILE *out, int epoch, int epochs, int64_t steps, int64_t every);
/* Records one step of `batch` samples with its loss and accuracy; redraws at most 10 times/s. */
void progress_step(progress *p, int64_t batch, double loss, double acc);
/* Finishes the line; returns the epoch's mean loss in *loss, accuracy in *acc, samples/s in *rate. */
void progress_end(progress *p, double *loss, double *acc, double *rate);

#endif /* MNIST_PROGRESS_H_ */
