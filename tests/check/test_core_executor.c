/* test_core_executor.c — loop.run_in_executor, asyncio.to_thread, loop.call_soon_threadsafe and
 * the default executor's shutdown, on both clocks (CPython: base_events.py run_in_executor and
 * shutdown_default_executor, futures.py wrap_future/_chain_future, threads.py to_thread).
 *
 * Simulated clock: the order of everything is CPython's, checked against CPython itself by the
 * Python twin tests/check/cpython/executor.py (its output is executor.expected).
 * Real clock: real threads.  These tests order the jobs with semaphores, never with sleeps, and
 * assert no durations: a job that must finish after another waits for it; a loop that must be
 * woken has nothing else that could wake it (a missing wake-up hangs, and Check's timeout fails
 * the test). */
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aw_tracer.h"
#include "support_core.h"

/* ---- simulated clock: the twin ----------------------------------------------------------------- */

static aw_value work(void *arg) { return aw_str(arg); }
static aw_value raise_value_error(void *arg)
{
    (void)arg;
    return aw_raise("ValueError", "boom");
}

/* A worker thread that prints as it goes: its aw_thread_sleep()s move its own clock (aw_time). */
static aw_value chatty(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        char repr[64];
        aw_value_repr(aw_float(aw_time()), repr, sizeof repr);
        aw_print("chatty %d: monotonic %s", i, repr);
        aw_thread_sleep(0.1);
    }
    return aw_str("chatty");
}

static void log_done(aw_future *f, void *arg)
{
    aw_value v;
    ck_assert_int_eq(aw_future_result(f, &v), AW_OK);
    log_line("%s done: %s", (const char *)arg, v.as.s);
}

static void cb_log(void *arg) { log_line("%s", (const char *)arg); }

AW_COROUTINE(twin_main)
{
    aw_loop *loop = aw_current_loop();
    /* Jobs finish in the order of their durations; each future completes one iteration after
     * its job (call_soon_threadsafe from the worker: _chain_future's _call_set_state). */
    aw_future *slow = aw_run_in_executor(loop, 0.3, work, "slow");
    aw_future *fast = aw_run_in_executor(loop, 0.1, work, "fast");
    aw_future_add_done_callback(slow, log_done, "slow");
    aw_future_add_done_callback(fast, log_done, "fast");
    aw_call_soon(loop, cb_log, "call_soon after the submissions");
    /* From the loop's own thread, call_soon_threadsafe is call_soon: FIFO with the others. */
    ck_assert_int_eq(aw_loop_call_soon_threadsafe(loop, cb_log, "call_soon_threadsafe from the loop's thread"), 0);
    aw_call_soon(loop, cb_log, "call_soon after it");
    aw_value results;
    AW_AWAIT_INTO(results, AW_GATHER(slow, fast));
    char repr[128];
    aw_value_repr(results, repr, sizeof repr);
    aw_print("gather: %s", repr);
    /* An exception the job raises is the future's exception (_copy_future_state). */
    aw_status st = aw_await(aw_run_in_executor(loop, 0.2, raise_value_error, NULL), NULL);
    if (aw_except(st, "ValueError")) {
        aw_print("ValueError: %s", aw_exc_message(aw_exc_current()));
        aw_exc_clear();
    } else {
        ck_abort_msg("the job's ValueError did not arrive");
    }
    /* to_thread is a coroutine: the job is submitted when it runs, and its result is fn's. */
    aw_value v;
    AW_AWAIT_INTO(v, aw_to_thread(work, "via to_thread", 0.5));
    aw_print("to_thread: %s", v.as.s);
    /* Cancelling the awaiting task cancels it at once; the running job cannot be cancelled and
     * its result is dropped when it arrives (at 2.0 here: nothing shows). */
    aw_task *t = aw_create_task(aw_to_thread(work, "never seen", 1.0));
    AW_AWAIT(aw_sleep(0.1));
    aw_task_cancel(t, NULL);
    st = aw_await(t, NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("to_thread task cancelled: %s", aw_task_cancelled(t) ? "True" : "False");
        aw_exc_clear();
    } else {
        ck_abort_msg("the task was not cancelled");
    }
    AW_AWAIT(aw_sleep(2));
    /* A job of no duration: a timer due now, then the threadsafe call, then the callbacks. */
    aw_future *zero = aw_run_in_executor(loop, 0, work, "zero");
    aw_future_add_done_callback(zero, log_done, "zero");
    aw_call_soon(loop, cb_log, "soon");
    AW_AWAIT(aw_sleep(0));
    aw_print("after sleep(0)");
    AW_AWAIT(aw_sleep(0));
    aw_print("after a second sleep(0)");
    AW_AWAIT_INTO(v, zero);
    aw_print("await zero: %s", v.as.s);
    /* A job that prints and sleeps: its lines come out at submission (loop time), each reading
     * the job's own clock; the job ends when its sleeps are over (declared duration 0). */
    AW_AWAIT_INTO(v, aw_to_thread(chatty, NULL, 0));
    aw_print("to_thread: %s", v.as.s);
    return aw_none();
}

