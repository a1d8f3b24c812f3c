/* env.c — applies AWAITLAB_TRACE, AWAITLAB_CLOCK, AWAITLAB_SEED, the variations
 * (AWAITLAB_VARY_CPU, AWAITLAB_VARY_EXECUTOR, AWAITLAB_TIMER_JITTER) and AWAITLAB_TIME_LIMIT to
 * loop options, and the simulated network's AWAITLAB_NET_* to the network's defaults (the
 * simulated clocks made next).
 *
 * Core must not know sim, so core calls a hook from aw_loop_options_init() and a factory for the
 * simulated clock; aw_sim_install() sets both, and this file's constructor calls it.  In a static
 * archive an object is linked only when something references it, so the sim library's link line
 * (awaitlab-sim.pc, the Makefile's SIM_LINK) names aw_sim_install as undefined (-Wl,-u): every
 * program linked with the library then gets this object, its constructor, and through it the
 * simulated clock and the recorder, with no call in main().  Bad values end the program with a clear message and exit status 2: a typo in
 * AWAITLAB_CLOCK must not silently run on the wrong clock.
 *
 * AWAITLAB_TRACE=PATH: the first loop the process creates is traced to PATH, the n-th to
 * PATH.n (one file per loop: a trace has one header).  The file is opened when the loop starts
 * (tracer on_start), not when the options are filled, because options may be filled and never
 * used; the recorder is closed through on_close when the loop is freed.
 *
 * The simulated network (sim/awaitlab_sim.h, aw_sim_net_options), each variable changing only
 * what it names, from the defaults the program set:
 *   AWAITLAB_NET_LATENCY=SECONDS     one way (0.05)
 *   AWAITLAB_NET_BANDWIDTH=BYTES/S   0: unlimited
 *   AWAITLAB_NET_BUFFER=BYTES        each socket's send and receive buffers
 *   AWAITLAB_NET_FAULTS=LIST         "reset:0.1,refused:0.2,drop:0.05,stall:0.05,jitter:0.5,
 *                                    jitter_s:0.001,bytes:65536" (aw_sim_net_parse_faults)
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/aw_backend.h"
#include "awaitlab_sim.h"
#include "sim_internal.h"
#include "decimal.h"
#include "recorder.h"

/* One per aw_loop_options_init() call that set the tracer: the options' tracer_ud. */
typedef struct env_trace {
    aw_recorder *rec;        /* NULL until the loop starts, and again after it closed */
    bool started;
    struct env_trace *next;  /* all slots, so the unused ones are freed at exit */
} env_trace;

static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;
static env_trace *env_slots;
static unsigned env_loops_traced;

static void unlink_slot(env_trace *s)
{
    for (env_trace **p = &env_slots; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            return;
        }
}

static void env_on_start(void *ud, const char *program, const char *clock, uint64_t seed,
                         int64_t wall_start_ns)
{
    env_trace *s = ud;
    const char *path = getenv("AWAITLAB_TRACE");
    if (s->started || !path || !*path) return; /* env changed under us: nothing sensible to do */
    pthread_mutex_lock(&env_lock);
    unsigned n = ++env_loops_traced;
    s->started = true;
    pthread_mutex_unlock(&env_lock);

    char err[512];
    char *numbered = NULL;
    if (n > 1) {
        size_t len = strlen(path) + 16;
        numbered = malloc(len);
        if (numbered) snprintf(numbered, len, "%s.%u", path, n);
    }
    s->rec = aw_recorder_open(numbered ? numbered : path, err, sizeof err);
    free(numbered);
    if (!s->rec) {
        fprintf(stderr, "awaitlab: AWAITLAB_TRACE: %s\n", err);
        exit(2);
    }
    aw_recorder_tracer()->on_start(s->rec, program, clock, seed, wall_start_ns);
}

static void env_on_event(void *ud, const aw_event *ev)
{
    env_trace *s = ud;
    if (s->rec) aw_recorder_tracer()->on_event(s->rec, ev);
}

static void env_on_close(void *ud)
{
    env_trace *s = ud;
    if (s->rec) aw_recorder_tracer()->on_close(s->rec); /* closes and frees the recorder */
    pthread_mutex_lock(&env_lock);
    unlink_slot(s);
    pthread_mutex_unlock(&env_lock);
    free(s);
}

static const aw_tracer env_tracer = {env_on_start, env_on_event, env_on_close};

static void bad_env(const char *var, const char *value, const char *expected)
{
    fprintf(stderr, "awaitlab: %s='%s': %s\n", var, value, expected);
    exit(2);
}

static void apply_trace(aw_loop_options *opts)
{
    env_trace *s = calloc(1, sizeof *s);
    if (!s) {
        fprintf(stderr, "awaitlab: AWAITLAB_TRACE: out of memory\n");
        exit(2);
    }
    pthread_mutex_lock(&env_lock);
    s->next = env_slots;
    env_slots = s;
    pthread_mutex_unlock(&env_lock);
    opts->tracer = &env_tracer;
    opts->tracer_ud = s;
}

/* A number of seconds or a fraction, in [lo, hi]: plain decimal (strtod's hex and inf refused). */
static double env_number(const char *var, double lo, double hi, const char *expected)
{
    const char *v = getenv(var);
    if (!v || !*v) return -1;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    bool plain = strspn(v, "0123456789.eE+-") == strlen(v);
    if (!plain || *end || errno || !(x >= lo && x <= hi)) bad_env(var, v, expected);
    return x;
}

