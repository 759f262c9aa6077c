/* place: chooses the device and kernel of one plan node and initialises the kernel's state.
 * An explicit device request wins (with allow_soft_placement a request that cannot be met falls
 * back); a node with a ref or resource input goes with its variable; otherwise an accelerator with a
 * kernel for the node's dtype, then the CPU. */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "session/devices.h"
#include "session/session.h"

static TF_Code no_kernel(const tfc_plan_node *n, const char *device_type, TF_Status *st)
{
    char list[512];
    const TF_DataType t = tfc_attrs_type(&n->op->attrs, "T", 0);
    return tfc_status_set(st, TF_NOT_FOUND,
                          "No kernel registered for op %s (node '%s') on %s%s%s; registered kernels: %s",
                          n->op->def->name, n->op->name, device_type, t ? " with T=" : "",
                          t ? tfc_dtype_name(t) : "", tfc_kernel_list_for_op(n->op->def->name, list, sizeof list));
}

/* True when every op using op's ref or resource outputs — and, through ops that pass a ref on
 * (Assign), theirs — can run on device_type: has a kernel there and asks for no other device
 * type. A variable goes to an accelerator only when all its users can follow it, as TensorFlow
 * places a colocation group; its value then stays in that device's memory. Graph lock held. */
static bool handle_users_fit(const TF_Operation *op, const char *device_type, int depth)
{
    for (int o = 0; o < op->n_outputs; o++) {
        if (!tfc_dtype_is_ref(op->output_types[o]) && op->output_types[o] != TF_RESOURCE) continue;
        const tfc_input_list *users = &op->consumers[o];
        for (int i = 0; i < users->n; i++) {
            const TF_Operation *u = users->items[i].oper;
            tfc_device_spec spec;
            if (tfc_parse_device(u->device, &spec) || (spec.type[0] && strcmp(spec.type, device_type)) ||
                !tfc_kernel_lookup(u->def->name, device_type, &u->attrs))
                return false;
            if (depth > 16 || !handle_users_fit(u, device_type, depth + 1)) return false;
        }
    }
    return true;
}

static bool users_can_follow(const TF_Operation *op, const char *device_type)
{
    tfc_graph_lock(op->graph);
    bool fit = handle_users_fit(op, device_type, 0);
    tfc_graph_unlock(op->graph);
    return fit;
}

/* The device matching spec that has a kernel for the node, or NULL. Accelerators come first, as
 * in TensorFlow: an op with a GPU kernel for its dtype goes to the GPU (a variable when its users
 * can follow it there). */
static const tfc_device *find_device(const TF_Session *s, const tfc_plan_node *n, const tfc_device_spec *spec,
                                     const tfc_kernel_def **kernel)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < s->n_devices; i++) {
            const tfc_device *d = s->devices[i];
            if ((strcmp(d->type, "CPU") != 0) == (pass == 1)) continue; /* pass 0: not CPU; pass 1: CPU */
            if (spec->type[0] && strcmp(spec->type, d->type)) continue;
            if (spec->index >= 0 && spec->index != d->index) continue;
            *kernel = tfc_kernel_lookup(n->op->def->name, d->type, &n->op->attrs);
            if (*kernel && (pass == 1 || spec->type[0] || users_can_follow(n->op, d->type))) return d;
        }
    return NULL;
}

/* The variable a node updates or reads through a ref or resource input: its producer (NULL when none). */
static const TF_Operation *variable_input(const TF_Operation *op)
{
    for (int i = 0; i < op->n_inputs; i++)
        if (tfc_dtype_is_ref(op->input_types[i]) || op->input_types[i] == TF_RESOURCE) return op->inputs[i].oper;
    return NULL;
}

/* The device op is given when it states none: stateful ops sit with their variables (a ref or a
 * handle never crosses devices), so a node with a ref or resource input goes where the op making
 * it goes — decided the same way, so the answer does not depend on which node is placed first. */
static TF_Code implied_spec(const TF_Session *s, const TF_Operation *op, tfc_device_spec *spec, int depth)
{
    const TF_Operation *var = variable_input(op);
    if (!var || depth > 16) return TF_OK;
    tfc_device_spec vspec;
    if (tfc_parse_device(var->device, &vspec)) return TF_INVALID_ARGUMENT;
    if (!vspec.type[0]) implied_spec(s, var, &vspec, depth + 1);
    tfc_plan_node probe = { .op = (TF_Operation *)var };
    const tfc_kernel_def *k = NULL;
    const tfc_device *d = find_device(s, &probe, &vspec, &k);
    if (!d && s->allow_soft_placement) d = find_device(s, &probe, &(tfc_device_spec){ .index = -1 }, &k);
    if (d) {
        snprintf(spec->type, sizeof spec->type, "%s", d->type);
        spec->index = d->index;
    }
    return TF_OK;
}

static TF_Code placed(const TF_Session *s, tfc_plan_node *n, const tfc_device *d, const tfc_kernel_def *k)
{
    n->device = d;
    n->kernel = k;
    if (s->log_device_placement) /* TensorFlow's format, on stderr */
        fprintf(stderr, "%s: (%s): %s\n", n->op->name, n->op->def->name, d->name);
    return TF_OK;
}

