/* task.c — tasks: a coroutine driven step by step on its own stack (CPython's tasks.Task).
 *
 * A step runs the task's fiber until the coroutine awaits a pending future, yields bare, or
 * returns; then, back on the loop's stack, the step (task_step.h) does what Task.__step does with the
 * outcome: add the wake-up to the awaited future, reschedule itself, or complete the task.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "task_step.h"

static void wakeup(aw_future *awaited, void *arg);

void aw__task_drop_step(aw_task *t)
{
    aw_exc_unref(t->step_exc);
    t->step_exc = NULL;
    t->step_scheduled = false;
}

static void step_cb(void *t) { aw__task_run_step(t); }
static void drop_step(void *t) { aw__task_drop_step(t); }

/* A traced loop queues a step as the handle CPython makes for it (ready_queue.h). */
void aw__task_queue_step_traced(aw_task *t)
{
    aw_handle *h = aw__call_soon_traced(t->fut.loop, step_cb, t, "task_step", t->fut.id, 0);
    h->drop = drop_step;
}

static void schedule_step(aw_task *t, aw_exc *exc)
{
    aw__future_ref(&t->fut);
    aw__task_queue_step(t, exc);
}

/* task_entry's cold paths, out of line: its frame stays under every frame of the task (with
 * copied stacks, in every saved image), and an inline trace event made it 192 bytes. */
static __attribute__((noinline, cold)) void start_refused(aw_task *t, const char *why)
{
    /* Its coroutine was awaited elsewhere first (or is running there): CPython's task starts,
     * and its first send() raises. */
    aw_exc_unref(t->throw_exc);
    t->throw_exc = NULL;
    aw__set_in_flight(aw_exc_new("RuntimeError", "%s", why));
    t->fut.result = (aw_value){AW_RAISED, {0}};
}

static __attribute__((noinline, cold)) void start_cancelled(aw_task *t, aw__coro *coro)
{
    /* Cancelled before its first step: the coroutine never runs (coro.throw() on an
     * unstarted coroutine raises at once, and closes it). */
    aw_exc *e = t->throw_exc;
    t->throw_exc = NULL;
    AW__TRACE(t->fut.loop, .kind = AW_EV_CANCEL_DELIVERED, .task = t->fut.id, .text = aw__exc_text(e));
    aw__coro_free(coro);
    aw__set_in_flight(e);
    t->fut.result = (aw_value){AW_RAISED, {0}};
}

/* The fiber's entry: run the coroutine to completion. */
static void task_entry(void *arg)
{
    aw_task *t = arg;
    const char *why = NULL;
    aw__coro *coro = aw__coro_start(t->coro, &why);
    t->coro = NULL;
    if (!coro)
        start_refused(t, why);
    else if (t->throw_exc)
        start_cancelled(t, coro);
    else
        t->fut.result = aw__coro_run(coro);
    t->outcome = AW__STEP_FINISHED;
}

static void finish(aw_task *t)
{
    aw_loop *loop = t->fut.loop;
    aw__fiber_free(t->fiber);
    t->fiber = NULL;
    aw_value v = t->fut.result;
    t->fut.result = aw_none();
    if (v.kind == AW_RAISED) {
        aw_exc *e = t->in_flight;
        t->in_flight = NULL;
        if (!e) e = aw_exc_new_class(AW_RuntimeError, "coroutine raised without an exception in flight");
        if (aw_exc_status(e) == AW_CANCELLED) {
            AW__TRACE(loop, .kind = AW_EV_STEP_END, .task = t->fut.id, .file = t->site_file, .line = t->site_line, .reason = AW_STEP_CANCELLED,
                      .name = e->cls->name);
            aw__future_extra_of(&t->fut)->cancelled_exc = e; /* keeps the message for whoever awaits the task */
            aw__future_cancel_plain(&t->fut, NULL); /* super().cancel(): no message */
        } else {
            AW__TRACE(loop, .kind = AW_EV_STEP_END, .task = t->fut.id, .file = t->site_file, .line = t->site_line, .reason = AW_STEP_RAISED,
                      .name = e->cls->name);
            aw__future_finish_exception(&t->fut, e);
        }
        return;
    }
    aw_exc_unref(t->in_flight); /* handled inside the coroutine */
    t->in_flight = NULL;
    if (t->must_cancel) {
        /* cancel() arrived during the step that returned: the task ends cancelled. */
        t->must_cancel = false;
        AW__TRACE(loop, .kind = AW_EV_STEP_END, .task = t->fut.id, .file = t->site_file, .line = t->site_line, .reason = AW_STEP_CANCELLED);
        aw__future_cancel_plain(&t->fut, aw__future_cancel_message(&t->fut));
        return;
    }
    AW__TRACE(loop, .kind = AW_EV_STEP_END, .task = t->fut.id, .file = t->site_file, .line = t->site_line, .reason = AW_STEP_DONE);
    aw__future_finish(&t->fut, v);
}

