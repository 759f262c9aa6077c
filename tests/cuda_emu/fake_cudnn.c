/* fake_cudnn: a host reference of the cuDNN calls tfc makes, for the CUDA emulation build
 * (TFC_CUDA_EMULATION=ON), linked in place of libcudnn. A test tool, not a product: 4-D float and
 * double tensors and filters in NCHW or NHWC (filters KCRS or KRSC), read through their strides;
 * 2-D convolutions with any padding, stride, dilation and group count, cross-correlation or
 * convolution (flipped filter), forward and both gradients, as direct sums in double; softmax
 * (fast, accurate, log; instance or channel mode) and TransformTensor. Every output is
 * alpha * result + beta * output, the output not read when beta is 0, as NVIDIA documents; the
 * descriptors are checked as cuDNN checks them, so tfc's GPU tests check how tfc calls cuDNN.
 *
 * The heuristics offer one algorithm per direction, the direct one the emulator runs (forward
 * IMPLICIT_GEMM, backward data and filter ALGO_1; no workspace, the descriptor's math type), then
 * every other as NOT_SUPPORTED, which the convolution calls also return for them. Scalars are host
 * memory, read at the call; tensors are device memory, read only inside tfc_emu_run_now at the turn
 * of the handle's stream (emu_runtime.h). */
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <cudnn.h>

#include "emu_runtime.h"

struct cudnnContext {
    cudaStream_t stream;
};

/* A 4-D tensor or filter: dims N, C, H, W (a filter's K, C per group, R, S), strides in elements. */
typedef struct shape4 {
    bool set;
    cudnnDataType_t type;
    int dim[4];
    int64_t stride[4];
} shape4;

struct cudnnTensorStruct {
    shape4 s;
};

struct cudnnFilterStruct {
    shape4 s;
};

struct cudnnConvolutionStruct {
    bool set; /* by cudnnSetConvolution2dDescriptor */
    int pad[2], stride[2], dilation[2];
    cudnnConvolutionMode_t mode;
    cudnnDataType_t compute;
    int groups;
    cudnnMathType_t math;
};

/* ---- the handle ---- */

cudnnStatus_t cudnnCreate(cudnnHandle_t *handle)
{
    if (!handle) return CUDNN_STATUS_BAD_PARAM;
    *handle = calloc(1, sizeof **handle);
    return *handle ? CUDNN_STATUS_SUCCESS : CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED;
}

cudnnStatus_t cudnnDestroy(cudnnHandle_t handle)
{
    if (!handle) return CUDNN_STATUS_BAD_PARAM;
    free(handle);
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetStream(cudnnHandle_t handle, cudaStream_t stream)
{
    if (!handle) return CUDNN_STATUS_BAD_PARAM;
    handle->stream = stream;
    return CUDNN_STATUS_SUCCESS;
}

#define STATUS_NAME(s) \
    case s: return #s;

const char *cudnnGetErrorString(cudnnStatus_t status)
{
    switch (status) {
        STATUS_NAME(CUDNN_STATUS_SUCCESS)
        STATUS_NAME(CUDNN_STATUS_NOT_INITIALIZED)
        STATUS_NAME(CUDNN_STATUS_SUBLIBRARY_VERSION_MISMATCH)
        STATUS_NAME(CUDNN_STATUS_SERIALIZATION_VERSION_MISMATCH)
        STATUS_NAME(CUDNN_STATUS_DEPRECATED)
        STATUS_NAME(CUDNN_STATUS_LICENSE_ERROR)
        STATUS_NAME(CUDNN_STATUS_RUNTIME_IN_PROGRESS)
        STATUS_NAME(CUDNN_STATUS_RUNTIME_FP_OVERFLOW)
        STATUS_NAME(CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM)
        STATUS_NAME(CUDNN_STATUS_INVALID_VALUE)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_NULL_POINTER)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_MISALIGNED_POINTER)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_NOT_FINALIZED)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_OUT_OF_BOUND)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_SIZE_INSUFFICIENT)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_STREAM_MISMATCH)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_SHAPE_MISMATCH)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_DUPLICATED_ENTRIES)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_ATTRIBUTE_TYPE)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_CUDA_GRAPH_MISMATCH)
        STATUS_NAME(CUDNN_STATUS_BAD_PARAM_DESCRIPTOR_TYPE)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_GRAPH_PATTERN)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_SHAPE)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_DATA_TYPE)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_LAYOUT)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDA_DRIVER)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDART)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_ARCH_MISMATCH)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_RUNTIME_PREREQUISITE_MISSING)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_SUBLIBRARY_UNAVAILABLE)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_SHARED_MEMORY_INSUFFICIENT)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_PADDING)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_BAD_LAUNCH_PARAM)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_CUDA_GRAPH_NATIVE_API)
        STATUS_NAME(CUDNN_STATUS_NOT_SUPPORTED_INVALID_DYNAMIC_SHAPE)
        STATUS_NAME(CUDNN_STATUS_INTERNAL_ERROR)
        STATUS_NAME(CUDNN_STATUS_INTERNAL_ERROR_COMPILATION_FAILED)
        STATUS_NAME(CUDNN_STATUS_INTERNAL_ERROR_UNEXPECTED_VALUE)
        STATUS_NAME(CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED)
        STATUS_NAME(CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED)
        STATUS_NAME(CUDNN_STATUS_INTERNAL_ERROR_BAD_LAUNCH_PARAM)
        STATUS_NAME(CUDNN_STATUS_INTERNAL_ERROR_TEXTURE_CREATION_FAILED)
        STATUS_NAME(CUDNN_STATUS_EXECUTION_FAILED)
        STATUS_NAME(CUDNN_STATUS_EXECUTION_FAILED_CUDA_DRIVER)
        STATUS_NAME(CUDNN_STATUS_EXECUTION_FAILED_CUBLAS)
        STATUS_NAME(CUDNN_STATUS_EXECUTION_FAILED_CUDART)
        STATUS_NAME(CUDNN_STATUS_EXECUTION_FAILED_CURAND)
    }
    return "CUDNN_UNKNOWN_STATUS";
}

