/* test_core_cancel_rules.c — cancellation rules that once only the live differential fuzz
 * (tests/fuzz, CPython 3.14 under pyodide) caught: shield of a cancelled inner future, gather's
 * cancelled children with return_exceptions, and a timeout scope under an outside cancel.
 * Each test's expected order is its Python twin's output, tests/check/cpython/NAME.expected,
 * read at run time (ck_assert_log_twin); test_core_cpython_twins.sh checks those files against
 * CPython 3.11 and 3.14. */
#include <stdio.h>

#include "support_core.h"

static const char *exc_msg(void)
{
    const char *m = aw_exc_current() ? aw_exc_message(aw_exc_current()) : NULL;
    return m ? m : "";
}

/* loop.call_later(d, x.cancel, msg): x is a task or a plain future. */
typedef struct cancel_req {
    aw_task *task;
    aw_future *fut;
    const char *msg;
} cancel_req;

static void do_cancel(void *arg)
{
    cancel_req *r = arg;
    if (r->task)
        aw_task_cancel(r->task, r->msg);
    else
        aw_future_cancel(r->fut, r->msg);
}

static void cancel_later(double d, cancel_req *r) { aw_call_later(aw_current_loop(), d, do_cancel, r); }

/* ---- Rule (tasks.py shield, _inner_done_callback): a cancelled inner future cancels the outer
 *      one with outer.cancel(), no message; the awaiting task is not itself being cancelled ---- */
AW_COROUTINE(child, double d;)
{
    if (aw_await(aw_sleep(self->d), NULL) == AW_CANCELLED) {
        aw_print("child: CancelledError('%s')", exc_msg());
        return aw_reraise();
    }
    return aw_str("child");
}

AW_COROUTINE(shield_main)
{
    aw_task *me = aw_current_task();
    aw_future *inner = aw_future_new(aw_current_loop());
    aw_future *outer = aw_shield(inner);
    static cancel_req r1, r2;
    r1 = (cancel_req){NULL, inner, "inner-msg"};
    cancel_later(1, &r1);
    if (aw_await(outer, NULL) == AW_CANCELLED)
        aw_print("shield(future): CancelledError('%s') outer.cancelled=%d cancelling=%d", exc_msg(),
                 aw_future_cancelled(outer), aw_task_cancelling(me));
    else
        aw_print("shield(future): no exception");
    aw_exc_clear();

    aw_task *task = aw_create_task(AW_CALL(child, 5));
    outer = aw_shield(task);
    r2 = (cancel_req){task, NULL, "task-msg"};
    cancel_later(1, &r2);
    if (aw_await(outer, NULL) == AW_CANCELLED)
        aw_print("shield(task): CancelledError('%s') outer.cancelled=%d cancelling=%d", exc_msg(),
                 aw_future_cancelled(outer), aw_task_cancelling(me));
    else
        aw_print("shield(task): no exception");
    aw_exc_clear();
    AW_AWAIT(aw_sleep(1));
    aw_print("main still runs");
    return aw_none();
}

START_TEST(shield_of_cancelled_inner_cancels_outer)
{
    ck_assert_int_eq(run_sim(AW_CALL(shield_main)), AW_OK);
    ck_assert_log_twin("shield_cancelled_inner");
}
END_TEST

/* ---- Rule (tasks.py gather, _done_callback, return_exceptions=True): a cancelled child becomes
 *      CancelledError(fut._cancel_message or ''): a future keeps its message, a task whose
 *      coroutine raised CancelledError has none (Task.__step: super().cancel()), a task
 *      cancelled while running that then returns keeps it (super().cancel(msg=...)) ---------- */
AW_COROUTINE(sleeper, double d;)
{
    AW_AWAIT(aw_sleep(self->d));
    return aw_str("slept");
}

AW_COROUTINE(cancel_self_then_return)
{
    aw_task_cancel(aw_current_task(), "self-msg");
    return aw_str("returned");
}