/* __step: a CancelledError already on its way in is kept; anything else is replaced. */
aw_exc *aw__task_cancel_on_entry(aw_task *t, aw_exc *exc)
{
    if (!exc || aw_exc_status(exc) != AW_CANCELLED) {
        aw_exc_unref(exc);
        exc = aw__future_make_cancelled_error(&t->fut);
    }
    t->must_cancel = false;
    return exc;
}

/* The first step: the task's stack.  false: none to be had (the task then fails). */
bool aw__task_start_fiber(aw_task *t, aw_loop *loop)
{
    t->fiber = aw__fiber_new(loop->stacks, task_entry, t);
    if (!t->fiber) {
        aw_exc_unref(t->throw_exc);
        t->throw_exc = NULL;
        aw__future_finish_exception(&t->fut, aw_exc_new_class(AW_MemoryError, "no stack for task '%s'", t->name));
        return false;
    }
    aw__fiber_set_name(t->fiber, t->name);
    return true;
}

/* A step that ended otherwise than by a bare yield: the task finished, or awaits a future. */
void aw__task_step_ended(aw_task *t, aw_loop *loop)
{
    switch (t->outcome) {
    case AW__STEP_FINISHED:
        finish(t);
        break;
    case AW__STEP_AWAITING: {
        aw_future *f = t->fut_waiter; /* set by aw__suspend_on (holds a reference) */
        if (f == &t->fut) {
            AW__TRACE(loop, .kind = AW_EV_STEP_END, .task = t->fut.id, .file = t->site_file, .line = t->site_line,
                      .reason = AW_STEP_AWAIT, .future = f->id);
            t->fut_waiter = NULL;
            aw__future_unref(f);
            /* tasks.py: f'Task cannot await on itself: {self!r}' */
            schedule_step(t, aw_exc_new_class(AW_RuntimeError, "Task cannot await on itself: <Task pending name='%s' coro=<%s() running>>",
                                              t->name, t->coro_name));
            break;
        }
        aw__future_ref(&t->fut);
        aw__future_add_wakeup(f, wakeup, t);
        /* A cancel() that arrived during the step goes on to the awaited future before the step
         * ends (CPython's __step does it before _leave_task): the task is still the one acting. */
        if (t->must_cancel) {
            loop->current_task = t;
            if (aw_future_cancel(f, aw__future_cancel_message(&t->fut))) t->must_cancel = false;
            loop->current_task = NULL;
        }
        AW__TRACE(loop, .kind = AW_EV_STEP_END, .task = t->fut.id, .file = t->site_file, .line = t->site_line, .reason = AW_STEP_AWAIT,
                  .future = f->id);
        break;
    }
    default:
        fprintf(stderr, "awaitlab: internal error: task '%s' switched out without a reason\n", t->name);
        abort();
    }
}

static void wakeup(aw_future *awaited, void *arg)
{
    aw_task *t = arg;
    /* The awaited future's CancelledError is the exception __wakeup passes to __step, which keeps
     * it even when must_cancel is set (the fiber reads it from the future when it resumes). */
    if (t->must_cancel && (awaited->state == AW__CANCELLED ||
                           (awaited->has_exc && aw_exc_status(awaited->raised) == AW_CANCELLED)))
        t->must_cancel = false;
    /* Task.__wakeup reads the awaited future's outcome and steps; the fiber reads the outcome
     * itself when it resumes, which is the same thing seen from the other side. */
    if (!aw__task_step(t, NULL)) aw__future_unref(&t->fut);
}

