/* aw_backend.h — where time and I/O come from: one small interface, two implementations.
 *
 * core/backend_epoll.c: CLOCK_MONOTONIC + epoll (the real world).
 * sim/backend_sim.c:    a virtual clock that jumps to the next deadline instead of sleeping.
 *
 * Like Redis's ae_epoll.c, a backend is a fixed set of functions over private state.
 */
#ifndef AW_BACKEND_H
#define AW_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "awaitlab.h"

enum { AW_READABLE = 1, AW_WRITABLE = 2 };

typedef void (*aw_ready_fn)(void *ctx, int fd, int events);

struct aw_backend {
    const char *name;          /* "epoll", "sim" */
    bool is_virtual;           /* time only moves when the backend says so */
    int64_t clock_resolution_ns;
    int64_t (*now_ns)(aw_backend *b);        /* monotonic, loop.time() */
    int64_t (*wall_ns)(aw_backend *b);       /* Unix epoch, time.time() */
    /* Waits up to timeout_ns (-1: forever, 0: just poll) and reports ready descriptors.
     * Returns 0, or -1 with errno (EDEADLK: a virtual backend asked to wait forever with
     * nothing that could ever happen). */
    int (*wait)(aw_backend *b, int64_t timeout_ns, aw_ready_fn ready, void *ctx);
    /* Sets the events wanted on fd (0 removes it). */
    int (*watch)(aw_backend *b, int fd, int events);
    /* CPU-bound work holding the loop for ns. */
    void (*busy)(aw_backend *b, int64_t ns);
    /* Callable from any thread: makes a wait in progress return at once (or the next one, if
     * none is in progress), as CPython's self-pipe does (loop._write_to_self).  NULL for a
     * backend that never blocks (a virtual clock): core/threadsafe.c then has nothing to wake. */
    void (*wakeup)(aw_backend *b);
    void (*free)(aw_backend *b);
    void *state;
};

aw_backend *aw_backend_epoll_new(void);
/* Implemented in sim/ (backend_sim.c); core calls it through this pointer so that core does
 * not depend on sim: aw_sim_install() sets it (sim/awaitlab_sim.h), NULL without the sim library. */
extern aw_backend *(*aw_backend_sim_factory)(int64_t wall_start_ns, uint64_t seed);

/* sim/ applies the environment (AWAITLAB_TRACE, AWAITLAB_CLOCK, ...) through this hook, called
 * by aw_loop_options_init() after the defaults. */
typedef void (*aw_options_hook)(aw_loop_options *opts);
void aw_set_options_hook(aw_options_hook hook);

#endif /* AW_BACKEND_H */
