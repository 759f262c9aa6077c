/* partial_run: TF_SessionPRunSetup, TF_SessionPRun and TF_DeletePRunHandle — one step fed and
 * fetched over several calls, as TensorFlow's partial_run. Setup plans the step for the declared
 * feeds, fetches and targets and starts it on the control-flow executor (which can take its feeds
 * one by one); each PRun feeds some declared inputs and waits for some declared outputs; once every
 * feed is fed and every fetch fetched, the step is finished (targets included) and forgotten.
 * Partial runs still open when the session is deleted are cancelled. */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtype.h"
#include "session/cf.h"
#include "session/session.h"

typedef struct tfc_prun {
    char *handle;
    tfc_plan *plan;
    tfc_cf_run *run;
    bool *fed, *fetched;
    int n_fed, n_fetched;
    struct tfc_prun *next;
} tfc_prun;

static void prun_free(tfc_prun *r, bool cancel, TF_Status *st)
{
    if (!r) return;
    if (r->run && cancel) tfc_cf_run_abort(r->run);
    else if (r->run) tfc_cf_run_finish(r->run, st);
    tfc_plan_free(r->plan);
    tfc_free(r->handle);
    tfc_free(r->fed);
    tfc_free(r->fetched);
    tfc_free(r);
}

static TF_Code check_setup(TF_Session *s, const TF_Output *in, int ni, const TF_Output *out, int no,
                           const TF_Operation *const *targets, int nt, const char **handle, TF_Status *st)
{
    if (!s || !handle || ni < 0 || no < 0 || nt < 0 || (ni && !in) || (no && !out) || (nt && !targets))
        return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionPRunSetup: NULL argument or negative count");
    for (int i = 0; i < ni; i++)
        if (tfc_session_check_output(s, in[i], "input", i, st)) return st->code;
    for (int i = 0; i < no; i++)
        if (tfc_session_check_output(s, out[i], "output", i, st)) return st->code;
    for (int i = 0; i < nt; i++)
        if (!targets[i] || targets[i]->graph != s->graph)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "TF_SessionPRunSetup: target %d is NULL or not in the "
                                  "graph", i);
    return TF_OK;
}

void TF_SessionPRunSetup(TF_Session *s, const TF_Output *inputs, int ninputs, const TF_Output *outputs,
                         int noutputs, const TF_Operation *const *target_opers, int ntargets, const char **handle,
                         TF_Status *status)
{
    if (handle) *handle = NULL;
    if (check_setup(s, inputs, ninputs, outputs, noutputs, target_opers, ntargets, handle, status)) return;
    tfc_prun *r = tfc_calloc(1, sizeof *r);
    char name[64];
    pthread_mutex_lock(&s->mu);
    snprintf(name, sizeof name, "tfc_prun_%d", ++s->prun_counter);
    pthread_mutex_unlock(&s->mu);
    if (r) {
        r->handle = tfc_strdup(name);
        r->fed = tfc_calloc((size_t)ninputs + 1, sizeof(bool));
        r->fetched = tfc_calloc((size_t)noutputs + 1, sizeof(bool));
    }
    char *user_handle = tfc_strdup(name);
    if (!r || !r->handle || !r->fed || !r->fetched || !user_handle) {
        tfc_free(user_handle);
        prun_free(r, false, NULL);
        tfc_status_set(status, TF_RESOURCE_EXHAUSTED, "TF_SessionPRunSetup: out of memory");
        return;
    }
    if (tfc_plan_build(s, inputs, ninputs, outputs, noutputs, target_opers, ntargets, &r->plan, status) ||
        (!r->plan->cf && tfc_cf_plan_build(r->plan, true, status)) ||
        tfc_cf_run_start(s, r->plan, NULL, 0, &r->run, status)) {
        tfc_free(user_handle);
        prun_free(r, false, NULL);
        return;
    }
    pthread_mutex_lock(&s->mu);
    r->next = s->pruns;
    s->pruns = r;
    pthread_mutex_unlock(&s->mu);
    *handle = user_handle;
    tfc_status_clear(status);
}

void TF_DeletePRunHandle(const char *handle) { tfc_free((void *)handle); }

static int find_output(const TF_Output *list, int n, TF_Output o)
{
    for (int i = 0; i < n; i++)
        if (list[i].oper == o.oper && list[i].index == o.index) return i;
    return -1;
}

