/* tfc — an embeddable dataflow-graph runtime with TensorFlow's C API.
 *
 * This header is the specification. It declares TensorFlow's C API (the TF_* names, types, enum
 * values and semantics of tensorflow/c/c_api.h), then tfc's own additions (prefix TFC_).
 *
 * Conventions
 * - Every object is opaque and is created and destroyed through this API. Every TF_Delete* and
 *   TFC_Delete* function accepts NULL and does nothing with it.
 * - A function that takes a TF_Status* clears it (TF_OK, empty message) on success and sets a code
 *   and a message on failure. The message names the op and what is wrong. A NULL TF_Status* is
 *   allowed where noted and then errors are only signalled by the return value.
 * - Ownership: the creator of an object deletes it. Pointers passed in are borrowed for the call
 *   unless a comment says the object keeps them. Strings returned as `const char*` belong to the
 *   object they came from and stay valid until it is mutated or deleted.
 * - Nothing a caller passes (NULL, a wrong dtype or shape, a corrupt buffer) aborts the process:
 *   it is an error status (usually TF_INVALID_ARGUMENT).
 * - Booleans are `unsigned char` (TensorFlow's rule).
 * - Thread safety is stated next to each object below.
 */
#ifndef TFC_C_API_H_
#define TFC_C_API_H_

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#if defined(_WIN32)
#define TF_CAPI_EXPORT __declspec(dllexport)
#else
#define TF_CAPI_EXPORT __attribute__((visibility("default")))
#endif
#define TFC_API TF_CAPI_EXPORT

/* TensorFlow's c_api_macros.h */
#define TF_Bool unsigned char
#define TF_OFFSET_OF_END(TYPE, MEMBER) (offsetof(TYPE, MEMBER) + sizeof(((TYPE *)0)->MEMBER))

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================================================
 * Data types (tf_datatype.h). Values equal TensorFlow's DataType enum in types.proto.
 * ============================================================================================== */
typedef enum TF_DataType {
    TF_FLOAT = 1,
    TF_DOUBLE = 2,
    TF_INT32 = 3, /* Int32 tensors are always in 'host' memory. */
    TF_UINT8 = 4,
    TF_INT16 = 5,
    TF_INT8 = 6,
    TF_STRING = 7,
    TF_COMPLEX64 = 8, /* Single-precision complex */
    TF_COMPLEX = 8,   /* Old identifier kept for API backwards compatibility */
    TF_INT64 = 9,
    TF_BOOL = 10,
    TF_QINT8 = 11,   /* Quantized int8 */
    TF_QUINT8 = 12,  /* Quantized uint8 */
    TF_QINT32 = 13,  /* Quantized int32 */
    TF_BFLOAT16 = 14,
    TF_QINT16 = 15,
    TF_QUINT16 = 16,
    TF_UINT16 = 17,
    TF_COMPLEX128 = 18,
    TF_HALF = 19,
    TF_RESOURCE = 20,
    TF_VARIANT = 21,
    TF_UINT32 = 22,
    TF_UINT64 = 23,
    TF_FLOAT8_E5M2 = 24,
    TF_FLOAT8_E4M3FN = 25,
    TF_INT4 = 29,
    TF_UINT4 = 30,
} TF_DataType;

/* Bytes per element of a fixed-size dtype; 0 for STRING, RESOURCE, VARIANT and unknown codes. */
TF_CAPI_EXPORT size_t TF_DataTypeSize(TF_DataType dt);

/* ================================================================================================
 * Status (tf_status.h). Not thread-safe: use one TF_Status per thread.
 * ============================================================================================== */
typedef enum TF_Code {
    TF_OK = 0,
    TF_CANCELLED = 1,
    TF_UNKNOWN = 2,
    TF_INVALID_ARGUMENT = 3,
    TF_DEADLINE_EXCEEDED = 4,
    TF_NOT_FOUND = 5,
    TF_ALREADY_EXISTS = 6,
    TF_PERMISSION_DENIED = 7,
    TF_UNAUTHENTICATED = 16,
    TF_RESOURCE_EXHAUSTED = 8,
    TF_FAILED_PRECONDITION = 9,
    TF_ABORTED = 10,
    TF_OUT_OF_RANGE = 11,
    TF_UNIMPLEMENTED = 12,
    TF_INTERNAL = 13,
    TF_UNAVAILABLE = 14,
    TF_DATA_LOSS = 15,
} TF_Code;

typedef struct TF_Status TF_Status;

/* A new status, TF_OK with an empty message. The caller deletes it with TF_DeleteStatus.
 * Returns NULL only when memory is exhausted. */
TF_CAPI_EXPORT TF_Status *TF_NewStatus(void);
TF_CAPI_EXPORT void TF_DeleteStatus(TF_Status *s);
/* Records code and a copy of msg (NULL reads as ""). TF_OK clears the message. */
TF_CAPI_EXPORT void TF_SetStatus(TF_Status *s, TF_Code code, const char *msg);
/* Records an error from errno value error_code, with context as the message. */
TF_CAPI_EXPORT void TF_SetStatusFromIOError(TF_Status *s, int error_code, const char *context);
/* TF_OK for a NULL status. */
TF_CAPI_EXPORT TF_Code TF_GetCode(const TF_Status *s);
/* The message, "" when OK; valid until s is next mutated or deleted. "" for a NULL status. */
TF_CAPI_EXPORT const char *TF_Message(const TF_Status *s);

/* ================================================================================================
 * Buffers (tf_buffer.h): a byte range plus the function that frees it.
 * ============================================================================================== */
typedef struct TF_Buffer {
    const void *data;
    size_t length;
    void (*data_deallocator)(void *data, size_t length);
} TF_Buffer;

/* A new buffer holding a copy of proto[0..proto_len); freed by TF_DeleteBuffer. */
TF_CAPI_EXPORT TF_Buffer *TF_NewBufferFromString(const void *proto, size_t proto_len);
/* A new empty buffer (data NULL, length 0, no deallocator). */
TF_CAPI_EXPORT TF_Buffer *TF_NewBuffer(void);
/* Calls data_deallocator(data, length) when set, then frees the struct. */
TF_CAPI_EXPORT void TF_DeleteBuffer(TF_Buffer *buffer);
TF_CAPI_EXPORT TF_Buffer TF_GetBuffer(TF_Buffer *buffer);

