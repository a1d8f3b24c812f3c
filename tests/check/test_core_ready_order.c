/* test_core_ready_order.c — one ready queue for task steps and callbacks, and sleep(0) as a
 * coroutine like any other, with and without a tracer.
 *
 * With no tracer a task's step is queued as the task itself and `await sleep(0)` runs without a
 * coroutine object (core/ready_queue.h, core/sleep.c); with one, every step is a handle and
 * every coroutine an object the tracer is told of.  The program of tests/check/cpython/
 * ready_order.py mixes steps (sleep(0), a task's start, a wake-up) with plain callbacks and a
 * future's done-callback, cancels a task parked at sleep(0), awaits a sleep(0) twice, wraps one
 * in a task and awaits one inside an except block: both runs must print what CPython printed
 * (ready_order.expected).  Then what a sleep(0) not awaited must still be: named, closed,
 * reported as never awaited in the order the coroutines were made. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "aw_tracer.h"
#include "support_core.h"

AW_COROUTINE(yielder, const char *name; int n;)
{
    for (int i = 0; i < self->n; i++) {
        aw_print("%s step %d", self->name, i);
        AW_AWAIT(aw_sleep(0));
    }
    aw_print("%s done", self->name);
    return aw_str(self->name);
}

AW_COROUTINE(victim)
{
    for (;;) {
        aw_print("victim yields");
        aw_status st = aw_await(aw_sleep(0), NULL);
        if (st == AW_OK) continue;
        if (aw_except(st, "CancelledError")) {
            aw_print("victim cancelled at sleep(0)");
            return aw_raise_again();
        }
        return aw_reraise();
    }
}

AW_COROUTINE(fails) { return aw_raise(AW_ValueError, "handled"); }

static void cb_log(void *text) { log_line("%s", (const char *)text); }

static void fut_done(aw_future *f, void *arg)
{
    (void)arg;
    aw_value v;
    ck_assert_int_eq(aw_future_result(f, &v), AW_OK);
    log_line("done-callback sees %s", v.as.s);
}

static void resolve(void *fut)
{
    log_line("callback 2 resolves fut");
    aw_future_set_result(fut, aw_str("x"));
}

static void start_c(void *arg)
{
    (void)arg;
    log_line("callback 3 starts c");
    aw_task_detach(aw_create_task(AW_CALL(yielder, "c", 1)));
}

static const char *in_flight_repr(char *buf, size_t size)
{
    aw_exc_repr(aw_exc_current(), buf, size);
    return buf;
}

AW_COROUTINE(ready_main)
{
    aw_loop *loop = aw_current_loop();
    aw_future *fut = aw_future_new(loop);
    aw_future_add_done_callback(fut, fut_done, NULL);
    aw_task *a = aw_create_task(AW_CALL(yielder, "a", 3));
    aw_call_soon(loop, cb_log, "callback 1");
    aw_task *b = aw_create_task(AW_CALL(yielder, "b", 2));
    aw_call_soon(loop, resolve, fut);
    aw_task *v = aw_create_task(AW_CALL(victim));
    aw_call_soon(loop, start_c, NULL);
    aw_print("main awaits fut");
    aw_value got;
    AW_AWAIT_INTO(got, fut);
    aw_print("main got %s", got.as.s);
    AW_AWAIT(aw_sleep(0));
    aw_task_cancel(v, NULL);
    aw_print("main cancelled victim");
    aw_value ra, rb;
    AW_AWAIT_INTO(ra, a);
    AW_AWAIT_INTO(rb, b);
    aw_print("main got %s %s", ra.as.s, rb.as.s);
    if (aw_except(aw_await(v, NULL), "CancelledError")) {
        aw_print("victim is cancelled");
        aw_exc_clear();
    }

    aw_coro *s = aw_sleep(0);
    AW_AWAIT(s);
    if (aw_except(aw_await(s, NULL), "RuntimeError")) {
        aw_print("awaited again: RuntimeError('%s')", aw_exc_message(aw_exc_current()));
        aw_exc_clear();
    }
    aw_task *t = aw_create_task(aw_sleep(0));
    aw_value r;
    AW_AWAIT_INTO(r, t);
    char repr[64];
    aw_value_repr(r, repr, sizeof repr);
    aw_print("task of sleep(0): %s", repr);
    if (aw_except(aw_await(AW_CALL(fails), NULL), "ValueError")) {
        AW_AWAIT(aw_sleep(0));
        aw_print("after sleep(0) still handling %s", in_flight_repr(repr, sizeof repr));
        aw_exc_clear();
    }
    aw_future_detach(fut);
    aw_task_detach(a);
    aw_task_detach(b);
    aw_task_detach(v);
    aw_task_detach(t);
    return aw_none();
}

START_TEST(untraced_order_is_cpythons)
{
    ck_assert_int_eq(run_sim(AW_CALL(ready_main)), AW_OK);
    ck_assert_log_twin("ready_order");
    ck_assert_int_eq(g_log.n_warnings, 0);
}
END_TEST

/* What the traced run saw: steps run as handles, and the sleep(0) objects made. */
typedef struct seen {
    int step_handles_run;
    int sleeps_made;
} seen;

