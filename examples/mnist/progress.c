/* progress: see progress.h. */
#include "progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_begin(progress *p, FILE *out, int epoch, int epochs, int64_t steps, int64_t every)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->tty = isatty(fileno(out));
    p->epoch = epoch;
    p->epochs = epochs;
    p->steps = steps;
    p->every = every > 0 ? every : 100;
    p->start = p->last_draw = progress_now();
}

static void draw_bar(progress *p, double rate)
{
    enum { WIDTH = 24 };
    char bar[WIDTH + 1];
    int filled = p->steps ? (int)(WIDTH * p->step / p->steps) : WIDTH;
    for (int i = 0; i < WIDTH; i++) bar[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
    bar[WIDTH] = 0;
    double eta = rate > 0 ? (double)(p->steps - p->step) * ((double)p->samples / (double)p->step) / rate : 0;
    fprintf(p->out, "\repoch %d/%d [%s] %lld/%lld  loss %.4f  acc %.4f  %.0f samples/s  ETA %d:%02d ",
            p->epoch, p->epochs, bar, (long long)p->step, (long long)p->steps, p->loss_sum / (double)p->window,
            p->acc_sum / (double)p->window, rate, (int)eta / 60, (int)eta % 60);
    fflush(p->out);
}

void progress_step(progress *p, int64_t batch, double loss, double acc)
{
    p->step++;
    p->samples += batch;
    p->loss_sum += loss;
    p->acc_sum += acc;
    p->epoch_loss += loss;
    p->epoch_acc += acc;
    p->window++;
    double t = progress_now(), rate = (double)p->samples / (t - p->start + 1e-9);
    if (p->tty) {
        if (t - p->last_draw >= 0.1 || p->step == p->steps) {
            draw_bar(p, rate);
            p->last_draw = t;
        }
        return;
    }
    if (p->step % p->every && p->step != p->steps) return;
    fprintf(p->out, "epoch %d/%d step %lld/%lld loss %.4f acc %.4f %.0f samples/s\n", p->epoch, p->epochs,
            (long long)p->step, (long long)p->steps, p->loss_sum / (double)p->window,
            p->acc_sum / (double)p->window, rate);
    fflush(p->out);
    p->loss_sum = p->acc_sum = 0;
    p->window = 0;
}

void progress_end(progress *p, double *loss, double *acc, double *rate)
{
    double t = progress_now() - p->start;
    *loss = p->step ? p->epoch_loss / (double)p->step : 0;
    *acc = p->step ? p->epoch_acc / (double)p->step : 0;
    *rate = t > 0 ? (double)p->samples / t : 0;
    if (p->tty) fputc('\n', p->out);
    fflush(p->out);
}
