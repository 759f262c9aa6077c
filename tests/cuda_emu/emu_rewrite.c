/* emu_rewrite: turns a .cu file into C++ for the CUDA emulator (see emu_device.h). Every kernel
 * launch `kernel<T, U><<<grid, block, shared, stream>>>(args)` becomes
 * `tfc_emu_launch([=](auto... a) { kernel<T, U>(a...); }, grid, block, shared, stream)(args)` (a
 * lambda, so a kernel template's arguments are deduced from the call as nvcc does); the rest is copied as it is,
 * newlines included, so the compiler's line numbers stay those of the .cu file (a #line names it).
 *   emu_rewrite IN.cu OUT.cpp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (buf) *len = n;
    return buf;
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
}

/* Where the kernel expression ending just before `end` starts: a (qualified) name, maybe with one
 * template argument list `<...>` (balanced) after it. */
static size_t kernel_start(const char *s, size_t end)
{
    size_t i = end;
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n')) i--;
    if (i > 0 && s[i - 1] == '>') {
        int depth = 0;
        do {
            i--;
            if (s[i] == '>') depth++;
            else if (s[i] == '<') depth--;
        } while (i > 0 && depth > 0);
    }
    while (i > 0 && is_name_char(s[i - 1])) i--;
    return i;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    char *s = argc == 3 ? read_all(argv[1], &n) : NULL;
    if (!s) {
        fprintf(stderr, "usage: emu_rewrite IN.cu OUT.cpp (could not read the input)\n");
        return 2;
    }
    FILE *out = fopen(argv[2], "wb");
    if (!out) {
        fprintf(stderr, "emu_rewrite: cannot write %s\n", argv[2]);
        return 2;
    }
    fprintf(out, "#line 1 \"%s\"\n", argv[1]);
    size_t copied = 0; /* s[0, copied) is written */
    for (size_t at = 0; at + 3 <= n; at++) {
        if (memcmp(s + at, "<<<", 3)) continue;
        const char *close = strstr(s + at + 3, ">>>");
        size_t k = kernel_start(s, at);
        if (!close || k < copied || k == at) {
            fprintf(stderr, "emu_rewrite: %s: a launch at byte %zu has no kernel name or no >>>\n", argv[1], at);
            return 1;
        }
        size_t cfg = at + 3, cfg_end = (size_t)(close - s);
        fwrite(s + copied, 1, k - copied, out);
        fputs("tfc_emu_launch([=](auto... tfc_emu_a) { ", out);
        fwrite(s + k, 1, at - k, out);
        fputs("(tfc_emu_a...); }, ", out);
        fwrite(s + cfg, 1, cfg_end - cfg, out);
        fputs(")", out);
        copied = at = cfg_end + 3;
        at--; /* the loop's at++ */
    }
    fwrite(s + copied, 1, n - copied, out);
    free(s);
    return fclose(out) ? 1 : 0;
}
