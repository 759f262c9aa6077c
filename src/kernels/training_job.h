/* training_job: one optimizer update as the rules (kernels/training_rules.h) read it — plain C,
 * with no C11 atomics, so the CUDA rules (cuda/training_cuda.cu) include it as well. */
#ifndef TFC_KERNELS_TRAINING_JOB_H_
#define TFC_KERNELS_TRAINING_JOB_H_
#include <stdbool.h>
#include <stdint.h>

#define TFC_TRAIN_MAX_VARS 4
#define TFC_TRAIN_MAX_SCALARS 6

typedef enum tfc_train_rule {
    TFC_TRAIN_SGD, TFC_TRAIN_MOMENTUM, TFC_TRAIN_ADAGRAD, TFC_TRAIN_ADADELTA, TFC_TRAIN_RMSPROP,
    TFC_TRAIN_CENTERED_RMSPROP, TFC_TRAIN_ADAM, TFC_TRAIN_ADAMAX, TFC_TRAIN_FTRL, TFC_TRAIN_RULES
} tfc_train_rule;

/* One update, as the rules read it. The scalar inputs (lr, beta1, ...) are s[], exact for float
 * and double; a device whose scalars are in its own memory fills s[] from sp[] where it runs. */
typedef struct tfc_train_job {
    void *v[TFC_TRAIN_MAX_VARS];               /* the variables' values, in input order */
    const void *g;                             /* the gradient */
    double s[TFC_TRAIN_MAX_SCALARS];
    const void *sp[TFC_TRAIN_MAX_SCALARS];     /* the scalar inputs' data, in the kernel's memory */
    int n_scalars;
    bool flag;   /* use_nesterov, update_slots or multiply_linear_by_lr */
    bool shrink; /* FtrlV2: s[3] is l2_shrinkage */
} tfc_train_job;

#endif
