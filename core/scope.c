/* scope.c — `async with` in C: the open scopes of a task (timeouts, task groups), the block
 * macros' driver, and what happens to a scope its coroutine leaves open.
 *
 * Python's `async with` always exits: a `return`, an exception or a `break` leaving the body runs
 * __aexit__.  C cannot intercept a `return`, so the core does it one level up: every scope records
 * the coroutine that entered it, and when that coroutine returns (aw__coro_run), the scopes it
 * left open are exited there, innermost first, with its outcome, as the `async with` would have
 * been on the way out.  A scope can therefore never stay armed after its coroutine is gone, to
 * cancel the task at some later, unrelated await.
 *
 * A block (AW_TIMEOUT, AW_TASKGROUP) may be left by `return` (or AW_AWAIT's propagation) like a
 * Python body: that is an exit, not a mistake.  A scope entered with the lower-level calls
 * (aw_timeout_begin, aw_taskgroup_enter) promises its own exit call on every path; one still open
 * at return broke that promise, so after exiting it the core makes the coroutine raise
 * RuntimeError naming the line that entered it (the exception it was propagating, if any, is
 * named in the message and dropped). */
#include <stdio.h>

#include "internal.h"

void aw__scope_push(aw__scope *s, aw_task *t, const char *what)
{
    s->what = what;
    s->task = t;
    s->frame = t->running;
    s->open = true;
    s->outer = t->scopes;
    t->scopes = s;
}

void aw__scope_pop(aw__scope *s)
{
    if (!s->open) return;
    s->open = false;
    /* Usually the innermost; the lower-level API lets a program exit out of order. */
    for (aw__scope **p = &s->task->scopes; *p; p = &(*p)->outer) {
        if (*p == s) {
            *p = s->outer;
            break;
        }
    }
    s->outer = NULL;
}

aw_value aw__scopes_exit_frame(aw_task *t, aw__coro *c, aw_value v)
{
    aw__scope *leaked = NULL;
    char was[256] = "";
    while (t->scopes && t->scopes->frame == c) {
        aw__scope *s = t->scopes;
        if (!s->block && !leaked) {
            leaked = s;
            if (v.kind == AW_RAISED && aw_exc_current()) aw__exc_repr(aw_exc_current(), was, sizeof was);
        }
        aw_status body = v.kind == AW_RAISED ? aw_exc_status(aw_exc_current()) : AW_OK;
        aw_status st = s->exit(s, body);
        aw__scope_pop(s); /* an exit that failed early still leaves the stack */
        if (st != AW_OK)
            v = (aw_value){AW_RAISED, {0}};
        else if (v.kind == AW_RAISED) /* the scope swallowed the exception: the return value is lost */
            v = aw_none();
    }
    if (leaked) {
        aw__set_in_flight(aw_exc_new("RuntimeError",
                                     "%s scope entered at %s:%d was still open when coroutine '%s' %s%s; it "
                                     "was exited then (use the block form, or exit it on every path)",
                                     leaked->what, leaked->file ? leaked->file : "?", leaked->line, c->name,
                                     was[0] ? "raised " : "returned", was));
        v = (aw_value){AW_RAISED, {0}};
    }
    return v;
}

/* The block macros' loop condition: true once (run the body), then exit the scope. */
bool aw__with_next(aw__with *w, aw_status *st)
{
    aw__scope *s = w->scope;
    if (w->phase == 0) {
        w->phase = 1;
        if (s && s->open) {
            s->block = true;
            return true;
        }
        /* entering failed: the body does not run, the error is in flight */
        *st = aw_exc_current() ? aw_exc_status(aw_exc_current()) : AW_ERROR;
        w->phase = 2;
        return false;
    }
    if (w->phase == 1) {
        w->phase = 2;
        if (s->open) {
            *st = s->exit(s, w->body);
            aw__scope_pop(s);
        } else {
            *st = w->body; /* exited already (the program called the exit itself) */
        }
    }
    return false;
}
