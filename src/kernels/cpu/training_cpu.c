/* training_cpu: CPU kernels of the optimizer update ops (ops/training_ops.c), float and double.
 * One compute serves every ApplyX and its ResourceApplyX twin: kernels/training_update.h locks the
 * variables and checks the inputs as TensorFlow does; this file runs the op's update rule (the
 * template kernels/training_rules.h) over the flat tensors, split across the intra-op pool for big
 * ones. */

/* The selects of AdaMax and Ftrl vectorise only with if-conversion (-fno-trapping-math, set for
 * the whole build). The dynamic cost model lets -O2 vectorise loops that need a scalar epilogue or
 * a runtime alias check. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/training_update.h"

#define PARALLEL_MIN_ELEMS 32768

#define TM_DEVICE
#include "kernels/training_rules_f32_f64.h"

typedef void (*train_fn)(const tfc_train_job *j, int64_t begin, int64_t end);

/* Indexed by tfc_train_rule: the float and the double loop. */
static const train_fn rules[TFC_TRAIN_RULES][2] = {
    [TFC_TRAIN_SGD] = { sgd_f32, sgd_f64 },
    [TFC_TRAIN_MOMENTUM] = { momentum_f32, momentum_f64 },
    [TFC_TRAIN_ADAGRAD] = { adagrad_f32, adagrad_f64 },
    [TFC_TRAIN_ADADELTA] = { adadelta_f32, adadelta_f64 },
    [TFC_TRAIN_RMSPROP] = { rmsprop_f32, rmsprop_f64 },
    [TFC_TRAIN_CENTERED_RMSPROP] = { centered_rmsprop_f32, centered_rmsprop_f64 },
    [TFC_TRAIN_ADAM] = { adam_f32, adam_f64 },
    [TFC_TRAIN_ADAMAX] = { adamax_f32, adamax_f64 },
    [TFC_TRAIN_FTRL] = { ftrl_f32, ftrl_f64 },
};

typedef struct chunk_job {
    const tfc_train_job *j;
    train_fn fn;
} chunk_job;

static void train_chunk(void *arg, int64_t begin, int64_t end)
{
    const chunk_job *c = arg;
    c->fn(c->j, begin, end);
}

static TF_Code run_on_cpu(tfc_kernel_ctx *k, const tfc_train_state *st, const tfc_train_job *job, int64_t n)
{
    tfc_train_job j = *job;
    for (int i = 0; i < j.n_scalars; i++) /* host memory: read them once */
        j.s[i] = st->dtype == TF_FLOAT ? *(const float *)j.sp[i] : *(const double *)j.sp[i];
    chunk_job c = { &j, rules[st->rule][st->dtype == TF_FLOAT ? 0 : 1] };
    if (n >= PARALLEL_MIN_ELEMS) tfc_parallel_for(tfc_kernel_intra_pool(k), n, st->cost, train_chunk, &c);
    else c.fn(&j, 0, n);
    return TF_OK;
}

static void train_compute(tfc_kernel_ctx *k) { tfc_train_compute(k, run_on_cpu); }

const tfc_kernel_def tfc_cpu_training_kernels[] = { TFC_TRAIN_KERNELS("CPU", train_compute), { 0 } };
