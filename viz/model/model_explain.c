/* model_explain.c — every event in one plain-English sentence, for a learner who does not know
 * the trace format: "Task 'Task-2' awaits future 7, a timer due at 0.041."  The sentence uses
 * what the trace has said by that step (names, the timer behind a future), never later facts. */
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

static void put_time(out *o, int64_t t)
{
    char b[48];
    put(o, "%s", aw_model_format_time(t, b, sizeof b));
}

static void put_task(out *o, const aw_model *m, int64_t step, int64_t id)
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
    if (f && f->is_task) put_task(o, m, step, id);
    else put(o, "future %lld", (long long)id);
}

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

/* What a handle's callback is for, from the scheduled / handle_run fields. */
static void explain_handle(out *o, const aw_model *m, int64_t step, const aw_model_event *ev)
{
    const char *cb = ev->callback ? ev->callback : "";
    if (!strcmp(cb, "task_step") && ev->task) {
        put(o, "the next step of ");
        put_task(o, m, step, ev->task);
    } else if (!strcmp(cb, "task_wakeup") && ev->task) {
        put(o, "the wake-up of ");
        put_task(o, m, step, ev->task);
        if (ev->future) {
            put(o, " (");
            put_future_name(o, m, step, ev->future);
            put(o, " is done)");
        }
    } else if (!strcmp(cb, "sleep") && ev->task) {
        put(o, "the end of the sleep of ");
        put_task(o, m, step, ev->task);
    } else if (!strcmp(cb, "timeout") && ev->task) {
        put(o, "the timeout of ");
        put_task(o, m, step, ev->task);
    } else if (!strcmp(cb, "done_callback") && ev->future) {
        put(o, "a done-callback of ");
        put_future_name(o, m, step, ev->future);
    } else {
        put(o, "callback %s", *cb ? cb : "(unnamed)");
        if (ev->future) {
            put(o, " for ");
            put_future_name(o, m, step, ev->future);
        } else if (ev->task) {
            put(o, " for ");
            put_task(o, m, step, ev->task);
        }
    }
}