/* Maps this call's feeds and fetches onto the setup's, checking each is declared and new. */
static TF_Code map_call(const tfc_prun *r, const TF_Output *in, int ni, const TF_Output *out, int no, int *feed_ix,
                        int *fetch_ix, TF_Status *st)
{
    const tfc_plan *p = r->plan;
    for (int i = 0; i < ni; i++) {
        int f = feed_ix[i] = find_output(p->feeds, p->n_feeds, in[i]);
        if (f < 0)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "The feed %s:%d was not specified in partial_run_setup.",
                                  in[i].oper->name, in[i].index);
        if (r->fed[f]) return tfc_status_set(st, TF_INVALID_ARGUMENT, "The feed %s:%d has already been fed.",
                                             in[i].oper->name, in[i].index);
    }
    for (int i = 0; i < no; i++) {
        int f = fetch_ix[i] = find_output(p->fetches, p->n_fetches, out[i]);
        if (f < 0)
            return tfc_status_set(st, TF_INVALID_ARGUMENT, "The fetch %s:%d was not specified in "
                                  "partial_run_setup.", out[i].oper->name, out[i].index);
        if (r->fetched[f]) return tfc_status_set(st, TF_INVALID_ARGUMENT, "The fetch %s:%d has already been fetched.",
                                                 out[i].oper->name, out[i].index);
    }
    return TF_OK;
}

static tfc_prun *find_prun(TF_Session *s, const char *handle, bool unlink)
{
    pthread_mutex_lock(&s->mu);
    tfc_prun **pp = &s->pruns;
    while (*pp && strcmp((*pp)->handle, handle)) pp = &(*pp)->next;
    tfc_prun *r = *pp;
    if (r && unlink) *pp = r->next;
    pthread_mutex_unlock(&s->mu);
    return r;
}

/* Feeds and fetches of one call (already mapped onto the setup's indices). */
static TF_Code prun_call(tfc_prun *r, const int *feed_ix, TF_Tensor *const *values, int ni, const int *fetch_ix,
                         TF_Tensor **out_values, int no, TF_Status *st)
{
    TF_Code rc = TF_OK;
    for (int i = 0; !rc && i < ni; i++) {
        rc = tfc_cf_run_feed(r->run, feed_ix[i], values[i], st);
        if (!rc) r->fed[feed_ix[i]] = true, r->n_fed++;
    }
    if (!rc) rc = tfc_cf_run_fetch(r->run, fetch_ix, no, out_values, st);
    if (!rc) rc = tfc_tensors_to_host(out_values, no, st);
    for (int i = 0; !rc && i < no; i++) r->fetched[fetch_ix[i]] = true, r->n_fetched++;
    return rc;
}

void TF_SessionPRun(TF_Session *s, const char *handle, const TF_Output *inputs, TF_Tensor *const *input_values,
                    int ninputs, const TF_Output *outputs, TF_Tensor **output_values, int noutputs,
                    const TF_Operation *const *target_opers, int ntargets, TF_Status *status)
{
    (void)target_opers, (void)ntargets; /* targets were declared at setup and run with the step */
    for (int i = 0; output_values && i < noutputs; i++) output_values[i] = NULL;
    tfc_status_clear(status);
    if (!s || !handle) {
        tfc_status_set(status, TF_INVALID_ARGUMENT, "TF_SessionPRun: NULL session or handle");
        return;
    }
    if (tfc_session_check_args(s, inputs, input_values, ninputs, outputs, output_values, noutputs, NULL, 0, status))
        return;
    tfc_prun *r = find_prun(s, handle, false);
    if (!r) {
        tfc_status_set(status, TF_INVALID_ARGUMENT, "TF_SessionPRun: no partial run with handle '%s' (finished, "
                       "or never set up)", handle);
        return;
    }
    int *feed_ix = tfc_calloc((size_t)ninputs + (size_t)noutputs + 1, sizeof(int)), *fetch_ix = feed_ix + ninputs;
    if (!feed_ix) {
        tfc_status_set(status, TF_RESOURCE_EXHAUSTED, "TF_SessionPRun: out of memory");
        return;
    }
    /* A feed or fetch outside the declared sets is the caller's mistake: the step goes on. */
    if (map_call(r, inputs, ninputs, outputs, noutputs, feed_ix, fetch_ix, status)) {
        tfc_free(feed_ix);
        return;
    }
    TF_Code rc = prun_call(r, feed_ix, input_values, ninputs, fetch_ix, output_values, noutputs, status);
    tfc_free(feed_ix);
    if (rc || (r->n_fed == r->plan->n_feeds && r->n_fetched == r->plan->n_fetches)) {
        find_prun(s, handle, true); /* done (or failed): finish the step and forget it */
        TF_Status finish = { 0 };
        prun_free(r, rc != TF_OK, &finish);
        if (!rc && finish.code != TF_OK) tfc_status_copy(status, &finish);
        tfc_status_clear(&finish);
        return;
    }
    tfc_status_clear(status);
}

void tfc_partial_runs_free(TF_Session *s)
{
    while (s->pruns) {
        tfc_prun *r = s->pruns;
        s->pruns = r->next;
        prun_free(r, true, NULL);
    }
}
