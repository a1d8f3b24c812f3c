/* future.c — futures: a result, an exception or a cancellation, and callbacks scheduled in
 * registration order with call_soon when the future completes (CPython's futures.Future). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

aw_future *aw__future_alloc(aw_loop *loop, size_t size, bool is_task)
{
    aw_future *f = aw__recycled_alloc(size);
    memset(f, 0, size);
    f->tag = AW__TAG_FUTURE;
    f->loop = loop;
    f->id = ++loop->next_future_id;
    f->is_task = is_task;
    f->user_held = true;
    f->next_all = loop->all_futures;
    if (loop->all_futures) loop->all_futures->prev_all = f;
    loop->all_futures = f;
    return f;
}

aw_future *aw_future_new(aw_loop *loop)
{
    aw_future *f = aw__future_alloc(loop, sizeof(aw_future), false);
    AW__TRACE(loop, .kind = AW_EV_FUTURE_CREATED, .future = f->id,
              .task = aw__task_id(loop->current_task));
    return f;
}

aw_future *aw__future_new_internal(aw_loop *loop) { return aw_future_new(loop); }

/* ---- what few futures need (internal.h: aw__future_extra) ----------------------------------- */
aw__future_extra *aw__future_extra_of(aw_future *f)
{
    if (!f->extra && !(f->extra = calloc(1, sizeof *f->extra))) abort();
    return f->extra;
}

void aw__future_set_what(aw_future *f, const char *what) { aw__future_extra_of(f)->what = what; }

const char *aw__future_what(const aw_future *f)
{
    return f->extra && f->extra->what ? f->extra->what : "future";
}

void aw__future_set_cancel_message(aw_future *f, const char *msg)
{
    if (!msg && !f->extra) return;
    aw__future_extra *x = aw__future_extra_of(f);
    char *copy = msg ? strdup(msg) : NULL; /* msg may be the message itself */
    if (msg && !copy) abort();
    free(x->cancel_message);
    x->cancel_message = copy;
}

static void free_extra(aw_future *f)
{
    aw__future_extra *x = f->extra;
    if (!x) return;
    if (x->hook_free && x->hook_data) x->hook_free(x->hook_data);
    aw_exc_unref(x->cancelled_exc);
    free(x->cancel_message);
    free(x->more);
    free(x);
    f->extra = NULL;
}

void aw__future_free(aw_future *f)
{
    aw_loop *loop = f->loop;
    if (f->prev_all)
        f->prev_all->next_all = f->next_all;
    else
        loop->all_futures = f->next_all;
    if (f->next_all) f->next_all->prev_all = f->prev_all;
    if (f->is_task) aw__task_free((aw_task *)f);
    aw_exc_unref(aw__future_exc(f));
    free_extra(f);
    aw__recycled_free(f, f->is_task ? sizeof(aw_task) : sizeof(aw_future));
}

/* A future is freed once the program has let go of it (detach), it is done, and nothing inside
 * the loop still points at it. */
static void maybe_free(aw_future *f)
{
    if (!f->user_held && f->refs == 0 && f->state != AW__PENDING) {
        if (f->is_task) aw__task_report_unretrieved((aw_task *)f);
        aw__future_free(f);
    }
}

void aw__future_ref(aw_future *f) { f->refs++; }
void aw__future_unref(aw_future *f)
{
    f->refs--;
    maybe_free(f);
}

void aw_future_detach(aw_future *f)
{
    f->user_held = false;
    maybe_free(f);
}

unsigned aw_future_id(const aw_future *f) { return f->id; }
aw_loop *aw_future_loop(const aw_future *f) { return f->loop; }
bool aw_future_done(const aw_future *f) { return f->state != AW__PENDING; }
bool aw_future_cancelled(const aw_future *f) { return f->state == AW__CANCELLED; }

/* ---- callbacks ------------------------------------------------------------------------------ */
typedef struct callback_call {
    aw_future *f;
    aw_done_fn fn;
    void *arg;
} callback_call;

static void drop_done_callback(void *p) { aw__recycled_free(p, sizeof(callback_call)); }

static void run_done_callback(void *p)
{
    callback_call *c = p;
    aw_future *f = c->f;
    aw_done_fn fn = c->fn;
    void *arg = c->arg;
    aw__recycled_free(c, sizeof *c);
    fn(f, arg);
    aw__future_unref(f);
}

