/* xent_launch: the extern "C" launchers of xent_cuda.cu (SoftmaxCrossEntropyWithLogits,
 * SparseSoftmaxCrossEntropyWithLogits and L2Loss on the GPU), called from xent_cuda.c once the
 * shapes (and sparse labels) are checked. Every pointer is device memory; dtype is TF_FLOAT or
 * TF_DOUBLE (cudaErrorInvalidValue otherwise). Each launcher queues its kernels on `stream` and
 * returns the first launch error. */
#ifndef TFC_KERNELS_CUDA_XENT_LAUNCH_H_
#define TFC_KERNELS_CUDA_XENT_LAUNCH_H_
#include <stdint.h>
#include <cuda_runtime_api.h>

#include "tfc/c_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* xent_check.h's tfc_xent_geom: loss [rows], backprop [rows, classes]; features element (r, j) at
 * r * fs[0] + j * fs[1], labels at r * ls[0] + j * ls[1]. */
typedef struct tfc_gpu_xent_geom {
    int64_t rows, classes;
    int64_t fs[2], ls[2];
} tfc_gpu_xent_geom;

/* SoftmaxCrossEntropyWithLogits, one block per row; backprop may be features (each element is
 * read before it is written) but not labels. */
cudaError_t tfc_gpu_xent(TF_DataType dtype, const void *features, const void *labels, void *loss, void *backprop,
                         tfc_gpu_xent_geom g, cudaStream_t stream);
/* SparseSoftmaxCrossEntropyWithLogits on logits [rows, classes] and labels [rows] (label_type
 * TF_INT32 or TF_INT64, every label in [0, classes)), one block per row; backprop may be logits. */
cudaError_t tfc_gpu_sparse_xent(TF_DataType dtype, TF_DataType label_type, const void *logits, const void *labels,
                                void *loss, void *backprop, int64_t rows, int64_t classes, cudaStream_t stream);
/* *out = sum(x[0..n)^2) / 2, accumulated in double: block b of `blocks` (grid.h's
 * tfc_gpu_blocks_for(n)) sums its grid-stride share into partial[b], then one block adds the
 * partials in order, so the result does not depend on timing. */
cudaError_t tfc_gpu_l2_loss(TF_DataType dtype, const void *x, int64_t n, double *partial, int blocks, void *out,
                            cudaStream_t stream);

#ifdef __cplusplus
}
#endif
#endif
