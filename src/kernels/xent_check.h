/* xent_check: the run-time checks of SoftmaxCrossEntropyWithLogits and
 * SparseSoftmaxCrossEntropyWithLogits (and the dtype check of the other softmax-family kernels,
 * L2Loss among them), shared by the CPU kernels (cpu/softmax_cpu.c) and the GPU ones
 * (cuda/xent_cuda.c) so that both give TensorFlow's messages. Sparse labels are read on the host:
 * every one is checked against [0, classes) before any row is touched. */
#ifndef TFC_KERNELS_XENT_CHECK_H_
#define TFC_KERNELS_XENT_CHECK_H_
#include <stdbool.h>
#include <stdint.h>

#include "kernels/kernel.h"

/* Checks that the kernel has n_in inputs and n_out outputs and that input i has dtype in[i]
 * (0: not checked). The executor promises this; a mismatch would make loops overrun buffers. */
bool tfc_xent_check_types(tfc_kernel_ctx *k, int n_in, const TF_DataType *in, int n_out);

/* SoftmaxCrossEntropyWithLogits' geometry: loss [rows], backprop [rows, classes]; element (r, j)
 * of features is at r * fs[0] + j * fs[1] and of labels at r * ls[0] + j * ls[1] (a stride is 0
 * where that operand broadcasts). */
typedef struct tfc_xent_geom {
    int64_t rows, classes;
    int64_t fs[2], ls[2];
} tfc_xent_geom;

/* Checks features (input 0) and labels (input 1), both of dtype, with TensorFlow's broadcasting
 * rules (equal shapes must be matrices, others must broadcast to one); fills g. On failure the
 * step error is set and false returned. */
bool tfc_xent_check(tfc_kernel_ctx *k, TF_DataType dtype, tfc_xent_geom *g);
/* Allocates loss [rows] and backprop [rows, classes]; backprop takes over the features' buffer
 * when the executor allows and they have its shape (each row is read before it is written;
 * labels never may, they are read after backprop is written). */
TF_Code tfc_xent_alloc_outputs(tfc_kernel_ctx *k, const tfc_xent_geom *g, TF_Tensor **loss, TF_Tensor **bp);

/* Checks logits (input 0, of dtype, [batch, classes] with classes > 0) and labels (input 1,
 * int32 or int64 [batch], in host memory), and every label against [0, classes). */
bool tfc_sparse_xent_check(tfc_kernel_ctx *k, TF_DataType dtype);

#endif
