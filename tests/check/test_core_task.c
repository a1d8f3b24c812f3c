/* test_core_task.c — futures and tasks: done-callbacks, create_task, cancellation in all its
 * forms (CPython's futures.Future and tasks.Task).  Each test names the rule it checks; the
 * expected orders were checked by running the same programs under CPython (tests/oracle). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support_core.h"

static const char *exc_type(void) { return aw_exc_current() ? aw_exc_type(aw_exc_current()) : "none"; }

/* ---- Rule: done-callbacks are scheduled with call_soon, in registration order --------------- */
static void on_done(aw_future *f, void *arg)
{
    (void)f;
    log_line("callback %s iter=%llu", (const char *)arg, (unsigned long long)aw_loop_iteration(aw_current_loop()));
}

/* One on_done per name, in order. */
static aw_future *future_with_callbacks(size_t n, const char *const *names)
{
    aw_future *f = aw_future_new(aw_current_loop());
    for (size_t i = 0; i < n; i++) aw_future_add_done_callback(f, on_done, (void *)names[i]);
    return f;
}

AW_COROUTINE(callbacks_main)
{
    aw_future *f = future_with_callbacks(4, (const char *const[]){"1", "2", "3", "removed"});
    ck_assert_int_eq(aw_future_remove_done_callback(f, on_done, "removed"), 1);
    ck_assert_int_eq(aw_future_set_result(f, aw_int(5)), AW_OK);
    aw_print("set_result returned; nothing ran yet (iter=%llu)", (unsigned long long)aw_loop_iteration(aw_current_loop()));
    aw_future_add_done_callback(f, on_done, "late (already done)");
    AW_AWAIT(aw_sleep(0));
    return aw_none();
}

START_TEST(done_callbacks_run_soon_in_registration_order)
{
    ck_assert_int_eq(run_sim(AW_CALL(callbacks_main)), AW_OK);
    ck_assert_log("t=0.000 set_result returned; nothing ran yet (iter=1)\n"
                  "t=0.000 callback 1 iter=2\n"
                  "t=0.000 callback 2 iter=2\n"
                  "t=0.000 callback 3 iter=2\n"
                  "t=0.000 callback late (already done) iter=2\n");
}
END_TEST

/* remove_done_callback removes every registration of (fn, arg) and keeps the others' order,
 * the first one included (a future keeps its first callback apart from the rest). */
AW_COROUTINE(remove_callbacks_main)
{
    aw_future *f = future_with_callbacks(4, (const char *const[]){"a", "b", "a", "c"});
    ck_assert_int_eq(aw_future_remove_done_callback(f, on_done, "a"), 2);
    ck_assert_int_eq(aw_future_remove_done_callback(f, on_done, "a"), 0);
    aw_future_add_done_callback(f, on_done, "d");
    aw_future *g = future_with_callbacks(1, (const char *const[]){"only"});
    ck_assert_int_eq(aw_future_remove_done_callback(g, on_done, "only"), 1);
    aw_future_add_done_callback(g, on_done, "after emptied");
    aw_future_set_result(f, aw_int(1));
    aw_future_set_result(g, aw_int(2));
    AW_AWAIT(aw_sleep(0));
    aw_future_detach(f);
    aw_future_detach(g);
    return aw_none();
}

START_TEST(remove_done_callback_keeps_the_others_in_order)
{
    ck_assert_int_eq(run_sim(AW_CALL(remove_callbacks_main)), AW_OK);
    ck_assert_log("t=0.000 callback b iter=2\nt=0.000 callback c iter=2\nt=0.000 callback d iter=2\n"
                  "t=0.000 callback after emptied iter=2\n");
}
END_TEST

/* ---- Misuse: InvalidStateError for a second result or a pending result ---------------------- */
AW_COROUTINE(invalid_state_main)
{
    aw_future *f = aw_future_new(aw_current_loop());
    aw_value v;
    ck_assert_int_eq(aw_future_result(f, &v), AW_ERROR);
    aw_print("pending result: %s: %s", exc_type(), aw_exc_message(aw_exc_current()));
    ck_assert_int_eq(aw_future_set_result(f, aw_int(1)), AW_OK);
    ck_assert_int_eq(aw_future_set_result(f, aw_int(2)), AW_ERROR);
    aw_print("second set_result: %s", exc_type());
    ck_assert_int_eq(aw_future_set_exception(f, aw_exc_new("ValueError", "x")), AW_ERROR);
    aw_print("set_exception after result: %s", exc_type());
    ck_assert(!aw_future_cancel(f, NULL));
    ck_assert_int_eq(aw_future_result(f, &v), AW_OK);
    ck_assert_int_eq(v.as.i, 1);
    aw_exc_clear();
    return aw_none();
}

