/* registry: the kernel registry. Lists the kernel tables once and indexes them by op name on first
 * use (pthread_once). Kernels are keyed by (op, device type, dtype of the kernel's type attr); a
 * kernel with types == 0 serves every dtype. If the index cannot be allocated, lookups scan the
 * tables. Adding a family adds one line to `tables` below. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "core/status.h"
#include "kernels/cuda/cuda_devices.h"
#include "kernels/kernel.h"
#include "ops/op_def.h"

extern const tfc_kernel_def tfc_cpu_array_kernels[], tfc_cpu_math_kernels[], tfc_cpu_matmul_kernels[];
extern const tfc_kernel_def tfc_cpu_unary_kernels[],
    tfc_cpu_compare_kernels[],
    tfc_cpu_cast_kernels[],
    tfc_cpu_reduction_kernels[],
    tfc_cpu_linalg_kernels[],
    tfc_cpu_slice_kernels[],
    tfc_cpu_concat_kernels[],
    tfc_cpu_transpose_kernels[],
    tfc_cpu_array_build_kernels[],
    tfc_cpu_gather_kernels[],
    tfc_cpu_activation_kernels[],
    tfc_cpu_softmax_kernels[],
    tfc_cpu_conv_kernels[],
    tfc_cpu_pool_kernels[],
    tfc_cpu_batchnorm_kernels[],
    tfc_cpu_random_kernels[],
    tfc_cpu_segment_kernels[],
    tfc_cpu_variable_kernels[],
    tfc_cpu_training_kernels[],
    tfc_cpu_io_kernels[],
    tfc_cpu_data_flow_kernels[],
    tfc_cpu_queue_kernels[],
    tfc_cpu_control_flow_kernels[];

static const tfc_kernel_def *const tables[] = {
    tfc_cpu_array_kernels,
    tfc_cpu_math_kernels,
    tfc_cpu_matmul_kernels,
    tfc_cpu_unary_kernels,
    tfc_cpu_compare_kernels,
    tfc_cpu_cast_kernels,
    tfc_cpu_reduction_kernels,
    tfc_cpu_linalg_kernels,
    tfc_cpu_slice_kernels,
    tfc_cpu_concat_kernels,
    tfc_cpu_transpose_kernels,
    tfc_cpu_array_build_kernels,
    tfc_cpu_gather_kernels,
    tfc_cpu_activation_kernels,
    tfc_cpu_softmax_kernels,
    tfc_cpu_conv_kernels,
    tfc_cpu_pool_kernels,
    tfc_cpu_batchnorm_kernels,
    tfc_cpu_random_kernels,
    tfc_cpu_segment_kernels,
    tfc_cpu_variable_kernels,
    tfc_cpu_training_kernels,
    tfc_cpu_io_kernels,
    tfc_cpu_data_flow_kernels,
    tfc_cpu_queue_kernels,
    tfc_cpu_control_flow_kernels,
};
#define N_CPU_TABLES ((int)(sizeof tables / sizeof tables[0]))

/* The CPU tables, then the GPU ones (kernels/cuda/cuda_tables.c; none without CUDA). */
static int n_tables(void)
{
    int n = N_CPU_TABLES;
    while (tfc_gpu_kernel_tables[n - N_CPU_TABLES]) n++;
    return n;
}

static const tfc_kernel_def *table_at(int t) { return t < N_CPU_TABLES ? tables[t] : tfc_gpu_kernel_tables[t - N_CPU_TABLES]; }

static pthread_once_t index_once = PTHREAD_ONCE_INIT;
static int n_kernels;
static const tfc_kernel_def **sorted; /* by op name, then registration order; NULL if out of memory */

typedef struct keyed {
    const tfc_kernel_def *def;
    int order;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->def->op, y->def->op);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void build_index(void)
{
    int n = 0;
    for (int t = 0, nt = n_tables(); t < nt; t++)
        for (const tfc_kernel_def *d = table_at(t); d->op; d++) n++;
    n_kernels = n;
    keyed *tmp = tfc_malloc(((size_t)n + 1) * sizeof *tmp);
    const tfc_kernel_def **out = tfc_malloc(((size_t)n + 1) * sizeof *out);
    if (!tmp || !out) {
        tfc_free(tmp);
        tfc_free(out);
        return;
    }
    int i = 0;
    for (int t = 0, nt = n_tables(); t < nt; t++)
        for (const tfc_kernel_def *d = table_at(t); d->op; d++, i++) tmp[i] = (keyed){ d, i };
    qsort(tmp, (size_t)n, sizeof *tmp, cmp_keyed);
    for (i = 0; i < n; i++) out[i] = tmp[i].def;
    tfc_free(tmp);
    sorted = out;
}

/* Iterates the kernels of op: call with *pos = -1 first; returns NULL at the end. */
static const tfc_kernel_def *next_for_op(const char *op, int *pos)
{
    pthread_once(&index_once, build_index);
    if (sorted) {
        if (*pos < 0) {
            int lo = 0, hi = n_kernels; /* first index whose op is >= op */
            while (lo < hi) {
                int mid = lo + (hi - lo) / 2;
                if (strcmp(sorted[mid]->op, op) < 0) lo = mid + 1;
                else hi = mid;
            }
            *pos = lo;
        } else {
            ++*pos;
        }
        return *pos < n_kernels && !strcmp(sorted[*pos]->op, op) ? sorted[*pos] : NULL;
    }
    /* Fallback: linear scan over the tables, *pos counting kernels in registration order. */
    int i = 0;
    for (int t = 0, nt = n_tables(); t < nt; t++)
        for (const tfc_kernel_def *d = table_at(t); d->op; d++, i++)
            if (i > *pos && !strcmp(d->op, op)) {
                *pos = i;
                return d;
            }
    *pos = i;
    return NULL;
}

