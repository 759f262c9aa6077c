/* model_files: what the examples share around a saved model — sessions, and the GraphDef file
 * and checkpoint a model directory holds. Errors are left in `status` for the caller to report
 * (with what it was doing); file errors are printed with perror and return nonzero, status OK. */
#ifndef EXAMPLES_MODEL_FILES_H_
#define EXAMPLES_MODEL_FILES_H_
#include <tensorflow/c/c_api.h>

/* A session on g with `threads` inter-op and intra-op threads. */
TF_Session *ex_session(TF_Graph *g, int threads, TF_Status *status);
/* Closes and deletes s (NULL is fine). */
void ex_close_session(TF_Session *s);

/* Creates dir (it may exist) and writes g's GraphDef to dir/file. 0 on success. */
int ex_save_graph(TF_Graph *g, const char *dir, const char *file, TF_Status *status);
/* Imports the GraphDef in the file at path into g (no prefix). 0 on success. */
int ex_import_graph(TF_Graph *g, const char *path, TF_Status *status);
/* Runs `init` (which creates the variables), then restores every variable from the checkpoint
 * at ckpt_prefix. 0 on success. */
int ex_init_and_restore(TF_Session *s, TF_Operation *init, const char *ckpt_prefix, TF_Status *status);

#endif
