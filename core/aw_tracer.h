/* aw_tracer.h — the one hook through which core reports every scheduling decision.
 *
 * Core knows nothing of JSON: it fills an aw_event and calls tracer->on_event.  sim/recorder.c
 * turns events into trace lines (sim/trace-format.md).  With no tracer set, each emission point
 * costs one predictable branch (see AW__TRACE in core/internal.h).
 *
 * Ids are small integers in creation order, per loop, never addresses: futures and tasks share
 * one id space ("future ids": a task is a future), handles have their own, coroutine objects
 * their own.  0 means "none".
 */
#ifndef AW_TRACER_H
#define AW_TRACER_H

#include <stddef.h>
#include <stdint.h>

typedef enum aw_event_kind {
    AW_EV_LOOP_START,        /* the loop starts running: text = clock kind ("sim"/"real") */
    AW_EV_ITERATION,         /* an iteration begins: a = handles ready, b = timeout waited (ns, -1: forever) */
    AW_EV_SCHEDULED,         /* handle scheduled: handle, a = deadline ns (-1: call_soon), name = callback,
                                task/future = what the callback serves (a task's step, a future's callback) */
    AW_EV_HANDLE_CANCELLED,  /* handle cancelled before it ran */
    AW_EV_TIMER_FIRED,       /* a timer's deadline passed: handle moved to the ready queue, a = deadline */
    AW_EV_HANDLE_RUN,        /* handle begins to run: handle, name, task/future as in SCHEDULED */
    AW_EV_TASK_CREATED,      /* task (its future id in `future`), name = task name, text = coroutine name,
                                other = parent task (0: none), file/line = where the coroutine was made */
    AW_EV_STEP_BEGIN,        /* task step begins: task, reason = AW_STEP_IN_* */
    AW_EV_STEP_END,          /* task step ends: task, reason = AW_STEP_* , future = awaited future (AWAIT) ,
                                name = exception type (RAISED) */
    AW_EV_AWAIT,             /* a coroutine awaits: task, future (0 for a coroutine), other = coroutine id
                                (0 for a future), name = what is awaited (coroutine name / "future" /
                                task name), file, line (NULL/0 for core's own internal awaits) */
    AW_EV_CORO_CREATED,      /* coroutine object: other = coroutine id, name, task = creating task, file,
                                line.  Objects made before the loop exists (asyncio.run's main) have none. */
    AW_EV_FUTURE_CREATED,    /* future (not a task), task = creating task */
    AW_EV_FUTURE_DONE,       /* future or task done: reason = AW_DONE_*, text = result repr or message,
                                name = exception type */
    AW_EV_CALLBACKS,         /* future's done-callbacks scheduled: future, a = how many */
    AW_EV_CANCEL_REQUESTED,  /* task or future cancel(): task/future = target, other = requesting task,
                                text = message (NULL), a = cancelling() after the request,
                                reason = 1 if it took effect, 0 if refused (already done) */
    AW_EV_CANCEL_DELIVERED,  /* CancelledError thrown into task's coroutine: task, text = message */
    AW_EV_UNCANCEL,          /* task.uncancel(): task, a = cancelling() after */
    AW_EV_TIMEOUT_ARMED,     /* timeout scope: other = scope id, task, a = deadline ns (-1: never) */
    AW_EV_TIMEOUT_RESCHEDULED,
    AW_EV_TIMEOUT_EXPIRED,   /* deadline passed: the scope cancels its task; a = deadline */
    AW_EV_TIMEOUT_DISARMED,  /* scope exited: reason = 1 if it raised TimeoutError */
    AW_EV_GATHER,            /* gather: future = the gather's future, ids = children futures, task = caller */
    AW_EV_WAIT,              /* wait / as_completed: ids = futures, task = caller, a = aw_wait_mode
                                (-1: as_completed), b = timeout ns (-1: none) */
    AW_EV_CLOCK_JUMP,        /* sim clock jumps: a = from ns, b = to ns */
    AW_EV_IO_WAIT,           /* waiting for I/O: a = timeout ns (-1: forever), b = descriptors watched */
    AW_EV_IO_READY,          /* a descriptor is ready: a = fd, reason = bitmask: 1 readable | 2 writable */
    AW_EV_OUTPUT,            /* a line the program printed: task, text, file, line */
    AW_EV_BUSY,              /* CPU-bound work holds the loop: task, a = duration ns */
    AW_EV_WARNING,           /* name = category ("RuntimeWarning", "task-exception", "slow-callback"),
                                text = the message as printed, task/future if any */
    AW_EV_LOOP_STOP,         /* the loop stops running */
    AW_EV_LOOP_CLOSE,        /* the loop closes */
    AW_EV__COUNT
} aw_event_kind;

/* How a step begins. */
enum { AW_STEP_IN_START = 0, AW_STEP_IN_RESUME = 1, AW_STEP_IN_THROW = 2 };

/* How a step ends. */
enum {
    AW_STEP_AWAIT = 0, /* suspended on `future` */
    AW_STEP_YIELD = 1, /* bare yield (sleep(0)): rescheduled with call_soon */
    AW_STEP_DONE = 2,  /* returned a result */
    AW_STEP_RAISED = 3,/* raised an exception (name) */
    AW_STEP_CANCELLED = 4 /* ended by CancelledError */
};

/* How a future completes. */
enum { AW_DONE_RESULT = 0, AW_DONE_EXCEPTION = 1, AW_DONE_CANCELLED = 2 };

typedef struct aw_event {
    aw_event_kind kind;
    uint64_t iteration;  /* loop iteration (0 before the first) */
    int64_t time_ns;     /* loop time (virtual in sim) */
    unsigned task;       /* task's future id, 0: none */
    unsigned future;     /* future id, 0: none */
    unsigned handle;     /* handle id, 0: none */
    unsigned other;      /* parent / requesting task / scope / coroutine id */
    int reason;
    int64_t a, b;
    const char *name;
    const char *text;
    const char *file;
    int line;
    const unsigned *ids;
    size_t n_ids;
} aw_event;

struct aw_tracer {
    /* Called once when the loop is created (header information) and once per event. */
    void (*on_start)(void *ud, const char *program, const char *clock, uint64_t seed,
                     int64_t wall_start_ns);
    void (*on_event)(void *ud, const aw_event *ev);
    void (*on_close)(void *ud);
};

#endif /* AW_TRACER_H */
