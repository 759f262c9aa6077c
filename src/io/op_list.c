/* op_list: the op and kernel registries as TensorFlow protos: TF_GetAllOpList, TF_GraphGetOpDef
 * (OpDef / OpList, from ops/op_def.h tables) and TF_GetAllRegisteredKernels,
 * TF_GetRegisteredKernelsForOp (KernelList, discovered through kernels/kernel.h lookups). */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/status.h"
#include "io/graphdef.h"
#include "kernels/kernel.h"
#include "ops/op_def.h"
#include "kernel_def.pb-c.h"
#include "op_def.pb-c.h"

static const char *const kind_names[] = { "string", "int",    "float",       "bool", "type",
                                          "shape",  "tensor", "placeholder", "func" };

static Tensorflow__OpDef__ArgDef *arg_def(tfc_pb_arena *a, const tfc_arg_def *d)
{
    Tensorflow__OpDef__ArgDef *p = tfc_arena_alloc(a, sizeof *p);
    if (!p) return NULL;
    tensorflow__op_def__arg_def__init(p);
    p->name = (char *)d->name;
    p->type = (Tensorflow__DataType)(d->type ? tfc_dtype_base(d->type) : 0);
    p->type_attr = (char *)(d->type_attr ? d->type_attr : "");
    p->number_attr = (char *)(d->number_attr ? d->number_attr : "");
    p->type_list_attr = (char *)(d->type_list_attr ? d->type_list_attr : "");
    p->is_ref = d->is_ref || tfc_dtype_is_ref(d->type);
    return p;
}

static Tensorflow__AttrValue *types_value(tfc_pb_arena *a, uint64_t mask, TF_Status *st)
{
    TF_DataType types[64];
    int n = 0;
    for (int t = 1; t < 64; t++)
        if ((mask & TFC_TYPE_BIT(t)) && tfc_dtype_valid(t)) types[n++] = (TF_DataType)t;
    tfc_attr_value v = { .type = TF_ATTR_TYPE, .is_list = true, .n = n, .u.tl = types };
    Tensorflow__AttrValue *p = NULL;
    return tfc_attr_to_proto(a, &v, &p, st) ? NULL : p;
}

/* The AttrValue of an attr def's default (a borrowed view converted into the arena). */
static Tensorflow__AttrValue *default_value(tfc_pb_arena *a, const tfc_attr_def *d, TF_Status *st)
{
    const tfc_attr_default *dv = &d->dflt;
    tfc_attr_value v = { .type = d->type, .is_list = d->is_list };
    if (!d->is_list) {
        switch (d->type) {
        case TF_ATTR_INT: v.u.i = dv->i; break;
        case TF_ATTR_FLOAT: v.u.f = dv->f; break;
        case TF_ATTR_BOOL: v.u.b = dv->b; break;
        case TF_ATTR_TYPE: v.u.type = dv->type; break;
        case TF_ATTR_SHAPE: v.u.shape = tfc_pshape_make(dv->ints, dv->n); break;
        case TF_ATTR_STRING:
        case TF_ATTR_FUNC:
        case TF_ATTR_PLACEHOLDER: v.u.s.p = (char *)(dv->s ? dv->s : ""), v.u.s.len = strlen(v.u.s.p); break;
        default: return NULL; /* no tensor defaults in the registry */
        }
    } else {
        v.n = dv->n;
        size_t *lens = tfc_arena_alloc(a, sizeof *lens * (size_t)(dv->n + 1));
        if (!lens) return NULL;
        switch (d->type) {
        case TF_ATTR_INT: v.u.il = (int64_t *)dv->ints; break;
        case TF_ATTR_FLOAT: v.u.fl = (float *)dv->floats; break;
        case TF_ATTR_TYPE: v.u.tl = (TF_DataType *)dv->types; break;
        case TF_ATTR_STRING:
            for (int i = 0; i < dv->n; i++) lens[i] = strlen(dv->strings[i]);
            v.u.sl.p = (char **)dv->strings, v.u.sl.len = lens;
            break;
        default: v.n = 0; break;
        }
    }
    Tensorflow__AttrValue *p = NULL;
    return tfc_attr_to_proto(a, &v, &p, st) ? NULL : p;
}

static Tensorflow__OpDef__AttrDef *attr_def(tfc_pb_arena *a, const tfc_attr_def *d, TF_Status *st)
{
    Tensorflow__OpDef__AttrDef *p = tfc_arena_alloc(a, sizeof *p);
    char *type = tfc_arena_alloc(a, 32);
    if (!p || !type || (unsigned)d->type > 8) return NULL;
    tensorflow__op_def__attr_def__init(p);
    p->name = (char *)d->name;
    snprintf(type, 32, d->is_list ? "list(%s)" : "%s", kind_names[d->type]);
    p->type = type;
    if (d->has_default && !(p->default_value = default_value(a, d, st))) return NULL;
    p->has_minimum = d->has_minimum;
    p->minimum = d->minimum;
    if (d->type == TF_ATTR_TYPE && d->allowed && !(p->allowed_values = types_value(a, d->allowed, st)))
        return NULL;
    if (d->type == TF_ATTR_STRING && d->allowed_strings) {
        int n = 0;
        while (d->allowed_strings[n]) n++;
        size_t *lens = tfc_arena_alloc(a, sizeof *lens * (size_t)(n + 1));
        if (!lens) return NULL;
        for (int i = 0; i < n; i++) lens[i] = strlen(d->allowed_strings[i]);
        tfc_attr_value v = {
            .type = TF_ATTR_STRING, .is_list = true, .n = n, .u.sl = { (char **)d->allowed_strings, lens }
        };
        if (tfc_attr_to_proto(a, &v, &p->allowed_values, st)) return NULL;
    }
    return p;
}

