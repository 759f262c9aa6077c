/* cuda_tables: the GPU kernel tables, one per family (read by kernels/registry.c). Adding a GPU
 * family adds one line here. */
#include "kernels/cuda/cuda_devices.h"
#include "kernels/kernel.h"

extern const tfc_kernel_def tfc_gpu_const_kernels[], tfc_gpu_matmul_kernels[], tfc_gpu_cwise_kernels[],
    tfc_gpu_nn_kernels[], tfc_gpu_array_build_kernels[];
extern const tfc_kernel_def tfc_gpu_variable_kernels[], tfc_gpu_training_kernels[];
extern const tfc_kernel_def tfc_gpu_pool_kernels[], tfc_gpu_batchnorm_kernels[];
extern const tfc_kernel_def tfc_gpu_conv_kernels[], tfc_gpu_batch_matmul_kernels[], tfc_gpu_tile_kernels[];
extern const tfc_kernel_def tfc_gpu_transpose_kernels[], tfc_gpu_concat_kernels[], tfc_gpu_gather_kernels[];
extern const tfc_kernel_def tfc_gpu_shape_kernels[], tfc_gpu_cast_kernels[], tfc_gpu_select_kernels[];
extern const tfc_kernel_def tfc_gpu_reduce_kernels[], tfc_gpu_xent_kernels[], tfc_gpu_compare_kernels[];
extern const tfc_kernel_def tfc_gpu_random_kernels[];

const tfc_kernel_def *const tfc_gpu_kernel_tables[] = {
    tfc_gpu_reduce_kernels,
    tfc_gpu_xent_kernels,
    tfc_gpu_compare_kernels,
    tfc_gpu_const_kernels,
    tfc_gpu_matmul_kernels,
    tfc_gpu_cwise_kernels,
    tfc_gpu_nn_kernels,
    tfc_gpu_array_build_kernels,
    tfc_gpu_variable_kernels,
    tfc_gpu_training_kernels,
    tfc_gpu_pool_kernels,
    tfc_gpu_batchnorm_kernels,
    tfc_gpu_shape_kernels,
    tfc_gpu_cast_kernels,
    tfc_gpu_select_kernels,
    tfc_gpu_conv_kernels,
    tfc_gpu_batch_matmul_kernels,
    tfc_gpu_tile_kernels,
    tfc_gpu_transpose_kernels,
    tfc_gpu_concat_kernels,
    tfc_gpu_gather_kernels,
    tfc_gpu_random_kernels,
    NULL,
};