START_TEST(double_set_result_is_invalid_state)
{
    ck_assert_int_eq(run_sim(AW_CALL(invalid_state_main)), AW_OK);
    ck_assert_log("t=0.000 pending result: InvalidStateError: Result is not set.\n"
                  "t=0.000 second set_result: InvalidStateError\n"
                  "t=0.000 set_exception after result: InvalidStateError\n");
}
END_TEST

/* ---- Rule: create_task schedules the first step; it does not run the coroutine now ---------- */
AW_COROUTINE(child_prints) { aw_print("child runs"); return aw_int(42); }

AW_COROUTINE(create_task_main)
{
    aw_task *t = aw_create_task(AW_CALL(child_prints));
    aw_print("created %s", aw_task_name(t));
    aw_value v;
    AW_AWAIT_INTO(v, t);
    aw_print("awaited: %lld", v.as.i);
    return aw_none();
}

START_TEST(create_task_does_not_run_the_coroutine_now)
{
    ck_assert_int_eq(run_sim(AW_CALL(create_task_main)), AW_OK);
    ck_assert_ptr_nonnull(strstr(g_log.out, "created Task-"));
    const char *created = strstr(g_log.out, "created"), *runs = strstr(g_log.out, "child runs");
    ck_assert(created && runs && created < runs);
    ck_assert_ptr_nonnull(strstr(g_log.out, "awaited: 42"));
}
END_TEST

/* ---- Rule: awaiting a coroutine runs it inside the current task, not as a new task ---------- */
AW_COROUTINE(nested) { return aw_int(42); }

AW_COROUTINE(nested_main)
{
    aw_task *me = aw_current_task();
    AW_CALL(nested); /* created, never awaited: reported at close */
    aw_value v;
    AW_AWAIT_INTO(v, AW_CALL(nested));
    aw_print("%lld (same task: %d)", v.as.i, aw_current_task() == me);
    return aw_none();
}

START_TEST(coroutine_runs_inside_the_awaiting_task_and_never_awaited_is_reported)
{
    ck_assert_int_eq(run_sim(AW_CALL(nested_main)), AW_OK);
    ck_assert_log("t=0.000 42 (same task: 1)\n");
    ck_assert_int_eq(g_log.n_warnings, 1);
    ck_assert_ptr_nonnull(strstr(g_log.warnings, "RuntimeWarning: coroutine 'nested' was never awaited"));
}
END_TEST

/* ---- Rule: cancel of a task waiting on a future cancels that future ------------------------ */
AW_COROUTINE(sleeper, double d;)
{
    aw_status st = aw_await(aw_sleep(self->d), NULL);
    aw_print("sleeper woke: %s", st == AW_OK ? "ok" : exc_type());
    if (st != AW_OK) return aw_reraise();
    return aw_none();
}

AW_COROUTINE(cancel_waiting_main)
{
    aw_task *t = aw_create_task(AW_CALL(sleeper, 10));
    AW_AWAIT(aw_sleep(1));
    ck_assert(aw_task_cancel(t, "stop now"));
    ck_assert(!aw_task_done(t));
    aw_status st = aw_await(t, NULL);
    aw_print("main: %s('%s') cancelled=%d cancelling=%d", exc_type(), aw_exc_message(aw_exc_current()),
             aw_task_cancelled(t), aw_task_cancelling(t));
    ck_assert_int_eq(st, AW_CANCELLED);
    aw_exc_clear();
    ck_assert(!aw_task_cancel(t, NULL)); /* done: refused */
    return aw_none();
}

START_TEST(cancel_task_waiting_on_a_future)
{
    ck_assert_int_eq(run_sim(AW_CALL(cancel_waiting_main)), AW_OK);
    ck_assert_log("t=1.000 sleeper woke: CancelledError\n"
                  "t=1.000 main: CancelledError('stop now') cancelled=1 cancelling=1\n");
}
END_TEST

