/* fake_cudart: the CUDA runtime calls tfc makes, on the host, for the CUDA emulation build
 * (TFC_CUDA_EMULATION=ON): one emulated GPU whose memory is a host mapping and whose streams are
 * queues of work run when the host waits (emu_runtime.h says why). A test tool, not a product: it
 * shows that tfc's CUDA code computes the right values and orders its streams, not that a real
 * GPU does.
 *
 * CUDA_VISIBLE_DEVICES="" (set and empty) hides the emulated GPU, as it hides real ones. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "emu_runtime.h"

enum {
    ARENA_BYTES = (size_t)64 << 30,   /* reserved address space of device memory */
    REPORTED_BYTES = (size_t)8 << 30, /* the memory the emulated GPU says it has */
    ALIGN = 256,
};

/* ---- the lock ---- */

static pthread_mutex_t emu_mu;
static pthread_once_t emu_once = PTHREAD_ONCE_INIT;

static void make_lock(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&emu_mu, &a);
    pthread_mutexattr_destroy(&a);
}

void tfc_emu_lock(void)
{
    pthread_once(&emu_once, make_lock);
    pthread_mutex_lock(&emu_mu);
}

void tfc_emu_unlock(void) { pthread_mutex_unlock(&emu_mu); }

/* ---- errors ---- */

static cudaError_t last_error = cudaSuccess, sticky_error = cudaSuccess;

void tfc_emu_set_error(cudaError_t e)
{
    tfc_emu_lock();
    if (e == cudaErrorLaunchFailure) sticky_error = e;
    last_error = e;
    tfc_emu_unlock();
}

/* What a call returns when it otherwise succeeds: a sticky failure keeps coming back, as on a GPU. */
static cudaError_t done(void) { return sticky_error; }

cudaError_t cudaGetLastError(void)
{
    tfc_emu_lock();
    cudaError_t e = last_error;
    last_error = sticky_error;
    tfc_emu_unlock();
    return e;
}

cudaError_t cudaPeekAtLastError(void) { return last_error; }

const char *cudaGetErrorString(cudaError_t e)
{
    switch (e) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorLaunchFailure: return "unspecified launch failure";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    default: return "unknown error (CUDA emulator)";
    }
}

static cudaError_t fail(cudaError_t e)
{
    tfc_emu_set_error(e);
    return e;
}

/* ---- device memory: a bump allocator over one reserved mapping ----
 * Each allocation gets whole pages with an inaccessible guard page after them, and its pointer is
 * placed so that it ends (rounded to 256 bytes, cudaMalloc's alignment) where the guard begins: a
 * kernel or copy that runs past the end faults instead of writing into a neighbour. */

static char *arena;
static size_t arena_used, live_bytes;
static int open_depth;

typedef struct allocation {
    char *pages; /* the mapping: bytes of pages, then the guard page */
    size_t bytes;
    char *ptr; /* what cudaMalloc returned, size bytes */
    size_t size;
    struct allocation *next;
} allocation;
static allocation *allocations;

/* A fault on device memory: says so, then dies of it (the handler resets itself). */
static void on_fault(int sig, siginfo_t *info, void *ctx)
{
    (void)sig, (void)ctx;
    const char *p = info->si_addr;
    if (p >= arena && p < arena + ARENA_BYTES) {
        static const char msg[] = "tfc CUDA emulator: device memory touched by host code, or outside its allocation\n";
        if (write(2, msg, sizeof msg - 1) < 0) { /* nothing more to do */ }
    }
}