static TF_Code choose(const TF_Session *s, tfc_plan_node *n, TF_Status *st)
{
    tfc_device_spec spec, any = { .index = -1 };
    if (tfc_parse_device(n->op->device, &spec))
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "Cannot assign a device for operation '%s': '%s' is not a "
                              "device of this process", n->op->name, n->op->device);
    if (!spec.type[0] && implied_spec(s, n->op, &spec, 0) == TF_OK && spec.type[0]) {
        const tfc_kernel_def *k = NULL;
        const tfc_device *d = find_device(s, n, &spec, &k);
        if (!d) { /* soft placement cannot help: the variable cannot move */
            char list[256];
            return tfc_status_set(st, TF_INVALID_ARGUMENT,
                                  "Cannot colocate %s '%s' with its variable '%s' on %s: no %s kernel (registered: %s)",
                                  n->op->def->name, n->op->name, variable_input(n->op)->name, spec.type, spec.type,
                                  tfc_kernel_list_for_op(n->op->def->name, list, sizeof list));
        }
        return placed(s, n, d, k);
    }
    const tfc_kernel_def *k = NULL;
    const tfc_device *d = find_device(s, n, &spec, &k);
    if (!d && s->allow_soft_placement) d = find_device(s, n, &any, &k);
    if (!d && !spec.type[0]) return no_kernel(n, s->devices[0]->type, st);
    if (!d) {
        bool exists = false;
        for (int i = 0; i < s->n_devices; i++)
            exists |= !strcmp(s->devices[i]->type, spec.type) &&
                      (spec.index < 0 || spec.index == s->devices[i]->index);
        if (exists) { /* TensorFlow's wording: a pinned op whose device lacks the kernel */
            char list[512];
            return tfc_status_set(st, TF_INVALID_ARGUMENT,
                                  "Cannot assign a device for operation '%s': Could not satisfy explicit device "
                                  "specification '%s' because no supported kernel for %s devices is available. "
                                  "Registered kernels: %s",
                                  n->op->name, n->op->device, spec.type,
                                  tfc_kernel_list_for_op(n->op->def->name, list, sizeof list));
        }
        return tfc_status_set(st, TF_INVALID_ARGUMENT,
                              "Cannot assign a device for operation '%s': no device '%s' in this session "
                              "(set allow_soft_placement to fall back)", n->op->name, n->op->device);
    }
    return placed(s, n, d, k);
}

struct tfc_shared_state {
    const TF_Operation *op;
    const tfc_kernel_def *kernel;
    void *state;
};

/* The session-wide state of a stateful node, or NULL. Called with the session lock held. */
static struct tfc_shared_state *find_shared(TF_Session *s, const tfc_plan_node *n)
{
    for (int i = 0; i < s->n_shared; i++)
        if (s->shared_states[i].op == n->op && s->shared_states[i].kernel == n->kernel) return &s->shared_states[i];
    return NULL;
}

void tfc_free_shared_states(TF_Session *s)
{
    for (int i = 0; i < s->n_shared; i++) {
        struct tfc_shared_state *x = &s->shared_states[i];
        if (x->state && x->kernel->free_state) x->kernel->free_state(x->state);
    }
    tfc_free(s->shared_states);
    s->shared_states = NULL;
    s->n_shared = s->cap_shared = 0;
}

/* Keeps a stateful node's new state in the session; false when out of memory. */
static bool share_state(TF_Session *s, tfc_plan_node *n)
{
    if (tfc_grow((void **)&s->shared_states, &s->cap_shared, s->n_shared + 1, sizeof *s->shared_states))
        return false;
    s->shared_states[s->n_shared++] = (struct tfc_shared_state){ n->op, n->kernel, n->state };
    n->owns_state = false;
    return true;
}

TF_Code tfc_place_node(TF_Session *s, tfc_plan_node *n, TF_Status *st)
{
    TF_Code rc = choose(s, n, st);
    if (rc || !n->kernel->init) return rc;
    bool stateful = (n->op->def->flags & TFC_OP_STATEFUL) != 0;
    const struct tfc_shared_state *shared = stateful ? find_shared(s, n) : NULL;
    if (shared) {
        n->state = shared->state;
        n->owns_state = false;
        return TF_OK;
    }
    tfc_kernel_init_ctx c = {
        .op_name = n->op->name, .op_type = n->op->def->name, .attrs = &n->op->attrs,
        .n_inputs = n->op->n_inputs, .input_types = n->op->input_types,
        .n_outputs = n->op->n_outputs, .output_types = n->op->output_types,
        .device = n->device, .status = st,
    };
    rc = n->kernel->init(&c, &n->state);
    if (rc && st->code == TF_OK)
        tfc_status_set(st, rc, "%s '%s': kernel initialisation failed", n->op->def->name, n->op->name);
    if (rc) return rc;
    n->owns_state = true;
    if (stateful && !share_state(s, n))
        return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory planning '%s'", n->op->name);
    return TF_OK;
}
