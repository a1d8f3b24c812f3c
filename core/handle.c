/* handle.c — callbacks the loop will run: handles (asyncio.Handle, TimerHandle), their memory,
 * and the call_soon / call_later / call_at family.
 *
 * A handle is made for every callback, task step and wake-up, so their memory comes from chunks
 * the loop owns (CHUNK handles at a time) and goes back to a free list when the handle is done:
 * no malloc per callback, and no list of live handles to keep (the loop frees its chunks, and
 * finds the handles that never ran by walking them).  Timer handles given to the program stay
 * valid until the loop is freed; call_soon's are references that go stale once they ran
 * (handle_ref.c); the loop's own handles are recycled as soon as they are done.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A chunk is one of recycle.c's blocks (16 handles: under its 2040-byte limit), so that a burst's
 * handles come from its huge-page regions: 100k pending handles in 28 KB malloc'd chunks were
 * 2,245 fresh 4 KiB pages, 42% of a gather_copied's page faults. */
#define CHUNK 16u

struct aw__handle_chunk {
    aw__handle_chunk *next;
    size_t used;                /* handles of this chunk handed out at least once */
    aw_handle h[CHUNK];
};

static aw_handle *handle_new(aw_loop *loop, aw_callback cb, void *arg, double when)
{
    aw_handle *h = loop->free_handles;
    if (h) {
        loop->free_handles = h->next_free;
    } else {
        aw__handle_chunk *c = loop->handle_chunks;
        if (!c || c->used == CHUNK) {
            c = aw__recycled_alloc(sizeof *c);
            c->next = loop->handle_chunks;
            c->used = 0;
            loop->handle_chunks = c;
        }
        h = &c->h[c->used++];
    }
    uint64_t seq = ++loop->handle_seq;
    *h = (aw_handle){.loop = loop, .live = true, .id = (unsigned)seq, .seq = seq, .cb = cb, .arg = arg,
                     .when = when, .name = "callback", .refs = 1 /* the queue's */};
    return h;
}

void aw__handle_release(aw_handle *h)
{
    if (--h->refs > 0 || h->kept) return;
    if (h->ref_slot) {
        /* A cancelled one stays the program's (cancelled() stays true); the loop frees it. */
        if (h->cancelled) return;
        aw__handle_unpublish(h);
    }
    if (!h->ran && h->drop) h->drop(h->arg);
    aw_loop *loop = h->loop;
    h->live = false;
    h->next_free = loop->free_handles;
    loop->free_handles = h;
}

/* Callbacks that will never run give back what they hold (aw_loop_free calls this while
 * everything they may point to, e.g. a task whose step it was, is still there). */
void aw__handles_drop_unrun(aw_loop *loop)
{
    for (aw__handle_chunk *c = loop->handle_chunks; c; c = c->next)
        for (size_t i = 0; i < c->used; i++) {
            aw_handle *h = &c->h[i];
            if (h->live && !h->ran && h->drop) h->drop(h->arg);
            h->drop = NULL;
        }
}

void aw__handles_free(aw_loop *loop)
{
    while (loop->handle_chunks) {
        aw__handle_chunk *c = loop->handle_chunks;
        for (size_t i = 0; i < c->used; i++)
            if (c->h[i].live && c->h[i].ref_slot) aw__handle_unpublish(&c->h[i]);
        loop->handle_chunks = c->next;
        aw__recycled_free(c, sizeof *c);
    }
    loop->free_handles = NULL;
}

aw_handle *aw__call_soon_traced(aw_loop *loop, aw_callback cb, void *arg, const char *name,
                                unsigned task, unsigned future)
{
    aw_handle *h = handle_new(loop, cb, arg, -1);
    h->name = name;
    h->serves_task = task;
    h->serves_future = future;
    aw__ready_push(loop, h);
    AW__TRACE(loop, .kind = AW_EV_SCHEDULED, .handle = h->id, .ta = -1, .name = name, .task = task,
              .future = future);
    return h;
}

