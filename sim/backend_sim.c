/* backend_sim.c — the simulated clock: time jumps to the next deadline instead of passing.
 *
 * It never sleeps and never reads the wall clock: the wall time is the configured start plus the
 * virtual time elapsed, so a run is the same on every machine.  It has no descriptors yet; asking
 * it to wait forever is a deadlock, reported by the loop. */
#include <errno.h>
#include <stdlib.h>

#include "../core/aw_backend.h"
#include "sim_internal.h"

typedef struct sim_state {
    int64_t now_ns;
    int64_t wall_start_ns;
    uint64_t seed;
} sim_state;

static int64_t sim_now(aw_backend *b) { return ((sim_state *)b->state)->now_ns; }

static int64_t sim_wall(aw_backend *b)
{
    sim_state *st = b->state;
    return st->wall_start_ns + st->now_ns;
}

static int sim_wait(aw_backend *b, int64_t timeout_ns, aw_ready_fn ready, void *ctx)
{
    (void)ready;
    (void)ctx;
    sim_state *st = b->state;
    if (timeout_ns < 0) {
        errno = EDEADLK;
        return -1;
    }
    st->now_ns += timeout_ns;
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

static void sim_busy(aw_backend *b, int64_t ns) { ((sim_state *)b->state)->now_ns += ns; }

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
    st->seed = seed;
    b->name = "sim";
    b->is_virtual = true;
    b->clock_resolution_ns = 1;
    b->now_ns = sim_now;
    b->wall_ns = sim_wall;
    b->wait = sim_wait;
    b->watch = sim_watch;
    b->busy = sim_busy;
    b->free = sim_free;
    b->state = st;
    return b;
}
