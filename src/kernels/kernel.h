/* kernel: the kernel interface and the kernel registry's data model.
 *
 * Kernels are data: each family file (kernels/cpu/math_cpu.c, ...) exports one table
 * `const tfc_kernel_def tfc_cpu_<family>_kernels[]`, terminated by `{0}`; kernels/registry.c lists
 * the tables once. A kernel is keyed by (op name, device type, dtype of its type attr). The plan
 * looks kernels up once, calls `init` once per plan node to parse attrs into a small state struct,
 * and calls `compute` on every step. Compute must be thread-safe: concurrent steps share state.
 *
 * Kernels validate the relations between their runtime input shapes before touching data (graph
 * shape inference is not trusted) and report problems with tfc_kernel_error, never by aborting.
 */
#ifndef TFC_KERNELS_KERNEL_H_
#define TFC_KERNELS_KERNEL_H_
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/device.h"
#include "core/dtype.h"
#include "core/tensor.h"
#include "core/threadpool.h"
#include "graph/attr.h"
#include "tfc/c_api.h"

/* What init sees: the node being planned. */
typedef struct tfc_kernel_init_ctx {
    const char *op_name;
    const char *op_type;
    const tfc_attrs *attrs;
    int n_inputs;
    const TF_DataType *input_types;
    int n_outputs;
    const TF_DataType *output_types;
    const tfc_device *device;
    TF_Status *status; /* init reports errors here (use tfc_kernel_init_error) */
} tfc_kernel_init_ctx;

/* What compute sees, filled by the executor for one node on one step. Read it through the
 * accessors below. */
typedef struct tfc_kernel_ctx {
    const char *op_name;
    const char *op_type;
    void *state;                 /* from init (NULL without init) */
    int n_inputs;
    TF_Tensor *const *inputs;    /* borrowed: the executor owns them */
    const bool *input_forwardable; /* input i's buffer may be reused for an output */
    int n_outputs;
    TF_Tensor **outputs;         /* kernels fill these; the executor takes ownership */
    const TF_DataType *output_types;
    const tfc_device *device;    /* where the inputs are (but host_inputs) and outputs go */
    uint64_t host_outputs;       /* the kernel's host_outputs: these outputs are made in host memory */
    tfc_threadpool *intra_pool;  /* may be NULL: run inline */
    struct tfc_resource_mgr *resources; /* the session's variables (session/resource.h) */
    /* For kernels that block (queues): the step's deadline (0: none), and flags that end the wait
     * — the step failed elsewhere, or the session was closed. Use tfc_kernel_wait. */
    int64_t deadline_ns;
    const atomic_bool *step_failed;
    const atomic_bool *session_closing;
    TF_Status *status;
} tfc_kernel_ctx;

typedef struct tfc_kernel_def {
    const char *op;          /* TensorFlow op name */
    const char *device_type; /* "CPU" or "GPU" */
    /* Dtypes of attr `type_attr` this kernel serves (TFC_TYPE_BIT mask). 0: the op's dtypes do not
     * select the kernel (NoOp, or one kernel for every dtype). */
    uint64_t types;
    const char *type_attr;   /* NULL means "T" */
    uint64_t host_inputs;    /* bit i: input i stays in host memory (shapes, axes) */
    uint64_t host_outputs;   /* bit i: output i is produced in host memory */
    /* Bit i: the kernel reads only input i's dtype and shape, never its data, so the input is not
     * copied wherever it lives (Shape of a GPU tensor costs no transfer). */
    uint64_t meta_inputs;
    /* The last input stays in host memory: an axis after a list of N values (ConcatV2), whose
     * input index a bit of host_inputs cannot name. */
    bool host_last_input;
    TF_Code (*init)(const tfc_kernel_init_ctx *c, void **state);
    void (*free_state)(void *state);
    void (*compute)(tfc_kernel_ctx *k);
} tfc_kernel_def;

/* ---- accessors for compute ---- */
static inline int tfc_kernel_num_inputs(const tfc_kernel_ctx *k) { return k->n_inputs; }
static inline const TF_Tensor *tfc_kernel_input(const tfc_kernel_ctx *k, int i) { return k->inputs[i]; }
static inline void *tfc_kernel_state(const tfc_kernel_ctx *k) { return k->state; }
static inline tfc_threadpool *tfc_kernel_intra_pool(const tfc_kernel_ctx *k) { return k->intra_pool; }
static inline bool tfc_kernel_ok(const tfc_kernel_ctx *k) { return k->status->code == TF_OK; }

/* Allocates output i with the op's output dtype and the given shape (overflow-checked).
 * On failure sets the step error and returns it; *out is then NULL. */
TF_Code tfc_kernel_alloc_output(tfc_kernel_ctx *k, int i, const int64_t *dims, int ndims, TF_Tensor **out);
/* Like alloc_output, but reuses input `in`'s buffer when the executor says it may (last use, no
 * other reference) and dtype and byte size match; the kernel may then read and write the same
 * memory (element-wise ops). */
TF_Code tfc_kernel_forward_or_alloc(tfc_kernel_ctx *k, int in, int i, const int64_t *dims, int ndims,
                                    TF_Tensor **out);
/* Sets output i to t, taking ownership of t (e.g. tfc_tensor_ref(input) for Identity). */
void tfc_kernel_set_output(tfc_kernel_ctx *k, int i, TF_Tensor *t);
/* Records the step error "<OpType> '<name>': <message>" (first error wins) and returns code. */
TF_Code tfc_kernel_error(tfc_kernel_ctx *k, TF_Code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* For init: records "<OpType> '<name>': <message>" in c->status and returns code. */
TF_Code tfc_kernel_init_error(const tfc_kernel_init_ctx *c, TF_Code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Blocking kernels wait on (cv, mu) — mu held — with this instead of pthread_cond_wait: it wakes at
 * least every few milliseconds and returns DEADLINE_EXCEEDED when the step's RunOptions timeout
 * passed, CANCELLED when the step failed or the session is closing (recording the error), TF_OK
 * otherwise (the caller re-checks its condition). While it sleeps on an inter-op pool worker, a
 * spare worker runs the pool's other tasks (tfc_threadpool_block_begin), so concurrent steps of
 * the session keep going. */
TF_Code tfc_kernel_wait(tfc_kernel_ctx *k, pthread_cond_t *cv, pthread_mutex_t *mu);

/* ---- registry (kernels/registry.c) ---- */
/* The kernel for (op, device_type, dtype), where dtype is the value of each candidate kernel's
 * type attr (default "T") read from the node's attrs; a dtype-specific kernel wins over an
 * any-dtype one. NULL when none. */
const tfc_kernel_def *tfc_kernel_lookup(const char *op, const char *device_type, const tfc_attrs *attrs);
/* Writes "MatMul: CPU {float, double}; GPU {float}" style list of the kernels registered for op
 * into buf (or "none" when there are none); returns buf. */
const char *tfc_kernel_list_for_op(const char *op, char *buf, size_t buf_size);
/* The i-th registered kernel (CPU tables, then GPU ones, in table order); NULL past the end. */
const tfc_kernel_def *tfc_kernel_at(int i);
/* True if some kernel exists for op on device_type (any dtype). */
bool tfc_kernel_exists(const char *op, const char *device_type);
/* Cross-checks the kernel tables against the op registry: every kernel names a real op, its
 * type attr exists with type "type" and allows its dtypes, and no (op, device, dtype) appears
 * twice. Returns TF_OK or INTERNAL naming the first bad entry. */
TF_Code tfc_kernel_registry_check(TF_Status *st);

#endif
