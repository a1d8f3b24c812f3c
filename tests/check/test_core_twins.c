/* test_core_twins.c — the whole programs of the older Python twins (tests/check/cpython/
 * fifo_timers.py, timeouts.py, cleanup.py), ported statement by statement: each run's log must
 * equal the order CPython printed (NAME.expected, read at run time: ck_assert_log_twin).  The
 * focused suites (test_core_loop, test_core_combinators, test_core_task) check the same rules
 * piece by piece; these keep the expected orders in one place, CPython's. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "support_core.h"

/* ---- fifo_timers.py ------------------------------------------------------------------------- */

static void cb_log(void *arg) { log_line("%s", (const char *)arg); }

static void cb_a(void *arg)
{
    log_line("%s", (const char *)arg);
    aw_call_soon(aw_current_loop(), cb_log, "D (scheduled by A)");
}

AW_COROUTINE(fifo_main)
{
    aw_loop *loop = aw_current_loop();
    aw_call_soon(loop, cb_a, "A");
    aw_call_soon(loop, cb_log, "B");
    aw_call_soon(loop, cb_log, "C");
    AW_AWAIT(aw_sleep(0.1));
    static const char *const names[] = {"0", "1", "2", "3", "4", "5", "6", "7"};
    for (int i = 0; i < 8; i++) aw_call_later(loop, 1.0, cb_log, (void *)names[i]);
    aw_call_later(loop, 0.5, cb_log, "early (created last)");
    aw_call_at(loop, aw_loop_time(loop) + 0.25, cb_log, "call_at 0.25");
    AW_AWAIT(aw_sleep(2));
    return aw_none();
}

START_TEST(fifo_timers_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(fifo_main)), AW_OK);
    ck_assert_log_twin("fifo_timers");
}
END_TEST

/* ---- timeouts.py ---------------------------------------------------------------------------- */

AW_COROUTINE(work, const char *name; double d;)
{
    AW_AWAIT(aw_sleep(self->d));
    aw_print("%s done", self->name);
    return aw_str(self->name);
}

AW_COROUTINE(slow_cleanup)
{
    aw_status st = aw_await(aw_sleep(10), NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("inner cancelled, cleaning up");
        AW_AWAIT(aw_sleep(0.5));
        aw_print("inner cleanup done");
        return aw_raise_again();
    }
    return st == AW_OK ? aw_none() : aw_reraise();
}

AW_COROUTINE(timeouts_main)
{
    aw_task *t = aw_create_task(AW_CALL(slow_cleanup));
    aw_status st = aw_await(aw_wait_for(t, 1.0), NULL);
    if (aw_except(st, "TimeoutError")) {
        aw_print("wait_for: TimeoutError (inner cancelled=%d)", aw_task_cancelled(t));
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    aw_value v;
    AW_AWAIT_INTO(v, aw_wait_for(AW_CALL(work, "quick", 0.5), 1.0));
    aw_print("in time: %s", v.as.s);
    st = aw_await(aw_wait_for(AW_CALL(work, "zero", 0.5), 0), NULL);
    if (aw_except(st, "TimeoutError")) {
        aw_print("timeout 0: TimeoutError");
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    aw_timeout *cm = aw_timeout_begin(1.0);
    st = aw_timeout_end(cm, aw_await(aw_sleep(5), NULL));
    if (aw_except(st, "TimeoutError")) {
        aw_print("scope 1: TimeoutError expired=%d", aw_timeout_expired(cm));
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    cm = aw_timeout_begin(1.0);
    aw_status body = aw_timeout_reschedule(cm, aw_time() + 3.0);
    if (body == AW_OK) body = aw_await(aw_sleep(5), NULL);
    st = aw_timeout_end(cm, body);
    if (aw_except(st, "TimeoutError")) {
        aw_print("scope 2 (rescheduled to +3): TimeoutError");
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    return aw_none();
}

START_TEST(timeouts_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(timeouts_main)), AW_OK);
    ck_assert_log_twin("timeouts");
}
END_TEST

/* ---- cleanup.py ------------------------------------------------------------------------------ */

AW_COROUTINE(cleaner, double cleanup;)
{
    aw_status st = aw_await(aw_sleep(10), NULL);
    if (!aw_except(st, "CancelledError")) return st == AW_OK ? aw_none() : aw_reraise();
    aw_print("cleanup starts");
    aw_status st2 = aw_await(aw_sleep(self->cleanup), NULL);
    if (aw_except(st2, "CancelledError")) {
        aw_print("cleanup ends: CancelledError");
        return aw_raise_again();
    }
    if (st2 != AW_OK) return aw_reraise();
    aw_print("cleanup ends: ok");
    return aw_raise_again(); /* the first CancelledError, still being handled */
}

AW_COROUTINE(waits_on, aw_future *f;)
{
    aw_value v;
    aw_status st = aw_await(self->f, &v);
    if (aw_except(st, "CancelledError")) {
        aw_print("waiter resumed: CancelledError");
        return aw_raise_again();
    }
    return st == AW_OK ? v : aw_reraise();
}

static const char *message(void) { return aw_exc_message(aw_exc_current()); }

AW_COROUTINE(cleanup_main)
{
    aw_task *a = aw_create_task(AW_CALL(cleaner, 0.5));
    aw_task *b = aw_create_task(AW_CALL(cleaner, 5));
    AW_AWAIT(aw_sleep(1));
    aw_task_cancel(a, "first");
    aw_task_cancel(b, "first");
    AW_AWAIT(aw_sleep(1));
    aw_task_cancel(b, "second");
    aw_status st = aw_await(a, NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("a: CancelledError '%s'", message());
        aw_exc_clear();
    }
    st = aw_await(b, NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("b: CancelledError '%s' cancelling=%d", message(), aw_task_cancelling(b));
        aw_exc_clear();
    }
    aw_future *f = aw_future_new(aw_current_loop());
    aw_task *t = aw_create_task(AW_CALL(waits_on, f));
    AW_AWAIT(aw_sleep(0));
    aw_future_set_result(f, aw_int(1));
    aw_task_cancel(t, "late");
    st = aw_await(t, NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("task cancelled=%d (CancelledError '%s')", aw_task_cancelled(t), message());
        aw_exc_clear();
    }
    return aw_none();
}

START_TEST(cleanup_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(cleanup_main)), AW_OK);
    ck_assert_log_twin("cleanup");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_twins");
    TCase *tc = tcase_create("twins");
    tcase_add_test(tc, fifo_timers_as_cpython);
    tcase_add_test(tc, timeouts_as_cpython);
    tcase_add_test(tc, cleanup_as_cpython);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