/* ================================================================================================
 * Tensors (tf_tensor.h). A TF_Tensor is a dtype, a shape and a reference-counted buffer.
 * A tensor may be read from many threads; it must not be mutated while another thread uses it.
 * ============================================================================================== */
typedef struct TF_Tensor TF_Tensor;

/* Wraps the caller's data[0..len) as a tensor of dtype and dims[0..num_dims). tfc calls
 * deallocator(data, len, deallocator_arg) exactly once, when the last tensor using the buffer goes.
 * If len is smaller than the shape requires, or the shape is invalid (negative dim, element count
 * overflow, more than TFC_MAX_RANK dims), returns NULL after calling the deallocator at once.
 * A deallocator of NULL means the caller keeps the data alive longer than the tensor.
 * Data that is not 64-byte aligned is used as is (tfc kernels do not require alignment). */
TF_CAPI_EXPORT TF_Tensor *TF_NewTensor(TF_DataType dtype, const int64_t *dims, int num_dims, void *data,
                                       size_t len,
                                       void (*deallocator)(void *data, size_t len, void *arg),
                                       void *deallocator_arg);
/* A tensor with a new, uninitialised, 64-byte aligned buffer of len bytes owned by tfc. Returns
 * NULL if len does not match the shape (for TF_STRING, 24 bytes per TF_TString element), or if
 * memory is exhausted. TF_STRING elements are initialised to empty strings. */
TF_CAPI_EXPORT TF_Tensor *TF_AllocateTensor(TF_DataType dtype, const int64_t *dims, int num_dims, size_t len);
/* Returns tensor itself if its buffer is owned by tfc and used by no other tensor, so the caller
 * may reuse it; otherwise NULL (the tensor is left untouched). */
TF_CAPI_EXPORT TF_Tensor *TF_TensorMaybeMove(TF_Tensor *tensor);
/* Releases this tensor's reference on its buffer; the buffer goes with its last reference. For
 * tfc-owned TF_STRING buffers every element's heap storage is released too. */
TF_CAPI_EXPORT void TF_DeleteTensor(TF_Tensor *tensor);
TF_CAPI_EXPORT TF_DataType TF_TensorType(const TF_Tensor *tensor);
/* Changes the shape only (the element count must not require more bytes than the buffer holds;
 * otherwise the call does nothing). */
TF_CAPI_EXPORT void TF_SetShape(TF_Tensor *tensor, const int64_t *dims, int num_dims);
TF_CAPI_EXPORT int TF_NumDims(const TF_Tensor *tensor);
/* Size of dimension dim_index; -1 if the index is out of range or the tensor is NULL. */
TF_CAPI_EXPORT int64_t TF_Dim(const TF_Tensor *tensor, int dim_index);
TF_CAPI_EXPORT size_t TF_TensorByteSize(const TF_Tensor *tensor);
TF_CAPI_EXPORT void *TF_TensorData(const TF_Tensor *tensor);
TF_CAPI_EXPORT int64_t TF_TensorElementCount(const TF_Tensor *tensor);
/* Makes `to` share `from`'s buffer with dtype `type` and shape new_dims; the byte sizes must be
 * equal, else INVALID_ARGUMENT and `to` is unchanged. */
TF_CAPI_EXPORT void TF_TensorBitcastFrom(const TF_Tensor *from, TF_DataType type, TF_Tensor *to,
                                         const int64_t *new_dims, int num_new_dims, TF_Status *status);
TF_CAPI_EXPORT bool TF_TensorIsAligned(const TF_Tensor *tensor);
/* Alignment of buffers tfc allocates: 64 bytes. */
TF_CAPI_EXPORT size_t TF_TensorDefaultAlignment(void);

/* ================================================================================================
 * Version
 * ============================================================================================== */
/* tfc's version and the TensorFlow C API level it follows, e.g. "2.18.0-tfc0.1.0". */
TF_CAPI_EXPORT const char *TF_Version(void);

/* ================================================================================================
 * Session options. Not thread-safe; do not change options while TF_NewSession reads them.
 * ============================================================================================== */
typedef struct TF_SessionOptions TF_SessionOptions;

TF_CAPI_EXPORT TF_SessionOptions *TF_NewSessionOptions(void);
/* "" or "local" run in process; any other target is accepted and reported by TF_NewSession as
 * UNIMPLEMENTED (tfc has no RPC layer; use MPI for multi-process work). */
TF_CAPI_EXPORT void TF_SetTarget(TF_SessionOptions *options, const char *target);
/* Parses a serialized tensorflow.ConfigProto. Honoured: intra_op_parallelism_threads,
 * inter_op_parallelism_threads, allow_soft_placement, device_count. Other fields are accepted and
 * ignored. Bytes that do not parse are INVALID_ARGUMENT and leave the options unchanged. */
TF_CAPI_EXPORT void TF_SetConfig(TF_SessionOptions *options, const void *proto, size_t proto_len,
                                 TF_Status *status);
TF_CAPI_EXPORT void TF_DeleteSessionOptions(TF_SessionOptions *options);

/* ================================================================================================
 * Graphs. A TF_Graph is safe to use from many threads: every call takes the graph's lock, and ops
 * may be added while sessions run on the graph (the new ops are seen by the next TF_SessionRun).
 * TF_Operation pointers, and the strings they return, stay valid until the graph is deleted.
 * ============================================================================================== */
typedef struct TF_Graph TF_Graph;
typedef struct TF_OperationDescription TF_OperationDescription;
typedef struct TF_Operation TF_Operation;

/* One input of an op: oper's index-th input. */
typedef struct TF_Input {
    TF_Operation *oper;
    int index;
} TF_Input;

/* One output of an op: oper's index-th output. */
typedef struct TF_Output {
    TF_Operation *oper;
    int index;
} TF_Output;

typedef struct TF_StringView {
    const char *data;
    size_t len;
} TF_StringView;

typedef enum TF_AttrType {
    TF_ATTR_STRING = 0,
    TF_ATTR_INT = 1,
    TF_ATTR_FLOAT = 2,
    TF_ATTR_BOOL = 3,
    TF_ATTR_TYPE = 4,
    TF_ATTR_SHAPE = 5,
    TF_ATTR_TENSOR = 6,
    TF_ATTR_PLACEHOLDER = 7,
    TF_ATTR_FUNC = 8,
} TF_AttrType;

