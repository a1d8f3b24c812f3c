/* model_cause.c — why a step happened: who woke whom (the future done that resumes a task and
 * who completed it, the cancel() a CancelledError comes from, the timeout that cancelled), how
 * late a timer ran and what held the loop, and where asyncio.run's shutdown begins.  The trace
 * records causes before their effects; these look back from the effect. */
#include <string.h>

#include "model_internal.h"

/* Looking back is bounded: a cause further away than this is not shown. */
#define LOOK_BACK 100000

/* The latest event before `step` for which `match` holds, or 0. */
static int64_t find_back(const aw_model *m, int64_t step, bool (*match)(const aw_model_event *, const void *),
                         const void *arg, aw_model_event *found)
{
    for (int64_t s = step - 1; s >= 1 && step - s <= LOOK_BACK; s--)
        if (aw__mstore_get(&m->store, s, found) && match(found, arg)) return s;
    return 0;
}

static bool is_cancel_of_task(const aw_model_event *e, const void *task)
{
    return e->kind == AW_TK_CANCEL_REQUESTED && e->accepted && e->task == *(const int64_t *)task;
}

static bool is_expiry_of_task(const aw_model_event *e, const void *task)
{
    return e->kind == AW_TK_TIMEOUT_EXPIRED && e->task == *(const int64_t *)task;
}

static bool is_end_of_task(const aw_model_event *e, const void *task)
{
    return e->kind == AW_TK_STEP_END && e->task == *(const int64_t *)task;
}

static bool is_run_of_task(const aw_model_event *e, const void *task)
{
    return e->kind == AW_TK_HANDLE_RUN && e->task == *(const int64_t *)task;
}

/* What woke a task whose handle `h` ran: the future done (and its completer), or the scheduling
 * of its step (create_task, a bare yield). */
static int64_t wake_cause(const aw_model *m, int64_t step, const mhandle *h, int64_t *cause_task)
{
    const mfut *f = h->future ? aw__fut(m, h->future, step) : NULL;
    const char *cb = aw__str(m, h->callback);
    if (f && cb && !strcmp(cb, "task_wakeup") && f->done_step < step) {
        *cause_task = f->done_by;
        return f->done_step;
    }
    *cause_task = h->by;
    return h->step;
}

int64_t aw_model_cause(const aw_model *m, int64_t step, int64_t *cause_task, int64_t *effect_task)
{
    int64_t ct = 0, et = 0, cause = 0;
    aw_model_event ev, prev;
    if (aw__mstore_get(&m->store, step, &ev)) {
        const mhandle *h;
        switch (ev.kind) {
        case AW_TK_HANDLE_RUN:
            if ((h = aw__handle(m, ev.handle, step)) && h->task) {
                cause = wake_cause(m, step, h, &ct);
                et = h->task;
            }
            break;
        case AW_TK_STEP_BEGIN:
        case AW_TK_AWAIT_RETURN: {
            et = ev.task;
            const mfut *f = ev.kind == AW_TK_AWAIT_RETURN && ev.future ? aw__fut(m, ev.future, step) : NULL;
            if (f && f->done_step < step) { /* the await returns: what it awaited is done */
                cause = f->done_step;
                ct = f->done_by;
            } else if (find_back(m, step, is_run_of_task, &ev.task, &prev) && (h = aw__handle(m, prev.handle, step))) {
                cause = wake_cause(m, step, h, &ct); /* the handle that ran this step */
                /* a CancelledError comes in: the cancel() of this task that made it, when there
                 * is one since the task last suspended (else what it awaited was cancelled on
                 * its own, and that is the cause) */
                const mfut *w = h->future ? aw__fut(m, h->future, step) : NULL;
                bool thrown = ev.kind == AW_TK_STEP_BEGIN && ev.reason && !strcmp(ev.reason, "throw");
                if (thrown || (w && w->done_reason == MDONE_CANCELLED && w->done_step < step)) {
                    aw_model_event req, end;
                    int64_t r = find_back(m, step, is_cancel_of_task, &ev.task, &req);
                    int64_t suspended = find_back(m, step, is_end_of_task, &ev.task, &end);
                    if (r && r > suspended) {
                        cause = r;
                        ct = req.by;
                    }
                }
            }
            break;
        }
        case AW_TK_CANCEL_DELIVERED:
            if ((cause = find_back(m, step, is_cancel_of_task, &ev.task, &prev))) ct = prev.by;
            et = ev.task;
            break;
        case AW_TK_CANCEL_REQUESTED:
            et = ev.task;
            ct = ev.by;
            if (ev.via && ev.task && (!strcmp(ev.via, "wait_for") || !strncmp(ev.via, "asyncio.timeout", 15)))
                cause = find_back(m, step, is_expiry_of_task, &ev.task, &prev), ct = 0;
            break;
        case AW_TK_TIMER_FIRED:
            if ((h = aw__handle(m, ev.handle, step))) {
                cause = h->step;
                ct = h->by;
                et = h->task;
            }
            break;
        case AW_TK_TIMEOUT_EXPIRED: et = ev.task; break;
        default: break;
        }
    }
    if (cause_task) *cause_task = ct;
    if (effect_task) *effect_task = et;
    return cause;
}

static bool is_busy(const aw_model_event *e, const void *arg)
{
    (void)arg;
    return e->kind == AW_TK_BUSY;
}

int64_t aw_model_timer_late(const aw_model *m, int64_t step, int64_t *held_by_step)
{
    aw_model_event ev, busy;
    if (held_by_step) *held_by_step = 0;
    if (!aw__mstore_get(&m->store, step, &ev) || ev.kind != AW_TK_TIMER_FIRED || ev.deadline_ns == AW_MODEL_NULL)
        return 0;
    int64_t late = ev.t_ns - ev.deadline_ns;
    if (late <= 0) return 0;
    /* CPU-bound work that ended after the deadline passed held the loop */
    int64_t b = find_back(m, step, is_busy, NULL, &busy);
    if (b && held_by_step && busy.t_ns + busy.duration_ns > ev.deadline_ns) *held_by_step = b;
    return late;
}

int64_t aw_model_shutdown_step(const aw_model *m)
{
    /* the last runner "shutdown": a trace has one per asyncio.run */
    mcursor c;
    aw_model_event ev;
    int64_t found = 0;
    for (int64_t s = m->store.n; s >= 1 && m->store.n - s <= LOOK_BACK; s--) {
        aw__mstore_cursor(&m->store, s, &c);
        if (aw__mstore_next(&m->store, &c, &ev) && ev.kind == AW_TK_RUNNER && ev.phase && !strcmp(ev.phase, "shutdown")) {
            found = s;
            break;
        }
    }
    return found;
}
