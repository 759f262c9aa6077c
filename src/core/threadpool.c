/* threadpool: pthread workers over a FIFO ring of tasks, and tfc_parallel_for (see threadpool.h).
 * parallel_for never waits for a task that has not started: the caller and the helpers it queues
 * pull chunk numbers from one shared atomic counter, so the caller runs every chunk nobody else
 * has claimed, and only waits for chunks that are already running on other threads. That is what
 * makes a parallel_for from inside a pool worker (nested parallelism) deadlock-free. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_setname_np, sched_getaffinity */
#endif
#include "core/threadpool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"

typedef struct pool_task {
    void (*fn)(void *arg);
    void *arg;
} pool_task;

struct tfc_threadpool {
    pthread_mutex_t mu;
    pthread_cond_t work_cv;
    pool_task *ring; /* FIFO: ring[(head + i) % cap] for i < count */
    int cap;
    int head;
    int count;
    bool stop;
    atomic_int queued;   /* mirror of count, read without the lock by spinning workers */
    atomic_bool stopping;
    int n_sleeping;      /* workers blocked on work_cv */
    int n_threads;
    pthread_t *threads;
    /* Managed blocking (tfc_threadpool_block_begin): spare workers, ids n_threads.., that take
     * tasks only while as many workers are blocked, so n_threads of them stay runnable. */
    int n_blocked;
    int n_spares;
    pthread_t *spares;
    pthread_cond_t spare_cv; /* spares with nobody to stand in for */
    char name[16];
};

typedef struct worker_arg {
    tfc_threadpool *pool;
    int id;
} worker_arg;

/* The pool the current thread works for (NULL off pool threads), for managed blocking. */
static _Thread_local tfc_threadpool *tl_pool;