static void explain(out *o, const aw_model *m, const aw_model_event *ev)
{
    int64_t s = ev->step;
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
            put_time(o, ev->timeout_ns);
            put(o, " s for the next timer.");
        }
        break;
    case AW_TK_SCHEDULED:
        if (ev->deadline_ns == AW_MODEL_NULL) {
            explain_handle(o, m, s, ev);
            put(o, " joins the ready queue (call_soon, handle %lld).", (long long)ev->handle);
        } else {
            put(o, "A timer is set for ");
            put_time(o, ev->deadline_ns);
            put(o, " (handle %lld): then comes ", (long long)ev->handle);
            explain_handle(o, m, s, ev);
            put(o, ".");
        }
        break;
    case AW_TK_HANDLE_CANCELLED: {
        const mhandle *h = aw__handle(m, ev->handle, s);
        if (h && h->run_step < s) put(o, "Handle %lld is cancelled after it ran: nothing changes.", (long long)ev->handle);
        else if (h && h->deadline_ns != AW_MODEL_NULL) {
            put(o, "The timer due at ");
            put_time(o, h->deadline_ns);
            put(o, " (handle %lld) is cancelled: it will not fire.", (long long)ev->handle);
        } else put(o, "Handle %lld is cancelled before it ran.", (long long)ev->handle);
        break;
    }
    case AW_TK_TIMER_FIRED:
        put(o, "The timer due at ");
        put_time(o, ev->deadline_ns);
        put(o, " (handle %lld) is due: its callback joins the ready queue.", (long long)ev->handle);
        break;
    case AW_TK_HANDLE_RUN:
        put(o, "The loop runs handle %lld: ", (long long)ev->handle);
        explain_handle(o, m, s, ev);
        put(o, ".");
        break;
    case AW_TK_TASK_CREATED:
        put(o, "Task '%s' is created to run %s()", ev->name ? ev->name : "?", ev->coro_name ? ev->coro_name : "?");
        if (ev->parent) {
            put(o, " by ");
            put_task(o, m, s, ev->parent);
        }
        put(o, "; it does not run yet.");
        break;
    case AW_TK_STEP_BEGIN:
        put_task(o, m, s, ev->task);
        if (!strcmp(ev->reason, "start")) {
            const mfut *f = aw__fut(m, ev->task, s);
            const char *coro = f ? aw__str(m, f->coro) : NULL;
            put(o, " starts running%s%s%s.", coro ? " " : "", coro ? coro : "", coro ? "()" : "");
        } else if (!strcmp(ev->reason, "throw")) put(o, " resumes with CancelledError thrown in.");
        else put(o, " resumes.");
        break;
    case AW_TK_STEP_END:
        put_task(o, m, s, ev->task);
        if (!strcmp(ev->reason, "await")) {
            put(o, " suspends, waiting on ");
            put_future(o, m, s, ev->future);
            put(o, "; the loop moves on.");
        } else if (!strcmp(ev->reason, "yield")) put(o, " yields to the loop (sleep(0)) and will run again soon.");
        else if (!strcmp(ev->reason, "done")) put(o, " finishes: its coroutine returned.");
        else if (!strcmp(ev->reason, "raised")) put(o, " ends with an exception (%s).", ev->exc ? ev->exc : "?");
        else put(o, " ends cancelled.");
        break;
    case AW_TK_AWAIT:
        if (ev->task) put_task(o, m, s, ev->task);
        else put(o, "The program");
        if (ev->future) {
            put(o, " awaits ");
            put_future(o, m, s, ev->future);
            if (ev->file && ev->line > 0) put(o, " (%s:%lld)", ev->file, (long long)ev->line);
            put(o, ".");
        } else {
            put(o, " awaits %s()", ev->what ? ev->what : "?");
            if (ev->file && ev->line > 0) put(o, " (%s:%lld)", ev->file, (long long)ev->line);
            put(o, ": the coroutine runs inside the task; no new task is made.");
        }
        break;
    case AW_TK_CORO_CREATED:
        put(o, "A coroutine object %s() is made; nothing runs until it is awaited or wrapped in a task.",
            ev->name ? ev->name : "?");
        break;
    case AW_TK_FUTURE_CREATED:
        put(o, "Future %lld is created", (long long)ev->future);
        if (ev->task) {
            put(o, " by ");
            put_task(o, m, s, ev->task);
        }
        put(o, ".");
        break;
    case AW_TK_FUTURE_DONE: {
        const mfut *f = aw__fut(m, ev->future, s);
        if (f && f->is_task) put_task(o, m, s, ev->future);
        else put(o, "Future %lld", (long long)ev->future);
        if (!strcmp(ev->reason, "result")) put(o, " is done with result %s.", ev->result ? ev->result : "None");
        else if (!strcmp(ev->reason, "exception")) {
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
        if (ev->count == 0) put(o, "Future %lld has no done-callbacks to schedule.", (long long)ev->future);
        else
            put(o, "Future %lld schedules its %lld done-callback%s (call_soon, in registration order).",
                (long long)ev->future, (long long)ev->count, ev->count == 1 ? "" : "s");
        break;
    case AW_TK_CANCEL_REQUESTED:
        if (ev->by) {
            put_task(o, m, s, ev->by);
            put(o, " requests");
        } else put(o, "The program requests");
        put(o, " cancellation of ");
        if (ev->task) put_task(o, m, s, ev->task);
        else put_future_name(o, m, s, ev->future);
        if (ev->message) put(o, " (message '%s')", ev->message);
        if (!ev->accepted) put(o, ", but it is already done: nothing happens.");
        else if (ev->task) put(o, "; cancelling() is now %lld.", (long long)ev->cancelling);
        else put(o, ".");
        break;
    case AW_TK_CANCEL_DELIVERED:
        put(o, "CancelledError");
        if (ev->message && *ev->message) put(o, "('%s')", ev->message);
        put(o, " is raised inside ");
        put_task(o, m, s, ev->task);
        put(o, " at the await where it was suspended.");
        break;
    case AW_TK_UNCANCEL:
        put_task(o, m, s, ev->task);
        put(o, " calls uncancel(): cancelling() is now %lld.", (long long)ev->cancelling);
        break;
    case AW_TK_TIMEOUT_ARMED:
    case AW_TK_TIMEOUT_RESCHEDULED:
        if (ev->kind == AW_TK_TIMEOUT_ARMED) {
            if (ev->task) {
                put_task(o, m, s, ev->task);
                put(o, " enters timeout scope %lld", (long long)ev->scope);
            } else put(o, "Timeout scope %lld is entered", (long long)ev->scope);
        } else put(o, "Timeout scope %lld is rescheduled", (long long)ev->scope);
        if (ev->deadline_ns == AW_MODEL_NULL) put(o, " with no deadline.");
        else {
            put(o, ", which expires at ");
            put_time(o, ev->deadline_ns);
            put(o, ".");
        }
        break;
    case AW_TK_TIMEOUT_EXPIRED:
        put(o, "Timeout scope %lld expires", (long long)ev->scope);
        if (ev->task) {
            put(o, ": it cancels ");
            put_task(o, m, s, ev->task);
        }
        put(o, ".");
        break;
    case AW_TK_TIMEOUT_DISARMED:
        put(o, "Timeout scope %lld exits", (long long)ev->scope);
        if (ev->raised) put(o, " and raises TimeoutError.");
        else put(o, " in time: no timeout.");
        break;
    case AW_TK_GATHER:
        put(o, "gather() makes future %lld, done when all of its %zu awaitable%s are done.", (long long)ev->future,
            ev->n_ids, ev->n_ids == 1 ? "" : "s");
        break;
    case AW_TK_WAIT:
        put(o, "%s waits on %zu future%s (%s", !strcmp(ev->mode, "as_completed") ? "as_completed()" : "wait()",
            ev->n_ids, ev->n_ids == 1 ? "" : "s", ev->mode);
        if (ev->timeout_ns != AW_MODEL_NULL) {
            put(o, ", timeout ");
            put_time(o, ev->timeout_ns);
            put(o, " s");
        }
        put(o, ").");
        break;
    case AW_TK_CLOCK_JUMP:
        put(o, "Nothing can run before the next timer, so the simulated clock jumps from ");
        put_time(o, ev->from_ns);
        put(o, " to ");
        put_time(o, ev->to_ns);
        put(o, ".");
        break;
    case AW_TK_IO_WAIT:
        put(o, "The loop polls for I/O (%lld descriptor%s watched), ", (long long)ev->watched, ev->watched == 1 ? "" : "s");
        if (ev->timeout_ns == AW_MODEL_NULL) put(o, "with no time limit.");
        else {
            put(o, "waiting at most ");
            put_time(o, ev->timeout_ns);
            put(o, " s.");
        }
        break;
    case AW_TK_IO_READY:
        put(o, "Descriptor %lld is ready%s%s.", (long long)ev->fd, ev->readable ? " to read" : "",
            ev->writable ? (ev->readable ? " and to write" : " to write") : "");
        break;
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
        put_time(o, ev->duration_ns);
        put(o, " s: the loop is blocked and nothing else can run.");
        break;
    case AW_TK_WARNING: put(o, "Warning (%s): %s", ev->category ? ev->category : "?", ev->message ? ev->message : ""); break;
    case AW_TK_AWAIT_RETURN:
        put(o, "In ");
        put_task(o, m, s, ev->task);
        if (ev->coro) put(o, ", the await of a coroutine");
        else {
            put(o, ", the await of ");
            put_future_name(o, m, s, ev->future);
        }
        if (!strcmp(ev->reason, "result")) put(o, " returns %s.", ev->result ? ev->result : "None");
        else put(o, " raises %s.", ev->exc ? ev->exc : "an exception");
        break;
    case AW_TK_HANDLER:
        put_task(o, m, s, ev->task);
        if (!strcmp(ev->what, "except")) put(o, " enters `except %s:`.", ev->exc ? ev->exc : "");
        else if (!strcmp(ev->what, "finally")) put(o, " enters `finally:`.");
        else put(o, " raises %s.", ev->exc ? ev->exc : "again");
        break;
    case AW_TK_RUNNER:
        if (!strcmp(ev->phase, "main")) put(o, "asyncio.run() starts: a new loop will run main().");
        else if (!strcmp(ev->phase, "shutdown"))
            put(o, "main() is done: asyncio.run() shuts down (it cancels the tasks still running, then closes "
                   "the loop).");
        else put(o, "asyncio.run() closes the loop.");
        break;
    case AW_TK_LOOP_STOP: put(o, "The loop stops running."); break;
    case AW_TK_LOOP_CLOSE: put(o, "The loop is closed: the program is over."); break;
    default: put(o, "Event '%s'.", ev->kind_name); break;
    }
    /* A sentence starts with a capital letter ("task 'x'..." -> "Task 'x'..."). */
    if (o->len) o->buf[0] = (char)toupper((unsigned char)o->buf[0]);
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

static bool matches(const aw_model *m, const aw_model_event *ev, const char *needle, char *buf, size_t size)
{
    const char *strs[] = {ev->kind_name, ev->name,   ev->coro_name, ev->callback, ev->what,
                          ev->file,      ev->text,   ev->result,    ev->exc,      ev->message,
                          ev->category};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (contains(strs[i], needle)) return true;
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
