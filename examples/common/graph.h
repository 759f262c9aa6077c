/* graph: a small graph-building layer over TensorFlow's C API for the examples (iris, mnist).
 *
 * A gb ("graph builder") holds the graph and a status. The first error sticks: every later call
 * returns an empty output ({NULL, 0}) without touching the graph, so model code reads as a list of
 * layers and checks gb_ok() once at the end (like TensorFlow's C++ Scope). Variables are resource
 * variables (VarHandleOp, shared_name = the op name, so checkpoints are keyed by it); each gets an
 * initialiser op, collected so gb_group() can make one "init" target of them all. */
#ifndef EXAMPLES_GRAPH_H_
#define EXAMPLES_GRAPH_H_
#include <stdint.h>
#include <tensorflow/c/c_api.h>

enum { GB_MAX_VARS = 32 };

typedef struct gb {
    TF_Graph *graph;
    TF_Status *status;
    TF_Output vars[GB_MAX_VARS];      /* VarHandleOp handles, for TFC_AddTrainStep */
    TF_Operation *inits[GB_MAX_VARS]; /* their AssignVariableOp initialisers */
    int nvars;
} gb;

void gb_init(gb *b, TF_Graph *graph, TF_Status *status);
int gb_ok(const gb *b);
/* Records an error (printf-style) unless one is already recorded. */
void gb_fail(gb *b, const char *fmt, ...);

/* Starts an op; NULL after an error. Set attrs and inputs, then gb_finish (always call it). */
TF_OperationDescription *gb_begin(gb *b, const char *type, const char *name);
TF_Operation *gb_finish(gb *b, TF_OperationDescription *desc);
TF_Output gb_out(TF_Operation *op); /* output 0 */

TF_Output gb_op1(gb *b, const char *type, const char *name, TF_Output x);
TF_Output gb_op2(gb *b, const char *type, const char *name, TF_Output x, TF_Output y);
TF_Output gb_placeholder(gb *b, const char *name, TF_DataType dtype, const int64_t *dims, int ndims);
TF_Output gb_const_f32(gb *b, const char *name, const int64_t *dims, int ndims, const float *values);
TF_Output gb_const_i32(gb *b, const char *name, const int64_t *dims, int ndims, const int32_t *values);
TF_Output gb_scalar_f32(gb *b, const char *name, float value);
TF_Output gb_const_strings(gb *b, const char *name, const char *const *strings, int n);
TF_Output gb_cast(gb *b, const char *name, TF_Output x, TF_DataType to);
/* Mean over all axes of a rank-`rank` tensor: a scalar. */
TF_Output gb_mean_all(gb *b, const char *name, TF_Output x, int rank);
/* A NoOp with control inputs on ops[0..n). */
TF_Operation *gb_group(gb *b, const char *name, TF_Operation *const *ops, int n);

/* A float resource variable `name` of the given shape, initialised to `init` by its initialiser
 * op; returns its value (ReadVariableOp "<name>/read"). */
TF_Output gb_variable(gb *b, const char *name, const int64_t *dims, int ndims, TF_Output init);
/* Glorot (Xavier) uniform initial values for a weight of that shape: U(-l, l), l = sqrt(6 / (fan_in
 * + fan_out)), from RandomUniform with op seeds (seed, seed2), so a fixed seed gives fixed values. */
TF_Output gb_glorot(gb *b, const char *name, const int64_t *dims, int ndims, int64_t fan_in,
                    int64_t fan_out, int64_t seed, int64_t seed2);
/* A float vector of n zeros (Fill), e.g. a bias's initial value. */
TF_Output gb_zeros(gb *b, const char *name, int64_t n);
/* y = x . W + b (ReLU'd when relu) with W "<name>/kernel" Glorot-initialised, b "<name>/bias" 0. */
TF_Output gb_dense(gb *b, const char *name, TF_Output x, int64_t in, int64_t out, int relu,
                   int64_t seed, int64_t seed2);

#endif /* EXAMPLES_GRAPH_H_ */