typedef struct TF_AttrMetadata {
    /* 1 for a list attr, 0 for a scalar. */
    unsigned char is_list;
    /* Number of elements of a list attr; -1 for a scalar. */
    int64_t list_size;
    /* Type of the attr, or of each element of a list attr. */
    TF_AttrType type;
    /* Scalar: string length; rank of a shape (-1 unknown rank); -1 otherwise.
     * List: sum of string lengths; sum of shape ranks (unknown counts 0); -1 otherwise. */
    int64_t total_size;
} TF_AttrMetadata;

TF_CAPI_EXPORT TF_Graph *TF_NewGraph(void);
/* Deletes the graph once no session uses it (deletion waits for the last TF_DeleteSession). */
TF_CAPI_EXPORT void TF_DeleteGraph(TF_Graph *graph);

/* Sets the static shape of an output, merged with what shape inference knows. dims[i] = -1 is an
 * unknown dim and num_dims = -1 an unknown rank. INVALID_ARGUMENT when the shapes conflict. */
TF_CAPI_EXPORT void TF_GraphSetTensorShape(TF_Graph *graph, TF_Output output, const int64_t *dims,
                                           const int num_dims, TF_Status *status);
/* Rank of an output's static shape, -1 when unknown. */
TF_CAPI_EXPORT int TF_GraphGetTensorNumDims(TF_Graph *graph, TF_Output output, TF_Status *status);
/* Writes the static shape into dims[0..num_dims), -1 for unknown dims. num_dims must equal the rank,
 * else INVALID_ARGUMENT. */
TF_CAPI_EXPORT void TF_GraphGetTensorShape(TF_Graph *graph, TF_Output output, int64_t *dims, int num_dims,
                                           TF_Status *status);

/* Starts describing an op of type op_type named oper_name. Errors (unknown op type, NULL
 * arguments, bad attrs or inputs) are recorded in the description and reported by
 * TF_FinishOperation, which always consumes the description. */
TF_CAPI_EXPORT TF_OperationDescription *TF_NewOperation(TF_Graph *graph, const char *op_type,
                                                        const char *oper_name);
/* Requests a device, e.g. "/device:CPU:0" or "/job:localhost/replica:0/task:0/device:CPU:0". */
TF_CAPI_EXPORT void TF_SetDevice(TF_OperationDescription *desc, const char *device);
/* Appends one input; the next input arg of the op def that takes a single tensor. */
TF_CAPI_EXPORT void TF_AddInput(TF_OperationDescription *desc, TF_Output input);
/* Appends a list of inputs for an input arg that takes a list (N * T or a type list). */
TF_CAPI_EXPORT void TF_AddInputList(TF_OperationDescription *desc, const TF_Output *inputs, int num_inputs);
/* The op will not run before `input` has run. */
TF_CAPI_EXPORT void TF_AddControlInput(TF_OperationDescription *desc, TF_Operation *input);
/* Adds "loc:@<op name>" to the op's "_class" attr. */
TF_CAPI_EXPORT void TF_ColocateWith(TF_OperationDescription *desc, TF_Operation *op);

/* Attribute setters. Values are copied. A later call with the same name replaces the value. */
TF_CAPI_EXPORT void TF_SetAttrString(TF_OperationDescription *desc, const char *attr_name, const void *value,
                                     size_t length);
TF_CAPI_EXPORT void TF_SetAttrStringList(TF_OperationDescription *desc, const char *attr_name,
                                         const void *const *values, const size_t *lengths, int num_values);
TF_CAPI_EXPORT void TF_SetAttrInt(TF_OperationDescription *desc, const char *attr_name, int64_t value);
TF_CAPI_EXPORT void TF_SetAttrIntList(TF_OperationDescription *desc, const char *attr_name,
                                      const int64_t *values, int num_values);
TF_CAPI_EXPORT void TF_SetAttrFloat(TF_OperationDescription *desc, const char *attr_name, float value);
TF_CAPI_EXPORT void TF_SetAttrFloatList(TF_OperationDescription *desc, const char *attr_name,
                                        const float *values, int num_values);
TF_CAPI_EXPORT void TF_SetAttrBool(TF_OperationDescription *desc, const char *attr_name, unsigned char value);
TF_CAPI_EXPORT void TF_SetAttrBoolList(TF_OperationDescription *desc, const char *attr_name,
                                       const unsigned char *values, int num_values);
TF_CAPI_EXPORT void TF_SetAttrType(TF_OperationDescription *desc, const char *attr_name, TF_DataType value);
TF_CAPI_EXPORT void TF_SetAttrTypeList(TF_OperationDescription *desc, const char *attr_name,
                                       const TF_DataType *values, int num_values);
TF_CAPI_EXPORT void TF_SetAttrPlaceholder(TF_OperationDescription *desc, const char *attr_name,
                                          const char *placeholder);
TF_CAPI_EXPORT void TF_SetAttrFuncName(TF_OperationDescription *desc, const char *attr_name, const char *value,
                                       size_t length);
/* num_dims = -1: unknown rank; dims[i] = -1: unknown dim. */
TF_CAPI_EXPORT void TF_SetAttrShape(TF_OperationDescription *desc, const char *attr_name, const int64_t *dims,
                                    int num_dims);
TF_CAPI_EXPORT void TF_SetAttrShapeList(TF_OperationDescription *desc, const char *attr_name,
                                        const int64_t *const *dims, const int *num_dims, int num_shapes);
/* The op shares the tensor's buffer; the caller keeps ownership of `value`. */
TF_CAPI_EXPORT void TF_SetAttrTensor(TF_OperationDescription *desc, const char *attr_name, TF_Tensor *value,
                                     TF_Status *status);
TF_CAPI_EXPORT void TF_SetAttrTensorList(TF_OperationDescription *desc, const char *attr_name,
                                         TF_Tensor *const *values, int num_values, TF_Status *status);

/* Validates the description against the op's definition (input count and dtypes, type attrs
 * inferred from inputs, required attrs, allowed dtypes; defaults filled in), runs shape inference
 * and adds the op to the graph. On error returns NULL with the status set and leaves the graph
 * unchanged. Always frees desc. */
