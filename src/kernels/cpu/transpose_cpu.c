/* transpose_cpu: the Transpose kernel (see ops/array_ops.c), for every dtype of fixed element size
 * (strings: UNIMPLEMENTED). Dims of size 1 are dropped and runs of dims that stay adjacent are
 * merged first, so most permutations become an identity (the output views the input's buffer), a
 * 2-D transpose (cache-blocked tiles, one loop per element size), or a general N-D walk over the
 * output that memcpys whole rows when the innermost dim stays innermost. Work is split over the
 * intra-op pool. The perm check and the collapsing are shared with the GPU (transpose_check.h). */
#include <string.h>

#include "core/dtype.h"
#include "kernels/kernel.h"
#include "kernels/transpose_check.h"

#define TILE 32

// ---- 2-D ----

typedef struct t2_job {
    const char *src;
    char *dst;
    int64_t rows, cols; /* input [rows, cols] -> output [cols, rows] */
    size_t es;
} t2_job;

#define T2_TILE(T)                                                                                           \
    for (int64_t c = c0; c < c1; c++)                                                                        \
        for (int64_t r = r0; r < r1; r++)                                                                    \
            ((T *)j->dst)[c * j->rows + r] = ((const T *)j->src)[r * j->cols + c];                           \
    break

/* One tile of output rows [c0, c1) and input rows [r0, r1). */
static void t2_tile(const t2_job *j, int64_t c0, int64_t c1, int64_t r0, int64_t r1)
{
    switch (j->es) {
    case 1: T2_TILE(uint8_t);
    case 2: T2_TILE(uint16_t);
    case 4: T2_TILE(uint32_t);
    case 8: T2_TILE(uint64_t);
    default:
        for (int64_t c = c0; c < c1; c++)
            for (int64_t r = r0; r < r1; r++)
                memcpy(j->dst + (size_t)(c * j->rows + r) * j->es, j->src + (size_t)(r * j->cols + c) * j->es,
                       j->es);
    }
}

/* Units are column tiles of the input (row tiles of the output). */
static void t2_chunk(void *arg, int64_t begin, int64_t end)
{
    const t2_job *j = arg;
    for (int64_t t = begin; t < end; t++) {
        int64_t c0 = t * TILE, c1 = c0 + TILE < j->cols ? c0 + TILE : j->cols;
        for (int64_t r0 = 0; r0 < j->rows; r0 += TILE)
            t2_tile(j, c0, c1, r0, r0 + TILE < j->rows ? r0 + TILE : j->rows);
    }
}

// ---- N-D ----

typedef struct tn_job {
    int rank;                                /* collapsed */
    int64_t odims[TFC_MAX_RANK], istep[TFC_MAX_RANK]; /* per output dim: size, input byte step */
    const char *src;
    char *dst;
    size_t es;
} tn_job;

/* Units are output rows (all output dims but the last). */
static void tn_chunk(void *arg, int64_t begin, int64_t end)
{
    const tn_job *j = arg;
    int last = j->rank - 1;
    int64_t idx[TFC_MAX_RANK], off = 0, rest = begin, n = j->odims[last], step = j->istep[last];
    for (int d = last - 1; d >= 0; d--) {
        idx[d] = rest % j->odims[d];
        rest /= j->odims[d];
        off += idx[d] * j->istep[d];
    }
    for (int64_t r = begin; r < end; r++) {
        char *o = j->dst + (size_t)(r * n) * j->es;
        const char *s = j->src + off;
        if (step == (int64_t)j->es) memcpy(o, s, (size_t)n * j->es);
        else if (j->es == 4)
            for (int64_t i = 0; i < n; i++) ((uint32_t *)o)[i] = *(const uint32_t *)(s + i * step);
        else if (j->es == 8)
            for (int64_t i = 0; i < n; i++) ((uint64_t *)o)[i] = *(const uint64_t *)(s + i * step);
        else for (int64_t i = 0; i < n; i++) memcpy(o + (size_t)i * j->es, s + i * step, j->es);
        for (int d = last - 1; d >= 0; d--) {
            off += j->istep[d];
            if (++idx[d] < j->odims[d]) break;
            off -= idx[d] * j->istep[d];
            idx[d] = 0;
        }
    }
}

static void transpose_compute(tfc_kernel_ctx *k)
{
    const TF_Tensor *in = tfc_kernel_input(k, 0);
    tfc_transpose_plan p;
    if (!tfc_transpose_prepare(k, &p)) return;
    size_t es = tfc_dtype_elem_size(in->dtype);
    if (in->dtype == TF_STRING || es == 0) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "Transpose is not supported for dtype %s",
                         tfc_dtype_name(in->dtype));
        return;
    }
    TF_Tensor *out;
    if (tfc_kernel_alloc_output(k, 0, p.dims, p.rank, &out)) return;
    if (p.cr == 2) {
        t2_job j = { tfc_tensor_data(in), tfc_tensor_data(out), p.cdims[0], p.cdims[1], es };
        tfc_parallel_for(tfc_kernel_intra_pool(k), (p.cdims[1] + TILE - 1) / TILE, p.cdims[0] * TILE + 10,
                         t2_chunk, &j);
        return;
    }
    tn_job j = { .rank = p.cr, .src = tfc_tensor_data(in), .dst = tfc_tensor_data(out), .es = es };
    int64_t rows = 1;
    for (int i = 0; i < p.cr; i++) {
        j.odims[i] = p.odims[i], j.istep[i] = p.istride[i] * (int64_t)es;
        if (i < p.cr - 1) rows *= j.odims[i];
    }
    tfc_parallel_for(tfc_kernel_intra_pool(k), rows, j.odims[p.cr - 1] + 10, tn_chunk, &j);
}

const tfc_kernel_def tfc_cpu_transpose_kernels[] = {
    { "Transpose", "CPU", 0, .host_inputs = 2, .compute = transpose_compute },
    { 0 }
};
