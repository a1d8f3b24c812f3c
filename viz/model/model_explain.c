/* model_explain.c — every event in one plain-English sentence that speaks Python, for a learner
 * who does not know the trace format: tasks by name, futures by what they are (model_words.c),
 * library actions as the library's ("wait_for's timeout expires: it cancels slow_operation() in
 * Task-1"), each wake-up with its cause (model_cause.c); lines are the Python example's, never a
 * C file's.  The sentence uses what the trace has said by that step (names, the timer behind a
 * future), never later facts. */
#include <ctype.h>
#include <strings.h>
#include <stdarg.h>
#include <string.h>

#include "json_text_check.h"
#include "model_internal.h"
#include "trace_fmt.h"

/* ---- a small appender: never overflows, always terminated ------------------------------------ */

typedef struct out {
    char *buf;
    size_t size, len;
} out;

__attribute__((format(printf, 2, 3))) static void put(out *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->size) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
    va_end(ap);
    if (n > 0 && o->len + (size_t)n < o->size) {
        o->len += (size_t)n;
    } else if (n > 0) { /* cut: never inside a character (a name may be UTF-8) */
        o->len = aw_utf8_prefix(o->buf, o->size - 1);
        o->buf[o->len] = '\0';
        o->size = o->len + 1; /* nothing more fits after a cut */
    }
}

char *aw_model_format_time(int64_t t_ns, char *buf, size_t size)
{
    char tmp[48];
    aw_trace_format_ns(t_ns, tmp, sizeof tmp); /* "1.500s" */
    size_t n = strlen(tmp);
    if (n && tmp[n - 1] == 's') tmp[n - 1] = '\0';
    snprintf(buf, size, "%s", tmp);
    return buf;
}

char *aw_model_format_event_time(const aw_model_event *ev, const char *key, int64_t ns, char *buf, size_t size)
{
    /* `exact` is {"t":0.30000000000000004,...}, its numbers written as Python's repr already:
     * the token is copied as it is. */
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *at = ev->exact ? strstr(ev->exact, pat) : NULL;
    if (!at) return aw_model_format_time(ns, buf, size);
    at += strlen(pat);
    size_t n = strspn(at, "0123456789.eE+-");
    if (n == 0 || n >= size) return aw_model_format_time(ns, buf, size);
    memcpy(buf, at, n);
    buf[n] = '\0';
    return buf;
}

static void put_time(out *o, int64_t t)
{
    char b[48];
    put(o, "%s", aw_model_format_time(t, b, sizeof b));
}

char *aw_model_format_step_time(const aw_model *m, int64_t step, int64_t t_ns, char *buf, size_t size)
{
    /* The loop time is carried (sim/trace-format.md, Times): only the first event at a new time
     * says `t`; the events after it at the same t_ns have its time.  So look back as far as the
     * time stays the same (one walk per call: listings carry it themselves). */
    aw_model_event ev;
    for (int64_t s = step; s >= 1 && aw_model_event_get(m, s, &ev) && ev.t_ns == t_ns; s--)
        if (ev.exact && strstr(ev.exact, "\"t\":")) return aw_model_format_event_time(&ev, "t", t_ns, buf, size);
    return aw_model_format_time(t_ns, buf, size);
}

/* One of the event's own times: the exact double where the ns lose it. */
static void put_ev_time(out *o, const aw_model_event *ev, const char *key, int64_t ns)
{
    char b[48];
    put(o, "%s", aw_model_format_event_time(ev, key, ns, b, sizeof b));
}

static void put_task_quoted(out *o, const aw_model *m, int64_t step, int64_t id)
{
    const mfut *f = aw__fut(m, id, step);
    const char *name = f && f->is_task ? aw__str(m, f->name) : NULL;
    if (name) put(o, "task '%s'", name);
    else put(o, "task %lld", (long long)id);
}

static void put_quoted(out *o, const char *s) { put(o, "\"%s\"", s ? s : ""); }

/* ---- futures ---------------------------------------------------------------------------------- */

/* "future 7" or "task 'Task-2'": the name only. */
static void put_future_name(out *o, const aw_model *m, int64_t step, int64_t id)
{
    const mfut *f = aw__fut(m, id, step);
    if (f && f->is_task) put_task_quoted(o, m, step, id);
    else put(o, "future %lld", (long long)id);
}

static void put_words(out *o, void (*fn)(aw__words *, const aw_model *, int64_t, int64_t), const aw_model *m,
                      int64_t step, int64_t id);
/* "Lock #1 (acquire)": the primitive a waiter future waits in, and the call. */
static void sync_words(aw__words *w, const aw_model *m, int64_t step, int64_t id) { aw__words_future(w, m, step, id); }

/* The name and what it is: "future 7, a timer due at 0.041", "future 6, a gather of 'Task-2'
 * and 'Task-3'". */
static void put_future(out *o, const aw_model *m, int64_t step, int64_t id)
{
    put_future_name(o, m, step, id);
    const mfut *f = aw__fut(m, id, step);
    if (!f || f->is_task) return;
    const mhandle *h = f->timer && f->timer_step <= step ? aw__handle(m, f->timer, step) : NULL;
    if (h && h->deadline_ns != AW_MODEL_NULL) {
        put(o, ", a timer due at ");
        put_time(o, h->deadline_ns);
    } else if (f->is_gather) {
        put(o, ", a gather of ");
        uint32_t shown = f->n_children < 3 ? f->n_children : 3;
        for (uint32_t i = 0; i < shown; i++) {
            if (i) put(o, i + 1 == f->n_children ? " and " : ", ");
            int64_t c = m->store.ids[f->children + i];
            const mfut *cf = aw__fut(m, c, step);
            const char *name = cf && cf->is_task ? aw__str(m, cf->name) : NULL;
            if (name) put(o, "'%s'", name);
            else put(o, "future %lld", (long long)c);
        }
        if (f->n_children > shown) put(o, " and %u more", f->n_children - shown);
        if (!f->n_children) put(o, "nothing");
    } else {
        aw_model_sync sy;
        aw_model_event se;
        if (aw_model_sync_waiter(m, step, id, &sy)) {
            put(o, ", a waiter in ");
            put_words(o, sync_words, m, step, id);
        } else if (aw__stream_waiter(m, step, id, &se)) { /* "future 11, data on the server's end of TCP connection 1 (read)" */
            put(o, ", ");
            put_words(o, sync_words, m, step, id);
        }
    }
}

char *aw_model_describe_future(const aw_model *m, int64_t step, int64_t future, char *buf, size_t size)
{
    out o = {buf, size, 0};
    if (size) buf[0] = '\0';
    put_future(&o, m, step, future);
    return buf;
}

/* ---- tasks ------------------------------------------------------------------------------------ */

static const char *const state_names[AW_MODEL__STATES] = {
    [AW_MODEL_NONE] = "not created", [AW_MODEL_CREATED] = "created", [AW_MODEL_READY] = "ready",
    [AW_MODEL_RUNNING] = "running",  [AW_MODEL_BLOCKED] = "blocked", [AW_MODEL_WAITING] = "waiting",
    [AW_MODEL_DONE] = "done",        [AW_MODEL_FAILED] = "failed",   [AW_MODEL_CANCELLED] = "cancelled",
};

const char *aw_model_state_name(aw_model_task_state s)
{
    return (unsigned)s < AW_MODEL__STATES ? state_names[s] : "?";
}

