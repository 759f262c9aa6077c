/* model_files: sessions, GraphDef files and checkpoints for the examples (see model_files.h). */
#include "model_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <tfc/c_api.h>

TF_Session *ex_session(TF_Graph *g, int threads, TF_Status *status)
{
    TF_SessionOptions *opts = TF_NewSessionOptions();
    TFC_SessionOptionsSetInterOpThreads(opts, threads);
    TFC_SessionOptionsSetIntraOpThreads(opts, threads);
    TF_Session *s = TF_NewSession(g, opts, status);
    TF_DeleteSessionOptions(opts);
    return s;
}

void ex_close_session(TF_Session *s)
{
    if (!s) return;
    TF_Status *status = TF_NewStatus();
    TF_CloseSession(s, status);
    TF_DeleteSession(s, status);
    TF_DeleteStatus(status);
}

int ex_save_graph(TF_Graph *g, const char *dir, const char *file, TF_Status *status)
{
    char path[4096];
    if (mkdir(dir, 0777) && errno != EEXIST) {
        perror(dir);
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s", dir, file);
    TF_Buffer *def = TF_NewBuffer();
    TF_GraphToGraphDef(g, def, status);
    int rc = TF_GetCode(status) != TF_OK;
    FILE *f = rc ? NULL : fopen(path, "wb");
    if (!rc && (!f || fwrite(def->data, 1, def->length, f) != def->length)) rc = 1;
    if (f && fclose(f)) rc = 1;
    if (rc && TF_GetCode(status) == TF_OK) perror(path);
    TF_DeleteBuffer(def);
    return rc;
}

/* The whole file as a TF_Buffer, or NULL (with a message). */
static TF_Buffer *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    char *data = NULL;
    size_t len = 0, cap = 0, got = 0;
    do {
        if (len == cap) {
            char *grown = realloc(data, cap = cap ? 2 * cap : 65536);
            if (!grown) break;
            data = grown;
        }
        got = fread(data + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    int bad = ferror(f) || len == cap;
    fclose(f);
    TF_Buffer *buf = bad ? NULL : TF_NewBufferFromString(data, len);
    if (bad) fprintf(stderr, "cannot read %s\n", path);
    free(data);
    return buf;
}

int ex_import_graph(TF_Graph *g, const char *path, TF_Status *status)
{
    TF_Buffer *def = read_file(path);
    if (!def) return 1;
    TF_ImportGraphDefOptions *io = TF_NewImportGraphDefOptions();
    TF_GraphImportGraphDef(g, def, io, status);
    TF_DeleteImportGraphDefOptions(io);
    TF_DeleteBuffer(def);
    return TF_GetCode(status) != TF_OK;
}

int ex_init_and_restore(TF_Session *s, TF_Operation *init, const char *ckpt_prefix, TF_Status *status)
{
    /* Variables exist once a step has run their initialiser; the restore then overwrites them. */
    TF_SessionRun(s, NULL, NULL, NULL, 0, NULL, NULL, 0, (const TF_Operation *const *)&init, 1, NULL, status);
    if (TF_GetCode(status) == TF_OK) TFC_RestoreVariables(s, ckpt_prefix, status);
    return TF_GetCode(status) != TF_OK;
}