/* BaseEventLoop._check_closed: scheduling on a closed loop raises; the handle is NULL. */
static bool check_open(aw_loop *loop)
{
    if (!loop->closed) return true;
    aw__fail(AW_RuntimeError, "Event loop is closed");
    return false;
}

aw_handle *aw_call_soon(aw_loop *loop, aw_callback cb, void *arg)
{
    if (!check_open(loop) || aw__escapes_stack(arg, "a callback's argument")) return NULL;
    /* A reference, not the handle: it goes stale when the callback has run (handle_ref.c). */
    return aw__handle_publish(aw__call_soon_traced(loop, cb, arg, "callback", 0, 0));
}

static aw_handle *timer_new(aw_loop *loop, double when, aw_callback cb, void *arg, const char *name,
                            unsigned task, unsigned future)
{
    aw_handle *h = handle_new(loop, cb, arg, when);
    h->scheduled = true;
    h->name = name;
    h->serves_task = task;
    h->serves_future = future;
    if (!aw__heap_push(&loop->timers, h)) abort();
    AW__TRACE(loop, .kind = AW_EV_SCHEDULED, .handle = h->id, .ta = aw__traced_time(when), .name = name, .task = task,
              .future = future);
    return h;
}

aw_handle *aw__timer_at_held(aw_loop *loop, double when, aw_callback cb, void *arg, const char *name,
                             unsigned task, unsigned future)
{
    aw_handle *h = timer_new(loop, when, cb, arg, name, task, future);
    h->refs++;
    return h;
}

aw_handle *aw__call_soon_held(aw_loop *loop, aw_callback cb, void *arg, const char *name, unsigned task)
{
    aw_handle *h = aw__call_soon_traced(loop, cb, arg, name, task, 0);
    h->refs++;
    return h;
}

/* loop.call_at(when): the deadline as given. */
aw_handle *aw_call_at(aw_loop *loop, double when, aw_callback cb, void *arg)
{
    if (!check_open(loop) || aw__escapes_stack(arg, "a callback's argument")) return NULL;
    aw_handle *h = timer_new(loop, when, cb, arg, "callback", 0, 0);
    h->kept = true; /* the program's: valid until the loop is freed */
    return h;
}

/* call_at with the deadline in ns: the double nearest when_ns / 1e9. */
aw_handle *aw_call_at_ns(aw_loop *loop, int64_t when_ns, aw_callback cb, void *arg)
{
    return aw_call_at(loop, aw_trace_time_of_ns(when_ns), cb, arg);
}

/* loop.call_later(delay): call_at(self.time() + delay), a float sum. */
aw_handle *aw_call_later(aw_loop *loop, double delay, aw_callback cb, void *arg)
{
    return aw_call_at(loop, aw__later(loop, delay), cb, arg);
}

/* The handle a program's aw_handle * names; NULL when it is a stale reference: a call_soon
 * handle whose callback has run (then: not cancelled, nothing left to cancel, when() -1). */
static aw_handle *handle_of(const aw_handle *h)
{
    return aw__is_handle_ref(h) ? aw__handle_resolve(h) : (aw_handle *)h;
}

void aw_handle_set_name(aw_handle *ref, const char *name)
{
    aw_handle *h = handle_of(ref);
    if (h) h->name = aw__arena_strdup(h->loop, name);
}

void aw_handle_cancel(aw_handle *ref)
{
    aw_handle *h = handle_of(ref);
    if (!h || h->cancelled) return;
    h->cancelled = true;
    if (h->scheduled) h->loop->timer_cancelled_count++;
    /* Cancelling a handle that already ran changes nothing (sleep cancels its timer in a
     * `finally` either way): only a real cancellation is an event. */
    if (!h->ran) AW__TRACE(h->loop, .kind = AW_EV_HANDLE_CANCELLED, .handle = h->id);
}

bool aw_handle_cancelled(const aw_handle *ref)
{
    const aw_handle *h = handle_of(ref);
    return h && h->cancelled;
}

double aw_handle_when(const aw_handle *ref)
{
    const aw_handle *h = handle_of(ref);
    return h ? h->when : -1;
}

