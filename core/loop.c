/* loop.c — the event loop: ready queue, timers, one iteration, run/stop/close.
 *
 * One iteration mirrors CPython's BaseEventLoop._run_once (core/loop-iteration.md):
 *
 *   1. drop cancelled timers from the head of the heap
 *   2. timeout = 0 if anything is ready or we are stopping, else until the earliest timer,
 *      else forever
 *   3. wait for I/O (the backend; a virtual clock jumps instead of sleeping)
 *   4. move every timer whose deadline is before now + resolution to the ready queue
 *   5. run exactly the handles that were ready at this point; what they schedule waits for the
 *      next iteration
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "stream.h"
#include "task_step.h"
#include "threadsafe.h"

_Thread_local aw_loop *aw__loop_running;
#define running_loop aw__loop_running

void aw__set_running_loop(aw_loop *loop) { running_loop = loop; }
aw_loop *aw_current_loop(void) { return running_loop; }
aw_task *aw_current_task(void) { return running_loop ? running_loop->current_task : NULL; }

aw_backend *(*aw_backend_sim_factory)(int64_t wall_start_ns, uint64_t seed);

/* ---- options -------------------------------------------------------------------------------- */
static aw_options_hook options_hook;
void aw_set_options_hook(aw_options_hook hook) { options_hook = hook; }

#define MIN_STACK_SIZE ((size_t)16384)
#define MAX_STACK_SIZE ((size_t)1 << 30)

/* A bad AWAITLAB_STACK_SIZE is the caller's environment, not a reason to exit: ValueError in
 * flight, and a stack_size that aw_loop_new refuses, so that ignoring the status cannot run the
 * program with a value nobody asked for. */
aw_status aw_loop_options_init(aw_loop_options *opts)
{
    aw_status st = AW_OK;
    memset(opts, 0, sizeof *opts);
    opts->clock = AW_CLOCK_REAL;
    opts->stack_size = AW_DEFAULT_STACK_SIZE;
    const char *ss = getenv("AWAITLAB_STACK_SIZE");
    if (ss && *ss) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(ss, &end, 10);
        if (*end || errno || *ss == '-' || n < MIN_STACK_SIZE || n > MAX_STACK_SIZE) {
            st = aw__fail(AW_ValueError, "AWAITLAB_STACK_SIZE='%s': expected bytes between %zu and %zu", ss,
                          MIN_STACK_SIZE, MAX_STACK_SIZE);
            opts->stack_size = SIZE_MAX;
        } else {
            opts->stack_size = (size_t)n;
        }
    }
    if (options_hook) options_hook(opts);
    return st;
}

/* AUTO is decided when the loop is made, not in aw_loop_options_init: whole test suites that
 * fill their options by hand run in copied mode with AWAITLAB_STACKS=copied. */
static aw_status resolve_stacks_kind(aw_stacks_kind *kind)
{
    if (*kind == AW_STACKS_AUTO) {
        const char *env = getenv("AWAITLAB_STACKS");
        if (!env || !*env || !strcmp(env, "separate"))
            *kind = AW_STACKS_SEPARATE;
        else if (!strcmp(env, "copied"))
            *kind = AW_STACKS_COPIED;
        else
            return aw__fail(AW_ValueError, "AWAITLAB_STACKS='%s': expected 'separate' or 'copied'", env);
    }
    if (*kind != AW_STACKS_SEPARATE && *kind != AW_STACKS_COPIED)
        return aw__fail(AW_ValueError, "stacks=%d: expected AW_STACKS_AUTO, _SEPARATE or _COPIED", (int)*kind);
    return AW_OK;
}

/* ---- tracing and warnings ------------------------------------------------------------------- */
void aw__emit(aw_loop *loop, aw_event *ev)
{
    /* An event the program's code caused carries the statement its task is at. */
    aw_task *t = loop->current_task;
    if (!ev->file && t && t->site_file) {
        ev->file = t->site_file;
        ev->line = t->site_line;
    }
    if (!ev->via) ev->via = loop->via;
    ev->iteration = loop->iteration;
    ev->time = loop->backend->time(loop->backend);
    loop->opts.tracer->on_event(loop->opts.tracer_ud, ev);
}

