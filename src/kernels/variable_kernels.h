/* variable_kernels: the variable-op computes of kernels/cpu/variable_cpu.c that never touch a
 * value's data — they make handles, swap values, read them, answer queries — so the GPU's table
 * (kernels/cuda/variable_cuda.c) serves the same ops with them and a variable's value can live in
 * GPU memory. AssignAdd and its twins share the checks and locking (tfc_var_add_value) and differ
 * only in the arithmetic each device supplies. */
#ifndef TFC_KERNELS_VARIABLE_KERNELS_H_
#define TFC_KERNELS_VARIABLE_KERNELS_H_
#include "kernels/kernel.h"

/* VariableV2, Variable, VarHandleOp: state is the (container, name, dtype) the handle names. */
TF_Code tfc_var_init(const tfc_kernel_init_ctx *c, void **state);
void tfc_var_state_free(void *state);
void tfc_ref_variable_compute(tfc_kernel_ctx *k);
void tfc_var_handle_compute(tfc_kernel_ctx *k);

#define TFC_VAR_STATE .init = tfc_var_init, .free_state = tfc_var_state_free
#define TFC_ATTRS_STATE .init = tfc_attrs_as_state_init

/* Kernels whose state is the op's attrs (they outlive every plan). */
TF_Code tfc_attrs_as_state_init(const tfc_kernel_init_ctx *c, void **state);
void tfc_assign_compute(tfc_kernel_ctx *k);          /* Assign (attrs state) */
void tfc_assign_variable_compute(tfc_kernel_ctx *k); /* AssignVariableOp (attrs state) */
void tfc_destroy_resource_compute(tfc_kernel_ctx *k); /* DestroyResourceOp (attrs state) */

void tfc_is_initialized_compute(tfc_kernel_ctx *k); /* output 0 is a host bool */
void tfc_read_variable_compute(tfc_kernel_ctx *k);  /* moves the value into the kernel's memory */
void tfc_variable_shape_compute(tfc_kernel_ctx *k); /* output 0 is a host shape */

/* cur += value (subtract: -=) in cur's memory; cur and value have the same dtype and shape and at
 * least one element. Reports its own errors. */
typedef TF_Code (*tfc_var_add_fn)(tfc_kernel_ctx *k, TF_Tensor *cur, const TF_Tensor *value, bool subtract);
/* AssignAdd(Sub)(VariableOp): locks the variable behind input 0, checks input 1 against its value
 * and applies add. */
void tfc_var_add_value(tfc_kernel_ctx *k, bool subtract, tfc_var_add_fn add);

#endif