TF_CAPI_EXPORT TF_Operation *TF_FinishOperation(TF_OperationDescription *desc, TF_Status *status);

/* Introspection. All return 0 / NULL / -1 for a NULL operation. */
TF_CAPI_EXPORT const char *TF_OperationName(TF_Operation *oper);
TF_CAPI_EXPORT const char *TF_OperationOpType(TF_Operation *oper);
TF_CAPI_EXPORT const char *TF_OperationDevice(TF_Operation *oper);
TF_CAPI_EXPORT int TF_OperationNumOutputs(TF_Operation *oper);
TF_CAPI_EXPORT TF_DataType TF_OperationOutputType(TF_Output oper_out);
/* Number of outputs of the named output arg (a list arg may hold several); -1 and INVALID_ARGUMENT
 * for an unknown arg name. */
TF_CAPI_EXPORT int TF_OperationOutputListLength(TF_Operation *oper, const char *arg_name, TF_Status *status);
TF_CAPI_EXPORT int TF_OperationNumInputs(TF_Operation *oper);
TF_CAPI_EXPORT TF_DataType TF_OperationInputType(TF_Input oper_in);
TF_CAPI_EXPORT int TF_OperationInputListLength(TF_Operation *oper, const char *arg_name, TF_Status *status);
/* The output feeding this input; {NULL, -1} if there is none. */
TF_CAPI_EXPORT TF_Output TF_OperationInput(TF_Input oper_in);
/* Writes the first max_inputs inputs into inputs[]. */
TF_CAPI_EXPORT void TF_OperationAllInputs(TF_Operation *oper, TF_Output *inputs, int max_inputs);
TF_CAPI_EXPORT int TF_OperationOutputNumConsumers(TF_Output oper_out);
/* Writes up to max_consumers consumers; returns the total number of consumers. */
TF_CAPI_EXPORT int TF_OperationOutputConsumers(TF_Output oper_out, TF_Input *consumers, int max_consumers);
TF_CAPI_EXPORT int TF_OperationNumControlInputs(TF_Operation *oper);
TF_CAPI_EXPORT int TF_OperationGetControlInputs(TF_Operation *oper, TF_Operation **control_inputs,
                                                int max_control_inputs);
TF_CAPI_EXPORT int TF_OperationNumControlOutputs(TF_Operation *oper);
TF_CAPI_EXPORT int TF_OperationGetControlOutputs(TF_Operation *oper, TF_Operation **control_outputs,
                                                 int max_control_outputs);

/* Attribute getters. A missing attr is INVALID_ARGUMENT "Operation '<op>' has no attr named
 * '<attr>'."; a getter of the wrong type is INVALID_ARGUMENT. */
TF_CAPI_EXPORT TF_AttrMetadata TF_OperationGetAttrMetadata(TF_Operation *oper, const char *attr_name,
                                                           TF_Status *status);
/* Copies min(max_length, length) bytes; no NUL is added. */
TF_CAPI_EXPORT void TF_OperationGetAttrString(TF_Operation *oper, const char *attr_name, void *value,
                                              size_t max_length, TF_Status *status);
/* values[i] point into storage (storage_size bytes, at least the metadata's total_size). */
TF_CAPI_EXPORT void TF_OperationGetAttrStringList(TF_Operation *oper, const char *attr_name, void **values,
                                                  size_t *lengths, int max_values, void *storage,
                                                  size_t storage_size, TF_Status *status);
TF_CAPI_EXPORT void TF_OperationGetAttrInt(TF_Operation *oper, const char *attr_name, int64_t *value,
                                           TF_Status *status);
TF_CAPI_EXPORT void TF_OperationGetAttrIntList(TF_Operation *oper, const char *attr_name, int64_t *values,
                                               int max_values, TF_Status *status);
TF_CAPI_EXPORT void TF_OperationGetAttrFloat(TF_Operation *oper, const char *attr_name, float *value,
                                             TF_Status *status);
TF_CAPI_EXPORT void TF_OperationGetAttrFloatList(TF_Operation *oper, const char *attr_name, float *values,
                                                 int max_values, TF_Status *status);
TF_CAPI_EXPORT void TF_OperationGetAttrBool(TF_Operation *oper, const char *attr_name, unsigned char *value,
                                            TF_Status *status);
TF_CAPI_EXPORT void TF_OperationGetAttrBoolList(TF_Operation *oper, const char *attr_name,
                                                unsigned char *values, int max_values, TF_Status *status);
TF_CAPI_EXPORT void TF_OperationGetAttrType(TF_Operation *oper, const char *attr_name, TF_DataType *value,
                                            TF_Status *status);
TF_CAPI_EXPORT void TF_OperationGetAttrTypeList(TF_Operation *oper, const char *attr_name,
                                                TF_DataType *values, int max_values, TF_Status *status);
/* value[0..num_dims) receives the dims; num_dims must be at least the rank. */
TF_CAPI_EXPORT void TF_OperationGetAttrShape(TF_Operation *oper, const char *attr_name, int64_t *value,
                                             int num_dims, TF_Status *status);
/* dims[i] points into storage; num_dims[i] is -1 for an unknown rank. */
TF_CAPI_EXPORT void TF_OperationGetAttrShapeList(TF_Operation *oper, const char *attr_name, int64_t **dims,
                                                 int *num_dims, int num_shapes, int64_t *storage,
                                                 int storage_size, TF_Status *status);
/* *value is a new tensor owned by the caller. */
TF_CAPI_EXPORT void TF_OperationGetAttrTensor(TF_Operation *oper, const char *attr_name, TF_Tensor **value,
                                              TF_Status *status);
TF_CAPI_EXPORT void TF_OperationGetAttrTensorList(TF_Operation *oper, const char *attr_name,
                                                  TF_Tensor **values, int max_values, TF_Status *status);
TF_CAPI_EXPORT int TF_OperationGetNumAttrs(TF_Operation *oper);
/* Length of the i-th attr name (attrs are ordered by name); -1 if there is no such attr. */
TF_CAPI_EXPORT int TF_OperationGetAttrNameLength(TF_Operation *oper, int i);
/* Copies the i-th attr name (not NUL-terminated) into output. */
TF_CAPI_EXPORT void TF_OperationGetAttrName(TF_Operation *oper, int i, char *output, TF_Status *status);

