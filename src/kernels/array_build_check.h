/* array_build_check: the run-time checks of the tensor-building ops (Fill, OneHot, Tile,
 * BroadcastTo, and the shape vectors and scalars of Pad and Range), shared by their CPU kernels
 * (kernels/cpu/array_build_cpu.c, gather_cpu.c) and the GPU's (kernels/cuda/array_build_cuda.c),
 * with TensorFlow's messages. Every tensor they read is in host memory (shape, depth and value
 * inputs are host inputs on every device). On failure each sets the step error. */
#ifndef TFC_KERNELS_ARRAY_BUILD_CHECK_H_
#define TFC_KERNELS_ARRAY_BUILD_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "core/tensor.h"
#include "kernels/kernel.h"

/* Element i of an int32 or int64 tensor. */
static inline int64_t tfc_int_at(const TF_Tensor *t, int64_t i)
{
    return t->dtype == TF_INT32 ? ((const int32_t *)tfc_tensor_data(t))[i] : ((const int64_t *)tfc_tensor_data(t))[i];
}

/* Checks that t is an int32/int64 vector of at most max entries. */
TF_Code tfc_check_int_vector(tfc_kernel_ctx *k, const TF_Tensor *t, const char *what, int64_t max);
/* Checks that t holds exactly one element (a scalar; a 1-vector too when vec_ok) of dtype. */
TF_Code tfc_check_scalar(tfc_kernel_ctx *k, const TF_Tensor *t, TF_DataType dtype, const char *what, bool vec_ok);

/* Fill(dims, value): dims an int32/int64 vector of non-negative sizes, value a scalar of the
 * output's dtype. On success dims[0..*rank) is the output's shape. */
bool tfc_fill_check(tfc_kernel_ctx *k, int64_t *dims, int *rank);

/* OneHot's axis attr (-1: last) as its state: no free needed. */
TF_Code tfc_one_hot_init(const tfc_kernel_init_ctx *c, void **state);
/* OneHot(indices, depth, on_value, off_value): scalars of the right dtypes, depth >= 0, axis in
 * range. On success dims[0..*rank) is the output's shape, *depth the depth and *suffix the number
 * of indices elements after the axis: output element ((p * depth) + v) * suffix + s is on_value
 * exactly when indices element p * suffix + s is v. */
bool tfc_one_hot_check(tfc_kernel_ctx *k, int64_t *dims, int *rank, int64_t *depth, int64_t *suffix);

/* Tile(input, multiples): multiples an int32/int64 vector of one non-negative entry per input dim.
 * On success dims[0..input rank) is the output's shape (input dim times multiple). */
bool tfc_tile_check(tfc_kernel_ctx *k, int64_t *dims);
/* BroadcastTo(input, shape): shape an int32/int64 vector of non-negative sizes to which the input
 * broadcasts. On success dims[0..*rank) is the output's shape and in_dims[0..*rank) the input's
 * dims aligned to it (1 where the input has fewer dims). */
bool tfc_broadcast_to_check(tfc_kernel_ctx *k, int64_t *dims, int *rank, int64_t *in_dims);

#endif
