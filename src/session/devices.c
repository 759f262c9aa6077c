/* devices: the devices a session may place ops on, device-string parsing, and the public
 * TF_SessionListDevices / TF_DeviceList* functions. This file is the one device list: the CPU,
 * and the GPUs of kernels/cuda/ when tfc is built with CUDA. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "kernels/cuda/cuda_devices.h"
#include "session/devices.h"
#include "session/session.h"

/* The CPU first (as TensorFlow lists them), then the GPUs the options allow (device_count["GPU"]
 * caps their number). Placement prefers the GPUs (place.c). */
TF_Code tfc_session_devices(const TF_SessionOptions *opts, const tfc_device ***out, int *n, TF_Status *st)
{
    tfc_gpu_options g = { .memory_fraction = opts->gpu_memory_fraction, .allow_growth = opts->gpu_allow_growth,
                          .visible_devices = opts->gpu_visible_devices };
    const tfc_device *const *gpus = NULL;
    int n_gpus = 0;
    TF_Code rc = tfc_gpu_devices(&g, &gpus, &n_gpus, st);
    if (rc) return rc;
    if (opts->max_gpus >= 0 && n_gpus > opts->max_gpus) n_gpus = opts->max_gpus;
    const tfc_device **list = tfc_calloc((size_t)n_gpus + 1, sizeof *list);
    if (!list) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory listing devices");
    list[0] = tfc_cpu_device();
    for (int i = 0; i < n_gpus; i++) list[1 + i] = gpus[i];
    *out = list;
    *n = 1 + n_gpus;
    return TF_OK;
}

TF_Code tfc_session_sync_devices(const TF_Session *s, TF_Status *st)
{
    for (int i = 0; i < s->n_devices; i++) {
        const tfc_device *d = s->devices[i];
        if (d->ops && d->ops->sync) {
            TF_Code rc = d->ops->sync(d, st);
            if (rc) return rc;
        }
    }
    return TF_OK;
}

/* Parses "<type>:<index>" at s (type letters, case-insensitive). */
static int parse_type_index(const char *s, size_t len, tfc_device_spec *spec)
{
    const char *colon = memchr(s, ':', len);
    if (!colon || colon == s || (size_t)(colon - s) >= sizeof spec->type) return -1;
    size_t tl = (size_t)(colon - s);
    for (size_t i = 0; i < tl; i++) spec->type[i] = (char)toupper((unsigned char)s[i]);
    spec->type[tl] = '\0';
    const char *p = colon + 1, *end = s + len;
    if (p == end) return -1;
    if (end - p == 1 && *p == '*') {
        spec->index = -1;
        return 0;
    }
    int idx = 0;
    for (; p < end; p++) {
        if (!isdigit((unsigned char)*p) || idx > 100000) return -1;
        idx = idx * 10 + (*p - '0');
    }
    spec->index = idx;
    return 0;
}

int tfc_parse_device(const char *s, tfc_device_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->index = -1;
    if (!s || !*s) return 0;
    if (*s != '/') return parse_type_index(s, strlen(s), spec);
    for (const char *p = s; *p;) {
        if (*p != '/') return -1;
        p++;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (!strncmp(p, "job:", 4)) {
            if (len != 13 || strncmp(p, "job:localhost", 13)) return -1;
        } else if (!strncmp(p, "replica:", 8) || !strncmp(p, "task:", 5)) {
            const char *c = memchr(p, ':', len);
            if (p + len - c != 2 || c[1] != '0') return -1; /* only replica:0 and task:0 are local */
        } else if (!strncmp(p, "device:", 7)) {
            if (parse_type_index(p + 7, len - 7, spec)) return -1;
        } else if (len && parse_type_index(p, len, spec)) {
            return -1;
        }
        p += len;
    }
    return 0;
}

struct TF_DeviceList {
    int n;
    const tfc_device **devices;
};

TF_DeviceList *TF_SessionListDevices(TF_Session *s, TF_Status *st)
{
    if (!s) {
        tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionListDevices: session is NULL");
        return NULL;
    }
    TF_DeviceList *l = tfc_calloc(1, sizeof *l);
    if (l) l->devices = tfc_memdup(s->devices, (size_t)s->n_devices * sizeof *s->devices);
    if (!l || !l->devices) {
        tfc_free(l);
        tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory listing devices");
        return NULL;
    }
    l->n = s->n_devices;
    tfc_status_clear(st);
    return l;
}

void TF_DeleteDeviceList(TF_DeviceList *l)
{
    if (!l) return;
    tfc_free(l->devices);
    tfc_free(l);
}

int TF_DeviceListCount(const TF_DeviceList *l) { return l ? l->n : -1; }

static const tfc_device *at(const TF_DeviceList *l, int i, TF_Status *st)
{
    if (!l || i < 0 || i >= l->n) {
        tfc_status_set(st, TF_INVALID_ARGUMENT, "index out of bounds");
        return NULL;
    }
    tfc_status_clear(st);
    return l->devices[i];
}

const char *TF_DeviceListName(const TF_DeviceList *l, int i, TF_Status *st)
{
    const tfc_device *d = at(l, i, st);
    return d ? d->name : NULL;
}

const char *TF_DeviceListType(const TF_DeviceList *l, int i, TF_Status *st)
{
    const tfc_device *d = at(l, i, st);
    return d ? d->type : NULL;
}

int64_t TF_DeviceListMemoryBytes(const TF_DeviceList *l, int i, TF_Status *st)
{
    const tfc_device *d = at(l, i, st);
    return d ? d->memory_bytes : -1;
}

uint64_t TF_DeviceListIncarnation(const TF_DeviceList *l, int i, TF_Status *st)
{
    const tfc_device *d = at(l, i, st);
    return d ? d->incarnation : 0;
}