/* The op named oper_name, or NULL. */
TF_CAPI_EXPORT TF_Operation *TF_GraphOperationByName(TF_Graph *graph, const char *oper_name);
/* Iterates the ops in creation order: start with *pos = 0; NULL at the end. */
TF_CAPI_EXPORT TF_Operation *TF_GraphNextOperation(TF_Graph *graph, size_t *pos);

/* Adds ops computing the partial derivatives of sum(y[0..ny)) with respect to each x[0..nx), and
 * writes them to dy[0..nx) (caller-allocated). dx (NULL: OnesLike(y[i])) gives the initial
 * gradients of y. dy[i] is {NULL, -1} when y does not depend on x[i]. New ops are named under
 * "gradients" ("gradients_1", ... on later calls) or under prefix, which must not equal or contain
 * an existing op name (INVALID_ARGUMENT). An op on the path without a gradient function is
 * INVALID_ARGUMENT "No gradient defined for op: <Op>. ...". Ops added before an error stay in the
 * graph, unused. Thread-safe like other graph calls. */
TF_CAPI_EXPORT void TF_AddGradients(TF_Graph *g, TF_Output *y, int ny, TF_Output *x, int nx, TF_Output *dx,
                                    TF_Status *status, TF_Output *dy);
TF_CAPI_EXPORT void TF_AddGradientsWithPrefix(TF_Graph *g, const char *prefix, TF_Output *y, int ny, TF_Output *x,
                                              int nx, TF_Output *dx, TF_Status *status, TF_Output *dy);

/* ---- While loops (TensorFlow 1 dataflow loops: Enter, Merge, Switch, LoopCond, Exit,
 * NextIteration), built from two temporary graphs. */
typedef struct TF_WhileParams {
    /* The number of loop variables: inputs, cond_inputs, body_inputs and body_outputs all have it. */
    const int ninputs;
    /* The condition graph: cond_inputs are its Placeholders (one per loop variable); the caller builds
     * on them and sets cond_output to a scalar bool of this graph. */
    TF_Graph *const cond_graph;
    const TF_Output *const cond_inputs;
    TF_Output cond_output;
    /* The body graph: body_inputs are its Placeholders; the caller sets body_outputs[i] to the next
     * value of loop variable i (an output of this graph, of input i's dtype). */
    TF_Graph *const body_graph;
    const TF_Output *const body_inputs;
    TF_Output *body_outputs;
    /* Prefix of the loop's ops in the parent graph (made unique: "name_1", ...); also its frame name. */
    const char *name;
} TF_WhileParams;

/* Starts a while loop in g over loop variables inputs[0..ninputs) (outputs of g; the array is
 * copied). Returns params whose cond and body graphs hold Placeholders cond_input<i> and
 * body_input<i>; every other field except cond_output, body_outputs and name is set. The cond and
 * body graphs may use only their own ops: a value from g enters as a loop variable that the body
 * passes on unchanged; ops without inputs (Consts) run once per iteration. ninputs < 1 or a bad
 * input: INVALID_ARGUMENT, and the returned params must not be used. Otherwise the caller ends with
 * exactly one of TF_FinishWhile and TF_AbortWhile. Not thread-safe for one params. */
TF_CAPI_EXPORT TF_WhileParams TF_NewWhile(TF_Graph *g, TF_Output *inputs, int ninputs, TF_Status *status);
/* Copies cond and body into the parent graph as one loop frame (Enter -> Merge -> cond -> LoopCond ->
 * Switch -> Exit, and Switch:1 -> body -> NextIteration -> back into Merge; parallel_iterations 10)
 * and writes the loop's results (the Exit outputs: each variable's value once cond is false) to
 * outputs[0..ninputs) (caller-allocated). Unset cond_output/body_outputs/name, outputs of the wrong
 * graph or dtype: INVALID_ARGUMENT, and the parent graph is left unchanged. Frees params' graphs and
 * arrays either way (unless params were not made by TF_NewWhile: then INVALID_ARGUMENT, nothing
 * freed). Nested loops: call TF_NewWhile on the outer body graph. */
TF_CAPI_EXPORT void TF_FinishWhile(const TF_WhileParams *params, TF_Status *status, TF_Output *outputs);
/* Frees params' graphs and arrays without building anything. */
TF_CAPI_EXPORT void TF_AbortWhile(const TF_WhileParams *params);

/* ================================================================================================
 * Sessions. A TF_Session runs steps on a graph. TF_SessionRun may be called from many threads at
 * once on one session. TF_CloseSession and TF_DeleteSession must not race with TF_SessionRun.
 * The session keeps the graph alive until TF_DeleteSession.
 * ============================================================================================== */
typedef struct TF_Session TF_Session;
typedef struct TF_DeviceList TF_DeviceList;

/* A new session on graph; NULL with the status set on error. opts is borrowed. */
TF_CAPI_EXPORT TF_Session *TF_NewSession(TF_Graph *graph, const TF_SessionOptions *opts, TF_Status *status);
/* Closes the session: later runs fail with FAILED_PRECONDITION. Closing twice is OK. */
TF_CAPI_EXPORT void TF_CloseSession(TF_Session *session, TF_Status *status);
/* Frees the session (closing it first if needed). */
TF_CAPI_EXPORT void TF_DeleteSession(TF_Session *session, TF_Status *status);

/* Runs one step: feeds input_values[i] into inputs[i], computes outputs[] and runs target_opers[].
 * Only the ops the fetches and targets need run; a fed edge is not computed. The caller keeps
 * input_values; on success each output_values[i] is a new tensor owned by the caller, on error
 * every output_values[i] is NULL. run_options (a serialized RunOptions) and run_metadata (an empty
 * buffer that receives a serialized RunMetadata) may be NULL. With run_options trace_level > 0,
 * run_metadata.step_stats lists every op the step executed. Errors name the op that failed. */
TF_CAPI_EXPORT void TF_SessionRun(TF_Session *session, const TF_Buffer *run_options, const TF_Output *inputs,
                                  TF_Tensor *const *input_values, int ninputs, const TF_Output *outputs,
                                  TF_Tensor **output_values, int noutputs,
                                  const TF_Operation *const *target_opers, int ntargets,
                                  TF_Buffer *run_metadata, TF_Status *status);