static bool arena_ready(void)
{
    if (arena) return true;
    void *p = mmap(NULL, ARENA_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    arena = p;
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_sigaction = on_fault;
    act.sa_flags = SA_SIGINFO | SA_RESETHAND;
    sigaction(SIGSEGV, &act, NULL);
    return true;
}

static bool is_device(const void *p) { return arena && (const char *)p >= arena && (const char *)p < arena + ARENA_BYTES; }

static void protect(int prot)
{
    for (const allocation *a = allocations; a; a = a->next) mprotect(a->pages, a->bytes, prot);
}

void tfc_emu_device_open(void)
{
    tfc_emu_lock();
    if (open_depth++ == 0) protect(PROT_READ | PROT_WRITE);
}

void tfc_emu_device_close(void)
{
    if (--open_depth == 0) protect(PROT_NONE);
    tfc_emu_unlock();
}

cudaError_t cudaMalloc(void **p, size_t size)
{
    if (!p) return fail(cudaErrorInvalidValue);
    tfc_emu_lock();
    const size_t page = 4096, bytes = (size + page - 1) / page * page + (size ? 0 : page);
    allocation *a = malloc(sizeof *a);
    cudaError_t e = cudaSuccess;
    if (!a || !arena_ready() || live_bytes + bytes > REPORTED_BYTES || arena_used + bytes + page > ARENA_BYTES) {
        free(a);
        e = fail(cudaErrorMemoryAllocation);
        *p = NULL;
    } else {
        char *pages = arena + arena_used;
        *a = (allocation){ pages, bytes, pages + bytes - (size + 255) / 256 * 256, size, allocations };
        allocations = a;
        arena_used += bytes + page;
        live_bytes += bytes;
        if (open_depth) mprotect(a->pages, a->bytes, PROT_READ | PROT_WRITE);
        *p = a->ptr;
    }
    tfc_emu_unlock();
    return e ? e : done();
}

static void flush_all(void);

/* Like CUDA's, cudaFree waits for all queued work. The pages go back to the system; the address
 * range is never handed out again, so a stale pointer faults or reads zeros, never another tensor. */
cudaError_t cudaFree(void *p)
{
    if (!p) return done();
    tfc_emu_lock();
    flush_all();
    allocation **at = &allocations;
    while (*at && (*at)->ptr != p) at = &(*at)->next;
    cudaError_t e = cudaSuccess;
    if (!*at) {
        e = fail(cudaErrorInvalidValue);
    } else {
        allocation *a = *at;
        *at = a->next;
        mprotect(a->pages, a->bytes, PROT_NONE);
        madvise(a->pages, a->bytes, MADV_DONTNEED);
        live_bytes -= a->bytes;
        free(a);
    }
    tfc_emu_unlock();
    return e ? e : done();
}

cudaError_t cudaMemGetInfo(size_t *free_bytes, size_t *total)
{
    if (!free_bytes || !total) return fail(cudaErrorInvalidValue);
    tfc_emu_lock();
    *total = REPORTED_BYTES;
    *free_bytes = REPORTED_BYTES - live_bytes;
    tfc_emu_unlock();
    return done();
}

/* ---- the device ---- */

static int visible_count(void)
{
    const char *v = getenv("CUDA_VISIBLE_DEVICES");
    return v && !*v ? 0 : 1;
}

cudaError_t cudaGetDeviceCount(int *count)
{
    if (!count) return fail(cudaErrorInvalidValue);
    *count = visible_count();
    return *count ? done() : fail(cudaErrorNoDevice);
}

cudaError_t cudaSetDevice(int ordinal) { return ordinal >= 0 && ordinal < visible_count() ? done() : fail(cudaErrorInvalidDevice); }

cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int ordinal)
{
    if (!prop) return fail(cudaErrorInvalidValue);
    if (ordinal < 0 || ordinal >= visible_count()) return fail(cudaErrorInvalidDevice);
    memset(prop, 0, sizeof *prop);
    snprintf(prop->name, sizeof prop->name, "tfc CUDA emulator (host)");
    prop->totalGlobalMem = REPORTED_BYTES;
    prop->multiProcessorCount = 4;
    prop->warpSize = 32;
    prop->maxThreadsPerBlock = 1024;
    prop->maxThreadsDim[0] = prop->maxThreadsDim[1] = 1024;
    prop->maxThreadsDim[2] = 64;
    prop->maxGridSize[0] = 0x7fffffff;
    prop->maxGridSize[1] = prop->maxGridSize[2] = 65535;
    prop->sharedMemPerBlock = 48 * 1024;
    prop->major = 9;
    return done();
}

cudaError_t cudaDeviceSynchronize(void)
{
    tfc_emu_lock();
    flush_all();
    tfc_emu_unlock();
    return done();
}

/* ---- streams and events ---- */

typedef struct op {
    uint64_t ticket;
    void (*run)(void *);
    void *arg;
    struct op *next;
} op;

struct CUstream_st {
    op *head, *tail;
    struct CUstream_st *next_stream;
};

struct CUevent_st {
    cudaStream_t stream; /* of the latest record; NULL: never recorded */
    uint64_t ticket;
};

static struct CUstream_st default_stream;
static cudaStream_t streams = &default_stream; /* every stream, for flush_all */
static uint64_t next_ticket = 1;

