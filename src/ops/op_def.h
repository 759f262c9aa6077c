/* op_def: the op registry's data model (TensorFlow's OpDef as C designated initialisers), and the
 * API that shape functions use.
 *
 * Each family file (array_ops.c, math_ops.c, ...) exports one table `const tfc_op_def
 * tfc_<family>_ops[]`, terminated by `{0}`; ops/registry.c lists the tables once. Names, arg order,
 * attr names and defaults follow TensorFlow's op definitions exactly, so GraphDefs round-trip.
 *
 * Example:
 *   { .name = "MatMul",
 *     .inputs  = (const tfc_arg_def[]){ {"a", .type_attr = "T"}, {"b", .type_attr = "T"}, {0} },
 *     .outputs = (const tfc_arg_def[]){ {"product", .type_attr = "T"}, {0} },
 *     .attrs   = (const tfc_attr_def[]){
 *         { "transpose_a", TF_ATTR_BOOL, .has_default = true, .dflt.b = false },
 *         { "transpose_b", TF_ATTR_BOOL, .has_default = true, .dflt.b = false },
 *         { "T", TF_ATTR_TYPE, .allowed = TFC_TYPE_BIT(TF_FLOAT) | ... }, {0} },
 *     .shape_fn = matmul_shape },
 */
#ifndef TFC_OPS_OP_DEF_H_
#define TFC_OPS_OP_DEF_H_
#include <stdbool.h>
#include <stdint.h>
#include "core/dtype.h"
#include "core/shape.h"
#include "graph/attr.h"
#include "tfc/c_api.h"

typedef struct tfc_arg_def {
    const char *name;
    TF_DataType type;           /* fixed dtype (0 when type_attr or type_list_attr is used) */
    const char *type_attr;      /* name of a "type" attr giving the dtype */
    const char *number_attr;    /* name of an "int" attr: the arg is a list of that many tensors */
    const char *type_list_attr; /* name of a "list(type)" attr: one tensor per listed dtype */
    bool is_ref;
} tfc_arg_def;

/* Default value of an attr. Scalars use i/f/b/type/s; lists use n plus the matching array;
 * a shape uses n as its rank (-1: unknown rank) and ints as its dims. */
typedef struct tfc_attr_default {
    int64_t i;
    float f;
    bool b;
    TF_DataType type;
    const char *s;
    int n;
    const int64_t *ints;
    const float *floats;
    const TF_DataType *types;
    const char *const *strings;
} tfc_attr_default;

typedef struct tfc_attr_def {
    const char *name;
    TF_AttrType type;   /* element type for lists */
    bool is_list;
    bool has_default;
    tfc_attr_default dflt;
    uint64_t allowed;   /* type attrs: allowed dtypes (TFC_TYPE_BIT mask); 0 = any */
    const char *const *allowed_strings; /* string attrs: NULL-terminated list of allowed values */
    bool has_minimum;
    int64_t minimum;    /* int attrs: least value; list attrs: least length */
} tfc_attr_def;

enum {
    TFC_OP_STATEFUL = 1u << 0,
    TFC_OP_COMMUTATIVE = 1u << 1,
    TFC_OP_AGGREGATE = 1u << 2,
    TFC_OP_ALLOWS_UNINITIALIZED_INPUT = 1u << 3,
};

typedef struct tfc_shape_ctx tfc_shape_ctx;
typedef struct tfc_grad_ctx tfc_grad_ctx;

/* Computes output shapes from input shapes and attrs. Returns TF_OK, or the code of
 * tfc_shape_fail. Runs at TF_FinishOperation; a failure keeps the op out of the graph. */
typedef TF_Code (*tfc_shape_fn)(tfc_shape_ctx *c);
/* Adds the gradient ops of one op to the graph (TF_AddGradients; API below). NULL: the op has
 * no gradient and a gradient request through it is an error. */
typedef TF_Code (*tfc_grad_fn)(tfc_grad_ctx *g);

typedef struct tfc_op_def {
    const char *name;
    const tfc_arg_def *inputs;  /* {0}-terminated; NULL for none */
    const tfc_arg_def *outputs; /* {0}-terminated; NULL for none */
    const tfc_attr_def *attrs;  /* {0}-terminated; NULL for none */
    uint32_t flags;             /* TFC_OP_* */
    tfc_shape_fn shape_fn;      /* NULL: every output gets an unknown shape */
    tfc_grad_fn grad_fn;
    const char *summary;
} tfc_op_def;

/* ---- registry (ops/registry.c) ---- */
/* The definition of op type `name`, or NULL. Thread-safe (the index is built once). */
const tfc_op_def *tfc_op_lookup(const char *name);
/* All registered ops, in registration order. */
int tfc_op_count(void);
const tfc_op_def *tfc_op_at(int i);
/* The attr def called name in def, or NULL. */
const tfc_attr_def *tfc_op_attr_def(const tfc_op_def *def, const char *name);

