/* test_kernel_trace: TFC_KERNEL_TRACE (session/kernel_trace.h) names each (device, op, dtype)
 * whose kernel ran without error, once per process however often it runs, and leaves out a kernel
 * whose step failed. The variable is set before the first step: the library reads it once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "graph_util.h"
#include "gpu_util.h"
#include "tfc/c_api.h"

static char trace_path[] = "/tmp/tfc_kernel_trace_XXXXXX";

static int lines_equal_to(const char *want)
{
    FILE *f = fopen(trace_path, "r");
    assert_non_null(f);
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        n += !strcmp(line, want);
    }
    fclose(f);
    return n;
}

static void test_trace_names_kernels_that_ran(void **state)
{
    (void)state;
    TF_Graph *g = TF_NewGraph();
    int64_t dims[2] = { 2, 2 };
    TF_Output a = out0(const_float(g, "a", dims, 2, (float[]){ 1, 2, 3, 4 }));
    /* pinned to the CPU: a GPU build would otherwise place them there */
    TF_Output mm = out0(op_on(g, "MatMul", "mm", CPU0, (TF_Output[]){ a, a }, 2));
    TF_Output sum = out0(op_on(g, "AddV2", "sum", CPU0, (TF_Output[]){ mm, a }, 2));
    /* Reshape to a fed shape of 3 elements: the kernel's own check fails the step. */
    TF_Output shape = out0(placeholder(g, "shape", TF_INT32, (int64_t[]){ 1 }, 1));
    TF_Output bad = out0(op_on(g, "Reshape", "bad", CPU0, (TF_Output[]){ a, shape }, 2));
    TF_Session *sess = new_test_session(g, NULL, 0);
    TF_DeleteTensor(fetch_ok(sess, sum));
    TF_DeleteTensor(fetch_ok(sess, sum));
    TF_Tensor *three = int_tensor((int64_t[]){ 1 }, 1, (int32_t[]){ 3 });
    TF_Status *s = TF_NewStatus();
    TF_Tensor *out = NULL;
    TF_SessionRun(sess, NULL, &shape, &three, 1, &bad, &out, 1, NULL, 0, NULL, s);
    assert_int_equal(TF_GetCode(s), TF_INVALID_ARGUMENT);
    TF_DeleteStatus(s);
    TF_DeleteTensor(three);
    close_test_session(sess);
    TF_DeleteGraph(g);
    assert_int_equal(lines_equal_to("CPU MatMul float"), 1);
    assert_int_equal(lines_equal_to("CPU AddV2 float"), 1);
    assert_int_equal(lines_equal_to("CPU Reshape float") + lines_equal_to("CPU Reshape any"), 0);
}

int main(void)
{
    int fd = mkstemp(trace_path);
    if (fd < 0) return 1;
    close(fd);
    setenv("TFC_KERNEL_TRACE", trace_path, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_names_kernels_that_ran),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(trace_path);
    return rc;
}
