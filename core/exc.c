/* exc.c — exceptions as values, and the exception "in flight" in the current task.
 *
 * Python propagates an exception by unwinding; here an await returns a status and the exception
 * stays in flight (per task, like the interpreter's per-thread current exception) until the
 * coroutine returns normally (handled), re-raises it (aw_reraise) or clears it (aw_exc_clear).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *s = malloc((size_t)n + 1);
    if (!s) abort();
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static aw_exc *exc_make(const char *type, char *message)
{
    aw_exc *e = calloc(1, sizeof *e);
    if (!e) abort();
    e->refs = 1;
    e->type = strdup(type);
    if (!e->type) abort();
    e->message = message;
    return e;
}

aw_exc *aw_exc_new(const char *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    return exc_make(type, msg);
}

aw_exc *aw__cancelled_error(const char *msg)
{
    return exc_make("CancelledError", msg ? strdup(msg) : NULL);
}

const char *aw_exc_type(const aw_exc *e) { return e ? e->type : NULL; }
const char *aw_exc_message(const aw_exc *e) { return e && e->message ? e->message : ""; }

aw_exc *aw_exc_ref(aw_exc *e)
{
    if (e) e->refs++;
    return e;
}

void aw_exc_unref(aw_exc *e)
{
    if (!e || --e->refs > 0) return;
    free(e->type);
    free(e->message);
    free(e);
}

aw_status aw_exc_status(const aw_exc *e)
{
    if (!e) return AW_OK;
    if (strcmp(e->type, "CancelledError") == 0) return AW_CANCELLED;
    if (strcmp(e->type, "TimeoutError") == 0) return AW_TIMEOUT;
    return AW_ERROR;
}

size_t aw__exc_repr(const aw_exc *e, char *buf, size_t size)
{
    int n = e->message ? snprintf(buf, size, "%s('%s')", e->type, e->message)
                       : snprintf(buf, size, "%s()", e->type);
    return n < 0 ? 0 : (size_t)n;
}

/* ---- in flight ------------------------------------------------------------------------------
 * Outside any task (e.g. after aw_loop_run_until_complete returned an error) the exception lives
 * in a per-thread slot, so the caller can still inspect it. */
static _Thread_local aw_exc *outside_task;

aw_exc **aw__in_flight_slot(void)
{
    aw_loop *loop = aw__running_loop();
    if (loop && loop->current_task) return &loop->current_task->in_flight;
    return &outside_task;
}

void aw__set_in_flight(aw_exc *e)
{
    aw_exc **slot = aw__in_flight_slot();
    aw_exc *old = *slot;
    *slot = e;
    aw_exc_unref(old);
}

aw_exc *aw_exc_current(void) { return *aw__in_flight_slot(); }
void aw_exc_clear(void) { aw__set_in_flight(NULL); }

aw_status aw__fail(const char *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    aw_exc *e = exc_make(type, msg);
    aw_status st = aw_exc_status(e);
    aw__set_in_flight(e);
    return st;
}

aw_value aw_raise(const char *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    aw__set_in_flight(exc_make(type, msg));
    aw_value v = {AW_RAISED, {0}};
    return v;
}

aw_value aw_raise_exc(aw_exc *e)
{
    aw__set_in_flight(aw_exc_ref(e));
    aw_value v = {AW_RAISED, {0}};
    return v;
}

aw_value aw_reraise(void)
{
    aw_value v = {AW_RAISED, {0}};
    if (!aw_exc_current()) /* "raise" with nothing to re-raise, as Python says it */
        aw__set_in_flight(aw_exc_new("RuntimeError", "No active exception to reraise"));
    return v;
}

/* ---- the Python statements a port spells out (awaitlab.h): traced as `handler` events ---------- */

static void trace_handler(int what, const aw_exc *e)
{
    aw_loop *loop = aw__running_loop();
    if (!loop) return;
    AW__TRACE(loop, .kind = AW_EV_HANDLER, .task = aw__task_id(loop->current_task), .reason = what,
              .name = e ? e->type : NULL, .text = e ? aw_exc_message(e) : NULL);
}

/* `except type:` by name, with the two classes every program uses as catch-alls.  (Issue: a
 * hierarchy of user-defined classes is the exception module's job, not this matcher's.) */
static bool exc_matches(const aw_exc *e, const char *type)
{
    if (!e || !type) return false;
    if (!strcmp(type, "BaseException")) return true;
    if (!strcmp(type, "Exception"))
        return strcmp(e->type, "CancelledError") && strcmp(e->type, "KeyboardInterrupt") &&
               strcmp(e->type, "SystemExit");
    if (!strcmp(type, "OSError") && !strcmp(e->type, "TimeoutError")) return true;
    return !strcmp(e->type, type);
}

bool aw_except(aw_status st, const char *type)
{
    aw_exc *e = aw_exc_current();
    if (st == AW_OK || !exc_matches(e, type)) return false;
    trace_handler(AW_HANDLER_EXCEPT, e);
    return true;
}

void aw_finally(void) { trace_handler(AW_HANDLER_FINALLY, NULL); }

aw_value aw_raise_again(void)
{
    aw_value v = aw_reraise();
    trace_handler(AW_HANDLER_RAISE, aw_exc_current());
    return v;
}

aw_value aw__raised_at(const char *file, int line, aw_value raised)
{
    aw__site(file, line);
    trace_handler(AW_HANDLER_RAISE, aw_exc_current());
    return raised;
}