/* In traces, a task's wake-up names the task it wakes. */
static void schedule_callback(aw_future *f, aw__done_cb cb)
{
    callback_call *c = aw__recycled_alloc(sizeof *c);
    *c = (callback_call){f, cb.fn, cb.arg};
    aw__future_ref(f);
    unsigned task = cb.wakes_task ? aw_task_id(cb.arg) : 0;
    aw_handle *h = aw__call_soon_traced(f->loop, run_done_callback, c, task ? "task_wakeup" : "done_callback",
                                        task, f->id);
    h->drop = drop_done_callback;
}

static size_t n_callbacks(const aw_future *f)
{
    return f->first_fn ? 1 + (f->extra ? f->extra->n_more : 0) : 0;
}

/* The i-th callback in registration order: the inline one, then extra->more. */
static aw__done_cb callback_at(const aw_future *f, size_t i)
{
    if (i > 0) return f->extra->more[i - 1];
    return (aw__done_cb){f->first_fn, f->first_arg, f->first_wakes_task};
}

static void set_callback_at(aw_future *f, size_t i, aw__done_cb cb)
{
    if (i > 0) {
        f->extra->more[i - 1] = cb;
        return;
    }
    f->first_fn = cb.fn;
    f->first_arg = cb.arg;
    f->first_wakes_task = cb.wakes_task;
}

/* Keeps the first n callbacks. */
static void truncate_callbacks(aw_future *f, size_t n)
{
    if (n == 0) set_callback_at(f, 0, (aw__done_cb){NULL, NULL, false});
    if (f->extra) f->extra->n_more = n > 1 ? n - 1 : 0;
}

static void schedule_callbacks(aw_future *f)
{
    size_t n = n_callbacks(f);
    if (!n) return;
    AW__TRACE(f->loop, .kind = AW_EV_CALLBACKS, .future = f->id, .a = (int64_t)n);
    /* Taken off the future before any is scheduled (as CPython clears its list first). */
    aw__done_cb first = callback_at(f, 0);
    aw__done_cb *more = NULL;
    if (n > 1) {
        more = f->extra->more;
        f->extra->more = NULL;
        f->extra->cap_more = 0;
    }
    truncate_callbacks(f, 0);
    schedule_callback(f, first);
    for (size_t i = 0; i + 1 < n; i++) schedule_callback(f, more[i]);
    free(more);
}

static void add_callback(aw_future *f, aw__done_cb cb)
{
    if (f->state != AW__PENDING) {
        schedule_callback(f, cb);
        return;
    }
    if (!f->first_fn) {
        set_callback_at(f, 0, cb);
        return;
    }
    aw__future_extra *x = aw__future_extra_of(f);
    if (x->n_more == x->cap_more) {
        size_t cap = x->cap_more ? x->cap_more * 2 : 1;
        aw__done_cb *more = realloc(x->more, cap * sizeof *more);
        if (!more) abort();
        x->more = more;
        x->cap_more = cap;
    }
    x->more[x->n_more++] = cb;
}

void aw__future_add_wakeup(aw_future *f, aw_done_fn fn, aw_task *t) { add_callback(f, (aw__done_cb){fn, t, true}); }

void aw_future_add_done_callback(aw_future *f, aw_done_fn fn, void *arg)
{
    aw__abort_if_refused(aw__escapes_stack(arg, "a done callback's argument"));
    add_callback(f, (aw__done_cb){fn, arg, false});
}

size_t aw_future_remove_done_callback(aw_future *f, aw_done_fn fn, void *arg)
{
    size_t kept = 0, n = n_callbacks(f);
    for (size_t i = 0; i < n; i++) {
        aw__done_cb cb = callback_at(f, i);
        if (cb.fn != fn || cb.arg != arg) set_callback_at(f, kept++, cb);
    }
    truncate_callbacks(f, kept);
    return n - kept;
}

/* ---- completing ----------------------------------------------------------------------------- */
static void trace_done(aw_future *f)
{
    if (!f->loop->opts.tracer) return;
    char result[512] = "";
    const char *message = NULL, *type = NULL;
    int reason = AW_DONE_RESULT;
    if (f->state == AW__CANCELLED) {
        reason = AW_DONE_CANCELLED;
        message = aw__future_cancel_message(f);
    } else if (f->has_exc) {
        reason = AW_DONE_EXCEPTION;
        type = f->raised->cls->name;
        message = aw_exc_message(f->raised);
    } else {
        aw_value_repr(f->result, result, sizeof result);
    }
    /* by: the task whose code completed it (set_result, cancel...); none when a callback did */
    AW__TRACE(f->loop, .kind = AW_EV_FUTURE_DONE, .future = f->id, .task = f->is_task ? f->id : 0,
              .reason = reason, .name = type, .text = reason == AW_DONE_RESULT ? result : NULL,
              .message = message, .other = aw__task_id(f->loop->current_task));
}

