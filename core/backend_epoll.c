/* backend_epoll.c — the real world: CLOCK_MONOTONIC for time, epoll for descriptors, and an
 * eventfd that other threads write to wake the loop (CPython's self-pipe). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "aw_backend.h"

typedef struct epoll_state {
    int epfd;
    int n_watched;   /* the program's descriptors (the wake-up eventfd is not one of them) */
    int wakefd;      /* in epfd's set from the start, as CPython registers its self-pipe */
} epoll_state;

/* Called from any thread.  An eventfd is a counter: many wake-ups before the loop looks are one
 * readable state, and a write never blocks in practice (it would take 2^64-1 of them). */
static void epoll_wakeup(aw_backend *b)
{
    epoll_state *st = b->state;
    uint64_t one = 1;
    while (write(st->wakefd, &one, sizeof one) < 0 && errno == EINTR) {}
}

static void drain_wakeups(epoll_state *st)
{
    uint64_t n;
    while (read(st->wakefd, &n, sizeof n) < 0 && errno == EINTR) {}
}

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Seconds as CPython's time.monotonic() and time.time() give them: the clock's nanoseconds
 * divided by 1e9 in one correctly rounded division (_PyTime_AsSecondsDouble). */
static double seconds_of(int64_t ns) { return (double)ns / 1e9; }

static double epoll_time(aw_backend *b) { (void)b; return seconds_of(clock_ns(CLOCK_MONOTONIC)); }
static double epoll_wall(aw_backend *b) { (void)b; return seconds_of(clock_ns(CLOCK_REALTIME)); }
static int64_t epoll_wall_start_ns(aw_backend *b)
{
    (void)b;
    return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
}

static __attribute__((noinline)) int wait_events(aw_backend *b, double timeout, aw_ready_fn ready, void *ctx)
{
    epoll_state *st = b->state;
    /* a timeout in whole ns, rounded up (a timer is never woken for early); < 0: forever.
     * (No ceil(): core links libc alone.) */
    int64_t timeout_ns = -1;
    if (timeout >= 0) {
        double ns = timeout * 1e9;
        timeout_ns = ns > 9e18 ? 9000000000000000000LL : (int64_t)ns;
        if ((double)timeout_ns < ns) timeout_ns++;
    }
    if (st->n_watched == 0) {
        /* No descriptor of the program's: wait on the wake-up alone, with ppoll's nanosecond
         * timeout (epoll_wait's milliseconds would make every timer up to 1 ms late).  A wake-up
         * ends the wait early; -1 waits for one (executor jobs are in flight: core/loop.c). */
        if (timeout_ns == 0) return 0;
        struct pollfd p = {.fd = st->wakefd, .events = POLLIN};
        struct timespec ts = {timeout_ns / 1000000000LL, timeout_ns % 1000000000LL};
        int n = ppoll(&p, 1, timeout_ns < 0 ? NULL : &ts, NULL);
        if (n > 0) drain_wakeups(st);
        return n < 0 && errno != EINTR ? -1 : 0;
    }
    /* Round up as CPython's selector does, so a timer is never woken for early. */
    int ms = timeout_ns < 0 ? -1 : (int)((timeout_ns + 999999) / 1000000);
    struct epoll_event evs[64];
    int n = epoll_wait(st->epfd, evs, 64, ms);
    if (n < 0) return errno == EINTR ? 0 : -1;
    for (int i = 0; i < n; i++) {
        if (evs[i].data.fd == st->wakefd) { /* only ends the wait: the loop looks at its queue */
            drain_wakeups(st);
            continue;
        }
        int e = 0;
        if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) e |= AW_READABLE;
        if (evs[i].events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) e |= AW_WRITABLE;
        ready(ctx, evs[i].data.fd, e);
    }
    return 0;
}

/* A poll with nothing watched has nothing to report (as wait_events would find), said before
 * wait_events sets up its frame: the loop polls at every iteration that has callbacks ready. */
static int epoll_wait_events(aw_backend *b, double timeout, aw_ready_fn ready, void *ctx)
{
    epoll_state *st = b->state;
    if (timeout == 0 && st->n_watched == 0) return 0;
    return wait_events(b, timeout, ready, ctx);
}

static int epoll_watch(aw_backend *b, int fd, int events)
{
    epoll_state *st = b->state;
    struct epoll_event ev = {0};
    ev.data.fd = fd;
    ev.events = ((events & AW_READABLE) ? EPOLLIN : 0) | ((events & AW_WRITABLE) ? EPOLLOUT : 0);
    if (!events) {
        if (epoll_ctl(st->epfd, EPOLL_CTL_DEL, fd, NULL) == 0) st->n_watched--;
        return 0;
    }
    if (epoll_ctl(st->epfd, EPOLL_CTL_MOD, fd, &ev) == 0) return 0;
    if (errno != ENOENT) return -1;
    if (epoll_ctl(st->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) return -1;
    st->n_watched++;
    return 0;
}

/* Real CPU-bound work: spin until the time has passed. */
static void epoll_busy(aw_backend *b, double seconds)
{
    (void)b;
    int64_t end = clock_ns(CLOCK_MONOTONIC) + (int64_t)(seconds * 1e9);
    while (clock_ns(CLOCK_MONOTONIC) < end) {}
}

static void epoll_free(aw_backend *b)
{
    epoll_state *st = b->state;
    close(st->epfd);
    close(st->wakefd);
    free(st);
    free(b);
}

aw_backend *aw_backend_epoll_new(void)
{
    aw_backend *b = calloc(1, sizeof *b);
    epoll_state *st = calloc(1, sizeof *st);
    if (st) st->epfd = st->wakefd = -1;
    if (!b || !st) goto fail;
    st->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (st->epfd < 0) goto fail;
    st->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (st->wakefd < 0) goto fail;
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = st->wakefd};
    if (epoll_ctl(st->epfd, EPOLL_CTL_ADD, st->wakefd, &ev) != 0) goto fail;
    b->name = "epoll";
    b->is_virtual = false;
    b->clock_resolution = 1e-9;
    b->time = epoll_time;
    b->wall = epoll_wall;
    b->wall_start_ns = epoll_wall_start_ns;
    b->wait = epoll_wait_events;
    b->watch = epoll_watch;
    b->busy = epoll_busy;
    b->wakeup = epoll_wakeup;
    b->free = epoll_free;
    b->sockets = &aw__tcp_socket_ops;   /* sockets_tcp.c */
    b->state = st;
    return b;
fail:;
    int err = errno; /* the caller reports it (OSError) */
    if (st && st->epfd >= 0) close(st->epfd);
    if (st && st->wakefd >= 0) close(st->wakefd);
    free(st);
    free(b);
    errno = err;
    return NULL;
}