START_TEST(sim_order_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(twin_main)), AW_OK);
    ck_assert_log_twin("executor");
    ck_assert_int_eq(g_log.n_warnings, 0);
}
END_TEST

/* ---- real clock ----------------------------------------------------------------------------------
 * A job's function runs in a worker thread: it touches only its own argument and semaphores. */

/* ThreadPoolExecutor runs jobs concurrently, and each result reaches the loop when its job ends,
 * whatever the submission order.  A waits until the loop has received C's result, C until it has
 * received B's: with fewer than three concurrent workers this would never end. */
typedef struct ordered_job {
    const char *name;
    sem_t go;              /* posted by the loop when the job may finish */
    struct ordered_job *releases;   /* the job this one's delivery lets finish */
} ordered_job;

static aw_value ordered_run(void *arg)
{
    ordered_job *j = arg;
    while (sem_wait(&j->go) != 0) {}
    return aw_strf("%s (from a worker)", j->name); /* the job's own string, adopted by the loop */
}

static void ordered_done(aw_future *f, void *arg)
{
    ordered_job *j = arg;
    aw_value v;
    ck_assert_int_eq(aw_future_result(f, &v), AW_OK);
    log_line("%s", v.as.s);
    if (j->releases) sem_post(&j->releases->go);
}

AW_COROUTINE(concurrent_main)
{
    aw_loop *loop = aw_current_loop();
    static ordered_job a = {"A", {{0}}, NULL}, b = {"B", {{0}}, NULL}, c = {"C", {{0}}, NULL};
    b.releases = &c;
    c.releases = &a;
    sem_init(&a.go, 0, 0);
    sem_init(&b.go, 0, 1); /* B may finish at once */
    sem_init(&c.go, 0, 0);
    aw_future *fs[3];
    ordered_job *jobs[3] = {&a, &b, &c};
    for (int i = 0; i < 3; i++) {
        fs[i] = aw_run_in_executor(loop, 0, ordered_run, jobs[i]);
        ck_assert_ptr_nonnull(fs[i]);
        aw_future_add_done_callback(fs[i], ordered_done, jobs[i]);
    }
    aw_value results;
    AW_AWAIT_INTO(results, aw_gather(false, 3, (void *const *)fs));
    char repr[256];
    aw_value_repr(results, repr, sizeof repr);
    aw_print("gather: %s", repr); /* gather keeps the submission order */
    return aw_none();
}

/* Drops the "t=0.123 " stamps of a real-clock log (times vary from run to run). */
static const char *unstamped(void)
{
    static char out[sizeof g_log.out];
    size_t n = 0;
    for (const char *p = g_log.out; *p;) {
        const char *sp = strchr(p, ' ');
        const char *nl = strchr(p, '\n');
        if (!sp || !nl || sp > nl) break;
        size_t len = (size_t)(nl - sp);
        memcpy(out + n, sp + 1, len);
        n += len;
        p = nl + 1;
    }
    out[n] = '\0';
    return out;
}

START_TEST(real_jobs_run_concurrently_and_finish_in_their_own_order)
{
    ck_assert_int_eq(run_main(AW_CALL(concurrent_main), AW_CLOCK_REAL), AW_OK);
    ck_assert_str_eq(unstamped(), "B (from a worker)\nC (from a worker)\nA (from a worker)\n"
                                  "gather: ['A (from a worker)', 'B (from a worker)', 'C (from a worker)']\n");
    ck_assert_int_eq(g_log.n_warnings, 0);
}
END_TEST

/* The job's exception is the future's exception, on the real clock too. */
static aw_value raise_in_worker(void *arg)
{
    return aw_raise("KeyError", "%s", (const char *)arg);
}

