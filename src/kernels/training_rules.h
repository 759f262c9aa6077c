/* training_rules: the update rules of the optimizer ops over one chunk [b, e) of flat tensors, for
 * one element type. A template, not a header: cpu/training_cpu.c and cuda/training_cuda.cu include
 * it once per type with TM_T (float or double), FN(name) (a name with the type's suffix), TM_SQRT,
 * TM_POW, TM_FABS and TM_DEVICE (empty in C, __device__ in CUDA, where each thread runs a rule
 * over its one element [i, i + 1)) defined. The job is kernels/training_update.h's tfc_train_job.
 *
 * Each rule is TensorFlow's CPU functor (tensorflow/core/kernels/training_ops.cc) as one fused loop
 * with the same operations in the same order per element; scalar sub-expressions TensorFlow
 * evaluates once (1 - rho, Adam's alpha) are hoisted, and a division by a loop-invariant value
 * becomes a multiplication by its reciprocal. The variables never alias each other or the
 * gradient (training_cpu.c checks), hence restrict. */

static TM_DEVICE void FN(sgd)(const tfc_train_job *j, int64_t b, int64_t e)
{
    TM_T *restrict var = (TM_T *)j->v[0];
    const TM_T *restrict g = (const TM_T *)j->g;
    const TM_T lr = (TM_T)j->s[0];
    for (int64_t i = b; i < e; i++) var[i] -= g[i] * lr;
}

/* Scalars: lr, momentum. */
static TM_DEVICE void FN(momentum)(const tfc_train_job *j, int64_t b, int64_t e)
{
    TM_T *restrict var = (TM_T *)j->v[0], *restrict accum = (TM_T *)j->v[1];
    const TM_T *restrict g = (const TM_T *)j->g;
    const TM_T lr = (TM_T)j->s[0], mom = (TM_T)j->s[1];
    if (j->flag) { /* use_nesterov */
        for (int64_t i = b; i < e; i++) {
            accum[i] = accum[i] * mom + g[i];
            var[i] -= g[i] * lr + accum[i] * mom * lr;
        }
    } else {
        for (int64_t i = b; i < e; i++) {
            accum[i] = accum[i] * mom + g[i];
            var[i] -= accum[i] * lr;
        }
    }
}

/* Scalars: lr. */
static TM_DEVICE void FN(adagrad)(const tfc_train_job *j, int64_t b, int64_t e)
{
    TM_T *restrict var = (TM_T *)j->v[0], *restrict accum = (TM_T *)j->v[1];
    const TM_T *restrict g = (const TM_T *)j->g;
    const TM_T lr = (TM_T)j->s[0];
    if (j->flag) /* update_slots */
        for (int64_t i = b; i < e; i++) accum[i] += g[i] * g[i];
    for (int64_t i = b; i < e; i++) var[i] -= g[i] * lr / TM_SQRT(accum[i]);
}

/* Scalars: lr, rho, epsilon. */
static TM_DEVICE void FN(adadelta)(const tfc_train_job *j, int64_t b, int64_t e)
{
    TM_T *restrict var = (TM_T *)j->v[0], *restrict accum = (TM_T *)j->v[1], *restrict accum_update = (TM_T *)j->v[2];
    const TM_T *restrict g = (const TM_T *)j->g;
    const TM_T lr = (TM_T)j->s[0], rho = (TM_T)j->s[1], eps = (TM_T)j->s[2], one_minus_rho = 1 - rho;
    for (int64_t i = b; i < e; i++) {
        TM_T a = accum[i] * rho + g[i] * g[i] * one_minus_rho;
        accum[i] = a;
        TM_T update = TM_SQRT(accum_update[i] + eps) / TM_SQRT(a + eps) * g[i];
        var[i] -= update * lr;
        accum_update[i] = accum_update[i] * rho + update * update * one_minus_rho;
    }
}

