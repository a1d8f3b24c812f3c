/* test_sim_explore.c — aw_explore (sim/awaitlab_sim.h): a scenario over many seeds, an invariant.
 *
 * The scenario is lessons/race-lost-update's program (two deposits: read, await, write), with the
 * lesson's timer jitter.  What is known without aw_explore: the default schedule is correct (the
 * lesson's output equals CPython's, tests/oracle), and `awaitlab explore race-lost-update` (a
 * separate process per seed, tests/scripts/test_explore.sh) finds the deposit lost at seed 0 and
 * kept at seed 1.  The fixed scenario takes an asyncio.Lock from the read to the write. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awaitlab_sim.h"

typedef struct bank {
    long balance;
    bool locked;   /* the fixed version */
    aw_lock *lock;
    int runs;
} bank;

AW_COROUTINE(deposit, bank *b; long amount; double arrive;) {
    AW_AWAIT(aw_sleep(self->arrive));
    if (self->b->lock) AW_AWAIT(aw_lock_acquire(self->b->lock));
    long current = self->b->balance;
    aw_print("reads %ld", current);
    AW_AWAIT(aw_sleep(0.1));
    self->b->balance = current + self->amount;
    if (self->b->lock) aw_lock_release(self->b->lock);
    return aw_none();
}

AW_COROUTINE(two_deposits, bank *b;) {
    self->b->lock = self->b->locked ? aw_lock_new() : NULL;
    AW_AWAIT(AW_GATHER(AW_CALL(deposit, self->b, 50, 0.05), AW_CALL(deposit, self->b, 30, 0.2)));
    return aw_none();
}

static aw_coro *scenario(void *ud)
{
    bank *b = ud;
    b->balance = 100; /* each run starts from the same state */
    b->runs++;
    return AW_CALL(two_deposits, b);
}

static bool balance_ok(void *ud) { return ((bank *)ud)->balance == 180; }

AW_COROUTINE(boom) { return aw_raise_class(AW_ValueError, "boom"); }
static aw_coro *raising(void *ud) { (void)ud; return AW_CALL(boom); }

/* The report, as text. */
static char report[4096];
static int explore_into(aw_scenario_fn sc, aw_invariant_fn inv, void *ud, aw_explore_options o, uint64_t *failed)
{
    report[0] = '\0'; /* fmemopen(..., "w") leaves the buffer as it was until something is written */
    FILE *f = fmemopen(report, sizeof report - 1, "w");
    ck_assert(f != NULL);
    o.report = f;
    o.replay = "./bank_test";
    o.quiet = true;
    int rc = aw_explore(sc, inv, ud, &o, failed);
    fclose(f);
    return rc;
}

START_TEST(finds_the_lost_update)
{
    bank b = {0};
    uint64_t failed = 99;
    int rc = explore_into(scenario, balance_ok, &b, (aw_explore_options){.runs = 200, .vary = {.timer = 0.1}}, &failed);
    ck_assert_int_eq(rc, 1);
    ck_assert_uint_eq(failed, 0);
    ck_assert_int_eq(b.runs, 1); /* the first failure stops it */
    ck_assert_int_eq(b.balance, 130); /* Alice's 50 lost */
    ck_assert_msg(strstr(report, "aw_explore: seed 0 fails (run 1): the invariant does not hold\n") != NULL, "%s", report);
    ck_assert_msg(strstr(report, "aw_explore: replay: AWAITLAB_SEED=0 ./bank_test\n") != NULL, "%s", report);
}
END_TEST

START_TEST(from_another_first_seed)
{
    bank b = {0};
    uint64_t failed = 0;
    /* seed 1 keeps the deposit; the first failure from 1 on is a later seed */
    int rc = explore_into(scenario, balance_ok, &b,
                          (aw_explore_options){.runs = 200, .first_seed = 1, .vary = {.timer = 0.1}}, &failed);
    ck_assert_int_eq(rc, 1);
    ck_assert_uint_gt(failed, 1);
    ck_assert_int_eq(b.runs, (int)failed); /* seeds 1 .. failed ran */
}
END_TEST

START_TEST(fixed_passes_every_seed)
{
    bank b = {.locked = true};
    ck_assert_int_eq(explore_into(scenario, balance_ok, &b, (aw_explore_options){.runs = 200, .vary = {.timer = 0.1}}, NULL), 0);
    ck_assert_int_eq(b.runs, 200);
    ck_assert_str_eq(report, "");
}
END_TEST

START_TEST(default_schedule_passes)
{
    bank b = {0};
    ck_assert_int_eq(explore_into(scenario, balance_ok, &b, (aw_explore_options){.runs = 50}, NULL), 0);
    ck_assert_int_eq(b.runs, 50);
}
END_TEST

START_TEST(replay_by_environment)
{
    bank b = {0};
    uint64_t failed = 99;
    setenv("AWAITLAB_SEED", "0", 1);
    ck_assert_int_eq(explore_into(scenario, balance_ok, &b, (aw_explore_options){.runs = 200, .vary = {.timer = 0.1}}, &failed), 1);
    ck_assert_uint_eq(failed, 0);
    ck_assert_int_eq(b.runs, 1);
    setenv("AWAITLAB_SEED", "1", 1);
    ck_assert_int_eq(explore_into(scenario, balance_ok, &b, (aw_explore_options){.runs = 200, .vary = {.timer = 0.1}}, NULL), 0);
    ck_assert_int_eq(b.runs, 2); /* one more run: only seed 1 */
    setenv("AWAITLAB_SEED", "x", 1);
    ck_assert_int_eq(explore_into(scenario, balance_ok, &b, (aw_explore_options){.runs = 3}, NULL), -1);
    ck_assert_msg(strstr(report, "AWAITLAB_SEED='x'") != NULL, "%s", report);
    unsetenv("AWAITLAB_SEED");
}
END_TEST

START_TEST(scenario_failure_is_a_failure)
{
    uint64_t failed = 99;
    ck_assert_int_eq(explore_into(raising, NULL, NULL, (aw_explore_options){.runs = 5, .first_seed = 40}, &failed), 1);
    ck_assert_uint_eq(failed, 40);
    ck_assert_msg(strstr(report, "seed 40 fails (run 1): it raised ValueError: boom") != NULL, "%s", report);
}
END_TEST

START_TEST(bad_options)
{
    bank b = {0};
    ck_assert_int_eq(explore_into(scenario, balance_ok, &b, (aw_explore_options){.vary = {.cpu = 2}}, NULL), -1);
    ck_assert_int_eq(b.runs, 0);
    ck_assert_msg(strstr(report, "expected cpu and executor between 0 and 1") != NULL, "%s", report);
    ck_assert_int_eq(explore_into(scenario, balance_ok, &b, (aw_explore_options){.runs = 2, .first_seed = UINT64_MAX}, NULL), -1);
}
END_TEST

int main(void)
{
    unsetenv("AWAITLAB_SEED");
    unsetenv("AWAITLAB_TRACE");
    Suite *s = suite_create("sim_explore");
    TCase *tc = tcase_create("explore");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, finds_the_lost_update);
    tcase_add_test(tc, from_another_first_seed);
    tcase_add_test(tc, fixed_passes_every_seed);
    tcase_add_test(tc, default_schedule_passes);
    tcase_add_test(tc, replay_by_environment);
    tcase_add_test(tc, scenario_failure_is_a_failure);
    tcase_add_test(tc, bad_options);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose: a line per test, which tests/run.sh counts */
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
