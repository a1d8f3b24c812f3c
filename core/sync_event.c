/* sync_event.c — asyncio.Event: a flag; wait() blocks until it is set, set() wakes every waiter
 * (CPython's locks.Event). */
#include <string.h>

#include "sync.h"

struct aw_sync_event {
    aw__sync base;
    bool value;
    aw__waiters waiters;
};

aw_sync_event *aw_sync_event_new(void)
{
    aw_sync_event *ev = aw__sync_alloc(sizeof *ev, "Event()");
    aw__sync_init(&ev->base, AW_SYNC_EVENT, "Event()", 0, NULL, false);
    return ev;
}

bool aw_sync_event_is_set(const aw_sync_event *ev) { return ev->value; }

void aw_sync_event_set(aw_sync_event *ev)
{
    if (ev->value) return;
    ev->value = true;
    aw__sync_trace(&ev->base, AW_SYNC_SET, aw_current_task(), NULL, 1, NULL);
    for (aw__waiter *w = ev->waiters.head; w; w = w->next)
        if (aw__waiter_pending(w)) aw__sync_wake(&ev->base, w, 1);
}

void aw_sync_event_clear(aw_sync_event *ev)
{
    /* CPython's clear() only stores False: on a clear event it changes nothing, and, as set() of
     * a set event, it is no event (the recorder, which sees the flag change, writes none). */
    if (!ev->value) return;
    ev->value = false;
    aw__sync_trace(&ev->base, AW_SYNC_CLEAR, aw_current_task(), NULL, 0, NULL);
}

/* The waiter is a part of the coroutine's own object (self), not a block of its own: that object
 * lives as long as the body runs, in the frame of the task's own stack in the default mode
 * (coro.c, run_in_frame: as the on-stack waiter of AW__WAITER) and on the heap with copied
 * stacks, where a task asleep in wait() then keeps no separate waiter home (a 48-byte malloc
 * chunk) nor the 40-byte unused on-stack waiter in its saved image. */
AW_COROUTINE(event_wait, aw_sync_event *ev; aw__waiter w;)
{
    aw_sync_event *ev = self->ev;
    if (ev->value) return aw__sync_true();
    aw__waiter *w = &self->w;
    aw_status st = aw__sync_block(&ev->base, &ev->waiters, w, "wait");
    aw__waiters_remove(&ev->waiters, w); /* finally */
    aw__waiter_done(w);
    if (st != AW_OK) return aw_reraise();
    return aw__sync_true();
}

aw_coro *aw_sync_event_wait(aw_sync_event *ev)
{
    /* Zeroed padding included: a task made of this coroutine has its argument words scanned for
     * pointers into the shared stack (copied stacks), and the waiter's tail padding is one. */
    struct event_wait_args args;
    memset(&args, 0, sizeof args);
    args.ev = ev;
    return aw_coro_new("Event.wait", (aw_coro_body)event_wait_body, &args, sizeof args, NULL, 0);
}