/* ---- suspending, from inside the task's fiber ----------------------------------------------- */
static aw_status resume_status(aw_task *t)
{
    aw_exc *e = t->throw_exc;
    if (!e) return AW_OK;
    t->throw_exc = NULL;
    aw__set_in_flight(e);
    return aw_exc_status(e);
}

aw_status aw__suspend_on(aw_future *f)
{
    aw_task *t = aw__current_task();
    aw__future_ref(f);
    t->fut_waiter = f;
    t->outcome = AW__STEP_AWAITING;
    aw__fiber_suspend(t->fiber, false);
    return resume_status(t);
}

aw_status aw__yield_thrown(aw_task *t)
{
    aw_status st = resume_status(t);
    if (st == AW_CANCELLED)
        AW__TRACE(t->fut.loop, .kind = AW_EV_CANCEL_DELIVERED, .task = t->fut.id,
                  .text = aw__exc_text(aw_exc_current()));
    return st;
}

aw_status aw__yield(void)
{
    aw_task *t = aw__current_task();
    if (!t) return aw__fail(AW_RuntimeError, "a bare yield (sleep(0)) outside a task");
    return aw__task_yield(t);
}

/* ---- creating ------------------------------------------------------------------------------- */
/* What CPython's "got %r" would show of something that is not a coroutine. */
static const char *describe(const void *p)
{
    if (!p) return "None";
    if (aw__is_future_ptr(p)) return ((const aw_future *)p)->is_task ? "<Task>" : "<Future>";
    return "<object>";
}

/* CPython's itertools.count() for "Task-N", kept as the name "Task-N" itself: counting in
 * decimal text costs a few instructions where writing the number out cost a division per digit
 * (callgrind: ~110 instructions, a twentieth of a spawn).  Only unnamed tasks count, as in
 * CPython 3.12+ (3.11 counted every task: Task-1, name='x', then Task-3; 3.14 says Task-2). */
static char last_default_name[sizeof ((aw_task *)0)->default_name] = "Task-0";
static size_t last_default_name_len = 6;

static void count_task(void)
{
    char *digits = last_default_name + 5;
    size_t i = last_default_name_len - 5;
    while (i > 0 && digits[i - 1] == '9') digits[--i] = '0';
    if (i > 0) {
        digits[i - 1]++;
        return;
    }
    /* 9...9 became 0...0: one digit more (20 digits, 2^64 tasks, still fit) */
    digits[0] = '1';
    last_default_name[last_default_name_len++] = '0';
    last_default_name[last_default_name_len] = '\0';
}

/* "Task-N" in the task itself: no snprintf and no strdup per task (a fifth of a spawn). */
static void default_name(aw_task *t)
{
    memcpy(t->default_name, last_default_name, sizeof t->default_name);
    t->name = t->default_name;
}

static void free_name(aw_task *t)
{
    if (t->name != t->default_name) free(t->name);
}

/* Misuse raises as CPython does and returns NULL (the error in flight): a coroutine refused for
 * a closed loop or for want of a running loop is left unconsumed, as Python leaves it ("never
 * awaited"). */
aw_task *aw_loop_create_task(aw_loop *loop, aw_coro *handle, const char *name)
{
    if (!aw__is_coro_handle(handle)) {
        aw__fail(AW_TypeError, "a coroutine was expected, got %s", describe(handle));
        return NULL;
    }
    if (!loop) {
        aw__fail(AW_RuntimeError, "no running event loop");
        return NULL;
    }
    if (loop->closed) {
        aw__fail(AW_RuntimeError, "Event loop is closed");
        return NULL;
    }
    if (aw__coro_args_escape_stack(handle)) return NULL;
    const char *coro_name = aw__coro_own(handle); /* NULL: stale; the first step raises */
    aw_task *t = (aw_task *)aw__future_alloc(loop, sizeof(aw_task), true);
    t->coro = handle;
    t->coro_name = coro_name ? coro_name : "coroutine";
    if (name) {
        if (!(t->name = strdup(name))) abort();
    } else {
        count_task();
        default_name(t);
    }
    AW__TRACE(loop, .kind = AW_EV_TASK_CREATED, .task = t->fut.id, .future = t->fut.id, .name = t->name,
              .text = t->coro_name, .other = aw__task_id(loop->current_task), .file = aw__coro_file(handle),
              .line = aw__coro_line(handle));
    schedule_step(t, NULL);
    return t;
}

