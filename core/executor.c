/* executor.c — loop.run_in_executor, asyncio.to_thread and the default executor's shutdown.
 *
 * CPython: run_in_executor(None, fn) submits fn to the loop's default ThreadPoolExecutor and
 * returns wrap_future(concurrent_future): an asyncio future chained to it (futures.py
 * _chain_future).  When the worker finishes, the concurrent future's done-callback hands the
 * outcome to the loop with call_soon_threadsafe(_set_state, ...), so the asyncio future completes
 * one loop iteration after the thread finished.  The other direction: a cancelled asyncio future
 * cancels the concurrent one (_call_check_cancel, a done-callback), which only succeeds while the
 * work is still queued; a running job runs to its end and its result is dropped.
 *
 * Two clocks, one future:
 * - simulated: no threads.  fn runs at once on the loop's thread (on its own timeline, so what it
 *   computes does not depend on what the loop does meanwhile), and "the thread finishes" `seconds`
 *   later: a timer (`executor`), then the call_soon_threadsafe handle.  Deterministic, and the
 *   order CPython's oracle shows (sim/python/awaitlab_record/vloop.py, VirtualExecutor).
 * - real: a real thread pool (thread_pool.c).  fn runs in a worker thread and the outcome comes
 *   back through the loop's handoff queue (threadsafe.c), which wakes the loop's epoll wait.
 *   `seconds` is the least time the job takes: the worker sleeps out what fn did not use, so a
 *   port whose fn leaves out Python's time.sleep(1) takes that second on both clocks.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "internal.h"
#include "thread_pool.h"
#include "threadsafe.h"

/* The seconds asyncio.run gives the default executor to join its threads (3.12+:
 * constants.THREAD_JOIN_TIMEOUT). */
#define THREAD_JOIN_TIMEOUT 300.0

typedef struct executor_job executor_job;
struct executor_job {
    aw__work work;            /* first: the pool's work item (real clock) */
    aw__threadsafe *ts;       /* where the worker hands the outcome (real clock) */
    aw_future *f;             /* the loop's thread only: a worker never touches it */
    unsigned future_id;
    aw_executor_fn fn;
    void *arg;
    int64_t min_ns;           /* real clock: `seconds` */
    aw_value v;               /* fn's outcome */
    aw_exc *exc;
    aw__arena_block *strings; /* fn's aw_str/aw_strf, made in the worker (value.c) */
    /* Simulated clock (fn runs inline): the job's own clock, the submission time plus what fn
     * slept (aw_thread_sleep), a float sum as vloop.py's _Job.now.  What fn reads of the time is
     * this, as a worker thread's time.monotonic() goes on while the loop's stands still. */
    bool inline_run;
    double now;
    /* The loop's thread only (a worker never reads them): */
    bool in_flight;           /* real clock: in the executor's list and expected by the loop */
    executor_job *prev, *next;
};

/* The loop's default executor (real clock): created by the first run_in_executor. */
typedef struct aw__executor {
    aw__pool *pool;
    executor_job *jobs;       /* submitted, outcome not yet delivered or cancelled */
    bool shutdown_called;     /* shutdown_default_executor() ran: no more submissions */
    struct shutdown_note *note;  /* a shutdown waiting for the pool's last worker */
} aw__executor;

/* The job whose fn this thread is running: inline on the loop's thread (simulated clock), or a
 * worker's.  What fn does through the public API that a thread does differently (sleep, read the
 * clock, print) asks this. */
static _Thread_local executor_job *current_job;

static aw__executor *executor_of(aw_loop *loop)
{
    if (!loop->executor && !(loop->executor = calloc(1, sizeof *loop->executor))) abort();
    return loop->executor;
}

/* fn's return value, or the exception it raised (its in-flight exception, taken from this
 * thread: the worker's own slot on the real clock). */
static void capture_outcome(executor_job *job, aw_value v)
{
    if (v.kind == AW_RAISED) {
        job->exc = aw_exc_ref(aw_exc_current());
        aw_exc_clear();
        if (!job->exc) job->exc = aw__exc_new_msg(AW_RuntimeError, "No active exception to reraise");
    } else {
        job->v = v;
    }
}

/* Frees a job whose outcome will never be delivered; any thread (it touches no loop). */
static void job_free(executor_job *job)
{
    if (job->ts) aw__threadsafe_unref(job->ts);
    aw_exc_unref(job->exc);
    aw__arena_blocks_free(job->strings);
    free(job);
}

static void job_drop(void *p) { job_free(p); }

