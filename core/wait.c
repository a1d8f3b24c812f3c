/* wait.c — asyncio.wait and asyncio.as_completed.
 *
 * CPython iterates sets here, so its order depends on object addresses; awaitlab uses the order
 * the futures were given in (creation order for as_completed's queue of finished futures). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ptrset.h"

/* ---- wait ----------------------------------------------------------------------------------- */
typedef struct wait_state {
    aw_future *waiter;
    aw_handle *timeout_handle;
    size_t counter;
    aw_wait_mode mode;
    size_t refs; /* aw_wait's, plus one per done-callback still registered or scheduled */
} wait_state;

/* A done-callback already scheduled when aw_wait returns still runs later (CPython's closure
 * keeps its state alive): the state lives until the last of them has run. */
static void state_release(wait_state *w)
{
    if (--w->refs > 0) return;
    if (w->timeout_handle) aw__handle_release(w->timeout_handle);
    aw_future_detach(w->waiter);
    free(w);
}

static void release_waiter(void *arg)
{
    aw_future *waiter = arg;
    if (waiter->state == AW__PENDING) aw__future_finish(waiter, aw_none());
}

static void on_completion(aw_future *f, void *arg)
{
    wait_state *w = arg;
    w->counter--;
    if (w->counter == 0 || w->mode == AW_FIRST_COMPLETED ||
        (w->mode == AW_FIRST_EXCEPTION && f->state != AW__CANCELLED && f->has_exc)) {
        if (w->timeout_handle) aw_handle_cancel(w->timeout_handle);
        if (w->waiter->state == AW__PENDING) aw__future_finish(w->waiter, aw_none());
    }
    state_release(w);
}

aw_status aw_wait(void **fs, size_t n, double timeout, aw_wait_mode mode, bool *done)
{
    aw_loop *loop = aw__running_loop();
    if (!loop || !loop->current_task) return aw__fail(AW_RuntimeError, "await outside a task: aw_wait() must run inside a task");
    if (n == 0) return aw__fail(AW_ValueError, "Set of Tasks/Futures is empty.");
    if (mode != AW_ALL_COMPLETED && mode != AW_FIRST_COMPLETED && mode != AW_FIRST_EXCEPTION)
        return aw__fail(AW_ValueError, "Invalid return_when value: %d", (int)mode);
    for (size_t i = 0; i < n; i++)
        if (!aw__is_future_ptr(fs[i]))
            return aw__fail(AW_TypeError, "Passing coroutines is forbidden, use tasks explicitly.");

    /* set(fs): duplicates count once. */
    aw_future **set = malloc(n * sizeof *set);
    unsigned *ids = malloc(n * sizeof *ids);
    if (!set || !ids) abort();
    size_t m = 0;
    aw__ptrset seen;
    aw__ptrset_init(&seen, n);
    for (size_t i = 0; i < n; i++) {
        if (aw__ptrset_add(&seen, fs[i])) {
            ids[m] = ((aw_future *)fs[i])->id;
            set[m++] = fs[i];
        }
    }
    aw__ptrset_free(&seen);
    AW__TRACE(loop, .kind = AW_EV_WAIT, .task = aw__task_id(loop->current_task), .ids = ids, .n_ids = m,
              .a = mode, .tb = aw__traced_time(timeout));
    free(ids);

    wait_state *w = malloc(sizeof *w);
    if (!w) abort();
    *w = (wait_state){.waiter = aw__future_new_internal(loop), .counter = m, .mode = mode, .refs = 1 + m};
    if (!aw__no_timeout(timeout)) /* call_later(timeout): a negative one is already due */
        w->timeout_handle = aw__timer_at_held(loop, aw__later(loop, timeout),
                                             release_waiter, w->waiter, "wait_timeout",
                                             aw__task_id(loop->current_task), w->waiter->id);
    for (size_t i = 0; i < m; i++) aw_future_add_done_callback(set[i], on_completion, w);
    aw_status st = aw__await_future(w->waiter, NULL, NULL, 0);
    if (w->timeout_handle) aw_handle_cancel(w->timeout_handle);
    for (size_t i = 0; i < m; i++) w->refs -= aw_future_remove_done_callback(set[i], on_completion, w);
    state_release(w);
    free(set);
    if (st != AW_OK) return st;
    if (done)
        for (size_t i = 0; i < n; i++) done[i] = ((aw_future *)fs[i])->state != AW__PENDING;
    return AW_OK;
}

/* ---- as_completed --------------------------------------------------------------------------
 * A queue of finished futures (NULL: the timeout sentinel) and at most one getter waiting. */