void aw__site(const char *file, int line)
{
    aw_loop *loop = aw__running_loop();
    if (loop && loop->current_task) aw__task_site(loop->current_task, file, line);
}

static void warn_v(aw_loop *loop, const char *category, unsigned task, const char *file, int line, const char *fmt,
                   va_list ap)
{
    char text[2048];
    vsnprintf(text, sizeof text, fmt, ap);
    AW__TRACE(loop, .kind = AW_EV_WARNING, .task = task, .name = category, .text = text, .file = file, .line = line);
    if (loop->opts.warning)
        loop->opts.warning(loop, category, text, loop->opts.ud);
    else
        fprintf(stderr, "%s\n", text);
}

void aw__warn(aw_loop *loop, const char *category, unsigned task, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    warn_v(loop, category, task, NULL, 0, fmt, ap);
    va_end(ap);
}

void aw__warn_at(aw_loop *loop, const char *category, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    warn_v(loop, category, 0, file, line, fmt, ap);
    va_end(ap);
}

/* The backend's own events (aw_backend.trace). */
static void backend_trace(void *ctx, aw_event *ev)
{
    aw_loop *loop = ctx;
    if (!loop->opts.tracer) return;
    if (ev->kind == AW_EV_CLOCK_JUMP) loop->clock_traced = ev->tb;
    aw__emit(loop, ev);
}


/* ---- the loop's life ------------------------------------------------------------------------ */
/* Every NULL return leaves the reason in flight (aw_exc_current()). */
aw_loop *aw_loop_new(const aw_loop_options *opts)
{
    aw_loop_options o;
    if (opts)
        o = *opts;
    else if (aw_loop_options_init(&o) != AW_OK)
        return NULL; /* the environment's ValueError is in flight */
    if (!o.stack_size) o.stack_size = AW_DEFAULT_STACK_SIZE;
    if (o.stack_size < MIN_STACK_SIZE || o.stack_size > MAX_STACK_SIZE) {
        aw__fail(AW_ValueError, "stack_size=%zu: expected bytes between %zu and %zu", o.stack_size,
                 MIN_STACK_SIZE, MAX_STACK_SIZE);
        return NULL;
    }
    if (resolve_stacks_kind(&o.stacks) != AW_OK) return NULL;
    if (!aw_variations_valid(&o.vary, o.time_limit)) {
        aw__fail(AW_ValueError, "variations cpu=%g executor=%g timer=%g, time_limit=%g: expected cpu and "
                 "executor between 0 and 1, timer >= 0 s, time_limit >= 0 s",
                 o.vary.cpu, o.vary.executor, o.vary.timer, o.time_limit);
        return NULL;
    }
    if (!o.backend && o.clock == AW_CLOCK_SIM && !aw_backend_sim_factory) {
        aw__fail(AW_RuntimeError, "the simulated clock is not linked in (sim/backend_sim.c)");
        return NULL;
    }
    aw_loop *loop = calloc(1, sizeof *loop);
    if (!loop) abort();
    loop->opts = o;
    loop->ready_tail = &loop->ready_head;
    if (loop->opts.backend)
        loop->backend = loop->opts.backend;
    else if (loop->opts.clock == AW_CLOCK_SIM)
        loop->backend = aw_backend_sim_factory(loop->opts.sim_wall_start_ns, loop->opts.seed);
    else
        loop->backend = aw_backend_epoll_new();
    int err = errno;
    loop->stacks = loop->opts.stacks == AW_STACKS_COPIED ? aw__stack_pool_new_copied(loop->opts.stack_size)
                                                         : aw__stack_pool_new(loop->opts.stack_size);
    if (loop->backend) loop->threadsafe = aw__threadsafe_new(loop);
    if (!loop->backend || !loop->stacks || !loop->threadsafe) {
        if (!loop->backend) { /* epoll_create1 failed: OSError(errno, strerror), as CPython's selector */
            aw_value args[2] = {aw_int(err), {AW_STR, {.s = strerror(err)}}};
            aw__set_in_flight(aw_exc_new_args(AW_OSError, 2, args));
        } else if (!loop->stacks) {
            aw__fail(AW_MemoryError, "no memory for the loop's task stacks");
        } else {
            aw__fail(AW_MemoryError, "no memory for the loop's call_soon_threadsafe queue");
        }
        if (loop->threadsafe) aw__threadsafe_unref(loop->threadsafe);
        if (loop->backend) loop->backend->free(loop->backend);
        aw__stack_pool_free(loop->stacks);
        free(loop);
        return NULL;
    }
    loop->backend->trace = backend_trace;
    loop->backend->trace_ctx = loop;
    if (loop->opts.tracer && loop->opts.tracer->on_start)
        loop->opts.tracer->on_start(loop->opts.tracer_ud, loop->opts.program ? loop->opts.program : "",
                                    loop->backend->is_virtual ? "sim" : "real", loop->opts.seed,
                                    loop->backend->wall_start_ns(loop->backend));
    return loop;
}

