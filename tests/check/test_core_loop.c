/* test_core_loop.c — the loop's ordering rules (CPython's BaseEventLoop._run_once), its clocks,
 * and misuse of the loop.  Each test names the rule it checks. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "support_core.h"

/* ---- Rule: the ready queue is FIFO, and one iteration runs only what was ready when it began */
static void cb_log(void *arg) { log_line("%s iter=%llu", (const char *)arg, (unsigned long long)aw_loop_iteration(aw_current_loop())); }

static void cb_schedules_more(void *arg)
{
    cb_log(arg);
    aw_call_soon(aw_current_loop(), cb_log, "D (scheduled by A)");
}

AW_COROUTINE(fifo_main)
{
    aw_loop *loop = aw_current_loop();
    aw_call_soon(loop, cb_schedules_more, "A");
    aw_call_soon(loop, cb_log, "B");
    aw_call_soon(loop, cb_log, "C");
    AW_AWAIT(aw_sleep(0.1));
    return aw_none();
}

START_TEST(ready_queue_is_fifo_and_runs_only_what_was_ready)
{
    ck_assert_int_eq(run_sim(AW_CALL(fifo_main)), AW_OK);
    /* A, B, C run in one iteration (the one after main's first step); D waits for the next. */
    ck_assert_log("t=0.000 A iter=2\n"
                  "t=0.000 B iter=2\n"
                  "t=0.000 C iter=2\n"
                  "t=0.000 D (scheduled by A) iter=3\n");
}
END_TEST

/* ---- Rule: timers fire in (deadline, creation order) ---------------------------------------- */
static const char *names[] = {"0", "1", "2", "3", "4", "5", "6", "7"};

AW_COROUTINE(timers_main)
{
    aw_loop *loop = aw_current_loop();
    /* Eight timers at the same deadline: CPython's heapq alone would give 0 2 6 5 7 1 3 4 on a
     * virtual clock; a real run gives creation order, which is what we promise. */
    for (int i = 0; i < 8; i++) aw_call_later(loop, 1.0, cb_log, (void *)names[i]);
    aw_call_later(loop, 0.5, cb_log, "early (created last)");
    aw_call_at(loop, aw_loop_time(loop) + 0.25, cb_log, "call_at 0.25");
    AW_AWAIT(aw_sleep(2));
    return aw_none();
}

START_TEST(timers_fire_by_deadline_then_creation_order)
{
    ck_assert_int_eq(run_sim(AW_CALL(timers_main)), AW_OK);
    ck_assert_log("t=0.250 call_at 0.25 iter=2\n"
                  "t=0.500 early (created last) iter=3\n"
                  "t=1.000 0 iter=4\nt=1.000 1 iter=4\nt=1.000 2 iter=4\nt=1.000 3 iter=4\n"
                  "t=1.000 4 iter=4\nt=1.000 5 iter=4\nt=1.000 6 iter=4\nt=1.000 7 iter=4\n");
}
END_TEST

/* ---- Rule: a cancelled handle does not run; call_at in the past runs at the next iteration -- */
AW_COROUTINE(cancel_handle_main)
{
    aw_loop *loop = aw_current_loop();
    aw_handle *h = aw_call_later(loop, 1.0, cb_log, "cancelled timer");
    aw_handle *s = aw_call_soon(loop, cb_log, "cancelled soon");
    aw_call_at(loop, -5.0, cb_log, "past call_at");
    aw_handle_cancel(h);
    aw_handle_cancel(s);
    ck_assert(aw_handle_cancelled(h));
    AW_AWAIT(aw_sleep(2));
    return aw_none();
}

START_TEST(cancelled_handles_never_run)
{
    ck_assert_int_eq(run_sim(AW_CALL(cancel_handle_main)), AW_OK);
    ck_assert_log("t=0.000 past call_at iter=2\n");
}
END_TEST

/* ---- Rule: a call_soon handle that ran is spent: its memory serves the next handle, and the old
 * handle can neither cancel that one nor read as cancelled (CPython: a Handle that ran is
 * inert); a cancelled one stays cancelled --------------------------------------------------- */
AW_COROUTINE(spent_handle_main)
{
    aw_loop *loop = aw_current_loop();
    aw_handle *first = aw_call_soon(loop, cb_log, "first");
    aw_handle *gone = aw_call_soon(loop, cb_log, "never (cancelled)");
    aw_handle_cancel(gone);
    AW_AWAIT(aw_sleep(0));
    AW_AWAIT(aw_sleep(0));
    aw_handle *second = aw_call_soon(loop, cb_log, "second (its handle may reuse first's memory)");
    aw_handle_cancel(first); /* spent: must not reach `second` */
    ck_assert(!aw_handle_cancelled(first));
    ck_assert(!aw_handle_cancelled(second));
    ck_assert(aw_handle_cancelled(gone));
    ck_assert(aw_handle_when(first) == -1);
    AW_AWAIT(aw_sleep(0));
    ck_assert(!aw_handle_cancelled(second));
    return aw_none();
}

