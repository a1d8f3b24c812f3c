/* test_core_time.c — time is CPython's floats (issue 13; design.md, Semantics): loop.time() and
 * every deadline are doubles in seconds, computed with CPython's operations in CPython's order
 * (call_later: time() + delay; the virtual clock: now + (when - now), now + busy), so ties and
 * printed times are CPython's to the last bit.  The whole program float_time is the port of the
 * Python twin tests/check/cpython/float_time.py; its log must equal what CPython printed
 * (float_time.expected, kept equal to CPython 3.14 and 3.11 by test_core_cpython_twins.sh).
 * The rest: the trace's times (integer ns, rounded ties to even, plus `exact` where the ns lose
 * the double), busy, and call_at_ns. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aw_trace_time.h"
#include "recorder.h"
#include "support_core.h"
#include "trace_read.h"

/* repr(x) of a float, as Python prints it (a few buffers, for several in one printf). */
static const char *pyrepr(double x)
{
    static char bufs[8][40];
    static int next;
    char *b = bufs[next++ % 8];
    aw_value_repr(aw_float(x), b, 40);
    return b;
}

#define LOG(text) aw_print("%s (loop.time() = %s)", (text), pyrepr(aw_time()))

static void cb_log(void *arg) { log_line("%s (loop.time() = %s)", (const char *)arg, pyrepr(aw_time())); }

/* ---- float_time.py, statement by statement ------------------------------------------------ */

AW_COROUTINE(tenths)
{
    for (int i = 0; i < 3; i++) AW_AWAIT(aw_sleep(0.1));
    LOG("tenths: 3 x sleep(0.1) done");
    return aw_none();
}

AW_COROUTINE(thirds)
{
    for (int i = 0; i < 3; i++) AW_AWAIT(aw_sleep(1.0 / 3));
    LOG("thirds: 3 x sleep(1/3) done");
    return aw_none();
}

AW_COROUTINE(one)
{
    AW_AWAIT(aw_sleep(1));
    LOG("one: sleep(1) done");
    return aw_none();
}

