/* test_sim_vary.c — what the seed may vary (aw_variations; core/vary.c, sim/backend_sim.c).
 *
 * Expected durations are computed from the formulas documented in awaitlab.h and
 * sim/trace-format.md (cpu and executor: d * (1 + f * (2u - 1)); timer: the wait + J * u) with u
 * the first aw_rng_unit of the seed's stream, taken from the known-answer vectors of
 * test_sim_rng.c (an independent Python reimplementation of splitmix64 + xoshiro256**), not
 * from the code under test:
 *   (seed 7, AW_RNG_CPU)       u = 0.7268418388129019
 *   (seed 7, AW_RNG_EXECUTOR)  u = 0.5301676492380816
 *   (seed 42, AW_RNG_TIMER)    u = 0.09427711314322607
 * The rest checks the guarantees a variation must keep: off by default, a timer never fires
 * early and due timers keep their (deadline, creation) order, one kind of variation never moves
 * another's numbers, each choice is traced before its effect, a seed is one trace byte for byte,
 * and a run past its time limit stops with a clear error and the exit status 10. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "awaitlab_sim.h"

/* ---- a run with options, and a tracer that keeps the events it needs ----------------------- */
typedef struct seen {
    int kind[4096];
    int reason[4096];
    double ta[4096], tb[4096];
    int n;
} seen;
static seen g_seen;

static void t_start(void *ud, const char *p, const char *c, uint64_t s, int64_t w) { (void)ud, (void)p, (void)c, (void)s, (void)w; }
static void t_event(void *ud, const aw_event *ev)
{
    seen *s = ud;
    if (s->n < 4096) {
        s->kind[s->n] = ev->kind;
        s->reason[s->n] = ev->reason;
        s->ta[s->n] = ev->ta;
        s->tb[s->n] = ev->tb;
        s->n++;
    }
}
static void t_close(void *ud) { (void)ud; }
static const aw_tracer keep_tracer = {t_start, t_event, t_close};

static char g_order[256];
static double g_times[8];

static aw_status run_with(aw_coro *main, uint64_t seed, aw_variations vary, aw_clock_kind clock)
{
    aw_loop_options o;
    ck_assert_int_eq(aw_loop_options_init(&o), AW_OK);
    o.clock = clock;
    o.seed = seed;
    o.vary = vary;
    memset(&g_seen, 0, sizeof g_seen);
    o.tracer = &keep_tracer;
    o.tracer_ud = &g_seen;
    g_order[0] = '\0';
    return aw_run(main, &o, NULL);
}

/* ---- the programs ------------------------------------------------------------------------- */
AW_COROUTINE(busy_one) {
    aw_busy(1);
    g_times[0] = aw_time();
    return aw_none();
}

AW_COROUTINE(busy_twice) { /* two CPU works with a sleep between: cpu and timer both draw */
    aw_busy(1);
    g_times[0] = aw_time();
    AW_AWAIT(aw_sleep(0.5));
    g_times[1] = aw_time();
    aw_busy(2);
    g_times[2] = aw_time() - g_times[1];
    return aw_none();
}

static aw_value job(void *arg) { (void)arg; return aw_int(1); }

AW_COROUTINE(executor_two_s) {
    AW_AWAIT(aw_run_in_executor(aw_current_loop(), 2.0, job, NULL));
    g_times[0] = aw_time();
    return aw_none();
}

AW_COROUTINE(sleep_one) {
    AW_AWAIT(aw_sleep(1));
    g_times[0] = aw_time();
    return aw_none();
}

AW_COROUTINE(sleeper, const char *name; double delay;) {
    double deadline = aw_time() + self->delay;
    AW_AWAIT(aw_sleep(self->delay));
    ck_assert_msg(aw_time() >= deadline, "%s woke at %.17g, before its deadline %.17g", self->name, aw_time(), deadline);
    strcat(g_order, self->name);
    return aw_none();
}

AW_COROUTINE(four_sleepers) { /* A and B tie; C is earlier; D a hair later than A and B */
    AW_AWAIT(AW_GATHER(AW_CALL(sleeper, "A", 1.0), AW_CALL(sleeper, "B", 1.0), AW_CALL(sleeper, "C", 0.5),
                       AW_CALL(sleeper, "D", 1.0001)));
    return aw_none();
}

AW_COROUTINE(sleep_forever) {
    for (;;) AW_AWAIT(aw_sleep(1));
    return aw_none();
}

/* ---- the tests ----------------------------------------------------------------------------- */
START_TEST(off_by_default)
{
    aw_loop_options o;
    ck_assert_int_eq(aw_loop_options_init(&o), AW_OK);
    ck_assert(o.vary.cpu == 0 && o.vary.executor == 0 && o.vary.timer == 0 && o.time_limit == 0);
    for (uint64_t seed = 0; seed < 5; seed++) {
        ck_assert_int_eq(run_with(AW_CALL(busy_twice), seed, (aw_variations){0}, AW_CLOCK_SIM), AW_OK);
        ck_assert(g_times[0] == 1 && g_times[1] == 1.5 && g_times[2] == 2);
        for (int i = 0; i < g_seen.n; i++) ck_assert_int_ne(g_seen.kind[i], AW_EV_CHOICE);
    }
}
END_TEST

