/* var_access: kernel-side access to variables (see var_access.h). */
#include "kernels/var_access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dtype.h"

const char *tfc_kernel_what(const tfc_kernel_ctx *k, char *buf, size_t size)
{
    snprintf(buf, size, "%s '%s'", k->op_type, k->op_name);
    return buf;
}

TF_Code tfc_kernel_input_var(tfc_kernel_ctx *k, int i, tfc_var **out)
{
    *out = i >= 0 && i < k->n_inputs ? tfc_var_from_handle(k->inputs[i]) : NULL;
    if (*out) return TF_OK;
    return tfc_kernel_error(k, TF_INVALID_ARGUMENT, "input %d is not a variable (a ref or a resource handle)", i);
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(tfc_var *const *)a, y = (uintptr_t)*(tfc_var *const *)b;
    return (x > y) - (x < y);
}

static void unlock_all(tfc_var_update *u)
{
    for (int i = u->n_locked - 1; i >= 0; i--) pthread_mutex_unlock(&u->locked[i]->mu);
    u->n_locked = 0;
}

/* Under the locks: checks and prepares the value of every requested variable. */
static TF_Code prepare_values(tfc_kernel_ctx *k, tfc_var_update *u, bool allow_uninitialized)
{
    char what[256];
    tfc_kernel_what(k, what, sizeof what);
    for (int j = 0; j < u->n_locked; j++) {
        tfc_var *v = u->locked[j];
        if (!v->value && allow_uninitialized && !v->destroyed) continue;
        if (tfc_var_check_initialized(v, k->status, what) || tfc_var_move_to(v, k->device, k->status, what) ||
            tfc_var_make_exclusive(v, k->status, what))
            return k->status->code;
    }
    for (int j = 0; j < u->n; j++) u->values[j] = u->vars[j]->value;
    return TF_OK;
}

TF_Code tfc_var_update_begin(tfc_kernel_ctx *k, const int *inputs, int n, bool allow_uninitialized,
                             tfc_var_update *u)
{
    memset(u, 0, sizeof *u);
    if (n > TFC_MAX_UPDATE_VARS) return tfc_kernel_error(k, TF_INTERNAL, "too many variables in one update");
    for (int j = 0; j < n; j++) {
        if (tfc_kernel_input_var(k, inputs[j], &u->vars[j])) return k->status->code;
        u->locked[j] = u->vars[j];
    }
    u->n = n;
    qsort(u->locked, (size_t)n, sizeof u->locked[0], cmp_ptr);
    int distinct = 0;
    for (int j = 0; j < n; j++)
        if (j == 0 || u->locked[j] != u->locked[j - 1]) u->locked[distinct++] = u->locked[j];
    for (int j = 0; j < distinct; j++) pthread_mutex_lock(&u->locked[j]->mu);
    u->n_locked = distinct;
    if (prepare_values(k, u, allow_uninitialized)) {
        unlock_all(u);
        return k->status->code;
    }
    return TF_OK;
}

void tfc_var_update_end(tfc_var_update *u) { unlock_all(u); }

void tfc_kernel_forward_ref(tfc_kernel_ctx *k, int in, int out)
{
    TF_Tensor *t = tfc_tensor_ref(k->inputs[in]);
    if (!t) {
        tfc_kernel_error(k, TF_RESOURCE_EXHAUSTED, "out of memory passing on a variable reference");
        return;
    }
    tfc_kernel_set_output(k, out, t);
}