bool aw_model_state_final(aw_model_task_state s)
{
    return s == AW_MODEL_DONE || s == AW_MODEL_FAILED || s == AW_MODEL_CANCELLED;
}

char *aw_model_task_describe(const aw_model_state *st, const aw_model_task *t, char *buf, size_t size)
{
    out o = {buf, size, 0};
    if (size) buf[0] = '\0';
    switch (t->state) {
    case AW_MODEL_CREATED: put(&o, "created, not scheduled yet"); break;
    case AW_MODEL_READY: put(&o, "ready to run"); break;
    case AW_MODEL_RUNNING: put(&o, "running"); break;
    case AW_MODEL_BLOCKED: put(&o, "blocked in CPU-bound code"); break;
    case AW_MODEL_WAITING:
        put(&o, "waiting on ");
        put_future(&o, st->m, st->step, t->on);
        break;
    case AW_MODEL_DONE:
        put(&o, "done");
        if (t->result) put(&o, ", result %s", t->result);
        break;
    case AW_MODEL_FAILED:
        put(&o, "failed: %s", t->exc ? t->exc : "exception");
        if (t->message && *t->message) put(&o, "('%s')", t->message);
        break;
    case AW_MODEL_CANCELLED:
        put(&o, "cancelled");
        if (t->message && *t->message) put(&o, " ('%s')", t->message);
        break;
    default: put(&o, "%s", aw_model_state_name(t->state)); break;
    }
    if (t->cancel_pending) put(&o, "; cancel requested");
    if (t->timeout_ns != AW_MODEL_NULL) {
        put(&o, "; timeout at ");
        put_time(&o, t->timeout_ns);
    }
    return buf;
}

/* ---- events ----------------------------------------------------------------------------------- */

/* The shared vocabulary (model_words.c), written into the sentence. */
typedef void (*words_fn)(aw__words *, const aw_model *, int64_t, int64_t);
static void put_words(out *o, words_fn fn, const aw_model *m, int64_t step, int64_t id)
{
    if (o->len + 1 >= o->size) return;
    char b[512];
    aw__words w = {b, sizeof b, 0};
    b[0] = '\0';
    fn(&w, m, step, id);
    put(o, "%s", b);
}
#define put_task(o, m, s, id) put_words(o, aw__words_task, m, s, id)
#define put_fut(o, m, s, id) put_words(o, aw__words_future, m, s, id)
#define put_handle(o, m, s, id) put_words(o, aw__words_handle_noun, m, s, id)

static void put_seconds(out *o, int64_t ns)
{
    char b[48];
    aw__words w = {b, sizeof b, 0};
    b[0] = '\0';
    aw__words_seconds(&w, ns);
    put(o, "%s", b);
}

/* "`await asyncio.sleep(10)`" from the source's line; false when the line has no await. */
static bool put_await_text(out *o, const aw_model *m, int line)
{
    char b[300];
    aw__words w = {b, sizeof b, 0};
    b[0] = '\0';
    if (!aw__words_await_text(&w, m, line)) return false;
    put(o, "%s", b);
    return true;
}

static void put_line(out *o, const aw_model *m, int64_t step)
{
    int l = aw_model_event_line(m, step);
    if (l > 0) put(o, " at line %d", l);
}

/* The library function as the program calls it: "asyncio.run", "wait_for", "asyncio.timeout". */
static const char *via_name(const char *via) { return via && *via ? via : NULL; }

/* Events a sentence looks back at are near; further than this is not searched. */
#define EXPLAIN_LOOK_BACK 4096

static int64_t back_to(const aw_model *m, int64_t step, int kind, int64_t task, int64_t future, aw_model_event *found)
{
    for (int64_t s = step - 1; s >= 1 && step - s <= EXPLAIN_LOOK_BACK; s--)
        if (aw__mstore_get(&m->store, s, found) && found->kind == kind && (!task || found->task == task) &&
            (!future || found->future == future))
            return s;
    return 0;
}

/* The frame an await of coroutine `coro` made (frames are in step order), or NULL. */
static const mframe *frame_of_coro(const aw_model *m, int64_t coro, int64_t step)
{
    size_t lo = 0, hi = m->nframes;
    while (lo < hi) { /* the first frame made after step */
        size_t mid = (lo + hi) / 2;
        if (m->frames[mid].step <= step) lo = mid + 1;
        else hi = mid;
    }
    for (size_t i = lo, k = 0; i > 0 && k < EXPLAIN_LOOK_BACK; i--, k++)
        if (m->frames[i - 1].coro == coro) return &m->frames[i - 1];
    return NULL;
}

/* The library coroutine (Event.wait, Lock.acquire, Queue.get...) that made the await of a
 * future at step `await_step`: the task's latest coroutine await before it, when that coroutine
 * is asyncio's own and had not returned yet.  NULL when the program awaited the future itself. */
static const mframe *library_awaiter(const aw_model *m, int64_t await_step, int64_t task)
{
    aw_model_event e;
    for (int64_t s = await_step - 1; s >= 1 && await_step - s <= EXPLAIN_LOOK_BACK; s--) {
        if (!aw__mstore_get(&m->store, s, &e) || e.task != task) continue;
        if (e.kind == AW_TK_AWAIT_RETURN || e.kind == AW_TK_STEP_BEGIN) return NULL;
        if (e.kind == AW_TK_AWAIT && e.coro) {
            const mframe *fr = frame_of_coro(m, e.coro, s);
            return fr && fr->library && aw__str(m, fr->name) ? fr : NULL;
        }
    }
    return NULL;
}

/* The asyncio coroutine a task runs at `step`, innermost, when it is asyncio's own (open_connection,
 * _accept_connection2...); NULL when it is the program's.  Walks back the task's awaits: one
 * whose coroutine has not returned yet is on its stack; past them all, the task's own. */
static const char *library_running(const aw_model *m, int64_t step, int64_t task)
{
    int64_t returned[32];
    size_t nret = 0;
    aw_model_event e;
    for (int64_t s = step - 1; s >= 1 && step - s <= EXPLAIN_LOOK_BACK; s--) {
        if (!aw__mstore_get(&m->store, s, &e)) return NULL;
        if (e.kind == AW_TK_AWAIT_RETURN && e.task == task && e.coro) {
            if (nret == sizeof returned / sizeof *returned) return NULL;
            returned[nret++] = e.coro;
        } else if (e.kind == AW_TK_AWAIT && e.task == task && e.coro) {
            bool gone = false;
            for (size_t i = 0; i < nret && !gone; i++) gone = returned[i] == e.coro;
            if (gone) continue;
            const mframe *fr = frame_of_coro(m, e.coro, s);
            return fr && fr->library ? aw__str(m, fr->name) : NULL;
        } else if (e.kind == AW_TK_TASK_CREATED && e.task == task) {
            /* the task's own coroutine: asyncio's when the coroutine made just before is */
            aw_model_event c;
            return aw__mstore_get(&m->store, s - 1, &c) && c.kind == AW_TK_CORO_CREATED && c.library && c.name &&
                           e.coro_name && !strcmp(c.name, e.coro_name)
                       ? e.coro_name
                       : NULL;
        }
    }
    return NULL;
}

/* Who cancelled, from a cancel_requested event: "Task-1 cancelled it at line 29", "wait_for's
 * timeout cancelled it", "asyncio.run cancelled it (shutdown)". */
