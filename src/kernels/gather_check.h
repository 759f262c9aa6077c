/* gather_check: the run-time checks of GatherV2, shared by its CPU and GPU kernels, with
 * TensorFlow's messages: the axis and batch_dims against the shapes, and every index against the
 * gathered dim ("indices[1,2] = 7 is not in [0, 5)"), before anything is copied. Indices and axis
 * are read on the host. */
#ifndef TFC_KERNELS_GATHER_CHECK_H_
#define TFC_KERNELS_GATHER_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

/* Element i of an integer index tensor in host memory (int8/uint8/int16/int32/int64). */
static inline int64_t tfc_index_at(const TF_Tensor *t, int64_t i)
{
    const void *p = tfc_tensor_data(t);
    switch (t->dtype) {
    case TF_INT8: return ((const int8_t *)p)[i];
    case TF_UINT8: return ((const uint8_t *)p)[i];
    case TF_INT16: return ((const int16_t *)p)[i];
    case TF_INT32: return ((const int32_t *)p)[i];
    default: return ((const int64_t *)p)[i];
    }
}

static inline bool tfc_is_index_type(TF_DataType t)
{
    return t == TF_INT8 || t == TF_UINT8 || t == TF_INT16 || t == TF_INT32 || t == TF_INT64;
}

/* Where GatherV2 reads: the output is [batch, outer, nidx, inner] (flattened), element
 * (b, o, i, e) = params[b, o, indices[b, i], e] with params seen as [batch, outer, gather, inner]. */
typedef struct tfc_gather_geom {
    int rank;                   /* of the output */
    int64_t dims[TFC_MAX_RANK]; /* the output's dims */
    int64_t batch, outer, gather, inner, nidx;
} tfc_gather_geom;

/* GatherV2's init: attr batch_dims, kept in *state itself (no free_state). */
TF_Code tfc_gather_init(const tfc_kernel_init_ctx *c, void **state);
/* Checks params (input 0), indices (input 1) and axis (input 2) with the batch_dims of init, and
 * every index unless the output is empty; fills g. On failure the step error is set and false
 * returned. */
bool tfc_gather_check(tfc_kernel_ctx *k, tfc_gather_geom *g);

#endif