/* ---- elements ---- */

static double load(cudnnDataType_t t, const void *p, int64_t i)
{
    return t == CUDNN_DATA_DOUBLE ? ((const double *)p)[i] : ((const float *)p)[i];
}

static void store(cudnnDataType_t t, void *p, int64_t i, double v)
{
    if (t == CUDNN_DATA_DOUBLE) ((double *)p)[i] = v;
    else ((float *)p)[i] = (float)v;
}

/* A scaling factor: float for float tensors, double for double ones. */
static double scalar(cudnnDataType_t t, const void *s)
{
    return t == CUDNN_DATA_DOUBLE ? *(const double *)s : *(const float *)s;
}

static int64_t at(const shape4 *s, int64_t a, int64_t b, int64_t c, int64_t d)
{
    return a * s->stride[0] + b * s->stride[1] + c * s->stride[2] + d * s->stride[3];
}

/* Writes out[i] = alpha * value(job, i) + beta * out[i] for every index i of s (out not read when
 * beta is 0). */
static void write_each(const shape4 *s, void *out, double alpha, double beta,
                       double (*value)(const void *job, const int i[4]), const void *job)
{
    int i[4];
    for (i[0] = 0; i[0] < s->dim[0]; i[0]++)
        for (i[1] = 0; i[1] < s->dim[1]; i[1]++)
            for (i[2] = 0; i[2] < s->dim[2]; i[2]++)
                for (i[3] = 0; i[3] < s->dim[3]; i[3]++) {
                    int64_t o = at(s, i[0], i[1], i[2], i[3]);
                    double v = alpha * value(job, i);
                    if (beta != 0) v += beta * load(s->type, out, o);
                    store(s->type, out, o, v);
                }
}

/* ---- tensor and filter descriptors ---- */

/* Sets s to dims [a, b, c, d] stored as format says: NCHW (KCRS) or NHWC (KRSC), packed. Sizes
 * must be positive and count at most 2^31 - 1 elements; the emulator computes in float and double
 * only. */
static cudnnStatus_t shape_set(shape4 *s, cudnnTensorFormat_t format, cudnnDataType_t type, int a, int b, int c,
                               int d)
{
    if (a <= 0 || b <= 0 || c <= 0 || d <= 0 || (unsigned)format > CUDNN_TENSOR_NCHW_VECT_C ||
        (unsigned)type > CUDNN_DATA_COMPLEX_FP64)
        return CUDNN_STATUS_BAD_PARAM;
    if (format == CUDNN_TENSOR_NCHW_VECT_C || (type != CUDNN_DATA_FLOAT && type != CUDNN_DATA_DOUBLE))
        return CUDNN_STATUS_NOT_SUPPORTED;
    int64_t count = a;
    const int rest[3] = { b, c, d };
    for (int i = 0; i < 3; i++)
        if ((count *= rest[i]) > INT_MAX) return CUDNN_STATUS_NOT_SUPPORTED;
    bool nhwc = format == CUDNN_TENSOR_NHWC;
    int64_t chw = (int64_t)b * c * d;
    *s = (shape4){ .set = true,
                   .type = type,
                   .dim = { a, b, c, d },
                   .stride = { chw, nhwc ? 1 : (int64_t)c * d, nhwc ? (int64_t)d * b : d, nhwc ? b : 1 } };
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t *desc)
{
    if (!desc) return CUDNN_STATUS_BAD_PARAM;
    *desc = calloc(1, sizeof **desc);
    return *desc ? CUDNN_STATUS_SUCCESS : CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED;
}

cudnnStatus_t cudnnSetTensor4dDescriptor(cudnnTensorDescriptor_t desc, cudnnTensorFormat_t format,
                                         cudnnDataType_t dataType, int n, int c, int h, int w)
{
    return desc ? shape_set(&desc->s, format, dataType, n, c, h, w) : CUDNN_STATUS_BAD_PARAM;
}