bool aw_loop_is_running(const aw_loop *loop) { return loop->running; }
bool aw_loop_is_closed(const aw_loop *loop) { return loop->closed; }
aw_clock_kind aw_loop_clock(const aw_loop *loop) { return loop->backend->is_virtual ? AW_CLOCK_SIM : AW_CLOCK_REAL; }
uint64_t aw_loop_iteration(const aw_loop *loop) { return loop->iteration; }
const aw_loop_options *aw_loop_options_of(const aw_loop *loop) { return &loop->opts; }
double aw_loop_time(const aw_loop *loop) { return loop->backend->time(loop->backend); }
/* loop.time() rounded to the nearest ns (ties to even): what traces write in t_ns. */
int64_t aw_loop_time_ns(const aw_loop *loop) { return aw_trace_time_ns(aw_loop_time(loop)); }

double aw_time(void)
{
    double job_now;
    if (aw__job_time(&job_now)) return job_now; /* an executor job's own clock (simulated) */
    aw_loop *loop = running_loop;
    return loop ? aw_loop_time(loop) : 0.0;
}

aw_status aw_loop_close(aw_loop *loop)
{
    if (loop->running) return aw__fail(AW_RuntimeError, "Cannot close a running event loop");
    if (loop->closed) return AW_OK;
    /* Reports need the loop as "current" to find their sink. */
    aw_loop *prev = running_loop;
    running_loop = loop;
    for (aw_future *f = loop->all_futures; f; f = f->next_all) {
        if (!f->is_task) continue;
        aw_task *t = (aw_task *)f;
        if (f->state == AW__PENDING)
            aw__warn(loop, "task-destroyed-pending", f->id,
                     "Task was destroyed but it is pending!\ntask: <Task pending name='%s' coro=<%s()>>",
                     t->name, t->coro_name);
        else
            aw__task_report_unretrieved(t);
    }
    aw__coro_report_never_awaited(loop);
    /* executor.shutdown(wait=False); then other threads' calls are refused from now on. */
    aw__executor_close(loop);
    aw__threadsafe_close(loop);
    AW__TRACE(loop, .kind = AW_EV_LOOP_CLOSE);
    running_loop = prev;
    loop->closed = true;
    fflush(stdout);
    return AW_OK;
}

aw_status aw_loop_free(aw_loop *loop)
{
    if (!loop) return AW_OK;
    aw_status st = aw_loop_close(loop);
    if (st != AW_OK) return st; /* running: close()'s RuntimeError; nothing is freed */
    aw__resources_free(loop); /* streams: buffers, and sockets left open (stream.h) */
    /* Callbacks that will never run give back what they hold while everything they may point
     * to (a task's pending step lives in the task) is still there. */
    for (aw__ready_entry e = loop->ready_head; e; e = *aw__ready_link(e))
        if (aw__ready_task(e)) aw__task_drop_step(aw__ready_task(e));
    aw__handles_drop_unrun(loop);
    /* A pending task's fut_waiter may be freed before the task: drop those links first. */
    for (aw_future *f = loop->all_futures; f; f = f->next_all)
        if (f->is_task) ((aw_task *)f)->fut_waiter = NULL;
    while (loop->all_futures) aw__future_free(loop->all_futures);
    aw__handles_free(loop);
    aw__heap_free(&loop->timers);
    aw__stack_pool_free(loop->stacks);
    free(loop->io);
    for (size_t i = 0; i < loop->n_held_excs; i++) aw_exc_unref(loop->held_excs[i]);
    free(loop->held_excs);
    if (loop->opts.tracer && loop->opts.tracer->on_close) loop->opts.tracer->on_close(loop->opts.tracer_ud);
    aw__executor_free(loop);
    aw__threadsafe_unref(loop->threadsafe); /* worker threads still running may hold it */
    loop->backend->free(loop->backend);
    aw__arena_free(loop);
    free(loop);
    aw__recycled_trim();
    return AW_OK;
}

