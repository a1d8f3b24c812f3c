/* executor.c — loop.run_in_executor: sending a function to a thread pool. */
#include <stdlib.h>

#include "internal.h"

/* ---- run_in_executor -------------------------------------------------------------------------
 * The work "runs in another thread": fn runs at once (on its own timeline, so what it computes
 * does not depend on what the loop does meanwhile), and the thread finishes `seconds` later.  The
 * thread then hands the result over with loop.call_soon_threadsafe(future.set_result), which
 * takes one more loop iteration: a timer at the finish time, then a call_soon.  Deterministic on
 * both clocks, and the order CPython's oracle (tests/oracle/vloop.py) shows. */
typedef struct executor_job {
    aw_future *f;
    aw_value v;
    aw_exc *exc;
} executor_job;

static void executor_set_result(void *p)
{
    executor_job *job = p;
    aw_future *f = job->f;
    if (f->state == AW__PENDING) {
        if (job->exc)
            aw__future_finish_exception(f, job->exc);
        else
            aw__future_finish(f, job->v);
    } else {
        aw_exc_unref(job->exc);
    }
    aw__future_unref(f);
    free(job);
}

static void executor_drop(void *p)
{
    executor_job *job = p;
    aw_exc_unref(job->exc);
    free(job);
}

static void executor_thread_done(void *p)
{
    executor_job *job = p;
    aw_handle *h = aw__call_soon_traced(job->f->loop, executor_set_result, job, "call_soon_threadsafe", 0,
                                        job->f->id);
    h->drop = executor_drop;
}

/* wrap_future's _call_check_cancel: a cancelled asyncio future cancels the thread's concurrent
 * future.  That one is already running (the work ran at submission), and a running concurrent
 * future cannot be cancelled, so nothing more happens; but CPython schedules this callback like
 * any other when the future is done, one more handle in that iteration, and so does the port. */
static void executor_check_cancel(aw_future *f, void *arg)
{
    (void)f;
    (void)arg;
}

aw_future *aw_run_in_executor(aw_loop *loop, double seconds, aw_executor_fn fn, void *arg)
{
    aw_future *f = aw_future_new(loop);
    aw_future_add_done_callback(f, executor_check_cancel, NULL);
    executor_job *job = calloc(1, sizeof *job);
    if (!job) abort();
    job->f = f;
    aw_value v = fn(arg);
    if (v.kind == AW_RAISED) {
        job->exc = aw_exc_ref(aw_exc_current());
        aw_exc_clear();
    } else {
        job->v = v;
    }
    aw__future_ref(f);
    aw_handle *h = aw__call_at_held(loop, aw_loop_time_ns(loop) + aw__seconds_to_ns(seconds > 0 ? seconds : 0),
                                    executor_thread_done, job, "executor", 0, f->id);
    h->drop = executor_drop;
    aw__handle_release(h); /* the heap's reference is enough */
    return f;
}