START_TEST(cpu_known_answer)
{
    ck_assert_int_eq(run_with(AW_CALL(busy_one), 7, (aw_variations){.cpu = 0.5}, AW_CLOCK_SIM), AW_OK);
    double want = 1 * (1 + 0.5 * (2 * 0.7268418388129019 - 1)); /* 1.2268418388129019 */
    ck_assert_msg(g_times[0] == want, "busy(1) took %.17g, want %.17g", g_times[0], want);
    /* the choice is traced before the busy event, which has the chosen duration */
    int c = -1;
    for (int i = 0; i < g_seen.n; i++)
        if (g_seen.kind[i] == AW_EV_CHOICE) c = i;
    ck_assert_int_ge(c, 0);
    ck_assert_int_eq(g_seen.reason[c], AW_VARY_CPU);
    ck_assert(g_seen.ta[c] == 1 && g_seen.tb[c] == want);
    ck_assert_int_eq(g_seen.kind[c + 1], AW_EV_BUSY);
    ck_assert(g_seen.ta[c + 1] == want);
}
END_TEST

START_TEST(executor_known_answer)
{
    ck_assert_int_eq(run_with(AW_CALL(executor_two_s), 7, (aw_variations){.executor = 0.25}, AW_CLOCK_SIM), AW_OK);
    double want = 2.0 * (1 + 0.25 * (2 * 0.5301676492380816 - 1));
    ck_assert_msg(g_times[0] == want, "the 2 s job took %.17g, want %.17g", g_times[0], want);
    /* a cpu bound alone does not vary the executor */
    ck_assert_int_eq(run_with(AW_CALL(executor_two_s), 7, (aw_variations){.cpu = 0.9}, AW_CLOCK_SIM), AW_OK);
    ck_assert(g_times[0] == 2.0);
}
END_TEST

START_TEST(timer_known_answer)
{
    ck_assert_int_eq(run_with(AW_CALL(sleep_one), 42, (aw_variations){.timer = 0.5}, AW_CLOCK_SIM), AW_OK);
    double want = 0 + (1 + 0.5 * 0.09427711314322607); /* now + the late wait */
    ck_assert_msg(g_times[0] == want, "sleep(1) ended at %.17g, want %.17g", g_times[0], want);
    int c = -1;
    for (int i = 0; i < g_seen.n && c < 0; i++)
        if (g_seen.kind[i] == AW_EV_CHOICE) c = i;
    ck_assert_int_eq(g_seen.reason[c], AW_VARY_TIMER);
    ck_assert(g_seen.ta[c] == 1 && g_seen.tb[c] == want);
    ck_assert_int_eq(g_seen.kind[c + 1], AW_EV_IO_WAIT); /* the wait that follows waits the chosen time */
    ck_assert(g_seen.ta[c + 1] == want);
}
END_TEST

START_TEST(timer_keeps_asyncio_order)
{
    /* C (0.5 s) first; A and B tie at 1 s and keep creation order; D (1.0001 s) after them, even
     * when a late wake-up finds all three due at once.  Each sleeper asserts it never woke early. */
    for (uint64_t seed = 0; seed < 60; seed++) {
        ck_assert_int_eq(run_with(AW_CALL(four_sleepers), seed, (aw_variations){.timer = 0.3}, AW_CLOCK_SIM), AW_OK);
        ck_assert_msg(!strcmp(g_order, "CABD"), "seed %llu: order %s", (unsigned long long)seed, g_order);
    }
}
END_TEST

START_TEST(kinds_are_independent)
{
    /* The CPU durations of seed 3 are the same whether or not the timer varies too. */
    ck_assert_int_eq(run_with(AW_CALL(busy_twice), 3, (aw_variations){.cpu = 0.5}, AW_CLOCK_SIM), AW_OK);
    double first = g_times[0], second = g_times[2];
    ck_assert(first != 1 && second != 2);
    ck_assert_int_eq(run_with(AW_CALL(busy_twice), 3, (aw_variations){.cpu = 0.5, .timer = 0.2}, AW_CLOCK_SIM), AW_OK);
    ck_assert(g_times[0] == first);
    ck_assert(g_times[1] > first + 0.5); /* the sleep did end late */
    ck_assert(fabs(g_times[2] - second) < 1e-9); /* the same duration (from a later start) */
}
END_TEST

/* In a process of its own, as a program runs: task names (Task-N) count on across the runs of
 * one process, as CPython's do. */
static void record(const char *path, uint64_t seed)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid) {
        int st;
        ck_assert_int_eq(waitpid(pid, &st, 0), pid);
        ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        return;
    }
    aw_loop_options o;
    ck_assert_int_eq(aw_loop_options_init(&o), AW_OK);
    o.clock = AW_CLOCK_SIM;
    o.seed = seed;
    o.vary = (aw_variations){.cpu = 0.5, .timer = 0.2};
    char err[256];
    aw_recorder *rec = aw_recorder_open(path, err, sizeof err);
    ck_assert_msg(rec != NULL, "%s", err);
    aw_recorder_attach(rec, &o);
    _exit(aw_run(AW_CALL(busy_twice), &o, NULL) == AW_OK ? 0 : 1);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert(f != NULL);
    static char buf[3][1 << 16];
    static int k;
    char *b = buf[k++ % 3];
    size_t n = fread(b, 1, sizeof buf[0] - 1, f);
    b[n] = '\0';
    fclose(f);
    return b;
}

