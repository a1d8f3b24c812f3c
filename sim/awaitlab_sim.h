/* awaitlab_sim.h — the simulator library (libawaitlab-sim, pkg-config awaitlab-sim): the
 * simulated clock, the trace recorder (recorder.h) and the AWAITLAB_* environment.
 *
 * A program linked with `pkg-config --libs awaitlab-sim` needs no call: the link line names
 * aw_sim_install undefined, which pulls in sim/env.c, whose constructor calls it before main()
 * (AWAITLAB_CLOCK=sim, AWAITLAB_SEED, AWAITLAB_TRACE then work in any program).  A program
 * linked some other way (its own link line, a linker that drops unreferenced archive members)
 * calls aw_sim_install() itself, before its first loop. */
#ifndef AW_AWAITLAB_SIM_H
#define AW_AWAITLAB_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "awaitlab.h"
#include "recorder.h"

/* Makes AW_CLOCK_SIM available to core and applies the AWAITLAB_* variables to every
 * aw_loop_options_init().  Idempotent. */
void aw_sim_install(void);

/* ---------------------------------------------------------------------------------------------
 * Exploring schedules in a program's own tests: run a scenario over many seeds with some
 * variations on (aw_variations, awaitlab.h), and check an invariant after each run.
 *
 *     static aw_coro *scenario(void *ud) { reset(ud); return AW_CALL(two_deposits, ud); }
 *     static bool balance_ok(void *ud) { return ((bank *)ud)->balance == 180; }
 *     aw_explore_options o = {.runs = 200, .vary = {.timer = 0.1}};
 *     int failed = aw_explore(scenario, balance_ok, &b, &o, NULL);
 *
 * Each run is aw_run(scenario(ud)) on the simulated clock with the seed first_seed + i.  A run
 * fails when its main coroutine raises (or the loop stops: a deadlock, the time limit) or the
 * invariant returns false.  The first failure stops the exploration: it is reported (to
 * opts.report) with its seed and the command that replays it, `AWAITLAB_SEED=S PROGRAM`, and
 * aw_explore returns 1 (*failed_seed = S).  All seeds passing returns 0.  With AWAITLAB_SEED set in
 * the environment, only that seed runs: that is the replay (add AWAITLAB_TRACE=FILE to trace it).
 * A run stopped at its time limit also makes the process's exit status AW_EXIT_TIME_LIMIT (env.c).
 * The scenario factory must reset any state the previous run left (runs share the process). */
typedef aw_coro *(*aw_scenario_fn)(void *ud);
typedef bool (*aw_invariant_fn)(void *ud);

typedef struct aw_explore_options {
    uint64_t runs;          /* 0: 100 */
    uint64_t first_seed;
    aw_variations vary;     /* what the seed varies; all 0: every seed gives the same schedule */
    double time_limit;      /* virtual seconds per run (a run past it fails); 0: 3600 */
    const char *replay;     /* the program's command line, for the report; NULL: how it was started */
    bool quiet;             /* drop what the runs print (aw_print) */
    FILE *report;           /* NULL: stderr */
} aw_explore_options;

/* opts NULL: the defaults.  Returns 0 (every seed passed), 1 (a seed failed: reported), or -1 when
 * no run could be made (bad options: the reason is reported). */
int aw_explore(aw_scenario_fn scenario, aw_invariant_fn invariant, void *ud, const aw_explore_options *opts,
               uint64_t *failed_seed);

#endif /* AW_AWAITLAB_SIM_H */