/* The job's outcome reached the loop, or it was cancelled before it ran. */
static void job_landed(aw_loop *loop, executor_job *job)
{
    if (!job->in_flight) return;
    aw__executor *ex = loop->executor;
    if (job->prev)
        job->prev->next = job->next;
    else
        ex->jobs = job->next;
    if (job->next) job->next->prev = job->prev;
    job->prev = job->next = NULL;
    job->in_flight = false;
    loop->n_expected_threadsafe--;
}

/* wrap_future's _set_state(destination, source), run by the call_soon_threadsafe handle: copy the
 * outcome unless the asyncio future was cancelled meanwhile (_copy_future_state). */
static void executor_set_result(void *p)
{
    executor_job *job = p;
    aw_future *f = job->f;
    aw_loop *loop = f->loop;
    job_landed(loop, job);
    aw__arena_adopt(loop, job->strings); /* the result's strings now live as long as the loop's */
    job->strings = NULL;
    if (f->state == AW__PENDING) {
        if (job->exc)
            aw__future_finish_exception(f, job->exc);
        else
            aw__future_finish(f, job->v);
        job->exc = NULL;
    }
    aw__future_unref(f);
    job_free(job);
}

/* ---- simulated clock: the work runs now, the thread "finishes" `seconds` later ---------------- */
static void executor_thread_done(void *p)
{
    executor_job *job = p;
    aw_handle *h = aw__call_soon_traced(job->f->loop, executor_set_result, job, "call_soon_threadsafe", 0,
                                        job->future_id);
    h->drop = job_drop;
}

static void submit_inline(aw_loop *loop, executor_job *job, double seconds)
{
    job->inline_run = true;
    job->now = aw_loop_time(loop);
    executor_job *outer = current_job;
    current_job = job;
    /* fn's lines (its prints) are the thread's, not the calling task's statement: the task stays
     * at the await that submitted it, as a worker thread would leave it. */
    aw_task *t = loop->current_task;
    const char *site_file = t ? t->site_file : NULL;
    int site_line = t ? t->site_line : 0;
    capture_outcome(job, job->fn(job->arg));
    if (t) t->site_file = site_file, t->site_line = site_line;
    current_job = outer;
    seconds = aw__vary(loop, AW_VARY_EXECUTOR, seconds, aw__task_id(loop->current_task)); /* vary.c */
    /* The thread "finishes" at time() + seconds, or later if fn slept longer (at the job clock's
     * own float sum then, as the oracle's VirtualExecutor delivers at job.now). */
    double end = aw__later(loop, seconds > 0 ? seconds : 0);
    if (job->now > end) end = job->now;
    aw_handle *h = aw__timer_at_held(loop, end, executor_thread_done, job, "executor", 0, job->future_id);
    h->drop = job_drop;
    aw__handle_release(h); /* the heap's reference is enough */
}

/* ---- real clock: a worker thread runs it ------------------------------------------------------ */
static void sleep_until(const struct timespec *end)
{
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, end, NULL) == EINTR) {}
}

static void timespec_add_ns(struct timespec *t, int64_t ns)
{
    int64_t n = t->tv_nsec + ns % 1000000000LL;
    t->tv_sec += (time_t)(ns / 1000000000LL + n / 1000000000LL);
    t->tv_nsec = (long)(n % 1000000000LL);
}

/* time.sleep() in a real thread: CLOCK_MONOTONIC, so that a change of the wall clock does not
 * shorten or stretch it. */
static void sleep_ns(int64_t ns)
{
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    timespec_add_ns(&end, ns);
    sleep_until(&end);
}

/* ---- what fn does as a thread ----------------------------------------------------------------- */
bool aw__job_sleep(double seconds)
{
    executor_job *job = current_job;
    if (!job) return false;
    if (job->inline_run)
        job->now = job->now + seconds; /* the job's clock moves; the loop's does not */
    else
        sleep_ns(aw_trace_time_ns(seconds)); /* the worker thread really sleeps */
    return true;
}

bool aw__job_time(double *now)
{
    if (!current_job || !current_job->inline_run) return false;
    *now = current_job->now;
    return true;
}

bool aw__job_print(const char *line, const char *file, int line_no)
{
    executor_job *job = current_job;
    if (!job || job->inline_run) return false; /* inline: the loop's thread prints as usual */
    aw__threadsafe_print(job->ts, line, file, line_no);
    return true;
}

void aw_thread_sleep(double seconds)
{
    if (!(seconds > 0)) return;
    if (aw__job_sleep(seconds)) return;
    if (aw__running_loop()) {
        aw_busy(seconds); /* time.sleep() on the loop's own thread holds the loop */
        return;
    }
    sleep_ns(aw_trace_time_ns(seconds)); /* another thread of the program's own */
}