START_TEST(spent_call_soon_handles_are_inert)
{
    ck_assert_int_eq(run_sim(AW_CALL(spent_handle_main)), AW_OK);
    ck_assert_log("t=0.000 first iter=2\n"
                  "t=0.000 second (its handle may reuse first's memory) iter=4\n");
}
END_TEST

/* ---- Rule: the simulated clock jumps instead of sleeping ------------------------------------ */
AW_COROUTINE(long_sleep_main)
{
    AW_AWAIT(aw_sleep(3600 * 24 * 7)); /* a week: Check's timeout would catch a real wait */
    aw_print("a week later: %.3f", aw_time());
    return aw_none();
}

START_TEST(sim_clock_jumps_to_the_next_deadline)
{
    ck_assert_int_eq(run_sim(AW_CALL(long_sleep_main)), AW_OK);
    ck_assert_log("t=604800.000 a week later: 604800.000\n");
}
END_TEST

/* ---- Rule: the same program prints the same lines, in the same order, on both clocks -------- */
AW_COROUTINE(ticker, const char *name; double period; int n;)
{
    for (int i = 0; i < self->n; i++) {
        AW_AWAIT(aw_sleep(self->period));
        aw_print("%s %d", self->name, i);
    }
    return aw_none();
}

AW_COROUTINE(two_tickers)
{
    /* 50 ms between any two lines: a real run keeps this order unless a wake-up is 25 ms late */
    aw_task *a = aw_create_task(AW_CALL(ticker, "a", 0.100, 3));
    aw_task *b = aw_create_task(AW_CALL(ticker, "b", 0.250, 2));
    AW_AWAIT(a);
    AW_AWAIT(b);
    aw_print("done");
    return aw_none();
}

static void strip_times(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 1 < cap;) {
        const char *sp = strchr(p, ' ');
        const char *nl = strchr(p, '\n');
        if (!sp || !nl) break;
        size_t n = (size_t)(nl - sp);
        if (o + n + 1 >= cap) break;
        memcpy(out + o, sp + 1, n);
        o += n;
        p = nl + 1;
    }
    out[o] = '\0';
}

START_TEST(same_output_on_real_and_sim_clocks)
{
    static char sim_lines[4096], real_lines[4096];
    ck_assert_int_eq(run_main(AW_CALL(two_tickers), AW_CLOCK_SIM), AW_OK);
    strip_times(g_log.out, sim_lines, sizeof sim_lines);
    ck_assert_int_eq(run_main(AW_CALL(two_tickers), AW_CLOCK_REAL), AW_OK);
    strip_times(g_log.out, real_lines, sizeof real_lines);
    ck_assert_str_eq(sim_lines, "a 0\na 1\nb 0\na 2\nb 1\ndone\n");
    ck_assert_str_eq(real_lines, sim_lines);
}
END_TEST

/* ---- Rule: CPU-bound work holds the loop (nothing else runs meanwhile) --------------------- */
AW_COROUTINE(busy_worker)
{
    aw_busy(2.0);
    aw_print("busy done");
    return aw_none();
}

AW_COROUTINE(busy_main)
{
    aw_call_later(aw_current_loop(), 0.5, cb_log, "timer due at 0.5");
    aw_task *t = aw_create_task(AW_CALL(busy_worker));
    AW_AWAIT(t);
    AW_AWAIT(aw_sleep(0));
    return aw_none();
}

START_TEST(busy_holds_the_loop_and_advances_the_sim_clock)
{
    ck_assert_int_eq(run_sim(AW_CALL(busy_main)), AW_OK);
    ck_assert_log("t=2.000 busy done\n"
                  "t=2.000 timer due at 0.5 iter=3\n");
}
END_TEST

/* ---- Misuse: a run with nothing that could ever happen stops with a message, not a hang ----- */
AW_COROUTINE(waits_forever)
{
    aw_future *f = aw_future_new(aw_current_loop());
    AW_AWAIT(f); /* nobody will ever resolve it */
    return aw_none();
}

