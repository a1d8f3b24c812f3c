/* test_core_scope.c — issue 13's rules A-D.  The whole program of tests/check/cpython/scopes.py,
 * ported statement by statement (its log must equal CPython's, scopes.expected), then what only C
 * has.  Rules, each named where it is tested:
 * A. `async with` always exits (the AW_TIMEOUT block: left from a loop inside it by
 *    AW_SCOPE_AWAIT, by `return`, by AW_AWAIT's propagation); a scope of the lower-level API
 *    still open when its coroutine returns is exited by the core, with RuntimeError naming its line;
 * B. a negative delay is a deadline already past (CPython 3.12+), AW_NO_TIMEOUT is None;
 * C. asyncio.run() inside a running loop: RuntimeError, and the coroutine stays the caller's;
 * D. a coroutine is awaited once ("cannot reuse already awaited coroutine", "coroutine is being
 *    awaited already"); awaited before its task's first step, it runs there and the task fails.
 * (D's compile-time half, awaitables checked with _Generic, is tests/scripts/test_core_awaitable_types.sh.) */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "support_core.h"

static const char *msg(void) { return aw_exc_message(aw_exc_current()); }

AW_COROUTINE(work, double d; const char *v;)
{
    AW_AWAIT(aw_sleep(self->d));
    return aw_str(self->v);
}

/* A: a failed await inside a loop inside the block leaves the block, not just the loop. */
AW_COROUTINE(loop_in_scope)
{
    aw_timeout *cm;
    aw_status st;
    AW_TIMEOUT(cm, 1, st) {
        for (int i = 0; i < 3; i++) {
            AW_SCOPE_AWAIT(cm, aw_sleep(0.6));
            aw_print("step %d", i);
        }
    }
    if (aw_except(st, "TimeoutError")) {
        aw_print("TimeoutError expired=%s", aw_timeout_expired(cm) ? "True" : "False");
        aw_exc_clear();
    }
    AW_TRY(st == AW_TIMEOUT ? AW_OK : st);
    AW_AWAIT(aw_sleep(2));
    aw_print("after: nothing left armed");
    return aw_none();
}

/* A: AW_AWAIT inside the block propagates out of the coroutine; the core exits the scope on the
 * way, which turns its cancellation into TimeoutError. */
AW_COROUTINE(uncaught_inside)
{
    aw_timeout *cm;
    aw_status st;
    AW_TIMEOUT(cm, 1, st) {
        AW_AWAIT(aw_sleep(5));
    }
    AW_TRY(st);
    return aw_none();
}

/* A: `return` inside the block exits the scope (with no exception: the value is kept). */
AW_COROUTINE(return_inside)
{
    aw_timeout *cm;
    aw_status st;
    AW_TIMEOUT(cm, 1, st) {
        aw_value v;
        AW_AWAIT_INTO(v, AW_CALL(work, 0.5, "returned"));
        return v;
    }
    AW_TRY(st);
    return aw_none();
}

/* B: negative delays. */
AW_COROUTINE(negative)
{
    aw_timeout *cm;
    aw_status st;
    AW_TIMEOUT(cm, -1, st) {
        AW_SCOPE_AWAIT(cm, aw_sleep(1));
    }
    if (aw_except(st, "TimeoutError")) {
        aw_print("timeout(-1): TimeoutError expired=%s", aw_timeout_expired(cm) ? "True" : "False");
        aw_exc_clear();
    }
    AW_TIMEOUT(cm, AW_NO_TIMEOUT, st) {
        AW_SCOPE_AWAIT(cm, aw_sleep(0.5));
    }
    AW_TRY(st);
    aw_print("timeout(None): never");
    st = aw_await(aw_wait_for(AW_CALL(work, 1, "x"), -1), NULL);
    if (aw_except(st, "TimeoutError")) {
        aw_print("wait_for(x, -1): TimeoutError");
        aw_exc_clear();
    }
    aw_task *t = aw_create_task(AW_CALL(work, 0, "done already"));
    AW_AWAIT(aw_sleep(0));
    AW_AWAIT(aw_sleep(0));
    aw_value v;
    AW_AWAIT_INTO(v, aw_wait_for(t, -1));
    aw_print("wait_for(done task, -1): %s", v.as.s);
    t = aw_create_task(AW_CALL(work, 1, "w"));
    void *fs[] = {t};
    bool done[1];
    AW_TRY(aw_wait(fs, 1, -1, AW_ALL_COMPLETED, done));
    aw_print("wait(timeout=-1): done=%d pending=%d", done[0], !done[0]);
    AW_AWAIT(t);
    return aw_none();
}