static void put_cancel_source(out *o, const aw_model *m, int64_t req_step, const aw_model_event *req)
{
    const char *via = via_name(req->via);
    if (via && !strcmp(via, "asyncio.run")) put(o, "asyncio.run cancelled it (shutdown)");
    else if (via && (!strcmp(via, "wait_for") || !strncmp(via, "asyncio.timeout", 15))) put(o, "%s's timeout cancelled it", via);
    else if (via && !strcmp(via, "gather")) put(o, "gather cancelled it with its other children");
    else if (via) put(o, "%s cancelled it", via);
    else if (req->by) {
        put_task(o, m, req_step, req->by);
        put(o, " cancelled it");
        put_line(o, m, req_step);
    } else put(o, "a callback of the loop cancelled it");
}

/* "Task-1 resumes: Task-2, which it awaited, is done." — the wake-up and what caused it. */
static void explain_resume(out *o, const aw_model *m, const aw_model_event *ev)
{
    int64_t s = ev->step, ct = 0;
    put_task(o, m, s, ev->task);
    int64_t c = aw_model_cause(m, s, &ct, NULL);
    aw_model_event ce;
    if (!c || !aw__mstore_get(&m->store, c, &ce)) {
        put(o, !strcmp(ev->reason, "throw") ? " resumes with CancelledError." : " resumes.");
        return;
    }
    if (ce.kind == AW_TK_CANCEL_REQUESTED) {
        put(o, " resumes with CancelledError: ");
        put_cancel_source(o, m, c, &ce);
        put(o, ".");
        return;
    }
    if (ce.kind != AW_TK_FUTURE_DONE) {
        put(o, " resumes after sleep(0): its turn in the ready queue came.");
        return;
    }
    const mfut *f = aw__fut(m, ce.future, s);
    int64_t d;
    bool sleep = f && !f->is_task && !f->is_gather && f->timer && aw__handle(m, f->timer, s) &&
                 aw__str(m, aw__handle(m, f->timer, s)->callback) &&
                 !strcmp(aw__str(m, aw__handle(m, f->timer, s)->callback), "sleep");
    (void)d;
    if (!strcmp(ce.reason, "cancelled")) {
        put(o, " resumes with CancelledError: ");
        put_fut(o, m, s, ce.future);
        put(o, ", which it awaited, was cancelled.");
        return;
    }
    put(o, " resumes: ");
    if (sleep) {
        /* "the sleep(1) it awaited is over" */
        char b[256];
        aw__words w = {b, sizeof b, 0};
        b[0] = '\0';
        aw__words_future(&w, m, s, ce.future);
        char *of = strstr(b, " of ");
        if (of) *of = '\0';
        put(o, "%s it awaited is over.", b);
        return;
    }
    put_fut(o, m, s, ce.future);
    if (!strcmp(ce.reason, "exception")) put(o, ", which it awaited, raised %s.", ce.exc ? ce.exc : "an exception");
    else if (f && !f->is_task && !f->is_gather && ce.by) {
        put(o, ", which it awaited, has its result (set by ");
        put_task(o, m, s, ce.by);
        put_line(o, m, c);
        put(o, ").");
    } else put(o, ", which it awaited, is done.");
}

/* The await that returns: "`await asyncio.sleep(10)` raises CancelledError in Task-2",
 * "slow_operation() raises CancelledError into wait_for". */
static void explain_await_return(out *o, const aw_model *m, const aw_model_event *ev)
{
    int64_t s = ev->step;
    bool ok = !strcmp(ev->reason, "result");
    const char *exc = ev->exc ? ev->exc : "an exception";
    if (ev->coro) {
        const mframe *fr = frame_of_coro(m, ev->coro, s);
        const char *name = fr ? aw__str(m, fr->name) : NULL;
        const mframe *parent = fr && fr->parent ? &m->frames[fr->parent - 1] : NULL;
        if (name && parent && parent->library) {
            put(o, "%s() %s", name, ok ? "returns " : "raises ");
            if (ok) put(o, "%s to %s.", ev->result ? ev->result : "None", aw__str(m, parent->name) ? aw__str(m, parent->name) : "asyncio");
            else put(o, "%s into %s.", exc, aw__str(m, parent->name) ? aw__str(m, parent->name) : "asyncio");
            return;
        }
        if (!(fr && put_await_text(o, m, fr->caller_line))) put(o, "`await %s()`", name ? name : "a coroutine");
    } else {
        const mfut *f = aw__fut(m, ev->future, s);
        bool sleep = f && !f->is_task && !f->is_gather && f->timer && aw__handle(m, f->timer, s) &&
                     aw__str(m, aw__handle(m, f->timer, s)->callback) &&
                     !strcmp(aw__str(m, aw__handle(m, f->timer, s)->callback), "sleep");
        if (sleep) { /* asyncio.sleep's own await of its future: the program's await returns next */
            put_fut(o, m, s, ev->future);
            if (ok) put(o, " is over: asyncio.sleep gets %s.", ev->result ? ev->result : "None");
            else put(o, " raises %s inside asyncio.sleep.", exc);
            return;
        }
        aw_model_event aw;
        int64_t a = back_to(m, s, AW_TK_AWAIT, ev->task, ev->future, &aw);
        const mframe *lib = a ? library_awaiter(m, a, ev->task) : NULL;
        if (lib) { /* Event.wait's own await of its waiter: the program's await returns next */
            put_fut(o, m, s, ev->future);
            if (ok) put(o, " is over: asyncio.%s gets %s.", aw__str(m, lib->name), ev->result ? ev->result : "None");
            else put(o, " raises %s inside asyncio.%s.", exc, aw__str(m, lib->name));
            return;
        }
        if (!(a && put_await_text(o, m, aw_model_event_line(m, a)))) {
            put(o, "The await of ");
            put_fut(o, m, s, ev->future);
        }
    }
    if (ok) put(o, " returns %s in ", ev->result ? ev->result : "None");
    else put(o, " raises %s in ", exc);
    put_task(o, m, s, ev->task);
    put(o, ".");
}

/* wait_for's timeout: the coroutine the scope guards ("slow_operation()"), else what the task
 * runs, from the task's await stack at that step. */
static void put_scope_target(out *o, const aw_model *m, int64_t step, int64_t task, const char *via)
{
    aw_model_state *st = aw_model_state_new(m);
    aw_model_frame fr[32];
    size_t depth = st && aw_model_seek(st, step) >= 0 ? aw_model_task_stack(st, task, fr, 32) : 0;
    if (depth > 32) depth = 32;
    const char *name = NULL;
    for (size_t i = 0; i < depth; i++) {
        if (via && !strcmp(via, "wait_for") && fr[i].library && fr[i].name && !strcmp(fr[i].name, "wait_for") &&
            i + 1 < depth)
            name = fr[i + 1].name;
        if (!name && !fr[i].library && i + 1 == depth) name = fr[i].name;
    }
    if (!name) /* the innermost of the program's own coroutines */
        for (size_t i = depth; i > 0 && !name; i--)
            if (!fr[i - 1].library) name = fr[i - 1].name;
    aw_model_state_free(st);
    if (name) {
        put(o, "%s() in ", name);
        put_task(o, m, step, task);
    } else put_task(o, m, step, task);
}

/* A warning as Python prints it, but without the C port's "lessons/x/lesson.c:14: " in front:
 * the line is the Python one, where the trace knows it ("coroutine 'nested' was never awaited":
 * the line that made it). */
