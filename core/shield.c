/* shield.c — asyncio.shield: an outer future that can be cancelled without cancelling inner. */
#include <stdlib.h>

#include "internal.h"

typedef struct shield_link {
    aw_future *inner, *outer;
    int users; /* the two callbacks */
} shield_link;

static void link_release(shield_link *l)
{
    if (--l->users > 0) return;
    aw__future_unref(l->inner);
    aw__future_unref(l->outer);
    free(l);
}

static void inner_done(aw_future *inner, void *arg)
{
    shield_link *l = arg;
    aw_future *outer = l->outer;
    if (outer->state != AW__CANCELLED) {
        if (inner->state == AW__CANCELLED)
            aw_future_cancel(outer, NULL);
        else if (inner->exc) {
            inner->log_traceback = false;
            aw__future_finish_exception(outer, aw_exc_ref(inner->exc));
        } else
            aw__future_finish(outer, inner->result);
    }
    link_release(l);
}

static void outer_done(aw_future *outer, void *arg)
{
    (void)outer;
    shield_link *l = arg;
    if (l->inner->state == AW__PENDING && aw_future_remove_done_callback(l->inner, inner_done, l))
        l->users--; /* inner_done will never run: its share goes with ours */
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
    aw_future_add_done_callback(inner, inner_done, l);
    aw_future_add_done_callback(outer, outer_done, l);
    return outer;
}
