/* fuzz_deflate: compresses a fuzz input with zlib, so the readers' checks also run behind an
 * inflating stream (fuzz_idx_read, fuzz_tfrecord_read). */
#ifndef TFC_FUZZ_DEFLATE_H_
#define TFC_FUZZ_DEFLATE_H_
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { FUZZ_ZLIB = 15, FUZZ_GZIP = 15 + 16 }; /* deflateInit2 windowBits */

/* data compressed into a new malloc'd buffer (NULL when zlib fails); *out_len gets its size. */
static inline uint8_t *fuzz_deflate(const uint8_t *data, size_t size, int window_bits, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    size_t cap = deflateBound(&z, size);
    uint8_t *out = malloc(cap ? cap : 1);
    z.next_in = (uint8_t *)data;
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
#endif
