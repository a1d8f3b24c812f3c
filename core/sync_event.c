/* sync_event.c — asyncio.Event: a flag; wait() blocks until it is set, set() wakes every waiter
 * (CPython's locks.Event). */
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

AW_COROUTINE(event_wait, aw_sync_event *ev;)
{
    aw_sync_event *ev = self->ev;
    if (ev->value) return aw__sync_true();
    AW__WAITER(w);
    aw_status st = aw__sync_block(&ev->base, &ev->waiters, w, "wait");
    aw__waiters_remove(&ev->waiters, w); /* finally */
    aw__waiter_done(w);
    if (st != AW_OK) return aw_reraise();
    return aw__sync_true();
}

aw_coro *aw_sync_event_wait(aw_sync_event *ev) { return AW__CALL_AS("Event.wait", event_wait, ev); }