cudnnStatus_t cudnnDestroyTensorDescriptor(cudnnTensorDescriptor_t desc)
{
    free(desc);
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnCreateFilterDescriptor(cudnnFilterDescriptor_t *desc)
{
    if (!desc) return CUDNN_STATUS_BAD_PARAM;
    *desc = calloc(1, sizeof **desc);
    return *desc ? CUDNN_STATUS_SUCCESS : CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED;
}

cudnnStatus_t cudnnSetFilter4dDescriptor(cudnnFilterDescriptor_t desc, cudnnDataType_t dataType,
                                         cudnnTensorFormat_t format, int k, int c, int h, int w)
{
    return desc ? shape_set(&desc->s, format, dataType, k, c, h, w) : CUDNN_STATUS_BAD_PARAM;
}

cudnnStatus_t cudnnDestroyFilterDescriptor(cudnnFilterDescriptor_t desc)
{
    free(desc);
    return CUDNN_STATUS_SUCCESS;
}

/* ---- convolution descriptors ---- */

cudnnStatus_t cudnnCreateConvolutionDescriptor(cudnnConvolutionDescriptor_t *desc)
{
    if (!desc) return CUDNN_STATUS_BAD_PARAM;
    *desc = calloc(1, sizeof **desc);
    if (!*desc) return CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED;
    (*desc)->groups = 1;
    (*desc)->math = CUDNN_DEFAULT_MATH;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnDestroyConvolutionDescriptor(cudnnConvolutionDescriptor_t desc)
{
    free(desc);
    return CUDNN_STATUS_SUCCESS;
}

/* Symmetric zero padding pad_h, pad_w >= 0; strides u, v and dilations >= 1. */
cudnnStatus_t cudnnSetConvolution2dDescriptor(cudnnConvolutionDescriptor_t desc, int pad_h, int pad_w, int u, int v,
                                              int dilation_h, int dilation_w, cudnnConvolutionMode_t mode,
                                              cudnnDataType_t computeType)
{
    if (!desc || pad_h < 0 || pad_w < 0 || u < 1 || v < 1 || dilation_h < 1 || dilation_w < 1 ||
        (mode != CUDNN_CONVOLUTION && mode != CUDNN_CROSS_CORRELATION) ||
        (unsigned)computeType > CUDNN_DATA_COMPLEX_FP64)
        return CUDNN_STATUS_BAD_PARAM;
    desc->set = true;
    desc->pad[0] = pad_h, desc->pad[1] = pad_w;
    desc->stride[0] = u, desc->stride[1] = v;
    desc->dilation[0] = dilation_h, desc->dilation[1] = dilation_w;
    desc->mode = mode;
    desc->compute = computeType;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetConvolutionGroupCount(cudnnConvolutionDescriptor_t desc, int groupCount)
{
    if (!desc || groupCount < 1) return CUDNN_STATUS_BAD_PARAM;
    desc->groups = groupCount;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnSetConvolutionMathType(cudnnConvolutionDescriptor_t desc, cudnnMathType_t mathType)
{
    if (!desc || (unsigned)mathType > CUDNN_FMA_MATH) return CUDNN_STATUS_BAD_PARAM;
    desc->math = mathType;
    return CUDNN_STATUS_SUCCESS;
}

/* out = [N, K, P, Q], P = 1 + (H + 2 pad - ((R - 1) dilation + 1)) / stride (Q likewise), as cuDNN
 * documents; BAD_PARAM for a descriptor not set, data types that differ, channels that do not
 * split into the groups (C = C per group * groups, K a multiple of groups), or a dilated filter
 * wider than the padded image. */
static cudnnStatus_t conv_output(const struct cudnnConvolutionStruct *cv, const shape4 *x, const shape4 *w,
                                 int out[4])
{
    if (!cv->set || !x->set || !w->set || x->type != w->type || x->dim[1] != (int64_t)w->dim[1] * cv->groups ||
        w->dim[0] % cv->groups)
        return CUDNN_STATUS_BAD_PARAM;
    out[0] = x->dim[0];
    out[1] = w->dim[0];
    for (int a = 0; a < 2; a++) {
        int64_t span = (int64_t)(w->dim[2 + a] - 1) * cv->dilation[a] + 1;
        int64_t room = x->dim[2 + a] + 2 * (int64_t)cv->pad[a] - span;
        if (room < 0) return CUDNN_STATUS_BAD_PARAM;
        out[2 + a] = (int)(1 + room / cv->stride[a]);
    }
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetConvolution2dForwardOutputDim(const cudnnConvolutionDescriptor_t convDesc,
                                                    const cudnnTensorDescriptor_t inputTensorDesc,
                                                    const cudnnFilterDescriptor_t filterDesc, int *n, int *c, int *h,
                                                    int *w)
{
    int out[4];
    if (!convDesc || !inputTensorDesc || !filterDesc || !n || !c || !h || !w) return CUDNN_STATUS_BAD_PARAM;
    cudnnStatus_t e = conv_output(convDesc, &inputTensorDesc->s, &filterDesc->s, out);
    if (e == CUDNN_STATUS_SUCCESS) *n = out[0], *c = out[1], *h = out[2], *w = out[3];
    return e;
}

/* ---- convolutions ---- */

typedef enum conv_dir { CONV_FWD, CONV_BWD_DATA, CONV_BWD_FILTER } conv_dir;

/* The one algorithm of each direction that the emulator runs, and how many there are. */
static const int run_algo[3] = { CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM, CUDNN_CONVOLUTION_BWD_DATA_ALGO_1,
                                 CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1 };
static const int algo_count[3] = { CUDNN_CONVOLUTION_FWD_ALGO_COUNT, CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT,
                                   CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT };

/* One convolution: image x [N, C, H, W], filter w [K, C / groups, R, S], output y [N, K, P, Q];
 * the data of the direction's two inputs, and `out`, which it computes into. */
typedef struct conv_job {
    const struct cudnnConvolutionStruct *cv;
    const shape4 *x, *w, *y;
    const void *x_data, *w_data, *y_data;
    void *out;
    double alpha, beta;
} conv_job;

/* Whether the descriptors make one convolution: BAD_PARAM as conv_output says, or where y is not
 * set, is of another type or has other dims than conv_output's; NOT_SUPPORTED for a compute type
 * other than the data type (cuDNN's FLOAT_CONFIG and DOUBLE_CONFIG). */
static cudnnStatus_t conv_check(const conv_job *j)
{
    int out[4];
    cudnnStatus_t e = conv_output(j->cv, j->x, j->w, out);
    if (e != CUDNN_STATUS_SUCCESS) return e;
    if (!j->y->set || j->y->type != j->x->type) return CUDNN_STATUS_BAD_PARAM;
    for (int a = 0; a < 4; a++)
        if (j->y->dim[a] != out[a]) return CUDNN_STATUS_BAD_PARAM;
    return j->cv->compute == j->x->type ? CUDNN_STATUS_SUCCESS : CUDNN_STATUS_NOT_SUPPORTED;
}

/* What running algo in direction d on a problem that checked as `problem` returns. */
static cudnnStatus_t algo_status(conv_dir d, int algo, cudnnStatus_t problem)
{
    if (algo < 0 || algo >= algo_count[d]) return CUDNN_STATUS_BAD_PARAM;
    if (problem != CUDNN_STATUS_SUCCESS) return problem;
    return algo == run_algo[d] ? CUDNN_STATUS_SUCCESS : CUDNN_STATUS_NOT_SUPPORTED;
}

/* The filter tap that filter index f along spatial axis a (0: rows, 1: columns) applies at: f
 * itself, or f mirrored in CUDNN_CONVOLUTION mode. */
static int64_t tap(const conv_job *j, int a, int f)
{
    return j->cv->mode == CUDNN_CONVOLUTION ? j->w->dim[2 + a] - 1 - f : f;
}

/* The input position that output position o reads through filter index f along axis a (may lie in
 * the padding: outside [0, size)). */
static int64_t input_pos(const conv_job *j, int a, int64_t o, int f)
{
    return o * j->cv->stride[a] - j->cv->pad[a] + tap(j, a, f) * j->cv->dilation[a];
}

/* The output position that reads input position i through filter index f along axis a, or -1. */
static int64_t output_pos(const conv_job *j, int a, int64_t i, int f)
{
    int64_t t = i + j->cv->pad[a] - tap(j, a, f) * j->cv->dilation[a];
    if (t < 0 || t % j->cv->stride[a]) return -1;
    t /= j->cv->stride[a];
    return t < j->y->dim[2 + a] ? t : -1;
}

static bool inside(const shape4 *s, int a, int64_t pos) { return pos >= 0 && pos < s->dim[2 + a]; }

/* y[n, k, p, q] = sum over c, r, s of x[n, g Cg + c, input_pos(p, r), input_pos(q, s)] w[k, c, r, s],
 * g the group of k. */
static double forward_value(const void *job, const int i[4])
{
    const conv_job *j = job;
    const shape4 *x = j->x, *w = j->w;
    int cg = w->dim[1], g = i[1] / (w->dim[0] / j->cv->groups);
    double sum = 0;
    for (int c = 0; c < cg; c++)
        for (int r = 0; r < w->dim[2]; r++) {
            int64_t h = input_pos(j, 0, i[2], r);
            if (!inside(x, 0, h)) continue;
            for (int s = 0; s < w->dim[3]; s++) {
                int64_t v = input_pos(j, 1, i[3], s);
                if (inside(x, 1, v))
                    sum += load(x->type, j->x_data, at(x, i[0], (int64_t)g * cg + c, h, v)) *
                           load(w->type, j->w_data, at(w, i[1], c, r, s));
            }
        }
    return sum;
}

/* dx[n, c, h, v]: the sum of w[k, c mod Cg, r, s] dy[n, k, p, q] over the k of c's group and the
 * (r, s, p, q) where forward_value reads x[n, c, h, v]. */
static double backward_data_value(const void *job, const int i[4])
{
    const conv_job *j = job;
    const shape4 *w = j->w, *y = j->y;
    int cg = w->dim[1], kg = w->dim[0] / j->cv->groups, g = i[1] / cg, c = i[1] % cg;
    double sum = 0;
    for (int k = g * kg; k < (g + 1) * kg; k++)
        for (int r = 0; r < w->dim[2]; r++) {
            int64_t p = output_pos(j, 0, i[2], r);
            if (p < 0) continue;
            for (int s = 0; s < w->dim[3]; s++) {
                int64_t q = output_pos(j, 1, i[3], s);
                if (q >= 0)
                    sum += load(w->type, j->w_data, at(w, k, c, r, s)) * load(y->type, j->y_data, at(y, i[0], k, p, q));
            }
        }
    return sum;
}

/* dw[k, c, r, s] = sum over n, p, q of x[n, g Cg + c, input_pos(p, r), input_pos(q, s)] dy[n, k, p, q]. */
static double backward_filter_value(const void *job, const int i[4])
{
    const conv_job *j = job;
    const shape4 *x = j->x, *w = j->w, *y = j->y;
    int cg = w->dim[1], g = i[0] / (w->dim[0] / j->cv->groups);
    int64_t c = (int64_t)g * cg + i[1];
    double sum = 0;
    for (int n = 0; n < y->dim[0]; n++)
        for (int p = 0; p < y->dim[2]; p++) {
            int64_t h = input_pos(j, 0, p, i[2]);
            if (!inside(x, 0, h)) continue;
            for (int q = 0; q < y->dim[3]; q++) {
                int64_t v = input_pos(j, 1, q, i[3]);
                if (inside(x, 1, v))
                    sum += load(x->type, j->x_data, at(x, n, c, h, v)) * load(y->type, j->y_data, at(y, n, i[0], p, q));
            }
        }
    return sum;
}

static void run_forward(void *job)
{
    const conv_job *j = job;
    write_each(j->y, j->out, j->alpha, j->beta, forward_value, j);
}

static void run_backward_data(void *job)
{
    const conv_job *j = job;
    write_each(j->x, j->out, j->alpha, j->beta, backward_data_value, j);
}

static void run_backward_filter(void *job)
{
    const conv_job *j = job;
    write_each(j->w, j->out, j->alpha, j->beta, backward_filter_value, j);
}

/* The convolution of descriptors that may be NULL (then BAD_PARAM, as cuDNN returns). */
static cudnnStatus_t conv_job_of(const cudnnTensorDescriptor_t x, const cudnnFilterDescriptor_t w,
                                 const cudnnConvolutionDescriptor_t cv, const cudnnTensorDescriptor_t y, conv_job *j)
{
    if (!x || !w || !cv || !y) return CUDNN_STATUS_BAD_PARAM;
    *j = (conv_job){ .cv = cv, .x = &x->s, .w = &w->s, .y = &y->s };
    return conv_check(j);
}

/* Runs direction d of j (its data set) at the stream's turn, after the checks cuDNN makes. */
static cudnnStatus_t convolve(cudnnHandle_t h, conv_dir d, int algo, cudnnStatus_t problem, conv_job *j,
                              const void *alpha, const void *beta)
{
    static void (*const run[3])(void *) = { run_forward, run_backward_data, run_backward_filter };
    if (!h || !alpha || !beta || !j->out || (d != CONV_FWD && !j->y_data) || (d != CONV_BWD_DATA && !j->x_data) ||
        (d != CONV_BWD_FILTER && !j->w_data))
        return CUDNN_STATUS_BAD_PARAM;
    cudnnStatus_t e = algo_status(d, algo, problem);
    if (e != CUDNN_STATUS_SUCCESS) return e;
    j->alpha = scalar(j->x->type, alpha);
    j->beta = scalar(j->x->type, beta);
    tfc_emu_run_now(h->stream, run[d], j);
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnConvolutionForward(cudnnHandle_t handle, const void *alpha, const cudnnTensorDescriptor_t xDesc,
                                      const void *x, const cudnnFilterDescriptor_t wDesc, const void *w,
                                      const cudnnConvolutionDescriptor_t convDesc, cudnnConvolutionFwdAlgo_t algo,
                                      void *workSpace, size_t workSpaceSizeInBytes, const void *beta,
                                      const cudnnTensorDescriptor_t yDesc, void *y)
{
    (void)workSpace, (void)workSpaceSizeInBytes; /* the algorithm needs none */
    conv_job j;
    cudnnStatus_t e = conv_job_of(xDesc, wDesc, convDesc, yDesc, &j);
    if (e == CUDNN_STATUS_BAD_PARAM) return e;
    j.x_data = x, j.w_data = w, j.out = y;
    return convolve(handle, CONV_FWD, (int)algo, e, &j, alpha, beta);
}

cudnnStatus_t cudnnConvolutionBackwardData(cudnnHandle_t handle, const void *alpha, const cudnnFilterDescriptor_t wDesc,
                                           const void *w, const cudnnTensorDescriptor_t dyDesc, const void *dy,
                                           const cudnnConvolutionDescriptor_t convDesc,
                                           cudnnConvolutionBwdDataAlgo_t algo, void *workSpace,
                                           size_t workSpaceSizeInBytes, const void *beta,
                                           const cudnnTensorDescriptor_t dxDesc, void *dx)
{
    (void)workSpace, (void)workSpaceSizeInBytes;
    conv_job j;
    cudnnStatus_t e = conv_job_of(dxDesc, wDesc, convDesc, dyDesc, &j);
    if (e == CUDNN_STATUS_BAD_PARAM) return e;
    j.w_data = w, j.y_data = dy, j.out = dx;
    return convolve(handle, CONV_BWD_DATA, (int)algo, e, &j, alpha, beta);
}

cudnnStatus_t cudnnConvolutionBackwardFilter(cudnnHandle_t handle, const void *alpha,
                                             const cudnnTensorDescriptor_t xDesc, const void *x,
                                             const cudnnTensorDescriptor_t dyDesc, const void *dy,
                                             const cudnnConvolutionDescriptor_t convDesc,
                                             cudnnConvolutionBwdFilterAlgo_t algo, void *workSpace,
                                             size_t workSpaceSizeInBytes, const void *beta,
                                             const cudnnFilterDescriptor_t dwDesc, void *dw)
{
    (void)workSpace, (void)workSpaceSizeInBytes;
    conv_job j;
    cudnnStatus_t e = conv_job_of(xDesc, dwDesc, convDesc, dyDesc, &j);
    if (e == CUDNN_STATUS_BAD_PARAM) return e;
    j.x_data = x, j.y_data = dy, j.out = dw;
    return convolve(handle, CONV_BWD_FILTER, (int)algo, e, &j, alpha, beta);
}

/* ---- algorithm heuristics and workspaces ---- */

/* A heuristics answer: the algorithm the emulator runs first, then the others in enum order, each
 * with the status running it would return. */
typedef struct ranking {
    int n;
    int algo[CUDNN_CONVOLUTION_FWD_ALGO_COUNT]; /* the largest of the three counts */
    cudnnStatus_t status[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
} ranking;
_Static_assert((int)CUDNN_CONVOLUTION_FWD_ALGO_COUNT >= (int)CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT &&
                   (int)CUDNN_CONVOLUTION_FWD_ALGO_COUNT >= (int)CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT,
               "ranking holds every direction's algorithms");

/* At most `requested` algorithms of direction d for a problem that checked as `problem`; BAD_PARAM
 * for a NULL argument, a count below 1 or descriptors that do not fit. */
static cudnnStatus_t rank_algos(cudnnHandle_t h, conv_dir d, cudnnStatus_t problem, int requested,
                                const int *returned, const void *results, ranking *r)
{
    if (!h || !returned || !results || requested < 1 || problem == CUDNN_STATUS_BAD_PARAM)
        return CUDNN_STATUS_BAD_PARAM;
    r->n = 0;
    r->algo[r->n++] = run_algo[d];
    for (int a = 0; a < algo_count[d] && r->n < requested; a++)
        if (a != run_algo[d]) r->algo[r->n++] = a;
    for (int i = 0; i < r->n; i++) r->status[i] = algo_status(d, r->algo[i], problem);
    return CUDNN_STATUS_SUCCESS;
}

/* In the results below, time stays 0 (nothing was timed) and memory 0 (no workspace). */

cudnnStatus_t cudnnGetConvolutionForwardAlgorithm_v7(cudnnHandle_t handle, const cudnnTensorDescriptor_t srcDesc,
                                                     const cudnnFilterDescriptor_t filterDesc,
                                                     const cudnnConvolutionDescriptor_t convDesc,
                                                     const cudnnTensorDescriptor_t destDesc,
                                                     const int requestedAlgoCount, int *returnedAlgoCount,
                                                     cudnnConvolutionFwdAlgoPerf_t *perfResults)
{
    conv_job j;
    ranking r;
    cudnnStatus_t e = conv_job_of(srcDesc, filterDesc, convDesc, destDesc, &j);
    e = rank_algos(handle, CONV_FWD, e, requestedAlgoCount, returnedAlgoCount, perfResults, &r);
    if (e != CUDNN_STATUS_SUCCESS) return e;
    for (int i = 0; i < r.n; i++)
        perfResults[i] = (cudnnConvolutionFwdAlgoPerf_t){ .algo = (cudnnConvolutionFwdAlgo_t)r.algo[i],
                                                          .status = r.status[i],
                                                          .determinism = CUDNN_DETERMINISTIC,
                                                          .mathType = convDesc->math };
    *returnedAlgoCount = r.n;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnnHandle_t handle,
                                                          const cudnnFilterDescriptor_t filterDesc,
                                                          const cudnnTensorDescriptor_t diffDesc,
                                                          const cudnnConvolutionDescriptor_t convDesc,
                                                          const cudnnTensorDescriptor_t gradDesc,
                                                          const int requestedAlgoCount, int *returnedAlgoCount,
                                                          cudnnConvolutionBwdDataAlgoPerf_t *perfResults)
{
    conv_job j;
    ranking r;
    cudnnStatus_t e = conv_job_of(gradDesc, filterDesc, convDesc, diffDesc, &j);
    e = rank_algos(handle, CONV_BWD_DATA, e, requestedAlgoCount, returnedAlgoCount, perfResults, &r);
    if (e != CUDNN_STATUS_SUCCESS) return e;
    for (int i = 0; i < r.n; i++)
        perfResults[i] = (cudnnConvolutionBwdDataAlgoPerf_t){ .algo = (cudnnConvolutionBwdDataAlgo_t)r.algo[i],
                                                              .status = r.status[i],
                                                              .determinism = CUDNN_DETERMINISTIC,
                                                              .mathType = convDesc->math };
    *returnedAlgoCount = r.n;
    return CUDNN_STATUS_SUCCESS;
}

cudnnStatus_t cudnnGetConvolutionBackwardFilterAlgorithm_v7(cudnnHandle_t handle, const cudnnTensorDescriptor_t srcDesc,
                                                            const cudnnTensorDescriptor_t diffDesc,
                                                            const cudnnConvolutionDescriptor_t convDesc,
                                                            const cudnnFilterDescriptor_t gradDesc,
                                                            const int requestedAlgoCount, int *returnedAlgoCount,
                                                            cudnnConvolutionBwdFilterAlgoPerf_t *perfResults)
{
    conv_job j;
    ranking r;
    cudnnStatus_t e = conv_job_of(srcDesc, gradDesc, convDesc, diffDesc, &j);
    e = rank_algos(handle, CONV_BWD_FILTER, e, requestedAlgoCount, returnedAlgoCount, perfResults, &r);
    if (e != CUDNN_STATUS_SUCCESS) return e;
    for (int i = 0; i < r.n; i++)
        perfResults[i] = (cudnnConvolutionBwdFilterAlgoPerf_t){ .algo = (cudnnConvolutionBwdFilterAlgo_t)r.algo[i],
                                                                .status = r.status[i],
                                                                .determinism = CUDNN_DETERMINISTIC,
                                                                .mathType = convDesc->math };
    *returnedAlgoCount = r.n;
    return CUDNN_STATUS_SUCCESS;
}

/* 0 bytes for the algorithm the emulator runs; its status (NOT_SUPPORTED, BAD_PARAM) for others. */
static cudnnStatus_t workspace(cudnnHandle_t h, conv_dir d, int algo, cudnnStatus_t problem, size_t *size)
{
    if (!h || !size || problem == CUDNN_STATUS_BAD_PARAM) return CUDNN_STATUS_BAD_PARAM;
    cudnnStatus_t e = algo_status(d, algo, problem);
    if (e == CUDNN_STATUS_SUCCESS) *size = 0;
    return e;
}

cudnnStatus_t cudnnGetConvolutionForwardWorkspaceSize(cudnnHandle_t handle, const cudnnTensorDescriptor_t xDesc,
                                                      const cudnnFilterDescriptor_t wDesc,
                                                      const cudnnConvolutionDescriptor_t convDesc,
                                                      const cudnnTensorDescriptor_t yDesc,
                                                      cudnnConvolutionFwdAlgo_t algo, size_t *sizeInBytes)
{
    conv_job j;
    return workspace(handle, CONV_FWD, (int)algo, conv_job_of(xDesc, wDesc, convDesc, yDesc, &j), sizeInBytes);
}

cudnnStatus_t cudnnGetConvolutionBackwardDataWorkspaceSize(cudnnHandle_t handle, const cudnnFilterDescriptor_t wDesc,
                                                           const cudnnTensorDescriptor_t dyDesc,
                                                           const cudnnConvolutionDescriptor_t convDesc,
                                                           const cudnnTensorDescriptor_t dxDesc,
                                                           cudnnConvolutionBwdDataAlgo_t algo, size_t *sizeInBytes)
{
    conv_job j;
    return workspace(handle, CONV_BWD_DATA, (int)algo, conv_job_of(dxDesc, wDesc, convDesc, dyDesc, &j), sizeInBytes);
}

cudnnStatus_t cudnnGetConvolutionBackwardFilterWorkspaceSize(cudnnHandle_t handle, const cudnnTensorDescriptor_t xDesc,
                                                             const cudnnTensorDescriptor_t dyDesc,
                                                             const cudnnConvolutionDescriptor_t convDesc,
                                                             const cudnnFilterDescriptor_t gradDesc,
                                                             cudnnConvolutionBwdFilterAlgo_t algo, size_t *sizeInBytes)
{
    conv_job j;
    return workspace(handle, CONV_BWD_FILTER, (int)algo, conv_job_of(xDesc, gradDesc, convDesc, dyDesc, &j),
                     sizeInBytes);
}

/* ---- softmax ---- */

typedef struct softmax_job {
    cudnnSoftmaxAlgorithm_t algo;
    const shape4 *xs, *ys;
    const void *x;
    void *y;
    double alpha, beta;
} softmax_job;

/* The elements one softmax normalises: image n, rows [h, h + rows), columns [w, w + cols) of
 * every channel. */
typedef struct span {
    int n, h, w, rows, cols;
} span;

/* The offset in s of element e of sp, channel-major. */
static int64_t span_at(const shape4 *s, const span *sp, int64_t e)
{
    int64_t per_channel = (int64_t)sp->rows * sp->cols;
    return at(s, sp->n, e / per_channel, sp->h + e % per_channel / sp->cols, sp->w + e % sp->cols);
}

static double span_max(const softmax_job *j, const span *sp, int64_t count)
{
    double max = -INFINITY;
    for (int64_t e = 0; e < count; e++) max = fmax(max, load(j->xs->type, j->x, span_at(j->xs, sp, e)));
    return max;
}

/* FAST: exp(x) / sum exp(x); ACCURATE: exp(x - max) / sum exp(x - max); LOG: x - max - log(sum
 * exp(x - max)); each blended into y. */
static void softmax_span(const softmax_job *j, const span *sp)
{
    int64_t count = (int64_t)j->xs->dim[1] * sp->rows * sp->cols;
    double max = j->algo == CUDNN_SOFTMAX_FAST ? 0 : span_max(j, sp, count), sum = 0;
    for (int64_t e = 0; e < count; e++) sum += exp(load(j->xs->type, j->x, span_at(j->xs, sp, e)) - max);
    for (int64_t e = 0; e < count; e++) {
        double x = load(j->xs->type, j->x, span_at(j->xs, sp, e)) - max;
        double v = j->alpha * (j->algo == CUDNN_SOFTMAX_LOG ? x - log(sum) : exp(x) / sum);
        int64_t o = span_at(j->ys, sp, e);
        if (j->beta != 0) v += j->beta * load(j->ys->type, j->y, o);
        store(j->ys->type, j->y, o, v);
    }
}

static void run_softmax_instance(void *job)
{
    const softmax_job *j = job;
    for (int n = 0; n < j->xs->dim[0]; n++) softmax_span(j, &(span){ n, 0, 0, j->xs->dim[2], j->xs->dim[3] });
}

static void run_softmax_channel(void *job)
{
    const softmax_job *j = job;
    for (int n = 0; n < j->xs->dim[0]; n++)
        for (int h = 0; h < j->xs->dim[2]; h++)
            for (int w = 0; w < j->xs->dim[3]; w++) softmax_span(j, &(span){ n, h, w, 1, 1 });
}

static bool same_dims(const shape4 *a, const shape4 *b)
{
    return a->type == b->type && a->dim[0] == b->dim[0] && a->dim[1] == b->dim[1] && a->dim[2] == b->dim[2] &&
           a->dim[3] == b->dim[3];
}

/* Over C, H and W of each image (INSTANCE) or over C at each pixel (CHANNEL); x and y of the same
 * dims and type, each read through its own strides (x may be y). */
cudnnStatus_t cudnnSoftmaxForward(cudnnHandle_t handle, cudnnSoftmaxAlgorithm_t algo, cudnnSoftmaxMode_t mode,
                                  const void *alpha, const cudnnTensorDescriptor_t xDesc, const void *x,
                                  const void *beta, const cudnnTensorDescriptor_t yDesc, void *y)
{
    if (!handle || !alpha || !beta || !xDesc || !yDesc || !x || !y || !xDesc->s.set || !yDesc->s.set ||
        !same_dims(&xDesc->s, &yDesc->s) || (unsigned)algo > CUDNN_SOFTMAX_LOG ||
        (mode != CUDNN_SOFTMAX_MODE_INSTANCE && mode != CUDNN_SOFTMAX_MODE_CHANNEL))
        return CUDNN_STATUS_BAD_PARAM;
    softmax_job j = { algo, &xDesc->s, &yDesc->s, x, y, scalar(xDesc->s.type, alpha), scalar(xDesc->s.type, beta) };
    tfc_emu_run_now(handle->stream, mode == CUDNN_SOFTMAX_MODE_INSTANCE ? run_softmax_instance : run_softmax_channel,
                    &j);
    return CUDNN_STATUS_SUCCESS;
}

/* ---- TransformTensor ---- */

typedef struct transform_job {
    const shape4 *xs, *ys;
    const void *x;
    void *y;
    double alpha, beta;
} transform_job;

static double transform_value(const void *job, const int i[4])
{
    const transform_job *j = job;
    return load(j->xs->type, j->x, at(j->xs, i[0], i[1], i[2], i[3]));
}

static void run_transform(void *job)
{
    const transform_job *j = job;
    write_each(j->ys, j->y, j->alpha, j->beta, transform_value, j);
}

/* y = alpha x + beta y element by element, each tensor through its own strides: how cuDNN moves
 * data between layouts. The dims and data types must agree. */
cudnnStatus_t cudnnTransformTensor(cudnnHandle_t handle, const void *alpha, const cudnnTensorDescriptor_t xDesc,
                                   const void *x, const void *beta, const cudnnTensorDescriptor_t yDesc, void *y)
{
    if (!handle || !alpha || !beta || !xDesc || !yDesc || !x || !y || !xDesc->s.set || !yDesc->s.set ||
        !same_dims(&xDesc->s, &yDesc->s))
        return CUDNN_STATUS_BAD_PARAM;
    transform_job j = { &xDesc->s, &yDesc->s, x, y, scalar(xDesc->s.type, alpha), scalar(xDesc->s.type, beta) };
    tfc_emu_run_now(handle->stream, run_transform, &j);
    return CUDNN_STATUS_SUCCESS;
}
