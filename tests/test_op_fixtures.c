/* Op values against real TensorFlow: runs every tests/data/<family>_cases.txt file written by the
 * generators under tools/ (see tests/fixture.h for the format). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "ops/op_def.h"

/* True when some fixture file has a case of op `name`. */
static int has_fixture(const char *dir, const char *name)
{
    char needle[160], path[4096], line[512];
    snprintf(needle, sizeof needle, "op %s\n", name);
    DIR *d = opendir(dir);
    int found = 0;
    for (struct dirent *e; d && !found && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 10 || strcmp(e->d_name + len - 10, "_cases.txt")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        while (f && !found && fgets(line, sizeof line, f)) found = !strcmp(line, needle);
        if (f) fclose(f);
    }
    if (d) closedir(d);
    return found;
}

/* Every registered op is checked against TensorFlow, except those with no value to compute. */
static void test_every_op_has_fixtures(void **state)
{
    (void)state;
    /* Graph plumbing, and the ops that create or destroy variables: a single-op case cannot show
     * them; tests/test_variables.c covers them across steps. */
    static const char *const exempt[] = { "Placeholder", "Const", "NoOp", "VariableV2", "Variable",
                                          "VarHandleOp", "DestroyResourceOp",
                                          /* file and string ops (the case format has no strings, and
                                           * these write files): tests/test_checkpoint.c covers them */
                                          "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename",
                                          "ShardedFilespec", "StringJoin",
                                          /* control flow: a single op outside a loop frame cannot show
                                           * them (dead ports, frames); tests/test_control_flow.c does */
                                          "Switch", "RefSwitch", "Merge", "RefMerge", "Enter", "RefEnter",
                                          "Exit", "RefExit", "NextIteration", "RefNextIteration", "LoopCond",
                                          "ControlTrigger",
                                          /* queues: state shared across steps and threads, which a
                                           * single-op case cannot show; tests/test_queue.c does */
                                          "FIFOQueueV2", "PaddingFIFOQueueV2", "RandomShuffleQueueV2",
                                          "QueueEnqueueV2", "QueueEnqueueManyV2", "QueueDequeueV2",
                                          "QueueDequeueManyV2", "QueueDequeueUpToV2", "QueueCloseV2",
                                          "QueueSizeV2", "QueueIsClosedV2" };
    const char *dir = getenv("TFC_TEST_DATA");
    if (!dir) dir = TFC_TEST_DATA_DIR;
    int missing = 0;
    for (int i = 0; i < tfc_op_count(); i++) {
        const char *name = tfc_op_at(i)->name;
        int skip = 0;
        for (size_t j = 0; j < sizeof exempt / sizeof exempt[0]; j++) skip |= !strcmp(exempt[j], name);
        if (skip || has_fixture(dir, name)) continue;
        printf("no TensorFlow fixture for op %s\n", name);
        missing++;
    }
    assert_int_equal(missing, 0);
}

static void test_all_fixture_files(void **state)
{
    (void)state;
    const char *dir = getenv("TFC_TEST_DATA");
    if (!dir) dir = TFC_TEST_DATA_DIR; /* run outside ctest */
    DIR *d = opendir(dir);
    assert_non_null(d);
    int files = 0, total_failures = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 10 || strcmp(e->d_name + len - 10, "_cases.txt")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        /* On the CPU, where TensorFlow made the fixtures ("error cpu" cases pass on a GPU). */
        int n = 0, run = 0, failures = fixture_run_file_on(path, "/device:CPU:0", "CPU", &n, &run);
        printf("%-40s %4d cases, %d failed\n", e->d_name, n, failures);
        assert_true(failures >= 0);
        assert_true(n > 0);
        assert_int_equal(run, n);
        total_failures += failures;
        files++;
    }
    closedir(d);
    assert_true(files > 0);
    assert_int_equal(total_failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_fixture_files),
        cmocka_unit_test(test_every_op_has_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
