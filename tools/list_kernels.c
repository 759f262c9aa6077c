/* list_kernels: prints one line per registered kernel and dtype, "GPU MatMul float" ("any" for a
 * kernel that serves every dtype), sorted and de-duplicated by the caller; the format of
 * TFC_KERNEL_TRACE (session/kernel_trace.h), so that scripts/gpu_kernel_coverage.sh can tell which
 * kernels no test ran. `list_kernels GPU` prints only that device type's. */
#include <stdio.h>
#include <string.h>

#include "core/dtype.h"
#include "kernels/kernel.h"

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    for (int i = 0;; i++) {
        const tfc_kernel_def *k = tfc_kernel_at(i);
        if (!k) break;
        if (only && strcmp(only, k->device_type)) continue;
        if (!k->types) printf("%s %s any\n", k->device_type, k->op);
        for (int t = 1; t < 64; t++)
            if (k->types >> t & 1) printf("%s %s %s\n", k->device_type, k->op, tfc_dtype_name(t));
    }
    return 0;
}
