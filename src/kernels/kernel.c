/* kernel: the kernel-context helpers of kernel.h that are not inline: output allocation (with
 * in-place reuse of an input's buffer) and error reporting ("<OpType> '<name>': <message>"). */
#include "kernels/kernel.h"

#include <time.h>

#include <stdarg.h>
#include <stdio.h>

#include "core/shape.h"
#include "core/status.h"

/* Formats "<op_type> '<op_name>': <fmt...>" into st. */
static TF_Code set_prefixed(TF_Status *st, TF_Code code, const char *op_type, const char *op_name,
                            const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return tfc_status_set(st, code, "%s '%s': %s", op_type ? op_type : "?", op_name ? op_name : "?", msg);
}

TF_Code tfc_kernel_error(tfc_kernel_ctx *k, TF_Code code, const char *fmt, ...)
{
    if (code == TF_OK || !k->status || k->status->code != TF_OK) return code;
    va_list ap;
    va_start(ap, fmt);
    set_prefixed(k->status, code, k->op_type, k->op_name, fmt, ap);
    va_end(ap);
    return code;
}

TF_Code tfc_kernel_init_error(const tfc_kernel_init_ctx *c, TF_Code code, const char *fmt, ...)
{
    if (code == TF_OK || !c->status || c->status->code != TF_OK) return code;
    va_list ap;
    va_start(ap, fmt);
    set_prefixed(c->status, code, c->op_type, c->op_name, fmt, ap);
    va_end(ap);
    return code;
}

void tfc_kernel_set_output(tfc_kernel_ctx *k, int i, TF_Tensor *t)
{
    if (i < 0 || i >= k->n_outputs) {
        TF_DeleteTensor(t);
        return;
    }
    if (k->outputs[i] && k->outputs[i] != t) TF_DeleteTensor(k->outputs[i]);
    k->outputs[i] = t;
}

/* Where output i is made: the kernel's device, or the host for a host-memory output (shapes). */
static const tfc_device *output_device(const tfc_kernel_ctx *k, int i)
{
    return i < 64 && (k->host_outputs >> i & 1) ? NULL : k->device;
}

TF_Code tfc_kernel_alloc_output(tfc_kernel_ctx *k, int i, const int64_t *dims, int ndims, TF_Tensor **out)
{
    *out = NULL;
    if (i < 0 || i >= k->n_outputs)
        return tfc_kernel_error(k, TF_INTERNAL, "output %d out of range (op has %d)", i, k->n_outputs);
    TF_Status st = { TF_OK, NULL };
    TF_Tensor *t = NULL;
    TF_Code rc = tfc_tensor_new_on(output_device(k, i), k->output_types[i], dims, ndims, &t, &st, NULL);
    if (rc) {
        tfc_kernel_error(k, rc, "output %d: %s", i, st.msg ? st.msg : "cannot allocate");
        tfc_status_clear(&st);
        return rc;
    }
    tfc_kernel_set_output(k, i, t);
    *out = t;
    return TF_OK;
}

/* True when input `in` may become output i with shape dims: the executor allows it, nobody else
 * uses the buffer, and dtype and byte size match. */
static bool can_forward(const tfc_kernel_ctx *k, int in, int i, const int64_t *dims, int ndims)
{
    if (in < 0 || in >= k->n_inputs || !k->input_forwardable || !k->input_forwardable[in]) return false;
    const TF_Tensor *t = k->inputs[in];
    if (!t || t->dtype != k->output_types[i] || t->dtype == TF_STRING || !tfc_tensor_is_exclusive(t))
        return false;
    if (tfc_tensor_on_host(t) != tfc_device_is_host(output_device(k, i))) return false; /* wrong memory */
    /* The same buffer passed as another input too (x + x, AddN(a, a, a)) would be read after the
     * kernel has overwritten it. */
    for (int j = 0; j < k->n_inputs; j++)
        if (j != in && k->inputs[j] && k->inputs[j]->buf == t->buf) return false;
    int64_t count;
    size_t bytes;
    if (tfc_num_elements(dims, ndims, &count, NULL, NULL) ||
        tfc_byte_size(t->dtype, count, &bytes, NULL, NULL))
        return false;
    return bytes == t->nbytes;
}

TF_Code tfc_kernel_forward_or_alloc(tfc_kernel_ctx *k, int in, int i, const int64_t *dims, int ndims,
                                    TF_Tensor **out)
{
    *out = NULL;
    if (i >= 0 && i < k->n_outputs && can_forward(k, in, i, dims, ndims)) {
        TF_Tensor *t = tfc_tensor_ref_reshaped(k->inputs[in], dims, ndims);
        if (t) {
            tfc_kernel_set_output(k, i, t);
            *out = t;
            return TF_OK;
        }
        /* Out of memory for the tensor header: a fresh allocation will most likely fail too and
         * report it. */
    }
    return tfc_kernel_alloc_output(k, i, dims, ndims, out);
}

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

TF_Code tfc_kernel_wait(tfc_kernel_ctx *k, pthread_cond_t *cv, pthread_mutex_t *mu)
{
    if ((k->step_failed && atomic_load(k->step_failed)) || (k->session_closing && atomic_load(k->session_closing)))
        return tfc_kernel_error(k, TF_CANCELLED, "the step was cancelled while waiting%s",
                                k->session_closing && atomic_load(k->session_closing) ? " (session closed)" : "");
    int64_t now = monotonic_ns();
    if (k->deadline_ns && now >= k->deadline_ns)
        return tfc_kernel_error(k, TF_DEADLINE_EXCEEDED, "Timed out waiting (RunOptions timeout)");
    int64_t until = now + 5 * 1000000; /* re-check the flags every 5 ms */
    if (k->deadline_ns && k->deadline_ns < until) until = k->deadline_ns;
    /* pthread_cond_timedwait takes CLOCK_REALTIME: convert the monotonic wait into it. */
    struct timespec real;
    clock_gettime(CLOCK_REALTIME, &real);
    int64_t abs_ns = (int64_t)real.tv_sec * 1000000000 + real.tv_nsec + (until - now);
    struct timespec ts = { (time_t)(abs_ns / 1000000000), (long)(abs_ns % 1000000000) };
    tfc_threadpool_block_begin(); /* a pool worker stops here: let a spare run other steps' work */
    pthread_cond_timedwait(cv, mu, &ts);
    tfc_threadpool_block_end();
    return TF_OK;
}