static void explain_warning(out *o, const aw_model *m, const aw_model_event *ev)
{
    const char *msg = ev->message ? ev->message : "";
    const char *cat = ev->category ? ev->category : "Warning";
    size_t k = strcspn(msg, ": ");
    if (msg[k] == ':' && isdigit((unsigned char)msg[k + 1])) { /* FILE:LINE: */
        const char *p = msg + k + 1;
        while (isdigit((unsigned char)*p)) p++;
        if (p[0] == ':' && p[1] == ' ') msg = p + 2;
    }
    size_t cl = strlen(cat);
    if (!strncmp(msg, cat, cl) && msg[cl] == ':' && msg[cl + 1] == ' ') msg += cl + 2;
    put(o, "%s: %s", cat, msg);
    const char *q = strstr(msg, "coroutine '");
    if (q && strstr(msg, "was never awaited")) {
        char name[128];
        q += strlen("coroutine '");
        size_t n = strcspn(q, "'");
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), q);
        aw_model_event c;
        for (int64_t s = ev->step - 1; s >= 1 && ev->step - s <= EXPLAIN_LOOK_BACK; s--)
            if (aw__mstore_get(&m->store, s, &c) && c.kind == AW_TK_CORO_CREATED && c.name && !strcmp(c.name, name)) {
                int l = aw_model_event_line(m, s);
                if (l > 0) put(o, " (it was made at line %d)", l);
                break;
            }
    }
    put(o, ".");
}

/* Whether the sentence starts with Python that keeps its case: a quote, `asyncio.` names, a
 * library function (wait_for's...), or a coroutine called ("main() returned"). */
