/* training_update: what the CPU and GPU kernels of the optimizer ops (ops/training_ops.c) share —
 * which rule and inputs each ApplyX / ResourceApplyX has, the parsing of its attrs, the locking of
 * its variables (kernels/var_access.h) and TensorFlow's dtype and shape checks. A device supplies
 * only the loop that runs the rule (kernels/training_rules.h) over the flat tensors. */
#ifndef TFC_KERNELS_TRAINING_UPDATE_H_
#define TFC_KERNELS_TRAINING_UPDATE_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"
#include "kernels/training_job.h"

typedef struct tfc_train_state {
    tfc_train_rule rule;
    int n_vars;        /* the variables are inputs [0, n_vars) */
    int64_t cost;      /* rough CPU ns per element, for tfc_parallel_for */
    TF_DataType dtype; /* T: float or double */
    bool is_ref, flag;
    const struct tfc_train_spec *spec;
    const struct tfc_op_def *def; /* for input names in messages */
} tfc_train_state;

TF_Code tfc_train_init(const tfc_kernel_init_ctx *c, void **state);
void tfc_train_free(void *state);

/* Runs j's rule over n > 0 elements on the kernel's device; reports its own errors. */
typedef TF_Code (*tfc_train_run_fn)(tfc_kernel_ctx *k, const tfc_train_state *st, const tfc_train_job *j, int64_t n);
/* The compute of every ApplyX and ResourceApplyX: locks and checks, fills the job, calls run,
 * unlocks, and passes ApplyX's var ref on as its output. */
void tfc_train_compute(tfc_kernel_ctx *k, tfc_train_run_fn run);

/* A device's kernel table entries: every ApplyX and ResourceApplyX, float and double, with compute
 * (a function calling tfc_train_compute with the device's run). */
#define TFC_TRAIN_KERNEL(op, device, compute_fn)                                                             \
    { op, device, TFC_TYPE_BIT(TF_FLOAT) | TFC_TYPE_BIT(TF_DOUBLE), .init = tfc_train_init,                 \
      .free_state = tfc_train_free, .compute = compute_fn }
#define TFC_TRAIN_PAIR(x, device, compute_fn)                                                                \
    TFC_TRAIN_KERNEL("Apply" x, device, compute_fn), TFC_TRAIN_KERNEL("ResourceApply" x, device, compute_fn)
#define TFC_TRAIN_KERNELS(device, compute_fn)                                                                \
    TFC_TRAIN_PAIR("GradientDescent", device, compute_fn), TFC_TRAIN_PAIR("Momentum", device, compute_fn),   \
        TFC_TRAIN_PAIR("Adagrad", device, compute_fn), TFC_TRAIN_PAIR("Adadelta", device, compute_fn),       \
        TFC_TRAIN_PAIR("RMSProp", device, compute_fn), TFC_TRAIN_PAIR("CenteredRMSProp", device, compute_fn), \
        TFC_TRAIN_PAIR("Adam", device, compute_fn), TFC_TRAIN_PAIR("AdaMax", device, compute_fn),            \
        TFC_TRAIN_PAIR("Ftrl", device, compute_fn), TFC_TRAIN_PAIR("FtrlV2", device, compute_fn)

#endif