/* Scalars: lr, rho, momentum, epsilon. */
static TM_DEVICE void FN(rmsprop)(const tfc_train_job *j, int64_t b, int64_t e)
{
    TM_T *restrict var = (TM_T *)j->v[0], *restrict ms = (TM_T *)j->v[1], *restrict mom = (TM_T *)j->v[2];
    const TM_T *restrict g = (const TM_T *)j->g;
    const TM_T lr = (TM_T)j->s[0], one_minus_rho = 1 - (TM_T)j->s[1], momentum = (TM_T)j->s[2];
    const TM_T eps = (TM_T)j->s[3];
    for (int64_t i = b; i < e; i++) {
        ms[i] += (g[i] * g[i] - ms[i]) * one_minus_rho;
        mom[i] = mom[i] * momentum + (g[i] * lr) / TM_SQRT(ms[i] + eps);
        var[i] -= mom[i];
    }
}

/* Scalars: lr, rho, momentum, epsilon. */
static TM_DEVICE void FN(centered_rmsprop)(const tfc_train_job *j, int64_t b, int64_t e)
{
    TM_T *restrict var = (TM_T *)j->v[0], *restrict mg = (TM_T *)j->v[1], *restrict ms = (TM_T *)j->v[2], *restrict mom = (TM_T *)j->v[3];
    const TM_T *restrict g = (const TM_T *)j->g;
    const TM_T lr = (TM_T)j->s[0], one_minus_rho = 1 - (TM_T)j->s[1], momentum = (TM_T)j->s[2];
    const TM_T eps = (TM_T)j->s[3];
    for (int64_t i = b; i < e; i++) {
        ms[i] += (g[i] * g[i] - ms[i]) * one_minus_rho;
        mg[i] += (g[i] - mg[i]) * one_minus_rho;
        TM_T denom = (ms[i] - mg[i] * mg[i]) + eps;
        mom[i] = mom[i] * momentum + (g[i] * lr) / TM_SQRT(denom);
        var[i] -= mom[i];
    }
}

/* Scalars: beta1_power, beta2_power, lr, beta1, beta2, epsilon. */
static TM_DEVICE void FN(adam)(const tfc_train_job *j, int64_t b, int64_t e)
{
    TM_T *restrict var = (TM_T *)j->v[0], *restrict m = (TM_T *)j->v[1], *restrict v = (TM_T *)j->v[2];
    const TM_T *restrict g = (const TM_T *)j->g;
    const TM_T b1p = (TM_T)j->s[0], b2p = (TM_T)j->s[1], lr = (TM_T)j->s[2], beta1 = (TM_T)j->s[3];
    const TM_T one_minus_beta1 = 1 - beta1, one_minus_beta2 = 1 - (TM_T)j->s[4], eps = (TM_T)j->s[5];
    const TM_T alpha = lr * TM_SQRT(1 - b2p) / (1 - b1p);
    if (j->flag) { /* use_nesterov */
        for (int64_t i = b; i < e; i++) {
            m[i] += (g[i] - m[i]) * one_minus_beta1;
            v[i] += (g[i] * g[i] - v[i]) * one_minus_beta2;
            var[i] -= ((g[i] * one_minus_beta1 + beta1 * m[i]) * alpha) / (TM_SQRT(v[i]) + eps);
        }
    } else {
        for (int64_t i = b; i < e; i++) {
            m[i] += (g[i] - m[i]) * one_minus_beta1;
            v[i] += (g[i] * g[i] - v[i]) * one_minus_beta2;
            var[i] -= (m[i] * alpha) / (TM_SQRT(v[i]) + eps);
        }
    }
}

/* Scalars: beta1_power, lr, beta1, beta2, epsilon. */
static TM_DEVICE void FN(adamax)(const tfc_train_job *j, int64_t b, int64_t e)
{
    TM_T *restrict var = (TM_T *)j->v[0], *restrict m = (TM_T *)j->v[1], *restrict v = (TM_T *)j->v[2];
    const TM_T *restrict g = (const TM_T *)j->g;
    const TM_T b1p = (TM_T)j->s[0], lr = (TM_T)j->s[1], one_minus_beta1 = 1 - (TM_T)j->s[2];
    const TM_T beta2 = (TM_T)j->s[3], eps = (TM_T)j->s[4], step = lr / (1 - b1p);
    for (int64_t i = b; i < e; i++) {
        m[i] += (g[i] - m[i]) * one_minus_beta1;
        TM_T decayed = beta2 * v[i], ag = TM_FABS(g[i]);
        v[i] = decayed < ag ? ag : decayed; /* Eigen's cwiseMax */
        var[i] -= step * (m[i] / (v[i] + eps));
    }
}

