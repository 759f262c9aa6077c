/* matmul_check: MatMul's run-time checks (see matmul_check.h). */
#include "kernels/matmul_check.h"

#include <limits.h>

#include "core/dtype.h"
#include "core/shape.h"

bool tfc_matmul_check(tfc_kernel_ctx *k, bool ta, bool tb, int64_t *m, int64_t *n, int64_t *kd)
{
    const TF_Tensor *a = tfc_kernel_input(k, 0), *b = tfc_kernel_input(k, 1);
    char sa[256], sb[256];
    if (a->ndims != 2 || b->ndims != 2) {
        int bad = a->ndims != 2 ? 0 : 1;
        const TF_Tensor *t = bad ? b : a;
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "In[%d] is not a matrix. Instead it has shape %s", bad,
                         tfc_dims_str(t->dims, t->ndims, sa, sizeof sa));
        return false;
    }
    if (a->dtype != k->output_types[0] || b->dtype != a->dtype) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "inputs have dtypes %s and %s, expected %s",
                         tfc_dtype_name(a->dtype), tfc_dtype_name(b->dtype), tfc_dtype_name(k->output_types[0]));
        return false;
    }
    int64_t ka = a->dims[ta ? 0 : 1], kb = b->dims[tb ? 1 : 0];
    if (ka != kb) {
        tfc_kernel_error(k, TF_INVALID_ARGUMENT, "Matrix size-incompatible: In[0]: %s, In[1]: %s%s%s",
                         tfc_dims_str(a->dims, 2, sa, sizeof sa), tfc_dims_str(b->dims, 2, sb, sizeof sb),
                         ta ? ", transpose_a" : "", tb ? ", transpose_b" : "");
        return false;
    }
    if (a->dims[0] > INT_MAX || a->dims[1] > INT_MAX || b->dims[0] > INT_MAX || b->dims[1] > INT_MAX) {
        tfc_kernel_error(k, TF_UNIMPLEMENTED, "matrix dims above %d are not supported by BLAS: In[0]: %s, In[1]: %s",
                         INT_MAX, tfc_dims_str(a->dims, 2, sa, sizeof sa), tfc_dims_str(b->dims, 2, sb, sizeof sb));
        return false;
    }
    *m = a->dims[ta ? 1 : 0];
    *n = b->dims[tb ? 0 : 1];
    *kd = ka;
    return true;
}
