/* cuda_pool: the caching allocator of one GPU. Blocks come from cudaMalloc once and go back to a
 * free list when their tensor's last reference goes, so a steady training step does no cudaMalloc
 * at all. Sizes are rounded (256 B below 1 MiB, 64 KiB above) and a request takes the smallest
 * cached block that fits without wasting more than a quarter of it. All work on a device is
 * ordered on its one compute stream, so a block freed on the host may be handed out again at once:
 * the next kernel that writes it runs after the last one that read it. When cudaMalloc fails or
 * the pool's limit (gpu_options.per_process_gpu_memory_fraction) would be passed, the cached
 * blocks are released and the request tried once more. Thread-safe. */
#ifndef TFC_KERNELS_CUDA_POOL_H_
#define TFC_KERNELS_CUDA_POOL_H_
#include <stddef.h>
#include <stdint.h>

typedef struct tfc_cuda_pool tfc_cuda_pool;

typedef struct tfc_cuda_pool_stats {
    int64_t bytes_in_use;   /* handed out and not yet freed */
    int64_t peak_bytes_in_use;
    int64_t bytes_cached;   /* freed, kept for reuse */
    int64_t limit_bytes;
    int64_t num_mallocs;    /* cudaMalloc calls so far */
    int64_t num_allocs;     /* requests served */
} tfc_cuda_pool_stats;

/* A pool for device `ordinal` that never holds more than limit bytes. NULL when out of memory. */
tfc_cuda_pool *tfc_cuda_pool_new(int ordinal, int64_t limit);
void tfc_cuda_pool_delete(tfc_cuda_pool *p); /* cudaFrees every block */
/* n bytes of device memory (n == 0 gives a valid minimal block); NULL when none is left. */
void *tfc_cuda_pool_alloc(tfc_cuda_pool *p, size_t n);
void tfc_cuda_pool_free(tfc_cuda_pool *p, void *ptr);
tfc_cuda_pool_stats tfc_cuda_pool_get_stats(tfc_cuda_pool *p);

#endif