/* ---- Rule: cancel before the first step: the coroutine never runs --------------------------- */
AW_COROUTINE(cancel_before_start_main)
{
    aw_task *t = aw_create_task(AW_CALL(child_prints));
    aw_task_cancel(t, NULL);
    aw_status st = aw_await(t, NULL);
    aw_print("status=%d cancelled=%d", st, aw_task_cancelled(t));
    aw_exc_clear();
    return aw_none();
}

START_TEST(cancel_before_first_step_never_runs_the_body)
{
    ck_assert_int_eq(run_sim(AW_CALL(cancel_before_start_main)), AW_OK);
    ck_assert_log("t=0.000 status=1 cancelled=1\n");
}
END_TEST

/* ---- Rule: cancel of a task about to step (its wake-up already scheduled): must_cancel ------ */
AW_COROUTINE(waits_on, aw_future *f;)
{
    aw_value v;
    aw_status st = aw_await(self->f, &v);
    aw_print("waiter resumed: %s", st == AW_OK ? "result" : exc_type());
    if (st != AW_OK) return aw_reraise();
    return v;
}

AW_COROUTINE(cancel_about_to_step_main)
{
    aw_future *f = aw_future_new(aw_current_loop());
    aw_task *t = aw_create_task(AW_CALL(waits_on, f));
    AW_AWAIT(aw_sleep(0));        /* t now waits on f */
    aw_future_set_result(f, aw_int(1)); /* t's wake-up is scheduled ... */
    ck_assert(aw_task_cancel(t, "late")); /* ... so f cannot be cancelled: must_cancel */
    aw_status st = aw_await(t, NULL);
    aw_print("task cancelled=%d (%s '%s')", aw_task_cancelled(t), exc_type(), aw_exc_message(aw_exc_current()));
    ck_assert_int_eq(st, AW_CANCELLED);
    aw_exc_clear();
    return aw_none();
}

START_TEST(cancel_task_about_to_step_throws_at_resume)
{
    ck_assert_int_eq(run_sim(AW_CALL(cancel_about_to_step_main)), AW_OK);
    ck_assert_log("t=0.000 waiter resumed: CancelledError\n"
                  "t=0.000 task cancelled=1 (CancelledError 'late')\n");
}
END_TEST

/* ---- Rule: a swallowed cancellation completes the task normally ---------------------------- */
AW_COROUTINE(swallower)
{
    if (aw_await(aw_sleep(10), NULL) == AW_CANCELLED) {
        aw_print("caught CancelledError, swallowing it");
        aw_exc_clear();
        return aw_int(7);
    }
    return aw_int(0);
}

AW_COROUTINE(swallow_main)
{
    aw_task *t = aw_create_task(AW_CALL(swallower));
    AW_AWAIT(aw_sleep(1));
    aw_task_cancel(t, NULL);
    aw_value v;
    AW_AWAIT_INTO(v, t);
    aw_print("result=%lld cancelled=%d cancelling=%d", v.as.i, aw_task_cancelled(t), aw_task_cancelling(t));
    return aw_none();
}

START_TEST(swallowed_cancellation_completes_normally)
{
    ck_assert_int_eq(run_sim(AW_CALL(swallow_main)), AW_OK);
    ck_assert_log("t=1.000 caught CancelledError, swallowing it\n"
                  "t=1.000 result=7 cancelled=0 cancelling=1\n");
}
END_TEST

/* ---- Rule: cleanup may await; a second cancel during cleanup interrupts it ------------------ */
AW_COROUTINE(cleaner, double cleanup;)
{
    aw_status st = aw_await(aw_sleep(10), NULL);
    if (st != AW_CANCELLED) return aw_none();
    aw_print("cleanup starts");
    aw_status st2 = aw_await(aw_sleep(self->cleanup), NULL);
    aw_print("cleanup ends: %s", st2 == AW_OK ? "ok" : exc_type());
    if (st2 != AW_OK) return aw_reraise();
    return aw_reraise(); /* the first CancelledError is still in flight after a successful await */
}