static void count_event(void *ud, const aw_event *ev)
{
    seen *s = ud;
    if (ev->kind == AW_EV_HANDLE_RUN && ev->name && strcmp(ev->name, "task_step") == 0) s->step_handles_run++;
    if (ev->kind == AW_EV_CORO_CREATED && ev->name && strcmp(ev->name, "sleep") == 0) s->sleeps_made++;
}

START_TEST(traced_order_is_cpythons)
{
    static const aw_tracer counter = {NULL, count_event, NULL};
    seen s = {0, 0};
    ck_assert_int_eq(run_sim_traced(AW_CALL(ready_main), &counter, &s), AW_OK);
    ck_assert_log_twin("ready_order");
    ck_assert_int_eq(g_log.n_warnings, 0);
    /* starts and sleep(0)s: main 1+3, a 1+3, b 1+2, c 1+1, victim 1+2 (its cancel rides on the
     * step already queued), the sleep(0) task 1+1, asyncio.run's two shutdown coroutines 2 */
    ck_assert_int_eq(s.step_handles_run, 20);
    ck_assert_int_eq(s.sleeps_made, 12); /* a 3, b 2, c 1, victim 2, main 4 */
}
END_TEST

/* ---- a sleep(0) not awaited ------------------------------------------------------------------ */
AW_COROUTINE(first) { return aw_none(); }
AW_COROUTINE(last) { return aw_none(); }

AW_COROUTINE(leaves_some)
{
    (void)AW_CALL(first);
    (void)aw_sleep(0);
    aw_coro *closed = aw_sleep(0);
    aw_coro_close(closed);
    aw_coro_close(closed); /* closing a closed coroutine does nothing */
    ck_assert_int_eq(aw_await(closed, NULL), AW_ERROR);
    aw_print("after close: %s", aw_exc_message(aw_exc_current()));
    aw_exc_clear();
    aw_coro *named = aw_sleep(0);
    aw_print("named: %s", aw_coro_name(named));
    AW_AWAIT(named);
    aw_print("awaited, then named: %s", aw_coro_name(named) ? aw_coro_name(named) : "(consumed)");
    (void)AW_CALL(last);
    return aw_none();
}

START_TEST(not_awaited_is_still_a_coroutine)
{
    ck_assert_int_eq(run_sim(AW_CALL(leaves_some)), AW_OK);
    ck_assert_log("t=0.000 after close: cannot reuse already awaited coroutine\n"
                  "t=0.000 named: sleep\n"
                  "t=0.000 awaited, then named: (consumed)\n");
    ck_assert_int_eq(g_log.n_warnings, 3);
    const char *w1 = strstr(g_log.warnings, "coroutine 'first' was never awaited");
    const char *w2 = strstr(g_log.warnings, "coroutine 'sleep' was never awaited");
    const char *w3 = strstr(g_log.warnings, "coroutine 'last' was never awaited");
    ck_assert_ptr_nonnull(w1);
    ck_assert_ptr_nonnull(w2);
    ck_assert_ptr_nonnull(w3);
    ck_assert(w1 < w2); /* in the order they were made */
    ck_assert(w2 < w3);
}
END_TEST

/* A sleep(0) whose handle waits while other coroutines are made, run and freed, or while a
 * second sleep(0) is made (coro.c keeps only the newest unwritten): each is still the one
 * coroutine its handle names, awaited once, then stale. */
AW_COROUTINE(stores_sleeps)
{
    aw_coro *kept = aw_sleep(0);
    AW_AWAIT(AW_CALL(first)); /* a coroutine made, run and freed meanwhile */
    aw_coro *older = aw_sleep(0);
    aw_coro *newer = aw_sleep(0);
    ck_assert(older != newer && kept != older && kept != newer);
    AW_AWAIT(newer);
    AW_AWAIT(older);
    AW_AWAIT(kept);
    aw_coro *handles[] = {kept, older, newer};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(aw_await(handles[i], NULL), AW_ERROR);
        ck_assert_str_eq(aw_exc_message(aw_exc_current()), "cannot reuse already awaited coroutine");
        aw_exc_clear();
    }
    (void)aw_sleep(0); /* the last thing made: still reported */
    return aw_none();
}

START_TEST(stored_sleep_zero_survives_other_coroutines)
{
    ck_assert_int_eq(run_sim(AW_CALL(stores_sleeps)), AW_OK);
    ck_assert_int_eq(g_log.n_warnings, 1);
    ck_assert_ptr_nonnull(strstr(g_log.warnings, "coroutine 'sleep' was never awaited"));
}
END_TEST

/* Made before any loop runs: an object from the start, awaited like any coroutine. */
START_TEST(sleep_zero_made_outside_a_loop)
{
    ck_assert_int_eq(run_sim(aw_sleep(0)), AW_OK);
    ck_assert_int_eq(g_log.n_warnings, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_ready_order");
    TCase *tc = tcase_create("ready_order");
    tcase_add_test(tc, untraced_order_is_cpythons);
    tcase_add_test(tc, traced_order_is_cpythons);
    tcase_add_test(tc, not_awaited_is_still_a_coroutine);
    tcase_add_test(tc, stored_sleep_zero_survives_other_coroutines);
    tcase_add_test(tc, sleep_zero_made_outside_a_loop);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
