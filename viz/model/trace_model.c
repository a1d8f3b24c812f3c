/* trace_model.c — loading a trace into the model: the store, the facts, the keyframes.
 * Seeking and the state's getters are model_state.c; output and navigation model_nav.c; how an
 * event changes the state model_fold.c; sentences model_explain.c; lanes model_lane.c; text
 * dumps model_text.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "trace_prefetch.h"

#define DEFAULT_KEY_INTERVAL 512
/* Keyframes are spaced so that they cost at most this many bytes per event on average. */
#define KEY_BYTES_PER_EVENT 16
/* Ids are given in creation order, one per creating event, so a trace of N events has ids up to
 * about N.  The model's tables are dense by id, so an id is refused beyond N + AW_MODEL_ID_SLACK: with
 * this one total budget (not a per-line jump, which N lines could repeat N times), memory stays
 * proportional to the file's size whatever ids the file claims. */

/* ---- facts ------------------------------------------------------------------------------------ */

typedef struct loader {
    aw_model *m;
    const aw_model_state *st; /* the state before the event being loaded (who is running) */
    const char *name;
    long line;               /* the file line of the event being loaded */
    char *msg;
    size_t msglen;
} loader;

/* "FILE:LINE: reason", as the reader reports its problems. */
__attribute__((format(printf, 2, 3))) static bool refuse(loader *L, const char *fmt, ...)
{
    int n = snprintf(L->msg, L->msglen, "%s:%ld: ", L->name, L->line);
    if (n < 0 || (size_t)n >= L->msglen) return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->msg + n, L->msglen - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

/* Makes room for a newly created id in a dense table of `size`-byte entries.  Refuses an id that
 * exists already or jumps absurdly far: the model would be wrong, or huge. */
static bool new_id(loader *L, void **table, size_t *n, size_t *cap, size_t size, int64_t id, const char *what,
                   int64_t existing_step)
{
    if ((uint64_t)id < *n && existing_step)
        return refuse(L, "%s %lld is created twice (first by event %lld)", what, (long long)id,
                      (long long)existing_step);
    uint64_t budget = (uint64_t)L->m->store.n + AW_MODEL_ID_SLACK;
    if ((uint64_t)id > budget)
        return refuse(L, "%s id %lld is beyond the id budget of this trace (%llu: %d + one per event so far); ids "
                      "are given in creation order, so the highest so far is %zu",
                      what, (long long)id, (unsigned long long)budget, AW_MODEL_ID_SLACK, *n ? *n - 1 : 0);
    if ((uint64_t)id >= *n) {
        if (!aw__grow(table, cap, (size_t)id + 1, size))
            return refuse(L, "out of memory");
        memset((char *)*table + *n * size, 0, ((size_t)id + 1 - *n) * size);
        *n = (size_t)id + 1;
    }
    return true;
}

static bool new_future(loader *L, const aw_model_event *ev, int64_t id, bool is_task)
{
    aw_model *m = L->m;
    int64_t existing = (uint64_t)id < m->nfut ? m->futs[id].created_step : 0;
    if (!new_id(L, (void **)&m->futs, &m->nfut, &m->fut_cap, sizeof *m->futs, id, is_task ? "task" : "future",
                existing))
        return false;
    mfut *f = &m->futs[id];
    f->created_step = ev->step;
    f->created_line = ev->line > 0 && ev->line <= INT32_MAX && ev->file && !strcmp(ev->file, m->source_file) ? (int32_t)ev->line : 0;
    f->done_step = AW__NEVER;
    f->is_task = is_task;
    if (is_task) {
        if (!aw__grow((void **)&m->task_ids, &m->task_cap, m->ntasks + 1, sizeof *m->task_ids) ||
            !aw__grow((void **)&m->task_facts, &m->task_facts_cap, m->ntasks + 1, sizeof *m->task_facts))
            return refuse(L, "out of memory");
        m->task_facts[m->ntasks] = (mtask_facts){.final_step = AW__NEVER};
        f->task_index = (uint32_t)m->ntasks;
        m->task_ids[m->ntasks++] = id;
        f->name = aw__mstore_sid(&m->store, ev->name);
        f->coro = aw__mstore_sid(&m->store, ev->coro_name);
        f->parent = ev->parent;
    } else {
        f->parent = ev->task;
    }
    return true;
}

static bool push_step(int64_t **a, size_t *n, size_t *cap, int64_t step)
{
    if (!aw__grow((void **)a, cap, *n + 1, sizeof **a)) return false;
    (*a)[(*n)++] = step;
    return true;
}

/* What the event establishes for good (see model_internal.h). */
static bool record_facts(loader *L, const aw_model_event *ev)
{
    aw_model *m = L->m;
    const mstore *s = &m->store;
    mfut *f;
    m->end_t = ev->t_ns;
    if (ev->file && ev->line > 0) {
        mloc l = {ev->step, aw__mstore_sid(s, ev->file), ev->line > INT32_MAX ? INT32_MAX : (int32_t)ev->line};
        /* A run of events at one place is kept as its first: the latest location at or before any
         * step (aw_model_location, the one reader) is the same, and half the entries go. */
        bool same = m->nlocs && m->locs[m->nlocs - 1].file == l.file && m->locs[m->nlocs - 1].line == l.line;
        if (!same) {
            if (!aw__grow((void **)&m->locs, &m->loc_cap, m->nlocs + 1, sizeof *m->locs)) goto oom;
            m->locs[m->nlocs++] = l;
        }
    }
    if (!aw__frames_record(m, ev)) goto oom;
    switch (ev->kind) {
    case AW_TK_TASK_CREATED: return new_future(L, ev, ev->task, true);
    case AW_TK_FUTURE_CREATED: return new_future(L, ev, ev->future, false);
    case AW_TK_GATHER:
        if ((f = (mfut *)aw__fut(m, ev->future, ev->step)) && !f->is_gather) {
            f->is_gather = 1;
            f->n_children = (uint32_t)ev->n_ids;
            f->children = ev->n_ids ? ev->ids - s->ids : 0;
        }
        break;
    case AW_TK_FUTURE_DONE:
        if ((f = (mfut *)aw__fut(m, ev->future, ev->step)) && f->done_step == AW__NEVER) {
            f->done_step = ev->step;
            f->done_reason = !strcmp(ev->reason, "result") ? MDONE_RESULT
                             : !strcmp(ev->reason, "exception") ? MDONE_EXCEPTION : MDONE_CANCELLED;
            f->result = aw__mstore_sid(s, ev->result);
            if (!f->exc) f->exc = aw__mstore_sid(s, ev->exc);
            f->message = aw__mstore_sid(s, ev->message);
            f->done_by = ev->by;
        }
        break;
    case AW_TK_SYNC: {
        if (ev->op && !strcmp(ev->op, "block") && (f = (mfut *)aw__fut(m, ev->future, ev->step)) && !f->sync_step)
            f->sync_step = ev->step;
        bool created = ev->op && !strcmp(ev->op, "created");
        int64_t existing = created && (uint64_t)ev->sync < m->nsync ? (m->syncs[ev->sync].n ? m->syncs[ev->sync].steps[0] : 0) : 0;
        if (created && !new_id(L, (void **)&m->syncs, &m->nsync, &m->sync_cap, sizeof *m->syncs, ev->sync,
                               "primitive", existing))
            return false;
        if ((uint64_t)ev->sync < m->nsync) { /* (events of a primitive made before tracing began: not kept) */
            msync *p = &m->syncs[ev->sync];
            if (!aw__grow((void **)&p->steps, &p->cap, p->n + 1, sizeof *p->steps)) return refuse(L, "out of memory");
            p->steps[p->n++] = ev->step;
        }
        break;
    }
    case AW_TK_NET: {
        bool created = ev->op && !strcmp(ev->op, "connect");
        int64_t existing = created && (uint64_t)ev->conn < m->nconn && m->conns[ev->conn].n ? m->conns[ev->conn].steps[0] : 0;
        if (created && !new_id(L, (void **)&m->conns, &m->nconn, &m->conn_cap, sizeof *m->conns, ev->conn,
                               "connection", existing))
            return false;
        /* (a listener's events have no connection; a connection made before tracing: not kept) */
        if (ev->conn && (uint64_t)ev->conn < m->nconn && !aw__model_net_record(m, ev)) return refuse(L, "out of memory");
        if (!aw__model_sockets_record(m, ev)) goto oom;
        break;
    }
    case AW_TK_STREAM:
        if (ev->future && (f = (mfut *)aw__fut(m, ev->future, ev->step)) && !f->sync_step) f->sync_step = ev->step;
        if (!aw__model_sockets_record(m, ev)) goto oom;
        break;
    case AW_TK_AWAIT:
        /* asyncio's own name for a future it made ("StreamReaderProtocol._closed"): a plain
         * future is "future", a task its name */
        if (ev->what && strcmp(ev->what, "future") && (f = (mfut *)aw__fut(m, ev->future, ev->step)) && !f->is_task &&
            !f->what_step) {
            f->what = aw__mstore_sid(s, ev->what);
            f->what_step = ev->step;
        }
        break;
    case AW_TK_STEP_END:
        if (ev->exc && (f = (mfut *)aw__fut(m, ev->task, ev->step)) && !f->exc) f->exc = aw__mstore_sid(s, ev->exc);
        break;
    case AW_TK_SCHEDULED: {
        int64_t existing = (uint64_t)ev->handle < m->nhandle ? m->handles[ev->handle].step : 0;
        if (!new_id(L, (void **)&m->handles, &m->nhandle, &m->handle_cap, sizeof *m->handles, ev->handle, "handle",
                    existing))
            return false;
        m->handles[ev->handle] = (mhandle){.step = (mstep)ev->step, .fired_step = AW__NEVER, .run_step = AW__NEVER,
                                           .callback = aw__mstore_sid(s, ev->callback), .deadline_ns = ev->deadline_ns,
                                           .task = ev->task, .future = ev->future,
                                           .by = L->st->running};
        if (ev->deadline_ns != AW_MODEL_NULL && (f = (mfut *)aw__fut(m, ev->future, ev->step))) {
            f->timer = ev->handle;
            f->timer_step = ev->step;
        }
        break;
    }
    case AW_TK_TIMER_FIRED:
        if (aw__handle(m, ev->handle, ev->step)) m->handles[ev->handle].fired_step = ev->step;
        break;
    case AW_TK_HANDLE_RUN:
        if (aw__handle(m, ev->handle, ev->step) && m->handles[ev->handle].run_step == AW__NEVER)
            m->handles[ev->handle].run_step = ev->step;
        break;
    case AW_TK_OUTPUT:
        if (!push_step(&m->outputs, &m->noutputs, &m->out_cap, ev->step)) goto oom;
        break;
    default: break;
    }
    return true;
oom:
    return refuse(L, "out of memory");
}

/* ---- loading ---------------------------------------------------------------------------------- */

static size_t snapshot_bytes(const aw_model_state *st)
{
    return st->nlive * (sizeof(int64_t) + sizeof(mtask)) + (st->ntimers + st->nready) * sizeof(int64_t);
}

static void set_error(aw_model_error *err, aw_trace_status st, const char *msg)
{
    if (!err) return;
    err->status = st;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static bool load_events(aw_model *m, aw_trace_reader *r, aw_trace_prefetch *prefetch, aw_model_state *st,
                        aw_model_error *err)
{
    loader L = {m, st, m->name, 0, err ? err->message : NULL, err ? sizeof err->message : 0};
    char scratch[1024];
    if (!L.msg) {
        L.msg = scratch;
        L.msglen = sizeof scratch;
    }
    aw_trace_event rev;
    aw_model_event ev;
    int64_t last_key = 0;
    if (!aw__fold_snapshot(st, m)) goto oom;
    while ((prefetch ? aw_trace_prefetch_next(prefetch, &rev) : aw_trace_reader_next(r, &rev)) > 0) {
        L.line = rev.line;
        if (m->store.n >= AW__MAX_EVENTS) { /* the facts' steps are 32-bit (model_internal.h) */
            refuse(&L, "more than %lld events: the viewers hold at most that many", (long long)AW__MAX_EVENTS);
            if (err) err->status = AW_TRACE_INVALID;
            return false;
        }
        if (!aw__mstore_append(&m->store, &rev, &ev)) goto oom;
        if (!record_facts(&L, &ev)) {
            if (err) err->status = AW_TRACE_INVALID;
            return false;
        }
        if (!aw__fold_apply(st, &ev)) goto oom;
        int64_t since = ev.step - last_key;
        if (since >= m->key_interval && (size_t)since * KEY_BYTES_PER_EVENT >= snapshot_bytes(st)) {
            if (!aw__fold_snapshot(st, m)) goto oom;
            last_key = ev.step;
        }
    }
    if (prefetch && aw_trace_prefetch_out_of_memory(prefetch)) goto oom;
    return true;
oom:
    if (err) {
        err->status = AW_TRACE_IO;
        snprintf(err->message, sizeof err->message, "%s: out of memory while loading the trace", m->name);
    }
    return false;
}

/* Loads from an open reader, which it closes. */
static aw_model *load_reader(aw_trace_reader *r, const aw_model_options *opts, aw_model_error *err)
{
    if (!r) {
        set_error(err, AW_TRACE_IO, "out of memory");
        return NULL;
    }
    const char *name = aw_trace_reader_name(r);
    aw_model *m = calloc(1, sizeof *m);
    aw_model_state *st = NULL;
    if (!m || !(m->name = strdup(name)) || !aw__mstore_init(&m->store)) goto oom;
    if (aw_trace_reader_status(r) != AW_TRACE_OK) {
        set_error(err, aw_trace_reader_status(r), aw_trace_reader_message(r));
        goto fail;
    }
    const aw_trace_header *h = aw_trace_reader_header(r);
    m->header = *h;
    m->program = h->program ? strdup(h->program) : NULL;
    m->clock = strdup(h->clock ? h->clock : "");
    if ((h->program && !m->program) || !m->clock) goto oom;
    m->header.program = m->program;
    m->header.clock = m->clock;
    /* The program's source: an event with a line and no file is in it. */
    m->source = h->source ? strdup(h->source) : NULL;
    m->source_file = strdup(h->source_file ? h->source_file : "<source>");
    if ((h->source && !m->source) || !m->source_file) goto oom;
    m->header.source = m->source;
    m->header.source_file = h->source_file ? m->source_file : NULL;
    if (!(m->store.default_file = aw__mstore_intern(&m->store, m->source_file))) goto oom;
    m->key_interval = opts && opts->keyframe_interval > 0 ? opts->keyframe_interval : DEFAULT_KEY_INTERVAL;

    st = calloc(1, sizeof *st);
    if (!st) goto oom;
    st->m = m;
    st->rec = m;
    aw_trace_reader_values_only(r); /* the store encodes the values: no cJSON tree per line */
    /* The reader runs a batch ahead on a second thread when one can be started (the events and
     * so the model are the same either way); it is stopped before its status is read. */
    aw_trace_prefetch *prefetch = aw_trace_prefetch_start(r);
    bool loaded = load_events(m, r, prefetch, st, err);
    aw_trace_prefetch_stop(prefetch);
    if (!loaded) goto fail;
    m->status = aw_trace_reader_status(r);
    switch (m->status) {
    case AW_TRACE_OK: break;
    case AW_TRACE_TRUNCATED:
    case AW_TRACE_UNFINISHED: snprintf(m->warning, sizeof m->warning, "%s", aw_trace_reader_message(r)); break;
    default: set_error(err, m->status, aw_trace_reader_message(r)); goto fail;
    }
    aw_model_state_free(st);
    aw_trace_reader_close(r);
    return m;
oom:
    set_error(err, AW_TRACE_IO, "out of memory");
fail:
    aw_model_state_free(st);
    aw_model_free(m);
    aw_trace_reader_close(r);
    return NULL;
}

aw_model *aw_model_load_file(FILE *f, const char *name, const aw_model_options *opts, aw_model_error *err)
{
    return load_reader(aw_trace_reader_open_file_limits(f, name, opts ? &opts->limits : NULL), opts, err);
}

aw_model *aw_model_load(const char *path, const aw_model_options *opts, aw_model_error *err)
{
    return load_reader(aw_trace_reader_open_limits(path, opts ? &opts->limits : NULL), opts, err);
}

void aw_model_free(aw_model *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->ntasks; i++) free(m->task_facts[i].hist);
    free(m->task_facts);
    free(m->futs);
    free(m->handles);
    for (size_t i = 0; i < m->nsync; i++) free(m->syncs[i].steps);
    free(m->syncs);
    for (size_t i = 0; i < m->nconn; i++) {
        free(m->conns[i].steps);
        free(m->conns[i].snaps);
    }
    free(m->conns);
    free(m->socks);
    free(m->stream_sock);
    free(m->task_ids);
    free(m->outputs);
    free(m->locs);
    free(m->keys);
    free(m->kbytes);
    aw__mstore_free(&m->store);
    free(m->program);
    free(m->clock);
    free(m->source);
    free(m->source_file);
    free(m->frames);
    free(m->library_bits);
    free(m->far_coros);
    free(m->far_flags);
    free(m->name);
    free(m);
}

aw_trace_status aw_model_status(const aw_model *m) { return m->status; }
bool aw_model_truncated(const aw_model *m) { return m->status == AW_TRACE_TRUNCATED; }
const char *aw_model_warning(const aw_model *m) { return m->warning; }
const aw_trace_header *aw_model_header(const aw_model *m) { return &m->header; }
const char *aw_model_name(const aw_model *m) { return m->name; }
int64_t aw_model_event_count(const aw_model *m) { return m->store.n; }
int64_t aw_model_end_time(const aw_model *m) { return m->end_t; }
int64_t aw_model_task_total(const aw_model *m) { return (int64_t)m->ntasks; }

size_t aw_model_memory(const aw_model *m)
{
    size_t n = sizeof *m + aw__mstore_memory(&m->store) + m->fut_cap * sizeof *m->futs +
               m->handle_cap * sizeof *m->handles + m->task_cap * sizeof *m->task_ids +
               m->out_cap * sizeof *m->outputs + m->loc_cap * sizeof *m->locs + m->key_cap * sizeof *m->keys +
               m->kcap + m->task_facts_cap * sizeof *m->task_facts;
    for (size_t i = 0; i < m->ntasks; i++) n += m->task_facts[i].hcap * sizeof(mtrans);
    return n;
}

/* ---- events ----------------------------------------------------------------------------------- */

bool aw_model_event_get(const aw_model *m, int64_t step, aw_model_event *ev)
{
    return aw__mstore_get(&m->store, step, ev);
}

cJSON *aw_model_event_json(const aw_model *m, int64_t step)
{
    aw_model_event ev;
    return aw__mstore_get(&m->store, step, &ev) ? aw__mstore_json(&m->store, &ev) : NULL;
}
