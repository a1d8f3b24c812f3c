/* test_core_combinators.c — sleep, gather, wait_for, timeout scopes, shield, wait and
 * as_completed, each against the CPython rule it names. */
#include <stdio.h>
#include <string.h>

#include "support_core.h"

static const char *exc_type(void) { return aw_exc_current() ? aw_exc_type(aw_exc_current()) : "none"; }

AW_COROUTINE(work, const char *name; double d; const char *fail;)
{
    aw_status st = aw_await(aw_sleep(self->d), NULL);
    if (st != AW_OK) {
        aw_print("%s: %s", self->name, exc_type());
        return aw_reraise();
    }
    aw_print("%s done", self->name);
    if (self->fail) return aw_raise(self->fail, "%s failed", self->name);
    return aw_str(self->name);
}

/* ---- Rule: sleep(0) is one bare yield: exactly one loop iteration -------------------------- */
AW_COROUTINE(pinger, const char *name;)
{
    for (int i = 0; i < 3; i++) {
        uint64_t before = aw_loop_iteration(aw_current_loop());
        AW_AWAIT(aw_sleep(0));
        aw_print("%s%d (+%llu iteration)", self->name, i,
                 (unsigned long long)(aw_loop_iteration(aw_current_loop()) - before));
    }
    return aw_none();
}

AW_COROUTINE(sleep0_main)
{
    aw_task *a = aw_create_task(AW_CALL(pinger, "a"));
    aw_task *b = aw_create_task(AW_CALL(pinger, "b"));
    AW_AWAIT(a);
    AW_AWAIT(b);
    return aw_none();
}

START_TEST(sleep0_takes_exactly_one_iteration)
{
    ck_assert_int_eq(run_sim(AW_CALL(sleep0_main)), AW_OK);
    ck_assert_log("t=0.000 a0 (+1 iteration)\nt=0.000 b0 (+1 iteration)\n"
                  "t=0.000 a1 (+1 iteration)\nt=0.000 b1 (+1 iteration)\n"
                  "t=0.000 a2 (+1 iteration)\nt=0.000 b2 (+1 iteration)\n");
}
END_TEST

/* ---- Rule: gather's results come in argument order, whatever the completion order ---------- */
AW_COROUTINE(gather_order_main)
{
    aw_value v;
    AW_AWAIT_INTO(v, AW_GATHER(AW_CALL(work, "slow", 3, NULL), AW_CALL(work, "fast", 1, NULL),
                               AW_CALL(work, "mid", 2, NULL)));
    char repr[256];
    aw_value_repr(v, repr, sizeof repr);
    aw_print("%s", repr);
    return aw_none();
}

START_TEST(gather_results_in_argument_order)
{
    ck_assert_int_eq(run_sim(AW_CALL(gather_order_main)), AW_OK);
    ck_assert_log("t=1.000 fast done\nt=2.000 mid done\nt=3.000 slow done\n"
                  "t=3.000 ['slow', 'fast', 'mid']\n");
}
END_TEST

/* ---- Rule: the first error propagates; the other children keep running --------------------- */
AW_COROUTINE(gather_error_main)
{
    aw_future *g = AW_GATHER(AW_CALL(work, "ok-2s", 2, NULL), AW_CALL(work, "bad-1s", 1, "ValueError"));
    aw_status st = aw_await(g, NULL);
    aw_print("gather raised %s: %s (status %d)", exc_type(), aw_exc_message(aw_exc_current()), st);
    aw_exc_clear();
    AW_AWAIT(aw_sleep(5));
    return aw_none();
}

START_TEST(gather_first_error_propagates_others_keep_running)
{
    ck_assert_int_eq(run_sim(AW_CALL(gather_error_main)), AW_OK);
    ck_assert_log("t=1.000 bad-1s done\n"
                  "t=1.000 gather raised ValueError: bad-1s failed (status 3)\n"
                  "t=2.000 ok-2s done\n");
}
END_TEST

