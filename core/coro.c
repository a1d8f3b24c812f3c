/* coro.c — coroutine objects and `await`.
 *
 * AW_CALL(f, args) makes a coroutine object and runs nothing, as calling an async def does.
 * Awaiting it runs the body right here, on the awaiting task's stack; wrapping it in a task
 * schedules it.  Objects that nothing consumed are reported when the loop closes, in CPython's
 * words ("coroutine 'nested' was never awaited"); CPython reports them when they are garbage
 * collected, which C cannot see, so the loop's close is the latest moment the rule allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Not yet consumed, oldest first (a coroutine may be made before any loop exists). */
static _Thread_local aw_coro *pending_head, *pending_tail;
static _Thread_local unsigned next_coro_id;

aw_coro *aw_coro_new(const char *name, aw_coro_body body, const void *args, size_t args_size,
                     const char *file, int line)
{
    aw_coro *c = malloc(sizeof *c + args_size);
    if (!c) abort();
    memset(c, 0, sizeof *c);
    c->tag = AW__TAG_CORO;
    c->id = ++next_coro_id;
    c->name = name;
    c->body = body;
    c->file = file;
    c->line = line;
    c->args_size = args_size;
    memcpy(c->args, args, args_size);
    c->prev_pending = pending_tail;
    if (pending_tail)
        pending_tail->next_pending = c;
    else
        pending_head = c;
    pending_tail = c;
    aw__site(file, line);
    aw_loop *loop = aw__running_loop();
    /* file NULL: core made it (sleep, wait_for...): the library's body, the caller's line */
    if (loop)
        AW__TRACE(loop, .kind = AW_EV_CORO_CREATED, .other = c->id, .name = name,
                  .task = aw__task_id(loop->current_task), .b = file == NULL, .file = file, .line = line);
    return c;
}

const char *aw_coro_name(const aw_coro *c) { return c->name; }

void aw__coro_consume(aw_coro *c)
{
    if (c->consumed) return;
    c->consumed = true;
    if (c->prev_pending)
        c->prev_pending->next_pending = c->next_pending;
    else
        pending_head = c->next_pending;
    if (c->next_pending)
        c->next_pending->prev_pending = c->prev_pending;
    else
        pending_tail = c->prev_pending;
    c->prev_pending = c->next_pending = NULL;
}

void aw__coro_free(aw_coro *c)
{
    aw__coro_consume(c);
    c->tag = 0;
    free(c);
}

void aw_coro_close(aw_coro *c) { aw__coro_free(c); }

void aw__coro_report_never_awaited(aw_loop *loop)
{
    while (pending_head) {
        aw_coro *c = pending_head;
        aw__warn_at(loop, "RuntimeWarning", c->file, c->line, "%s:%d: RuntimeWarning: coroutine '%s' was never awaited",
                    c->file, c->line, c->name);
        aw__coro_free(c);
    }
}

/* Runs the body in the current task.  Like a Python frame, the body has its own "exception
 * being handled": the caller's is set aside and comes back unless the body raises. */
aw_value aw__coro_run(aw_coro *c)
{
    aw__coro_consume(c);
    aw_exc **slot = aw__in_flight_slot();
    aw_exc *callers = *slot;
    *slot = NULL;
    /* Keep a chain of the coroutines running on this task's stack: a task destroyed while
     * suspended frees them (C cannot unwind the frames, but it can free the objects). */
    aw_task *t = aw_current_task();
    if (t) {
        c->caller = t->running;
        t->running = c;
    }
    aw_value v = c->body(c->args);
    if (t) t->running = c->caller;
    aw__coro_free(c);
    slot = aw__in_flight_slot();
    if (v.kind == AW_RAISED) {
        if (!*slot) *slot = aw_exc_new_class(AW_RuntimeError, "a coroutine returned aw_reraise() with no exception");
        aw_exc_unref(callers);
    } else {
        aw_exc_unref(*slot);
        *slot = callers;
    }
    return v;
}

/* ---- await ---------------------------------------------------------------------------------- */

/* The await expression at file:line returns (or raises) to the program: a step of its own in a
 * trace, and the task is back at that line. */