static bool python_first(const char *b)
{
    if (b[0] == '`' || !strncmp(b, "asyncio.", 8)) return true;
    size_t n = strspn(b, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
    if (!n || !islower((unsigned char)b[0])) return false;
    if (b[n] == '(') return true;
    return (!strncmp(b, "wait_for", n) || !strncmp(b, "gather", n) || !strncmp(b, "shield", n)) &&
           (b[n] == ' ' || b[n] == '\'');
}

/* A `sync` event in Python's words: "worker-1 waits to acquire Lock #1.", "Lock #1 wakes worker-2:
 * it will resume.", "Task-1 puts 3 into Queue #2 (qsize 1)." */
/* TaskGroup, as `async with asyncio.TaskGroup() as tg:` reads (taskgroups.py's steps). */
static void explain_taskgroup(out *o, const aw_model *m, const aw_model_event *ev)
{
    int64_t s = ev->step;
    const char *action = ev->action ? ev->action : "";
    long long g = (long long)ev->group, errors = ev->errors == AW_MODEL_NULL ? 0 : (long long)ev->errors;
    if (!strcmp(action, "created")) {
        if (ev->task) put_task(o, m, s, ev->task);
        else put(o, "The program");
        put(o, " makes asyncio.TaskGroup() (TaskGroup #%lld)", g);
        put_line(o, m, s);
        put(o, ".");
    } else if (!strcmp(action, "entered")) {
        put(o, "`async with` enters TaskGroup #%lld: ", g);
        put_task(o, m, s, ev->task);
        put(o, " runs its body; at its end the group waits for all its tasks.");
    } else if (!strcmp(action, "child_added")) {
        put(o, "`tg.create_task()` puts ");
        put_task(o, m, s, ev->child);
        put(o, " in TaskGroup #%lld, which will wait for it.", g);
    } else if (!strcmp(action, "child_done")) {
        put_task(o, m, s, ev->child);
        put(o, " of TaskGroup #%lld is done", g);
        if (ev->exc) put(o, ": it raised %s, so the group aborts (the first error cancels the rest).", ev->exc);
        else put(o, ".");
    } else if (!strcmp(action, "aborting")) {
        put(o, "TaskGroup #%lld aborts: it cancels its tasks still running (and the body, if ", g);
        put_task(o, m, s, ev->task);
        put(o, " is still in it).");
    } else if (!strcmp(action, "exiting")) {
        put(o, "The body of TaskGroup #%lld is over", g);
        if (ev->exc) put(o, " (it raised %s)", ev->exc);
        put(o, "; the group now waits for its tasks.");
    } else if (!strcmp(action, "exited")) {
        put(o, "TaskGroup #%lld exits", g);
        if (ev->exc) put(o, " raising %s (%lld error%s collected).", ev->exc, errors, errors == 1 ? "" : "s");
        else put(o, ": all its tasks are done, nothing to raise.");
    } else {
        put(o, "TaskGroup #%lld: %s.", g, action);
    }
}

/* A `stream` event in asyncio's words, each connection as one (model_sockets.c): "the
 * StreamReader of the server's end of TCP connection 1 gets 6 bytes", "Task-2 waits for data:
 * readline() on the connection to ('127.0.0.1', 8888) has 0 bytes, not enough". */
static void explain_stream(out *o, const aw_model *m, const aw_model_event *ev)
{
    const char *op = ev->op ? ev->op : "", *v = ev->value;
    long long n = ev->bytes == AW_MODEL_NULL ? 0 : (long long)ev->bytes;
    int64_t s = ev->step;
    char cb[256];
    aw__words cw = {cb, sizeof cb, 0};
    cb[0] = '\0';
    aw__words_stream(&cw, m, s, ev->stream);
    const char *c = cb; /* the connection (or server) */
    if (!strcmp(op, "connect")) {
        put(o, "asyncio.open_connection");
        if (ev->task) put(o, " in "), put_task(o, m, s, ev->task);
        put(o, " connects to %s", v ? v : "?");
        int64_t conn = aw__stream_conn(m, s, ev->stream);
        if (conn) put(o, " (TCP connection %lld)", (long long)conn);
        put(o, ": it waits until the socket can be written");
    } else if (!strcmp(op, "connected")) {
        put(o, "%s gets its transport", c);
        if (aw__stream_conn(m, s, ev->stream)) put(o, " (the peer: %s)", v ? v : "None"); /* else the words name it */
        if (ev->task && ev->future) {
            put(o, "; ");
            put_task(o, m, s, ev->task);
            put(o, " waits until connection_made has run");
        }
    } else if (!strcmp(op, "listen")) put(o, "asyncio.start_server listens on %s", v ? v : "?");
    else if (!strcmp(op, "accept")) {
        put(o, "%s accepts a connection: ", c);
        put_words(o, aw__words_stream, m, s, n);
    } else if (!strcmp(op, "fed")) put(o, "the StreamReader of %s gets %lld byte%s", c, n, n == 1 ? "" : "s");
    else if (!strcmp(op, "eof")) put(o, "the StreamReader of %s gets EOF (%lld bytes left unread)", c, n);
    else if (!strcmp(op, "wait")) {
        put_task(o, m, s, ev->task);
        put(o, " waits for data: %s() on %s has %lld byte%s, not enough", v ? v : "read", c, n, n == 1 ? "" : "s");
    } else if (!strcmp(op, "write")) {
        put(o, "`writer.write()` hands %lld byte%s to %s", n, n == 1 ? "" : "s", c);
        if (v) put(o, " (%s: the socket took the rest)", v);
    } else if (!strcmp(op, "drain")) {
        put_task(o, m, s, ev->task);
        put(o, " waits in drain(): %s has %lld bytes buffered, over the high-water mark", c, n);
    } else if (!strcmp(op, "pause_writing")) put(o, "%s pauses writing: %lld bytes buffered (over 64 KiB)", c, n);
    else if (!strcmp(op, "resume_writing")) put(o, "%s resumes writing: %lld bytes buffered; drain() returns", c, n);
    else if (!strcmp(op, "pause_reading")) put(o, "%s pauses reading: the StreamReader holds %lld bytes", c, n);
    else if (!strcmp(op, "resume_reading")) put(o, "%s resumes reading", c);
    else if (!strcmp(op, "write_eof")) put(o, "`writer.write_eof()` on %s: the peer reads EOF after the data", c);
    else if (!strcmp(op, "close")) put(o, "%s %s", c, v ? "is aborted: the peer sees a reset" : "closes (after sending what is buffered)");
    else if (!strcmp(op, "lost")) put(o, "%s is lost%s%s", c, v ? ": " : " (closed)", v ? v : "");
    else if (!strcmp(op, "server_close")) put(o, "%s closes: no new connections (%lld still open)", c, n);
    else if (!strcmp(op, "wait_closed")) {
        put_task(o, m, s, ev->task);
        put(o, " waits in wait_closed() until %s is lost", c);
    } else put(o, "%s: %s", c, op);
    put(o, ".");
}

static void explain_sync(out *o, const aw_model *m, const aw_model_event *ev)
{
    int64_t s = ev->step;
    const char *op = ev->op ? ev->op : "", *call = ev->value ? ev->value : "";
    const char *kind = ev->primitive ? ev->primitive : "";
    bool queue = strstr(kind, "Queue") != NULL;
    char pb[256];
    aw__words pw = {pb, sizeof pb, 0};
    pb[0] = '\0';
    aw__words_sync(&pw, ev->primitive, ev->sync, ev->name);
    long long n = ev->count == AW_MODEL_NULL ? 0 : (long long)ev->count;
    if (!strcmp(op, "wake")) {
        put(o, "%s wakes ", pb);
        put_task(o, m, s, ev->task);
        put(o, ": it will resume.");
        return;
    }
    if (ev->task) put_task(o, m, s, ev->task);
    else put(o, "The program");
    if (!strcmp(op, "created")) {
        put(o, " makes asyncio.%s (%s", kind, pb);
        if (!strcmp(kind, "Semaphore") || !strcmp(kind, "BoundedSemaphore")) put(o, ", value %lld", n);
        else if (!strcmp(kind, "Barrier")) put(o, ", %lld parties", n);
        else if (queue) put(o, n ? ", maxsize %lld" : ", unbounded", n);
        put(o, ")");
    } else if (!strcmp(op, "acquire")) {
        put(o, " acquires %s", pb);
        if (strcmp(kind, "Lock") && strcmp(kind, "Condition")) put(o, " (value now %lld)", n);
    } else if (!strcmp(op, "release")) {
        put(o, " releases %s", pb);
        if (strcmp(kind, "Lock") && strcmp(kind, "Condition")) put(o, " (value now %lld)", n);
    } else if (!strcmp(op, "block")) {
        if (!strcmp(call, "acquire")) put(o, " waits to acquire %s: it is taken, or others wait first", pb);
        else if (!strcmp(kind, "Event")) put(o, " waits for %s to be set", pb);
        else if (!strcmp(kind, "Condition")) put(o, " waits on %s for a notify (its lock is released meanwhile)", pb);
        else if (!strcmp(kind, "Barrier")) put(o, " waits at %s for the other parties", pb);
        else if (!strcmp(call, "get")) put(o, " waits for an item: %s is empty", pb);
        else if (!strcmp(call, "put")) put(o, " waits for a free slot: %s is full", pb);
        else if (!strcmp(call, "join")) put(o, " waits until every item of %s is done (join)", pb);
        else put(o, " waits on %s (%s)", pb, call);
    } else if (!strcmp(op, "set")) put(o, " sets %s: every task waiting for it wakes", pb);
    else if (!strcmp(op, "clear")) put(o, " clears %s", pb);
    else if (!strcmp(op, "notify")) put(o, " notifies %s: up to %lld waiter%s wake%s", pb, n, n == 1 ? "" : "s", n == 1 ? "s" : "");
    else if (!strcmp(op, "arrive")) put(o, " arrives at %s (%lld there now)", pb, n);
    else if (!strcmp(op, "pass")) put(o, " passes %s: wait() returns %lld", pb, n);
    else if (!strcmp(op, "reset")) put(o, " resets %s: tasks waiting at it get BrokenBarrierError", pb);
    else if (!strcmp(op, "abort")) put(o, " aborts %s: it is broken (BrokenBarrierError)", pb);
    else if (!strcmp(op, "put")) put(o, " puts %s into %s (qsize %lld)", call, pb, n);
    else if (!strcmp(op, "get")) put(o, " gets %s from %s (qsize %lld)", call, pb, n);
    else if (!strcmp(op, "task_done")) put(o, " calls task_done() on %s (%lld unfinished)", pb, n);
    else if (!strcmp(op, "shutdown")) put(o, " shuts %s down%s", pb, n ? " at once (immediate=True)" : "");
    else put(o, ": %s %s", pb, op);
    put_line(o, m, s);
    put(o, ".");
}

/* A choice the seed made (core/vary.c): what it varied, what it would have been, what it is. */
static void explain_choice(out *o, const aw_model *m, const aw_model_event *ev)
{
    const char *v = ev->variation ? ev->variation : "";
    if (!strcmp(v, "timer")) {
        put(o, "Timer jitter (the seed's choice): the loop's wait for the next timer, ");
        put_seconds(o, ev->nominal_ns);
        put(o, " s, lasts ");
        put_seconds(o, ev->chosen_ns);
        put(o, " s: it wakes late, as a busy machine does, never early, and due timers still fire in "
               "deadline order.");
        return;
    }
    bool cpu = !strcmp(v, "cpu");
    put(o, "The seed's choice: %s of ", cpu ? "the CPU-bound work" : "the executor job (to_thread / run_in_executor)");
    if (ev->task) put_task(o, m, ev->step, ev->task);
    else put(o, "the program");
    put(o, ", ");
    put_seconds(o, ev->nominal_ns);
    put(o, " s as written, takes ");
    put_seconds(o, ev->chosen_ns);
    put(o, " s in this run.");
}

static void explain(out *o, const aw_model *m, const aw_model_event *ev)
{
    int64_t s = ev->step;
    const char *via = via_name(ev->via);
    switch (ev->kind) {
    case AW_TK_LOOP_START:
        put(o, "The event loop starts (%s clock).", ev->clock && !strcmp(ev->clock, "sim") ? "simulated" : "real");
        break;
    case AW_TK_ITERATION:
        put(o, "Loop iteration %lld begins: ", (long long)ev->iter);
        if (ev->ready > 0) put(o, "%lld callback%s ready to run.", (long long)ev->ready, ev->ready == 1 ? " is" : "s are");
        else if (ev->timeout_ns == AW_MODEL_NULL) put(o, "nothing is ready and no timer is set, so it waits for I/O.");
        else {
            put(o, "nothing is ready, so it waits ");
            put_ev_time(o, ev, "timeout", ev->timeout_ns);
            put(o, " s for the next timer.");
        }
        break;
    case AW_TK_SCHEDULED:
        if (ev->deadline_ns == AW_MODEL_NULL) {
            put_handle(o, m, s, ev->handle);
            put(o, " joins the ready queue (call_soon).");
        } else {
            put(o, "A timer is set for ");
            put_ev_time(o, ev, "deadline", ev->deadline_ns);
            put(o, ": then comes ");
            put_handle(o, m, s, ev->handle);
            put(o, ".");
        }
        break;
    case AW_TK_HANDLE_CANCELLED: {
        const mhandle *h = aw__handle(m, ev->handle, s);
        if (h && h->deadline_ns != AW_MODEL_NULL && h->fired_step >= s) {
            put(o, "The timer due at ");
            put_time(o, h->deadline_ns);
            put(o, " is cancelled: ");
            put_handle(o, m, s, ev->handle);
            put(o, " will not come from it.");
        } else {
            put_handle(o, m, s, ev->handle);
            put(o, h && h->run_step < s ? " is cancelled after it ran: nothing changes." : " is cancelled before it ran.");
        }
        break;
    }
    case AW_TK_TIMER_FIRED: {
        int64_t held = 0, late = aw_model_timer_late(m, s, &held);
        const mhandle *h = aw__handle(m, ev->handle, s);
        if (late > 0) {
            put(o, "The timer of ");
            if (h && h->future) put_fut(o, m, s, h->future);
            else put_handle(o, m, s, ev->handle);
            put(o, " was due at ");
            put_ev_time(o, ev, "deadline", ev->deadline_ns);
            put(o, " and fires at ");
            put_ev_time(o, ev, "t", ev->t_ns);
            aw_model_event b;
            if (held && aw__mstore_get(&m->store, held, &b)) {
                put(o, ": the loop was held for ");
                put_seconds(o, late);
                put(o, " s by CPU-bound work");
                if (b.task) {
                    put(o, " in ");
                    put_task(o, m, s, b.task);
                }
                int l = aw_model_event_line(m, held);
                if (l > 0) put(o, " (line %d)", l);
                put(o, ".");
            } else {
                put(o, ", ");
                put_seconds(o, late);
                put(o, " s late.");
            }
        } else {
            put(o, "The timer due at ");
            put_ev_time(o, ev, "deadline", ev->deadline_ns);
            put(o, " fires: ");
            put_handle(o, m, s, ev->handle);
            put(o, " joins the ready queue.");
        }
        break;
    }
    case AW_TK_HANDLE_RUN: {
        put(o, "The loop runs ");
        put_handle(o, m, s, ev->handle);
        const mhandle *h = aw__handle(m, ev->handle, s);
        const char *cb = h ? aw__str(m, h->callback) : NULL;
        if (h && cb && !strcmp(cb, "task_wakeup") && h->future) {
            put(o, ": ");
            put_fut(o, m, s, h->future);
            const mfut *f = aw__fut(m, h->future, s);
            put(o, f && f->done_reason == MDONE_CANCELLED && f->done_step <= s ? " was cancelled." : " is done.");
        } else put(o, ".");
        break;
    }
    case AW_TK_TASK_CREATED:
        if (ev->parent) {
            put_task(o, m, s, ev->parent);
            put(o, " creates %s to run %s(); it does not run yet.", ev->name ? ev->name : "a task",
                ev->coro_name ? ev->coro_name : "?");
        } else
            put(o, "%s is created to run %s(); it does not run yet.", ev->name ? ev->name : "A task",
                ev->coro_name ? ev->coro_name : "?");
        break;
    case AW_TK_STEP_BEGIN:
        if (!strcmp(ev->reason, "start")) {
            put_task(o, m, s, ev->task);
            const mfut *f = aw__fut(m, ev->task, s);
            const char *coro = f ? aw__str(m, f->coro) : NULL;
            put(o, " starts running%s%s%s.", coro ? " " : "", coro ? coro : "", coro ? "()" : "");
        } else explain_resume(o, m, ev);
        break;
    case AW_TK_STEP_END:
        put_task(o, m, s, ev->task);
        if (!strcmp(ev->reason, "await")) {
            put(o, " suspends, waiting on ");
            put_fut(o, m, s, ev->future);
            put(o, "; the loop moves on.");
        } else if (!strcmp(ev->reason, "yield")) put(o, " yields to the loop (sleep(0)) and will run again soon.");
        else {
            const mfut *f = aw__fut(m, ev->task, s);
            const char *coro = f ? aw__str(m, f->coro) : NULL;
            if (!strcmp(ev->reason, "done")) put(o, " finishes: %s%s returned.", coro ? coro : "its coroutine", coro ? "()" : "");
            else if (!strcmp(ev->reason, "raised")) put(o, " ends: %s%s raised %s.", coro ? coro : "its coroutine", coro ? "()" : "", ev->exc ? ev->exc : "an exception");
            else put(o, " ends cancelled: CancelledError left %s%s.", coro ? coro : "its coroutine", coro ? "()" : "");
        }
        break;
    case AW_TK_AWAIT:
        if (ev->task) put_task(o, m, s, ev->task);
        else put(o, "The program");
        if (ev->future) {
            put(o, " awaits ");
            put_fut(o, m, s, ev->future);
            const mfut *f = aw__fut(m, ev->future, s);
            const mhandle *h = f && !f->is_task && f->timer && f->timer_step <= s ? aw__handle(m, f->timer, s) : NULL;
            if (h && h->deadline_ns != AW_MODEL_NULL) {
                put(o, ", a timer due at ");
                put_time(o, h->deadline_ns);
            }
            put(o, ".");
        } else {
            bool lib = aw__coro_is_library(m, ev->coro);
            put(o, " awaits %s%s()", lib ? "asyncio." : "", ev->what ? ev->what : "?");
            put(o, ": the coroutine runs inside the task; no new task is made.");
        }
        break;
    case AW_TK_CORO_CREATED:
        if (ev->library) put(o, "Calling asyncio.%s() makes a coroutine object; it runs when awaited.", ev->name ? ev->name : "?");
        else
            put(o, "Calling %s() makes a coroutine object; nothing runs until it is awaited or wrapped in a task.",
                ev->name ? ev->name : "?");
        break;
    case AW_TK_FUTURE_CREATED: {
        aw_model_event aw;
        int64_t a = ev->task ? back_to(m, s, AW_TK_AWAIT, ev->task, 0, &aw) : 0;
        bool lib = a && s - a <= 4 && aw__coro_is_library(m, aw.coro);
        const char *in = lib || !ev->task ? NULL : library_running(m, s, ev->task);
        if (lib) {
            put(o, "asyncio.%s makes a Future for ", aw.what ? aw.what : "?");
            put_task(o, m, s, ev->task);
            put(o, " to wait on.");
        } else if (in) { /* asyncio's code makes it, not the program's: "asyncio._accept_connection2 ..." */
            put(o, "asyncio.%s makes a Future in ", in);
            put_task(o, m, s, ev->task);
            put(o, ".");
        } else {
            if (ev->task) put_task(o, m, s, ev->task);
            else put(o, "The loop");
            put(o, " creates a Future");
            put_line(o, m, s);
            put(o, ".");
        }
        break;
    }
    case AW_TK_FUTURE_DONE: {
        const mfut *f = aw__fut(m, ev->future, s);
        bool ok = !strcmp(ev->reason, "result");
        if (f && !f->is_task && !f->is_gather && ev->by && ok) {
            put_task(o, m, s, ev->by);
            put(o, " sets the result of ");
            put_fut(o, m, s, ev->future);
            put(o, ": %s.", ev->result ? ev->result : "None");
            break;
        }
        put_fut(o, m, s, ev->future);
        if (ok) {
            if (f && f->is_task) put(o, " is done: it returned %s.", ev->result ? ev->result : "None");
            else put(o, " is done with result %s.", ev->result ? ev->result : "None");
        } else if (!strcmp(ev->reason, "exception")) {
            put(o, " is done with exception %s", ev->exc ? ev->exc : "?");
            if (ev->message && *ev->message) put(o, "('%s')", ev->message);
            put(o, ".");
        } else {
            put(o, " is cancelled");
            if (ev->message && *ev->message) put(o, " (message '%s')", ev->message);
            put(o, ".");
        }
        break;
    }
    case AW_TK_CALLBACKS:
        put_fut(o, m, s, ev->future);
        if (ev->count == 0) put(o, " has no done-callbacks to schedule.");
        else if (ev->count == 1) put(o, " has 1 done-callback: it is scheduled (call_soon).");
        else put(o, " has %lld done-callbacks: they are scheduled in registration order (call_soon).", (long long)ev->count);
        break;
    case AW_TK_CANCEL_REQUESTED:
        if (via && !strcmp(via, "asyncio.run")) put(o, "asyncio.run cancels ");
        else if (via && !strcmp(via, "gather") && ev->task) put(o, "gather cancels its child ");
        else if (via) put(o, "%s cancels ", via);
        else if (ev->by) {
            put_task(o, m, s, ev->by);
            put(o, " cancels ");
        } else put(o, "A callback of the loop cancels ");
        if (ev->task) put_task(o, m, s, ev->task);
        else {
            put_fut(o, m, s, ev->future);
            if (ev->accepted) put(o, ", what the cancelled task awaits");
        }
        if (ev->message) put(o, " (message '%s')", ev->message);
        if (!ev->accepted) put(o, ", but it is already done: nothing happens.");
        else if (via && !strcmp(via, "asyncio.run")) put(o, " (shutdown).");
        else if (via && ev->task && (!strcmp(via, "wait_for") || !strncmp(via, "asyncio.timeout", 15)))
            put(o, ": its timeout expired; cancelling() is now %lld.", (long long)ev->cancelling);
        else if (ev->task) put(o, ": cancelling() is now %lld.", (long long)ev->cancelling);
        else put(o, ".");
        break;
    case AW_TK_CANCEL_DELIVERED: {
        put(o, "CancelledError");
        if (ev->message && *ev->message) put(o, "('%s')", ev->message);
        put(o, " lands in ");
        put_task(o, m, s, ev->task);
        int l = aw_model_event_line(m, s);
        if (l > 0) {
            put(o, " at line %d", l);
            char b[300];
            aw__words w = {b, sizeof b, 0};
            b[0] = '\0';
            if (aw__words_await_text(&w, m, l)) put(o, " (%s)", b);
        }
        put(o, ", the await where it is suspended.");
        break;
    }
    case AW_TK_UNCANCEL:
        if (via) {
            put(o, "%s takes the cancellation back (uncancel): ", via);
            put_task(o, m, s, ev->task);
            put(o, "'s cancelling() is now %lld.", (long long)ev->cancelling);
        } else {
            put_task(o, m, s, ev->task);
            put(o, " calls uncancel(): cancelling() is now %lld.", (long long)ev->cancelling);
        }
        break;
    case AW_TK_TIMEOUT_ARMED:
    case AW_TK_TIMEOUT_RESCHEDULED: {
        const char *who = via ? via : "asyncio.timeout";
        if (ev->kind == AW_TK_TIMEOUT_RESCHEDULED) put(o, "%s's deadline moves", who);
        else if (ev->deadline_ns == AW_MODEL_NULL) put(o, "%s(None) starts", who);
        else {
            put(o, "%s starts a timeout of ", who);
            put_seconds(o, ev->deadline_ns - ev->t_ns);
            put(o, " s");
        }
        if (ev->task) {
            put(o, " in ");
            put_task(o, m, s, ev->task);
        }
        if (ev->deadline_ns == AW_MODEL_NULL) put(o, ": no deadline.");
        else {
            put(o, ": it expires at ");
            put_ev_time(o, ev, "deadline", ev->deadline_ns);
            put(o, ".");
        }
        break;
    }
    case AW_TK_TIMEOUT_EXPIRED:
        put(o, "%s's timeout expires", via ? via : "asyncio.timeout");
        if (ev->task) {
            put(o, ": it cancels ");
            put_scope_target(o, m, s, ev->task, via);
        }
        put(o, ".");
        break;
    case AW_TK_TIMEOUT_DISARMED:
        if (ev->raised) put(o, "%s turns the CancelledError into TimeoutError.", via ? via : "asyncio.timeout");
        else put(o, "%s's timeout is no longer needed: what it guarded finished in time.", via ? via : "asyncio.timeout");
        break;
    case AW_TK_GATHER:
        if (ev->task) put_task(o, m, s, ev->task);
        else put(o, "The program");
        put(o, " calls gather(");
        for (size_t i = 0; i < ev->n_ids && i < 3; i++) {
            if (i) put(o, ", ");
            put_fut(o, m, s, ev->ids[i]);
        }
        if (ev->n_ids > 3) put(o, " and %zu more", ev->n_ids - 3);
        put(o, "): it is done when all of them are.");
        break;
    case AW_TK_WAIT:
        if (ev->task) put_task(o, m, s, ev->task);
        else put(o, "The program");
        put(o, " calls %s on ", !strcmp(ev->mode, "as_completed") ? "as_completed()" : "asyncio.wait()");
        for (size_t i = 0; i < ev->n_ids && i < 3; i++) {
            if (i) put(o, i + 1 == ev->n_ids ? " and " : ", ");
            put_fut(o, m, s, ev->ids[i]);
        }
        if (ev->n_ids > 3) put(o, " and %zu more", ev->n_ids - 3);
        if (strcmp(ev->mode, "as_completed")) put(o, " (%s", ev->mode);
        else put(o, " (");
        if (ev->timeout_ns != AW_MODEL_NULL) {
            put(o, "%stimeout ", strcmp(ev->mode, "as_completed") ? ", " : "");
            put_ev_time(o, ev, "timeout", ev->timeout_ns);
            put(o, " s");
        }
        if (o->len >= 2 && !strcmp(o->buf + o->len - 2, " (")) o->len -= 2, o->buf[o->len] = '\0', put(o, ".");
        else put(o, ").");
        break;
    case AW_TK_CLOCK_JUMP: {
        /* A jump the simulated network makes leads to a packet's arrival (sim/trace-format.md,
         * Network events); any other to the next timer. */
        aw_model_event next;
        bool packet = aw__mstore_get(&m->store, s + 1, &next) && next.t_ns == ev->to_ns &&
                      (next.kind == AW_TK_NET || next.kind == AW_TK_IO_READY);
        put(o, packet ? "Nothing can run before the network's next packet arrives, so the simulated clock jumps from "
                      : "Nothing can run before the next timer, so the simulated clock jumps from ");
        put_ev_time(o, ev, "from", ev->from_ns);
        put(o, " to ");
        put_ev_time(o, ev, "to", ev->to_ns);
        put(o, ".");
        break;
    }
    case AW_TK_IO_WAIT:
        put(o, "The loop polls for I/O (%lld descriptor%s watched), ", (long long)ev->watched, ev->watched == 1 ? "" : "s");
        if (ev->timeout_ns == AW_MODEL_NULL) put(o, "with no time limit.");
        else {
            put(o, "waiting at most ");
            put_ev_time(o, ev, "timeout", ev->timeout_ns);
            put(o, " s.");
        }
        break;
    case AW_TK_IO_READY: {
        /* the socket as what it is (the raw descriptor stays in the event's own line) */
        char b[256];
        aw__words w = {b, sizeof b, 0};
        bool listener = false;
        b[0] = '\0';
        if (!aw__words_fd(&w, m, s, ev->fd, &listener)) {
            put(o, "Descriptor %lld is ready%s%s.", (long long)ev->fd, ev->readable ? " to read" : "",
                ev->writable ? (ev->readable ? " and to write" : " to write") : "");
            break;
        }
        put(o, "%s %s%s%s", b, ev->readable ? "is ready to read" : "", ev->readable && ev->writable ? " and " : "",
            ev->writable ? "can be written" : "");
        put(o, listener && ev->readable ? ": a connection waits to be accepted." : ".");
        break;
    }
    case AW_TK_OUTPUT:
        if (ev->task) put_task(o, m, s, ev->task);
        else put(o, "The program");
        put(o, " prints ");
        put_quoted(o, ev->text);
        put(o, ".");
        break;
    case AW_TK_BUSY:
        if (ev->task) put_task(o, m, s, ev->task);
        else put(o, "The program");
        put(o, " runs CPU-bound code for ");
        put_seconds(o, ev->duration_ns);
        put(o, " s");
        put_line(o, m, s);
        put(o, ": the loop is blocked and nothing else can run.");
        break;
    case AW_TK_CHOICE: explain_choice(o, m, ev); break;
    case AW_TK_WARNING: explain_warning(o, m, ev); break;
    case AW_TK_AWAIT_RETURN: explain_await_return(o, m, ev); break;
    case AW_TK_HANDLER: {
        char src[256];
        int l = aw_model_event_line(m, s);
        size_t n = aw__source_line(m, l, src, sizeof src);
        put_task(o, m, s, ev->task);
        if (!strcmp(ev->what, "except")) {
            if (n && !strncmp(src, "except", 6)) put(o, " enters `%s`", src);
            else put(o, " enters `except %s:`", ev->exc ? ev->exc : "");
        } else if (!strcmp(ev->what, "finally")) put(o, " enters `finally:`");
        else if (n && !strcmp(src, "raise")) put(o, " raises %s again (`raise`)", ev->exc ? ev->exc : "the exception");
        else if (n && !strncmp(src, "raise", 5)) put(o, " raises %s (`%s`)", ev->exc ? ev->exc : "an exception", src);
        else put(o, " raises %s", ev->exc ? ev->exc : "again");
        if (l > 0) put(o, " at line %d", l);
        put(o, ".");
        break;
    }
    case AW_TK_RUNNER:
        if (!strcmp(ev->phase, "main")) {
            aw_model_event nx;
            const char *coro = NULL;
            for (int64_t k = s + 1; k <= s + 8 && aw__mstore_get(&m->store, k, &nx); k++)
                if (nx.kind == AW_TK_TASK_CREATED) {
                    coro = nx.coro_name;
                    break;
                }
            put(o, "asyncio.run starts %s%s.", coro ? coro : "the main coroutine", coro ? "()" : "");
        } else if (!strcmp(ev->phase, "shutdown")) {
            const mfut *f = m->ntasks ? aw__fut(m, m->task_ids[0], s) : NULL;
            const char *coro = f ? aw__str(m, f->coro) : NULL;
            put(o, "%s%s ", coro ? coro : "The main coroutine", coro ? "()" : "");
            if (f && f->done_step <= s && f->done_reason == MDONE_EXCEPTION)
                put(o, "raised %s", aw__str(m, f->exc) ? aw__str(m, f->exc) : "an exception");
            else if (f && f->done_step <= s && f->done_reason == MDONE_CANCELLED) put(o, "was cancelled");
            else put(o, "returned");
            put(o, ": asyncio.run shuts down: it cancels the tasks still pending, then closes the loop.");
        } else put(o, "asyncio.run closes the loop.");
        break;
    case AW_TK_LOOP_STOP: put(o, "The loop stops running."); break;
    case AW_TK_LOOP_CLOSE: put(o, "The loop is closed: the program is over."); break;
    case AW_TK_SYNC: explain_sync(o, m, ev); break;
    case AW_TK_NET: {
        char nb[512];
        aw__model_net_explain(m, ev, nb, sizeof nb);
        put(o, "%s", nb);
        break;
    }
    case AW_TK_STREAM: explain_stream(o, m, ev); break;
    case AW_TK_TASKGROUP: explain_taskgroup(o, m, ev); break;
    default: put(o, "Event '%s'.", ev->kind_name); break;
    }
    /* A sentence starts with a capital letter, but Python stays as Python spells it: "asyncio.run
     * starts main()", "wait_for's timeout expires", "`await my_task` returns None" */
    if (o->len && !python_first(o->buf)) o->buf[0] = (char)toupper((unsigned char)o->buf[0]);
}

char *aw_model_explain(const aw_model *m, int64_t step, char *buf, size_t size)
{
    out o = {buf, size, 0};
    if (size) buf[0] = '\0';
    aw_model_event ev;
    if (aw__mstore_get(&m->store, step, &ev)) explain(&o, m, &ev);
    return buf;
}

char *aw_model_event_format(const aw_model *m, int64_t step, char *buf, size_t size)
{
    if (size) buf[0] = '\0';
    cJSON *o = aw_model_event_json(m, step);
    if (o) aw_trace_format_event(o, buf, size);
    cJSON_Delete(o);
    return buf;
}

/* ---- search ----------------------------------------------------------------------------------- */

static bool contains(const char *hay, const char *needle)
{
    if (!hay) return false;
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n)) return true;
    return false;
}