void aw__hold_exc(aw_loop *loop, aw_exc *e)
{
    if (loop->n_held_excs == loop->cap_held_excs) {
        size_t cap = loop->cap_held_excs ? loop->cap_held_excs * 2 : 16;
        aw_exc **v = realloc(loop->held_excs, cap * sizeof *v);
        if (!v) abort();
        loop->held_excs = v;
        loop->cap_held_excs = cap;
    }
    loop->held_excs[loop->n_held_excs++] = aw_exc_ref(e);
}

/* ---- descriptors ---------------------------------------------------------------------------- */
struct aw__io_watch {
    int fd;
    aw_callback reader, writer;
    void *reader_arg, *writer_arg;
    /* The handles the last readiness queued (held): removing or replacing the reader or writer
     * cancels its handle, as CPython's _remove_reader / _add_reader do, so that a callback
     * already in the ready queue does not run after its descriptor was given up (a transport
     * paused, a connect finished, a socket closed). */
    aw_handle *reader_h, *writer_h;
};

static void io_drop(aw_handle **h)
{
    if (!*h) return;
    aw_handle_cancel(*h); /* nothing, if it already ran */
    aw__handle_release(*h);
    *h = NULL;
}

static struct aw__io_watch *io_find(aw_loop *loop, int fd, bool create)
{
    for (size_t i = 0; i < loop->n_io; i++)
        if (loop->io[i].fd == fd) return &loop->io[i];
    if (!create) return NULL;
    struct aw__io_watch *io = realloc(loop->io, (loop->n_io + 1) * sizeof *io);
    if (!io) return NULL;
    loop->io = io;
    io[loop->n_io] = (struct aw__io_watch){.fd = fd};
    return &io[loop->n_io++];
}

static int io_update(aw_loop *loop, struct aw__io_watch *w)
{
    int events = (w->reader ? AW_READABLE : 0) | (w->writer ? AW_WRITABLE : 0);
    int rc = loop->backend->watch(loop->backend, w->fd, events);
    if (!events) *w = loop->io[--loop->n_io];
    return rc;
}

int aw_add_reader(aw_loop *loop, int fd, aw_callback cb, void *arg)
{
    if (aw__escapes_stack(arg, "a reader callback's argument")) return -1;
    struct aw__io_watch *w = io_find(loop, fd, true);
    if (!w) return -1;
    io_drop(&w->reader_h);
    w->reader = cb;
    w->reader_arg = arg;
    return io_update(loop, w);
}

int aw_add_writer(aw_loop *loop, int fd, aw_callback cb, void *arg)
{
    if (aw__escapes_stack(arg, "a writer callback's argument")) return -1;
    struct aw__io_watch *w = io_find(loop, fd, true);
    if (!w) return -1;
    io_drop(&w->writer_h);
    w->writer = cb;
    w->writer_arg = arg;
    return io_update(loop, w);
}

int aw_remove_reader(aw_loop *loop, int fd)
{
    struct aw__io_watch *w = io_find(loop, fd, false);
    if (!w || !w->reader) return 0;
    io_drop(&w->reader_h);
    w->reader = NULL;
    return io_update(loop, w) == 0 ? 1 : -1;
}

int aw_remove_writer(aw_loop *loop, int fd)
{
    struct aw__io_watch *w = io_find(loop, fd, false);
    if (!w || !w->writer) return 0;
    io_drop(&w->writer_h);
    w->writer = NULL;
    return io_update(loop, w) == 0 ? 1 : -1;
}

