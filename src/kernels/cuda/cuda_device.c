/* cuda_device: GPU discovery, the per-device streams, handles and allocator, and the device
 * vtable (see cuda_device.h). */
#include "kernels/cuda/cuda_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

enum { MAX_GPUS = 16 };
/* What a memory fraction of 0 leaves to the driver and other processes. */
#define GPU_RESERVE_BYTES (INT64_C(512) << 20)

typedef struct gpu {
    tfc_device dev;
    tfc_cuda cuda;
    char name[64];
} gpu;

static pthread_mutex_t gpus_mu = PTHREAD_MUTEX_INITIALIZER;
static bool gpus_made;
static gpu *gpus[MAX_GPUS];
static const tfc_device *gpu_list[MAX_GPUS];
static int n_gpus;
static char made_visible[256]; /* the visible_device_list the devices were made with */

TF_Code tfc_cuda_check(cudaError_t e, TF_Status *st, const char *what)
{
    if (e == cudaSuccess) return TF_OK;
    cudaGetLastError(); /* clear it so the next call starts clean */
    return tfc_status_set(st, TF_INTERNAL, "%s: CUDA error %d (%s)", what, (int)e, cudaGetErrorString(e));
}

tfc_cuda *tfc_cuda_of(const tfc_device *d)
{
    return d && d->type && !strcmp(d->type, "GPU") ? d->impl : NULL;
}

TF_Code tfc_cuda_activate(const tfc_cuda *c, TF_Status *st, const char *what)
{
    return tfc_cuda_check(cudaSetDevice(c->ordinal), st, what);
}

/* ---- the vtable ---- */
static void *gpu_alloc(const tfc_device *d, size_t n) { return tfc_cuda_pool_alloc(tfc_cuda_of(d)->pool, n); }
static void gpu_free(const tfc_device *d, void *p) { tfc_cuda_pool_free(tfc_cuda_of(d)->pool, p); }

/* `then` waits for everything queued on `first` so far, through ev. A wait takes the event as
 * last recorded when it is called, so the lock keeps each record paired with its wait. */
static cudaError_t stream_after(tfc_cuda *c, cudaStream_t then, cudaStream_t first, cudaEvent_t ev)
{
    pthread_mutex_lock(&c->event_mu);
    cudaError_t e = cudaEventRecord(ev, first);
    if (e == cudaSuccess) e = cudaStreamWaitEvent(then, ev, 0);
    pthread_mutex_unlock(&c->event_mu);
    return e;
}

static TF_Code gpu_copy_from_host(const tfc_device *d, void *dst, const void *src, size_t n, TF_Status *st)
{
    tfc_cuda *c = tfc_cuda_of(d);
    if (n == 0) return TF_OK;
    cudaError_t e = cudaSetDevice(c->ordinal);
    /* dst may be a block the compute stream still reads: wait for it. From pageable memory the
     * call returns once src has been staged, so the caller may free src at once. */
    if (e == cudaSuccess) e = stream_after(c, c->h2d, c->compute, c->compute_done_for_h2d);
    if (e == cudaSuccess) e = cudaMemcpyAsync(dst, src, n, cudaMemcpyHostToDevice, c->h2d);
    if (e == cudaSuccess) e = stream_after(c, c->compute, c->h2d, c->h2d_done);
    return tfc_cuda_check(e, st, "copy to GPU");
}

static TF_Code gpu_copy_to_host(const tfc_device *d, void *dst, const void *src, size_t n, TF_Status *st)
{
    tfc_cuda *c = tfc_cuda_of(d);
    if (n == 0) return TF_OK;
    cudaError_t e = cudaSetDevice(c->ordinal);
    if (e == cudaSuccess) e = stream_after(c, c->d2h, c->compute, c->compute_done_for_d2h);
    if (e == cudaSuccess) e = cudaMemcpyAsync(dst, src, n, cudaMemcpyDeviceToHost, c->d2h);
    if (e == cudaSuccess) e = cudaStreamSynchronize(c->d2h);
    return tfc_cuda_check(e, st, "copy from GPU");
}