/* What a learner reads: the sentence, and the text the program printed.  Not the trace's raw
 * fields (file names, kinds, callback names): a search finds what the viewer shows. */
static bool matches(const aw_model *m, const aw_model_event *ev, const char *needle, char *buf, size_t size)
{
    if (contains(ev->text, needle)) return true;
    out o = {buf, size, 0};
    buf[0] = '\0';
    explain(&o, m, ev);
    return contains(buf, needle);
}

int64_t aw_model_search(const aw_model *m, int64_t from, bool forward, const char *needle)
{
    int64_t n = m->store.n;
    if (!needle || !*needle || n == 0) return -1;
    char buf[1024];
    aw_model_event ev;
    mcursor c;
    if (forward) {
        /* from+1 .. n, then 1 .. from */
        int64_t start = from < 0 ? 1 : from + 1 > n ? 1 : from + 1;
        aw__mstore_cursor(&m->store, start, &c);
        for (int64_t k = 0; k < n; k++) {
            if (c.next > n) aw__mstore_cursor(&m->store, 1, &c);
            aw__mstore_next(&m->store, &c, &ev);
            if (matches(m, &ev, needle, buf, sizeof buf)) return ev.step;
        }
        return -1;
    }
    /* backward: decode each step on its own (blocks make it cheap enough) */
    int64_t s = from - 1 < 1 ? n : from - 1;
    for (int64_t k = 0; k < n; k++, s = s - 1 < 1 ? n : s - 1) {
        aw__mstore_get(&m->store, s, &ev);
        if (matches(m, &ev, needle, buf, sizeof buf)) return s;
    }
    return -1;
}
