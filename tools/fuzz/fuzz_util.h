/* fuzz_util: helpers shared by the fuzz targets (tools/fuzz/fuzz_*.c) — a private scratch directory
 * per process and whole-file writes into it, because the readers under test take paths.
 * Both the libFuzzer build (TFC_FUZZ) and the plain replay driver (replay_main.c) include this. */
#ifndef TFC_FUZZ_UTIL_H_
#define TFC_FUZZ_UTIL_H_
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_dir_remove(void);

/* The scratch directory (created once; tmpfs when there is one, so inputs never touch a disk).
 * Aborts on failure: without it no target can run, and that is the harness's fault, not the input's. */
static inline const char *fuzz_dir(void)
{
    static char dir[256];
    if (dir[0]) return dir;
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/tfc-fuzz-XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(fuzz_dir_remove);
    return dir;
}

/* Removes the (by then empty: every target unlinks its files) scratch directory at exit. */
static inline void fuzz_dir_remove(void)
{
    rmdir(fuzz_dir());
}

/* "<dir>/<name>" in a static buffer of the caller's. */
static inline const char *fuzz_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", fuzz_dir(), name);
    return buf;
}

/* Writes data[0..size) to path (replacing it). Aborts on I/O failure (a harness fault). */
static inline void fuzz_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}
#endif