AW_COROUTINE(exception_main)
{
    aw_status st = aw_await(aw_to_thread(raise_in_worker, "missing", 0), NULL);
    if (aw_except(st, "KeyError")) {
        aw_print("KeyError: %s", aw_exc_message(aw_exc_current()));
        aw_exc_clear();
    }
    return aw_none();
}

START_TEST(real_exception_is_the_futures)
{
    ck_assert_int_eq(run_main(AW_CALL(exception_main), AW_CLOCK_REAL), AW_OK);
    ck_assert_str_eq(unstamped(), "KeyError: 'missing'\n"); /* str(KeyError(k)) is repr(k) */
}
END_TEST

/* The loop's wait is woken by the handoff (CPython's self-pipe), no polling: the program has no
 * timer and no descriptor, so the loop waits with no timeout at all, and only the job's wake-up
 * can end that wait.  The job finishes only once the loop is about to wait (the tracer sees the
 * io_wait event), so the wake-up, not a late look at the queue, is what delivers the result. */
typedef struct wake_watch {
    sem_t loop_waits;
    int iteration_of_wait;      /* the iteration whose wait had no timeout */
    int iteration_of_delivery;  /* the iteration the call_soon_threadsafe handle was scheduled in */
} wake_watch;
static wake_watch watch;

static void watch_event(void *ud, const aw_event *ev)
{
    (void)ud;
    if (ev->kind == AW_EV_IO_WAIT && ev->ta < 0 && !watch.iteration_of_wait) {
        watch.iteration_of_wait = (int)ev->iteration;
        sem_post(&watch.loop_waits);
    }
    if (ev->kind == AW_EV_SCHEDULED && ev->name && !strcmp(ev->name, "call_soon_threadsafe") &&
        !watch.iteration_of_delivery)
        watch.iteration_of_delivery = (int)ev->iteration;
}

static aw_value finish_when_loop_waits(void *arg)
{
    (void)arg;
    while (sem_wait(&watch.loop_waits) != 0) {}
    return aw_int(42);
}

AW_COROUTINE(wake_main)
{
    aw_value v;
    AW_AWAIT_INTO(v, aw_to_thread(finish_when_loop_waits, NULL, 0));
    log_line("woken with %lld", v.as.i);
    return aw_none();
}

START_TEST(real_loop_is_woken_by_the_job)
{
    static const aw_tracer tracer = {NULL, watch_event, NULL};
    memset(&watch, 0, sizeof watch);
    sem_init(&watch.loop_waits, 0, 0);
    memset(&g_log, 0, sizeof g_log);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_REAL;
    o.tracer = &tracer;
    aw_loop *loop = aw_loop_new(&o);
    aw_value v;
    ck_assert_int_eq(aw_loop_run_until_complete(loop, AW_CALL(wake_main), &v), AW_OK);
    ck_assert_int_gt(watch.iteration_of_wait, 0);
    ck_assert_int_eq(watch.iteration_of_delivery, watch.iteration_of_wait);
    ck_assert_str_eq(unstamped(), "woken with 42\n");
    aw_loop_run_until_complete(loop, aw_loop_shutdown_default_executor(loop, AW_NO_TIMEOUT), NULL);
    aw_loop_free(loop);
}
END_TEST

/* print() from worker threads while the loop prints too (CPython's print() in a thread of
 * to_thread): every line goes through the loop's output callback, whole, never from two threads at
 * once (the callback counts overlapping calls, and copies slowly to widen the window), each
 * thread's lines in its order; the tracer, the loop thread's alone, gets every worker's line
 * (task none) from the loop's own thread. */
#define PRINTERS 4
#define PRINTER_LINES 40
static struct {
    atomic_int inside, overlaps;
    char out[PRINTERS * PRINTER_LINES * 2 * 16];
    size_t len;
    int worker_lines_traced;
    bool traced_off_the_loop_thread;
    pthread_t loop_thread;
} prn;

static void guarded_output(aw_loop *loop, const char *line, void *ud)
{
    (void)loop, (void)ud;
    if (atomic_fetch_add(&prn.inside, 1) != 0) atomic_fetch_add(&prn.overlaps, 1);
    for (const char *p = line; *p && prn.len + 2 < sizeof prn.out; p++) {
        prn.out[prn.len++] = *p;
        if (*p == ' ') sched_yield();
    }
    prn.out[prn.len++] = '\n';
    atomic_fetch_sub(&prn.inside, 1);
}