AW_COROUTINE(gather_return_exc_main)
{
    void *aws[] = {AW_CALL(work, "a", 1, "KeyError"), AW_CALL(work, "b", 2, NULL)};
    aw_value v;
    AW_AWAIT_INTO(v, aw_gather(true, 2, aws));
    char repr[256];
    aw_value_repr(v, repr, sizeof repr);
    aw_print("%s", repr);
    return aw_none();
}

START_TEST(gather_return_exceptions)
{
    ck_assert_int_eq(run_sim(AW_CALL(gather_return_exc_main)), AW_OK);
    ck_assert_log("t=1.000 a done\nt=2.000 b done\nt=2.000 [KeyError('a failed'), 'b']\n");
}
END_TEST

/* ---- Rule: cancelling the gather cancels its children (and the awaiter sees CancelledError) - */
AW_COROUTINE(gather_cancel_main)
{
    aw_future *g = AW_GATHER(AW_CALL(work, "x", 5, NULL), AW_CALL(work, "y", 6, NULL));
    AW_AWAIT(aw_sleep(1));
    aw_print("cancel gather: %d", aw_future_cancel(g, "enough"));
    aw_status st = aw_await(g, NULL);
    aw_print("gather: %s '%s'", st == AW_CANCELLED ? "CancelledError" : exc_type(), aw_exc_message(aw_exc_current()));
    aw_exc_clear();
    return aw_none();
}

START_TEST(cancelling_gather_cancels_children)
{
    ck_assert_int_eq(run_sim(AW_CALL(gather_cancel_main)), AW_OK);
    ck_assert_log("t=1.000 cancel gather: 1\nt=1.000 x: CancelledError\nt=1.000 y: CancelledError\n"
                  "t=1.000 gather: CancelledError 'enough'\n");
}
END_TEST

/* ---- Rule (3.12+): wait_for on timeout cancels the inner work and waits for it to finish
 *      before raising TimeoutError ----------------------------------------------------------- */
AW_COROUTINE(slow_cleanup)
{
    aw_status st = aw_await(aw_sleep(10), NULL);
    if (st == AW_CANCELLED) {
        aw_print("inner cancelled, cleaning up");
        AW_AWAIT(aw_sleep(0.5));
        aw_print("inner cleanup done");
        return aw_reraise();
    }
    return aw_int(1);
}

AW_COROUTINE(wait_for_main)
{
    aw_task *t = aw_create_task(AW_CALL(slow_cleanup));
    aw_status st = aw_await(aw_wait_for(t, 1.0), NULL);
    aw_print("wait_for: %s (inner cancelled=%d)", exc_type(), aw_task_cancelled(t));
    ck_assert_int_eq(st, AW_TIMEOUT);
    aw_exc_clear();
    aw_value v;
    AW_AWAIT_INTO(v, aw_wait_for(AW_CALL(work, "quick", 0.5, NULL), 1.0));
    aw_print("in time: %s", v.as.s);
    st = aw_await(aw_wait_for(AW_CALL(work, "zero", 0.5, NULL), 0), NULL);
    aw_print("timeout 0: %s", exc_type());
    aw_exc_clear();
    return aw_none();
}

START_TEST(wait_for_timeout_cancels_and_waits_for_inner)
{
    ck_assert_int_eq(run_sim(AW_CALL(wait_for_main)), AW_OK);
    ck_assert_log("t=1.000 inner cancelled, cleaning up\n"
                  "t=1.500 inner cleanup done\n"
                  "t=1.500 wait_for: TimeoutError (inner cancelled=1)\n"
                  "t=2.000 quick done\n"
                  "t=2.000 in time: quick\n"
                  /* "zero" never prints: its task is cancelled before its first step */
                  "t=2.000 timeout 0: TimeoutError\n");
}
END_TEST

/* ---- Rule: a timeout scope cancels its body at the deadline and raises TimeoutError; it can
 *      be rescheduled; expired() tells ---------------------------------------------------------- */
