/* kernel_trace: with TFC_KERNEL_TRACE=<file> in the environment, each distinct (device type, op,
 * dtype) whose kernel ran without error in this process is appended to <file> once, as
 * "GPU MatMul float" ("any" for a kernel that serves every dtype). A debugging aid, and what
 * scripts/gpu_kernel_coverage.sh reads to find GPU kernels that no test runs. */
#ifndef TFC_SESSION_KERNEL_TRACE_H_
#define TFC_SESSION_KERNEL_TRACE_H_
#include "session/session.h"

/* Records that n's kernel ran on n's device (a no-op without TFC_KERNEL_TRACE). Thread-safe. */
void tfc_kernel_trace_ran(const tfc_plan_node *n);

#endif
