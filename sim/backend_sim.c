/* backend_sim.c — the simulated clock: time jumps to the next deadline instead of passing.
 *
 * It never sleeps and never reads the wall clock: the wall time is the configured start plus the
 * virtual time elapsed, so a run is the same on every machine.  Its descriptors are the simulated
 * network's (net_sim.c): wait() fires the packets due, reports ready descriptors as epoll would,
 * and jumps to the next packet when it comes before the timeout.  Asking it to wait forever with
 * no packet in flight is a deadlock (EDEADLK), reported by the loop.
 *
 * Time is a double in seconds, moved only by float additions: CPython's virtual-clock loop (the
 * oracle, sim/python/awaitlab_record/vloop.py) does the same operations in the same order, so
 * both clocks hold the same bits (design.md, Semantics; core/loop-iteration.md).
 *   wait(timeout):  now = now + timeout     (the selector "waits" timeout = when - now)
 *   busy(d):        now = now + d
 *   time.time():    wall_start + now        (wall_start = wall_start_ns / 1e9, a double)
 * A network packet due before the timeout moves the clock to its arrival time instead (as a
 * real clock reads when a real packet wakes the selector); a program without network traffic
 * never sees that. */
#include <errno.h>
#include <stdlib.h>

#include "../core/aw_backend.h"
#include "net_sim.h"
#include "../core/aw_tracer.h"
#include "rng.h"
#include "sim_internal.h"

typedef struct sim_state {
    double now;
    int64_t wall_start_ns;
    double wall_start;
    uint64_t seed;
    aw__net *net;
    aw_rng cpu, executor, timer; /* the seed's choices, one stream per kind (rng.h) */
} sim_state;

aw__net *aw__sim_net(aw_backend *b) { return ((sim_state *)b->state)->net; }

static double sim_time(aw_backend *b) { return ((sim_state *)b->state)->now; }

static double sim_wall(aw_backend *b)
{
    sim_state *st = b->state;
    return st->wall_start + st->now;
}

static int64_t sim_wall_start_ns(aw_backend *b) { return ((sim_state *)b->state)->wall_start_ns; }

static int sim_wait(aw_backend *b, double timeout, aw_ready_fn ready, void *ctx)
{
    sim_state *st = b->state;
    double start = st->now;
    double target = timeout > 0 ? start + timeout : start;
    for (;;) {
        aw__net_run_due(st->net);
        if (aw__net_report(st->net, ready, ctx)) { /* epoll returns at once */
            aw__net_wait_over(st->net);
            return 0;
        }
        double t;
        if (!aw__net_next(st->net, &t) || (timeout >= 0 && t > target)) break;
        if (t > st->now) {
            aw__net_clock_moved(st->net, st->now);
            st->now = t;
        }
    }
    aw__net_wait_over(st->net);
    if (timeout < 0) {
        errno = EDEADLK;
        return -1;
    }
    /* The float rule: now = now + timeout, from the clock the loop computed the timeout with. */
    if (timeout > 0) st->now = start + timeout;
    return 0;
}

static int sim_watch(aw_backend *b, int fd, int events)
{
    if (aw__net_is_fd(fd)) return aw__net_watch(aw__sim_net(b), fd, events);
    if (!events) return 0;
    errno = ENOTSUP; /* a real descriptor has no place on a simulated clock */
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
    aw__net_free(((sim_state *)b->state)->net);
    free(b->state);
    free(b);
}

aw_backend *aw__sim_backend_new(int64_t wall_start_ns, uint64_t seed)
{
    aw_sim_net_options o;
    aw_sim_net_get_defaults(&o);
    return aw_sim_backend_new(wall_start_ns, seed, &o);
}

aw_backend *aw_sim_backend_new(int64_t wall_start_ns, uint64_t seed, const aw_sim_net_options *net)
{
    if (aw_sim_net_options_check(net)) {
        errno = EINVAL;
        return NULL;
    }
    aw_backend *b = calloc(1, sizeof *b);
    sim_state *st = calloc(1, sizeof *st);
    if (b && st) st->net = aw__net_new(b, seed, net);
    if (!b || !st || !st->net) {
        free(b);
        free(st);
        errno = ENOMEM;
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
    b->sockets = &aw__net_socket_ops;
    b->draw = sim_draw;
    b->state = st;
    return b;
}