/* Partial runs: one step fed and fetched over several calls (TensorFlow's partial_run). Setup
 * declares every feed, fetch and target of the step and returns a handle (free it with
 * TF_DeletePRunHandle); each TF_SessionPRun feeds some declared inputs (each once) and fetches some
 * declared outputs (each once), waiting for them. Feeding or fetching anything else is
 * INVALID_ARGUMENT and leaves the step running. The step ends when everything is fed and fetched
 * (its targets have then run), or on its first error. */
TF_CAPI_EXPORT void TF_SessionPRunSetup(TF_Session *session, const TF_Output *inputs, int ninputs,
                                        const TF_Output *outputs, int noutputs,
                                        const TF_Operation *const *target_opers, int ntargets,
                                        const char **handle, TF_Status *status);
TF_CAPI_EXPORT void TF_SessionPRun(TF_Session *session, const char *handle, const TF_Output *inputs,
                                   TF_Tensor *const *input_values, int ninputs, const TF_Output *outputs,
                                   TF_Tensor **output_values, int noutputs, const TF_Operation *const *target_opers,
                                   int ntargets, TF_Status *status);
TF_CAPI_EXPORT void TF_DeletePRunHandle(const char *handle);

/* Loads a TensorFlow 1 SavedModel: imports the MetaGraphDef of export_dir/saved_model.pb whose tag
 * set equals tags[0..tags_len) into graph (which should be empty), opens a session on it, restores
 * the variables from export_dir/variables/variables through the SaverDef's restore op and runs the
 * main op ("saved_model_main_op" or "legacy_init_op") if any. meta_graph_def (may be NULL; else an
 * empty buffer) receives the serialized MetaGraphDef. run_options is ignored. NOT_FOUND when no
 * meta graph has those tags; UNIMPLEMENTED for TensorFlow 2 SavedModels (function libraries). */
TF_CAPI_EXPORT TF_Session *TF_LoadSessionFromSavedModel(const TF_SessionOptions *session_options,
                                                        const TF_Buffer *run_options, const char *export_dir,
                                                        const char *const *tags, int tags_len, TF_Graph *graph,
                                                        TF_Buffer *meta_graph_def, TF_Status *status);

/* The devices the session can place ops on. The caller deletes the list. */
TF_CAPI_EXPORT TF_DeviceList *TF_SessionListDevices(TF_Session *session, TF_Status *status);
TF_CAPI_EXPORT void TF_DeleteDeviceList(TF_DeviceList *list);
TF_CAPI_EXPORT int TF_DeviceListCount(const TF_DeviceList *list);
/* "/job:localhost/replica:0/task:0/device:CPU:0"; NULL and INVALID_ARGUMENT for a bad index. */
TF_CAPI_EXPORT const char *TF_DeviceListName(const TF_DeviceList *list, int index, TF_Status *status);
/* "CPU" or "GPU". */
TF_CAPI_EXPORT const char *TF_DeviceListType(const TF_DeviceList *list, int index, TF_Status *status);
TF_CAPI_EXPORT int64_t TF_DeviceListMemoryBytes(const TF_DeviceList *list, int index, TF_Status *status);
TF_CAPI_EXPORT uint64_t TF_DeviceListIncarnation(const TF_DeviceList *list, int index, TF_Status *status);

/* ================================================================================================
 * GraphDef import/export, op and kernel definitions (src/io/graphdef_*.c, src/io/op_list.c).
 * Buffers written by these functions must be empty (data NULL): otherwise INVALID_ARGUMENT
 * "Passing non-empty TF_Buffer is invalid.". On success they hold a serialized protobuf
 * (tensorflow package) and a deallocator, so TF_DeleteBuffer frees it. All are thread-safe like
 * other graph calls; an import must not race with other additions to the same graph.
 * ============================================================================================== */
typedef struct TF_ImportGraphDefOptions TF_ImportGraphDefOptions;
typedef struct TF_ImportGraphDefResults TF_ImportGraphDefResults;

/* Writes the graph as a GraphDef: nodes in creation order, every attr, versions {producer 1882}. */
TF_CAPI_EXPORT void TF_GraphToGraphDef(TF_Graph *graph, TF_Buffer *output_graph_def, TF_Status *status);
/* Writes one op as a NodeDef (inputs "name", "name:i", "^ctrl"). */
TF_CAPI_EXPORT void TF_OperationToNodeDef(TF_Operation *oper, TF_Buffer *output_node_def, TF_Status *status);
/* Writes the OpDef of registered op op_name; NOT_FOUND "Op type not registered '<x>' in binary". */
TF_CAPI_EXPORT void TF_GraphGetOpDef(TF_Graph *graph, const char *op_name, TF_Buffer *output_op_def,
                                     TF_Status *status);
/* Writes the graph's VersionDef (producer 1882, min_consumer 0). */
TF_CAPI_EXPORT void TF_GraphVersions(TF_Graph *graph, TF_Buffer *output_version_def, TF_Status *status);

/* Import options; defaults: no prefix, no uniquifying, no mappings, no default device. Strings are
 * copied; TF_Operation pointers are borrowed and must belong to the destination graph. */
TF_CAPI_EXPORT TF_ImportGraphDefOptions *TF_NewImportGraphDefOptions(void);
TF_CAPI_EXPORT void TF_DeleteImportGraphDefOptions(TF_ImportGraphDefOptions *opts);
/* Names become "<prefix>/<name>". Without uniquify_prefix a prefix that is already an op name (or
 * a prefix of one) is INVALID_ARGUMENT. */
TF_CAPI_EXPORT void TF_ImportGraphDefOptionsSetPrefix(TF_ImportGraphDefOptions *opts, const char *prefix);
/* Device for imported nodes that have none. */
TF_CAPI_EXPORT void TF_ImportGraphDefOptionsSetDefaultDevice(TF_ImportGraphDefOptions *opts, const char *device);
/* Imported names that clash with existing ops get "_1", "_2", ... instead of failing. */
TF_CAPI_EXPORT void TF_ImportGraphDefOptionsSetUniquifyNames(TF_ImportGraphDefOptions *opts,
                                                             unsigned char uniquify_names);
/* A clashing prefix gets "_1", "_2", ... instead of failing. */
TF_CAPI_EXPORT void TF_ImportGraphDefOptionsSetUniquifyPrefix(TF_ImportGraphDefOptions *opts,
                                                              unsigned char uniquify_prefix);
