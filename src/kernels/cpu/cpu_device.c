/* cpu_device: the process-wide CPU device (see core/device.h). Host memory, 64-byte aligned
 * allocations through the core allocator, copies are memcpy, and nothing to synchronise. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/device.h"

/* Any fixed non-zero value: the CPU device never restarts within a process. */
#define CPU_INCARNATION UINT64_C(0x7466632d63707530) /* "tfc-cpu0" */

static void *cpu_alloc(const tfc_device *dev, size_t n) { return tfc_aligned_alloc(n); }

static void cpu_free(const tfc_device *dev, void *p) { tfc_aligned_free(p); }

static TF_Code cpu_copy(const tfc_device *dev, void *dst, const void *src, size_t n, TF_Status *st)
{
    if (n == 0) return TF_OK;
    if (!dst || !src) {
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "CPU copy of %zu bytes with a NULL pointer", n);
    }
    memmove(dst, src, n);
    return TF_OK;
}

static TF_Code cpu_sync(const tfc_device *dev, TF_Status *st) { return TF_OK; }

static const tfc_device_ops cpu_ops = {
    .alloc = cpu_alloc,
    .free = cpu_free,
    .copy_to_host = cpu_copy,
    .copy_from_host = cpu_copy,
    .copy_within = cpu_copy,
    .sync = cpu_sync,
};

static tfc_device cpu_device = {
    .name = "/job:localhost/replica:0/task:0/device:CPU:0",
    .type = "CPU",
    .index = 0,
    .memory_bytes = 0, /* filled once by init_cpu_device */
    .incarnation = CPU_INCARNATION,
    .ops = &cpu_ops,
    .impl = NULL,
};

static pthread_once_t cpu_once = PTHREAD_ONCE_INIT;

static void init_cpu_device(void)
{
    long pages = sysconf(_SC_PHYS_PAGES);
    long page_size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page_size > 0 && pages <= INT64_MAX / page_size) {
        cpu_device.memory_bytes = (int64_t)pages * page_size;
    }
}

const tfc_device *tfc_cpu_device(void)
{
    pthread_once(&cpu_once, init_cpu_device);
    return &cpu_device;
}
