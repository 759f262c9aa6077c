/* checkpoint: TFC_SaveVariables / TFC_RestoreVariables (tfc/checkpoint.h) — every variable of a
 * session's resource manager saved to or restored from a tensor bundle, by shared name. */
#include <stdio.h>
#include <string.h>
#include "core/alloc.h"
#include "io/bundle.h"
#include "session/resource.h"
#include "session/session.h"
#include "session/variable.h"
#include "tfc/checkpoint.h"

typedef struct var_list {
    tfc_var **v;
    int n, cap;
    int oom;
} var_list;

static void collect(const char *container, const char *name, tfc_object *o, void *arg)
{
    var_list *l = arg;
    if (tfc_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        l->oom = 1;
        return;
    }
    tfc_object_ref(o);
    l->v[l->n++] = (tfc_var *)o;
}

static void release(var_list *l)
{
    for (int i = 0; i < l->n; i++) tfc_var_unref(l->v[i]);
    tfc_free(l->v);
}

/* "name" or "container/name" (tfc_malloc'd). */
static char *key_of(const tfc_var *v)
{
    const char *c = v->container ? v->container : "", *n = v->name ? v->name : "";
    size_t len = strlen(c) + strlen(n) + 2;
    char *k = tfc_malloc(len);
    if (k) {
        if (*c) snprintf(k, len, "%s/%s", c, n);
        else snprintf(k, len, "%s", n);
    }
    return k;
}

static TF_Code get_vars(TF_Session *s, const char *prefix, var_list *l, TF_Status *st, const char *what)
{
    memset(l, 0, sizeof *l);
    if (!s || !prefix || !*prefix)
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "%s: session and prefix must be given", what);
    if (!s->resources) return TF_OK;
    tfc_resource_for_each(s->resources, TFC_OBJECT_VARIABLE, collect, l);
    if (l->oom) {
        release(l);
        return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "%s: out of memory", what);
    }
    return TF_OK;
}

/* Saves variable v (if initialised) into w; *saved counts the saved ones. */
static TF_Code save_one(tfc_bundle_writer *w, tfc_var *v, int *saved, TF_Status *st)
{
    TF_Tensor *t = NULL;
    pthread_mutex_lock(&v->mu);
    if (v->value && !v->destroyed) t = tfc_tensor_ref(v->value);
    bool had = v->value && !v->destroyed;
    pthread_mutex_unlock(&v->mu);
    if (!had) return TF_OK;
    if (t && !tfc_tensor_on_host(t)) { /* a GPU variable: the bundle is written from host memory */
        TF_Tensor *host = NULL;
        TF_Code rc = tfc_tensor_copy(t, &host, st);
        TF_DeleteTensor(t);
        if (rc) return rc;
        t = host;
    }
    char *key = key_of(v);
    TF_Code rc = !t || !key ? tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory")
                            : tfc_bundle_writer_add(w, key, t, st);
    if (!rc) (*saved)++;
    tfc_free(key);
    TF_DeleteTensor(t);
    return rc;
}

void TFC_SaveVariables(TF_Session *session, const char *prefix, TF_Status *status)
{
    var_list l;
    if (get_vars(session, prefix, &l, status, "TFC_SaveVariables")) return;
    tfc_status_clear(status);
    tfc_bundle_writer *w;
    TF_Code rc = tfc_bundle_writer_new(prefix, &w, status);
    int saved = 0;
    for (int i = 0; !rc && i < l.n; i++) rc = save_one(w, l.v[i], &saved, status);
    if (!rc && saved == 0)
        rc = tfc_status_set(status, TF_INVALID_ARGUMENT, "the session has no initialised variable to save");
    if (rc) tfc_bundle_writer_abort(w);
    else tfc_bundle_writer_finish(w, status);
    release(&l);
    if (!tfc_ok(status)) tfc_status_prefix(status, "TFC_SaveVariables: ");
}

/* Reads every variable's value into vals[i] (all or nothing). */
static TF_Code read_all(tfc_bundle_reader *r, var_list *l, TF_Tensor **vals, const char *prefix, TF_Status *st)
{
    for (int i = 0; i < l->n; i++) {
        char *key = key_of(l->v[i]);
        if (!key) return tfc_status_set(st, TF_RESOURCE_EXHAUSTED, "out of memory");
        TF_Code rc = tfc_bundle_read(r, key, &vals[i], st);
        if (!rc && vals[i]->dtype != l->v[i]->dtype)
            rc = tfc_status_set(st, TF_INVALID_ARGUMENT, "variable '%s' has dtype %s but checkpoint '%s' holds "
                                "%s", key, tfc_dtype_name(l->v[i]->dtype), prefix,
                                tfc_dtype_name(vals[i]->dtype));
        tfc_free(key);
        if (rc) return rc;
    }
    return TF_OK;
}

void TFC_RestoreVariables(TF_Session *session, const char *prefix, TF_Status *status)
{
    var_list l;
    if (get_vars(session, prefix, &l, status, "TFC_RestoreVariables")) return;
    tfc_status_clear(status);
    tfc_bundle_reader *r = NULL;
    TF_Tensor **vals = tfc_calloc((size_t)(l.n ? l.n : 1), sizeof *vals);
    TF_Code rc = vals ? TF_OK : tfc_status_set(status, TF_RESOURCE_EXHAUSTED, "out of memory");
    if (!rc) rc = tfc_bundle_reader_open(prefix, &r, status);
    if (!rc) rc = read_all(r, &l, vals, prefix, status);
    for (int i = 0; !rc && i < l.n; i++) {
        pthread_mutex_lock(&l.v[i]->mu);
        TF_Tensor *old = l.v[i]->value;
        l.v[i]->value = vals[i];
        vals[i] = NULL;
        pthread_mutex_unlock(&l.v[i]->mu);
        TF_DeleteTensor(old);
    }
    for (int i = 0; vals && i < l.n; i++) TF_DeleteTensor(vals[i]);
    tfc_free(vals);
    tfc_bundle_reader_free(r);
    release(&l);
    if (!tfc_ok(status)) tfc_status_prefix(status, "TFC_RestoreVariables: ");
}