static const char *kernel_type_attr(const tfc_kernel_def *d) { return d->type_attr ? d->type_attr : "T"; }

const tfc_kernel_def *tfc_kernel_lookup(const char *op, const char *device_type, const tfc_attrs *attrs)
{
    if (!op || !device_type) return NULL;
    const tfc_kernel_def *any = NULL;
    int pos = -1;
    for (const tfc_kernel_def *d; (d = next_for_op(op, &pos));) {
        if (strcmp(d->device_type, device_type) != 0) continue;
        if (d->types == 0) {
            if (!any) any = d;
            continue;
        }
        TF_DataType t = attrs ? tfc_attrs_type(attrs, kernel_type_attr(d), (TF_DataType)0) : (TF_DataType)0;
        if (tfc_dtype_valid(t) && (d->types & TFC_TYPE_BIT(t))) return d; /* an exact dtype wins */
    }
    return any;
}

const tfc_kernel_def *tfc_kernel_at(int i)
{
    for (int t = 0, nt = n_tables(); t < nt && i >= 0; t++)
        for (const tfc_kernel_def *d = table_at(t); d->op; d++)
            if (i-- == 0) return d;
    return NULL;
}

bool tfc_kernel_exists(const char *op, const char *device_type)
{
    if (!op || !device_type) return false;
    int pos = -1;
    for (const tfc_kernel_def *d; (d = next_for_op(op, &pos));)
        if (!strcmp(d->device_type, device_type)) return true;
    return false;
}

/* Appends to buf at *len, truncating safely. */
static void append(char *buf, size_t size, size_t *len, const char *s)
{
    int n = snprintf(buf + *len, size - *len, "%s", s);
    if (n > 0) *len += (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

const char *tfc_kernel_list_for_op(const char *op, char *buf, size_t buf_size)
{
    if (!buf || buf_size == 0) return buf;
    buf[0] = '\0';
    size_t len = 0;
    const char *devices[8];
    int n_devices = 0;
    int pos = -1;
    for (const tfc_kernel_def *d; op && (d = next_for_op(op, &pos));) {
        int j = 0;
        while (j < n_devices && strcmp(devices[j], d->device_type)) j++;
        if (j == n_devices && n_devices < 8) devices[n_devices++] = d->device_type;
    }
    for (int j = 0; j < n_devices; j++) {
        uint64_t mask = 0;
        bool any = false;
        pos = -1;
        for (const tfc_kernel_def *d; (d = next_for_op(op, &pos));) {
            if (strcmp(d->device_type, devices[j])) continue;
            mask |= d->types;
            any |= d->types == 0;
        }
        char types[512];
        if (j > 0) append(buf, buf_size, &len, "; ");
        append(buf, buf_size, &len, devices[j]);
        append(buf, buf_size, &len, " ");
        append(buf, buf_size, &len, any ? "{any type}" : tfc_dtype_mask_str(mask, types, sizeof types));
    }
    if (n_devices == 0) append(buf, buf_size, &len, "none");
    return buf;
}

/* Checks one kernel against its op; returns TF_OK or sets INTERNAL. */
static TF_Code check_kernel(const tfc_kernel_def *d, TF_Status *st)
{
    if (!d->device_type || !d->device_type[0])
        return tfc_status_set(st, TF_INTERNAL, "kernel %s has no device type", d->op);
    const tfc_op_def *op = tfc_op_lookup(d->op);
    if (!op)
        return tfc_status_set(st, TF_INTERNAL, "kernel for unknown op '%s' on %s", d->op, d->device_type);
    if (!d->compute)
        return tfc_status_set(st, TF_INTERNAL, "kernel %s on %s has no compute function", d->op,
                              d->device_type);
    if (d->types == 0) return TF_OK; /* dtypes do not select this kernel: type_attr is not used */
    const tfc_attr_def *a = tfc_op_attr_def(op, kernel_type_attr(d));
    if (!a || a->type != TF_ATTR_TYPE || a->is_list)
        return tfc_status_set(st, TF_INTERNAL, "kernel %s on %s: op has no type attr '%s'", d->op,
                              d->device_type, kernel_type_attr(d));
    if (a->allowed && (d->types & ~a->allowed)) {
        char buf[512];
        return tfc_status_set(st, TF_INTERNAL, "kernel %s on %s serves %s, not allowed by attr '%s'", d->op,
                              d->device_type, tfc_dtype_mask_str(d->types & ~a->allowed, buf, sizeof buf),
                              a->name);
    }
    return TF_OK;
}

/* Two kernels of one op and device overlap when both select on dtypes and share one, or both
 * serve every dtype. */
static bool overlap(const tfc_kernel_def *x, const tfc_kernel_def *y)
{
    if (strcmp(x->device_type, y->device_type)) return false;
    if (x->types == 0 || y->types == 0) return x->types == y->types;
    return (x->types & y->types) != 0;
}

TF_Code tfc_kernel_registry_check(TF_Status *st)
{
    for (int t = 0, nt = n_tables(); t < nt; t++)
        for (const tfc_kernel_def *d = table_at(t); d->op; d++) {
            TF_Code rc = check_kernel(d, st);
            if (rc) return rc;
            int pos = -1;
            for (const tfc_kernel_def *e; (e = next_for_op(d->op, &pos));) {
                if (e == d) break; /* only compare with kernels registered before d */
                if (overlap(e, d)) {
                    char buf[512];
                    return tfc_status_set(
                        st, TF_INTERNAL, "kernel %s on %s registered twice for %s", d->op, d->device_type,
                        d->types ? tfc_dtype_mask_str(d->types & e->types, buf, sizeof buf) : "any type");
                }
            }
        }
    tfc_status_clear(st);
    return TF_OK;
}