AW_COROUTINE(timeout_main)
{
    aw_timeout *t = aw_timeout_begin(1.0);
    aw_status st = aw_await(aw_sleep(5), NULL);
    st = aw_timeout_end(t, st);
    aw_print("scope 1: %s expired=%d", st == AW_TIMEOUT ? "TimeoutError" : "?", aw_timeout_expired(t));
    aw_exc_clear();

    t = aw_timeout_begin(1.0);
    AW_TRY(aw_timeout_reschedule(t, aw_time() + 3.0));
    st = aw_await(aw_sleep(5), NULL);
    st = aw_timeout_end(t, st);
    aw_print("scope 2 (rescheduled to +3): %s", st == AW_TIMEOUT ? "TimeoutError" : "?");
    aw_exc_clear();

    t = aw_timeout_begin(10.0);
    st = aw_await(aw_sleep(1), NULL);
    st = aw_timeout_end(t, st);
    aw_print("scope 3: status=%d expired=%d", st, aw_timeout_expired(t));

    aw_timeout *outer = aw_timeout_begin(1.0);
    aw_timeout *inner = aw_timeout_begin(5.0);
    st = aw_await(aw_sleep(10), NULL);
    st = aw_timeout_end(inner, st);
    aw_print("nested inner: %s", st == AW_CANCELLED ? "CancelledError passes through" : "?");
    st = aw_timeout_end(outer, st);
    aw_print("nested outer: %s", st == AW_TIMEOUT ? "TimeoutError" : "?");
    aw_exc_clear();
    AW_TRY(aw_timeout_reschedule(outer, 1.0) == AW_ERROR ? AW_OK : AW_ERROR);
    aw_print("reschedule after exit: %s", aw_exc_message(aw_exc_current()));
    aw_exc_clear();
    return aw_none();
}

START_TEST(timeout_scope_expiry_and_reschedule)
{
    ck_assert_int_eq(run_sim(AW_CALL(timeout_main)), AW_OK);
    ck_assert_log("t=1.000 scope 1: TimeoutError expired=1\n"
                  "t=4.000 scope 2 (rescheduled to +3): TimeoutError\n"
                  "t=5.000 scope 3: status=0 expired=0\n"
                  "t=6.000 nested inner: CancelledError passes through\n"
                  "t=6.000 nested outer: TimeoutError\n"
                  "t=6.000 reschedule after exit: Cannot change state of expired Timeout\n");
}
END_TEST

/* ---- Rule: shield: cancelling the outer future leaves the inner work running ---------------- */
AW_COROUTINE(shield_main)
{
    aw_task *inner = aw_create_task(AW_CALL(work, "shielded", 2, NULL));
    aw_future *outer = aw_shield(inner);
    AW_AWAIT(aw_sleep(1));
    aw_future_cancel(outer, NULL);
    aw_status st = aw_await(outer, NULL);
    aw_print("outer: %s; inner done=%d", st == AW_CANCELLED ? "CancelledError" : "?", aw_task_done(inner));
    aw_exc_clear();
    aw_value v;
    AW_AWAIT_INTO(v, inner);
    aw_print("inner result: %s", v.as.s);
    return aw_none();
}

START_TEST(shield_protects_the_inner_work)
{
    ck_assert_int_eq(run_sim(AW_CALL(shield_main)), AW_OK);
    ck_assert_log("t=1.000 outer: CancelledError; inner done=0\nt=2.000 shielded done\nt=2.000 inner result: shielded\n");
}
END_TEST