static void trace_await_return(aw_loop *loop, aw_task *t, unsigned future, unsigned coro, aw_status st,
                               aw_value v, const char *file, int line)
{
    aw__site(file, line);
    if (!loop->opts.tracer) return;
    char result[512] = "";
    const aw_exc *e = st == AW_OK ? NULL : aw_exc_current();
    int reason = st == AW_OK ? AW_DONE_RESULT : st == AW_CANCELLED ? AW_DONE_CANCELLED : AW_DONE_EXCEPTION;
    if (st == AW_OK) aw_value_repr(v, result, sizeof result);
    AW__TRACE(loop, .kind = AW_EV_AWAIT_RETURN, .task = t->fut.id, .future = future, .other = coro,
              .reason = reason, .text = st == AW_OK ? result : NULL, .name = e ? aw_exc_type(e) : NULL,
              .message = e ? aw_exc_message(e) : NULL, .file = file, .line = line);
}
aw_status aw__await_future(aw_future *f, aw_value *out, const char *file, int line)
{
    aw_loop *loop = aw__running_loop();
    aw_task *t = loop ? loop->current_task : NULL;
    if (!t) return aw__fail(AW_RuntimeError, "await outside a task: aw_await() must run inside a coroutine driven by a task");
    if (f->loop != loop)
        /* tasks.py: f'Task {self!r} got Future {result!r} attached to a different loop' */
        return aw__fail(AW_RuntimeError, "Task <Task pending name='%s' coro=<%s() running>> got Future <%s %s> attached to a different loop",
                        t->name, t->coro_name, f->is_task ? "Task" : "Future", f->state == AW__PENDING ? "pending" : "finished");
    aw__site(file, line);
    AW__TRACE(loop, .kind = AW_EV_AWAIT, .task = t->fut.id, .future = f->id,
              .name = f->is_task ? ((aw_task *)f)->name : "future", .file = file, .line = line);
    aw_value v = aw_none();
    aw_status st = AW_OK;
    if (f->state == AW__PENDING) {
        st = aw__suspend_on(f);
        if (st == AW_CANCELLED)
            AW__TRACE(loop, .kind = AW_EV_CANCEL_DELIVERED, .task = t->fut.id, .text = aw__exc_text(aw_exc_current()));
    }
    if (st == AW_OK) {
        st = aw__take_outcome(f, &v);
        /* A CancelledError reaches the coroutine: delivered if this task is being cancelled
         * (its cancel() reached the awaited future, e.g. a gather that failed with
         * CancelledError) or the awaited future itself was cancelled (sim/trace-format.md,
         * cancel_delivered); not when it merely awaits a cancelled task. */
        if (st == AW_CANCELLED && loop->opts.tracer &&
            ((f->state == AW__CANCELLED && !f->is_task) || t->num_cancels_requested > 0))
            AW__TRACE(loop, .kind = AW_EV_CANCEL_DELIVERED, .task = t->fut.id, .text = aw__exc_text(aw_exc_current()));
    }
    trace_await_return(loop, t, f->id, 0, st, v, file, line);
    if (st == AW_OK && out) *out = v;
    return st;
}

aw_status aw__await(void *awaitable, aw_value *out, const char *file, int line)
{
    /* NULL from a call that failed (aw_gather, aw_create_task...): its exception, in flight,
     * propagates, as it would have in Python before any await. */
    if (!awaitable) {
        aw_exc *pending = aw_exc_current();
        return pending ? aw_exc_status(pending) : aw__fail(AW_TypeError, "'NoneType' object can't be awaited");
    }
    uint32_t tag = *(const uint32_t *)awaitable;
    if (tag == AW__TAG_FUTURE) return aw__await_future(awaitable, out, file, line);
    if (tag != AW__TAG_CORO) return aw__fail(AW_TypeError, "object can't be awaited");
    aw_coro *c = awaitable;
    aw_loop *loop = aw__running_loop();
    aw_task *t = loop ? loop->current_task : NULL;
    if (!t) {
        aw__coro_free(c);
        return aw__fail(AW_RuntimeError, "await outside a task: aw_await() must run inside a coroutine driven by a task");
    }
    if (c->consumed) return aw__fail(AW_RuntimeError, "cannot reuse already awaited coroutine");
    aw__site(file, line);
    AW__TRACE(loop, .kind = AW_EV_AWAIT, .task = t->fut.id, .name = c->name, .other = c->id, .file = file,
              .line = line);
    unsigned coro_id = c->id;
    aw_value v = aw__coro_run(c);
    aw_status st = v.kind == AW_RAISED ? aw_exc_status(aw_exc_current()) : AW_OK;
    trace_await_return(loop, t, 0, coro_id, st, v, file, line);
    if (st == AW_OK && out) *out = v;
    return st;
}

/* ensure_future: a coroutine becomes a task; a future stays itself. */
aw_future *aw__ensure_future(aw_loop *loop, void *awaitable)
{
    if (awaitable) {
        uint32_t tag = *(const uint32_t *)awaitable;
        if (tag == AW__TAG_FUTURE) return awaitable;
        if (tag == AW__TAG_CORO) {
            aw_task *t = aw_loop_create_task(loop, awaitable, NULL);
            return t ? &t->fut : NULL;
        }
    }
    aw__fail(AW_TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
    return NULL;
}