static aw_status invalid_state(const char *what)
{
    return aw__fail(AW_InvalidStateError, "%s", what);
}

aw_status aw_future_set_result(aw_future *f, aw_value v)
{
    if (f->is_task) return aw__fail(AW_RuntimeError, "Task does not support set_result operation");
    if (f->state != AW__PENDING) return invalid_state("invalid state"); /* _asyncio.Future's words */
    if (aw__value_escapes_stack(v, "a future's result")) return AW_ERROR;
    f->result = v;
    f->state = AW__FINISHED;
    trace_done(f);
    schedule_callbacks(f);
    return AW_OK;
}

/* Internal: tasks finish through here too. */
static void finish_exception(aw_future *f, aw_exc *e)
{
    f->raised = e;
    f->has_exc = true;
    f->state = AW__FINISHED;
    f->log_traceback = true;
    trace_done(f);
    schedule_callbacks(f);
}

aw_status aw_future_set_exception(aw_future *f, aw_exc *e)
{
    if (f->is_task) {
        aw_exc_unref(e);
        return aw__fail(AW_RuntimeError, "Task does not support set_exception operation");
    }
    if (f->state != AW__PENDING) {
        aw_exc_unref(e);
        return invalid_state("invalid state");
    }
    finish_exception(f, e);
    return AW_OK;
}

void aw__future_finish(aw_future *f, aw_value v)
{
    f->result = v;
    f->state = AW__FINISHED;
    trace_done(f);
    schedule_callbacks(f);
}

void aw__future_finish_exception(aw_future *f, aw_exc *e) { finish_exception(f, e); }

void aw__future_set_result_unless_cancelled(aw_future *f, aw_value v)
{
    if (f->state == AW__CANCELLED) return;
    aw__future_finish(f, v);
}

bool aw__future_cancel_plain(aw_future *f, const char *msg)
{
    f->log_traceback = false;
    if (f->state != AW__PENDING) return false;
    f->state = AW__CANCELLED;
    aw__future_set_cancel_message(f, msg);
    trace_done(f);
    schedule_callbacks(f);
    return true;
}

bool aw_future_cancel(aw_future *f, const char *msg)
{
    if (f->is_task) return aw_task_cancel((aw_task *)f, msg);
    aw_loop *loop = f->loop;
    if (f->extra && f->extra->cancel_hook) return f->extra->cancel_hook(f, msg);
    /* the request before what it causes (the future done, its callbacks scheduled) */
    AW__TRACE(loop, .kind = AW_EV_CANCEL_REQUESTED, .future = f->id, .other = aw__task_id(loop->current_task),
              .text = msg, .reason = f->state == AW__PENDING);
    bool ok = aw__future_cancel_plain(f, msg);
    return ok;
}

aw_exc *aw__future_make_cancelled_error(aw_future *f)
{
    if (f->extra && f->extra->cancelled_exc) { /* one-shot, as futures.py's _make_cancelled_error */
        aw_exc *e = f->extra->cancelled_exc;
        f->extra->cancelled_exc = NULL;
        return e;
    }
    return aw__cancelled_error(aw__future_cancel_message(f));
}

/* result(): hands the outcome over; the exception (if any) goes in flight. */
aw_status aw__take_outcome(aw_future *f, aw_value *out)
{
    if (f->state == AW__PENDING) return invalid_state("Result is not set.");
    f->log_traceback = false;
    if (f->state == AW__CANCELLED) {
        aw__set_in_flight(aw__future_make_cancelled_error(f));
        return AW_CANCELLED;
    }
    if (f->has_exc) {
        aw__set_in_flight(aw_exc_ref(f->raised));
        return aw_exc_status(f->raised);
    }
    if (out) *out = f->result;
    return AW_OK;
}

aw_status aw_future_result(aw_future *f, aw_value *out) { return aw__take_outcome(f, out); }

aw_exc *aw_future_exception(aw_future *f)
{
    if (f->state != AW__FINISHED) return NULL;
    f->log_traceback = false;
    return aw__future_exc(f);
}
