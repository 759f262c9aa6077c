/* reduction_check: the run-time checks and the shape algebra of the reductions, shared by their CPU
 * and GPU kernels (kernels/cpu/reduction_cpu.c, kernels/cuda/reduce_cuda.c), with TensorFlow's
 * messages: the dtypes, the axes (range, duplicates), the output shape, ArgMax/ArgMin's dimension,
 * and the collapse of a reduction into passes over [O, R, K] views (O kept outer, R reduced, K kept
 * inner). Axes are read on the host. */
#ifndef TFC_KERNELS_REDUCTION_CHECK_H_
#define TFC_KERNELS_REDUCTION_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

/* Checks that input 0 has dtype want and input 1 (the axes) an int16/int32/int64 dtype. */
bool tfc_reduce_check_dtype(tfc_kernel_ctx *k, TF_DataType want);

/* Sum, Mean, Prod, Max, Min, All, Any: which dims are reduced, the output's dims (reduced dims
 * dropped, or 1 with keep_dims), and div, the number of elements reduced into each output (Mean's
 * divisor; 0 only when x is empty). */
typedef struct tfc_reduce_shape {
    bool reduce[TFC_MAX_RANK];
    int rank;
    int64_t dims[TFC_MAX_RANK];
    int64_t div;
} tfc_reduce_shape;

/* Checks the dtypes (as tfc_reduce_check_dtype) and the axes (input 1) against x (input 0) and
 * fills sh. On failure the step error is set and false returned. */
bool tfc_reduce_check(tfc_kernel_ctx *k, TF_DataType dtype, bool keep_dims, tfc_reduce_shape *sh);

/* A run of adjacent dims that are all reduced or all kept, merged into one. */
typedef struct tfc_reduce_group {
    int64_t size;
    bool reduced;
} tfc_reduce_group;

/* Drops x's size-1 dims and merges neighbours with the same status into g (TFC_MAX_RANK entries);
 * returns the group count and sets *n_reduced to the number of reduced groups. x must not be
 * empty. */
int tfc_reduce_groups(const TF_Tensor *x, const bool *reduce, tfc_reduce_group *g, int *n_reduced);

/* One pass of a reduction: x viewed as [O, R, K] -> [O, K]; last: the final pass. */
typedef struct tfc_reduce_pass {
    int64_t O, R, K;
    bool last;
} tfc_reduce_pass;

/* The next pass over g[0..*n) (at least one group reduced): the innermost reduced group. Drops that
 * group from g (its kept neighbours become one), so the next call gives the pass after it. */
tfc_reduce_pass tfc_reduce_next_pass(tfc_reduce_group *g, int *n);

/* Reads scalar input 1 as an axis of input 0 and checks it, with `what` naming it in the "must be a
 * scalar" message and range_fmt (taking the low and high bounds as ints and the value as int64) for
 * the range error; false (error set) when it is not usable. */
bool tfc_reduce_scalar_axis(tfc_kernel_ctx *k, const char *what, const char *range_fmt, int64_t *axis);

/* Splits x's dims around axis into [O, N, K]. */
void tfc_reduce_around_axis(const TF_Tensor *x, int64_t axis, int64_t *O, int64_t *N, int64_t *K);

/* ArgMax / ArgMin: the output's dims and x (input 0) viewed as [O, N, K] around the axis. */
typedef struct tfc_arg_shape {
    int64_t axis;
    int rank;
    int64_t dims[TFC_MAX_RANK];
    int64_t O, N, K; /* set only when the output is not empty */
} tfc_arg_shape;

/* Checks the dtypes, the dimension (input 1: a scalar in range), that the indices fit out_type
 * (int64, int32, int16 or uint16) and that the axis is not empty; fills sh. On failure the step
 * error is set and false returned. */
bool tfc_arg_check(tfc_kernel_ctx *k, TF_DataType dtype, TF_DataType out_type, tfc_arg_shape *sh);

#endif
