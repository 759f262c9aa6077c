/* device: the device vtable. A device owns an allocator, copies between host and device memory,
 * and a stream to order work on. The CPU device always exists (kernels/cpu/cpu_device.c); a CUDA
 * device per visible GPU when built with CUDA. */
#ifndef TFC_CORE_DEVICE_H_
#define TFC_CORE_DEVICE_H_
#include <stddef.h>
#include <stdint.h>
#include "core/status.h"

typedef struct tfc_device tfc_device;

typedef struct tfc_device_ops {
    void *(*alloc)(const tfc_device *dev, size_t n);   /* NULL when out of memory */
    void (*free)(const tfc_device *dev, void *p);
    TF_Code (*copy_to_host)(const tfc_device *dev, void *dst, const void *src, size_t n, TF_Status *st);
    TF_Code (*copy_from_host)(const tfc_device *dev, void *dst, const void *src, size_t n, TF_Status *st);
    /* dst and src both in dev's memory (queued in order with the device's kernels). */
    TF_Code (*copy_within)(const tfc_device *dev, void *dst, const void *src, size_t n, TF_Status *st);
    TF_Code (*sync)(const tfc_device *dev, TF_Status *st);
} tfc_device_ops;

struct tfc_device {
    const char *name;   /* "/job:localhost/replica:0/task:0/device:CPU:0" */
    const char *type;   /* "CPU", "GPU": the key of the kernel registry */
    int index;          /* ordinal among devices of this type */
    int64_t memory_bytes;
    uint64_t incarnation;
    const tfc_device_ops *ops;
    void *impl;         /* device-private state (streams, handles) */
};

/* The process-wide CPU device. */
const tfc_device *tfc_cpu_device(void);

#endif
