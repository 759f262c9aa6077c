/* transpose_check: what Transpose's CPU and GPU kernels do before moving data: the run-time check
 * of perm (TensorFlow's messages) and the collapsed view of the permutation both kernels walk. Dims
 * of size 1 are dropped and runs of input dims that stay adjacent in the output are merged, so a
 * permutation often becomes the identity (the output views the input's buffer) or a 2-D transpose,
 * and the rank the kernels see is small. */
#ifndef TFC_KERNELS_TRANSPOSE_CHECK_H_
#define TFC_KERNELS_TRANSPOSE_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

typedef struct tfc_transpose_plan {
    int rank;                     /* of input and output */
    int64_t dims[TFC_MAX_RANK];   /* the output's dims */
    int cr;                       /* collapsed rank, >= 2 */
    int64_t cdims[TFC_MAX_RANK];  /* collapsed input dims */
    int cperm[TFC_MAX_RANK];      /* collapsed permutation: output dim j is input dim cperm[j] */
    int64_t odims[TFC_MAX_RANK];  /* collapsed output dims: cdims[cperm[j]] */
    int64_t istride[TFC_MAX_RANK]; /* per collapsed output dim: its step in the input, in elements */
} tfc_transpose_plan;

/* Checks perm (input 1, on the host) against input 0 and collapses the permutation. When the
 * output holds the input's elements in the same order (a collapsed rank below 2, or no elements)
 * it is set to a view of the input and false is returned; false too after setting the step error.
 * True: the kernel moves the data as p says into an output it allocates with p->dims. */
bool tfc_transpose_prepare(tfc_kernel_ctx *k, tfc_transpose_plan *p);

#endif