/* In the worker thread: everything here is the job's own, or thread-safe (the handoff queue). */
static void job_run(aw__work *w)
{
    executor_job *job = (executor_job *)w;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    aw__arena_set_thread(&job->strings);
    current_job = job;
    capture_outcome(job, job->fn(job->arg));
    current_job = NULL;
    aw__arena_set_thread(NULL);
    if (job->min_ns > 0) {
        timespec_add_ns(&end, job->min_ns);
        sleep_until(&end);
    }
    /* The concurrent future's done-callback: call_soon_threadsafe(_set_state, ...).  Refused once
     * the loop has closed (it gave up waiting): the outcome is dropped here. */
    if (!aw__threadsafe_push(job->ts, (aw__ts_call){executor_set_result, job, job_drop, job->future_id}))
        job_free(job);
}

static bool submit_to_pool(aw_loop *loop, executor_job *job)
{
    aw__executor *ex = executor_of(loop);
    if (!ex->pool && !(ex->pool = aw__pool_new(aw__pool_default_workers()))) return false;
    job->work.run = job_run;
    job->ts = aw__threadsafe_ref(loop->threadsafe); /* it may outlive the loop in its worker */
    /* In the list before the worker can deliver it (the delivery runs on this thread anyway). */
    job->in_flight = true;
    job->next = ex->jobs;
    if (ex->jobs) ex->jobs->prev = job;
    ex->jobs = job;
    loop->n_expected_threadsafe++;
    if (aw__pool_submit(ex->pool, &job->work)) return true;
    job_landed(loop, job);
    return false;
}

/* A queued job cancelled before a worker took it: it never runs.  CPython's cancel() of the
 * concurrent future runs its done-callback at once, which still hands _set_state to the loop with
 * call_soon_threadsafe; _set_state then finds the asyncio future cancelled and does nothing. */
static void cancelled_job_done(void *p)
{
    executor_job *job = p;
    aw__future_unref(job->f);
    job_free(job);
}

/* wrap_future's _call_check_cancel, a done-callback of the asyncio future: a cancelled asyncio
 * future cancels the concurrent one.  On the simulated clock the work already ran (a running
 * concurrent future cannot be cancelled), so only the callback's handle shows, as in CPython. */
static void executor_check_cancel(aw_future *f, void *arg)
{
    (void)arg;
    aw_loop *loop = f->loop;
    if (f->state != AW__CANCELLED || !loop->executor || !loop->executor->pool) return;
    executor_job *job = loop->executor->jobs;
    while (job && job->f != f) job = job->next;
    if (!job || !aw__pool_cancel(loop->executor->pool, &job->work)) return; /* running: runs on */
    job_landed(loop, job);
    aw_handle *h = aw__call_soon_traced(loop, cancelled_job_done, job, "call_soon_threadsafe", 0, f->id);
    h->drop = job_drop;
}

aw_future *aw_run_in_executor(aw_loop *loop, double seconds, aw_executor_fn fn, void *arg)
{
    if (loop->closed) {
        aw__fail(AW_RuntimeError, "Event loop is closed");
        return NULL;
    }
    if (loop->executor && loop->executor->shutdown_called) {
        aw__fail(AW_RuntimeError, "Executor shutdown has been called");
        return NULL;
    }
    aw_future *f = aw_future_new(loop);
    aw_future_add_done_callback(f, executor_check_cancel, NULL);
    executor_job *job = calloc(1, sizeof *job);
    if (!job) abort();
    job->f = f;
    job->future_id = f->id;
    job->fn = fn;
    job->arg = arg;
    job->min_ns = seconds > 0 ? aw_trace_time_ns(seconds) : 0;
    aw__future_ref(f); /* the job's, until its outcome is delivered */
    if (loop->backend->is_virtual || !loop->threadsafe) {
        submit_inline(loop, job, seconds);
    } else if (!submit_to_pool(loop, job)) {
        aw__future_unref(f);
        job_free(job);
        aw_future_detach(f);
        aw__fail(AW_RuntimeError, "can't start new thread");
        return NULL;
    }
    return f;
}

/* ---- asyncio.to_thread ------------------------------------------------------------------------
 * threads.py: `return await loop.run_in_executor(None, functools.partial(ctx.run, func, ...))`.
 * awaitlab has no context variables to copy; the rest is the same: a coroutine, so nothing is
 * submitted until it runs, and its result is fn's. */
AW_COROUTINE(to_thread, aw_executor_fn fn; void *arg; double seconds;)
{
    aw_future *f = aw_run_in_executor(aw__running_loop(), self->seconds, self->fn, self->arg);
    if (!f) return aw_reraise();
    aw_value v = aw_none();
    aw_status st = aw__await_future(f, &v, NULL, 0);
    aw_future_detach(f);
    if (st != AW_OK) return aw_reraise();
    return v;
}