int tfc_num_cpus(void)
{
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* How long an idle thread polls before it sleeps. Waking a sleeping thread costs tens of
 * microseconds on a VM, more than many kernels take, so a thread that was just busy stays
 * awake briefly for the next task of the step. */
#define SPIN_NS 50000

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Polls *value until it is non-zero or SPIN_NS pass; true if it became non-zero. */
static bool spin_while_zero(const atomic_int *value, const atomic_bool *also)
{
    int64_t start = 0;
    for (int i = 0;; i++) {
        if (atomic_load_explicit(value, memory_order_acquire) != 0) return true;
        if (also && atomic_load_explicit(also, memory_order_relaxed)) return true;
        if ((i & 63) == 63) {
            int64_t t = now_ns();
            if (!start) start = t;
            else if (t - start > SPIN_NS) return false;
        }
        cpu_relax();
    }
}

/* A worker may take tasks: every base worker; a spare only while it stands in for a blocked one. */
static bool may_work(const tfc_threadpool *pool, int id) { return id < pool->n_threads + pool->n_blocked; }

static void *worker_main(void *p)
{
    worker_arg wa = *(worker_arg *)p;
    tfc_threadpool *pool = wa.pool;
    int id = wa.id;
    tfc_free(p);
    tl_pool = pool;
    pthread_mutex_lock(&pool->mu);
    for (;;) {
        while (!pool->stop && !may_work(pool, id)) pthread_cond_wait(&pool->spare_cv, &pool->mu);
        if (pool->stop && id >= pool->n_threads) break; /* the base workers drain the queue */
        if (pool->count == 0 && !pool->stop) {
            pthread_mutex_unlock(&pool->mu);
            spin_while_zero(&pool->queued, &pool->stopping);
            pthread_mutex_lock(&pool->mu);
        }
        while (pool->count == 0 && !pool->stop && may_work(pool, id)) {
            pool->n_sleeping++;
            pthread_cond_wait(&pool->work_cv, &pool->mu);
            pool->n_sleeping--;
        }
        if (!may_work(pool, id)) continue;
        if (pool->count == 0) break; /* stopping and drained */
        pool_task t = pool->ring[pool->head];
        pool->head = (pool->head + 1) % pool->cap;
        pool->count--;
        atomic_store(&pool->queued, pool->count);
        pthread_mutex_unlock(&pool->mu);
        t.fn(t.arg);
        pthread_mutex_lock(&pool->mu);
    }
    pthread_mutex_unlock(&pool->mu);
    return NULL;
}

/* Starts worker `id`; false when the thread cannot be had. */
static bool start_worker(tfc_threadpool *pool, int id, pthread_t *thread)
{
    worker_arg *wa = tfc_malloc(sizeof *wa);
    if (!wa) return false;
    *wa = (worker_arg){ pool, id };
    if (pthread_create(thread, NULL, worker_main, wa) != 0) {
        tfc_free(wa);
        return false;
    }
#if defined(__GLIBC__)
    char tname[32];
    snprintf(tname, sizeof tname, "%.10s-%d", pool->name, id);
    tname[15] = '\0'; /* the kernel's limit: 15 characters */
    pthread_setname_np(*thread, tname);
#endif
    return true;
}

/* Stops and joins the first n workers and every spare, then frees the pool. */
static void pool_shutdown(tfc_threadpool *pool, int n)
{
    pthread_mutex_lock(&pool->mu);
    pool->stop = true;
    atomic_store(&pool->stopping, true);
    pthread_cond_broadcast(&pool->work_cv);
    pthread_cond_broadcast(&pool->spare_cv);
    pthread_mutex_unlock(&pool->mu);
    for (int i = 0; i < n; i++) pthread_join(pool->threads[i], NULL);
    for (int i = 0; i < pool->n_spares; i++) pthread_join(pool->spares[i], NULL);
    pthread_cond_destroy(&pool->spare_cv);
    pthread_cond_destroy(&pool->work_cv);
    pthread_mutex_destroy(&pool->mu);
    tfc_free(pool->ring);
    tfc_free(pool->threads);
    tfc_free(pool->spares);
    tfc_free(pool);
}

tfc_threadpool *tfc_threadpool_new(int n_threads, const char *name)
{
    if (n_threads < 1 || n_threads > 4096) return NULL;
    tfc_threadpool *pool = tfc_calloc(1, sizeof *pool);
    if (!pool) return NULL;
    pool->n_threads = n_threads;
    pool->cap = 64;
    pool->ring = tfc_calloc((size_t)pool->cap, sizeof *pool->ring);
    pool->threads = tfc_calloc((size_t)n_threads, sizeof *pool->threads);
    snprintf(pool->name, sizeof pool->name, "%s", name && *name ? name : "tfc");
    if (!pool->ring || !pool->threads) {
        tfc_free(pool->ring);
        tfc_free(pool->threads);
        tfc_free(pool);
        return NULL;
    }
    pthread_mutex_init(&pool->mu, NULL);
    pthread_cond_init(&pool->work_cv, NULL);
    pthread_cond_init(&pool->spare_cv, NULL);
    for (int i = 0; i < n_threads; i++) {
        if (!start_worker(pool, i, &pool->threads[i])) {
            pool_shutdown(pool, i);
            return NULL;
        }
    }
    return pool;
}

void tfc_threadpool_free(tfc_threadpool *pool)
{
    if (!pool) return;
    pool_shutdown(pool, pool->n_threads);
}

int tfc_threadpool_size(const tfc_threadpool *pool) { return pool ? pool->n_threads : 0; }

/* Doubles the ring, keeping FIFO order. Called with the lock held. */
static int ring_grow(tfc_threadpool *pool)
{
    if (pool->cap > (1 << 28)) return -1;
    int new_cap = pool->cap * 2;
    pool_task *r = tfc_malloc((size_t)new_cap * sizeof *r);
    if (!r) return -1;
    for (int i = 0; i < pool->count; i++) r[i] = pool->ring[(pool->head + i) % pool->cap];
    tfc_free(pool->ring);
    pool->ring = r;
    pool->cap = new_cap;
    pool->head = 0;
    return 0;
}

int tfc_threadpool_schedule(tfc_threadpool *pool, void (*fn)(void *arg), void *arg)
{
    if (!pool || !fn) return -1;
    pthread_mutex_lock(&pool->mu);
    if (pool->count == pool->cap && ring_grow(pool) != 0) {
        pthread_mutex_unlock(&pool->mu);
        return -1;
    }
    pool->ring[(pool->head + pool->count) % pool->cap] = (pool_task){fn, arg};
    pool->count++;
    atomic_store(&pool->queued, pool->count);
    /* Spinning workers see `queued`. With spares about, the one woken might be a spare that no
     * longer may work, so wake them all. */
    if (pool->n_sleeping > 0 && pool->n_spares) pthread_cond_broadcast(&pool->work_cv);
    else if (pool->n_sleeping > 0) pthread_cond_signal(&pool->work_cv);
    pthread_mutex_unlock(&pool->mu);
    return 0;
}

/* ---- managed blocking ---- */

/* At most this many spares per pool: past it a blocked worker is not replaced. */
#define MAX_SPARES 256

void tfc_threadpool_block_begin(void)
{
    tfc_threadpool *pool = tl_pool;
    if (!pool) return;
    pthread_mutex_lock(&pool->mu);
    pool->n_blocked++;
    if (pool->n_spares < pool->n_blocked && pool->n_spares < MAX_SPARES && !pool->stop) {
        pthread_t *grown = tfc_realloc(pool->spares, sizeof *grown * (size_t)(pool->n_spares + 1));
        if (grown) {
            pool->spares = grown;
            if (start_worker(pool, pool->n_threads + pool->n_spares, &grown[pool->n_spares])) pool->n_spares++;
        }
    }
    pthread_cond_broadcast(&pool->spare_cv); /* one more spare may work now */
    pthread_mutex_unlock(&pool->mu);
}

void tfc_threadpool_block_end(void)
{
    tfc_threadpool *pool = tl_pool;
    if (!pool) return;
    pthread_mutex_lock(&pool->mu);
    pool->n_blocked--; /* the spare standing in finishes its task, then waits on spare_cv */
    pthread_mutex_unlock(&pool->mu);
}

/* ---- parallel_for ---- */

/* Below this much work (ns) a parallel_for runs inline: waking threads costs more. */
#define PF_MIN_TOTAL_NS 50000
/* Chunks are made at least this long (ns), so scheduling stays a small fraction of the work. */
#define PF_MIN_CHUNK_NS 10000

/* Shared by the caller and its helper tasks; on the heap because a helper may start after the
 * caller has returned (it then finds no chunk left and drops its reference). */
typedef struct pf_state {
    void (*fn)(void *arg, int64_t begin, int64_t end);
    void *arg;
    int64_t n;
    int64_t chunk;
    int64_t n_chunks;
    atomic_int_least64_t next; /* next chunk to claim */
    atomic_int_least64_t done; /* chunks finished */
    atomic_int refs;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} pf_state;

static void pf_unref(pf_state *s)
{
    if (atomic_fetch_sub(&s->refs, 1) != 1) return;
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    tfc_free(s);
}

/* Claims and runs chunks until none is left. */
static void pf_run_chunks(pf_state *s)
{
    for (;;) {
        int64_t c = atomic_fetch_add(&s->next, 1);
        if (c >= s->n_chunks) return;
        int64_t begin = c * s->chunk;
        int64_t end = s->n - begin > s->chunk ? begin + s->chunk : s->n;
        s->fn(s->arg, begin, end);
        if (atomic_fetch_add(&s->done, 1) + 1 == s->n_chunks) {
            pthread_mutex_lock(&s->mu);
            pthread_cond_broadcast(&s->cv);
            pthread_mutex_unlock(&s->mu);
        }
    }
}

static void pf_helper(void *p)
{
    pf_state *s = p;
    pf_run_chunks(s);
    pf_unref(s);
}

/* How many chunks n units of cost_per_unit ns are worth on a pool of `threads` workers. */
static int64_t pf_num_chunks(int64_t n, int64_t cost_per_unit, int threads)
{
    int64_t cost = cost_per_unit > 0 ? cost_per_unit : 1;
    int64_t total = n > INT64_MAX / cost ? INT64_MAX : n * cost;
    if (total < PF_MIN_TOTAL_NS) return 1;
    int64_t chunks = total / PF_MIN_CHUNK_NS;
    int64_t max_chunks = 4 * ((int64_t)threads + 1);
    if (chunks > max_chunks) chunks = max_chunks;
    if (chunks > n) chunks = n;
    return chunks < 1 ? 1 : chunks;
}

void tfc_parallel_for(tfc_threadpool *pool, int64_t n, int64_t cost_per_unit,
                      void (*fn)(void *arg, int64_t begin, int64_t end), void *arg)
{
    if (n <= 0 || !fn) return;
    int64_t chunks = pool ? pf_num_chunks(n, cost_per_unit, pool->n_threads) : 1;
    pf_state *s = chunks > 1 ? tfc_malloc(sizeof *s) : NULL;
    if (!s) {
        fn(arg, 0, n);
        return;
    }
    s->fn = fn;
    s->arg = arg;
    s->n = n;
    s->chunk = (n + chunks - 1) / chunks;
    s->n_chunks = (n + s->chunk - 1) / s->chunk;
    atomic_init(&s->next, 0);
    atomic_init(&s->done, 0);
    atomic_init(&s->refs, 1);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);

    int64_t helpers = s->n_chunks - 1 < pool->n_threads ? s->n_chunks - 1 : pool->n_threads;
    for (int64_t i = 0; i < helpers; i++) {
        atomic_fetch_add(&s->refs, 1);
        if (tfc_threadpool_schedule(pool, pf_helper, s) != 0) {
            atomic_fetch_sub(&s->refs, 1); /* the caller's reference keeps s alive */
            break;
        }
    }
    pf_run_chunks(s);
    /* Every chunk is claimed now; wait for the ones still running elsewhere, polling first. */
    for (int64_t t0 = now_ns(); atomic_load(&s->done) < s->n_chunks && now_ns() - t0 < SPIN_NS;) cpu_relax();
    pthread_mutex_lock(&s->mu);
    while (atomic_load(&s->done) < s->n_chunks) pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
    pf_unref(s);
}
