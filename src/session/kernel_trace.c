/* kernel_trace: see kernel_trace.h. The environment is read once; each (kernel, dtype) is written
 * once per process (a small open-addressing set), with one write(2) per line so that processes
 * appending to the same file (ctest -j) do not interleave within a line. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/dtype.h"
#include "session/kernel_trace.h"

#define SEEN_SLOTS 4096 /* (kernel, dtype) pairs a process can record; more are not written */

typedef struct seen_key {
    const tfc_kernel_def *kernel;
    int dtype;
} seen_key;

static pthread_once_t trace_once = PTHREAD_ONCE_INIT;
static int trace_fd = -1;
static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;
static seen_key seen[SEEN_SLOTS];

static void open_trace(void)
{
    const char *path = getenv("TFC_KERNEL_TRACE");
    if (path && *path) trace_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* True the first time (kernel, dtype) is seen. */
static bool first_sighting(const tfc_kernel_def *kernel, int dtype)
{
    size_t h = ((uintptr_t)kernel >> 4) * 31u + (size_t)dtype;
    bool first = false;
    pthread_mutex_lock(&seen_mu);
    for (size_t i = 0; i < SEEN_SLOTS; i++) {
        seen_key *k = &seen[(h + i) % SEEN_SLOTS];
        if (k->kernel == kernel && k->dtype == dtype) break;
        if (!k->kernel) {
            *k = (seen_key){ kernel, dtype };
            first = true;
            break;
        }
    }
    pthread_mutex_unlock(&seen_mu);
    return first;
}

void tfc_kernel_trace_ran(const tfc_plan_node *n)
{
    pthread_once(&trace_once, open_trace);
    if (trace_fd < 0) return;
    const tfc_kernel_def *k = n->kernel;
    int dtype = k->types ? (int)tfc_attrs_type(&n->op->attrs, k->type_attr ? k->type_attr : "T", (TF_DataType)0) : 0;
    if (!first_sighting(k, dtype)) return;
    char line[256];
    int len = snprintf(line, sizeof line, "%s %s %s\n", n->device->type, k->op, dtype ? tfc_dtype_name(dtype) : "any");
    if (len > 0 && (size_t)len < sizeof line && write(trace_fd, line, (size_t)len) < 0) { /* best effort */ }
}