AW_COROUTINE(cleanup_main)
{
    aw_task *a = aw_create_task(AW_CALL(cleaner, 0.5));
    aw_task *b = aw_create_task(AW_CALL(cleaner, 5));
    AW_AWAIT(aw_sleep(1));
    aw_task_cancel(a, "first");
    aw_task_cancel(b, "first");
    AW_AWAIT(aw_sleep(1));
    aw_task_cancel(b, "second");
    aw_status sa = aw_await(a, NULL);
    aw_print("a: %s '%s'", exc_type(), aw_exc_message(aw_exc_current()));
    aw_status sb = aw_await(b, NULL);
    aw_print("b: %s '%s' cancelling=%d", exc_type(), aw_exc_message(aw_exc_current()), aw_task_cancelling(b));
    ck_assert_int_eq(sa, AW_CANCELLED);
    ck_assert_int_eq(sb, AW_CANCELLED);
    aw_exc_clear();
    return aw_none();
}

START_TEST(cancel_during_cleanup)
{
    ck_assert_int_eq(run_sim(AW_CALL(cleanup_main)), AW_OK);
    ck_assert_log("t=1.000 cleanup starts\n"
                  "t=1.000 cleanup starts\n"
                  "t=1.500 cleanup ends: ok\n"
                  "t=2.000 a: CancelledError 'first'\n" /* a is done: awaiting it does not yield */
                  "t=2.000 cleanup ends: CancelledError\n"
                  "t=2.000 b: CancelledError 'second' cancelling=2\n");
}
END_TEST

/* ---- Rule: cancelling() counts requests; uncancel() takes one back (3.13+: at 0 it also
 *      clears a pending must_cancel) --------------------------------------------------------- */
AW_COROUTINE(counts_main)
{
    aw_task *t = aw_create_task(AW_CALL(child_prints));
    aw_task_cancel(t, NULL);
    aw_task_cancel(t, NULL);
    aw_print("cancelling=%d", aw_task_cancelling(t));
    aw_print("uncancel -> %d", aw_task_uncancel(t));
    aw_print("uncancel -> %d", aw_task_uncancel(t));
    aw_print("uncancel -> %d", aw_task_uncancel(t));
    aw_value v;
    AW_AWAIT_INTO(v, t); /* no cancel left: the task runs normally */
    aw_print("result %lld", v.as.i);
    return aw_none();
}

START_TEST(uncancel_and_cancelling_counts)
{
    ck_assert_int_eq(run_sim(AW_CALL(counts_main)), AW_OK);
    ck_assert_log("t=0.000 cancelling=2\nt=0.000 uncancel -> 1\nt=0.000 uncancel -> 0\n"
                  "t=0.000 uncancel -> 0\nt=0.000 child runs\nt=0.000 result 42\n");
}
END_TEST

/* ---- Rule: cancellation is cooperative: busy code is not interrupted ----------------------- */
AW_COROUTINE(cpu_bound)
{
    aw_print("crunching");
    aw_busy(3);
    aw_print("crunched; now awaiting");
    AW_AWAIT(aw_sleep(0));
    aw_print("never printed");
    return aw_none();
}

AW_COROUTINE(cooperative_main)
{
    aw_task *t = aw_create_task(AW_CALL(cpu_bound));
    AW_AWAIT(aw_sleep(0)); /* t starts and holds the loop for 3 s */
    aw_task_cancel(t, NULL);
    aw_status st = aw_await(t, NULL);
    aw_print("task: %s", st == AW_CANCELLED ? "cancelled" : "?");
    aw_exc_clear();
    return aw_none();
}

START_TEST(cancellation_waits_for_the_next_await)
{
    ck_assert_int_eq(run_sim(AW_CALL(cooperative_main)), AW_OK);
    ck_assert_log("t=0.000 crunching\nt=3.000 crunched; now awaiting\nt=3.000 task: cancelled\n");
}
END_TEST

/* ---- Rule: an exception nobody retrieved is reported when the loop closes ------------------- */
AW_COROUTINE(raises) { return aw_raise("ValueError", "boom"); }

AW_COROUTINE(unretrieved_main)
{
    aw_create_task(AW_CALL(raises));
    AW_AWAIT(aw_sleep(1));
    return aw_none();
}

