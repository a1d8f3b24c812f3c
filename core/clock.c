/* clock.c — what the program sees of time and the outside world: print, busy work, the wall
 * clock, and a simulated thread pool. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

void aw_vprint(const char *file, int line_no, const char *fmt, va_list ap)
{
    char stackbuf[1024];
    char *line = stackbuf;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(stackbuf, sizeof stackbuf, fmt, ap2);
    va_end(ap2);
    if (n >= (int)sizeof stackbuf) {
        line = malloc((size_t)n + 1);
        if (!line) abort();
        vsnprintf(line, (size_t)n + 1, fmt, ap);
    }
    aw__site(file, line_no);
    aw_loop *loop = aw__running_loop();
    if (loop) {
        AW__TRACE(loop, .kind = AW_EV_OUTPUT, .task = aw__task_id(loop->current_task), .text = line,
                  .file = file, .line = line_no);
        if (loop->opts.output)
            loop->opts.output(loop, line, loop->opts.ud);
        else
            printf("%s\n", line);
    } else {
        printf("%s\n", line);
    }
    if (line != stackbuf) free(line);
}

void aw__print(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    aw_vprint(file, line, fmt, ap);
    va_end(ap);
}

void aw_busy(double seconds)
{
    aw_loop *loop = aw__running_loop();
    if (!loop || seconds <= 0) return;
    AW__TRACE(loop, .kind = AW_EV_BUSY, .task = aw__task_id(loop->current_task), .ta = seconds);
    loop->backend->busy(loop->backend, seconds); /* now = now + seconds */
}

double aw_wall_time(void)
{
    aw_loop *loop = aw__running_loop();
    if (loop) return loop->backend->wall(loop->backend);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *aw_strftime(const char *fmt)
{
    aw_loop *loop = aw__running_loop();
    /* time.localtime(time.time()): the float's whole seconds (time_t truncates toward zero) */
    time_t secs = (time_t)aw_wall_time();
    struct tm tm;
    gmtime_r(&secs, &tm); /* UTC: the same text on every machine */
    char buf[256];
    size_t n = strftime(buf, sizeof buf, fmt, &tm);
    buf[n] = '\0';
    return loop ? aw__arena_strdup(loop, buf) : "";
}

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
    /* the thread's clock: submission time + what it slept (vloop's VirtualExecutor) */
    aw_handle *h = aw__timer_at_held(loop, aw__later(loop, seconds > 0 ? seconds : 0),
                                    executor_thread_done, job, "executor", 0, f->id);
    h->drop = executor_drop;
    aw__handle_release(h); /* the heap's reference is enough */
    return f;
}