static void count_output_events(void *ud, const aw_event *ev)
{
    (void)ud;
    if (!pthread_equal(pthread_self(), prn.loop_thread)) prn.traced_off_the_loop_thread = true;
    if (ev->kind == AW_EV_OUTPUT && ev->task == 0) prn.worker_lines_traced++;
}

static aw_value printer(void *arg)
{
    for (int i = 0; i < PRINTER_LINES; i++) aw_print("%s %d", (const char *)arg, i);
    return aw_none();
}

AW_COROUTINE(loop_printer)
{
    for (int i = 0; i < PRINTER_LINES; i++) {
        aw_print("L %d", i);
        AW_AWAIT(aw_sleep(0));
    }
    return aw_none();
}

AW_COROUTINE(printers_main)
{
    AW_AWAIT(AW_GATHER(aw_to_thread(printer, "A", 0), aw_to_thread(printer, "B", 0),
                       aw_to_thread(printer, "C", 0), aw_to_thread(printer, "D", 0), AW_CALL(loop_printer)));
    return aw_none();
}

START_TEST(real_prints_from_workers_are_whole_lines_through_the_output)
{
    static const aw_tracer tracer = {NULL, count_output_events, NULL};
    memset(&prn, 0, sizeof prn);
    prn.loop_thread = pthread_self();
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_REAL;
    o.output = guarded_output;
    o.tracer = &tracer;
    aw_loop *loop = aw_loop_new(&o);
    ck_assert_int_eq(aw_loop_run_until_complete(loop, AW_CALL(printers_main), NULL), AW_OK);
    aw_loop_run_until_complete(loop, aw_loop_shutdown_default_executor(loop, AW_NO_TIMEOUT), NULL);
    aw_loop_free(loop);
    int overlaps = atomic_load(&prn.overlaps);
    ck_assert_int_eq(overlaps, 0); /* calls of the output callback that overlapped */
    ck_assert(!prn.traced_off_the_loop_thread);
    ck_assert_int_eq(prn.worker_lines_traced, PRINTERS * PRINTER_LINES);
    /* Every line whole, and each thread's lines in its own order. */
    int next[PRINTERS + 1] = {0};
    int lines = 0;
    prn.out[prn.len] = '\0';
    for (char *save = NULL, *l = strtok_r(prn.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char who;
        int i;
        char rest;
        ck_assert_msg(sscanf(l, "%c %d%c", &who, &i, &rest) == 2, "a broken line: '%s'", l);
        int k = who == 'L' ? PRINTERS : who - 'A';
        ck_assert_msg(k >= 0 && k <= PRINTERS && i == next[k], "line '%s' out of order", l);
        next[k]++;
        lines++;
    }
    ck_assert_int_eq(lines, (PRINTERS + 1) * PRINTER_LINES);
}
END_TEST

/* Cancelling the task that awaits a running job: the task is cancelled at once (the asyncio
 * future is cancelled), the job cannot be (a running concurrent future ignores cancel()), runs to
 * its end, and its result is dropped. */
static sem_t job_started, job_release;
static atomic_int job_finished;

static aw_value blocking_job(void *arg)
{
    sem_post(&job_started);
    while (sem_wait(&job_release) != 0) {}
    atomic_store(&job_finished, 1);
    return aw_str(arg);
}

static void log_any_result(aw_future *f, void *arg)
{
    (void)arg;
    log_line("future done, cancelled=%d", aw_future_cancelled(f));
}

AW_COROUTINE(cancel_running_main)
{
    aw_loop *loop = aw_current_loop();
    aw_future *f = aw_run_in_executor(loop, 0, blocking_job, "dropped");
    aw_future_add_done_callback(f, log_any_result, NULL);
    while (sem_wait(&job_started) != 0) {}   /* it runs now (the loop is held a moment) */
    aw_task *t = aw_create_task(aw_to_thread(blocking_job, "dropped too", 0));
    AW_AWAIT(aw_sleep(0));    /* t's first step: it submits its job and awaits it */
    while (sem_wait(&job_started) != 0) {}
    ck_assert(aw_future_cancel(f, NULL));
    aw_task_cancel(t, NULL);
    aw_status st = aw_await(t, NULL);
    ck_assert_int_eq(st, AW_CANCELLED);
    aw_exc_clear();
    aw_print("task cancelled while its job runs: %d", aw_task_cancelled(t));
    ck_assert_int_eq(atomic_load(&job_finished), 0);
    sem_post(&job_release);
    sem_post(&job_release);
    return aw_none();   /* asyncio.run waits for both jobs; their results are dropped */
}

START_TEST(real_cancel_while_the_job_runs)
{
    sem_init(&job_started, 0, 0);
    sem_init(&job_release, 0, 0);
    atomic_store(&job_finished, 0);
    ck_assert_int_eq(run_main(AW_CALL(cancel_running_main), AW_CLOCK_REAL), AW_OK);
    ck_assert_int_eq(atomic_load(&job_finished), 1);
    ck_assert_str_eq(unstamped(), "future done, cancelled=1\ntask cancelled while its job runs: 1\n");
    ck_assert_int_eq(g_log.n_warnings, 0);
}
END_TEST

/* A job still queued (every worker busy) is withdrawn by the cancel and never runs: a pending
 * concurrent future's cancel() succeeds and the worker skips it (set_running_or_notify_cancel).
 * More jobs than the pool's most workers (32) guarantees a queued one. */
#define N_BLOCKERS 40
static atomic_int runs;

static aw_value counted_job(void *arg)
{
    (void)arg;
    atomic_fetch_add(&runs, 1);
    while (sem_wait(&job_release) != 0) {}
    return aw_none();
}

static aw_value must_not_run(void *arg)
{
    (void)arg;
    atomic_store(&job_finished, 1);
    return aw_none();
}

AW_COROUTINE(cancel_queued_main)
{
    aw_loop *loop = aw_current_loop();
    aw_future *fs[N_BLOCKERS];
    for (int i = 0; i < N_BLOCKERS; i++) fs[i] = aw_run_in_executor(loop, 0, counted_job, NULL);
    aw_future *queued = aw_run_in_executor(loop, 0, must_not_run, NULL);
    ck_assert(aw_future_cancel(queued, NULL));
    aw_status st = aw_await(queued, NULL);
    ck_assert_int_eq(st, AW_CANCELLED);
    aw_exc_clear();
    /* The cancel reaches the job in the future's done-callback (_call_check_cancel), one
     * iteration later, as in CPython: the workers stay busy until then. */
    AW_AWAIT(aw_sleep(0));
    for (int i = 0; i < N_BLOCKERS; i++) sem_post(&job_release);
    AW_AWAIT(aw_gather(false, N_BLOCKERS, (void *const *)fs));
    aw_print("%d jobs ran", atomic_load(&runs));
    return aw_none();
}

START_TEST(real_cancel_of_a_queued_job_withdraws_it)
{
    sem_init(&job_release, 0, 0);
    atomic_store(&job_finished, 0);
    atomic_store(&runs, 0);
    ck_assert_int_eq(run_main(AW_CALL(cancel_queued_main), AW_CLOCK_REAL), AW_OK);
    ck_assert_str_eq(unstamped(), "40 jobs ran\n");
    ck_assert_int_eq(atomic_load(&job_finished), 0);
}
END_TEST

/* asyncio.run does not return while jobs run: Runner.close() awaits
 * loop.shutdown_default_executor(), which joins the threads, and the results that arrive
 * meanwhile are delivered (their futures' callbacks run). */
AW_COROUTINE(leave_jobs_behind_main)
{
    aw_loop *loop = aw_current_loop();
    aw_future *f = aw_run_in_executor(loop, 0, blocking_job, "delivered at shutdown");
    aw_future_add_done_callback(f, log_done, "left-behind job");
    while (sem_wait(&job_started) != 0) {}
    sem_post(&job_release);
    return aw_none(); /* never awaits f */
}

START_TEST(real_run_waits_for_the_jobs)
{
    sem_init(&job_started, 0, 0);
    sem_init(&job_release, 0, 0);
    atomic_store(&job_finished, 0);
    ck_assert_int_eq(run_main(AW_CALL(leave_jobs_behind_main), AW_CLOCK_REAL), AW_OK);
    ck_assert_int_eq(atomic_load(&job_finished), 1);
    ck_assert_str_eq(unstamped(), "left-behind job done: delivered at shutdown\n");
    ck_assert_int_eq(g_log.n_warnings, 0);
}
END_TEST

/* shutdown_default_executor(timeout) gives up after the timeout with CPython's RuntimeWarning;
 * the thread goes on, and its result still reaches the loop while it runs. */
AW_COROUTINE(shutdown_timeout_main)
{
    aw_loop *loop = aw_current_loop();
    aw_future *f = aw_run_in_executor(loop, 0, blocking_job, "after the timeout");
    while (sem_wait(&job_started) != 0) {}
    AW_AWAIT(aw_loop_shutdown_default_executor(loop, 0.05));
    ck_assert_ptr_null(aw_run_in_executor(loop, 0, work, "refused"));
    aw_print("%s: %s", aw_exc_type(aw_exc_current()), aw_exc_message(aw_exc_current()));
    aw_exc_clear();
    sem_post(&job_release);
    aw_value v;
    AW_AWAIT_INTO(v, f);
    aw_print("result: %s", v.as.s);
    return aw_none();
}

START_TEST(real_shutdown_timeout_warns)
{
    sem_init(&job_started, 0, 0);
    sem_init(&job_release, 0, 0);
    ck_assert_int_eq(run_main(AW_CALL(shutdown_timeout_main), AW_CLOCK_REAL), AW_OK);
    ck_assert_str_eq(unstamped(), "RuntimeError: Executor shutdown has been called\n"
                                  "result: after the timeout\n");
    ck_assert_str_eq(g_log.warnings, "RuntimeWarning: RuntimeWarning: The executor did not finishing "
                                     "joining its threads within 0.05 seconds.\n");
}
END_TEST

/* call_soon_threadsafe from a thread of the program's own: the callback runs on the loop's thread,
 * and the loop's wait (here until a 10 s deadline: the loop waits only for its own jobs forever)
 * is woken at once; the call after the loop closed is refused. */
typedef struct caller {
    aw_loop *loop;
    aw_future *f;
    pthread_t tid;
} caller;

static void set_from_thread(void *arg)
{
    caller *c = arg;
    ck_assert_ptr_eq(aw_current_loop(), c->loop); /* on the loop's thread */
    aw_future_set_result(c->f, aw_str("set by call_soon_threadsafe"));
}

static void *caller_main(void *arg)
{
    caller *c = arg;
    if (aw_loop_call_soon_threadsafe(c->loop, set_from_thread, c) != 0) abort();
    return NULL;
}

AW_COROUTINE(threadsafe_main, caller *c;)
{
    caller *c = self->c;
    c->loop = aw_current_loop();
    c->f = aw_future_new(c->loop);
    ck_assert_int_eq(pthread_create(&c->tid, NULL, caller_main, c), 0);
    aw_value v;
    aw_status st = aw_await(aw_wait_for(c->f, 10), &v);
    ck_assert_int_eq(st, AW_OK);
    log_line("%s", v.as.s);
    pthread_join(c->tid, NULL);
    return aw_none();
}

START_TEST(real_call_soon_threadsafe_from_another_thread)
{
    static caller c;
    memset(&g_log, 0, sizeof g_log);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_REAL;
    aw_loop *loop = aw_loop_new(&o);
    ck_assert_int_eq(aw_loop_run_until_complete(loop, AW_CALL(threadsafe_main, &c), NULL), AW_OK);
    ck_assert_str_eq(unstamped(), "set by call_soon_threadsafe\n");
    aw_loop_close(loop);
    ck_assert_int_eq(aw_loop_call_soon_threadsafe(loop, set_from_thread, &c), -1); /* closed */
    aw_loop_free(loop);
}
END_TEST

Suite *executor_suite(void)
{
    Suite *s = suite_create("core_executor");
    TCase *sim = tcase_create("sim");
    tcase_add_test(sim, sim_order_as_cpython);
    suite_add_tcase(s, sim);
    TCase *real = tcase_create("real");
    tcase_add_test(real, real_jobs_run_concurrently_and_finish_in_their_own_order);
    tcase_add_test(real, real_exception_is_the_futures);
    tcase_add_test(real, real_loop_is_woken_by_the_job);
    tcase_add_test(real, real_cancel_while_the_job_runs);
    tcase_add_test(real, real_cancel_of_a_queued_job_withdraws_it);
    tcase_add_test(real, real_run_waits_for_the_jobs);
    tcase_add_test(real, real_shutdown_timeout_warns);
    tcase_add_test(real, real_call_soon_threadsafe_from_another_thread);
    tcase_add_test(real, real_prints_from_workers_are_whole_lines_through_the_output);
    suite_add_tcase(s, real);
    return s;
}

int main(void) { return run_suite(executor_suite()); }