/* _process_events: a ready descriptor's callback joins the ready queue directly. */
static void on_io_ready(void *ctx, int fd, int events)
{
    aw_loop *loop = ctx;
    struct aw__io_watch *w = io_find(loop, fd, false);
    if (!w) return;
    AW__TRACE(loop, .kind = AW_EV_IO_READY, .a = fd, .reason = (events & AW_READABLE) != 0, .b = (events & AW_WRITABLE) != 0);
    if ((events & AW_READABLE) && w->reader) {
        if (w->reader_h) aw__handle_release(w->reader_h); /* the last one, which has run */
        w->reader_h = aw__call_soon_held(loop, w->reader, w->reader_arg, "reader", 0);
    }
    if ((events & AW_WRITABLE) && w->writer) {
        if (w->writer_h) aw__handle_release(w->writer_h);
        w->writer_h = aw__call_soon_held(loop, w->writer, w->writer_arg, "writer", 0);
    }
}

/* ---- one iteration -------------------------------------------------------------------------- */
#define AW__MIN_SCHEDULED_TIMER_HANDLES 100
#define AW__MAX_SELECT_TIMEOUT (24.0 * 3600) /* MAXIMUM_SELECT_TIMEOUT */

static void drop_cancelled_timers(aw_loop *loop)
{
    aw__timer_heap *heap = &loop->timers;
    if (heap->len > AW__MIN_SCHEDULED_TIMER_HANDLES && loop->timer_cancelled_count * 2 > heap->len) {
        /* Too many cancelled timers: rebuild the heap without them (CPython does the same). */
        size_t n = heap->len;
        aw_handle **old = heap->items;
        heap->items = NULL;
        heap->len = heap->cap = 0;
        for (size_t i = 0; i < n; i++) {
            if (old[i]->cancelled) {
                old[i]->scheduled = false;
                aw__handle_release(old[i]);
            } else if (!aw__heap_push(heap, old[i])) {
                abort();
            }
        }
        free(old);
        loop->timer_cancelled_count = 0;
        return;
    }
    while (heap->len && aw__heap_top(heap)->cancelled) {
        aw_handle *h = aw__heap_pop(heap);
        h->scheduled = false;
        loop->timer_cancelled_count--;
        aw__handle_release(h);
    }
}

/* Other threads' calls join the ready queue: asked twice an iteration, the (usual) empty queue
 * answers without a call (threadsafe.h). */
static inline void take_threadsafe_calls(aw_loop *loop)
{
    if (loop->threadsafe && aw__threadsafe_pending(loop->threadsafe)) aw__threadsafe_drain(loop);
}

/* What ran is a task's step (t) or else handle h. */
static void warn_slow_callback(aw_loop *loop, aw_task *t, const aw_handle *h, double took)
{
    if (!t && h->serves_task)
        for (aw_future *f = loop->all_futures; f; f = f->next_all)
            if (f->id == h->serves_task && f->is_task) t = (aw_task *)f;
    if (t)
        aw__warn(loop, "slow-callback", t->fut.id,
                 "Executing <Task pending name='%s' coro=<%s()>> took %.3f seconds", t->name,
                 t->coro_name ? t->coro_name : "?", took);
    else
        aw__warn(loop, "slow-callback", 0, "Executing <Handle %s> took %.3f seconds", h->name, took);
}

static inline __attribute__((always_inline)) void run_entry_untimed(aw_task *t, aw_handle *h)
{
    if (t)
        aw__task_run_step(t);
    else
        h->cb(h->arg);
}

static __attribute__((noinline)) void run_entry_timed(aw_loop *loop, aw_task *t, aw_handle *h)
{
    aw_backend *be = loop->backend;
    double t0 = be->time(be);
    run_entry_untimed(t, h);
    double took = be->time(be) - t0;
    if (took >= loop->opts.slow_callback_duration) warn_slow_callback(loop, t, h, took);
}

/* One entry of the ready queue: a task's step, or a handle's callback (CPython's Handle._run).
 * Inline in run_once, with the step inline in it (task_step.h says why). */
static inline __attribute__((always_inline)) void run_entry(aw_loop *loop, aw_task *t, aw_handle *h)
{
    if (loop->opts.slow_callback_duration > 0)
        run_entry_timed(loop, t, h);
    else
        run_entry_untimed(t, h);
}