static int count_args(const tfc_arg_def *a)
{
    int n = 0;
    while (a && a[n].name) n++;
    return n;
}
static int count_attrs(const tfc_attr_def *a)
{
    int n = 0;
    while (a && a[n].name) n++;
    return n;
}

static Tensorflow__OpDef *op_def(tfc_pb_arena *a, const tfc_op_def *d, TF_Status *st)
{
    Tensorflow__OpDef *p = tfc_arena_alloc(a, sizeof *p);
    int ni = count_args(d->inputs), no = count_args(d->outputs), na = count_attrs(d->attrs);
    if (!p) return NULL;
    tensorflow__op_def__init(p);
    p->name = (char *)d->name;
    p->summary = (char *)(d->summary ? d->summary : "");
    p->input_arg = tfc_arena_alloc(a, sizeof *p->input_arg * (size_t)(ni + 1));
    p->output_arg = tfc_arena_alloc(a, sizeof *p->output_arg * (size_t)(no + 1));
    p->attr = tfc_arena_alloc(a, sizeof *p->attr * (size_t)(na + 1));
    if (!p->input_arg || !p->output_arg || !p->attr) return NULL;
    for (int i = 0; i < ni; i++)
        if (!(p->input_arg[p->n_input_arg++] = arg_def(a, &d->inputs[i]))) return NULL;
    for (int i = 0; i < no; i++)
        if (!(p->output_arg[p->n_output_arg++] = arg_def(a, &d->outputs[i]))) return NULL;
    for (int i = 0; i < na; i++)
        if (!(p->attr[p->n_attr++] = attr_def(a, &d->attrs[i], st))) return NULL;
    p->is_stateful = (d->flags & TFC_OP_STATEFUL) != 0;
    p->is_commutative = (d->flags & TFC_OP_COMMUTATIVE) != 0;
    p->is_aggregate = (d->flags & TFC_OP_AGGREGATE) != 0;
    p->allows_uninitialized_input = (d->flags & TFC_OP_ALLOWS_UNINITIALIZED_INPUT) != 0;
    return p;
}

static TF_Code arena_error(tfc_pb_arena *a, TF_Status *st, const char *what)
{
    if (TF_GetCode(st) != TF_OK) return TF_GetCode(st);
    return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory writing %s", what);
}

void TF_GraphGetOpDef(TF_Graph *graph, const char *op_name, TF_Buffer *output_op_def, TF_Status *status)
{
    tfc_status_clear(status);
    const tfc_op_def *d = op_name ? tfc_op_lookup(op_name) : NULL;
    if (!d) {
        tfc_status_set(status, TF_NOT_FOUND, "Op type not registered '%s' in binary running on tfc.",
                       op_name ? op_name : "(null)");
        return;
    }
    if (tfc_buffer_check_empty(output_op_def, status)) return;
    tfc_pb_arena a = { 0 };
    Tensorflow__OpDef *p = op_def(&a, d, status);
    if (!p)
        arena_error(&a, status, "an OpDef");
    else if (!tfc_buffer_set_packed(output_op_def, &p->base, status))
        tfc_status_clear(status);
    tfc_arena_free(&a);
}

TF_Buffer *TF_GetAllOpList(void)
{
    int n = tfc_op_count();
    tfc_pb_arena a = { 0 };
    TF_Status st = { 0 };
    TF_Buffer *buf = TF_NewBuffer();
    Tensorflow__OpList list;
    tensorflow__op_list__init(&list);
    list.op = tfc_arena_alloc(&a, sizeof *list.op * (size_t)(n + 1));
    for (int i = 0; buf && list.op && i < n; i++) {
        if (!(list.op[i] = op_def(&a, tfc_op_at(i), &st))) break;
        list.n_op++;
    }
    if (!buf || (int)list.n_op != n || tfc_buffer_set_packed(buf, &list.base, &st)) {
        TF_DeleteBuffer(buf);
        buf = NULL;
    }
    tfc_status_clear(&st);
    tfc_arena_free(&a);
    return buf;
}

/* ---- kernels ---- */

#define MAX_KERNELS_PER_OP 64

/* Collects the distinct kernels of op on device by probing the registry with every dtype in every
 * type attr of the op (and with no attrs, which finds dtype-independent kernels). */