/* On the compute stream, so it is ordered with the kernels that write src and read dst. */
static TF_Code gpu_copy_within(const tfc_device *d, void *dst, const void *src, size_t n, TF_Status *st)
{
    const tfc_cuda *c = tfc_cuda_of(d);
    if (n == 0) return TF_OK;
    cudaError_t e = cudaSetDevice(c->ordinal);
    if (e == cudaSuccess) e = cudaMemcpyAsync(dst, src, n, cudaMemcpyDeviceToDevice, c->compute);
    return tfc_cuda_check(e, st, "copy within the GPU");
}

static TF_Code gpu_sync(const tfc_device *d, TF_Status *st)
{
    const tfc_cuda *c = tfc_cuda_of(d);
    cudaError_t e = cudaSetDevice(c->ordinal);
    if (e == cudaSuccess) e = cudaStreamSynchronize(c->compute);
    return tfc_cuda_check(e, st, "GPU sync");
}

static const tfc_device_ops gpu_ops = {
    .alloc = gpu_alloc,
    .free = gpu_free,
    .copy_to_host = gpu_copy_to_host,
    .copy_from_host = gpu_copy_from_host,
    .copy_within = gpu_copy_within,
    .sync = gpu_sync,
};

/* ---- discovery ---- */

/* Starts CUDA device `ordinal` as tfc's GPU:index. */
static TF_Code make_gpu(int ordinal, int index, const tfc_gpu_options *o, gpu **out, TF_Status *st)
{
    struct cudaDeviceProp prop;
    size_t free_b = 0, total_b = 0;
    TF_Code rc = tfc_cuda_check(cudaSetDevice(ordinal), st, "cudaSetDevice");
    if (!rc) rc = tfc_cuda_check(cudaGetDeviceProperties(&prop, ordinal), st, "cudaGetDeviceProperties");
    if (!rc) rc = tfc_cuda_check(cudaMemGetInfo(&free_b, &total_b), st, "cudaMemGetInfo");
    if (rc) return rc;
    gpu *g = tfc_calloc(1, sizeof *g);
    if (!g) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory starting GPU %d", ordinal);
    tfc_cuda *c = &g->cuda;
    c->ordinal = ordinal;
    c->sm_count = prop.multiProcessorCount;
    int64_t limit = o->memory_fraction > 0 && o->memory_fraction <= 1
                        ? (int64_t)(o->memory_fraction * (double)total_b)
                        : (int64_t)free_b - GPU_RESERVE_BYTES;
    if (limit <= 0) limit = (int64_t)free_b / 2;
    pthread_mutex_init(&c->blas_mu, NULL);
    pthread_mutex_init(&c->dnn_mu, NULL);
    pthread_mutex_init(&c->event_mu, NULL);
    rc = tfc_cuda_check(cudaStreamCreateWithFlags(&c->compute, cudaStreamNonBlocking), st, "cudaStreamCreate");
    if (!rc) rc = tfc_cuda_check(cudaStreamCreateWithFlags(&c->h2d, cudaStreamNonBlocking), st, "cudaStreamCreate");
    if (!rc) rc = tfc_cuda_check(cudaStreamCreateWithFlags(&c->d2h, cudaStreamNonBlocking), st, "cudaStreamCreate");
    cudaEvent_t *events[] = { &c->compute_done_for_h2d, &c->h2d_done, &c->compute_done_for_d2h };
    for (int i = 0; i < 3 && !rc; i++)
        rc = tfc_cuda_check(cudaEventCreateWithFlags(events[i], cudaEventDisableTiming), st, "cudaEventCreate");
    if (!rc && cublasCreate(&c->blas) != CUBLAS_STATUS_SUCCESS)
        rc = tfc_status_set(st, TF_INTERNAL, "GPU %d: cublasCreate failed", ordinal);
    if (!rc && cublasSetStream(c->blas, c->compute) != CUBLAS_STATUS_SUCCESS)
        rc = tfc_status_set(st, TF_INTERNAL, "GPU %d: cublasSetStream failed", ordinal);
    if (!rc && (cudnnCreate(&c->dnn) != CUDNN_STATUS_SUCCESS || cudnnSetStream(c->dnn, c->compute) != CUDNN_STATUS_SUCCESS))
        c->dnn = NULL; /* the cuDNN kernels then fail with a clear message; the rest still runs */
    if (!rc && !(c->pool = tfc_cuda_pool_new(ordinal, limit)))
        rc = tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory starting GPU %d", ordinal);
    if (rc) {
        /* Process-wide devices are never torn down; a failed one only leaks its few handles. */
        tfc_free(g);
        return rc;
    }
    snprintf(g->name, sizeof g->name, "/job:localhost/replica:0/task:0/device:GPU:%d", index);
    g->dev = (tfc_device){ .name = g->name, .type = "GPU", .index = index, .memory_bytes = limit,
                           .incarnation = UINT64_C(0x7466632d67707500) + (uint64_t)index, .ops = &gpu_ops,
                           .impl = c };
    *out = g;
    return TF_OK;
}