static cudaStream_t stream_of(cudaStream_t s) { return s ? s : &default_stream; }

void tfc_emu_enqueue(cudaStream_t s, void (*run)(void *), void *arg)
{
    tfc_emu_lock();
    s = stream_of(s);
    op *o = malloc(sizeof *o);
    if (!o) { /* no memory to queue it: run it now, still in order after a flush */
        tfc_emu_stream_flush(s);
        tfc_emu_device_open();
        run(arg);
        tfc_emu_device_close();
    } else {
        *o = (op){ next_ticket++, run, arg, NULL };
        if (s->tail) s->tail->next = o;
        else s->head = o;
        s->tail = o;
    }
    tfc_emu_unlock();
}

/* Runs s's queued work up to and including ticket. */
static void flush_until(cudaStream_t s, uint64_t ticket)
{
    tfc_emu_device_open();
    while (s->head && s->head->ticket <= ticket) {
        op *o = s->head;
        s->head = o->next;
        if (!s->head) s->tail = NULL;
        o->run(o->arg);
        free(o);
    }
    tfc_emu_device_close();
}

void tfc_emu_stream_flush(cudaStream_t s)
{
    tfc_emu_lock();
    flush_until(stream_of(s), UINT64_MAX);
    tfc_emu_unlock();
}

static void flush_all(void)
{
    for (cudaStream_t s = streams; s; s = s->next_stream) flush_until(s, UINT64_MAX);
}

void tfc_emu_run_now(cudaStream_t s, void (*body)(void *), void *arg)
{
    tfc_emu_lock();
    tfc_emu_stream_flush(s);
    tfc_emu_device_open();
    body(arg);
    tfc_emu_device_close();
    tfc_emu_unlock();
}

cudaError_t cudaStreamCreateWithFlags(cudaStream_t *s, unsigned flags)
{
    (void)flags;
    if (!s) return fail(cudaErrorInvalidValue);
    cudaStream_t n = calloc(1, sizeof *n);
    if (!n) return fail(cudaErrorMemoryAllocation);
    tfc_emu_lock();
    n->next_stream = streams;
    streams = n;
    tfc_emu_unlock();
    *s = n;
    return done();
}

cudaError_t cudaStreamCreate(cudaStream_t *s) { return cudaStreamCreateWithFlags(s, 0); }

cudaError_t cudaStreamSynchronize(cudaStream_t s)
{
    tfc_emu_stream_flush(s);
    return done();
}

cudaError_t cudaEventCreateWithFlags(cudaEvent_t *e, unsigned flags)
{
    (void)flags;
    if (!e) return fail(cudaErrorInvalidValue);
    *e = calloc(1, sizeof **e);
    return *e ? done() : fail(cudaErrorMemoryAllocation);
}

cudaError_t cudaEventCreate(cudaEvent_t *e) { return cudaEventCreateWithFlags(e, 0); }

static void no_op(void *arg) { (void)arg; }

/* The event marks the work queued on s so far: the ticket of a no-op queued behind it. */
cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t s)
{
    if (!e) return fail(cudaErrorInvalidResourceHandle);
    tfc_emu_lock();
    tfc_emu_enqueue(s, no_op, NULL);
    e->stream = stream_of(s);
    e->ticket = next_ticket - 1;
    tfc_emu_unlock();
    return done();
}

typedef struct wait_job {
    cudaStream_t stream;
    uint64_t ticket;
} wait_job;

static void run_wait(void *arg)
{
    wait_job *w = arg;
    flush_until(w->stream, w->ticket);
    free(w);
}

/* Work queued on s after this waits for the event's latest record at the time of the call. */
cudaError_t cudaStreamWaitEvent(cudaStream_t s, cudaEvent_t e, unsigned flags)
{
    (void)flags;
    if (!e) return fail(cudaErrorInvalidResourceHandle);
    if (!e->stream) return done(); /* never recorded: nothing to wait for */
    wait_job *w = malloc(sizeof *w);
    if (!w) return fail(cudaErrorMemoryAllocation);
    tfc_emu_lock();
    *w = (wait_job){ e->stream, e->ticket };
    tfc_emu_enqueue(s, run_wait, w);
    tfc_emu_unlock();
    return done();
}

/* ---- copies and memsets ---- */