static void run_once(aw_loop *loop)
{
    aw_backend *be = loop->backend;
    loop->iteration++;
    drop_cancelled_timers(loop);

    double timeout = -1; /* None: forever */
    if (loop->n_ready || loop->stopping) {
        timeout = 0;
    } else if (loop->timers.len) {
        /* timeout = min(max(0, when - self.time()), MAXIMUM_SELECT_TIMEOUT), in floats */
        double when = aw__heap_top(&loop->timers)->when;
        timeout = when - be->time(be);
        timeout = timeout > 0 ? timeout : 0;
        timeout = AW__MAX_SELECT_TIMEOUT < timeout ? AW__MAX_SELECT_TIMEOUT : timeout;
        /* Only timers that never fire (sleep(inf)) and nothing to watch: CPython would wait in
         * 24 h slices forever.  That is the deadlock below (the oracle's vloop says the same). */
        if (when == AW_NO_TIMEOUT && loop->n_io == 0) timeout = -1;
    }
    AW__TRACE(loop, .kind = AW_EV_ITERATION, .a = (int64_t)loop->n_ready, .tb = timeout);

    if (timeout < 0 && loop->n_io == 0 && loop->n_expected_threadsafe == 0) {
        /* Nothing is ready, no timer is pending, no descriptor is watched and no other thread
         * will call: nothing can ever happen.  CPython would block forever; we stop and say
         * why.  (With executor jobs in flight, the wait below is woken by their handoff.) */
        loop->deadlock = AW_ERROR;
        loop->stopping = true;
        return;
    }
    /* Timer jitter (vary.c): the wait for a timer may last longer, never shorter. */
    if (timeout > 0) timeout = aw__vary(loop, AW_VARY_TIMER, timeout, 0);
    /* A real clock is read only when something depends on it (a timer is due or not): each read
     * is a vDSO call, as much as a task switch (a virtual clock's read is a load). */
    bool virtual = be->is_virtual;
    double before = virtual ? be->time(be) : 0;
    loop->clock_traced = before;
    if (timeout != 0 || loop->n_io)
        AW__TRACE(loop, .kind = AW_EV_IO_WAIT, .ta = timeout, .b = (int64_t)loop->n_io);
    if (be->wait(be, timeout, on_io_ready, loop) != 0 && errno != EINTR) {
        loop->deadlock = AW_ERROR;
        loop->stopping = true;
        return;
    }
    double now = virtual ? be->time(be) : 0;
    if (virtual && now != loop->clock_traced)
        AW__TRACE(loop, .kind = AW_EV_CLOCK_JUMP, .ta = loop->clock_traced, .tb = now);
    if (virtual && loop->opts.time_limit > 0 && now != before && now > loop->opts.time_limit) {
        /* A run that would not end by itself (a task sleeping in a loop forever): stop before
         * anything runs at the new time, and say why.  Only a jump past the limit stops it, so
         * that asyncio.run's shutdown (cancelling what is left, no time passing) still runs. */
        aw__time_limit_note();
        loop->deadlock = AW_TIMEOUT;
        loop->stopping = true;
        return;
    }
    /* Other threads' calls made before or during the wait (CPython's are in _ready already). */
    take_threadsafe_calls(loop);

    /* end_time = self.time() + self._clock_resolution; a timer is due when its deadline is
     * before it (a NaN deadline never compares >=, so it is due, as in CPython). */
    if (!virtual && loop->timers.len) now = be->time(be);
    double end = now + be->clock_resolution;
    while (loop->timers.len) {
        aw_handle *h = aw__heap_top(&loop->timers);
        if (h->when >= end) break;
        aw__heap_pop(&loop->timers);
        h->scheduled = false;
        if (h->cancelled) {
            /* CPython appends it to the ready queue and skips it there; dropping it now is the
             * same, and the trace does not show a cancelled timer "firing". */
            loop->timer_cancelled_count--;
            aw__handle_release(h);
            continue;
        }
        AW__TRACE(loop, .kind = AW_EV_TIMER_FIRED, .handle = h->id, .ta = h->when);
        aw__ready_push(loop, h);
    }

    /* Run only what is ready now; callbacks scheduled meanwhile wait for the next iteration. */
    size_t ntodo = loop->n_ready;
    for (size_t i = 0; i < ntodo; i++) {
        aw__ready_entry e = aw__ready_pop(loop);
        aw_task *t = aw__ready_task(e);
        if (t) { /* untraced: no handle, and no event to say it runs */
            run_entry(loop, t, NULL);
            continue;
        }
        aw_handle *h = aw__ready_handle(e);
        if (h->cancelled) {
            aw__handle_release(h);
            continue;
        }
        AW__TRACE(loop, .kind = AW_EV_HANDLE_RUN, .handle = h->id, .name = h->name,
                  .task = h->serves_task, .future = h->serves_future);
        h->ran = true;
        run_entry(loop, NULL, h);
        aw__handle_release(h);
    }
    /* Calls other threads made while the callbacks ran: ready for the next iteration, whose
     * wait then does not block (in CPython they are in _ready already). */
    take_threadsafe_calls(loop);
}

