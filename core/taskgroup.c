/* taskgroup.c — asyncio.TaskGroup, CPython 3.13+ semantics (Lib/asyncio/taskgroups.py of 3.14,
 * which this file follows method by method: __aenter__, _aexit, create_task, _abort,
 * _on_task_done).
 *
 * The group is a scope (scope.c): entered by AW_TASKGROUP or aw_taskgroup_enter, exited by the
 * block, by aw_taskgroup_exit, or by the core when its coroutine returns.  Its tasks are kept in
 * creation order (CPython iterates a set: address order; see design.md on sets).  The group lives
 * in the loop's arena, like a timeout scope, and its errors are held by the loop. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct aw_taskgroup {
    aw__scope scope;          /* first: in its task's stack of open scopes while entered */
    aw_loop *loop;
    unsigned id;
    bool entered, exiting, aborting, parent_cancel_requested;
    aw_task *parent;
    aw_task **tasks;          /* _tasks: the pending ones, in creation order */
    size_t n_tasks, cap_tasks;
    aw_exc **errors;          /* _errors */
    size_t n_errors, cap_errors;
    aw_exc *base_error;       /* _base_error: KeyboardInterrupt / SystemExit */
    aw_future *on_completed;  /* _on_completed_fut */
};

#define TRACE_TG(tg, action, ...)                                                              \
    AW__TRACE((tg)->loop, .kind = AW_EV_TASKGROUP, .other = (tg)->id, .reason = (action),       \
              .task = aw__task_id((tg)->parent), .a = (int64_t)(tg)->n_errors, __VA_ARGS__)

/* repr(tg), as CPython writes it into its error messages: "<TaskGroup tasks=1 cancelling>". */
static const char *repr(const aw_taskgroup *tg, char *buf, size_t size)
{
    int n = snprintf(buf, size, "<TaskGroup");
    if (tg->n_tasks) n += snprintf(buf + n, size - (size_t)n, " tasks=%zu", tg->n_tasks);
    if (tg->n_errors) n += snprintf(buf + n, size - (size_t)n, " errors=%zu", tg->n_errors);
    if (tg->aborting)
        n += snprintf(buf + n, size - (size_t)n, " cancelling");
    else if (tg->entered)
        n += snprintf(buf + n, size - (size_t)n, " entered");
    snprintf(buf + n, size - (size_t)n, ">");
    return buf;
}

/* _is_base_error: SystemExit and KeyboardInterrupt pass through as themselves. */
static bool is_base_error(const aw_exc *e)
{
    return strcmp(aw_exc_type(e), "SystemExit") == 0 || strcmp(aw_exc_type(e), "KeyboardInterrupt") == 0;
}

/* Arena arrays grow by doubling; the old block stays in the arena (at most as much again). */
static void *grow(aw_loop *loop, void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) return items;
    size_t cap2 = *cap ? *cap * 2 : 4;
    void *more = aw__arena_alloc(loop, cap2 * size);
    if (n) memcpy(more, items, n * size);
    *cap = cap2;
    return more;
}

static void add_error(aw_taskgroup *tg, aw_exc *e)
{
    tg->errors = grow(tg->loop, tg->errors, tg->n_errors, &tg->cap_errors, sizeof *tg->errors);
    aw__hold_exc(tg->loop, e);
    tg->errors[tg->n_errors++] = e;
}

static void abort_group(aw_taskgroup *tg)
{
    tg->aborting = true;
    TRACE_TG(tg, AW_TG_ABORTING);
    for (size_t i = 0; i < tg->n_tasks; i++)
        if (!aw_task_done(tg->tasks[i])) AW__VIA(tg->loop, "TaskGroup", aw_task_cancel(tg->tasks[i], NULL));
}

