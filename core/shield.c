/* shield.c — asyncio.shield: an outer future that can be cancelled without cancelling inner.
 *
 * CPython 3.14's shield, callback for callback (each one is a handle when the future is done,
 * so the same callbacks make the same loop iterations):
 *   inner: _clear_awaited_by_callback (when shield was called from a task: it keeps 3.14's
 *          await graph, which awaitlab draws from its trace instead: nothing to do here),
 *          then _inner_done_callback (outer takes inner's outcome unless outer was cancelled);
 *   outer: _outer_done_callback (outer cancelled first: inner's _inner_done_callback is removed
 *          and _log_on_exception added, which reports an exception inner raises later; it
 *          holds nothing, so an inner never done leaks nothing).
 */
#include <stdlib.h>

#include "internal.h"

typedef struct shield_link {
    aw_future *inner, *outer;
    int users; /* the callbacks still registered that point here */
} shield_link;

static void link_release(shield_link *l)
{
    if (--l->users > 0) return;
    aw__future_unref(l->inner);
    aw__future_unref(l->outer);
    free(l);
}

static void clear_awaited_by(aw_future *inner, void *arg)
{
    (void)inner;
    (void)arg;
}

/* _log_on_exception: the exception of a future nobody awaits any more goes to the loop's
 * exception handler, in CPython's words. */
static void log_on_exception(aw_future *inner, void *arg)
{
    (void)arg; /* it needs only inner, which it is given: no link to keep alive */
    if (inner->state != AW__CANCELLED && inner->has_exc) {
        inner->log_traceback = false;
        char repr[512];
        aw__exc_repr(inner->raised, repr, sizeof repr);
        aw__warn(inner->loop, "shielded-exception", inner->id, "%s exception in shielded future\nexception: %s",
                 aw_exc_type(inner->raised), repr);
    }
}

static void inner_done(aw_future *inner, void *arg)
{
    shield_link *l = arg;
    aw_future *outer = l->outer;
    if (outer->state != AW__CANCELLED) {
        if (inner->state == AW__CANCELLED)
            aw_future_cancel(outer, NULL);
        else if (inner->has_exc) {
            inner->log_traceback = false;
            aw__future_finish_exception(outer, aw_exc_ref(inner->raised));
        } else
            aw__future_finish(outer, inner->result);
    }
    link_release(l);
}

static void outer_done(aw_future *outer, void *arg)
{
    (void)outer;
    shield_link *l = arg;
    if (l->inner->state == AW__PENDING) {
        if (aw_future_remove_done_callback(l->inner, inner_done, l)) l->users--;
        /* "Keep only one callback to log on cancel": remove, then add at the end. */
        aw_future_remove_done_callback(l->inner, log_on_exception, NULL);
        aw_future_add_done_callback(l->inner, log_on_exception, NULL);
    }
    link_release(l);
}

aw_future *aw_shield(void *awaitable)
{
    aw_loop *loop = aw__running_loop();
    aw_future *inner = loop ? aw__ensure_future(loop, awaitable) : NULL;
    if (!inner) return NULL;
    if (inner != awaitable) inner->user_held = false;
    if (inner->state != AW__PENDING) return inner;
    aw_future *outer = aw_future_new(loop);
    shield_link *l = malloc(sizeof *l);
    if (!l) abort();
    *l = (shield_link){inner, outer, 2};
    aw__future_ref(inner);
    aw__future_ref(outer);
    if (loop->current_task) aw_future_add_done_callback(inner, clear_awaited_by, NULL);
    aw_future_add_done_callback(inner, inner_done, l);
    aw_future_add_done_callback(outer, outer_done, l);
    return outer;
}