aw_task *aw_create_task(aw_coro *coro) { return aw_loop_create_task(aw__running_loop(), coro, NULL); }
aw_task *aw_create_task_named(aw_coro *coro, const char *name)
{
    return aw_loop_create_task(aw__running_loop(), coro, name);
}

void aw__task_free(aw_task *t)
{
    while (t->running) { /* destroyed while suspended: free what ran on its stack */
        aw__coro *c = t->running;
        t->running = c->caller;
        aw__coro_free(c);
    }
    aw__fiber_free(t->fiber);
    if (t->coro) aw_coro_close(t->coro); /* never started (if another await took it, nothing) */
    if (t->fut_waiter) t->fut_waiter->refs--; /* the loop is going away with both */
    aw_exc_unref(t->throw_exc);
    aw_exc_unref(t->step_exc);
    aw_exc_unref(t->in_flight);
    free_name(t);
}

void aw__task_report_unretrieved(aw_task *t)
{
    if (!t->fut.log_traceback || !t->fut.has_exc) return;
    t->fut.log_traceback = false;
    char repr[512];
    aw__exc_repr(t->fut.raised, repr, sizeof repr);
    aw__warn(t->fut.loop, "task-exception", t->fut.id,
             "Task exception was never retrieved\nfuture: <Task finished name='%s' coro=<%s()> exception=%s>",
             t->name, t->coro_name, repr);
}

/* ---- the Task API ----------------------------------------------------------------------------- */
aw_future *aw_task_future(aw_task *t) { return &t->fut; }
aw_task *aw_future_task(aw_future *f) { return f && f->is_task ? (aw_task *)f : NULL; }
const char *aw_task_name(const aw_task *t) { return t->name; }
unsigned aw_task_id(const aw_task *t) { return t->fut.id; }
bool aw_task_done(const aw_task *t) { return t->fut.state != AW__PENDING; }
bool aw_task_cancelled(const aw_task *t) { return t->fut.state == AW__CANCELLED; }
int aw_task_cancelling(const aw_task *t) { return t->num_cancels_requested; }
aw_status aw_task_result(aw_task *t, aw_value *out) { return aw__take_outcome(&t->fut, out); }
aw_exc *aw_task_exception(aw_task *t) { return aw_future_exception(&t->fut); }
void aw_task_detach(aw_task *t) { aw_future_detach(&t->fut); }

void aw_task_set_name(aw_task *t, const char *name)
{
    char *copy = strdup(name);
    if (!copy) abort();
    free_name(t);
    t->name = copy;
    if (t->fiber) aw__fiber_set_name(t->fiber, t->name);
}

bool aw_task_cancel(aw_task *t, const char *msg)
{
    aw_loop *loop = t->fut.loop;
    t->fut.log_traceback = false;
    unsigned by = aw__task_id(loop->current_task);
    if (t->fut.state != AW__PENDING) {
        AW__TRACE(loop, .kind = AW_EV_CANCEL_REQUESTED, .task = t->fut.id, .future = t->fut.id, .other = by,
                  .text = msg, .reason = 0, .a = t->num_cancels_requested);
        return false;
    }
    t->num_cancels_requested++;
    AW__TRACE(loop, .kind = AW_EV_CANCEL_REQUESTED, .task = t->fut.id, .future = t->fut.id, .other = by,
              .text = msg, .reason = 1, .a = t->num_cancels_requested);
    /* Leave fut_waiter set: it may be a task that swallows the cancellation, to cancel again. */
    if (t->fut_waiter && aw_future_cancel(t->fut_waiter, msg)) return true;
    t->must_cancel = true;
    aw__future_set_cancel_message(&t->fut, msg);
    return true;
}

int aw_task_uncancel(aw_task *t)
{
    if (t->num_cancels_requested > 0) {
        t->num_cancels_requested--;
        if (t->num_cancels_requested == 0) t->must_cancel = false;
    }
    AW__TRACE(t->fut.loop, .kind = AW_EV_UNCANCEL, .task = t->fut.id, .a = t->num_cancels_requested);
    return t->num_cancels_requested;
}
