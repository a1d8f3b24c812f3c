/* model_words.c — the program's words for what the loop handles: tasks by name, futures by what
 * they are ("Task-2", "the sleep(2) of Task-1", "the gather of Task-2 and Task-3", "the Future
 * made at line 15", "data on the client's end of TCP connection 1 (read)"), callbacks by what
 * they will do.  One vocabulary for the sentences, the loop
 * pane and the snapshot, so that a learner reads the same words everywhere; never an internal id
 * where the program has a name for the thing. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model_internal.h"

void aw__wput(aw__words *w, const char *fmt, ...)
{
    if (w->len + 1 >= w->size) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->buf + w->len, w->size - w->len, fmt, ap);
    va_end(ap);
    if (n > 0) w->len = w->len + (size_t)n < w->size ? w->len + (size_t)n : w->size - 1;
}

void aw__words_task(aw__words *w, const aw_model *m, int64_t step, int64_t id)
{
    const mfut *f = aw__fut(m, id, step);
    const char *name = f && f->is_task ? aw__str(m, f->name) : NULL;
    if (name) aw__wput(w, "%s", name);
    else aw__wput(w, "task %lld", (long long)id);
}

/* Seconds as the program wrote them: 2, 0.5, 1.25. */
void aw__words_seconds(aw__words *w, int64_t ns)
{
    char b[48];
    if (ns % 1000000000 == 0) snprintf(b, sizeof b, "%lld", (long long)(ns / 1000000000));
    else {
        snprintf(b, sizeof b, "%.9f", (double)ns / 1e9);
        char *e = b + strlen(b) - 1;
        while (*e == '0') *e-- = '\0';
    }
    aw__wput(w, "%s", b);
}

/* The timer behind a future, if a sleep made it: its duration. */
static bool sleep_of(const aw_model *m, int64_t step, const mfut *f, int64_t *duration)
{
    const mhandle *h = f->timer && f->timer_step <= step ? aw__handle(m, f->timer, step) : NULL;
    const char *cb = h ? aw__str(m, h->callback) : NULL;
    if (!h || !cb || strcmp(cb, "sleep") != 0 || h->deadline_ns == AW_MODEL_NULL) return false;
    *duration = h->deadline_ns - aw_model_step_time(m, h->step);
    return true;
}

void aw__words_future(aw__words *w, const aw_model *m, int64_t step, int64_t id)
{
    const mfut *f = aw__fut(m, id, step);
    if (!f) {
        aw__wput(w, "future %lld", (long long)id);
        return;
    }
    if (f->is_task) {
        aw__words_task(w, m, step, id);
        return;
    }
    int64_t d;
    if (sleep_of(m, step, f, &d)) {
        aw__wput(w, "the sleep(");
        aw__words_seconds(w, d);
        aw__wput(w, ")");
        if (f->parent) {
            aw__wput(w, " of ");
            aw__words_task(w, m, step, f->parent);
        }
        return;
    }
    if (f->is_gather) {
        aw__wput(w, "the gather of ");
        uint32_t shown = f->n_children < 3 ? f->n_children : 3;
        for (uint32_t i = 0; i < shown; i++) {
            if (i) aw__wput(w, i + 1 == f->n_children ? " and " : ", ");
            aw__words_future(w, m, step, m->store.ids[f->children + i]);
        }
        if (f->n_children > shown) aw__wput(w, " and %u more", f->n_children - shown);
        if (!f->n_children) aw__wput(w, "nothing");
        return;
    }
    aw_model_sync sy;
    if (aw_model_sync_waiter(m, step, id, &sy)) {
        aw__words_sync(w, sy.primitive, sy.id, sy.name);
        aw__wput(w, " (%s)", sy.call ? sy.call : "wait");
        return;
    }
    aw_model_event se;
    if (aw__stream_waiter(m, step, id, &se)) {
        const char *op = se.op ? se.op : "";
        if (!strcmp(op, "connect")) { /* "the connection to ('127.0.0.1', 8888)": the address the program gave */
            aw__wput(w, "the connection to %s", se.value ? se.value : "?");
            int64_t conn = aw__stream_conn(m, step, se.stream);
            if (conn) aw__wput(w, " (TCP connection %lld)", (long long)conn);
            return;
        }
        if (!strcmp(op, "wait")) aw__wput(w, "data on ");
        else if (!strcmp(op, "drain")) aw__wput(w, "the drain of ");
        else if (!strcmp(op, "connected")) aw__wput(w, "the transport waiter of "); /* done once connection_made ran */
        else if (!strcmp(op, "wait_closed") || !strcmp(op, "lost")) aw__wput(w, "the close of ");
        aw__words_stream(w, m, step, se.stream);
        if (!strcmp(op, "wait")) aw__wput(w, " (%s)", se.value ? se.value : "read");
        return;
    }
    const char *what = f->what_step && f->what_step <= step ? aw__str(m, f->what) : NULL;
    if (what) aw__wput(w, "asyncio's %s", what); /* "asyncio's Server.wait_closed waiter" */
    else if (f->created_line) aw__wput(w, "the Future made at line %d", f->created_line);
    else aw__wput(w, "a Future of asyncio's (%lld)", (long long)id);
}

bool aw__stream_waiter(const aw_model *m, int64_t step, int64_t future, aw_model_event *ev)
{
    const mfut *f = aw__fut(m, future, step);
    return f && f->sync_step && f->sync_step <= step && aw__mstore_get(&m->store, f->sync_step, ev) &&
           ev->kind == AW_TK_STREAM;
}