/* The CUDA ordinals a visible_device_list names ("" or NULL: all count of them), in its order. */
static TF_Code parse_visible(const char *list, int count, int *ordinals, int *n, TF_Status *st)
{
    *n = 0;
    if (!list || !*list) {
        for (int i = 0; i < count && i < MAX_GPUS; i++) ordinals[(*n)++] = i;
        return TF_OK;
    }
    for (const char *p = list; *p;) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v >= count || *n == MAX_GPUS || (*end && *end != ','))
            return tfc_status_set(st, TF_INVALID_ARGUMENT,
                                  "gpu_options.visible_device_list '%s' is not a list of GPU ids below %d", list,
                                  count);
        for (int i = 0; i < *n; i++)
            if (ordinals[i] == v)
                return tfc_status_set(st, TF_INVALID_ARGUMENT, "gpu_options.visible_device_list '%s' lists %ld twice",
                                      list, v);
        ordinals[(*n)++] = (int)v;
        p = *end ? end + 1 : end;
    }
    return TF_OK;
}

static TF_Code make_gpus(const tfc_gpu_options *o, TF_Status *st)
{
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) { /* no driver, or no GPU: no GPU devices */
        cudaGetLastError();
        count = 0;
    }
    int ordinals[MAX_GPUS], n = 0;
    n_gpus = 0; /* a failed earlier attempt's devices are dropped (and leaked) */
    TF_Code rc = parse_visible(o->visible_devices, count, ordinals, &n, st);
    for (int i = 0; !rc && i < n; i++) {
        rc = make_gpu(ordinals[i], i, o, &gpus[i], st);
        if (!rc) gpu_list[n_gpus++] = &gpus[i]->dev;
    }
    return rc;
}

TF_Code tfc_gpu_devices(const tfc_gpu_options *o, const tfc_device *const **out, int *n, TF_Status *st)
{
    static const tfc_gpu_options none = { 0 };
    if (!o) o = &none;
    const char *visible = o->visible_devices ? o->visible_devices : "";
    TF_Code rc = TF_OK;
    pthread_mutex_lock(&gpus_mu);
    if (!gpus_made) {
        rc = make_gpus(o, st);
        if (!rc) {
            gpus_made = true;
            snprintf(made_visible, sizeof made_visible, "%s", visible);
        }
    } else if (strcmp(made_visible, visible)) {
        rc = tfc_status_set(st, TF_INVALID_ARGUMENT,
                            "gpu_options.visible_device_list '%s' differs from the '%s' this process's GPUs were "
                            "made with", visible, made_visible);
    }
    *out = gpu_list;
    *n = rc ? 0 : n_gpus;
    pthread_mutex_unlock(&gpus_mu);
    return rc;
}

bool tfc_gpu_pool_stats(int index, tfc_cuda_pool_stats *out)
{
    pthread_mutex_lock(&gpus_mu);
    bool ok = gpus_made && index >= 0 && index < n_gpus;
    if (ok) *out = tfc_cuda_pool_get_stats(gpus[index]->cuda.pool);
    pthread_mutex_unlock(&gpus_mu);
    return ok;
}

bool tfc_gpu_built(void) { return true; }
