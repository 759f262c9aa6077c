/* threadpool: a fixed set of worker threads with a FIFO task queue, and parallel_for on top.
 * One pool type serves both the inter-op pool (ready nodes) and the intra-op pool (kernels
 * splitting their work). tfc owns all threading: BLAS runs single-threaded inside these pools. */
#ifndef TFC_CORE_THREADPOOL_H_
#define TFC_CORE_THREADPOOL_H_
#include <stdint.h>
#include "core/status.h"

typedef struct tfc_threadpool tfc_threadpool;

/* A pool of n_threads workers (n_threads >= 1). NULL if threads or memory cannot be had. */
tfc_threadpool *tfc_threadpool_new(int n_threads, const char *name);
/* Waits for queued tasks to finish, then joins the workers. NULL is a no-op. */
void tfc_threadpool_free(tfc_threadpool *pool);
int tfc_threadpool_size(const tfc_threadpool *pool);
/* Queues fn(arg). Returns 0, or -1 if the task could not be queued (out of memory); the caller
 * then runs it itself. */
int tfc_threadpool_schedule(tfc_threadpool *pool, void (*fn)(void *arg), void *arg);
/* Runs fn(arg, begin, end) over [0, n) split into chunks across the pool and the calling thread,
 * and returns when all chunks are done. cost_per_unit (rough ns per element) decides how many
 * chunks are worth it: small n runs inline in one call. pool may be NULL (runs inline). Safe to
 * call from a pool worker (it never waits on a task that cannot start). */
void tfc_parallel_for(tfc_threadpool *pool, int64_t n, int64_t cost_per_unit,
                      void (*fn)(void *arg, int64_t begin, int64_t end), void *arg);
/* Managed blocking, for a task that waits on something other tasks — perhaps another step's —
 * must produce (a queue kernel waiting for an element). Bracket the wait with these: while a pool
 * worker is blocked, the pool lets a spare worker (started on first need, kept for reuse) run
 * queued tasks in its place, so a pool of n threads keeps n runnable and a blocked step cannot
 * starve the others. Both are no-ops on threads that are not pool workers. */
void tfc_threadpool_block_begin(void);
void tfc_threadpool_block_end(void);
/* Number of online CPUs (at least 1). */
int tfc_num_cpus(void);

#endif