AW_COROUTINE(gather_main)
{
    aw_future *fut = aw_future_new(aw_current_loop());
    aw_task *t_wait = aw_create_task(AW_CALL(sleeper, 5));
    aw_task *t_self = aw_create_task(AW_CALL(cancel_self_then_return));
    aw_task *t_ok = aw_create_task(AW_CALL(sleeper, 1));
    static cancel_req r1, r2;
    r1 = (cancel_req){NULL, fut, "fut-msg"};
    r2 = (cancel_req){t_wait, NULL, "task-msg"};
    cancel_later(1, &r1);
    cancel_later(1, &r2);
    void *children[] = {fut, t_wait, t_self, t_ok};
    aw_value v;
    AW_AWAIT_INTO(v, aw_gather(true, 4, children));
    static const char *names[] = {"future", "task raised", "task returned", "task ok"};
    ck_assert_int_eq(v.kind, AW_LIST);
    ck_assert_uint_eq(v.as.list->len, 4);
    for (size_t i = 0; i < 4; i++) {
        aw_value r = v.as.list->items[i];
        if (r.kind == AW_EXC) {
            const char *m = aw_exc_message(r.as.exc);
            aw_print("%s: %s('%s')", names[i], aw_exc_type(r.as.exc), m ? m : "");
        } else {
            char repr[64];
            aw_value_repr(r, repr, sizeof repr);
            aw_print("%s: %s", names[i], repr);
        }
    }
    return aw_none();
}

START_TEST(gather_keeps_cancel_messages)
{
    ck_assert_int_eq(run_sim(AW_CALL(gather_main)), AW_OK);
    ck_assert_log_twin("gather_cancelled_children");
}
END_TEST

/* ---- Rule (timeouts.py Timeout.__aexit__): an expired scope makes TimeoutError only if
 *      task.uncancel() <= the cancelling() seen on entry; an outside cancel (before the deadline,
 *      in the deadline's iteration in either order, or during the body's cleanup) wins and
 *      CancelledError propagates --------------------------------------------------------------- */
AW_COROUTINE(scope, const char *n; bool cleanup; cancel_req *at_deadline;)
{
    aw_task *me = aw_current_task();
    aw_timeout *cm = aw_timeout_begin(1.0);
    if (self->at_deadline) cancel_later(1.0, self->at_deadline); /* younger than the scope's timer */
    aw_status st = aw_await(aw_sleep(5), NULL);
    if (st == AW_CANCELLED) {
        aw_print("%s: body got CancelledError('%s')", self->n, exc_msg());
        if (self->cleanup) { /* await in the except block; then `raise` (or the await's error) */
            aw_exc *caught = aw_exc_ref(aw_exc_current());
            aw_exc_clear();
            st = aw_await(aw_sleep(0.5), NULL);
            if (st == AW_OK) {
                aw_raise_exc(caught);
                st = AW_CANCELLED;
            }
            aw_exc_unref(caught);
        }
    }
    st = aw_timeout_end(cm, st);
    if (st == AW_CANCELLED) {
        aw_print("%s: CancelledError('%s') expired=%d cancelling=%d", self->n, exc_msg(),
                 aw_timeout_expired(cm), aw_task_cancelling(me));
        aw_task_uncancel(me);
    } else if (st == AW_TIMEOUT) {
        aw_print("%s: TimeoutError expired=%d cancelling=%d", self->n, aw_timeout_expired(cm),
                 aw_task_cancelling(me));
    } else {
        aw_print("%s: status %d", self->n, st);
    }
    aw_exc_clear();
    return aw_none();
}

AW_COROUTINE(timeout_main)
{
    aw_task *me = aw_current_task();
    static cancel_req before, same_before, same_after, cleanup;
    before = (cancel_req){me, NULL, "before"};
    same_before = (cancel_req){me, NULL, "same-before"};
    same_after = (cancel_req){me, NULL, "same-after"};
    cleanup = (cancel_req){me, NULL, "cleanup"};
    AW_AWAIT(AW_CALL(scope, "deadline alone", false, NULL));
    cancel_later(0.5, &before);
    AW_AWAIT(AW_CALL(scope, "cancel before the deadline", false, NULL));
    cancel_later(1.0, &same_before); /* its timer is older than the scope's */
    AW_AWAIT(AW_CALL(scope, "cancel, then deadline", false, NULL));
    AW_AWAIT(AW_CALL(scope, "deadline, then cancel", false, &same_after));
    cancel_later(1.2, &cleanup);
    AW_AWAIT(AW_CALL(scope, "cancel during cleanup", true, NULL));
    return aw_none();
}

START_TEST(timeout_scope_under_outside_cancel)
{
    ck_assert_int_eq(run_sim(AW_CALL(timeout_main)), AW_OK);
    ck_assert_log_twin("timeout_outside_cancel");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_cancel_rules");
    TCase *tc = tcase_create("cancel_rules");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, shield_of_cancelled_inner_cancels_outer);
    tcase_add_test(tc, gather_keeps_cancel_messages);
    tcase_add_test(tc, timeout_scope_under_outside_cancel);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
