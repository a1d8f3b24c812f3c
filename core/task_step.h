/* task_step.h — one step of a task (CPython's Task.__step), inline where steps are run: in the
 * loop's pass over its ready queue (loop.c) and in a task's wake-up (task.c).
 *
 * Why inline across files: a step ends with a register switch back to the loop's stack, and
 * each return after it lands where the task's calls were pushed, so each frame between the
 * loop and the switch is a mispredicted return per sleep(0) (the task's side has the same
 * problem, hence aw__task_yield).  With the switch itself inline too (fiber_switch.h), no
 * frame at all is left between them on x86-64.  The rare cases stay out of line in task.c.
 * Included by loop.c and task.c only.
 */
#ifndef AW_TASK_STEP_H
#define AW_TASK_STEP_H

#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* task.c: the step's rare cases. */
aw_exc *aw__task_cancel_on_entry(aw_task *t, aw_exc *exc); /* must_cancel: what is thrown in */
bool aw__task_start_fiber(aw_task *t, aw_loop *loop);      /* false: no stack, the task failed */
void aw__task_step_ended(aw_task *t, aw_loop *loop);       /* finished, or awaits a future */
void aw__task_queue_step_traced(aw_task *t);               /* the step as a handle */

/* The step holds the reference the caller gives it. */
static inline void aw__task_queue_step(aw_task *t, aw_exc *exc)
{
    if (t->step_scheduled) {
        fprintf(stderr, "awaitlab: internal error: a second step scheduled for task '%s'\n", t->name);
        abort();
    }
    t->step_scheduled = true;
    t->step_exc = exc;
    aw_loop *loop = t->fut.loop;
    if (!loop->opts.tracer)
        aw__ready_push_entry(loop, aw__ready_of_task(t));
    else
        aw__task_queue_step_traced(t);
}

/* true: the step yielded and the caller's reference to t now belongs to the next step (a sleep(0)
 * then costs no reference taken and dropped). */
static inline __attribute__((always_inline)) bool aw__task_step(aw_task *t, aw_exc *exc)
{
    aw_loop *loop = t->fut.loop;
    if (t->fut.state != AW__PENDING) {
        fprintf(stderr, "awaitlab: internal error: step of a finished task '%s'\n", t->name);
        abort();
    }
    if (t->must_cancel) exc = aw__task_cancel_on_entry(t, exc);
    if (t->fut_waiter) {
        aw__future_unref(t->fut_waiter);
        t->fut_waiter = NULL;
    }
    if (loop->current_task) {
        fprintf(stderr, "awaitlab: internal error: cannot enter task '%s' while task '%s' is running\n",
                t->name, loop->current_task->name);
        abort();
    }
    AW__TRACE(loop, .kind = AW_EV_STEP_BEGIN, .task = t->fut.id, .file = t->site_file, .line = t->site_line,
              .reason = !t->started ? AW_STEP_IN_START : exc ? AW_STEP_IN_THROW : AW_STEP_IN_RESUME);
    t->throw_exc = exc;
    t->outcome = AW__STEP_NONE;
    if (!t->fiber && !aw__task_start_fiber(t, loop)) return false;
    t->started = true;
    loop->current_task = t;
    aw__fiber_resume(t->fiber);
    loop->current_task = NULL;

    if (t->outcome != AW__STEP_YIELDED) {
        aw__task_step_ended(t, loop);
        return false;
    }
    AW__TRACE(loop, .kind = AW_EV_STEP_END, .task = t->fut.id, .file = t->site_file, .line = t->site_line, .reason = AW_STEP_YIELD);
    aw__task_queue_step(t, NULL);
    return true;
}

/* A step of t the ready queue holds as the task itself (ready_queue.h), or a traced loop's step
 * handle runs.  A scheduled step holds a reference so the task outlives its handle.  A task has
 * at most one step scheduled at a time (as CPython's __step), so what the step throws in waits
 * in the task itself: no allocation per step. */
static inline __attribute__((always_inline)) void aw__task_run_step(aw_task *t)
{
    aw_exc *exc = t->step_exc;
    t->step_exc = NULL;
    t->step_scheduled = false;
    if (!aw__task_step(t, exc)) aw__future_unref(&t->fut);
}

#endif /* AW_TASK_STEP_H */