/* ---- Rule: wait returns when the mode says; it does not raise on timeout -------------------- */
AW_COROUTINE(wait_main)
{
    void *fs[3] = {aw_create_task(AW_CALL(work, "w1", 1, NULL)), aw_create_task(AW_CALL(work, "w2", 2, "OSError")),
                   aw_create_task(AW_CALL(work, "w3", 3, NULL))};
    bool done[3];
    AW_TRY(aw_wait(fs, 3, AW_NO_TIMEOUT, AW_FIRST_COMPLETED, done));
    aw_print("FIRST_COMPLETED: %d%d%d", done[0], done[1], done[2]);
    AW_TRY(aw_wait(fs, 3, AW_NO_TIMEOUT, AW_FIRST_EXCEPTION, done));
    aw_print("FIRST_EXCEPTION: %d%d%d", done[0], done[1], done[2]);
    AW_TRY(aw_wait(fs, 3, 0.25, AW_ALL_COMPLETED, done));
    aw_print("timeout 0.25: %d%d%d", done[0], done[1], done[2]);
    AW_TRY(aw_wait(fs, 3, AW_NO_TIMEOUT, AW_ALL_COMPLETED, done));
    aw_print("ALL_COMPLETED: %d%d%d", done[0], done[1], done[2]);
    aw_exc *e = aw_task_exception(fs[1]);
    aw_print("w2 exception: %s", aw_exc_type(e));
    void *coro = AW_CALL(work, "c", 1, NULL);
    aw_status st = aw_wait(&coro, 1, AW_NO_TIMEOUT, AW_ALL_COMPLETED, done);
    aw_print("coroutine passed: %d %s", st, aw_exc_message(aw_exc_current()));
    aw_coro_close(coro);
    aw_exc_clear();
    return aw_none();
}

START_TEST(wait_modes_and_timeout)
{
    ck_assert_int_eq(run_sim(AW_CALL(wait_main)), AW_OK);
    ck_assert_log("t=1.000 w1 done\nt=1.000 FIRST_COMPLETED: 100\n"
                  "t=2.000 w2 done\nt=2.000 FIRST_EXCEPTION: 110\n"
                  "t=2.250 timeout 0.25: 110\n"
                  "t=3.000 w3 done\nt=3.000 ALL_COMPLETED: 111\n"
                  "t=3.000 w2 exception: OSError\n"
                  "t=3.000 coroutine passed: 3 Passing coroutines is forbidden, use tasks explicitly.\n");
}
END_TEST

/* ---- Rule: as_completed yields results in completion order; a timeout raises TimeoutError --- */
AW_COROUTINE(as_completed_main)
{
    void *fs[3] = {AW_CALL(work, "three", 3, NULL), AW_CALL(work, "one", 1, NULL), AW_CALL(work, "two", 2, NULL)};
    aw_as_completed *it = aw_as_completed_new(fs, 3, 2.5);
    while (aw_as_completed_has_next(it)) {
        aw_value v;
        aw_status st = aw_as_completed_next(it, &v);
        if (st == AW_OK)
            aw_print("got %s", v.as.s);
        else
            aw_print("next: %s", exc_type());
        aw_exc_clear();
    }
    return aw_none();
}

START_TEST(as_completed_in_completion_order)
{
    ck_assert_int_eq(run_sim(AW_CALL(as_completed_main)), AW_OK);
    ck_assert_log("t=1.000 one done\nt=1.000 got one\nt=2.000 two done\nt=2.000 got two\n"
                  "t=2.500 next: TimeoutError\n"
                  "t=2.500 three: CancelledError\n"); /* asyncio.run cancels the leftover task */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_combinators");
    TCase *tc = tcase_create("combinators");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, sleep0_takes_exactly_one_iteration);
    tcase_add_test(tc, gather_results_in_argument_order);
    tcase_add_test(tc, gather_first_error_propagates_others_keep_running);
    tcase_add_test(tc, gather_return_exceptions);
    tcase_add_test(tc, cancelling_gather_cancels_children);
    tcase_add_test(tc, wait_for_timeout_cancels_and_waits_for_inner);
    tcase_add_test(tc, timeout_scope_expiry_and_reschedule);
    tcase_add_test(tc, shield_protects_the_inner_work);
    tcase_add_test(tc, wait_modes_and_timeout);
    tcase_add_test(tc, as_completed_in_completion_order);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
