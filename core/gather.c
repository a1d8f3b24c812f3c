/* gather.c — asyncio.gather: run awaitables concurrently, results in the order given.
 *
 * Follows CPython's tasks.gather: the first error (or cancellation, unless return_exceptions)
 * completes the outer future while the other children keep running; cancelling the outer future
 * cancels every child (_GatheringFuture.cancel). */
#include <stdlib.h>

#include "huge_map.h"
#include "internal.h"
#include "ptrset.h"

typedef struct gather_state {
    aw_future *outer;
    aw_future **children;   /* in argument order; duplicates share one future */
    size_t n_children;
    size_t nfuts, nfinished;
    bool return_exceptions;
} gather_state;

static void state_free(gather_state *g)
{
    for (size_t i = 0; i < g->n_children; i++) aw__future_unref(g->children[i]);
    aw__big_free(g->children, g->n_children, sizeof *g->children);
    free(g);
}

/* The loop is being freed with children still pending: every future goes anyway. */
static void state_drop(void *p)
{
    gather_state *g = p;
    aw__big_free(g->children, g->n_children, sizeof *g->children);
    free(g);
}

static aw_value list_of_results(gather_state *g)
{
    aw_loop *loop = g->outer->loop;
    aw_list *list = aw__arena_alloc(loop, sizeof *list + g->n_children * sizeof(aw_value));
    list->len = g->n_children;
    for (size_t i = 0; i < g->n_children; i++) {
        aw_future *c = g->children[i];
        aw_value *v = &list->items[i];
        if (c->state == AW__CANCELLED) {
            const char *msg = aw__future_cancel_message(c);
            aw_exc *e = aw__cancelled_error(msg ? msg : "");
            aw__hold_exc(loop, e);
            aw_exc_unref(e);
            *v = (aw_value){AW_EXC, {.exc = e}};
        } else if (c->has_exc) {
            c->log_traceback = false;
            aw__hold_exc(loop, c->raised);
            *v = (aw_value){AW_EXC, {.exc = c->raised}};
        } else {
            *v = c->result;
        }
    }
    return (aw_value){AW_LIST, {.list = list}};
}

static void child_done(aw_future *fut, void *arg)
{
    gather_state *g = arg;
    aw_future *outer = g->outer;
    g->nfinished++;
    bool last = g->nfinished == g->nfuts;

    if (outer->state != AW__PENDING) {
        if (fut->state != AW__CANCELLED) fut->log_traceback = false; /* mark retrieved */
    } else if (!g->return_exceptions && fut->state == AW__CANCELLED) {
        aw__future_finish_exception(outer, aw__future_make_cancelled_error(fut));
    } else if (!g->return_exceptions && fut->has_exc) {
        fut->log_traceback = false;
        aw__future_finish_exception(outer, aw_exc_ref(fut->raised));
    } else if (last) {
        if (outer->extra->cancel_requested) {
            /* CPython takes the cancelled error of the loop variable: the last child. */
            aw__future_finish_exception(outer, aw__future_make_cancelled_error(g->children[g->n_children - 1]));
        } else {
            aw__future_finish(outer, list_of_results(g));
        }
    }
    if (last) {
        outer->extra->hook_data = NULL;
        state_free(g);
        aw__future_unref(outer);
    }
}

static bool gather_cancel(aw_future *outer, const char *msg)
{
    gather_state *g = outer->extra->hook_data;
    aw_loop *loop = outer->loop;
    /* The request first, then what it causes: it takes effect if a child is still pending. */
    bool any_pending = false;
    if (outer->state == AW__PENDING && g)
        for (size_t i = 0; i < g->n_children; i++) any_pending |= g->children[i]->state == AW__PENDING;
    AW__TRACE(loop, .kind = AW_EV_CANCEL_REQUESTED, .future = outer->id,
              .other = aw__task_id(loop->current_task), .text = msg, .reason = any_pending);
    bool ret = false;
    if (outer->state == AW__PENDING && g) {
        for (size_t i = 0; i < g->n_children; i++) {
            bool ok;
            AW__VIA(loop, "gather", ok = aw_future_cancel(g->children[i], msg));
            if (ok) ret = true;
        }
        if (ret) outer->extra->cancel_requested = true;
    }
    return ret;
}

aw_future *aw_gather(bool return_exceptions, size_t n, void *const *awaitables)
{
    aw_loop *loop = aw__running_loop();
    if (!loop) {
        aw__fail(AW_RuntimeError, "no running event loop");
        return NULL;
    }
    if (n == 0) {
        aw_future *outer = aw_future_new(loop);
        aw_list *list = aw__arena_alloc(loop, sizeof *list);
        list->len = 0;
        aw__future_finish(outer, (aw_value){AW_LIST, {.list = list}});
        return outer;
    }
    /* Each argument must be awaitable (ensure_future's TypeError); checked before any is
     * wrapped in a task, so that a refused call leaves nothing behind. */
    for (size_t i = 0; i < n; i++) {
        if (!aw__is_coro_handle(awaitables[i]) && !aw__is_future_ptr(awaitables[i])) {
            aw__fail(AW_TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
            return NULL;
        }
    }
    gather_state *g = calloc(1, sizeof *g);
    aw_future **children = aw__big_calloc(n, sizeof *children); /* n_children is n when freed */
    aw_future **done_futs = calloc(n, sizeof *done_futs);
    /* The children's ids only for a tracer: 100k children's ids are 100 fresh pages. */
    unsigned *ids = loop->opts.tracer ? calloc(n, sizeof *ids) : NULL;
    if (!g || !children || !done_futs || (loop->opts.tracer && !ids)) abort();
    g->children = children;
    g->return_exceptions = return_exceptions;
    size_t n_done = 0;
    aw__ptrset seen;
    aw__ptrset_init(&seen, n);
    for (size_t i = 0; i < n; i++) {
        aw_future *fut = NULL;
        if (!aw__ptrset_add(&seen, awaitables[i])) /* a duplicate: share the first one's future */
            for (size_t j = 0; j < i && !fut; j++)
                if (awaitables[j] == awaitables[i]) fut = children[j];
        if (!fut) {
            fut = aw__ensure_future(loop, awaitables[i]);
            if (!fut) abort(); /* checked above: cannot happen */
            if (fut != awaitables[i]) fut->user_held = false; /* a task of gather's own */
            g->nfuts++;
            if (fut->state != AW__PENDING)
                done_futs[n_done++] = fut;
            else
                aw_future_add_done_callback(fut, child_done, g);
        }
        aw__future_ref(fut);
        children[i] = fut;
        if (ids) ids[i] = fut->id;
        g->n_children++;
    }
    aw__ptrset_free(&seen);
    aw_future *outer = aw_future_new(loop);
    aw__future_extra *hooks = aw__future_extra_of(outer);
    hooks->cancel_hook = gather_cancel;
    hooks->hook_data = g;
    hooks->hook_free = state_drop;
    aw__future_ref(outer); /* until every child is done */
    g->outer = outer;
    AW__TRACE(loop, .kind = AW_EV_GATHER, .future = outer->id, .ids = ids, .n_ids = n,
              .task = aw__task_id(loop->current_task));
    free(ids);
    for (size_t i = 0; i < n_done; i++) child_done(done_futs[i], g);
    free(done_futs);
    return outer;
}
