/* timeout.c — timeout scopes (asyncio.timeout / timeout_at) and wait_for (3.12+: a timeout
 * scope around the await).
 *
 * A scope that expires cancels its task; when the body ends it takes that cancellation back
 * (uncancel) and, if no other cancel request arrived meanwhile, turns the CancelledError into
 * TimeoutError.  Scopes live in the loop's arena, so aw_timeout_expired() still answers after
 * aw_timeout_end(), as `cm.expired()` does after the `async with` block. */
#include <string.h>

#include "internal.h"

typedef enum { SCOPE_CREATED, SCOPE_ENTERED, SCOPE_EXPIRING, SCOPE_EXPIRED, SCOPE_EXITED } scope_state;

struct aw_timeout {
    aw__scope scope;      /* first: in its task's stack of open scopes while entered */
    aw_loop *loop;
    aw_task *task;
    unsigned id;
    scope_state state;
    double when;          /* loop.time() seconds; NEVER: no deadline (None); may be negative */
    aw_handle *handler;
    int cancelling;       /* the task's cancelling() when the scope was entered */
    const char *api;      /* what the program called: "asyncio.timeout", "wait_for"... (traces) */
};

#define NEVER AW_NO_TIMEOUT

/* A deadline as traces write it: null for never; one before the loop's start as 0. */
#define traced aw__traced_time

static void on_timeout(void *arg)
{
    aw_timeout *t = arg;
    AW__TRACE(t->loop, .kind = AW_EV_TIMEOUT_EXPIRED, .other = t->id, .task = t->task->fut.id,
              .ta = traced(t->when), .via = t->api);
    AW__VIA(t->loop, t->api, aw_task_cancel(t->task, NULL));
    t->state = SCOPE_EXPIRING;
    aw__handle_release(t->handler);
    t->handler = NULL;
}

static void drop_handler(aw_timeout *t)
{
    if (!t->handler) return;
    aw_handle_cancel(t->handler);
    aw__handle_release(t->handler);
    t->handler = NULL;
}

static aw_status reschedule(aw_timeout *t, double when, aw_event_kind kind)
{
    if (t->state != SCOPE_ENTERED) {
        if (t->state == SCOPE_CREATED) return aw__fail(AW_RuntimeError, "Timeout has not been entered");
        static const char *names[] = {"created", "active", "expiring", "expired", "finished"};
        return aw__fail(AW_RuntimeError, "Cannot change state of %s Timeout", names[t->state]);
    }
    t->when = when;
    drop_handler(t);
    AW__TRACE(t->loop, .kind = kind, .other = t->id, .task = t->task->fut.id, .ta = traced(when), .via = t->api);
    if (when == NEVER) return AW_OK;
    aw_loop *loop = t->loop;
    if (when <= aw_loop_time(loop))
        t->handler = aw__call_soon_held(loop, on_timeout, t, "timeout", t->task->fut.id);
    else
        t->handler = aw__timer_at_held(loop, when, on_timeout, t, "timeout", t->task->fut.id, 0);
    return AW_OK;
}

static aw_status scope_exit(aw__scope *s, aw_status body) { return aw_timeout_end((aw_timeout *)s, body); }

static aw_timeout *scope_enter(double when, const char *api)
{
    aw_loop *loop = aw__running_loop();
    if (!loop) return NULL;
    aw_timeout *t = aw__arena_alloc(loop, sizeof *t);
    memset(t, 0, sizeof *t);
    t->loop = loop;
    t->id = ++loop->next_scope_id;
    t->api = api;
    t->task = loop->current_task;
    if (!t->task) {
        aw__fail(AW_RuntimeError, "Timeout should be used inside a task");
        return t; /* stays CREATED: aw_timeout_end() reports the error */
    }
    t->state = SCOPE_ENTERED;
    t->scope.exit = scope_exit;
    t->scope.file = t->task->site_file;
    t->scope.line = t->task->site_line;
    aw__scope_push(&t->scope, t->task, api);
    t->cancelling = aw_task_cancelling(t->task);
    reschedule(t, when, AW_EV_TIMEOUT_ARMED);
    return t;
}

aw_timeout *aw_timeout_begin_at(double when)
{
    return scope_enter(aw__no_timeout(when) ? NEVER : when, "asyncio.timeout_at");
}

