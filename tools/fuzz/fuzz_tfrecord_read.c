/* fuzz_tfrecord_read: TFC_RecordReader over the input, under all three compressions.
 * Byte 0 chooses how the rest is used: bit 0 set means "fix the CRCs" — walk the framing and write
 * correct length and data checksums, so the fuzzer gets past the checksums to lengths, truncation
 * and payloads. The (possibly fixed) bytes are then read as a plain file, as a zlib stream and as a
 * gzip stream (reaching inflate's error paths), and once more deflated by us into zlib and gzip
 * files (so the framing checks run behind inflation too). */

#include "core/crc32c.h"
#include "fuzz_deflate.h"
#include "fuzz_util.h"
#include "tfc/data.h"

#define MAX_RECORDS 100000 /* bounds the work per input; a reader must end long before this anyway */

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void fix_crcs(uint8_t *p, size_t n)
{
    size_t off = 0;
    while (n - off >= 12) {
        uint64_t len = le64(p + off);
        put_le32(p + off + 8, tfc_crc32c_mask(tfc_crc32c(p + off, 8)));
        if (len > n - off - 12 || n - off - 12 - len < 4) return;
        put_le32(p + off + 12 + len, tfc_crc32c_mask(tfc_crc32c(p + off + 12, (size_t)len)));
        off += 16 + (size_t)len;
    }
}

static void read_all(const char *path, TFC_Compression c)
{
    TF_Status *st = TF_NewStatus();
    TFC_RecordReader *r = TFC_NewRecordReader(path, c, st);
    if ((r != NULL) != (TF_GetCode(st) == TF_OK)) abort();
    const void *rec;
    size_t n;
    int more = r != NULL, i = 0;
    for (; more && i < MAX_RECORDS; i++) {
        more = TFC_RecordReaderNext(r, &rec, &n, st);
        if (more && TF_GetCode(st) != TF_OK) abort(); /* a record is only returned with OK */
        const volatile uint8_t *b = rec;
        unsigned sum = 0;
        for (size_t k = 0; more && k < n; k++) sum += b[k];
        (void)sum;
    }
    /* After the end (or an error) the reader must stay stopped. */
    if (r && !more && TFC_RecordReaderNext(r, &rec, &n, st)) abort();
    TFC_DeleteRecordReader(r);
    TF_DeleteStatus(st);
}

static void read_deflated(const char *path, const uint8_t *p, size_t n, int window_bits, TFC_Compression c)
{
    size_t zn = 0;
    uint8_t *z = fuzz_deflate(p, n, window_bits, &zn);
    if (!z) return;
    fuzz_write(path, z, zn);
    free(z);
    read_all(path, c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    size_t n = size - 1;
    uint8_t *p = malloc(n ? n : 1);
    if (!p) abort();
    memcpy(p, data + 1, n);
    if (data[0] & 1) fix_crcs(p, n);
    char path[512];
    fuzz_path(path, sizeof path, "input.tfrecord");
    fuzz_write(path, p, n);
    read_all(path, TFC_COMPRESSION_NONE);
    read_all(path, TFC_COMPRESSION_ZLIB);
    read_all(path, TFC_COMPRESSION_GZIP);
    read_deflated(path, p, n, FUZZ_ZLIB, TFC_COMPRESSION_ZLIB);
    read_deflated(path, p, n, FUZZ_GZIP, TFC_COMPRESSION_GZIP);
    unlink(path);
    free(p);
    return 0;
}