void aw__words_sync(aw__words *w, const char *primitive, int64_t id, const char *name)
{
    if (name && *name) aw__wput(w, "%s '%s'", primitive ? primitive : "primitive", name);
    else aw__wput(w, "%s #%lld", primitive ? primitive : "primitive", (long long)id);
}

bool aw_model_sync_waiter(const aw_model *m, int64_t step, int64_t future, aw_model_sync *out)
{
    const mfut *f = aw__fut(m, future, step);
    aw_model_event ev;
    if (!f || !f->sync_step || f->sync_step > step || !aw__mstore_get(&m->store, f->sync_step, &ev) || ev.kind != AW_TK_SYNC)
        return false;
    if (out) *out = (aw_model_sync){ev.sync, ev.primitive, ev.value, ev.name, ev.step};
    return true;
}

bool aw_model_waiting_on(const aw_model_state *st, int64_t task, aw_model_sync *out)
{
    aw_model_task t;
    if (!aw_model_task_get(st, task, &t) || t.state != AW_MODEL_WAITING) return false;
    return aw_model_sync_waiter(st->m, st->step, t.on, out);
}

void aw__words_handle(aw__words *w, const aw_model *m, int64_t step, int64_t handle)
{
    const mhandle *h = aw__handle(m, handle, step);
    if (!h) {
        aw__wput(w, "handle %lld", (long long)handle);
        return;
    }
    const char *cb = aw__str(m, h->callback);
    cb = cb ? cb : "";
    if (!strcmp(cb, "task_step") && h->task) {
        const mfut *t = aw__fut(m, h->task, step);
        aw__words_task(w, m, step, h->task);
        /* create_task schedules the first step right after making the task; a bare yield
         * (sleep(0)) schedules the later ones */
        aw__wput(w, ": %s", t && h->step <= t->created_step + 1 ? "first step" : "next step (after sleep(0))");
    } else if (!strcmp(cb, "task_wakeup") && h->task) {
        aw__wput(w, "wake ");
        aw__words_task(w, m, step, h->task);
        if (h->future) {
            aw__wput(w, ": ");
            aw__words_future(w, m, step, h->future);
            const mfut *f = aw__fut(m, h->future, step);
            aw__wput(w, f && f->done_reason == MDONE_CANCELLED && f->done_step <= step ? " was cancelled" : " is done");
        }
    } else if (!strcmp(cb, "sleep") && h->task) {
        aw__wput(w, "end ");
        aw__words_future(w, m, step, h->future);
    } else if (!strcmp(cb, "timeout") && h->task) {
        aw__wput(w, "the timeout of ");
        aw__words_task(w, m, step, h->task);
        aw__wput(w, " (it cancels the task)");
    } else if (!strcmp(cb, "done_callback") && h->future) {
        aw__wput(w, "a done-callback of ");
        aw__words_future(w, m, step, h->future);
    } else if (*cb) {
        aw__wput(w, "call %s", cb);
    } else {
        aw__wput(w, "a callback");
    }
}

void aw__words_handle_noun(aw__words *w, const aw_model *m, int64_t step, int64_t handle)
{
    const mhandle *h = aw__handle(m, handle, step);
    const char *cb = h ? aw__str(m, h->callback) : NULL;
    cb = cb ? cb : "";
    if (!h) {
        aw__wput(w, "a callback");
    } else if (!strcmp(cb, "task_step") && h->task) {
        const mfut *t = aw__fut(m, h->task, step);
        bool first = t && h->step <= t->created_step + 1;
        aw__wput(w, "the %s step of ", first ? "first" : "next");
        aw__words_task(w, m, step, h->task);
        if (!first) aw__wput(w, " (after sleep(0))");
    } else if (!strcmp(cb, "task_wakeup") && h->task) {
        aw__wput(w, "the wake-up of ");
        aw__words_task(w, m, step, h->task);
    } else if (!strcmp(cb, "sleep") && h->future) {
        aw__wput(w, "the end of ");
        aw__words_future(w, m, step, h->future);
    } else if (!strcmp(cb, "timeout") && h->task) {
        aw__wput(w, "the timeout of ");
        aw__words_task(w, m, step, h->task);
    } else if (!strcmp(cb, "done_callback") && h->future) {
        aw__wput(w, "a done-callback of ");
        aw__words_future(w, m, step, h->future);
    } else if (*cb) {
        aw__wput(w, "the callback %s()", cb);
    } else {
        aw__wput(w, "a callback");
    }
}

size_t aw__source_line(const aw_model *m, int line, char *buf, size_t size)
{
    if (size) buf[0] = '\0';
    const char *p = m->source;
    if (!p || line < 1 || !size) return 0;
    for (int n = 1; n < line; n++) {
        p = strchr(p, '\n');
        if (!p) return 0;
        p++;
    }
    while (*p == ' ' || *p == '\t') p++;
    size_t len = strcspn(p, "\r\n");
    /* a comment ends the statement: `await tcp_echo_client('Hi')  # changed: ...`; a '#' inside
     * a string literal ('...' or "...", with backslash escapes) is not one */
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        if (quote) {
            if (p[i] == '\\') i++;
            else if (p[i] == quote) quote = 0;
        } else if (p[i] == '\'' || p[i] == '"') {
            quote = p[i];
        } else if (p[i] == '#') {
            len = i;
            break;
        }
    }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
    if (len >= size) len = size - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return len;
}

bool aw__words_await_text(aw__words *w, const aw_model *m, int line)
{
    char src[256];
    if (!aw__source_line(m, line, src, sizeof src)) return false;
    const char *a = strstr(src, "await ");
    if (!a) return false;
    aw__wput(w, "`%s`", a);
    return true;
}
