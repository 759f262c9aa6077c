/* options: TF_SessionOptions — target, the serialized ConfigProto of TF_SetConfig, and tfc's typed
 * setters (TFC_SessionOptionsSet*), so C programs need not hand-encode a ConfigProto. */
#include <string.h>

#include "config.pb-c.h"
#include "core/alloc.h"
#include "session/session.h"

TF_SessionOptions *TF_NewSessionOptions(void)
{
    TF_SessionOptions *o = tfc_calloc(1, sizeof *o);
    if (!o) return NULL;
    o->target = tfc_strdup("");
    o->gpu_visible_devices = tfc_strdup("");
    if (!o->target || !o->gpu_visible_devices) {
        TF_DeleteSessionOptions(o);
        return NULL;
    }
    o->max_gpus = -1;
    return o;
}

void TF_DeleteSessionOptions(TF_SessionOptions *o)
{
    if (!o) return;
    tfc_free(o->target);
    tfc_free(o->gpu_visible_devices);
    tfc_free(o);
}

void TF_SetTarget(TF_SessionOptions *o, const char *target)
{
    if (!o) return;
    char *copy = tfc_strdup(target ? target : "");
    if (!copy) return; /* out of memory: keep the old target */
    tfc_free(o->target);
    o->target = copy;
}

void TF_SetConfig(TF_SessionOptions *o, const void *proto, size_t proto_len, TF_Status *st)
{
    if (!o || (!proto && proto_len)) {
        tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SetConfig: NULL options or config bytes");
        return;
    }
    Tensorflow__ConfigProto *c = tensorflow__config_proto__unpack(NULL, proto_len, proto);
    if (!c) {
        tfc_status_set(st, TF_INVALID_ARGUMENT, "Unparseable ConfigProto");
        return;
    }
    if (c->intra_op_parallelism_threads < 0 || c->inter_op_parallelism_threads < 0) {
        tfc_status_set(st, TF_INVALID_ARGUMENT, "ConfigProto: negative thread count (intra %d, inter %d)",
                       c->intra_op_parallelism_threads, c->inter_op_parallelism_threads);
        tensorflow__config_proto__free_unpacked(c, NULL);
        return;
    }
    const Tensorflow__GPUOptions *g = c->gpu_options;
    if (g && (g->per_process_gpu_memory_fraction < 0 || g->per_process_gpu_memory_fraction > 1)) {
        tfc_status_set(st, TF_INVALID_ARGUMENT,
                       "ConfigProto: gpu_options.per_process_gpu_memory_fraction %g is not in [0, 1]",
                       g->per_process_gpu_memory_fraction);
        tensorflow__config_proto__free_unpacked(c, NULL);
        return;
    }
    char *visible = tfc_strdup(g && g->visible_device_list ? g->visible_device_list : "");
    if (!visible) {
        tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory reading a ConfigProto");
        tensorflow__config_proto__free_unpacked(c, NULL);
        return;
    }
    tfc_free(o->gpu_visible_devices);
    o->gpu_visible_devices = visible;
    o->gpu_memory_fraction = g ? g->per_process_gpu_memory_fraction : 0;
    o->gpu_allow_growth = g && g->allow_growth;
    o->log_device_placement = c->log_device_placement;
    o->intra_op_threads = c->intra_op_parallelism_threads;
    o->inter_op_threads = c->inter_op_parallelism_threads;
    o->allow_soft_placement = c->allow_soft_placement;
    o->max_gpus = -1;
    for (size_t i = 0; i < c->n_device_count; i++)
        if (c->device_count[i]->key && !strcmp(c->device_count[i]->key, "GPU")) o->max_gpus = c->device_count[i]->value;
    tensorflow__config_proto__free_unpacked(c, NULL);
    tfc_status_clear(st);
}

void TFC_SessionOptionsSetIntraOpThreads(TF_SessionOptions *o, int threads)
{
    if (o) o->intra_op_threads = threads > 0 ? threads : 0;
}

void TFC_SessionOptionsSetInterOpThreads(TF_SessionOptions *o, int threads)
{
    if (o) o->inter_op_threads = threads > 0 ? threads : 0;
}

void TFC_SessionOptionsSetAllowSoftPlacement(TF_SessionOptions *o, unsigned char allow)
{
    if (o) o->allow_soft_placement = allow != 0;
}

int TFC_SessionOptionsGetIntraOpThreads(const TF_SessionOptions *o) { return o ? o->intra_op_threads : 0; }
int TFC_SessionOptionsGetInterOpThreads(const TF_SessionOptions *o) { return o ? o->inter_op_threads : 0; }
