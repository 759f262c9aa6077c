/* variable: a variable's state — its dtype, its current value (NULL until initialised) and the
 * mutex that orders updates. Ref variables (VariableV2) reach kernels through ref-typed handle
 * tensors, resource variables (VarHandleOp) through TF_RESOURCE handle tensors; both point at a
 * tfc_var kept in the session's resource manager.
 *
 * Reads share the value's buffer (no copy). Writers never modify a buffer that a reader still
 * holds: an update first makes the value exclusive (copy-on-write), so a tensor read earlier in a
 * step keeps the value it had when it was read. */
#ifndef TFC_SESSION_VARIABLE_H_
#define TFC_SESSION_VARIABLE_H_
#include <pthread.h>
#include <stdbool.h>

#include "core/device.h"
#include "core/object.h"
#include "core/tensor.h"
#include "session/resource.h"

typedef struct tfc_var {
    tfc_object base;
    pthread_mutex_t mu;
    TF_DataType dtype;
    TF_Tensor *value; /* NULL until initialised; guarded by mu */
    bool is_resource; /* VarHandleOp variable (messages differ from ref variables) */
    bool destroyed;   /* DestroyResourceOp removed it; handles still holding it see "not found" */
    char *container, *name; /* where the resource manager keeps it */
} tfc_var;

/* The variable at (container, name) in m, created uninitialised when absent; a new reference. */
TF_Code tfc_var_lookup_or_create(tfc_resource_mgr *m, const char *container, const char *name, TF_DataType dtype,
                                 bool is_resource, tfc_var **out, TF_Status *st, const char *what);
/* The variable behind a handle tensor (ref dtype or TF_RESOURCE), or NULL when t is not one. */
tfc_var *tfc_var_from_handle(const TF_Tensor *t);
/* A tensor sharing the variable's current value (*out), or FAILED_PRECONDITION naming the
 * variable when it is uninitialised or destroyed. `what` names the reading op. */
TF_Code tfc_var_read(tfc_var *v, TF_Tensor **out, TF_Status *st, const char *what);
/* Like tfc_var_read, first moving the value into dev's memory (host memory for NULL or the CPU)
 * when it lives elsewhere — a value restored on the host is read by GPU kernels, say — so the next
 * reads on dev find it there. */
TF_Code tfc_var_read_on(tfc_var *v, const tfc_device *dev, TF_Tensor **out, TF_Status *st, const char *what);
/* Called with v->mu held: moves v's value (if any) into dev's memory when it lives elsewhere. */
TF_Code tfc_var_move_to(tfc_var *v, const tfc_device *dev, TF_Status *st, const char *what);
/* Called with v->mu held: FAILED_PRECONDITION when v has no value. */
TF_Code tfc_var_check_initialized(const tfc_var *v, TF_Status *st, const char *what);
/* Called with v->mu held: makes v->value writable in place (copies it, in the same memory, if a
 * reader shares it). */
TF_Code tfc_var_make_exclusive(tfc_var *v, TF_Status *st, const char *what);
void tfc_var_unref(tfc_var *v);

#endif
