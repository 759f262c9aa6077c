/* test_gpu_coverage: every op of the MNIST CNN's training graph that computes on floating-point
 * data has a GPU kernel for its attrs, so on a GPU the whole step (forward, gradients, Adam,
 * dropout's random draws, the accuracy) stays on the device and only shape arithmetic (int32) and
 * the feeds run on the host. The graph is tests/data/graphdef/mnist_cnn_train.pb, the GraphDef
 * that examples/mnist saves (`mnist train --model cnn`). Needs no GPU, only a build with CUDA
 * (else exits 77: skipped): it asks the kernel registry, as placement does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "graph/graph.h"
#include "graph_util.h"
#include "kernels/cuda/cuda_devices.h"
#include "kernels/kernel.h"
#include "tfc/c_api.h"

#ifndef TFC_TEST_DATA_DIR
#define TFC_TEST_DATA_DIR "tests/data"
#endif

static TF_Buffer *read_graph(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n);
    size_t got = fread(p, 1, (size_t)n, f);
    fclose(f);
    TF_Buffer *b = TF_NewBufferFromString(p, got);
    free(p);
    return b;
}

static bool floating(TF_DataType t) { return t == TF_FLOAT || t == TF_DOUBLE; }

/* Whether op reads or produces floating-point data. */
static bool computes_on_floats(TF_Operation *op)
{
    for (int i = 0; i < TF_OperationNumOutputs(op); i++)
        if (floating(TF_OperationOutputType((TF_Output){ op, i }))) return true;
    for (int i = 0; i < TF_OperationNumInputs(op); i++)
        if (floating(TF_OperationInputType((TF_Input){ op, i }))) return true;
    return false;
}

/* Ops that stay on the host on purpose: feeds (the host fills them) and those that read only
 * their input's shape (meta_inputs: no copy from the GPU). */
static bool host_by_design(const char *type)
{
    static const char *const host[] = { "Placeholder", "PlaceholderWithDefault", "Shape", "ShapeN", "Size", "Rank" };
    for (size_t i = 0; i < sizeof host / sizeof host[0]; i++)
        if (!strcmp(type, host[i])) return true;
    return false;
}

static void test_mnist_cnn_training_graph(void **state)
{
    (void)state;
    TF_Buffer *b = read_graph(TFC_TEST_DATA_DIR "/graphdef/mnist_cnn_train.pb");
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_ImportGraphDefOptions *o = TF_NewImportGraphDefOptions();
    TF_GraphImportGraphDef(g, b, o, s);
    assert_ok(s);
    size_t pos = 0;
    int checked = 0, missing = 0;
    for (TF_Operation *op; (op = TF_GraphNextOperation(g, &pos));) {
        const char *type = TF_OperationOpType(op);
        if (!computes_on_floats(op) || host_by_design(type)) continue;
        checked++;
        if (!tfc_kernel_lookup(type, "GPU", &op->attrs)) {
            printf("no GPU kernel: %s '%s'\n", type, TF_OperationName(op));
            missing++;
        }
    }
    printf("%d floating-point ops checked\n", checked);
    assert_true(checked > 100); /* the forward pass, gradients and Adam updates are all there */
    assert_int_equal(missing, 0);
    TF_DeleteImportGraphDefOptions(o);
    TF_DeleteStatus(s);
    TF_DeleteGraph(g);
    TF_DeleteBuffer(b);
}

int main(void)
{
    if (!tfc_gpu_built()) {
        printf("test_gpu_coverage: built without CUDA, skipped\n");
        return 77;
    }
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_mnist_cnn_training_graph) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
