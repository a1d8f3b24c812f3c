/* model_text.c — the model as plain text: a dump of one state (what the tests compare: every
 * getter, one fact a line) and the listing of a whole trace that `awaitlab step --plain` prints
 * when there is no terminal to draw on. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_text_check.h"
#include "model_internal.h"
#include "text_escape.h"

typedef struct dbuf {
    char *p;
    size_t len, cap;
    bool oom;
} dbuf;

__attribute__((format(printf, 2, 3))) static void add(dbuf *d, const char *fmt, ...)
{
    if (d->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(d->p ? d->p + d->len : NULL, d->p ? d->cap - d->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            d->oom = true;
            return;
        }
        if (d->p && d->len + (size_t)n < d->cap) {
            d->len += (size_t)n;
            return;
        }
        if (!aw__grow((void **)&d->p, &d->cap, d->len + (size_t)n + 256, 1)) {
            d->oom = true;
            return;
        }
    }
}

static const char *nz(const char *s) { return s ? s : "-"; }

char *aw_model_state_dump(const aw_model_state *st)
{
    const aw_model *m = st->m;
    dbuf d = {0};
    char b[512], t1[48];
    add(&d, "step %lld/%lld iter %lld t=%s running %lld\n", (long long)st->step, (long long)m->store.n,
        (long long)st->iter, aw_model_format_step_time(m, st->step, st->t_ns, t1, sizeof t1), (long long)st->running);
    for (size_t i = 0; i < aw_model_task_count(st); i++) {
        aw_model_task t;
        if (!aw_model_task_at(st, i, &t)) continue;
        add(&d, "task %lld '%s' %s() parent %lld created %lld: %s on %lld since %lld/%lld cancelling %d%s "
                "timeout %lld at %s:%d result %s exc %s message %s | %s\n",
            (long long)t.id, nz(t.name), nz(t.coro), (long long)t.parent, (long long)t.created_step,
            aw_model_state_name(t.state), (long long)t.on, (long long)t.since_step, (long long)t.since_t_ns,
            t.cancelling, t.cancel_pending ? " pending" : "", (long long)t.timeout_ns, nz(t.file), t.line,
            nz(t.result), nz(t.exc), nz(t.message), aw_model_task_describe(st, &t, b, sizeof b));
    }
    for (size_t i = 0; i < aw_model_timer_count(st); i++) {
        aw_model_timer tm;
        aw_model_timer_at(st, i, &tm);
        add(&d, "timer %lld due %s %s task %lld future %lld\n", (long long)tm.handle,
            aw_model_format_time(tm.deadline_ns, t1, sizeof t1), nz(tm.callback), (long long)tm.task,
            (long long)tm.future);
    }
    add(&d, "ready");
    for (size_t i = 0; i < aw_model_ready_count(st); i++) add(&d, " %lld", (long long)aw_model_ready_at(st, i));
    const char *file;
    int line;
    if (aw_model_location(st, NULL, &file, &line)) add(&d, "\nlocation %s:%d", file, line);
    size_t nout = aw_model_output_count(m, st->step);
    add(&d, "\noutput %zu lines", nout);
    if (nout) {
        aw_model_output o;
        aw_model_output_at(m, nout - 1, &o);
        add(&d, ", last \"%s\"", o.text);
    }
    add(&d, "\n");
    if (d.oom) {
        free(d.p);
        return NULL;
    }
    return d.p;
}

/* One line of the listing: formatted, then written through text_escape.h, since names, output
 * and file names come from the trace and must not reach a terminal raw. */
__attribute__((format(printf, 2, 3))) static void line(FILE *out, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    buf[aw_utf8_prefix(buf, strlen(buf))] = '\0'; /* a cut line ends between characters */
    aw_text_escape_fputs(buf, out);
    fputc('\n', out);
}

void aw_model_print_listing(const aw_model *m, FILE *out)
{
    const aw_trace_header *h = &m->header;
    int64_t n = m->store.n;
    char b[1024], t1[48];
    line(out, "%s: %lld events, %s clock%s", h->program ? h->program : m->name, (long long)n,
            h->clock ? h->clock : "?",
            m->status == AW_TRACE_TRUNCATED ? " (truncated)" : m->status == AW_TRACE_UNFINISHED ? " (unfinished)" : "");
    /* line: the Python line the event comes from; "-" where the loop itself acts */
    line(out, "  step  time     iter  line  what happens");
    char now[48] = "";           /* the loop time, exact, carried from the first event at it */
    int64_t now_ns = -1;
    for (int64_t s = 1; s <= n; s++) {
        aw_model_event ev;
        aw__mstore_get(&m->store, s, &ev);
        if (ev.t_ns != now_ns || (ev.exact && strstr(ev.exact, "\"t\":"))) {
            aw_model_format_event_time(&ev, "t", ev.t_ns, now, sizeof now);
            now_ns = ev.t_ns;
        }
        char ln[16] = "-";
        int l = aw_model_event_line(m, s);
        if (l > 0) snprintf(ln, sizeof ln, "%d", l);
        line(out, "%6lld  %-8s %4lld  %4s  %s", (long long)s, now,
                (long long)ev.iter, ln, aw_model_explain(m, s, b, sizeof b));
        if (ev.kind == AW_TK_OUTPUT) line(out, "%27s| %s", "", ev.text ? ev.text : "");
    }
    if (m->warning[0]) line(out, "warning: %s", m->warning);
    aw_model_state *st = aw_model_state_new(m);
    if (!st || aw_model_seek(st, n) < 0) {
        aw_model_state_free(st);
        return;
    }
    line(out, "At the end (t=%s):", aw_model_format_step_time(m, st->step, st->t_ns, t1, sizeof t1));
    int wname = 4, wcoro = 4; /* columns as wide as the longest name */
    for (size_t i = 0; i < aw_model_task_count(st); i++) {
        aw_model_task t;
        aw_model_task_at(st, i, &t);
        if ((int)strlen(nz(t.name)) > wname) wname = (int)strlen(nz(t.name));
        if ((int)strlen(nz(t.coro)) > wcoro) wcoro = (int)strlen(nz(t.coro));
    }
    for (size_t i = 0; i < aw_model_task_count(st); i++) {
        aw_model_task t;
        aw_model_task_at(st, i, &t);
        line(out, "  %-*s %-*s %s", wname, nz(t.name), wcoro, nz(t.coro),
                aw_model_task_describe(st, &t, b, sizeof b));
    }
    size_t nout = aw_model_output_count(m, n);
    line(out, "Output (%zu line%s):", nout, nout == 1 ? "" : "s");
    for (size_t i = 0; i < nout; i++) {
        aw_model_output o;
        aw_model_output_at(m, i, &o);
        line(out, "  [%s] %s", aw_model_format_step_time(m, o.step, o.t_ns, t1, sizeof t1), o.text);
    }
    aw_model_state_free(st);
}
