/* threadsafe.h — loop.call_soon_threadsafe: how other threads hand work to the loop.
 *
 * A thread pushes a call onto the loop's handoff queue (under a mutex) and wakes the backend's
 * wait (CPython appends to _ready and writes to its self-pipe).  The loop moves the queued calls
 * to its ready queue, in the order they were pushed, at two points of each iteration
 * (core/loop.c): after its callbacks ran and after the wait for I/O; each becomes a handle
 * traced then (`scheduled`, named "call_soon_threadsafe") and when it runs.
 *
 * The queue outlives the loop when threads still hold it (a worker thread that did not finish
 * within shutdown_default_executor's timeout): it is reference-counted, and once the loop has
 * closed a push is refused and the call is dropped in the pushing thread. */
#ifndef AW_THREADSAFE_H
#define AW_THREADSAFE_H

#include <stdatomic.h>
#include <stdbool.h>

#include "awaitlab.h"

typedef struct aw__threadsafe aw__threadsafe;

/* One call for the loop.  `drop` (may be NULL) frees `arg` when the call never runs (the loop
 * closed first); it runs in whichever thread finds that out, so it must not touch the loop. */
typedef struct aw__ts_call {
    aw_callback cb;
    void *arg;
    aw_callback drop;
    unsigned future;   /* trace: the future the call completes, or 0 */
} aw__ts_call;

aw__threadsafe *aw__threadsafe_new(aw_loop *loop);         /* loop->backend set */
aw__threadsafe *aw__threadsafe_ref(aw__threadsafe *ts);     /* any thread */
void aw__threadsafe_unref(aw__threadsafe *ts);              /* any thread; the last one frees it */
/* Any thread.  Returns false (and drops nothing: the caller still owns arg) once the loop is
 * closed, as CPython's call_soon_threadsafe raises RuntimeError('Event loop is closed'). */
bool aw__threadsafe_push(aw__threadsafe *ts, aw__ts_call call);

/* print() from a worker thread (an executor job on the real clock): the loop's output (its
 * output callback, else stdout), under the queue's mutex, which the loop's own lines take too
 * (aw__threadsafe_output): lines never interleave, and none reaches a loop that has closed (then
 * it goes to stdout).  The tracer is the loop thread's alone: the line joins the queue and is
 * traced (`output`, no task) when the loop, woken, takes the queue: in the order printed. */
void aw__threadsafe_print(aw__threadsafe *ts, const char *line, const char *file, int line_no);

/* The loop's own thread: */
void aw__threadsafe_output(aw_loop *loop, const char *line);   /* a line the loop's thread prints */
void aw__threadsafe_drain(aw_loop *loop);   /* queued calls join the ready queue */
/* Whether drain has anything to take.  The loop asks twice an iteration, and the queue is
 * usually empty: inline, the flag being the queue's first member (threadsafe.c), one load
 * (a call each time was ~7 instructions of every sleep(0) switch, callgrind). */
static inline bool aw__threadsafe_pending(const aw__threadsafe *ts)
{
    return atomic_load_explicit((const atomic_bool *)(const void *)ts, memory_order_acquire);
}
void aw__threadsafe_close(aw_loop *loop);   /* refuse pushes from now on; drop what is queued */

#endif /* AW_THREADSAFE_H */