START_TEST(one_seed_one_trace)
{
    char a[] = "/tmp/aw-vary-a-XXXXXX", b[] = "/tmp/aw-vary-b-XXXXXX", c[] = "/tmp/aw-vary-c-XXXXXX";
    close(mkstemp(a));
    close(mkstemp(b));
    close(mkstemp(c));
    record(a, 11);
    record(b, 11);
    record(c, 12);
    const char *ta = slurp(a), *tb = slurp(b), *tc = slurp(c);
    ck_assert(strcmp(ta, tb) == 0); /* not _str_eq: a failure message would hold both traces */
    ck_assert(strstr(ta, "\"ev\":\"choice\",\"variation\":\"cpu\"") != NULL);
    ck_assert(strstr(ta, "\"ev\":\"choice\",\"variation\":\"timer\"") != NULL);
    ck_assert(strcmp(ta, tc) != 0);
    unlink(a), unlink(b), unlink(c);
}
END_TEST

START_TEST(bad_bounds_refused)
{
    aw_variations bad[] = {{.cpu = 1.5}, {.executor = -0.1}, {.timer = -1}, {.cpu = NAN}, {.timer = INFINITY}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        aw_loop_options o;
        ck_assert_int_eq(aw_loop_options_init(&o), AW_OK);
        o.clock = AW_CLOCK_SIM;
        o.vary = bad[i];
        ck_assert_ptr_null(aw_loop_new(&o));
        ck_assert_str_eq(aw_exc_type(aw_exc_current()), "ValueError");
        aw_exc_clear();
    }
    aw_loop_options o;
    ck_assert_int_eq(aw_loop_options_init(&o), AW_OK);
    o.time_limit = -1;
    ck_assert_ptr_null(aw_loop_new(&o));
    aw_exc_clear();
}
END_TEST

START_TEST(real_clock_varies_nothing)
{
    ck_assert_int_eq(run_with(AW_CALL(busy_one), 7, (aw_variations){.cpu = 0.5, .timer = 0.5}, AW_CLOCK_REAL), AW_OK);
    for (int i = 0; i < g_seen.n; i++) ck_assert_int_ne(g_seen.kind[i], AW_EV_CHOICE);
}
END_TEST

/* The process's status must be 10 (sim/env.c) after a run stopped at its limit: the run is made
 * in a child of its own, whose exit status is the point (not an exit test of Check's: without a
 * fork per test, as under valgrind, the suite's own process would end with 10). */
START_TEST(time_limit_stops_a_hang)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid) {
        int st;
        ck_assert_int_eq(waitpid(pid, &st, 0), pid);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == AW_EXIT_TIME_LIMIT, "child status %d", st);
        return;
    }
    aw_loop_options o;
    ck_assert_int_eq(aw_loop_options_init(&o), AW_OK);
    o.clock = AW_CLOCK_SIM;
    o.time_limit = 5;
    ck_assert(!aw_time_limit_reached());
    ck_assert_int_eq(aw_run(AW_CALL(sleep_forever), &o, NULL), AW_ERROR);
    aw_exc *e = aw_exc_current();
    ck_assert_str_eq(aw_exc_type(e), "RuntimeError");
    ck_assert_msg(strstr(aw_exc_message(e), "the virtual time limit of 5 s is reached (loop.time() = 6)") != NULL,
                  "message: %s", aw_exc_message(e));
    aw_exc_clear();
    ck_assert(aw_time_limit_reached());
    exit(0); /* sim/env.c's exit hook makes it 10 */
}
END_TEST

int main(void)
{
    const char *vars[] = {"AWAITLAB_VARY_CPU", "AWAITLAB_VARY_EXECUTOR", "AWAITLAB_TIMER_JITTER", "AWAITLAB_TIME_LIMIT",
                          "AWAITLAB_TRACE", "AWAITLAB_SEED", "AWAITLAB_CLOCK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) unsetenv(vars[i]);
    Suite *s = suite_create("sim_vary");
    TCase *tc = tcase_create("vary");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, off_by_default);
    tcase_add_test(tc, cpu_known_answer);
    tcase_add_test(tc, executor_known_answer);
    tcase_add_test(tc, timer_known_answer);
    tcase_add_test(tc, timer_keeps_asyncio_order);
    tcase_add_test(tc, kinds_are_independent);
    tcase_add_test(tc, one_seed_one_trace);
    tcase_add_test(tc, bad_bounds_refused);
    tcase_add_test(tc, real_clock_varies_nothing);
    tcase_add_test(tc, time_limit_stops_a_hang);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose: a line per test, which tests/run.sh counts */
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