START_TEST(exception_never_retrieved_is_reported)
{
    ck_assert_int_eq(run_sim(AW_CALL(unretrieved_main)), AW_OK);
    ck_assert_int_eq(g_log.n_warnings, 1);
    ck_assert_ptr_nonnull(strstr(g_log.warnings, "Task exception was never retrieved\n"
                                                 "future: <Task finished name='Task-"));
    ck_assert_ptr_nonnull(strstr(g_log.warnings, "coro=<raises()> exception=ValueError('boom')>"));
}
END_TEST

/* ---- Rule: exceptions propagate through awaits; the caller sees type and message ----------- */
AW_COROUTINE(middle)
{
    AW_AWAIT(AW_CALL(raises));
    aw_print("not reached");
    return aw_none();
}

AW_COROUTINE(propagate_main)
{
    aw_status st = aw_await(AW_CALL(middle), NULL);
    aw_print("status=%d %s: %s", st, exc_type(), aw_exc_message(aw_exc_current()));
    aw_exc_clear();
    aw_task *t = aw_create_task(AW_CALL(middle));
    st = aw_await(t, NULL);
    aw_print("via task: %s %s", exc_type(), aw_exc_type(aw_task_exception(t)));
    return aw_reraise(); /* main ends with the error */
}

START_TEST(errors_propagate_as_values)
{
    ck_assert_int_eq(run_sim(AW_CALL(propagate_main)), AW_ERROR);
    ck_assert_str_eq(exc_type(), "ValueError");
    aw_exc_clear();
    ck_assert_log("t=0.000 status=3 ValueError: boom\nt=0.000 via task: ValueError ValueError\n");
    ck_assert_int_eq(g_log.n_warnings, 0);
}
END_TEST

/* ---- Misuse: a task awaiting itself --------------------------------------------------------- */
AW_COROUTINE(await_self)
{
    aw_status st = aw_await(aw_current_task(), NULL);
    aw_print("%s: %.27s", exc_type(), aw_exc_message(aw_exc_current()));
    aw_exc_clear();
    return aw_int(st);
}

START_TEST(task_cannot_await_itself)
{
    ck_assert_int_eq(run_sim(AW_CALL(await_self)), AW_OK);
    ck_assert_log("t=0.000 RuntimeError: Task cannot await on itself\n");
}
END_TEST

/* ---- Rule: asyncio.run cancels the tasks left over, and runs their cleanup ----------------- */
AW_COROUTINE(leftover_main)
{
    aw_create_task(AW_CALL(cleaner, 0.25));
    AW_AWAIT(aw_sleep(1));
    aw_print("main returns");
    return aw_none();
}

START_TEST(run_cancels_leftover_tasks)
{
    ck_assert_int_eq(run_sim(AW_CALL(leftover_main)), AW_OK);
    ck_assert_log("t=1.000 main returns\nt=1.000 cleanup starts\nt=1.250 cleanup ends: ok\n");
}
END_TEST

/* ---- Names ---------------------------------------------------------------------------------- */
AW_COROUTINE(named_main)
{
    aw_task *t = aw_create_task_named(AW_CALL(child_prints), "worker-A");
    aw_print("%s", aw_task_name(t));
    aw_task_set_name(t, "renamed");
    AW_AWAIT(t);
    aw_print("%s", aw_task_name(t));
    return aw_none();
}

START_TEST(task_names)
{
    ck_assert_int_eq(run_sim(AW_CALL(named_main)), AW_OK);
    ck_assert_log("t=0.000 worker-A\nt=0.000 child runs\nt=0.000 renamed\n");
}
END_TEST

/* Default names count the unnamed tasks one by one, across 9 -> 10, 99 -> 100...; a named task
 * takes no number (CPython 3.14 under the oracle: Task-1, name='x', then Task-2). */
AW_COROUTINE(nothing_at_all) { return aw_none(); }

AW_COROUTINE(counting_main)
{
    unsigned long number = strtoul(aw_task_name(aw_current_task()) + 5, NULL, 10);
    for (unsigned long i = 1; i <= 1200; i++) {
        bool named = i % 7 == 0;
        aw_task *t = named ? aw_create_task_named(AW_CALL(nothing_at_all), "named")
                           : aw_create_task(AW_CALL(nothing_at_all));
        char want[32];
        if (named) {
            ck_assert_str_eq(aw_task_name(t), "named");
        } else {
            snprintf(want, sizeof want, "Task-%lu", ++number);
            ck_assert_str_eq(aw_task_name(t), want);
        }
        AW_AWAIT(t);
        aw_task_detach(t);
    }
    return aw_none();
}