struct aw_as_completed {
    aw_loop *loop;
    aw_future **todo;        /* every future, in the order given */
    size_t n_todo;
    size_t n_pending;        /* how many have not reported completion (CPython: len(_todo)) */
    aw_future **done;        /* the queue */
    size_t done_head, done_len, done_cap;
    size_t todo_left;        /* results still to hand out */
    aw_future *getter;
    aw_handle *timeout_handle;
};

static void queue_put(aw_as_completed *it, aw_future *f)
{
    if (it->done_head + it->done_len == it->done_cap) {
        size_t cap = it->done_cap ? it->done_cap * 2 : 8;
        aw_future **q = aw__arena_alloc(it->loop, cap * sizeof *q);
        if (it->done_len) memcpy(q, it->done + it->done_head, it->done_len * sizeof *q);
        it->done = q;
        it->done_head = 0;
        it->done_cap = cap;
    }
    it->done[it->done_head + it->done_len++] = f;
    if (it->getter && it->getter->state == AW__PENDING) aw__future_finish(it->getter, aw_none());
}

static void handle_completion(aw_future *f, void *arg)
{
    aw_as_completed *it = arg;
    if (!it->n_pending) return; /* the timeout came first */
    it->n_pending--;
    queue_put(it, f);
    if (!it->n_pending && it->timeout_handle) aw_handle_cancel(it->timeout_handle);
}

/* Every future still pending gets a sentinel instead (callbacks already fired stay harmless:
 * removing a callback that is no longer registered does nothing). */
static void handle_timeout(void *arg)
{
    aw_as_completed *it = arg;
    for (size_t i = 0; i < it->n_todo; i++) aw_future_remove_done_callback(it->todo[i], handle_completion, it);
    size_t n = it->n_pending;
    it->n_pending = 0;
    for (size_t i = 0; i < n; i++) queue_put(it, NULL);
}

aw_as_completed *aw_as_completed_new(void **fs, size_t n, double timeout)
{
    aw_loop *loop = aw__running_loop();
    if (!loop) return NULL;
    aw_as_completed *it = aw__arena_alloc(loop, sizeof *it);
    memset(it, 0, sizeof *it);
    it->loop = loop;
    it->todo = aw__arena_alloc(loop, (n ? n : 1) * sizeof *it->todo);
    unsigned *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids) abort();
    aw__ptrset seen;
    aw__ptrset_init(&seen, n);
    for (size_t i = 0; i < n; i++) {
        if (!aw__ptrset_add(&seen, fs[i])) continue;
        aw_future *f = aw__ensure_future(loop, fs[i]);
        if (!f) abort();
        if (f != fs[i]) fs[i] = f; /* the caller sees the task made for its coroutine */
        ids[it->n_todo] = f->id;
        it->todo[it->n_todo++] = f;
    }
    aw__ptrset_free(&seen);
    AW__TRACE(loop, .kind = AW_EV_WAIT, .task = aw__task_id(loop->current_task), .ids = ids, .n_ids = it->n_todo,
              .a = AW_WAIT_MODE_AS_COMPLETED, .tb = aw__traced_time(timeout));
    free(ids);
    for (size_t i = 0; i < it->n_todo; i++) aw_future_add_done_callback(it->todo[i], handle_completion, it);
    if (it->n_todo && !aw__no_timeout(timeout))
        it->timeout_handle = aw__timer_at_held(loop, aw__later(loop, timeout),
                                              handle_timeout, it, "as_completed_timeout", 0, 0);
    it->todo_left = it->n_pending = it->n_todo;
    return it;
}

bool aw_as_completed_has_next(const aw_as_completed *it) { return it && it->todo_left > 0; }

aw_status aw_as_completed_next(aw_as_completed *it, aw_value *out)
{
    if (!it || !it->todo_left) return aw__fail(AW_StopIteration, NULL);
    it->todo_left--;
    while (!it->done_len) { /* Queue.get() */
        it->getter = aw__future_new_internal(it->loop);
        aw_status st = aw__await_future(it->getter, NULL, NULL, 0);
        aw_future_detach(it->getter);
        it->getter = NULL;
        if (st != AW_OK) return st;
    }
    aw_future *f = it->done[it->done_head++];
    it->done_len--;
    if (!it->todo_left && it->timeout_handle) {
        aw__handle_release(it->timeout_handle);
        it->timeout_handle = NULL;
    }
    if (!f) return aw__fail(AW_TimeoutError, NULL);
    return aw__take_outcome(f, out);
}
