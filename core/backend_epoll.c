/* backend_epoll.c — the real world: CLOCK_MONOTONIC for time, epoll for descriptors. */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "aw_backend.h"

typedef struct epoll_state {
    int epfd;
    int n_watched;
} epoll_state;

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

static int epoll_wait_events(aw_backend *b, double timeout, aw_ready_fn ready, void *ctx)
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
        /* Nothing to watch: just let the time pass (epoll_wait would do the same, slower). */
        if (timeout_ns > 0) {
            struct timespec ts = {timeout_ns / 1000000000LL, timeout_ns % 1000000000LL};
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
        }
        return 0;
    }
    /* Round up as CPython's selector does, so a timer is never woken for early. */
    int ms = timeout_ns < 0 ? -1 : (int)((timeout_ns + 999999) / 1000000);
    struct epoll_event evs[64];
    int n = epoll_wait(st->epfd, evs, 64, ms);
    if (n < 0) return errno == EINTR ? 0 : -1;
    for (int i = 0; i < n; i++) {
        int e = 0;
        if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) e |= AW_READABLE;
        if (evs[i].events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) e |= AW_WRITABLE;
        ready(ctx, evs[i].data.fd, e);
    }
    return 0;
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
    free(st);
    free(b);
}

aw_backend *aw_backend_epoll_new(void)
{
    aw_backend *b = calloc(1, sizeof *b);
    epoll_state *st = calloc(1, sizeof *st);
    if (!b || !st) goto fail;
    st->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (st->epfd < 0) goto fail;
    b->name = "epoll";
    b->is_virtual = false;
    b->clock_resolution = 1e-9;
    b->time = epoll_time;
    b->wall = epoll_wall;
    b->wall_start_ns = epoll_wall_start_ns;
    b->wait = epoll_wait_events;
    b->watch = epoll_watch;
    b->busy = epoll_busy;
    b->free = epoll_free;
    b->state = st;
    return b;
fail:
    free(st);
    free(b);
    return NULL;
}
