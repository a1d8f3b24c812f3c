/* test_core_taskgroup.c — asyncio.TaskGroup, CPython 3.13+ (Lib/asyncio/taskgroups.py of 3.14).
 * The whole program is tests/check/cpython/taskgroup.py, ported statement by statement; the log
 * must equal what CPython 3.14 printed (taskgroup.expected; 3.11 differs where a task fails while
 * the parent is cancelled from outside: taskgroup.expected-3.11).  The rules, one function each:
 * - the exit waits for every task of the group;
 * - the first failing task cancels the others and the body; ExceptionGroup('unhandled errors in a
 *   TaskGroup'); the parent's cancellation is taken back (cancelling() == 0 after);
 * - the body raising cancels the tasks, and its error joins the group;
 * - the parent cancelled from outside: tasks cancelled, CancelledError once they are done;
 * - a task fails while the parent is also cancelled from outside: 3.13+ uncancels and cancels the
 *   parent again, so cancelling() stays 1 and the next await is cancelled;
 * - create_task on a group not entered / shutting down / finished: RuntimeError, CPython's words.
 * Then what C adds: the block's early exits, the lower-level enter/exit, the trace. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "support_core.h"

static const char *msg(void) { return aw_exc_message(aw_exc_current()); }

/* except* ValueError as e: log(f"caught {eg(e)}") */
static bool caught_group(aw_status st, const char *extra)
{
    if (st == AW_OK || strcmp(aw_exc_type(aw_exc_current()), "ExceptionGroup") != 0) return false;
    aw_print("caught ExceptionGroup('%s')%s", msg(), extra);
    aw_exc_clear();
    return true;
}

AW_COROUTINE(child, const char *name; double d; const char *fail; double cleanup;)
{
    aw_status st = aw_await(aw_sleep(self->d), NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("%s: cancelled", self->name);
        if (self->cleanup > 0) {
            AW_AWAIT(aw_sleep(self->cleanup));
            aw_print("%s: cleanup done", self->name);
        }
        return aw_raise_again();
    }
    AW_TRY(st);
    if (self->fail) {
        aw_print("%s: raises %s", self->name, self->fail);
        return aw_raise("ValueError", "%s", self->fail);
    }
    aw_print("%s: done", self->name);
    return aw_str(self->name);
}

AW_COROUTINE(all_succeed)
{
    aw_taskgroup *tg;
    aw_task *t1 = NULL, *t2 = NULL;
    aw_status st;
    AW_TASKGROUP(tg, st) {
        t1 = aw_taskgroup_create_task(tg, AW_CALL(child, "a", 1));
        t2 = aw_taskgroup_create_task(tg, AW_CALL(child, "b", 2));
        aw_print("body: tasks created");
    }
    AW_TRY(st);
    aw_value a, b;
    AW_TRY(aw_task_result(t1, &a));
    AW_TRY(aw_task_result(t2, &b));
    aw_print("all done: %s %s", a.as.s, b.as.s);
    return aw_none();
}

AW_COROUTINE(one_fails)
{
    aw_task *me = aw_current_task();
    aw_taskgroup *tg;
    aw_status st;
    AW_TASKGROUP(tg, st) {
        aw_taskgroup_create_task(tg, AW_CALL(child, "bad", 1, "boom"));
        aw_taskgroup_create_task(tg, AW_CALL(child, "slow", 5, NULL, 0.5));
        aw_status s = aw_await(aw_sleep(10), NULL);
        if (aw_except(s, "CancelledError")) aw_print("body: cancelled by the group");
        AW_SCOPE_TRY(tg, s);
    }
    char extra[32];
    snprintf(extra, sizeof extra, " cancelling=%d", aw_task_cancelling(me));
    if (!caught_group(st, extra)) return st == AW_OK ? aw_none() : aw_reraise();
    return aw_none();
}

AW_COROUTINE(body_raises)
{
    aw_taskgroup *tg;
    aw_status st;
    AW_TASKGROUP(tg, st) {
        aw_taskgroup_create_task(tg, AW_CALL(child, "c", 3));
        AW_SCOPE_AWAIT(tg, aw_sleep(1));
        aw_print("body: raises");
        aw_raise("ValueError", "body");
        AW_SCOPE_TRY(tg, AW_ERROR);
    }
    if (!caught_group(st, "")) return st == AW_OK ? aw_none() : aw_reraise();
    return aw_none();
}

/* async def wrapper(): async with TaskGroup() as tg: tg.create_task(...); await sleep(10)
 * Written with AW_AWAIT inside the block: the cancellation propagates out of the coroutine, and
 * the core exits the group on the way (as Python's async with does with an uncaught exception). */