/* ---- run / stop ----------------------------------------------------------------------------- */
void aw_loop_stop(aw_loop *loop) { loop->stopping = true; }
void aw__loop_stop_cb(void *arg) { aw_loop_stop(arg); }

static aw_status check_can_run(aw_loop *loop)
{
    if (loop->closed) return aw__fail(AW_RuntimeError, "Event loop is closed");
    if (loop->running) return aw__fail(AW_RuntimeError, "This event loop is already running");
    if (running_loop) return aw__fail(AW_RuntimeError, "Cannot run the event loop while another loop is running");
    return AW_OK;
}

static aw_status time_limit_error(aw_loop *loop, const char *what)
{
    return aw__fail(AW_RuntimeError, "%s: the virtual time limit of %g s is reached (loop.time() = %g)", what,
                    loop->opts.time_limit, aw_loop_time(loop));
}

static void run_forever_body(aw_loop *loop)
{
    loop->running = true;
    running_loop = loop;
    AW__TRACE(loop, .kind = AW_EV_LOOP_START, .text = loop->backend->is_virtual ? "sim" : "real");
    for (;;) {
        run_once(loop);
        if (loop->stopping) break;
    }
    loop->stopping = false;
    AW__TRACE(loop, .kind = AW_EV_LOOP_STOP);
    running_loop = NULL;
    loop->running = false;
}

aw_status aw_loop_run_forever(aw_loop *loop)
{
    aw_status st = check_can_run(loop);
    if (st != AW_OK) return st;
    loop->deadlock = AW_OK;
    run_forever_body(loop);
    if (loop->deadlock == AW_TIMEOUT) return time_limit_error(loop, "Event loop stopped");
    if (loop->deadlock != AW_OK)
        return aw__fail(AW_RuntimeError, "Event loop stopped: nothing is ready, no timer is pending "
                                        "and no descriptor is watched (deadlock)");
    return AW_OK;
}

static void stop_when_done(aw_future *f, void *arg)
{
    (void)f;
    aw_loop_stop(arg);
}

aw_status aw_loop_run_until_complete(aw_loop *loop, void *awaitable, aw_value *out)
{
    aw_status st = check_can_run(loop);
    if (st != AW_OK) return st;
    aw_loop *prev = running_loop;
    running_loop = loop; /* so that ensure_future's task creation finds its loop */
    aw_future *f = aw__ensure_future(loop, awaitable);
    running_loop = prev;
    if (!f) return AW_ERROR; /* TypeError in flight */
    aw__future_ref(f);
    aw_future_add_done_callback(f, stop_when_done, loop);
    loop->deadlock = AW_OK;
    run_forever_body(loop);
    aw_future_remove_done_callback(f, stop_when_done, loop);
    if (!aw_future_done(f)) {
        aw__future_unref(f);
        if (loop->deadlock == AW_TIMEOUT) return time_limit_error(loop, "Event loop stopped before Future completed");
        if (loop->deadlock != AW_OK)
            return aw__fail(AW_RuntimeError,
                            "Event loop stopped before Future completed: nothing is ready, no timer "
                            "is pending and no descriptor is watched (deadlock)");
        return aw__fail(AW_RuntimeError, "Event loop stopped before Future completed.");
    }
    st = aw__take_outcome(f, out);
    aw__future_unref(f);
    return st;
}