/* ---- shape function API (implemented in graph/shape_ctx.c) ---- */
int tfc_shape_num_inputs(const tfc_shape_ctx *c);
int tfc_shape_num_outputs(const tfc_shape_ctx *c);
const tfc_pshape *tfc_shape_input(const tfc_shape_ctx *c, int i);
TF_DataType tfc_shape_input_type(const tfc_shape_ctx *c, int i);
/* The value of input i when the graph already knows it (its producer is a Const), else NULL. */
const TF_Tensor *tfc_shape_input_tensor(const tfc_shape_ctx *c, int i);
/* Reads input i (an int32/int64 vector describing a shape, as Reshape's `shape`) as a partial
 * shape: from a Const value, from a Shape op's input shape, else rank from the vector length with
 * unknown dims. -1 entries mean unknown. Returns TF_OK or a shape failure. */
TF_Code tfc_shape_input_as_shape(tfc_shape_ctx *c, int i, tfc_pshape *out);
/* The shape of the variable behind resource input i when its producer is a VarHandleOp (its
 * `shape` attr), else unknown: TensorFlow's handle shape data, for ReadVariableOp and friends. */
tfc_pshape tfc_shape_input_handle_shape(const tfc_shape_ctx *c, int i);
/* The attrs and op type of the op producing input i (NULL when out of range): for shape functions
 * that follow a resource handle to the op that made it, as the queue ops read the shapes of the
 * queue behind their handle. */
const tfc_attrs *tfc_shape_input_producer(const tfc_shape_ctx *c, int i, const char **op_type);
const tfc_attrs *tfc_shape_attrs(const tfc_shape_ctx *c);
void tfc_shape_set_output(tfc_shape_ctx *c, int i, const tfc_pshape *s);
/* Records INVALID_ARGUMENT "<Op> '<name>': <message>" and returns it. */
TF_Code tfc_shape_fail(tfc_shape_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *tfc_shape_op_name(const tfc_shape_ctx *c);
/* NumPy broadcasting of two partial shapes; fails the context when they cannot broadcast. */
TF_Code tfc_shape_broadcast(tfc_shape_ctx *c, const tfc_pshape *a, const tfc_pshape *b, tfc_pshape *out);

/* ---- gradient function API (implemented in graph/gradients.c) ----
 * A gradient function reads the forward op's inputs and outputs and the incoming gradients of
 * its outputs, builds ops computing the gradient of each input, and sets them with
 * tfc_grad_set_dx (an input left unset gets no gradient). Builders share a sticky status: after
 * the first error they do nothing and return {NULL, -1}, so a gradient function checks once, by
 * returning tfc_grad_status(g). New ops are named "<scope>/<OpType>" made unique. */
TF_Operation *tfc_grad_forward_op(const tfc_grad_ctx *g);
TF_Output tfc_grad_input(const tfc_grad_ctx *g, int i);
TF_Output tfc_grad_output(const tfc_grad_ctx *g, int i);
/* The summed gradient flowing into output i; ZerosLike(output) when none flows in. */
TF_Output tfc_grad_dy(tfc_grad_ctx *g, int i);
void tfc_grad_set_dx(tfc_grad_ctx *g, int i, TF_Output dx);
TF_Code tfc_grad_status(const tfc_grad_ctx *g);
/* Records an error "<message>" (first error wins) and returns code. */
TF_Code tfc_grad_fail(tfc_grad_ctx *g, TF_Code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Starts an op in the gradient scope (NULL once the status is an error); finish it with
 * tfc_grad_finish, which returns its output 0. */
TF_OperationDescription *tfc_grad_new_op(tfc_grad_ctx *g, const char *op_type);
TF_Output tfc_grad_finish(tfc_grad_ctx *g, TF_OperationDescription *d);
/* An int32 Const: a vector of n values, or a scalar (n = 1) when scalar is true. */
TF_Output tfc_grad_const_i32(tfc_grad_ctx *g, const int32_t *v, int n, bool scalar);
/* Shorthands: an op of one, two or three inputs and no attrs. */
TF_Output tfc_grad_unary(tfc_grad_ctx *g, const char *op_type, TF_Output x);
TF_Output tfc_grad_binary(tfc_grad_ctx *g, const char *op_type, TF_Output a, TF_Output b);
TF_Output tfc_grad_ternary(tfc_grad_ctx *g, const char *op_type, TF_Output a, TF_Output b, TF_Output c);
/* Sums grad over the dimensions NumPy broadcasting added or stretched so it takes the shape of
 * `like` (an input of a broadcasting binary op whose other input is `other`):
 * Reshape(Sum(grad, BroadcastGradientArgs(Shape(like), Shape(other))[0]), Shape(like)). */
TF_Output tfc_grad_unbroadcast(tfc_grad_ctx *g, TF_Output grad, TF_Output like, TF_Output other);

#endif
