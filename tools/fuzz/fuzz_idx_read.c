/* fuzz_idx_read: TFC_ReadIDX on the input as a plain file, then on the input gzip-compressed (so the
 * header and payload checks run behind the inflating stream too). Raw gzip inputs reach the gzip
 * path directly through the reader's magic-byte detection. */
#include <zlib.h>

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

/* data gzip-compressed into a new malloc'd buffer (NULL when zlib fails). */
static unsigned char *gzip_bytes(const uint8_t *data, size_t size, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    size_t cap = deflateBound(&z, size);
    unsigned char *out = malloc(cap ? cap : 1);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)size;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = out ? deflate(&z, Z_FINISH) : Z_MEM_ERROR;
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char plain[512], gz[512];
    fuzz_path(plain, sizeof plain, "input.idx");
    fuzz_path(gz, sizeof gz, "input.idx.gz");
    fuzz_write(plain, data, size);
    read_one(plain);
    size_t n = 0;
    unsigned char *z = gzip_bytes(data, size, &n);
    if (z) {
        fuzz_write(gz, z, n);
        read_one(gz);
        free(z);
    }
    unlink(plain);
    unlink(gz);
    return 0;
}