/* Inputs "src_name:src_index" of imported nodes read dst instead (src_index -1: control input). */
TF_CAPI_EXPORT void TF_ImportGraphDefOptionsAddInputMapping(TF_ImportGraphDefOptions *opts, const char *src_name,
                                                            int src_index, TF_Output dst);
/* Control inputs "^src_name" of imported nodes become dst. */
TF_CAPI_EXPORT void TF_ImportGraphDefOptionsRemapControlDependency(TF_ImportGraphDefOptions *opts,
                                                                   const char *src_name, TF_Operation *dst);
/* Every imported node without inputs from the GraphDef gets a control input on oper. */
TF_CAPI_EXPORT void TF_ImportGraphDefOptionsAddControlDependency(TF_ImportGraphDefOptions *opts,
                                                                 TF_Operation *oper);
/* Asks for the imported output "oper_name:index" (GraphDef name) in the results. */
TF_CAPI_EXPORT void TF_ImportGraphDefOptionsAddReturnOutput(TF_ImportGraphDefOptions *opts, const char *oper_name,
                                                            int index);
TF_CAPI_EXPORT int TF_ImportGraphDefOptionsNumReturnOutputs(const TF_ImportGraphDefOptions *opts);
/* Asks for the imported op oper_name (GraphDef name) in the results. */
TF_CAPI_EXPORT void TF_ImportGraphDefOptionsAddReturnOperation(TF_ImportGraphDefOptions *opts,
                                                               const char *oper_name);
TF_CAPI_EXPORT int TF_ImportGraphDefOptionsNumReturnOperations(const TF_ImportGraphDefOptions *opts);

/* Result arrays are owned by results and live until TF_DeleteImportGraphDefResults. */
TF_CAPI_EXPORT void TF_ImportGraphDefResultsReturnOutputs(TF_ImportGraphDefResults *results, int *num_outputs,
                                                          TF_Output **outputs);
TF_CAPI_EXPORT void TF_ImportGraphDefResultsReturnOperations(TF_ImportGraphDefResults *results, int *num_opers,
                                                             TF_Operation ***opers);
/* Input mappings whose source the GraphDef never used. */
TF_CAPI_EXPORT void TF_ImportGraphDefResultsMissingUnusedInputMappings(TF_ImportGraphDefResults *results,
                                                                       int *num_missing_unused_input_mappings,
                                                                       const char ***src_names,
                                                                       int **src_indexes);
TF_CAPI_EXPORT void TF_DeleteImportGraphDefResults(TF_ImportGraphDefResults *results);

/* Imports a serialized GraphDef into graph. Nodes may come in any order; attr defaults are filled
 * and every node goes through TF_FinishOperation's checks and shape inference. Garbage, a cycle,
 * a dangling input, a duplicate name, a bad attr: INVALID_ARGUMENT; an unregistered op: NOT_FOUND
 * naming it. On any error nothing is added to graph and NULL is returned. The caller deletes the
 * results. */
TF_CAPI_EXPORT TF_ImportGraphDefResults *TF_GraphImportGraphDefWithResults(TF_Graph *graph,
                                                                           const TF_Buffer *graph_def,
                                                                           const TF_ImportGraphDefOptions *options,
                                                                           TF_Status *status);
/* Same; writes the requested return outputs into return_outputs[0..num_return_outputs), which must
 * equal TF_ImportGraphDefOptionsNumReturnOutputs(options). */
TF_CAPI_EXPORT void TF_GraphImportGraphDefWithReturnOutputs(TF_Graph *graph, const TF_Buffer *graph_def,
                                                            const TF_ImportGraphDefOptions *options,
                                                            TF_Output *return_outputs, int num_return_outputs,
                                                            TF_Status *status);
TF_CAPI_EXPORT void TF_GraphImportGraphDef(TF_Graph *graph, const TF_Buffer *graph_def,
                                           const TF_ImportGraphDefOptions *options, TF_Status *status);

/* A serialized OpList of every registered op; the caller deletes the buffer. */
TF_CAPI_EXPORT TF_Buffer *TF_GetAllOpList(void);
/* A serialized KernelList of every registered kernel (all devices); NULL with status on error. */
TF_CAPI_EXPORT TF_Buffer *TF_GetAllRegisteredKernels(TF_Status *status);
/* Same, for op name only (an empty list, OK, for an unknown op). */
TF_CAPI_EXPORT TF_Buffer *TF_GetRegisteredKernelsForOp(const char *name, TF_Status *status);

/* ================================================================================================
 * tfc extensions (TFC_*)
 * ============================================================================================== */

/* Largest rank a tensor or shape may have. */
#define TFC_MAX_RANK 32

/* Log levels, as TF_CPP_MIN_LOG_LEVEL counts them. */
typedef enum TFC_LogLevel {
    TFC_LOG_INFO = 0,
    TFC_LOG_WARNING = 1,
    TFC_LOG_ERROR = 2,
    TFC_LOG_FATAL = 3, /* not used by tfc, which never aborts; set it to silence everything */
} TFC_LogLevel;

/* Messages below `level` are dropped. The default is TF_CPP_MIN_LOG_LEVEL from the environment,
 * else TFC_LOG_WARNING. Thread-safe. */
TFC_API void TFC_SetLogLevel(TFC_LogLevel level);
TFC_API TFC_LogLevel TFC_GetLogLevel(void);
/* Sends log lines to callback(level, message, user) instead of stderr; NULL restores stderr.
 * The callback may be called from any tfc thread. Thread-safe. */
typedef void (*TFC_LogCallback)(TFC_LogLevel level, const char *message, void *user);
TFC_API void TFC_SetLogCallback(TFC_LogCallback callback, void *user);

/* Typed session options, so C programs need not hand-encode a ConfigProto. 0 threads means the
 * default (the number of cores). */
TFC_API void TFC_SessionOptionsSetIntraOpThreads(TF_SessionOptions *options, int threads);
TFC_API void TFC_SessionOptionsSetInterOpThreads(TF_SessionOptions *options, int threads);
TFC_API void TFC_SessionOptionsSetAllowSoftPlacement(TF_SessionOptions *options, unsigned char allow);
TFC_API int TFC_SessionOptionsGetIntraOpThreads(const TF_SessionOptions *options);
TFC_API int TFC_SessionOptionsGetInterOpThreads(const TF_SessionOptions *options);