aw_coro *aw_to_thread(aw_executor_fn fn, void *arg, double seconds)
{
    return AW_CALL(to_thread, fn, arg, seconds);
}

/* ---- shutdown --------------------------------------------------------------------------------- */
/* What the last worker needs to tell the loop that the pool is done: never the loop itself, which
 * may be gone by then (the queue refuses the call once it has closed). */
struct shutdown_note {
    aw__threadsafe *ts;
    aw_future *done;          /* never detached: valid until the loop is freed */
};
typedef struct shutdown_note shutdown_note;

static void note_free(shutdown_note *note)
{
    aw__threadsafe_unref(note->ts);
    free(note);
}

static void set_result_unless_cancelled(void *arg)
{
    aw__future_set_result_unless_cancelled(arg, aw_none());
}

/* In the last worker thread to exit (or in the loop's, if no worker was alive): _do_shutdown's
 * call_soon_threadsafe(futures._set_result_unless_cancelled, future, None). */
static void pool_idle(void *arg)
{
    shutdown_note *note = arg;
    aw__threadsafe_push(note->ts, (aw__ts_call){set_result_unless_cancelled, note->done, NULL, 0});
    note_free(note);
}

/* loop.shutdown_default_executor(timeout) (3.12+): no more submissions; wait for the worker
 * threads to finish what they run and what is queued, at most `timeout` seconds (AW_NO_TIMEOUT:
 * None), while the loop runs (their results are delivered meanwhile).  CPython runs
 * executor.shutdown(wait=True) in a helper thread that tells the loop when it is done; here the
 * pool's last worker tells it.  On timeout: RuntimeWarning, and shutdown(wait=False). */
AW_COROUTINE(shutdown_default_executor, aw_loop *loop; double timeout;)
{
    aw_loop *loop = self->loop;
    aw__executor *ex = executor_of(loop);
    ex->shutdown_called = true;
    if (!ex->pool) return aw_none();
    shutdown_note *note = malloc(sizeof *note);
    if (!note) abort();
    note->ts = aw__threadsafe_ref(loop->threadsafe);
    note->done = aw__future_new_internal(loop);
    aw_future *done = note->done;
    loop->n_expected_threadsafe++; /* the note: the loop waits for it, not a deadlock */
    ex->note = note;
    aw__pool_shutdown(ex->pool, pool_idle, note);
    aw_timeout *scope = aw_timeout_begin(self->timeout);
    aw_status st = aw__await_future(done, NULL, NULL, 0);
    st = aw_timeout_end(scope, st);
    loop->n_expected_threadsafe--;
    ex->note = NULL;
    if (st == AW_OK) {
        aw__pool_join_free(ex->pool); /* every worker has left its loop: a short join */
        ex->pool = NULL;
        return aw_none();
    }
    /* Timed out or cancelled: stop waiting.  The workers go on (their results still come to the
     * loop while it runs) and the last one frees the pool; the note is ours again if no worker
     * took it. */
    if (aw__pool_abandon(ex->pool)) note_free(note);
    ex->pool = NULL;
    if (st != AW_TIMEOUT) return aw_reraise(); /* cancelled: CPython only catches TimeoutError */
    aw_exc_clear();
    aw__warn(loop, "RuntimeWarning", 0,
             "RuntimeWarning: The executor did not finishing joining its threads within %g seconds.",
             self->timeout);
    return aw_none();
}

aw_coro *aw_loop_shutdown_default_executor(aw_loop *loop, double timeout)
{
    return AW_CALL(shutdown_default_executor, loop, timeout);
}

aw_coro *aw__run_shutdown_default_executor(aw_loop *loop)
{
    return aw_loop_shutdown_default_executor(loop, THREAD_JOIN_TIMEOUT);
}

/* loop.close(): executor.shutdown(wait=False), and the jobs in flight are no longer the loop's.
 * Called before the handoff queue closes: until then no worker frees a job (its handoff is
 * accepted), so the list can be walked; afterwards each worker drops its own job's outcome. */
void aw__executor_close(aw_loop *loop)
{
    aw__executor *ex = loop->executor;
    if (!ex) return;
    for (executor_job *job = ex->jobs, *next; job; job = next) {
        next = job->next;
        job->in_flight = false;
        job->prev = job->next = NULL;
    }
    ex->jobs = NULL;
    loop->n_expected_threadsafe = 0;
    if (ex->pool && aw__pool_abandon(ex->pool) && ex->note) note_free(ex->note);
    ex->note = NULL;
    ex->pool = NULL;
}

void aw__executor_free(aw_loop *loop)
{
    free(loop->executor);
    loop->executor = NULL;
}
