/* training_update: the device-independent half of the optimizer kernels (see training_update.h). */
#include "kernels/training_update.h"

#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/shape.h"
#include "kernels/var_access.h"
#include "ops/op_def.h"

typedef struct tfc_train_spec {
    const char *name;  /* X of ApplyX / ResourceApplyX */
    int n_vars, grad;  /* the variables are inputs [0, n_vars); grad is an input index */
    const char *flag;  /* the op's bool attr besides use_locking, or NULL */
    bool flag_default;
    tfc_train_rule rule;
    int64_t cost;      /* rough CPU ns per element */
} tfc_train_spec;

static const tfc_train_spec specs[] = {
    { "GradientDescent", 1, 2, NULL, false, TFC_TRAIN_SGD, 1 },
    { "Momentum", 2, 3, "use_nesterov", false, TFC_TRAIN_MOMENTUM, 2 },
    { "Adagrad", 2, 3, "update_slots", true, TFC_TRAIN_ADAGRAD, 4 },
    { "Adadelta", 3, 6, NULL, false, TFC_TRAIN_ADADELTA, 8 },
    { "RMSProp", 3, 7, NULL, false, TFC_TRAIN_RMSPROP, 6 },
    { "CenteredRMSProp", 4, 8, NULL, false, TFC_TRAIN_CENTERED_RMSPROP, 8 },
    { "Adam", 3, 9, "use_nesterov", false, TFC_TRAIN_ADAM, 6 },
    { "AdaMax", 3, 8, NULL, false, TFC_TRAIN_ADAMAX, 5 },
    { "Ftrl", 3, 3, "multiply_linear_by_lr", false, TFC_TRAIN_FTRL, 30 },
    { "FtrlV2", 3, 3, "multiply_linear_by_lr", false, TFC_TRAIN_FTRL, 30 },
};

TF_Code tfc_train_init(const tfc_kernel_init_ctx *c, void **state)
{
    const char *x = c->op_type;
    bool is_ref = strncmp(x, "Resource", 8) != 0;
    x += is_ref ? 0 : 8;
    x += strncmp(x, "Apply", 5) ? 0 : 5;
    const tfc_train_spec *sp = NULL;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0] && !sp; i++)
        if (!strcmp(specs[i].name, x)) sp = &specs[i];
    const tfc_op_def *def = tfc_op_lookup(c->op_type);
    if (!sp || !def) return tfc_kernel_init_error(c, TF_INTERNAL, "no update rule for %s", c->op_type);
    tfc_train_state *s = tfc_calloc(1, sizeof *s);
    if (!s) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    s->spec = sp;
    s->def = def;
    s->rule = sp->rule;
    s->n_vars = sp->n_vars;
    s->cost = sp->cost;
    s->dtype = tfc_attrs_type(c->attrs, "T", 0);
    s->is_ref = is_ref;
    s->flag = sp->flag ? tfc_attrs_bool(c->attrs, sp->flag, sp->flag_default) : false;
    *state = s;
    return TF_OK;
}

void tfc_train_free(void *state) { tfc_free(state); }

static bool same_shape(const TF_Tensor *a, const TF_Tensor *b)
{
    if (a->ndims != b->ndims) return false;
    for (int i = 0; i < a->ndims; i++)
        if (a->dims[i] != b->dims[i]) return false;
    return true;
}

static TF_Code shape_mismatch(tfc_kernel_ctx *k, const tfc_train_state *st, int i, const TF_Tensor *var,
                              const TF_Tensor *t)
{
    char a[256], b[256];
    return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "var and %s do not have the same shape: %s vs %s",
                            st->def->inputs[i].name, tfc_dims_str(var->dims, var->ndims, a, sizeof a),
                            tfc_dims_str(t->dims, t->ndims, b, sizeof b));
}

/* The variables' values: the op's dtype, var's shape, distinct variables. */
static TF_Code check_vars(tfc_kernel_ctx *k, const tfc_train_state *st, const tfc_var_update *u)
{
    for (int i = 0; i < st->n_vars; i++) {
        const TF_Tensor *v = u->values[i];
        if (v->dtype != st->dtype)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s (variable %s) holds %s but the op's T is %s",
                                    st->def->inputs[i].name, u->vars[i]->name, tfc_dtype_name(v->dtype),
                                    tfc_dtype_name(st->dtype));
        if (!same_shape(u->values[0], v)) return shape_mismatch(k, st, i, u->values[0], v);
    }
    if (u->n_locked != st->n_vars)
        return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "the same variable is passed as two of the inputs %s",
                                st->n_vars == 4 ? "var, mg, ms and mom" : "var and its accumulators");
    return TF_OK;
}

/* The other inputs: scalars of the op's dtype, and a gradient of var's shape. Fills the job's
 * pointers (the data may be in device memory: nothing is read here). */
static TF_Code check_inputs(tfc_kernel_ctx *k, const tfc_train_state *st, const TF_Tensor *var, tfc_train_job *j)
{
    for (int i = st->n_vars; i < k->n_inputs; i++) {
        const TF_Tensor *t = tfc_kernel_input(k, i);
        const char *name = st->def->inputs[i].name;
        if (t->dtype != st->dtype)
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s is %s, want %s", name, tfc_dtype_name(t->dtype),
                                    tfc_dtype_name(st->dtype));
        if (i == st->spec->grad) {
            if (!same_shape(var, t)) return shape_mismatch(k, st, i, var, t);
            j->g = tfc_tensor_data(t);
            continue;
        }
        if (t->ndims != 0) {
            char a[256];
            return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "%s is not a scalar: %s", name,
                                    tfc_dims_str(t->dims, t->ndims, a, sizeof a));
        }
        if (j->n_scalars == TFC_TRAIN_MAX_SCALARS) return tfc_kernel_error(k, TF_INTERNAL, "too many scalar inputs");
        j->sp[j->n_scalars++] = tfc_tensor_data(t);
    }
    return TF_OK;
}

void tfc_train_compute(tfc_kernel_ctx *k, tfc_train_run_fn run)
{
    const tfc_train_state *st = tfc_kernel_state(k);
    static const int var_inputs[TFC_TRAIN_MAX_VARS] = { 0, 1, 2, 3 };
    tfc_var_update u;
    if (tfc_var_update_begin(k, var_inputs, st->n_vars, false, &u)) return;
    tfc_train_job j = { .flag = st->flag, .shrink = !strcmp(st->spec->name, "FtrlV2") };
    if (check_vars(k, st, &u) == TF_OK && check_inputs(k, st, u.values[0], &j) == TF_OK) {
        int64_t n = u.values[0]->nelems;
        for (int i = 0; i < st->n_vars; i++) j.v[i] = tfc_tensor_data(u.values[i]);
        if (n > 0) run(k, st, &j, n);
    }
    tfc_var_update_end(&u);
    if (st->is_ref && tfc_kernel_ok(k)) tfc_kernel_forward_ref(k, 0, 0);
}