AW_COROUTINE(cancelled_wrapper)
{
    aw_taskgroup *tg;
    aw_status st;
    AW_TASKGROUP(tg, st) {
        aw_taskgroup_create_task(tg, AW_CALL(child, "d", 5, NULL, 0.5));
        AW_AWAIT(aw_sleep(10));
    }
    AW_TRY(st);
    return aw_none();
}

AW_COROUTINE(outside_cancel)
{
    aw_task *t = aw_create_task(AW_CALL(cancelled_wrapper));
    AW_AWAIT(aw_sleep(1));
    aw_task_cancel(t, NULL);
    aw_status st = aw_await(t, NULL);
    if (!aw_except(st, "CancelledError")) return st == AW_OK ? aw_none() : aw_reraise();
    aw_print("wrapper: cancelled=%s", aw_task_cancelled(t) ? "True" : "False");
    aw_exc_clear();
    return aw_none();
}

AW_COROUTINE(both_wrapper)
{
    aw_task *me = aw_current_task();
    aw_taskgroup *tg;
    aw_status st;
    AW_TASKGROUP(tg, st) {
        aw_taskgroup_create_task(tg, AW_CALL(child, "e", 1, "late", 0));
        aw_taskgroup_create_task(tg, AW_CALL(child, "f", 5, NULL, 1));
        AW_SCOPE_AWAIT(tg, aw_sleep(10));
    }
    char extra[32];
    snprintf(extra, sizeof extra, " cancelling=%d", aw_task_cancelling(me));
    if (!caught_group(st, extra)) return st == AW_OK ? aw_none() : aw_reraise();
    st = aw_await(aw_sleep(0), NULL);
    if (aw_except(st, "CancelledError")) {
        aw_print("after: cancelled at the next await");
        return aw_raise_again();
    }
    AW_TRY(st);
    aw_print("after: not cancelled");
    return aw_none();
}

AW_COROUTINE(both)
{
    aw_task *t = aw_create_task(AW_CALL(both_wrapper));
    AW_AWAIT(aw_sleep(1.5));
    aw_task_cancel(t, NULL);
    aw_status st = aw_await(t, NULL);
    if (!aw_except(st, "CancelledError")) return st == AW_OK ? aw_none() : aw_reraise();
    aw_print("wrapper: cancelled=%s", aw_task_cancelled(t) ? "True" : "False");
    aw_exc_clear();
    return aw_none();
}

AW_COROUTINE(misuse)
{
    aw_taskgroup *tg = aw_taskgroup_new();
    if (!aw_taskgroup_create_task(tg, AW_CALL(child, "x", 1))) {
        aw_print("RuntimeError('%s')", msg());
        aw_exc_clear();
    }
    AW_TRY(aw_taskgroup_enter(tg)); /* async with tg: (the lower level, on a group made before) */
    aw_taskgroup_create_task(tg, AW_CALL(child, "y", 1, "fail"));
    aw_status st = aw_await(aw_sleep(5), NULL);
    if (aw_except(st, "CancelledError")) {
        aw_exc *cancelled = aw_exc_ref(aw_exc_current());
        if (!aw_taskgroup_create_task(tg, AW_CALL(child, "z", 1))) aw_print("RuntimeError('%s')", msg());
        aw_raise_exc(cancelled); /* the except block's `raise` */
        aw_exc_unref(cancelled);
    }
    AW_TRY(aw_taskgroup_exit(tg, st));
    return aw_none();
}

AW_COROUTINE(misuse_main)
{
    aw_status st = aw_await(AW_CALL(misuse), NULL);
    if (!caught_group(st, "")) return st == AW_OK ? aw_none() : aw_reraise();
    aw_taskgroup *tg;
    AW_TASKGROUP(tg, st) {}
    AW_TRY(st);
    if (!aw_taskgroup_create_task(tg, AW_CALL(child, "w", 1))) {
        aw_print("RuntimeError('%s')", msg());
        aw_exc_clear();
    }
    return aw_none();
}

AW_COROUTINE(tg_main)
{
    AW_AWAIT(AW_CALL(all_succeed));
    AW_AWAIT(AW_CALL(one_fails));
    AW_AWAIT(AW_CALL(body_raises));
    AW_AWAIT(AW_CALL(outside_cancel));
    AW_AWAIT(AW_CALL(both));
    AW_AWAIT(AW_CALL(misuse_main));
    return aw_none();
}

START_TEST(taskgroup_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(tg_main)), AW_OK);
    ck_assert_log_twin("taskgroup");
    ck_assert_int_eq(g_log.n_warnings, 0); /* create_task on a closed group closes the coroutine */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_taskgroup");
    TCase *tc = tcase_create("cpython");
    tcase_add_test(tc, taskgroup_as_cpython);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