static int kernels_for(const tfc_op_def *op, const char *device, const tfc_kernel_def **out)
{
    int n = 0;
    tfc_attrs attrs = { 0 };
    for (int t = 0; t < 64; t++) {
        if (t > 0 && !tfc_dtype_valid(t)) continue;
        tfc_attrs_clear(&attrs);
        for (const tfc_attr_def *a = op->attrs; t > 0 && a && a->name; a++) {
            if (a->type != TF_ATTR_TYPE || a->is_list) continue;
            tfc_attr_value v = { .type = TF_ATTR_TYPE, .u.type = (TF_DataType)t };
            tfc_attrs_put(&attrs, a->name, &v);
        }
        const tfc_kernel_def *k = tfc_kernel_lookup(op->name, device, t > 0 ? &attrs : NULL);
        bool seen = !k;
        for (int i = 0; !seen && i < n; i++) seen = out[i] == k;
        if (!seen && n < MAX_KERNELS_PER_OP) out[n++] = k;
    }
    tfc_attrs_clear(&attrs);
    return n;
}

static Tensorflow__KernelDef *kernel_def(tfc_pb_arena *a, const tfc_op_def *op, const tfc_kernel_def *k,
                                         TF_Status *st)
{
    Tensorflow__KernelDef *p = tfc_arena_alloc(a, sizeof *p);
    int ni = count_args(op->inputs);
    if (!p) return NULL;
    tensorflow__kernel_def__init(p);
    p->op = (char *)k->op;
    p->device_type = (char *)k->device_type;
    if (k->types) {
        Tensorflow__KernelDef__AttrConstraint *c = tfc_arena_alloc(a, sizeof *c);
        p->constraint = tfc_arena_alloc(a, sizeof *p->constraint);
        if (!c || !p->constraint) return NULL;
        tensorflow__kernel_def__attr_constraint__init(c);
        c->name = (char *)(k->type_attr ? k->type_attr : "T");
        if (!(c->allowed_values = types_value(a, k->types, st))) return NULL;
        p->constraint[p->n_constraint++] = c;
    }
    p->host_memory_arg =
        tfc_arena_alloc(a, sizeof *p->host_memory_arg * (size_t)(ni + count_args(op->outputs) + 1));
    if (!p->host_memory_arg) return NULL;
    for (int i = 0; i < ni && i < 64; i++)
        if ((k->host_inputs & (UINT64_C(1) << i)) || (k->host_last_input && i == ni - 1))
            p->host_memory_arg[p->n_host_memory_arg++] = (char *)op->inputs[i].name;
    for (int i = 0; i < count_args(op->outputs) && i < 64; i++)
        if (k->host_outputs & (UINT64_C(1) << i))
            p->host_memory_arg[p->n_host_memory_arg++] = (char *)op->outputs[i].name;
    return p;
}

static TF_Code add_op_kernels(tfc_pb_arena *a, const tfc_op_def *op, Tensorflow__KernelList *list, int *cap,
                              TF_Status *st)
{
    static const char *const devices[] = { "CPU", "GPU" };
    for (int dv = 0; dv < 2; dv++) {
        const tfc_kernel_def *ks[MAX_KERNELS_PER_OP];
        int n = kernels_for(op, devices[dv], ks);
        for (int i = 0; i < n; i++) {
            if ((int)list->n_kernel == *cap) {
                int nc = *cap ? *cap * 2 : 64;
                Tensorflow__KernelDef **grown = tfc_arena_alloc(a, sizeof *grown * (size_t)nc);
                if (!grown) return arena_error(a, st, "a KernelList");
                if (list->n_kernel) memcpy(grown, list->kernel, sizeof *grown * list->n_kernel);
                list->kernel = grown;
                *cap = nc;
            }
            Tensorflow__KernelDef *k = kernel_def(a, op, ks[i], st);
            if (!k) return arena_error(a, st, "a KernelList");
            list->kernel[list->n_kernel++] = k;
        }
    }
    return TF_OK;
}

static TF_Buffer *kernel_list(const char *only, TF_Status *st)
{
    tfc_status_clear(st);
    tfc_pb_arena a = { 0 };
    Tensorflow__KernelList list;
    tensorflow__kernel_list__init(&list);
    int cap = 0;
    TF_Code rc = TF_OK;
    if (only) {
        const tfc_op_def *op = tfc_op_lookup(only);
        if (op) rc = add_op_kernels(&a, op, &list, &cap, st);
    } else {
        for (int i = 0; !rc && i < tfc_op_count(); i++)
            rc = add_op_kernels(&a, tfc_op_at(i), &list, &cap, st);
    }
    TF_Buffer *buf = rc ? NULL : TF_NewBuffer();
    if (!rc && !buf) rc = tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory writing a KernelList");
    if (!rc && tfc_buffer_set_packed(buf, &list.base, st)) {
        TF_DeleteBuffer(buf);
        buf = NULL;
    }
    tfc_arena_free(&a);
    return buf;
}

TF_Buffer *TF_GetAllRegisteredKernels(TF_Status *status) { return kernel_list(NULL, status); }

TF_Buffer *TF_GetRegisteredKernelsForOp(const char *name, TF_Status *status)
{
    if (!name) {
        tfc_status_set(status, TF_INVALID_ARGUMENT, "TF_GetRegisteredKernelsForOp: name is NULL");
        return NULL;
    }
    return kernel_list(name, status);
}
