/* registry: the op registry. Lists the op family tables once and indexes them by name on first use
 * (pthread_once; no static initialisers, which the linker drops from static libraries). If the
 * index cannot be allocated, lookups fall back to a linear scan of the tables, so the registry
 * never fails. Adding a family adds one line to `families` below. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "ops/op_def.h"

extern const tfc_op_def tfc_array_ops[], tfc_math_ops[], tfc_reduction_ops[], tfc_linalg_ops[],
    tfc_array_build_ops[], tfc_nn_ops[], tfc_conv_ops[], tfc_random_ops[], tfc_segment_ops[],
    tfc_state_ops[], tfc_training_ops[], tfc_io_ops[], tfc_data_flow_ops[], tfc_queue_ops[],
    tfc_control_flow_ops[];

static const tfc_op_def *const families[] = {
    tfc_array_ops,
    tfc_math_ops,
    tfc_reduction_ops,
    tfc_linalg_ops,
    tfc_array_build_ops,
    tfc_nn_ops,
    tfc_conv_ops,
    tfc_random_ops,
    tfc_segment_ops,
    tfc_state_ops,
    tfc_training_ops,
    tfc_io_ops,
    tfc_data_flow_ops,
    tfc_queue_ops,
    tfc_control_flow_ops,
};
#define N_FAMILIES ((int)(sizeof families / sizeof families[0]))

static pthread_once_t index_once = PTHREAD_ONCE_INIT;
static int n_ops;
static const tfc_op_def **by_order; /* registration order; NULL if out of memory */
static const tfc_op_def **by_name;  /* sorted by name; NULL if out of memory */

static int cmp_def_name(const void *a, const void *b)
{
    const tfc_op_def *x = *(const tfc_op_def *const *)a, *y = *(const tfc_op_def *const *)b;
    return strcmp(x->name, y->name);
}

static void build_index(void)
{
    int n = 0;
    for (int f = 0; f < N_FAMILIES; f++)
        for (const tfc_op_def *d = families[f]; d->name; d++) n++;
    n_ops = n;
    const tfc_op_def **order = tfc_malloc(((size_t)n + 1) * sizeof *order);
    const tfc_op_def **sorted = tfc_malloc(((size_t)n + 1) * sizeof *sorted);
    if (!order || !sorted) {
        tfc_free(order);
        tfc_free(sorted);
        return;
    }
    int i = 0;
    for (int f = 0; f < N_FAMILIES; f++)
        for (const tfc_op_def *d = families[f]; d->name; d++) order[i++] = d;
    memcpy(sorted, order, (size_t)n * sizeof *order);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_def_name);
    by_order = order;
    by_name = sorted;
}

static void ensure_index(void) { pthread_once(&index_once, build_index); }

const tfc_op_def *tfc_op_lookup(const char *name)
{
    if (!name) return NULL;
    ensure_index();
    if (!by_name) {
        for (int f = 0; f < N_FAMILIES; f++)
            for (const tfc_op_def *d = families[f]; d->name; d++)
                if (!strcmp(d->name, name)) return d;
        return NULL;
    }
    int lo = 0, hi = n_ops - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(by_name[mid]->name, name);
        if (c == 0) return by_name[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

int tfc_op_count(void)
{
    ensure_index();
    return n_ops;
}

const tfc_op_def *tfc_op_at(int i)
{
    ensure_index();
    if (i < 0 || i >= n_ops) return NULL;
    if (by_order) return by_order[i];
    for (int f = 0; f < N_FAMILIES; f++)
        for (const tfc_op_def *d = families[f]; d->name; d++)
            if (i-- == 0) return d;
    return NULL;
}

const tfc_attr_def *tfc_op_attr_def(const tfc_op_def *def, const char *name)
{
    if (!def || !name) return NULL;
    for (const tfc_attr_def *a = def->attrs; a && a->name; a++)
        if (!strcmp(a->name, name)) return a;
    return NULL;
}
