/* session: error reporting and test-set evaluation shared by `mnist train` and `mnist eval`. */
#include <stdio.h>
#include <string.h>

#include "mnist.h"

int mnist_check(TF_Status *status, const char *what)
{
    if (TF_GetCode(status) == TF_OK) return 0;
    fprintf(stderr, "mnist: %s: %s\n", what, TF_Message(status));
    return 1;
}

static void no_free(void *data, size_t len, void *arg) { (void)data, (void)len, (void)arg; }

/* A tensor viewing rows [from, from + n) of t (which must outlive it). */
static TF_Tensor *rows(const TF_Tensor *t, int64_t from, int64_t n)
{
    int64_t dims[3];
    int nd = TF_NumDims(t);
    for (int i = 0; i < nd; i++) dims[i] = TF_Dim(t, i);
    size_t row = TF_TensorByteSize(t) / (size_t)dims[0];
    dims[0] = n;
    return TF_NewTensor(TF_UINT8, dims, nd, (char *)TF_TensorData(t) + row * (size_t)from, row * (size_t)n,
                        no_free, NULL);
}

int mnist_evaluate(TF_Session *s, const mnist_model *m, const mnist_split *test, double *loss, double *acc,
                   TF_Status *status)
{
    enum { BATCH = 1000 };
    int64_t n = TF_Dim(test->images, 0);
    double loss_sum = 0, correct = 0;
    for (int64_t i = 0; i < n; i += BATCH) {
        int64_t k = n - i < BATCH ? n - i : BATCH;
        TF_Tensor *in[2] = { rows(test->images, i, k), rows(test->labels, i, k) }, *out[2] = { NULL, NULL };
        TF_Output feeds[2] = { m->images, m->labels }, fetches[2] = { m->loss, m->correct };
        if (in[0] && in[1])
            TF_SessionRun(s, NULL, feeds, in, 2, fetches, out, 2, NULL, 0, NULL, status);
        else
            TF_SetStatus(status, TF_RESOURCE_EXHAUSTED, "cannot make the batch tensors");
        if (TF_GetCode(status) == TF_OK) {
            loss_sum += *(const float *)TF_TensorData(out[0]) * (double)k;
            correct += *(const float *)TF_TensorData(out[1]);
        }
        for (int j = 0; j < 2; j++) {
            TF_DeleteTensor(in[j]);
            TF_DeleteTensor(out[j]);
        }
        if (mnist_check(status, "evaluation")) return 1;
    }
    *loss = loss_sum / (double)n;
    *acc = correct / (double)n;
    return 0;
}
