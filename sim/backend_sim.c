/* backend_sim.c — the simulated clock: time jumps to the next deadline instead of passing.
 *
 * It never sleeps and never reads the wall clock: the wall time is the configured start plus the
 * virtual time elapsed, so a run is the same on every machine.  It has no descriptors yet; asking
 * it to wait forever is a deadlock, reported by the loop.
 *
 * Time is a double in seconds, moved only by float additions: CPython's virtual-clock loop (the
 * oracle, sim/python/awaitlab_record/vloop.py) does the same operations in the same order, so
 * both clocks hold the same bits (design.md, Semantics; core/loop-iteration.md).
 *   wait(timeout):  now = now + timeout     (the selector "waits" timeout = when - now)
 *   busy(d):        now = now + d
 *   time.time():    wall_start + now        (wall_start = wall_start_ns / 1e9, a double) */
#include <errno.h>
#include <stdlib.h>

#include "../core/aw_backend.h"
#include "../core/aw_tracer.h"
#include "rng.h"
#include "sim_internal.h"

typedef struct sim_state {
    double now;
    int64_t wall_start_ns;
    double wall_start;
    uint64_t seed;
    aw_rng cpu, executor, timer; /* the seed's choices, one stream per kind (rng.h) */
} sim_state;

static double sim_time(aw_backend *b) { return ((sim_state *)b->state)->now; }

static double sim_wall(aw_backend *b)
{
    sim_state *st = b->state;
    return st->wall_start + st->now;
}

static int64_t sim_wall_start_ns(aw_backend *b) { return ((sim_state *)b->state)->wall_start_ns; }

static int sim_wait(aw_backend *b, double timeout, aw_ready_fn ready, void *ctx)
{
    (void)ready;
    (void)ctx;
    sim_state *st = b->state;
    if (timeout < 0) {
        errno = EDEADLK;
        return -1;
    }
    if (timeout > 0) st->now = st->now + timeout;
    return 0;
}

static int sim_watch(aw_backend *b, int fd, int events)
{
    (void)b;
    (void)fd;
    if (!events) return 0;
    errno = ENOTSUP; /* simulated descriptors are not implemented */
    return -1;
}

static void sim_busy(aw_backend *b, double seconds)
{
    sim_state *st = b->state;
    st->now = st->now + seconds;
}

/* Core asks, core traces (core/vary.c); each kind of variation has its stream of the seed. */
static double sim_draw(aw_backend *b, int variation)
{
    sim_state *st = b->state;
    aw_rng *r = variation == AW_VARY_CPU ? &st->cpu : variation == AW_VARY_EXECUTOR ? &st->executor : &st->timer;
    return aw_rng_unit(r);
}

static void sim_free(aw_backend *b)
{
    free(b->state);
    free(b);
}

aw_backend *aw__sim_backend_new(int64_t wall_start_ns, uint64_t seed)
{
    aw_backend *b = calloc(1, sizeof *b);
    sim_state *st = calloc(1, sizeof *st);
    if (!b || !st) {
        free(b);
        free(st);
        return NULL;
    }
    st->wall_start_ns = wall_start_ns;
    st->wall_start = (double)wall_start_ns / 1e9;
    st->seed = seed;
    aw_rng_init(&st->cpu, seed, AW_RNG_CPU);
    aw_rng_init(&st->executor, seed, AW_RNG_EXECUTOR);
    aw_rng_init(&st->timer, seed, AW_RNG_TIMER);
    b->name = "sim";
    b->is_virtual = true;
    b->clock_resolution = 1e-9; /* CPython's on Linux: time.get_clock_info('monotonic') */
    b->time = sim_time;
    b->wall = sim_wall;
    b->wall_start_ns = sim_wall_start_ns;
    b->wait = sim_wait;
    b->watch = sim_watch;
    b->busy = sim_busy;
    b->free = sim_free;
    b->draw = sim_draw;
    b->state = st;
    return b;
}