/* The twin of tests/check/cpython/task_names.py: named tasks take no number. */
static void log_relative_name(aw_task *t, unsigned long base)
{
    const char *name = aw_task_name(t);
    if (strncmp(name, "Task-", 5) == 0)
        aw_print("main+%lu", strtoul(name + 5, NULL, 10) - base);
    else
        aw_print("%s", name);
}

AW_COROUTINE(names_twin_main)
{
    unsigned long base = strtoul(aw_task_name(aw_current_task()) + 5, NULL, 10);
    aw_task *tasks[] = {aw_create_task_named(AW_CALL(nothing_at_all), "worker"),
                        aw_create_task(AW_CALL(nothing_at_all)),
                        aw_create_task_named(AW_CALL(nothing_at_all), "helper"),
                        aw_create_task(AW_CALL(nothing_at_all)),
                        aw_create_task(AW_CALL(nothing_at_all))};
    size_t n = sizeof tasks / sizeof tasks[0];
    for (size_t i = 0; i < n; i++) log_relative_name(tasks[i], base);
    AW_AWAIT(aw_gather(false, n, (void *const *)tasks));
    return aw_none();
}

START_TEST(default_names_twin)
{
    memset(&g_log, 0, sizeof g_log);
    ck_assert_int_eq(run_sim(AW_CALL(names_twin_main)), AW_OK);
    ck_assert_log_twin("task_names");
}
END_TEST

START_TEST(default_names_count)
{
    ck_assert_int_eq(run_sim(AW_CALL(counting_main)), AW_OK);
}
END_TEST

/* ---- A loop closed with a task still pending says so, as CPython's Task.__del__ does ------- */
static char close_warning[512];
static void keep_warning(aw_loop *loop, const char *category, const char *text, void *ud)
{
    (void)loop;
    (void)ud;
    snprintf(close_warning, sizeof close_warning, "%s|%s", category, text);
}

START_TEST(pending_task_at_close_is_reported)
{
    memset(&g_log, 0, sizeof g_log);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.warning = keep_warning;
    aw_loop *loop = aw_loop_new(&o);
    aw_value v;
    aw_loop_create_task(loop, AW_CALL(sleeper, 5), "left-behind");
    ck_assert_int_eq(aw_loop_run_until_complete(loop, AW_CALL(child_prints), &v), AW_OK);
    aw_loop_free(loop);
    ck_assert_str_eq(close_warning, "task-destroyed-pending|Task was destroyed but it is pending!\n"
                                    "task: <Task pending name='left-behind' coro=<sleeper()>>");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_task");
    TCase *tc = tcase_create("task");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, done_callbacks_run_soon_in_registration_order);
    tcase_add_test(tc, remove_done_callback_keeps_the_others_in_order);
    tcase_add_test(tc, double_set_result_is_invalid_state);
    tcase_add_test(tc, create_task_does_not_run_the_coroutine_now);
    tcase_add_test(tc, coroutine_runs_inside_the_awaiting_task_and_never_awaited_is_reported);
    tcase_add_test(tc, cancel_task_waiting_on_a_future);
    tcase_add_test(tc, cancel_before_first_step_never_runs_the_body);
    tcase_add_test(tc, cancel_task_about_to_step_throws_at_resume);
    tcase_add_test(tc, swallowed_cancellation_completes_normally);
    tcase_add_test(tc, cancel_during_cleanup);
    tcase_add_test(tc, uncancel_and_cancelling_counts);
    tcase_add_test(tc, cancellation_waits_for_the_next_await);
    tcase_add_test(tc, exception_never_retrieved_is_reported);
    tcase_add_test(tc, errors_propagate_as_values);
    tcase_add_test(tc, task_cannot_await_itself);
    tcase_add_test(tc, run_cancels_leftover_tasks);
    tcase_add_test(tc, task_names);
    tcase_add_test(tc, default_names_count);
    tcase_add_test(tc, default_names_twin);
    tcase_add_test(tc, pending_task_at_close_is_reported);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