/* ---- Ftrl and FtrlV2 ---- */

typedef struct FN(ftrl_consts) {
    TM_T lr, inv_lr, l1, l1_lr, two_l2, two_l2_lr, two_l2_shrinkage, neg_power;
} FN(ftrl_consts);

/* accum^(-lr_power), by sqrt in the lr_power == -0.5 case as TensorFlow. */
static inline TM_DEVICE TM_T FN(ftrl_pow)(TM_T x, TM_T neg_power, bool half)
{
    return half ? TM_SQRT(x) : TM_POW(x, neg_power);
}

/* One element; half and mul_lr are constants in each caller's loop, so they fold away. */
static inline TM_DEVICE void FN(ftrl_step)(TM_T *restrict var, TM_T *restrict accum, TM_T *restrict linear, TM_T g,
                                 const FN(ftrl_consts) *c, bool half, bool mul_lr)
{
    TM_T gws = g + c->two_l2_shrinkage * *var, new_accum = *accum + g * g;
    TM_T pn = FN(ftrl_pow)(new_accum, c->neg_power, half), po = FN(ftrl_pow)(*accum, c->neg_power, half);
    TM_T lin, thresh, y;
    if (mul_lr) {
        lin = *linear + (gws * c->lr - (pn - po) * *var);
        thresh = c->l1_lr;
        y = pn + c->two_l2_lr;
    } else {
        lin = *linear + (gws - (pn - po) * c->inv_lr * *var);
        thresh = c->l1;
        y = pn * c->inv_lr + c->two_l2;
    }
    *linear = lin;
    TM_T sign = (TM_T)((lin > 0) - (lin < 0));
    TM_T pre_shrink = (thresh * sign - lin) / y; /* computed either way, so the select vectorises */
    *var = TM_FABS(lin) > thresh ? pre_shrink : (TM_T)0;
    *accum += g * g;
}

/* Scalars: lr, l1, l2, lr_power (Ftrl) or lr, l1, l2, l2_shrinkage, lr_power (FtrlV2: j->shrink). */
static TM_DEVICE void FN(ftrl)(const tfc_train_job *j, int64_t b, int64_t e)
{
    TM_T *restrict var = (TM_T *)j->v[0], *restrict accum = (TM_T *)j->v[1], *restrict linear = (TM_T *)j->v[2];
    const TM_T *restrict g = (const TM_T *)j->g;
    const TM_T lr = (TM_T)j->s[0], l1 = (TM_T)j->s[1], l2 = (TM_T)j->s[2];
    const TM_T shrinkage = j->shrink ? (TM_T)j->s[3] : 0, lr_power = (TM_T)j->s[j->shrink ? 4 : 3];
    const FN(ftrl_consts) c = { lr, 1 / lr, l1, l1 * lr, 2 * l2, 2 * l2 * lr, 2 * shrinkage, -lr_power };
    const bool half = lr_power == (TM_T)-0.5;
    if (half && j->flag)
        for (int64_t i = b; i < e; i++) FN(ftrl_step)(var + i, accum + i, linear + i, g[i], &c, true, true);
    else if (half)
        for (int64_t i = b; i < e; i++) FN(ftrl_step)(var + i, accum + i, linear + i, g[i], &c, true, false);
    else if (j->flag)
        for (int64_t i = b; i < e; i++) FN(ftrl_step)(var + i, accum + i, linear + i, g[i], &c, false, true);
    else
        for (int64_t i = b; i < e; i++) FN(ftrl_step)(var + i, accum + i, linear + i, g[i], &c, false, false);
}