static void on_task_done(aw_future *f, void *arg)
{
    aw_taskgroup *tg = arg;
    aw_task *task = (aw_task *)f;
    for (size_t i = 0; i < tg->n_tasks; i++) { /* _tasks.discard(task) */
        if (tg->tasks[i] == task) {
            memmove(&tg->tasks[i], &tg->tasks[i + 1], (tg->n_tasks - i - 1) * sizeof *tg->tasks);
            tg->n_tasks--;
            break;
        }
    }
    if (tg->on_completed && !tg->n_tasks && tg->on_completed->state == AW__PENDING)
        aw__future_finish(tg->on_completed, aw_none());
    aw_exc *exc = f->state == AW__FINISHED ? aw__future_exc(f) : NULL;
    if (exc) {
        f->log_traceback = false; /* task.exception() retrieves it */
        add_error(tg, exc);
    }
    TRACE_TG(tg, AW_TG_CHILD_DONE, .future = f->id, .name = exc ? aw_exc_type(exc) : NULL);
    if (!exc) {
        aw__future_unref(f);
        return;
    }
    if (is_base_error(exc) && !tg->base_error) tg->base_error = exc;
    if (aw_task_done(tg->parent)) {
        char r[512];
        aw__exc_repr(exc, r, sizeof r);
        aw__warn(tg->loop, "task-exception", f->id,
                 "Task <Task name='%s'> has errored out but its parent task <Task name='%s'> is already "
                 "completed\nexception: %s", task->name, tg->parent->name, r);
    } else if (!tg->aborting && !tg->parent_cancel_requested) {
        /* A task failed while the body runs (or waits in the exit): cancel the rest and the body,
         * and remember to take the parent's cancellation back in the exit. */
        abort_group(tg);
        tg->parent_cancel_requested = true;
        AW__VIA(tg->loop, "TaskGroup", aw_task_cancel(tg->parent, NULL));
    }
    aw__future_unref(f);
}

static aw_status scope_exit(aw__scope *s, aw_status body) { return aw_taskgroup_exit((aw_taskgroup *)s, body); }

aw_taskgroup *aw_taskgroup_new(void)
{
    aw_loop *loop = aw__running_loop();
    if (!loop) {
        aw__fail(AW_RuntimeError, "no running event loop");
        return NULL;
    }
    aw_taskgroup *tg = aw__arena_alloc(loop, sizeof *tg);
    memset(tg, 0, sizeof *tg);
    tg->loop = loop;
    tg->id = ++loop->next_group_id;
    tg->scope.exit = scope_exit;
    TRACE_TG(tg, AW_TG_CREATED);
    return tg;
}

unsigned aw_taskgroup_id(const aw_taskgroup *tg) { return tg ? tg->id : 0; }

aw_status aw_taskgroup_enter(aw_taskgroup *tg)
{
    char r[128];
    if (!tg) return AW_ERROR; /* aw_taskgroup_new failed: its error is in flight */
    if (tg->entered) return aw__fail(AW_RuntimeError, "TaskGroup %s has already been entered", repr(tg, r, sizeof r));
    tg->parent = tg->loop->current_task;
    if (!tg->parent)
        return aw__fail(AW_RuntimeError, "TaskGroup %s cannot determine the parent task", repr(tg, r, sizeof r));
    tg->entered = true;
    tg->scope.file = tg->parent->site_file;
    tg->scope.line = tg->parent->site_line;
    aw__scope_push(&tg->scope, tg->parent, "TaskGroup");
    TRACE_TG(tg, AW_TG_ENTERED);
    return AW_OK;
}

aw__scope *aw__taskgroup_scope(aw_taskgroup *tg)
{
    if (aw_taskgroup_enter(tg) != AW_OK) return NULL;
    return &tg->scope;
}

aw_task *aw_taskgroup_create_task_named(aw_taskgroup *tg, aw_coro *coro, const char *name)
{
    char r[128];
    const char *why = !tg                                ? "no task group"
                      : !tg->entered                     ? "has not been entered"
                      : tg->exiting && !tg->n_tasks      ? "is finished"
                      : tg->aborting                     ? "is shutting down"
                                                         : NULL;
    if (why) {
        aw_coro_close(coro); /* CPython 3.14 closes it: no never-awaited warning */
        aw__fail(AW_RuntimeError, "TaskGroup %s %s", tg ? repr(tg, r, sizeof r) : "None", why);
        return NULL;
    }
    aw_task *task = aw_loop_create_task(tg->loop, coro, name);
    tg->tasks = grow(tg->loop, tg->tasks, tg->n_tasks, &tg->cap_tasks, sizeof *tg->tasks);
    tg->tasks[tg->n_tasks++] = task;
    aw__future_ref(&task->fut); /* while in _tasks */
    TRACE_TG(tg, AW_TG_CHILD_ADDED, .future = task->fut.id);
    aw_future_add_done_callback(&task->fut, on_task_done, tg);
    return task;
}

