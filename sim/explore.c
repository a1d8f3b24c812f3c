/* explore.c — aw_explore (awaitlab_sim.h): one scenario, many seeds, an invariant.
 *
 * The runs share the process (no fork): this is a library for a program's own tests, which
 * keeps its state in `ud` and resets it in the scenario factory.  What `awaitlab explore` does
 * with processes (crashes, hangs in real time, parallel runs) is the command's job. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "awaitlab_sim.h"
#include "decimal.h"

#define DEFAULT_RUNS 100
#define DEFAULT_TIME_LIMIT 3600.0

static void drop_output(aw_loop *loop, const char *line, void *ud) { (void)loop, (void)line, (void)ud; }

static void report_failure(FILE *f, const aw_explore_options *o, uint64_t seed, uint64_t nth, const char *why)
{
    extern char *program_invocation_name; /* glibc: argv[0] as the program was started */
    const char *prog = o->replay ? o->replay : program_invocation_name;
    fprintf(f, "aw_explore: seed %llu fails (run %llu): %s\n", (unsigned long long)seed, (unsigned long long)nth,
            why);
    fprintf(f, "aw_explore: replay: AWAITLAB_SEED=%llu %s\n", (unsigned long long)seed, prog ? prog : "PROGRAM");
    fflush(f);
}

int aw_explore(aw_scenario_fn scenario, aw_invariant_fn invariant, void *ud, const aw_explore_options *opts,
               uint64_t *failed_seed)
{
    aw_explore_options o = opts ? *opts : (aw_explore_options){0};
    FILE *rep = o.report ? o.report : stderr;
    uint64_t runs = o.runs ? o.runs : DEFAULT_RUNS, first = o.first_seed;
    const char *env = getenv("AWAITLAB_SEED");
    if (env && *env) { /* the replay of one seed */
        if (!aw_parse_u64(env, &first)) {
            fprintf(rep, "aw_explore: AWAITLAB_SEED='%s': expected %s\n", env, AW_U64_EXPECTED);
            return -1;
        }
        runs = 1;
    }
    if (first + (runs - 1) < first) {
        fprintf(rep, "aw_explore: first_seed %llu and %llu runs go past the last seed\n",
                (unsigned long long)first, (unsigned long long)runs);
        return -1;
    }
    double limit = o.time_limit > 0 ? o.time_limit : DEFAULT_TIME_LIMIT;
    if (!aw_variations_valid(&o.vary, limit)) {
        fprintf(rep, "aw_explore: variations cpu=%g executor=%g timer=%g: expected cpu and executor between 0 and "
                     "1, timer >= 0 s\n", o.vary.cpu, o.vary.executor, o.vary.timer);
        return -1;
    }
    for (uint64_t i = 0; i < runs; i++) {
        uint64_t seed = first + i;
        aw_loop_options lo;
        if (aw_loop_options_init(&lo) != AW_OK) { /* a bad AWAITLAB_STACK_SIZE */
            fprintf(rep, "aw_explore: %s\n", aw_exc_message(aw_exc_current()));
            aw_exc_clear();
            return -1;
        }
        lo.clock = AW_CLOCK_SIM;
        lo.seed = seed;
        lo.vary = o.vary;
        lo.time_limit = limit;
        if (o.quiet) lo.output = drop_output;
        aw_coro *main = scenario(ud);
        aw_status st = main ? aw_run(main, &lo, NULL) : AW_ERROR;
        char why[512];
        if (st != AW_OK) {
            aw_exc *e = aw_exc_current();
            const char *msg = e ? aw_exc_message(e) : "";
            if (!e && !main) snprintf(why, sizeof why, "the scenario factory returned NULL");
            else snprintf(why, sizeof why, "it raised %s%s%s", e ? aw_exc_type(e) : "an exception", *msg ? ": " : "", msg);
            aw_exc_clear();
        } else if (invariant && !invariant(ud)) {
            snprintf(why, sizeof why, "the invariant does not hold");
        } else {
            continue;
        }
        report_failure(rep, &o, seed, i + 1, why);
        if (failed_seed) *failed_seed = seed;
        return 1;
    }
    return 0;
}