typedef struct copy_job {
    char *dst;
    const char *src;
    size_t dpitch, spitch, width, height;
    char *staged; /* host data copied at the call (pageable host-to-device), freed after */
} copy_job;

static void run_copy(void *arg)
{
    copy_job *c = arg;
    for (size_t r = 0; r < c->height; r++) memmove(c->dst + r * c->dpitch, c->src + r * c->spitch, c->width);
    free(c->staged);
    free(c);
}

/* Host memory must not be device memory and device memory must lie inside one allocation: a copy
 * that breaks either is cudaErrorInvalidValue here, as it would be (or worse) on a GPU. */
static bool range_ok(const char *p, size_t bytes, bool device)
{
    if (!bytes) return true;
    if (is_device(p) != device) return false;
    if (!device) return true;
    for (const allocation *a = allocations; a; a = a->next)
        if (p >= a->ptr && p + bytes <= a->ptr + a->size) return true;
    return false;
}

static cudaError_t copy_2d(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width, size_t height,
                           enum cudaMemcpyKind kind, cudaStream_t s)
{
    if (!width || !height) return done();
    if (!dst || !src || width > dpitch || width > spitch) return fail(cudaErrorInvalidValue);
    tfc_emu_lock();
    bool dst_dev = kind == cudaMemcpyDefault ? is_device(dst) : kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
    bool src_dev = kind == cudaMemcpyDefault ? is_device(src) : kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
    size_t dspan = dpitch * (height - 1) + width, sspan = spitch * (height - 1) + width;
    copy_job *c = NULL;
    cudaError_t e = cudaSuccess;
    if (kind == cudaMemcpyHostToHost || !range_ok(dst, dspan, dst_dev) || !range_ok(src, sspan, src_dev)) {
        e = fail(cudaErrorInvalidValue);
    } else if (!(c = calloc(1, sizeof *c))) {
        e = fail(cudaErrorMemoryAllocation);
    } else {
        *c = (copy_job){ dst, src, dpitch, spitch, width, height, NULL };
        if (!src_dev) { /* pageable host memory is staged at the call: the caller may reuse it */
            if (!(c->staged = malloc(sspan))) {
                free(c);
                e = fail(cudaErrorMemoryAllocation);
            } else {
                memcpy(c->staged, src, sspan);
                c->src = c->staged;
            }
        }
        if (!e) tfc_emu_enqueue(s, run_copy, c);
    }
    tfc_emu_unlock();
    return e ? e : done();
}

cudaError_t cudaMemcpy2DAsync(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width, size_t height,
                              enum cudaMemcpyKind kind, cudaStream_t s)
{
    return copy_2d(dst, dpitch, src, spitch, width, height, kind, s);
}

cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t bytes, enum cudaMemcpyKind kind, cudaStream_t s)
{
    return copy_2d(dst, bytes, src, bytes, bytes, 1, kind, s);
}

/* The synchronous copies wait for all queued work before and after (tfc itself uses only the
 * Async ones; the benchmarks use these). */
cudaError_t cudaMemcpy2D(void *dst, size_t dpitch, const void *src, size_t spitch, size_t width, size_t height,
                         enum cudaMemcpyKind kind)
{
    cudaError_t e = copy_2d(dst, dpitch, src, spitch, width, height, kind, NULL);
    if (e == cudaSuccess) e = cudaDeviceSynchronize();
    return e;
}

cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes, enum cudaMemcpyKind kind)
{
    return cudaMemcpy2D(dst, bytes, src, bytes, bytes, 1, kind);
}

typedef struct memset_job {
    void *dst;
    int value;
    size_t bytes;
} memset_job;

static void run_memset(void *arg)
{
    memset_job *m = arg;
    memset(m->dst, m->value, m->bytes);
    free(m);
}

cudaError_t cudaMemsetAsync(void *dst, int value, size_t bytes, cudaStream_t s)
{
    if (!bytes) return done();
    tfc_emu_lock();
    memset_job *m = NULL;
    cudaError_t e = cudaSuccess;
    if (!range_ok(dst, bytes, true)) e = fail(cudaErrorInvalidValue);
    else if (!(m = malloc(sizeof *m))) e = fail(cudaErrorMemoryAllocation);
    else {
        *m = (memset_job){ dst, value, bytes };
        tfc_emu_enqueue(s, run_memset, m);
    }
    tfc_emu_unlock();
    return e ? e : done();
}