START_TEST(deadlock_is_reported_not_hung)
{
    aw_status st = run_sim(AW_CALL(waits_forever));
    ck_assert_int_eq(st, AW_ERROR);
    ck_assert_str_eq(aw_exc_type(aw_exc_current()), "RuntimeError");
    ck_assert_ptr_nonnull(strstr(aw_exc_message(aw_exc_current()), "deadlock"));
    aw_exc_clear();
}
END_TEST

/* ---- Misuse: asyncio.run() inside a running loop ------------------------------------------- */
AW_COROUTINE(nested_run)
{
    aw_status st = aw_run(AW_CALL(long_sleep_main), NULL, NULL);
    aw_print("inner run: status=%d %s: %s", st, aw_exc_type(aw_exc_current()), aw_exc_message(aw_exc_current()));
    aw_exc_clear();
    return aw_none();
}

START_TEST(run_inside_a_running_loop_is_an_error)
{
    ck_assert_int_eq(run_sim(AW_CALL(nested_run)), AW_OK);
    ck_assert_log("t=0.000 inner run: status=3 RuntimeError: asyncio.run() cannot be called from a running event loop\n");
}
END_TEST

/* ---- Misuse: awaiting outside any task ------------------------------------------------------- */
START_TEST(await_outside_a_task_is_an_error)
{
    aw_loop *loop = aw_loop_new(NULL);
    aw_future *f = aw_future_new(loop);
    aw_status st = aw_await(f, NULL);
    ck_assert_int_eq(st, AW_ERROR);
    ck_assert_str_eq(aw_exc_type(aw_exc_current()), "RuntimeError");
    ck_assert_ptr_nonnull(strstr(aw_exc_message(aw_exc_current()), "outside a task"));
    aw_exc_clear();
    aw_loop_free(loop);
}
END_TEST

/* ---- run_until_complete / run_forever / stop ------------------------------------------------ */
static void stop_loop(void *arg) { aw_loop_stop(arg); }

START_TEST(run_forever_until_stop)
{
    memset(&g_log, 0, sizeof g_log);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    aw_loop *loop = aw_loop_new(&o);
    aw_call_later(loop, 1.5, cb_log, "tick");
    aw_call_later(loop, 2.0, stop_loop, loop);
    aw_call_later(loop, 3.0, cb_log, "after stop");
    ck_assert_int_eq(aw_loop_run_forever(loop), AW_OK);
    ck_assert_double_eq_tol(aw_loop_time(loop), 2.0, 1e-9);
    aw_call_later(loop, 1.5, stop_loop, loop);
    ck_assert_int_eq(aw_loop_run_forever(loop), AW_OK); /* runs on from where it stopped */
    ck_assert_double_eq_tol(aw_loop_time(loop), 3.5, 1e-9);
    ck_assert_log("t=1.500 tick iter=1\nt=3.000 after stop iter=3\n");
    aw_exc_clear();
    aw_loop_free(loop);
}
END_TEST

AW_COROUTINE(returns_seven) { return aw_int(7); }

START_TEST(run_until_complete_returns_the_result)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    aw_loop *loop = aw_loop_new(&o);
    aw_value v = aw_none();
    ck_assert_int_eq(aw_loop_run_until_complete(loop, AW_CALL(returns_seven), &v), AW_OK);
    ck_assert_int_eq(v.kind, AW_INT);
    ck_assert_int_eq(v.as.i, 7);
    ck_assert(!aw_loop_is_running(loop));
    aw_loop_close(loop);
    ck_assert(aw_loop_is_closed(loop));
    ck_assert_int_eq(aw_loop_run_until_complete(loop, AW_CALL(returns_seven), &v), AW_ERROR);
    ck_assert_str_eq(aw_exc_message(aw_exc_current()), "Event loop is closed");
    aw_exc_clear();
    aw_loop_free(loop);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_loop");
    TCase *tc = tcase_create("loop");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, ready_queue_is_fifo_and_runs_only_what_was_ready);
    tcase_add_test(tc, timers_fire_by_deadline_then_creation_order);
    tcase_add_test(tc, cancelled_handles_never_run);
    tcase_add_test(tc, spent_call_soon_handles_are_inert);
    tcase_add_test(tc, sim_clock_jumps_to_the_next_deadline);
    tcase_add_test(tc, same_output_on_real_and_sim_clocks);
    tcase_add_test(tc, busy_holds_the_loop_and_advances_the_sim_clock);
    tcase_add_test(tc, deadlock_is_reported_not_hung);
    tcase_add_test(tc, run_inside_a_running_loop_is_an_error);
    tcase_add_test(tc, await_outside_a_task_is_an_error);
    tcase_add_test(tc, run_forever_until_stop);
    tcase_add_test(tc, run_until_complete_returns_the_result);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
