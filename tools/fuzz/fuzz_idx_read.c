/* fuzz_idx_read: TFC_ReadIDX on the input as a plain file, then on the input gzip-compressed (so the
 * header and payload checks run behind the inflating stream too). Raw gzip inputs reach the gzip
 * path directly through the reader's magic-byte detection. */

#include "fuzz_deflate.h"
#include "fuzz_util.h"
#include "tfc/data.h"

static void read_one(const char *path)
{
    TF_Status *st = TF_NewStatus();
    TF_Tensor *t = TFC_ReadIDX(path, st);
    if ((t != NULL) != (TF_GetCode(st) == TF_OK)) abort(); /* a tensor exactly when OK */
    if (t) {
        /* Touch every byte so a short buffer shows up under ASan. */
        const volatile unsigned char *p = TF_TensorData(t);
        unsigned sum = 0;
        for (size_t i = 0; i < TF_TensorByteSize(t); i++) sum += p[i];
        (void)sum;
        TF_DeleteTensor(t);
    }
    TF_DeleteStatus(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char plain[512], gz[512];
    fuzz_path(plain, sizeof plain, "input.idx");
    fuzz_path(gz, sizeof gz, "input.idx.gz");
    fuzz_write(plain, data, size);
    read_one(plain);
    size_t n = 0;
    uint8_t *z = fuzz_deflate(data, size, FUZZ_GZIP, &n);
    if (z) {
        fuzz_write(gz, z, n);
        read_one(gz);
        free(z);
    }
    unlink(plain);
    unlink(gz);
    return 0;
}