/* Counters of one session, for tests and monitoring. */
typedef struct TFC_SessionStats {
    uint64_t steps;           /* TF_SessionRun calls that ran (successful or not) */
    uint64_t plans_built;     /* distinct step plans built (prune, place, order, kernel lookup) */
    uint64_t plan_cache_hits; /* steps that reused a cached plan */
    uint64_t ops_executed;    /* kernels run, over all steps */
} TFC_SessionStats;
/* Fills *stats (struct_size = sizeof(TFC_SessionStats), for future growth). Thread-safe. */
TFC_API void TFC_SessionGetStats(TF_Session *session, TFC_SessionStats *stats, size_t struct_size,
                                 TF_Status *status);

/* ---- Training helper: builds the usual training step on top of TF_AddGradients and the raw
 * Apply* / ResourceApply* ops (which work on their own too), as tf.compat.v1.train optimizers do.
 */
typedef enum TFC_OptimizerKind {
    TFC_OPTIMIZER_GRADIENT_DESCENT = 0, /* ApplyGradientDescent */
    TFC_OPTIMIZER_MOMENTUM = 1,         /* ApplyMomentum */
    TFC_OPTIMIZER_ADAGRAD = 2,          /* ApplyAdagrad */
    TFC_OPTIMIZER_ADADELTA = 3,         /* ApplyAdadelta */
    TFC_OPTIMIZER_RMSPROP = 4,          /* ApplyRMSProp */
    TFC_OPTIMIZER_CENTERED_RMSPROP = 5, /* ApplyCenteredRMSProp */
    TFC_OPTIMIZER_ADAM = 6,             /* ApplyAdam */
    TFC_OPTIMIZER_ADAMAX = 7,           /* ApplyAdaMax */
    TFC_OPTIMIZER_FTRL = 8,             /* ApplyFtrl */
} TFC_OptimizerKind;

/* Hyper-parameters; fields an optimizer does not use are ignored. */
typedef struct TFC_Optimizer {
    TFC_OptimizerKind kind;
    double learning_rate;
    double momentum;                  /* Momentum, RMSProp, CenteredRMSProp */
    unsigned char use_nesterov;       /* Momentum, Adam */
    double beta1, beta2;              /* Adam, AdaMax */
    double epsilon;                   /* Adadelta, RMSProp, CenteredRMSProp, Adam, AdaMax */
    double rho;                       /* Adadelta's rho, RMSProp's decay */
    double initial_accumulator_value; /* Adagrad, Ftrl */
    double l1, l2, lr_power;          /* Ftrl */
} TFC_Optimizer;

/* Fills *opt with the defaults of tf.compat.v1.train's optimizer of that kind and the given
 * learning rate (e.g. Adam: beta1 0.9, beta2 0.999, epsilon 1e-8). */
TFC_API void TFC_OptimizerDefaults(TFC_Optimizer *opt, TFC_OptimizerKind kind, double learning_rate);

/* Adds one training step to g, with op names under `name` (e.g. "train"): the gradients of the
 * scalar `loss` with respect to each of vars[0..nvars) (VariableV2 outputs or VarHandleOp handles,
 * all of one kind and one float dtype), the optimizer's slot variables (accumulators, Adam's
 * moments and beta powers), and one Apply* (ref) or ResourceApply* (resource) op per variable.
 * Returns a NoOp to run as a target: one run is one step. *init_slots (may be NULL) receives a
 * NoOp that initialises the slot variables; run it once after the model's variables are
 * initialised (slots take their shapes from the variables' values). A variable the loss does not
 * depend on, or an optimizer without a gradient path, is INVALID_ARGUMENT and adds nothing
 * usable. */
TFC_API TF_Operation *TFC_AddTrainStep(TF_Graph *g, TF_Output loss, const TF_Output *vars, int nvars,
                                       const TFC_Optimizer *opt, const char *name, TF_Operation **init_slots,
                                       TF_Status *status);

/* ---- Conditionals (tf.cond of TensorFlow 1: Switch per input, two branches, Merge per output),
 * built like TF_WhileParams from two temporary graphs. */
typedef struct TFC_CondParams {
    const int ninputs;                  /* values passed into the branches */
    const int noutputs;                 /* values the cond produces */
    /* Each branch graph holds Placeholders (one per input, named true_input<i> / false_input<i>);
     * the caller builds on them and sets the branch's outputs[0..noutputs) to outputs of that
     * branch graph. Output j must have one dtype in both branches. */
    TF_Graph *const true_graph;
    const TF_Output *const true_inputs;
    TF_Output *true_outputs;
    TF_Graph *const false_graph;
    const TF_Output *const false_inputs;
    TF_Output *false_outputs;
    const char *name;                   /* prefix of the cond's ops (made unique) */
} TFC_CondParams;

/* Starts a conditional in g on pred (a scalar bool output of g) over inputs[0..ninputs) (ninputs
 * may be 0; the arrays are copied), producing noutputs >= 1 values. Only the branch that pred
 * selects runs at each step: the other one's ops do not run at all (their inputs are dead), so
 * it may hold ops that would fail. Errors: INVALID_ARGUMENT, and the params must not be used;
 * otherwise end with exactly one of TFC_FinishCond and TFC_AbortCond. */
TFC_API TFC_CondParams TFC_NewCond(TF_Graph *g, TF_Output pred, const TF_Output *inputs, int ninputs, int noutputs,
                                   TF_Status *status);
/* Copies both branches into g (input i through Switch(inputs[i], pred); branch ops without inputs
 * hang on a pivot of their branch) and writes the results (Merge(false_out[j], true_out[j])) to
 * outputs[0..noutputs). TF_AddGradients differentiates through the result. Unset or mistyped
 * outputs, or a missing name: INVALID_ARGUMENT with g unchanged. Frees the params either way. */
TFC_API void TFC_FinishCond(const TFC_CondParams *params, TF_Status *status, TF_Output *outputs);
TFC_API void TFC_AbortCond(const TFC_CondParams *params);

#ifdef __cplusplus
} /* extern "C" */
#endif

#include "tfc/tstring.h"
#include "tfc/data.h"
#include "tfc/checkpoint.h"

#endif /* TFC_C_API_H_ */