/* D: reuse. */
AW_COROUTINE(reuse)
{
    aw_coro *c = AW_CALL(work, 0.1, "c");
    AW_AWAIT(c);
    if (aw_await(c, NULL) == AW_ERROR) {
        aw_print("again: RuntimeError('%s')", msg());
        aw_exc_clear();
    }
    c = AW_CALL(work, 1, "running");
    aw_task *t = aw_create_task(c);
    AW_AWAIT(aw_sleep(0));
    if (aw_await(c, NULL) == AW_ERROR) {
        aw_print("while its task runs it: RuntimeError('%s')", msg());
        aw_exc_clear();
    }
    aw_value v;
    AW_AWAIT_INTO(v, t);
    aw_print("its task: %s", v.as.s);
    return aw_none();
}

/* D, where awaitlab differs from CPython on purpose: a coroutine awaited before its task's first
 * step runs in the awaiter, and the task fails at its first step.  CPython's task would send()
 * into the suspended coroutine, which delegates to the future it waits on, so the task waits on
 * that future too and fails with "cannot reuse already awaited coroutine" once the coroutine has
 * finished (and with a bare yield it would resume the coroutine in the wrong task).  Here one
 * coroutine is driven by one awaiter at a time: the task fails with "coroutine is being awaited
 * already" and the awaiter is undisturbed. */
AW_COROUTINE(stolen_main)
{
    aw_coro *c = AW_CALL(work, 0.5, "stolen");
    aw_task *t = aw_create_task(c);
    aw_value v;
    AW_AWAIT_INTO(v, c);
    aw_print("before its task starts: %s", v.as.s);
    if (aw_await(t, NULL) == AW_ERROR) {
        aw_print("the task: RuntimeError('%s')", msg());
        aw_exc_clear();
    }
    c = AW_CALL(work, 0.5, "closed");
    t = aw_create_task(c);
    aw_coro_close(c); /* a task's coroutine closed before it starts: the task finds it stale */
    if (aw_await(t, NULL) == AW_ERROR) {
        aw_print("closed first: RuntimeError('%s')", msg());
        aw_exc_clear();
    }
    return aw_none();
}

START_TEST(awaited_before_its_task_starts)
{
    ck_assert_int_eq(run_sim(AW_CALL(stolen_main)), AW_OK);
    ck_assert_log("t=0.500 before its task starts: stolen\n"
                  "t=0.500 the task: RuntimeError('coroutine is being awaited already')\n"
                  "t=0.500 closed first: RuntimeError('cannot reuse already awaited coroutine')\n");
}
END_TEST

AW_COROUTINE(scopes_main)
{
    AW_AWAIT(AW_CALL(loop_in_scope));
    aw_status st = aw_await(AW_CALL(uncaught_inside), NULL);
    if (aw_except(st, "TimeoutError")) {
        aw_print("uncaught inside: TimeoutError");
        aw_exc_clear();
    }
    AW_AWAIT(aw_sleep(2));
    aw_print("after: nothing left armed");
    aw_value v;
    AW_AWAIT_INTO(v, AW_CALL(return_inside));
    aw_print("%s", v.as.s);
    AW_AWAIT(aw_sleep(2));
    aw_print("after: nothing left armed");
    AW_AWAIT(AW_CALL(negative));
    AW_AWAIT(AW_CALL(reuse));
    return aw_none();
}

START_TEST(scopes_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(scopes_main)), AW_OK);
    ck_assert_log_twin("scopes");
}
END_TEST

/* ---- A, the lower level: a scope its coroutine forgot is exited and diagnosed ------------------ */
static int begin_line;