/* What the seed varies, and the time limit (aw_variations, awaitlab.h): each variable, when set,
 * replaces the default 0. */
static void apply_variations(aw_loop_options *opts)
{
    double x;
    if ((x = env_number("AWAITLAB_VARY_CPU", 0, 1, "expected a fraction between 0 and 1")) >= 0) opts->vary.cpu = x;
    if ((x = env_number("AWAITLAB_VARY_EXECUTOR", 0, 1, "expected a fraction between 0 and 1")) >= 0)
        opts->vary.executor = x;
    if ((x = env_number("AWAITLAB_TIMER_JITTER", 0, 1e9, "expected seconds >= 0")) >= 0) opts->vary.timer = x;
    if ((x = env_number("AWAITLAB_TIME_LIMIT", 0, 1e18, "expected seconds >= 0 (0: no limit)")) >= 0)
        opts->time_limit = x;
}

static void apply_net_env(void)
{
    const char *faults = getenv("AWAITLAB_NET_FAULTS");
    double lat = env_number("AWAITLAB_NET_LATENCY", 0, 86400, "expected seconds, 0 to 86400");
    double bw = env_number("AWAITLAB_NET_BANDWIDTH", 0, 1e15, "expected bytes per second >= 0 (0: unlimited)");
    double buf = env_number("AWAITLAB_NET_BUFFER", 1, 1073741824, "expected bytes, 1 to 1073741824");
    if (lat < 0 && bw < 0 && buf < 0 && !(faults && *faults)) return;
    aw_sim_net_options o;
    aw_sim_net_get_defaults(&o);
    if (lat >= 0) o.latency = lat;
    if (bw >= 0) o.bandwidth = bw;
    if (buf >= 0) {
        if (buf != floor(buf)) bad_env("AWAITLAB_NET_BUFFER", getenv("AWAITLAB_NET_BUFFER"), "expected bytes, 1 to 1073741824");
        o.send_buffer = o.recv_buffer = (size_t)buf;
    }
    char err[256];
    if (faults && *faults && !aw_sim_net_parse_faults(faults, &o, err, sizeof err)) bad_env("AWAITLAB_NET_FAULTS", faults, err);
    if (!aw_sim_net_set_defaults(&o)) bad_env("AWAITLAB_NET_*", "", aw_sim_net_options_check(&o));
}

static void apply_env(aw_loop_options *opts)
{
    apply_net_env();
    const char *v = getenv("AWAITLAB_CLOCK");
    if (v && *v) {
        if (strcmp(v, "sim") == 0) opts->clock = AW_CLOCK_SIM;
        else if (strcmp(v, "real") == 0) opts->clock = AW_CLOCK_REAL;
        else bad_env("AWAITLAB_CLOCK", v, "expected 'sim' or 'real'");
    }
    v = getenv("AWAITLAB_SEED");
    if (v && *v) {
        if (!aw_parse_u64(v, &opts->seed)) bad_env("AWAITLAB_SEED", v, "expected " AW_U64_EXPECTED);
    }
    apply_variations(opts);
    v = getenv("AWAITLAB_TRACE");
    if (v && *v) apply_trace(opts);
}

/* A trace that lost events must not end in exit status 0: a script would take the run, and its
 * trace, for good.  The recorder counts failures; at exit (registered first, so it runs after
 * the program's own atexit handlers) the status becomes AW_EXIT_TRACE_LOST.  Standard streams
 * are flushed first, since _exit skips that. */
static void exit_if_trace_lost(void)
{
    if (!aw_recorder_failures()) return;
    fflush(NULL);
    fprintf(stderr, "awaitlab: the trace is incomplete (a write failed); exit status %d\n", AW_EXIT_TRACE_LOST);
    _exit(AW_EXIT_TRACE_LOST);
}

/* A run stopped at its time limit did not end by itself: whatever main() returned, the exit
 * status says so.  Registered after exit_if_trace_lost, so it runs first (atexit runs in reverse);
 * a trace that also lost events keeps that status, the graver of the two. */
static void exit_if_time_limit(void)
{
    if (!aw_time_limit_reached()) return;
    fflush(NULL);
    fprintf(stderr, "awaitlab: stopped at the virtual time limit; exit status %d\n", AW_EXIT_TIME_LIMIT);
    _exit(aw_recorder_failures() ? AW_EXIT_TRACE_LOST : AW_EXIT_TIME_LIMIT);
}

void aw_sim_install(void)
{
    static bool installed;
    if (installed) return;
    installed = true;
    aw_backend_sim_factory = aw__sim_backend_new;
    aw_set_options_hook(apply_env);
    atexit(exit_if_trace_lost);
    atexit(exit_if_time_limit);
}

__attribute__((constructor)) static void aw__sim_env_install(void) { aw_sim_install(); }

/* Frees the slots of options that never made a loop.  Slots of loops still alive are left
 * alone (reachable): something running after us at exit may still report to them. */
__attribute__((destructor)) static void aw__sim_env_cleanup(void)
{
    pthread_mutex_lock(&env_lock);
    for (env_trace **p = &env_slots; *p;) {
        env_trace *s = *p;
        if (!s->started) {
            *p = s->next;
            free(s);
        } else {
            p = &s->next;
        }
    }
    pthread_mutex_unlock(&env_lock);
}