aw_task *aw_taskgroup_create_task(aw_taskgroup *tg, aw_coro *coro)
{
    return aw_taskgroup_create_task_named(tg, coro, NULL);
}

/* __aexit__ / _aexit.  `body` is how the body ended; its exception is in flight. */
aw_status aw_taskgroup_exit(aw_taskgroup *tg, aw_status body)
{
    if (!tg) return aw__fail(AW_RuntimeError, "no task group");
    if (!tg->entered || !tg->scope.open) {
        char r[128];
        return aw__fail(AW_RuntimeError, "TaskGroup %s is not active", repr(tg, r, sizeof r));
    }
    aw__scope_pop(&tg->scope);
    aw_loop *loop = tg->loop;
    tg->exiting = true;
    aw_exc *exc = body != AW_OK ? aw_exc_current() : NULL;
    if (exc) aw__hold_exc(loop, exc);
    TRACE_TG(tg, AW_TG_EXITING, .name = exc ? aw_exc_type(exc) : NULL);
    if (exc && is_base_error(exc) && !tg->base_error) tg->base_error = exc;
    aw_exc *propagate_cancel = exc && aw_exc_status(exc) == AW_CANCELLED ? exc : NULL;
    if (exc && !tg->aborting) abort_group(tg); /* the parent is cancelled, or the body raised */

    /* A loop: the wait can be cancelled again and again while the tasks finish. */
    while (tg->n_tasks) {
        if (!tg->on_completed) tg->on_completed = aw__future_new_internal(loop);
        aw_status st = aw__await_future(tg->on_completed, NULL, NULL, 0);
        if (st == AW_CANCELLED) {
            aw_exc *ex = aw_exc_current();
            aw__hold_exc(loop, ex);
            if (!tg->aborting) { /* the parent is cancelled from outside while tasks still run */
                propagate_cancel = ex;
                abort_group(tg);
            }
        }
        aw_exc_clear();
        aw_future_detach(tg->on_completed);
        tg->on_completed = NULL;
    }

    aw_exc *raise = NULL;
    if (tg->base_error) {
        raise = aw_exc_ref(tg->base_error);
    } else {
        if (tg->parent_cancel_requested) {
            int left;
            AW__VIA(loop, "TaskGroup", left = aw_task_uncancel(tg->parent));
            if (left == 0) propagate_cancel = NULL; /* no cancellation left: do not propagate */
        }
        if (propagate_cancel && !tg->n_errors) {
            raise = aw_exc_ref(propagate_cancel);
        } else {
            if (exc && aw_exc_status(exc) != AW_CANCELLED) add_error(tg, exc);
            if (tg->n_errors) {
                /* Cancelled from outside too: uncancel and cancel again, so that the count stays
                 * and the cancellation reaches the parent's next await. */
                if (aw_task_cancelling(tg->parent)) {
                    AW__VIA(loop, "TaskGroup", aw_task_uncancel(tg->parent));
                    AW__VIA(loop, "TaskGroup", aw_task_cancel(tg->parent, NULL));
                }
                raise = aw_exc_group_new("unhandled errors in a TaskGroup", tg->errors, tg->n_errors);
            }
        }
    }
    TRACE_TG(tg, AW_TG_EXITED, .name = raise ? aw_exc_type(raise) : NULL);
    tg->n_errors = 0; /* CPython drops _errors after the exit (its repr shows none) */
    if (!raise) {
        aw_exc_clear();
        return AW_OK;
    }
    aw__set_in_flight(raise);
    return aw_exc_status(raise);
}
