/* data: MNIST-format IDX files (MNIST, Fashion-MNIST) into uint8 tensors, via TFC_ReadIDX. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mnist.h"

/* <dir>/<name>-<what> or, failing that, the same with .gz. */
static void find_file(char *path, size_t size, const char *dir, const char *name, const char *what)
{
    snprintf(path, size, "%s/%s-%s", dir, name, what);
    if (access(path, R_OK) == 0) return;
    snprintf(path, size, "%s/%s-%s.gz", dir, name, what);
}

static TF_Tensor *read_idx(const char *dir, const char *name, const char *what, int rank, TF_Status *status)
{
    char path[4096];
    find_file(path, sizeof path, dir, name, what);
    TF_Tensor *t = TFC_ReadIDX(path, status);
    if (mnist_check(status, "reading the data")) return NULL;
    int ok = TF_TensorType(t) == TF_UINT8 && TF_NumDims(t) == rank &&
             (rank == 1 || (TF_Dim(t, 1) == MNIST_ROWS && TF_Dim(t, 2) == MNIST_COLS));
    if (!ok) {
        fprintf(stderr, "mnist: %s is not %s\n", path, rank == 1 ? "uint8 [n] labels" : "uint8 [n, 28, 28] images");
        TF_DeleteTensor(t);
        return NULL;
    }
    return t;
}

/* The first n slices of t (a copy), or t itself when it has no more. */
static TF_Tensor *head(TF_Tensor *t, int64_t n)
{
    if (n <= 0 || n >= TF_Dim(t, 0)) return t;
    int64_t dims[3];
    for (int i = 0; i < TF_NumDims(t); i++) dims[i] = TF_Dim(t, i);
    size_t row = TF_TensorByteSize(t) / (size_t)dims[0];
    dims[0] = n;
    TF_Tensor *h = TF_AllocateTensor(TF_UINT8, dims, TF_NumDims(t), row * (size_t)n);
    if (h) memcpy(TF_TensorData(h), TF_TensorData(t), row * (size_t)n);
    TF_DeleteTensor(t);
    return h;
}

int mnist_load(const char *dir, const char *name, int64_t limit, mnist_split *out, TF_Status *status)
{
    out->images = read_idx(dir, name, "images-idx3-ubyte", 3, status);
    out->labels = out->images ? read_idx(dir, name, "labels-idx1-ubyte", 1, status) : NULL;
    if (!out->labels) goto fail;
    if (TF_Dim(out->images, 0) != TF_Dim(out->labels, 0)) {
        fprintf(stderr, "mnist: %s/%s: %lld images but %lld labels\n", dir, name,
                (long long)TF_Dim(out->images, 0), (long long)TF_Dim(out->labels, 0));
        goto fail;
    }
    const uint8_t *y = TF_TensorData(out->labels);
    for (int64_t i = 0; i < TF_Dim(out->labels, 0); i++)
        if (y[i] >= MNIST_CLASSES) {
            fprintf(stderr, "mnist: %s/%s: label %d of example %lld is not a digit\n", dir, name, y[i], (long long)i);
            goto fail;
        }
    out->images = head(out->images, limit);
    out->labels = head(out->labels, limit);
    if (out->images && out->labels && TF_Dim(out->images, 0) > 0) return 0;
    fprintf(stderr, "mnist: %s/%s: no examples\n", dir, name);
fail:
    mnist_free_split(out);
    return 1;
}

void mnist_free_split(mnist_split *s)
{
    TF_DeleteTensor(s->images);
    TF_DeleteTensor(s->labels);
    s->images = s->labels = NULL;
}
