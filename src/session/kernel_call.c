/* kernel_call: one kernel invocation, shared by both executors (executor.c, executor_cf.c): builds
 * the kernel context, gives a plain input fed by a ref variable's edge the variable's current
 * value for the duration of the call, and copies an input that lives in other memory than the
 * kernel reads (host <-> GPU) — the copies TensorFlow inserts at partition edges. */
#include <stdio.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "session/kernel_trace.h"
#include "session/session.h"
#include "session/variable.h"

static bool reads_ref_value(const tfc_plan_node *n, const TF_Tensor *in, int i)
{
    return in && tfc_dtype_is_ref(in->dtype) && !tfc_dtype_is_ref(n->op->input_types[i]);
}

/* A tensor sharing the value of the variable behind ref handle `in`, owned by the caller. */
static TF_Tensor *read_ref_value(const tfc_plan_node *n, const TF_Tensor *in, TF_Status *st)
{
    tfc_var *v = tfc_var_from_handle(in);
    char what[256];
    snprintf(what, sizeof what, "%s '%s'", n->op->def->name, n->op->name);
    TF_Tensor *value = NULL;
    if (!v) tfc_status_set(st, TF_INTERNAL, "%s: a ref input carries no variable", what);
    else tfc_var_read(v, &value, st, what);
    return value;
}

static void compute(const tfc_kernel_call *c, const tfc_plan_node *n, TF_Tensor *const *inputs, const bool *fwd,
                    TF_Tensor **outputs, TF_Status *local)
{
    tfc_kernel_ctx k = {
        .op_name = n->op->name, .op_type = n->op->def->name, .state = n->state,
        .n_inputs = n->n_inputs, .inputs = inputs, .input_forwardable = fwd,
        .n_outputs = n->n_outputs, .outputs = outputs, .output_types = n->op->output_types,
        .device = n->device, .host_outputs = n->kernel->host_outputs, .intra_pool = c->s->intra_pool, .resources = c->s->resources,
        .deadline_ns = c->deadline_ns, .step_failed = c->step_failed, .session_closing = &c->s->closing,
        .status = local,
    };
    n->kernel->compute(&k);
    if (local->code == TF_OK) tfc_kernel_trace_ran(n);
}

/* The memory input i must be in for n's kernel: the host for a CPU kernel or a host-memory arg
 * (shapes, axes), else the node's device. */
static const tfc_device *wanted_device(const tfc_plan_node *n, int i)
{
    bool host_arg = (i < 64 && (n->kernel->host_inputs >> i & 1)) || (n->kernel->host_last_input && i == n->n_inputs - 1);
    return host_arg || tfc_device_is_host(n->device) ? NULL : n->device;
}

/* True when input `in` must be copied to other memory first: the partition edge between a host
 * and a device op. Handles, refs, strings and inputs whose data the kernel never reads stay where
 * they are. */
static bool needs_move(const tfc_plan_node *n, const TF_Tensor *in, int i)
{
    if (!in || !in->buf || in->buf->object || in->dtype == TF_STRING || tfc_dtype_is_ref(in->dtype)) return false;
    if (i < 64 && (n->kernel->meta_inputs >> i & 1)) return false;
    const tfc_device *want = wanted_device(n, i);
    if (tfc_device_is_host(want)) return !tfc_tensor_on_host(in);
    return in->buf->device != want;
}

static bool needs_substitute(const tfc_plan_node *n, const TF_Tensor *in, int i)
{
    return reads_ref_value(n, in, i) || needs_move(n, in, i);
}

/* What the kernel reads as input i: the variable's value behind a ref, copied into the memory the
 * kernel wants when it lives elsewhere. Owned by the caller. */
static TF_Tensor *substitute(const tfc_plan_node *n, TF_Tensor *in, int i, TF_Status *st)
{
    TF_Tensor *value = reads_ref_value(n, in, i) ? read_ref_value(n, in, st) : NULL;
    const TF_Tensor *from = value ? value : in;
    if (!from || !needs_move(n, from, i)) return value ? value : tfc_tensor_ref(in);
    TF_Tensor *moved = NULL;
    if (tfc_tensor_copy_to(from, wanted_device(n, i), &moved, st) && st->code != TF_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", st->msg ? st->msg : "copy failed");
        tfc_status_set(st, st->code, "%s '%s': input %d: %s", n->op->def->name, n->op->name, i, msg);
    }
    TF_DeleteTensor(value);
    return moved;
}

void tfc_call_kernel(const tfc_kernel_call *c, const tfc_plan_node *n, TF_Tensor *const *inputs, const bool *fwd,
                     TF_Tensor **outputs, TF_Status *local)
{
    int subs = 0;
    for (int i = 0; i < n->n_inputs; i++) subs += needs_substitute(n, inputs[i], i);
    if (!subs) {
        compute(c, n, inputs, fwd, outputs, local);
        return;
    }
    /* Some inputs read variables or sit in other memory: call with a copy of the input array
     * holding the values the kernel should see; those buffers are not the executor's to forward. */
    TF_Tensor **args = tfc_calloc((size_t)n->n_inputs, sizeof *args);
    bool *no_fwd = tfc_calloc((size_t)n->n_inputs, sizeof *no_fwd);
    if (!args || !no_fwd) {
        tfc_status_set(local, TF_RESOURCE_EXHAUSTED, "%s '%s': out of memory", n->op->def->name, n->op->name);
    } else {
        for (int i = 0; i < n->n_inputs && local->code == TF_OK; i++) {
            bool sub = needs_substitute(n, inputs[i], i);
            args[i] = sub ? substitute(n, inputs[i], i, local) : inputs[i];
            no_fwd[i] = !sub && fwd && fwd[i];
        }
        if (local->code == TF_OK) compute(c, n, args, no_fwd, outputs, local);
        for (int i = 0; i < n->n_inputs; i++) /* args[i] is ours wherever it is not the executor's */
            if (args[i] != inputs[i]) TF_DeleteTensor(args[i]);
    }
    tfc_free(args);
    tfc_free(no_fwd);
}

TF_Code tfc_tensors_to_host(TF_Tensor **t, int n, TF_Status *st)
{
    for (int i = 0; t && i < n; i++) {
        if (!t[i] || tfc_tensor_on_host(t[i])) continue;
        TF_Tensor *host = NULL;
        TF_Code rc = tfc_tensor_copy(t[i], &host, st);
        if (rc) return rc;
        TF_DeleteTensor(t[i]);
        t[i] = host;
    }
    return TF_OK;
}