/* 6. timeout_at with a float deadline */
AW_COROUTINE(part6)
{
    aw_timeout *cm;
    aw_status st;
    AW_TIMEOUT_AT(cm, aw_time() + 1.0 / 3, st)
    {
        aw_print("timeout_at when: %s", pyrepr(aw_timeout_when(cm)));
        AW_SCOPE_AWAIT(cm, aw_sleep(1));
    }
    if (aw_except(st, "TimeoutError")) {
        LOG("timeout_at: TimeoutError");
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    return aw_none();
}

/* 7. a timeout rescheduled to a float deadline */
AW_COROUTINE(part7)
{
    aw_timeout *cm;
    aw_status st;
    AW_TIMEOUT(cm, 10, st)
    {
        AW_SCOPE_TRY(cm, aw_timeout_reschedule(cm, aw_time() + 0.7));
        aw_print("rescheduled to: %s", pyrepr(aw_timeout_when(cm)));
        AW_SCOPE_AWAIT(cm, aw_sleep(1));
    }
    if (aw_except(st, "TimeoutError")) {
        LOG("rescheduled timeout: TimeoutError");
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    return aw_none();
}

/* ... and one already past: it expires at the next iteration */
AW_COROUTINE(part8)
{
    aw_timeout *cm;
    aw_status st;
    AW_TIMEOUT_AT(cm, aw_time() - 0.1, st)
    {
        AW_SCOPE_AWAIT(cm, aw_sleep(0));
        AW_SCOPE_AWAIT(cm, aw_sleep(0));
    }
    if (aw_except(st, "TimeoutError")) {
        LOG("timeout_at(the past): TimeoutError");
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    return aw_none();
}

AW_COROUTINE(float_main)
{
    aw_loop *loop = aw_current_loop();
    /* 1. three sleep(0.1); three thirds tie with sleep(1), whose timer was made first */
    aw_task *c = aw_create_task(AW_CALL(tenths));
    aw_task *a = aw_create_task(AW_CALL(thirds));
    aw_task *b = aw_create_task(AW_CALL(one));
    AW_AWAIT(a);
    AW_AWAIT(b);
    AW_AWAIT(c);
    /* 2. a timeout scope and a sleep of the same delay: a tie, the scope's timer first */
    aw_timeout *cm = NULL;
    aw_status st;
    AW_TIMEOUT(cm, 0.5, st) { AW_SCOPE_AWAIT(cm, aw_sleep(0.5)); }
    if (st == AW_OK) {
        LOG("timeout(0.5) around sleep(0.5): no timeout");
    } else if (aw_except(st, "TimeoutError")) {
        LOG("timeout(0.5) around sleep(0.5): TimeoutError");
        aw_exc_clear();
    } else {
        return aw_reraise();
    }
    /* 3. three more sleep(0.1), from 1.5 */
    double t0 = aw_time();
    for (int i = 0; i < 3; i++) AW_AWAIT(aw_sleep(0.1));
    LOG("3 x sleep(0.1) more");
    aw_print("%s %s", pyrepr(aw_time() - t0), aw_time() - t0 == 0.3 ? "True" : "False");
    /* 4. call_at with float deadlines */
    double now = aw_time();
    aw_handle *h1 = aw_call_later(loop, 0.3, cb_log, "call_later(0.3)");
    aw_handle *h2 = aw_call_at(loop, now + 0.1 + 0.2, cb_log, "call_at(now + 0.1 + 0.2)");
    aw_handle *h3 = aw_call_at(loop, now + 0.3, cb_log, "call_at(now + 0.3)");
    aw_print("%s %s %s %s", pyrepr(aw_handle_when(h1)), pyrepr(aw_handle_when(h2)), pyrepr(aw_handle_when(h3)),
             aw_handle_when(h1) == aw_handle_when(h3) ? "True" : "False");
    AW_AWAIT(aw_sleep(0.5));
    /* 5. wait_for(sleep(0.3), 0.1 + 0.2) */
    aw_value r;
    st = aw_await(aw_wait_for(aw_sleep_value(0.3, aw_str("slept")), 0.1 + 0.2), &r);
    if (st == AW_OK) {
        char rs[64], text[128];
        aw_value_repr(r, rs, sizeof rs);
        snprintf(text, sizeof text, "wait_for(sleep(0.3), 0.1 + 0.2) -> %s", rs);
        LOG(text);
    } else if (aw_except(st, "TimeoutError")) {
        LOG("wait_for(sleep(0.3), 0.1 + 0.2): TimeoutError");
        aw_exc_clear();
    } else {
        return aw_reraise();
    }
    AW_AWAIT(AW_CALL(part6));
    AW_AWAIT(AW_CALL(part7));
    AW_AWAIT(AW_CALL(part8));
    return aw_none();
}

START_TEST(float_time_as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(float_main)), AW_OK);
    ck_assert_log_twin("float_time");
}
END_TEST

/* The two cases, checked directly. */
AW_COROUTINE(three_tenths, double *out;)
{
    for (int i = 0; i < 3; i++) AW_AWAIT(aw_sleep(0.1));
    *self->out = aw_time();
    return aw_none();
}

START_TEST(three_sleeps_of_a_tenth_are_a_float_sum)
{
    double t = 0;
    ck_assert_int_eq(run_sim(AW_CALL(three_tenths, &t)), AW_OK);
    ck_assert(t == 0.1 + 0.1 + 0.1);
    ck_assert(t != 0.3);
    ck_assert_str_eq(pyrepr(t), "0.30000000000000004");
    ck_assert_int_eq(aw_trace_time_ns(t), 300000000);
}
END_TEST

AW_COROUTINE(tie_main)
{
    aw_task *a = aw_create_task(AW_CALL(thirds));
    aw_task *b = aw_create_task(AW_CALL(one));
    AW_AWAIT(a);
    AW_AWAIT(b);
    return aw_none();
}

START_TEST(three_thirds_tie_with_one)
{
    ck_assert_int_eq(run_sim(AW_CALL(tie_main)), AW_OK);
    ck_assert_log("t=1.000 one: sleep(1) done (loop.time() = 1.0)\n"
                  "t=1.000 thirds: 3 x sleep(1/3) done (loop.time() = 1.0)\n");
}
END_TEST

/* busy(d) moves the clock by now + d, as vloop.busy does. */
AW_COROUTINE(busy_main, double *out;)
{
    AW_AWAIT(aw_sleep(1.0 / 3));
    for (int i = 0; i < 3; i++) aw_busy(0.1);
    *self->out = aw_time();
    return aw_none();
}

START_TEST(busy_adds_floats)
{
    double t = 0;
    ck_assert_int_eq(run_sim(AW_CALL(busy_main, &t)), AW_OK);
    ck_assert(t == 1.0 / 3 + 0.1 + 0.1 + 0.1);
}
END_TEST

/* ---- the trace's times ------------------------------------------------------------------- */

START_TEST(ns_rounding_is_exact_ties_to_even)
{
    /* Python: round(Fraction(x) * 10**9) */
    ck_assert_int_eq(aw_trace_time_ns(0.0), 0);
    ck_assert_int_eq(aw_trace_time_ns(0.1), 100000000);
    ck_assert_int_eq(aw_trace_time_ns(1.0 / 3), 333333333);
    ck_assert_int_eq(aw_trace_time_ns(2.0 / 3), 666666667);
    ck_assert_int_eq(aw_trace_time_ns(0.9999999999999999), 1000000000);
    ck_assert_int_eq(aw_trace_time_ns(1.0 / 1024), 976562);     /* 976562.5: to even */
    ck_assert_int_eq(aw_trace_time_ns(3.0 / 1024), 2929688);    /* 2929687.5: to even */
    ck_assert_int_eq(aw_trace_time_ns(5e-10), 1);               /* the double is a little above 0.5 ns */
    ck_assert_int_eq(aw_trace_time_ns(1757783672.5), 1757783672500000000LL);
    ck_assert_int_eq(aw_trace_time_ns(-0.1), -100000000);
    ck_assert(!aw_trace_time_needs_exact(0.1, 100000000));
    ck_assert(!aw_trace_time_needs_exact(2.5, 2500000000));
    ck_assert(aw_trace_time_needs_exact(0.1 + 0.2, 300000000));
    ck_assert(aw_trace_time_needs_exact(1.0 / 3, 333333333));
}
END_TEST

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* A trace of three sleep(0.1): the third timer's deadline and the time after it are
 * 0.30000000000000004, written as 300000000 ns plus their exact value; the trace validates. */
START_TEST(trace_writes_exact_times)
{
    char path[] = "/tmp/aw_time_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char err[256];
    aw_recorder *rec = aw_recorder_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(rec);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.output = NULL;
    aw_recorder_attach(rec, &o);
    double t = 0;
    ck_assert_int_eq(aw_run(AW_CALL(three_tenths, &t), &o, NULL), AW_OK);
    const char *s = slurp(path);
    ck_assert_msg(strstr(s, "\"deadline_ns\":300000000,\"callback\":\"sleep\",\"task\":1,\"future\":4,"
                            "\"exact\":{\"deadline\":0.30000000000000004}") != NULL, "%s", s);
    ck_assert_msg(strstr(s, "\"t_ns\":300000000,\"ev\":\"clock_jump\",\"from_ns\":200000000,"
                            "\"to_ns\":300000000,\"exact\":{\"t\":0.30000000000000004,\"to\":0.30000000000000004}}") != NULL,
                  "%s", s);
    /* ordinary times carry nothing more */
    ck_assert_msg(strstr(s, "\"t_ns\":200000000,\"ev\":\"clock_jump\",\"from_ns\":100000000,\"to_ns\":200000000}") != NULL,
                  "%s", s);
    char msg[512];
    long n;
    ck_assert_msg(aw_trace_validate_file(path, msg, sizeof msg, &n) == AW_TRACE_OK, "%s", msg);
    unlink(path);
}
END_TEST

/* A reader refuses an `exact` that does not round to its field, or names no time field. */
START_TEST(reader_checks_exact)
{
    static const char *bad[] = {
        "{\"seq\":1,\"iter\":0,\"t_ns\":300000000,\"ev\":\"loop_start\",\"clock\":\"sim\",\"exact\":{\"t\":0.4}}",
        "{\"seq\":1,\"iter\":0,\"t_ns\":300000000,\"ev\":\"loop_start\",\"clock\":\"sim\",\"exact\":{\"deadline\":0.3}}",
        "{\"seq\":1,\"iter\":0,\"t_ns\":300000000,\"ev\":\"loop_start\",\"clock\":\"sim\",\"exact\":{\"t\":\"0.3\"}}",
        "{\"seq\":1,\"iter\":0,\"t_ns\":300000000,\"ev\":\"loop_start\",\"clock\":\"sim\",\"exact\":{}}",
    };
    static const char *why[] = {"is not t_ns 300000000 ns", "is not a time field", "expected seconds", "expected an object"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[] = "/tmp/aw_time_XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        FILE *f = fdopen(fd, "w");
        fprintf(f, "{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":null,\"clock\":\"sim\",\"seed\":0,"
                   "\"wall_start_ns\":0}\n%s\n",
                bad[i]);
        fclose(f);
        char msg[512];
        long n;
        ck_assert_int_eq(aw_trace_validate_file(path, msg, sizeof msg, &n), AW_TRACE_INVALID);
        ck_assert_msg(strstr(msg, why[i]) != NULL, "%zu: %s", i, msg);
        unlink(path);
    }
}
END_TEST

/* call_at_ns: the double nearest when_ns / 1e9. */
static void note_time(void *arg) { *(double *)arg = aw_time(); }

AW_COROUTINE(at_ns_main, double *out;)
{
    aw_call_at_ns(aw_current_loop(), 300000000, note_time, self->out);
    AW_AWAIT(aw_sleep(1));
    return aw_none();
}

START_TEST(call_at_ns_is_the_nearest_double)
{
    double t = 0;
    ck_assert_int_eq(run_sim(AW_CALL(at_ns_main, &t)), AW_OK);
    ck_assert(t == 0.3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_time");
    TCase *tc = tcase_create("time");
    tcase_add_test(tc, float_time_as_cpython);
    tcase_add_test(tc, three_sleeps_of_a_tenth_are_a_float_sum);
    tcase_add_test(tc, three_thirds_tie_with_one);
    tcase_add_test(tc, busy_adds_floats);
    tcase_add_test(tc, ns_rounding_is_exact_ties_to_even);
    tcase_add_test(tc, trace_writes_exact_times);
    tcase_add_test(tc, reader_checks_exact);
    tcase_add_test(tc, call_at_ns_is_the_nearest_double);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
