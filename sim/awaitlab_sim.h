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

/* ---- the simulated network (sim/net_sim.c has the model) -------------------------------------
 * The simulated clock carries a network behind core's socket operations (aw_backend.sockets):
 * hosts by name, listeners, connections whose two directions are links with a latency, a
 * bandwidth and bounded buffers, and seeded faults, all off by default.  A loop's simulated
 * clock takes the process's defaults (below; AWAITLAB_NET_* change them, sim/env.c), or a
 * backend made with aw_sim_backend_new() takes its own. */

/* Connections to `host` (as the program names it; "localhost" is "127.0.0.1") use these link
 * settings instead of the defaults' (both directions).  Every connection comes from the
 * program's own host, 127.0.0.1, so a host names the pair (127.0.0.1, host); the last entry for a
 * host wins. */
typedef struct aw_sim_net_link {
    const char *host;
    double latency;   /* one way, seconds */
    double bandwidth; /* bytes per second; 0: unlimited */
    double jitter;    /* each packet's latency varies by up to ± jitter * latency (0..1) */
} aw_sim_net_link;

typedef struct aw_sim_net_options {
    /* Default 0: the oracle runs CPython's streams on real loopback sockets, where the network
     * takes no measurable time on a virtual clock, so a lesson's printed times match CPython's
     * only if the simulated network takes none either.  Packets still travel as events, in order,
     * at the next wait (as loopback delivers at the next poll): streams then follow CPython's
     * loopback schedule exactly (tests/scripts/test_sim_net_streams.sh). */
    double latency;          /* one way, seconds (default 0) */
    double bandwidth;        /* bytes per second, 0: unlimited (default) */
    size_t send_buffer;      /* bytes a socket buffers for sending (default 65536) */
    size_t recv_buffer;      /* bytes a socket buffers unread; the window (default 65536) */
    /* Seeded faults (AW_RNG_NET_LATENCY, AW_RNG_NET_FAULT streams of the loop's seed): */
    double jitter;           /* ± this fraction of the latency, per packet (0..1, default 0) */
    double jitter_s;         /* and ± this many seconds (default 0) */
    double refused;          /* probability that a connection to a listener is refused */
    double reset;            /* probability that a connection is reset mid-stream */
    double drop;             /* probability that a connection silently drops mid-stream */
    double stall;            /* probability that a receiver stops reading mid-stream */
    size_t fault_bytes;      /* mid-stream: at a byte offset drawn in [0, fault_bytes) of one
                                direction (default 65536) */
    const aw_sim_net_link *links; /* per-host overrides (copied when a backend is made) */
    size_t n_links;
} aw_sim_net_options;

void aw_sim_net_options_init(aw_sim_net_options *o);
/* NULL when o is valid, else why not (a static string). */
const char *aw_sim_net_options_check(const aw_sim_net_options *o);
/* The process's defaults, for the simulated clocks made from now on (set them before making
 * loops; `links` must outlive that).  false (nothing changed) when o is not valid. */
bool aw_sim_net_set_defaults(const aw_sim_net_options *o);
void aw_sim_net_get_defaults(aw_sim_net_options *o);
/* A simulated clock with its own network (for aw_loop_options.backend; pass the loop's seed).
 * NULL: invalid options (errno EINVAL) or no memory. */
aw_backend *aw_sim_backend_new(int64_t wall_start_ns, uint64_t seed, const aw_sim_net_options *net);
/* AWAITLAB_NET_FAULTS's syntax: "KIND:VALUE,..." with KIND refused, reset, drop, stall
 * (probabilities), jitter (fraction of latency), jitter_s (seconds), bytes (fault_bytes).
 * Sets those fields of o; false with a message in err on a bad list. */
bool aw_sim_net_parse_faults(const char *text, aw_sim_net_options *o, char *err, size_t errlen);

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