static aw_timeout *timeout_begin(double delay, const char *api)
{
    aw_loop *loop = aw__running_loop();
    if (!loop) return NULL;
    /* loop.time() + delay, in floats as CPython computes it.  A negative delay is a deadline
     * already past (timeout(-1) expires at the next iteration), as in CPython. */
    return scope_enter(aw__no_timeout(delay) ? NEVER : aw__later(loop, delay), api);
}

aw__scope *aw__timeout_scope(aw_timeout *t) { return t ? &t->scope : NULL; }

aw_timeout *aw_timeout_begin(double delay) { return timeout_begin(delay, "asyncio.timeout"); }

aw_status aw_timeout_reschedule(aw_timeout *t, double when)
{
    if (!t) return aw__fail(AW_RuntimeError, "no timeout scope");
    return reschedule(t, aw__no_timeout(when) ? NEVER : when, AW_EV_TIMEOUT_RESCHEDULED);
}

bool aw_timeout_expired(const aw_timeout *t) { return t && (t->state == SCOPE_EXPIRING || t->state == SCOPE_EXPIRED); }
double aw_timeout_when(const aw_timeout *t) { return !t ? AW_NO_TIMEOUT : t->when; }

aw_status aw_timeout_end(aw_timeout *t, aw_status body)
{
    if (!t) return aw__fail(AW_RuntimeError, "no timeout scope");
    if (t->state == SCOPE_CREATED) return AW_ERROR; /* begin failed; its error is in flight */
    aw__scope_pop(&t->scope);
    drop_handler(t);
    bool raised_timeout = false;
    if (t->state == SCOPE_EXPIRING) {
        t->state = SCOPE_EXPIRED;
        int left;
        AW__VIA(t->loop, t->api, left = aw_task_uncancel(t->task));
        if (left <= t->cancelling && body == AW_CANCELLED) {
            aw__set_in_flight(aw_exc_new_class(AW_TimeoutError, NULL));
            raised_timeout = true;
            body = AW_TIMEOUT;
        }
    } else if (t->state == SCOPE_ENTERED) {
        t->state = SCOPE_EXITED;
    }
    AW__TRACE(t->loop, .kind = AW_EV_TIMEOUT_DISARMED, .other = t->id, .task = t->task->fut.id,
              .reason = raised_timeout, .via = t->api);
    return body;
}

/* ---- wait_for --------------------------------------------------------------------------------- */
static void release_waiter(aw_future *f, void *arg)
{
    (void)f;
    aw_future *waiter = arg;
    if (waiter->state == AW__PENDING) aw__future_finish(waiter, aw_none());
    aw__future_unref(waiter); /* the callback's reference: it may run after cancel_and_wait returned */
}

/* _cancel_and_wait: cancel fut and wait until it is done, without awaiting fut itself, so that
 * this wait stays cancellable. */
static aw_status cancel_and_wait(aw_future *fut)
{
    aw_future *waiter = aw__future_new_internal(fut->loop);
    aw__future_ref(waiter);
    aw_future_add_done_callback(fut, release_waiter, waiter);
    /* Only the cancel is wait_for's act: the wait below lets other tasks run meanwhile. */
    AW__VIA(fut->loop, "wait_for", aw_future_cancel(fut, NULL));
    aw_status st = aw__await_future(waiter, NULL, NULL, 0);
    if (aw_future_remove_done_callback(fut, release_waiter, waiter)) aw__future_unref(waiter);
    aw_future_detach(waiter);
    return st;
}

AW_COROUTINE(wait_for, void *aw; double timeout;)
{
    aw_value v = aw_none();
    /* 3.12+: `if timeout is not None and timeout <= 0`: a negative timeout is already over. */
    if (!aw__no_timeout(self->timeout) && self->timeout <= 0) {
        aw_future *fut = aw__ensure_future(aw__running_loop(), self->aw);
        if (!fut) return aw_reraise();
        if (fut->state != AW__PENDING) {
            AW_TRY(aw__take_outcome(fut, &v));
            return v;
        }
        AW_TRY(cancel_and_wait(fut));
        aw_status st = aw__take_outcome(fut, &v);
        if (st == AW_CANCELLED) return aw_raise_class(AW_TimeoutError, NULL);
        if (st != AW_OK) return aw_reraise();
        return v;
    }
    aw_timeout *scope = timeout_begin(self->timeout, "wait_for");
    aw_status st = aw_await(self->aw, &v);
    AW_TRY(aw_timeout_end(scope, st));
    return v;
}

aw_coro *aw_wait_for(void *awaitable, double timeout) { return AW_CALL(wait_for, awaitable, timeout); }
