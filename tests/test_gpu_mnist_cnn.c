/* test_gpu_mnist_cnn: the MNIST CNN's training steps on the GPU give the CPU's. The graph is the
 * one examples/mnist saves (tests/data/graphdef/mnist_cnn_train.pb: two conv+pool layers, dense,
 * dropout, cross-entropy, Adam), imported twice: as it is, so every op with a GPU kernel goes to
 * GPU:0, and with CPU:0 as every op's device. Both start from the same seeded initial values and
 * draw the same dropout masks (the devices share the Philox streams), so after each step on the
 * same batch the losses agree within float rounding, and so do the weights after the last one.
 * Exits 77 (ctest: skipped) without a GPU. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "graph_util.h"
#include "gpu_util.h"
#include "tfc/c_api.h"

#ifndef TFC_TEST_DATA_DIR
#define TFC_TEST_DATA_DIR "tests/data"
#endif

enum { BATCH = 16, STEPS = 3, PIXELS = 28 * 28 };

static TF_Graph *import_cnn(const char *default_device)
{
    const char *dir = getenv("TFC_TEST_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/graphdef/mnist_cnn_train.pb", dir ? dir : TFC_TEST_DATA_DIR);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    static char bytes[1 << 16];
    size_t n = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    assert_true(n > 0 && n < sizeof bytes);
    TF_Buffer *b = TF_NewBufferFromString(bytes, n);
    TF_Graph *g = TF_NewGraph();
    TF_Status *s = TF_NewStatus();
    TF_ImportGraphDefOptions *o = TF_NewImportGraphDefOptions();
    if (default_device) TF_ImportGraphDefOptionsSetDefaultDevice(o, default_device);
    TF_GraphImportGraphDef(g, b, o, s);
    assert_ok(s);
    TF_DeleteImportGraphDefOptions(o);
    TF_DeleteStatus(s);
    TF_DeleteBuffer(b);
    return g;
}

static TF_Operation *op_named(TF_Graph *g, const char *name)
{
    TF_Operation *op = TF_GraphOperationByName(g, name);
    if (!op) fail_msg("the MNIST CNN graph has no op '%s'", name);
    return op;
}

/* Batch `step`: reproducible pixels and labels. */
static void make_batch(int step, TF_Tensor **images, TF_Tensor **labels)
{
    *images = TF_AllocateTensor(TF_UINT8, (int64_t[]){ BATCH, 28, 28 }, 3, BATCH * PIXELS);
    *labels = TF_AllocateTensor(TF_UINT8, (int64_t[]){ BATCH }, 1, BATCH);
    uint8_t *p = TF_TensorData(*images), *l = TF_TensorData(*labels);
    uint32_t seed = 1000u + (uint32_t)step;
    for (int i = 0; i < BATCH * PIXELS; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (uint8_t)(seed >> 24);
    }
    for (int i = 0; i < BATCH; i++) l[i] = (uint8_t)((i * 7 + step) % 10);
}

/* Trains STEPS steps (dropout on: keep_prob 0.6) on the graph imported with default_device; each
 * step's loss in losses, and the first conv layer's weights after the last step. */
static TF_Tensor *train(const char *default_device, float losses[STEPS])
{
    TF_Graph *g = import_cnn(default_device);
    TF_Session *sess = new_test_session(g, NULL, 0);
    TF_Operation *init[2] = { op_named(g, "init"), op_named(g, "train/init_slots") }; /* in this order */
    TF_Status *s = TF_NewStatus();
    for (int i = 0; i < 2; i++) {
        TF_SessionRun(sess, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&init[i], 1, NULL, s);
        assert_ok(s);
    }
    TF_Operation *apply = op_named(g, "train/apply_done");
    TF_Output feeds[3] = { { op_named(g, "images"), 0 }, { op_named(g, "labels"), 0 }, { op_named(g, "keep_prob"), 0 } };
    TF_Output loss = { op_named(g, "loss"), 0 };
    for (int step = 0; step < STEPS; step++) {
        TF_Tensor *in[3], *out = NULL;
        make_batch(step, &in[0], &in[1]);
        in[2] = TF_AllocateTensor(TF_FLOAT, NULL, 0, sizeof(float));
        *(float *)TF_TensorData(in[2]) = 0.6f;
        TF_SessionRun(sess, NULL, feeds, in, 3, &loss, &out, 1, (const TF_Operation *const *)&apply, 1, NULL, s);
        assert_ok(s);
        losses[step] = *(const float *)TF_TensorData(out);
        for (int i = 0; i < 3; i++) TF_DeleteTensor(in[i]);
        TF_DeleteTensor(out);
    }
    TF_DeleteStatus(s);
    TF_Output w = { op_named(g, "conv1/kernel/read"), 0 };
    TF_Tensor *weights = fetch_ok(sess, w);
    close_test_session(sess);
    TF_DeleteGraph(g);
    return weights;
}

static void test_training_steps_match_cpu(void **state)
{
    (void)state;
    float gpu_loss[STEPS], cpu_loss[STEPS];
    TF_Tensor *gpu = train(NULL, gpu_loss), *cpu = train("/device:CPU:0", cpu_loss);
    for (int i = 0; i < STEPS; i++) {
        printf("step %d: loss %.7f on the GPU, %.7f on the CPU\n", i, gpu_loss[i], cpu_loss[i]);
        assert_true(isfinite(cpu_loss[i]) && cpu_loss[i] > 0);
        if (fabsf(gpu_loss[i] - cpu_loss[i]) > 1e-4f * cpu_loss[i])
            fail_msg("step %d: loss %.7f on the GPU, %.7f on the CPU", i, gpu_loss[i], cpu_loss[i]);
    }
    assert_true(cpu_loss[STEPS - 1] != cpu_loss[0]); /* the steps trained */
    assert_close(gpu, cpu, 1e-3, 1e-5, "conv1 weights after the steps");
    TF_DeleteTensor(gpu);
    TF_DeleteTensor(cpu);
}

int main(void)
{
    if (gpu_suite_skip_without_gpu("test_gpu_mnist_cnn")) return 77;
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_training_steps_match_cpu) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
