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
#include <stddef.h>
#include <stdint.h>

#include "awaitlab.h"

enum { AW_READABLE = 1, AW_WRITABLE = 2 };

struct aw_event; /* aw_tracer.h */

typedef void (*aw_ready_fn)(void *ctx, int fd, int events);

struct aw_backend {
    const char *name;          /* "epoll", "sim" */
    bool is_virtual;           /* time only moves when the backend says so */
    /* Time is CPython's: IEEE doubles in seconds (design.md, Semantics).  A virtual clock moves
     * by float additions only (now = now + timeout, now = now + busy), as CPython's time() on a
     * virtual selector does, so both compute the same bits. */
    double clock_resolution;                 /* loop._clock_resolution (1e-9 s) */
    double (*time)(aw_backend *b);           /* monotonic seconds: loop.time() */
    double (*wall)(aw_backend *b);           /* Unix epoch seconds: time.time() */
    int64_t (*wall_start_ns)(aw_backend *b); /* the wall clock at loop time 0 (trace headers) */
    /* Waits up to `timeout` seconds (< 0: forever, 0: just poll) and reports ready
     * descriptors.  Returns 0, or -1 with errno (EDEADLK: a virtual backend asked to wait
     * forever with nothing that could ever happen). */
    int (*wait)(aw_backend *b, double timeout, aw_ready_fn ready, void *ctx);
    /* Sets the events wanted on fd (0 removes it). */
    int (*watch)(aw_backend *b, int fd, int events);
    /* CPU-bound work holding the loop for `seconds`. */
    void (*busy)(aw_backend *b, double seconds);
    /* Callable from any thread: makes a wait in progress return at once (or the next one, if
     * none is in progress), as CPython's self-pipe does (loop._write_to_self).  NULL for a
     * backend that never blocks (a virtual clock): core/threadsafe.c then has nothing to wake. */
    void (*wakeup)(aw_backend *b);
    void (*free)(aw_backend *b);
    /* The seed's choices: the next number, uniform in [0, 1), of the seeded stream of one kind of
     * variation (AW_VARY_CPU, _EXECUTOR, _TIMER: aw_tracer.h).  Core decides what a number means
     * (core/vary.c) and traces it; the backend only keeps the streams.  NULL: a backend that
     * varies nothing (the real clock), and core asks nothing. */
    double (*draw)(aw_backend *b, int variation);
    /* The network: NULL where the backend has none. */
    const struct aw_socket_ops *sockets;
    void *state;
    /* Set by the loop that owns the backend: the backend's own events (the simulated network's
     * `net` events, and its clock jumps to them) join the loop's trace through it, with the
     * loop's iteration and time.  The backend calls it only when it is set. */
    void (*trace)(void *ctx, struct aw_event *ev);
    void *trace_ctx;
};

/* Sockets: the few system calls a stream needs, behind the backend, so that core's transport (a
 * port of CPython's selector transports, the code that calls these on readiness) is one code over
 * both networks.  The real backend makes the calls on non-blocking TCP sockets (loopback); the
 * simulated one (sim/net_sim.c) keeps simulated descriptors on a simulated network, made ready by
 * its wait() on the virtual clock, so watch()/wait() and the loop's readers and writers work on
 * them unchanged.  Each returns what the system call returns: -1 with errno (EAGAIN, EINPROGRESS,
 * ECONNREFUSED, ECONNRESET, EPIPE, ENOTCONN, EADDRINUSE, ...). */
typedef struct aw_socket_ops {
    /* A new non-blocking descriptor connecting to host:port.  Returns the descriptor; the
     * connection completes when it turns writable, so_error() then says how (0 or ECONNREFUSED,
     * ...).  A connection may also complete (or fail) at once; so_error() says so either way. */
    int (*connect)(aw_backend *b, const char *host, int port);
    /* A listening descriptor on host:port (port 0: any free port, written to *bound_port). */
    int (*listen)(aw_backend *b, const char *host, int port, int backlog, int *bound_port);
    /* The next connection waiting on a listening descriptor (readable when one waits), -1 EAGAIN. */
    int (*accept)(aw_backend *b, int listen_fd);
    /* send(2) / recv(2), non-blocking: -1 EAGAIN when the buffer is full / empty; recv 0: EOF. */
    long (*send)(aw_backend *b, int fd, const void *buf, size_t n);
    long (*recv)(aw_backend *b, int fd, void *buf, size_t n);
    /* getsockopt(SO_ERROR): the pending error, cleared by reading it. */
    int (*so_error)(aw_backend *b, int fd);
    /* shutdown(SHUT_WR): the peer reads EOF after what was sent. */
    int (*shutdown_write)(aw_backend *b, int fd);
    /* close(2); abort: SO_LINGER 0 first, so the peer sees a reset, not an EOF. */
    int (*close)(aw_backend *b, int fd, bool abort);
    /* getsockname / getpeername as a host and a port (the host string lives as long as fd). */
    int (*sockname)(aw_backend *b, int fd, const char **host, int *port);
    int (*peername)(aw_backend *b, int fd, const char **host, int *port);
} aw_socket_ops;

aw_backend *aw_backend_epoll_new(void);
/* The epoll backend's network: non-blocking TCP (core/sockets_tcp.c). */
extern const aw_socket_ops aw__tcp_socket_ops;
/* Implemented in sim/ (backend_sim.c); core calls it through this pointer so that core does
 * not depend on sim: aw_sim_install() sets it (sim/awaitlab_sim.h), NULL without the sim library. */
extern aw_backend *(*aw_backend_sim_factory)(int64_t wall_start_ns, uint64_t seed);

/* sim/ applies the environment (AWAITLAB_TRACE, AWAITLAB_CLOCK, ...) through this hook, called
 * by aw_loop_options_init() after the defaults. */
typedef void (*aw_options_hook)(aw_loop_options *opts);
void aw_set_options_hook(aw_options_hook hook);

#endif /* AW_BACKEND_H */
