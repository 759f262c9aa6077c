/* fuzz_csv_read: TFC_ReadCSV on the input with an automatic header, then with one header row and
 * the label in column 0. Returned tensors must agree with each other (rows) and be fully readable. */
#include "fuzz_util.h"
#include "tfc/data.h"

static void read_one(const char *path, int header_rows, int label_column)
{
    TF_Status *st = TF_NewStatus();
    TF_Tensor *x = NULL, *y = NULL;
    TFC_ReadCSV(path, header_rows, &x, &y, label_column, st);
    if (TF_GetCode(st) == TF_OK) {
        if (!x || !y || TF_NumDims(x) != 2 || TF_NumDims(y) != 1 || TF_Dim(x, 0) != TF_Dim(y, 0)) abort();
        const volatile float *f = TF_TensorData(x);
        const volatile int32_t *l = TF_TensorData(y);
        float s = 0;
        for (size_t i = 0; i < TF_TensorByteSize(x) / sizeof(float); i++) s += f[i];
        for (size_t i = 0; i < TF_TensorByteSize(y) / sizeof(int32_t); i++) s += (float)l[i];
        (void)s;
    } else if (x || y) {
        abort(); /* no tensors on error */
    }
    TF_DeleteTensor(x);
    TF_DeleteTensor(y);
    TF_DeleteStatus(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512];
    fuzz_path(path, sizeof path, "input.csv");
    fuzz_write(path, data, size);
    read_one(path, TFC_CSV_AUTO_HEADER, -1);
    read_one(path, 1, 0);
    unlink(path);
    return 0;
}
