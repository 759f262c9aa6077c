/* cuda_pool: the caching GPU allocator (see cuda_pool.h). Blocks live in one array; a hash table
 * maps a block's device address to its index so free() is O(1); the free blocks are found by a
 * scan for the best fit, which stays cheap because a training step reuses a few hundred sizes. */
#include "kernels/cuda/cuda_pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <cuda_runtime_api.h>

#include "core/alloc.h"

typedef struct block {
    void *ptr;
    size_t size;
    bool free;
} block;

struct tfc_cuda_pool {
    pthread_mutex_t mu;
    int ordinal;
    int64_t limit;
    block *blocks;
    int n_blocks, cap_blocks;
    int *table; /* open addressing, -1 empty; size table_cap (a power of two) */
    int table_cap;
    tfc_cuda_pool_stats stats;
};

static size_t round_size(size_t n)
{
    const size_t small = 256, large = 64 * 1024;
    if (n < small) return small;
    size_t q = n < (1u << 20) ? small : large;
    return (n + q - 1) / q * q;
}

static size_t hash_ptr(const void *p, int cap) { return ((uintptr_t)p >> 8) * 0x9E3779B97F4A7C15ull & (size_t)(cap - 1); }

/* Re-inserts every block into a table of cap slots (reusing the current one when cap is its size,
 * so shrinking the block list never needs memory). */
static bool table_rebuild(tfc_cuda_pool *p, int cap)
{
    int *t = cap == p->table_cap ? p->table : tfc_malloc((size_t)cap * sizeof *t);
    if (!t) return false;
    for (int i = 0; i < cap; i++) t[i] = -1;
    for (int b = 0; b < p->n_blocks; b++) {
        size_t h = hash_ptr(p->blocks[b].ptr, cap);
        while (t[h] >= 0) h = (h + 1) & (size_t)(cap - 1);
        t[h] = b;
    }
    if (t != p->table) tfc_free(p->table);
    p->table = t;
    p->table_cap = cap;
    return true;
}

static int table_find(const tfc_cuda_pool *p, const void *ptr)
{
    if (!p->table_cap) return -1;
    for (size_t h = hash_ptr(ptr, p->table_cap);; h = (h + 1) & (size_t)(p->table_cap - 1)) {
        int b = p->table[h];
        if (b < 0 || p->blocks[b].ptr == ptr) return b;
    }
}

tfc_cuda_pool *tfc_cuda_pool_new(int ordinal, int64_t limit)
{
    tfc_cuda_pool *p = tfc_calloc(1, sizeof *p);
    if (!p) return NULL;
    pthread_mutex_init(&p->mu, NULL);
    p->ordinal = ordinal;
    p->limit = limit;
    p->stats.limit_bytes = limit;
    return p;
}

/* cudaFrees every free block (mu held); the in-use ones stay. */
static void release_cached(tfc_cuda_pool *p)
{
    int kept = 0;
    for (int b = 0; b < p->n_blocks; b++) {
        if (p->blocks[b].free) {
            cudaFree(p->blocks[b].ptr);
            p->stats.bytes_cached -= (int64_t)p->blocks[b].size;
        } else {
            p->blocks[kept++] = p->blocks[b];
        }
    }
    p->n_blocks = kept;
    table_rebuild(p, p->table_cap); /* in place: needs no memory */
}

void tfc_cuda_pool_delete(tfc_cuda_pool *p)
{
    if (!p) return;
    cudaSetDevice(p->ordinal);
    for (int b = 0; b < p->n_blocks; b++) cudaFree(p->blocks[b].ptr);
    tfc_free(p->blocks);
    tfc_free(p->table);
    pthread_mutex_destroy(&p->mu);
    tfc_free(p);
}

/* The best cached fit for size, or -1 (mu held). */
static int best_fit(const tfc_cuda_pool *p, size_t size)
{
    int best = -1;
    for (int b = 0; b < p->n_blocks; b++) {
        const block *k = &p->blocks[b];
        if (!k->free || k->size < size || k->size - size > k->size / 4) continue;
        if (best < 0 || k->size < p->blocks[best].size) best = b;
    }
    return best;
}

/* A new block from cudaMalloc, recorded (mu held); -1 when the device or the limit says no. */
static int new_block(tfc_cuda_pool *p, size_t size)
{
    int64_t held = p->stats.bytes_in_use + p->stats.bytes_cached;
    if (p->limit > 0 && held + (int64_t)size > p->limit) return -1;
    if (p->n_blocks == p->cap_blocks) {
        int cap = p->cap_blocks ? 2 * p->cap_blocks : 64;
        block *grown = tfc_realloc(p->blocks, (size_t)cap * sizeof *grown);
        if (!grown) return -1;
        p->blocks = grown;
        p->cap_blocks = cap;
    }
    if (2 * (p->n_blocks + 1) > p->table_cap && !table_rebuild(p, p->table_cap ? 2 * p->table_cap : 128)) return -1;
    void *ptr = NULL;
    cudaSetDevice(p->ordinal);
    if (cudaMalloc(&ptr, size) != cudaSuccess) {
        cudaGetLastError(); /* clear the sticky-free error state of the runtime */
        return -1;
    }
    int b = p->n_blocks++;
    p->blocks[b] = (block){ ptr, size, true };
    size_t h = hash_ptr(ptr, p->table_cap);
    while (p->table[h] >= 0) h = (h + 1) & (size_t)(p->table_cap - 1);
    p->table[h] = b;
    p->stats.bytes_cached += (int64_t)size;
    p->stats.num_mallocs++;
    return b;
}

void *tfc_cuda_pool_alloc(tfc_cuda_pool *p, size_t n)
{
    size_t size = round_size(n);
    pthread_mutex_lock(&p->mu);
    int b = best_fit(p, size);
    if (b < 0) b = new_block(p, size);
    if (b < 0 && p->stats.bytes_cached > 0) {
        release_cached(p);
        b = new_block(p, size);
    }
    void *ptr = NULL;
    if (b >= 0) {
        block *k = &p->blocks[b];
        k->free = false;
        p->stats.bytes_cached -= (int64_t)k->size;
        p->stats.bytes_in_use += (int64_t)k->size;
        if (p->stats.bytes_in_use > p->stats.peak_bytes_in_use) p->stats.peak_bytes_in_use = p->stats.bytes_in_use;
        p->stats.num_allocs++;
        ptr = k->ptr;
    }
    pthread_mutex_unlock(&p->mu);
    return ptr;
}

void tfc_cuda_pool_free(tfc_cuda_pool *p, void *ptr)
{
    if (!ptr) return;
    pthread_mutex_lock(&p->mu);
    int b = table_find(p, ptr);
    if (b >= 0 && !p->blocks[b].free) {
        p->blocks[b].free = true;
        p->stats.bytes_in_use -= (int64_t)p->blocks[b].size;
        p->stats.bytes_cached += (int64_t)p->blocks[b].size;
    }
    pthread_mutex_unlock(&p->mu);
}

tfc_cuda_pool_stats tfc_cuda_pool_get_stats(tfc_cuda_pool *p)
{
    pthread_mutex_lock(&p->mu);
    tfc_cuda_pool_stats s = p->stats;
    pthread_mutex_unlock(&p->mu);
    return s;
}
