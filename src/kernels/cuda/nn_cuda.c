/* nn_cuda: BiasAdd (float, NHWC and NCHW) as a broadcast add on the element-wise launcher, and
 * Softmax / LogSoftmax (float) with cuDNN over the last dimension. Checks and messages are the
 * CPU kernels' (bias_check.h; the softmax rank check). */
#include <limits.h>
#include <string.h>

#include "core/alloc.h"
#include "kernels/bias_check.h"
#include "kernels/cpu/broadcast.h"
#include "kernels/cuda/cuda_device.h"
#include "kernels/cuda/cwise_launch.h"
#include "kernels/kernel.h"

static TF_Code bias_init(const tfc_kernel_init_ctx *c, void **state)
{
    bool *nchw = tfc_malloc(sizeof *nchw);
    if (!nchw) return tfc_kernel_init_error(c, TF_RESOURCE_EXHAUSTED, "out of memory");
    *nchw = !strcmp(tfc_attrs_string(c->attrs, "data_format", "NHWC"), "NCHW");
    *state = nchw;
    return TF_OK;
}

static void bias_add(tfc_kernel_ctx *k)
{
    bool nchw;
    int64_t c, inner;
    if (!tfc_cwise_check(k, 2, TF_FLOAT, TF_FLOAT) || !tfc_bias_add_check(k, *(const bool *)tfc_kernel_state(k), &nchw, &c, &inner))
        return;
    const TF_Tensor *x = tfc_kernel_input(k, 0), *b = tfc_kernel_input(k, 1);
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y) || y->nelems == 0) return;
    /* y[o, ch, i] = x[o, ch, i] + b[ch], x viewed as [outer, c, inner] (inner 1 for NHWC). */
    tfc_gpu_bcast g = { .rank = 3, .n = y->nelems, .dims = { y->nelems / (c * inner), c, inner },
                        .sa = { c * inner, inner, 1 }, .sb = { 0, 1, 0 } };
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (tfc_cuda_activate(d, k->status, "BiasAdd")) return;
    cudaError_t e = tfc_gpu_binary_f32(TFC_GPU_ADD, tfc_tensor_data(x), tfc_tensor_data(b), tfc_tensor_data(y), g,
                                       d->compute);
    if (e != cudaSuccess) tfc_kernel_error(k, TF_INTERNAL, "kernel launch failed: %s", cudaGetErrorString(e));
}

static void softmax(tfc_kernel_ctx *k, cudnnSoftmaxAlgorithm_t algo)
{
    if (!tfc_cwise_check(k, 1, TF_FLOAT, TF_FLOAT)) return;
    const TF_Tensor *x = tfc_kernel_input(k, 0);
    if (x->ndims < 1) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "logits must have >= 1 dimension, got []");
        return;
    }
    TF_Tensor *y;
    if (tfc_kernel_forward_or_alloc(k, 0, 0, x->dims, x->ndims, &y) || y->nelems == 0) return;
    int64_t c = x->dims[x->ndims - 1], rows = y->nelems / c;
    if (c > INT_MAX || rows > INT_MAX) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "%lld rows of %lld exceed cuDNN's int sizes", (long long)rows,
                         (long long)c);
        return;
    }
    tfc_cuda *d = tfc_cuda_of(k->device);
    if (!d->dnn) {
        tfc_kernel_error(k, TF_INTERNAL, "cuDNN did not start on %s", k->device->name);
        return;
    }
    if (tfc_cuda_activate(d, k->status, k->op_type)) return;
    /* Each row is one NCHW image of c channels, 1 x 1: INSTANCE mode normalises over c. */
    cudnnTensorDescriptor_t desc;
    cudnnStatus_t e = cudnnCreateTensorDescriptor(&desc);
    if (e == CUDNN_STATUS_SUCCESS)
        e = cudnnSetTensor4dDescriptor(desc, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, (int)rows, (int)c, 1, 1);
    if (e == CUDNN_STATUS_SUCCESS) {
        const float one = 1, zero = 0;
        pthread_mutex_lock(&d->dnn_mu);
        e = cudnnSoftmaxForward(d->dnn, algo, CUDNN_SOFTMAX_MODE_INSTANCE, &one, desc, tfc_tensor_data(x), &zero, desc,
                                tfc_tensor_data(y));
        pthread_mutex_unlock(&d->dnn_mu);
    }
    cudnnDestroyTensorDescriptor(desc);
    if (e != CUDNN_STATUS_SUCCESS) tfc_kernel_error(k, TF_INTERNAL, "cuDNN softmax failed: %s", cudnnGetErrorString(e));
}

static void softmax_plain(tfc_kernel_ctx *k) { softmax(k, CUDNN_SOFTMAX_ACCURATE); }
static void softmax_log(tfc_kernel_ctx *k) { softmax(k, CUDNN_SOFTMAX_LOG); }

#define F32 TFC_TYPE_BIT(TF_FLOAT)
const tfc_kernel_def tfc_gpu_nn_kernels[] = {
    { "BiasAdd", "GPU", F32, .init = bias_init, .free_state = tfc_free, .compute = bias_add },
    { "Softmax", "GPU", F32, .compute = softmax_plain },
    { "LogSoftmax", "GPU", F32, .compute = softmax_log },
    { 0 },
};
