/* var_access: what kernels use to reach variables — through a ref input (VariableV2's edge) or a
 * resource handle (VarHandleOp's output) alike, so one compute function serves both an Apply* op
 * and its ResourceApply* twin.
 *
 * An update locks every variable it touches (in address order, so two updates never deadlock),
 * checks they are initialised, moves their values into the kernel's memory when they live
 * elsewhere (a value restored on the host, updated on the GPU), and makes them writable in place: when a reader still
 * shares a value's buffer, the update works on a fresh copy (copy-on-write), so earlier reads
 * keep their value. */
#ifndef TFC_KERNELS_VAR_ACCESS_H_
#define TFC_KERNELS_VAR_ACCESS_H_
#include "kernels/kernel.h"
#include "session/variable.h"

#define TFC_MAX_UPDATE_VARS 8

typedef struct tfc_var_update {
    int n;
    tfc_var *vars[TFC_MAX_UPDATE_VARS];     /* borrowed from the input handles */
    TF_Tensor *values[TFC_MAX_UPDATE_VARS]; /* writable values, one per requested input */
    tfc_var *locked[TFC_MAX_UPDATE_VARS];   /* distinct variables, in lock order */
    int n_locked;
} tfc_var_update;

/* The variable behind input i (ref or resource handle), borrowed; INVALID_ARGUMENT naming the op
 * when input i is not a handle. */
TF_Code tfc_kernel_input_var(tfc_kernel_ctx *k, int i, tfc_var **out);

/* Locks the variables of inputs[0..n), requires each initialised (unless allow_uninitialized, for
 * assignments) and, when initialised, exclusive: u->values[j] may then be written in place until
 * tfc_var_update_end. On error nothing stays locked. */
TF_Code tfc_var_update_begin(tfc_kernel_ctx *k, const int *inputs, int n, bool allow_uninitialized,
                             tfc_var_update *u);
void tfc_var_update_end(tfc_var_update *u);

/* For ops with a ref output (Assign's output_ref, ApplyX's out): output out passes on the ref
 * handle of input in. */
void tfc_kernel_forward_ref(tfc_kernel_ctx *k, int in, int out);

/* "<OpType> '<node>'" for the variable layer's messages. */
const char *tfc_kernel_what(const tfc_kernel_ctx *k, char *buf, size_t size);

#endif