AW_COROUTINE(forgets_end)
{
    begin_line = __LINE__ + 1;
    aw_timeout *t = aw_timeout_begin(1);
    (void)t;
    AW_AWAIT(aw_sleep(0.5));
    return aw_int(1); /* no aw_timeout_end */
}

AW_COROUTINE(leak_main)
{
    aw_status st = aw_await(AW_CALL(forgets_end), NULL);
    ck_assert_int_eq(st, AW_ERROR);
    char where[64];
    snprintf(where, sizeof where, "test_core_scope.c:%d", begin_line);
    aw_print("%s", strstr(msg(), where) ? "RuntimeError names the line" : msg());
    ck_assert_ptr_nonnull(strstr(msg(), "asyncio.timeout scope entered at"));
    aw_exc_clear();
    AW_AWAIT(aw_sleep(2)); /* the forgotten deadline (t=1) must not cancel this */
    aw_print("after: nothing left armed");
    return aw_none();
}

START_TEST(forgotten_end_is_exited_and_diagnosed)
{
    ck_assert_int_eq(run_sim(AW_CALL(leak_main)), AW_OK);
    ck_assert_log("t=0.500 RuntimeError names the line\nt=2.500 after: nothing left armed\n");
}
END_TEST

/* ---- C: asyncio.run() inside a running loop leaves the coroutine to its caller --------------- */
AW_COROUTINE(nested_run_main)
{
    aw_coro *c = AW_CALL(work, 1, "never");
    ck_assert_int_eq(aw_run(c, NULL, NULL), AW_ERROR);
    aw_print("RuntimeError('%s')", msg());
    aw_exc_clear();
    aw_coro_close(c); /* the caller's close: valid, once (a second close does nothing) */
    aw_coro_close(c);
    return aw_none();
}

START_TEST(run_inside_a_running_loop)
{
    ck_assert_int_eq(run_sim(AW_CALL(nested_run_main)), AW_OK);
    ck_assert_log("t=0.000 RuntimeError('asyncio.run() cannot be called from a running event loop')\n");
    ck_assert_int_eq(g_log.n_warnings, 0); /* closed: not "never awaited" */
}
END_TEST

AW_COROUTINE(never_closed_main)
{
    aw_coro *c = AW_CALL(work, 1, "never");
    ck_assert_int_eq(aw_run(c, NULL, NULL), AW_ERROR);
    aw_exc_clear();
    return aw_none(); /* c is left: reported as never awaited, as CPython reports it */
}

START_TEST(run_refused_coroutine_never_closed_is_reported)
{
    ck_assert_int_eq(run_sim(AW_CALL(never_closed_main)), AW_OK);
    ck_assert_int_eq(g_log.n_warnings, 1);
    ck_assert_ptr_nonnull(strstr(g_log.warnings, "coroutine 'work' was never awaited"));
}
END_TEST

START_TEST(run_stale_coroutine)
{
    aw_coro *c = AW_CALL(work, 1, "x");
    aw_coro_close(c);
    /* CPython: the task's first send() raises; here too, and no memory is read after free */
    ck_assert_int_eq(run_sim(c), AW_ERROR);
    ck_assert_str_eq(aw_exc_message(aw_exc_current()), "cannot reuse already awaited coroutine");
    aw_exc_clear();
}
END_TEST

/* ---- D: millions of coroutine objects, memory bounded by those alive at once ---------------- */
AW_COROUTINE(nothing) { return aw_none(); }

AW_COROUTINE(many_main)
{
    for (int i = 0; i < 1000000; i++) AW_AWAIT(AW_CALL(nothing));
    return aw_none();
}

START_TEST(a_million_coroutines)
{
    ck_assert_int_eq(run_sim(AW_CALL(many_main)), AW_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_scope");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, scopes_as_cpython);
    tcase_add_test(tc, awaited_before_its_task_starts);
    tcase_add_test(tc, forgotten_end_is_exited_and_diagnosed);
    tcase_add_test(tc, run_inside_a_running_loop);
    tcase_add_test(tc, run_refused_coroutine_never_closed_is_reported);
    tcase_add_test(tc, run_stale_coroutine);
    tcase_add_test(tc, a_million_coroutines);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
