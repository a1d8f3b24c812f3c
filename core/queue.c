/* queue.c — asyncio.Queue, PriorityQueue and LifoQueue (CPython 3.13+'s queues.py, shutdown
 * included).
 *
 * put() waits while the queue is full, get() while it is empty; each is woken by the other's
 * _wakeup_next (the first waiter not already done), and a waiter woken and then cancelled wakes
 * the next one in line.  join() waits for task_done() to have been called once per item put.
 * shutdown() makes puts raise QueueShutDown, and gets once the queue is empty (at once when
 * immediate, which also drains the queue); it wakes every blocked put() and get().  Items live
 * in the loop's arena (a ring for Queue, a list for LifoQueue, heapq's heap for PriorityQueue). */
#include <string.h>

#include "sync.h"

struct aw_queue {
    aw__sync base;
    long maxsize;
    aw_value *items;             /* ring (Queue) or list/heap (LifoQueue, PriorityQueue) */
    size_t head, len, cap;
    aw__waiters getters, putters;
    long unfinished_tasks;
    bool finished;               /* the Event join() waits for: set when unfinished_tasks is 0 */
    aw__waiters joiners;
    bool is_shutdown;
};

static aw_queue *make(long maxsize, int kind, const char *what)
{
    aw_queue *q = aw__sync_alloc(sizeof *q, what);
    q->maxsize = maxsize;
    q->finished = true;
    aw__sync_init(&q->base, kind, what, maxsize < 0 ? 0 : maxsize, NULL, false);
    return q;
}

aw_queue *aw_queue_new(long maxsize) { return make(maxsize, AW_SYNC_QUEUE, "Queue()"); }
aw_queue *aw_priority_queue_new(long maxsize) { return make(maxsize, AW_SYNC_PRIORITY_QUEUE, "PriorityQueue()"); }
aw_queue *aw_lifo_queue_new(long maxsize) { return make(maxsize, AW_SYNC_LIFO_QUEUE, "LifoQueue()"); }

size_t aw_queue_qsize(const aw_queue *q) { return q->len; }
long aw_queue_maxsize(const aw_queue *q) { return q->maxsize; }
bool aw_queue_empty(const aw_queue *q) { return q->len == 0; }
bool aw_queue_full(const aw_queue *q) { return q->maxsize > 0 && (long)q->len >= q->maxsize; }

/* ---- Python's `<` on values (PriorityQueue) ------------------------------------------------- */
static const char *type_name(aw_value v)
{
    switch (v.kind) {
    case AW_NONE: return "NoneType";
    case AW_INT: return "int";
    case AW_FLOAT: return "float";
    case AW_STR: return "str";
    case AW_LIST: return "list";
    case AW_EXC: return aw_exc_type(v.as.exc);
    default: return "object";
    }
}

static bool is_number(aw_value v) { return v.kind == AW_INT || v.kind == AW_FLOAT; }

static bool num_lt(aw_value a, aw_value b)
{
    if (a.kind == AW_INT && b.kind == AW_INT) return a.as.i < b.as.i;
    double x = a.kind == AW_INT ? (double)a.as.i : a.as.f, y = b.kind == AW_INT ? (double)b.as.i : b.as.f;
    return x < y;
}

static bool values_eq(aw_value a, aw_value b)
{
    if (is_number(a) && is_number(b)) return !num_lt(a, b) && !num_lt(b, a);
    if (a.kind != b.kind) return false;
    switch (a.kind) {
    case AW_NONE: return true;
    case AW_STR: return strcmp(a.as.s, b.as.s) == 0;
    case AW_PTR:
    case AW_OBJECT: return a.as.p == b.as.p;
    case AW_EXC: return a.as.exc == b.as.exc;
    case AW_LIST:
        if (a.as.list->len != b.as.list->len) return false;
        for (size_t i = 0; i < a.as.list->len; i++)
            if (!values_eq(a.as.list->items[i], b.as.list->items[i])) return false;
        return true;
    default: return false;
    }
}

/* a < b as Python computes it: 1 true, 0 false, -1 TypeError (in flight). */
static int values_lt(aw_value a, aw_value b)
{
    if (is_number(a) && is_number(b)) return num_lt(a, b);
    if (a.kind == AW_STR && b.kind == AW_STR) return strcmp(a.as.s, b.as.s) < 0; /* UTF-8: code points */
    if (a.kind == AW_LIST && b.kind == AW_LIST) { /* the first items that differ decide */
        size_t n = a.as.list->len < b.as.list->len ? a.as.list->len : b.as.list->len;
        for (size_t i = 0; i < n; i++)
            if (!values_eq(a.as.list->items[i], b.as.list->items[i]))
                return values_lt(a.as.list->items[i], b.as.list->items[i]);
        return a.as.list->len < b.as.list->len;
    }
    aw__fail(AW_TypeError, "'<' not supported between instances of '%s' and '%s'", type_name(a), type_name(b));
    return -1;
}

/* ---- heapq, step for step (its tie order is part of what CPython prints) ---------------------- */
static void swap(aw_value *x, size_t i, size_t j)
{
    aw_value t = x[i];
    x[i] = x[j];
    x[j] = t;
}

static int siftdown(aw_value *heap, size_t startpos, size_t pos)
{
    while (pos > startpos) {
        size_t parentpos = (pos - 1) >> 1;
        int lt = values_lt(heap[pos], heap[parentpos]);
        if (lt < 0) return -1;
        if (!lt) break;
        swap(heap, pos, parentpos);
        pos = parentpos;
    }
    return 0;
}

static int siftup(aw_value *heap, size_t endpos, size_t pos)
{
    size_t startpos = pos, limit = endpos >> 1;
    while (pos < limit) { /* bubble up the smaller child until hitting a leaf */
        size_t childpos = 2 * pos + 1;
        if (childpos + 1 < endpos) {
            int lt = values_lt(heap[childpos], heap[childpos + 1]);
            if (lt < 0) return -1;
            childpos += (size_t)!lt;
        }
        swap(heap, childpos, pos);
        pos = childpos;
    }
    return siftdown(heap, startpos, pos);
}

/* ---- storage ---------------------------------------------------------------------------------- */
static void grow(aw_queue *q)
{
    if (q->len < q->cap) return;
    size_t cap = q->cap ? q->cap * 2 : 8;
    aw_value *items = aw__arena_alloc(q->base.loop, cap * sizeof *items);
    for (size_t i = 0; i < q->len; i++) items[i] = q->items[(q->head + i) % (q->cap ? q->cap : 1)];
    q->items = items;
    q->head = 0;
    q->cap = cap;
}

static aw_status put_item(aw_queue *q, aw_value item)
{
    grow(q);
    if (q->base.kind == AW_SYNC_QUEUE) {
        q->items[(q->head + q->len++) % q->cap] = item;
        return AW_OK;
    }
    q->items[q->len++] = item;
    if (q->base.kind == AW_SYNC_PRIORITY_QUEUE && siftdown(q->items, 0, q->len - 1) < 0)
        return AW_ERROR; /* heappush appended it, then failed to compare: as CPython, it stays */
    return AW_OK;
}

static aw_status get_item(aw_queue *q, aw_value *out)
{
    switch (q->base.kind) {
    case AW_SYNC_QUEUE:
        *out = q->items[q->head];
        q->head = (q->head + 1) % q->cap;
        q->len--;
        return AW_OK;
    case AW_SYNC_LIFO_QUEUE: *out = q->items[--q->len]; return AW_OK;
    default: { /* heappop */
        aw_value last = q->items[--q->len];
        if (!q->len) {
            *out = last;
            return AW_OK;
        }
        *out = q->items[0];
        q->items[0] = last;
        return siftup(q->items, q->len, 0) < 0 ? AW_ERROR : AW_OK;
    }
    }
}

/* ---- waking ----------------------------------------------------------------------------------- */
/* Wake up the next waiter (if any) that isn't done. */
static void wakeup_next(aw_queue *q, aw__waiters *ws)
{
    aw__waiter *w;
    while ((w = aw__waiters_popleft(ws))) {
        if (aw__waiter_pending(w)) {
            aw__sync_wake(&q->base, w, (int64_t)q->len);
            break;
        }
    }
}

static void wake_all(aw_queue *q, aw__waiters *ws, bool pop)
{
    aw__waiter *w = ws->head;
    while (w) {
        aw__waiter *next = w->next;
        if (pop) aw__waiters_remove(ws, w);
        if (aw__waiter_pending(w)) aw__sync_wake(&q->base, w, (int64_t)q->len);
        w = next;
    }
}

static void set_finished(aw_queue *q) /* self._finished.set() */
{
    if (q->finished) return;
    q->finished = true;
    wake_all(q, &q->joiners, false);
}

/* ---- put and get ------------------------------------------------------------------------------ */
aw_status aw_queue_put_nowait(aw_queue *q, aw_value item)
{
    if (q->is_shutdown) return aw__fail(AW_QueueShutDown, NULL);
    if (aw_queue_full(q)) return aw__fail(AW_QueueFull, NULL);
    if (aw__value_escapes_stack(item, "a queue item")) return AW_ERROR;
    if (put_item(q, item) != AW_OK) return AW_ERROR;
    q->unfinished_tasks++;
    q->finished = false;
    aw__sync_trace_item(&q->base, AW_SYNC_PUT, (int64_t)q->len, item);
    wakeup_next(q, &q->getters);
    return AW_OK;
}

aw_status aw_queue_get_nowait(aw_queue *q, aw_value *out)
{
    if (!q->len) return aw__fail(q->is_shutdown ? AW_QueueShutDown : AW_QueueEmpty, NULL);
    aw_value item;
    if (get_item(q, &item) != AW_OK) return AW_ERROR;
    aw__sync_trace_item(&q->base, AW_SYNC_GET, (int64_t)q->len, item);
    wakeup_next(q, &q->putters);
    if (out) *out = item;
    return AW_OK;
}

/* Waits in `ws` until woken; on an error, cleans up as CPython's `except:` clause does. */
static aw_status wait_turn(aw_queue *q, aw__waiters *ws, const char *call, bool (*still_blocked)(const aw_queue *))
{
    AW__WAITER(w);
    aw_status st = aw__sync_block(&q->base, ws, w, call);
    if (st != AW_OK && w->fut) {
        aw_exc **slot = aw__in_flight_slot(); /* cancel() below must not lose what propagates */
        aw_exc *e = *slot;
        *slot = NULL;
        aw_future_cancel(w->fut, NULL); /* just in case it is not done yet */
        *aw__in_flight_slot() = e;
        aw__waiters_remove(ws, w); /* it may be gone already: popped by a wake-up or shutdown */
        /* Woken, but cannot take the call: wake up the next in line. */
        if (!still_blocked(q) && !aw__waiter_cancelled(w)) wakeup_next(q, ws);
    }
    aw__waiter_done(w);
    return st;
}

static bool is_full(const aw_queue *q) { return aw_queue_full(q); }
static bool is_empty(const aw_queue *q) { return aw_queue_empty(q); }

AW_COROUTINE(queue_put, aw_queue *q; aw_value item;)
{
    aw_queue *q = self->q;
    while (aw_queue_full(q)) {
        if (q->is_shutdown) return aw_raise_class(AW_QueueShutDown, NULL);
        if (wait_turn(q, &q->putters, "put", is_full) != AW_OK) return aw_reraise();
    }
    if (aw_queue_put_nowait(q, self->item) != AW_OK) return aw_reraise();
    return aw_none();
}

AW_COROUTINE(queue_get, aw_queue *q;)
{
    aw_queue *q = self->q;
    while (aw_queue_empty(q)) {
        if (q->is_shutdown) return aw_raise_class(AW_QueueShutDown, NULL);
        if (wait_turn(q, &q->getters, "get", is_empty) != AW_OK) return aw_reraise();
    }
    aw_value item;
    if (aw_queue_get_nowait(q, &item) != AW_OK) return aw_reraise();
    return item;
}

aw_coro *aw_queue_put(aw_queue *q, aw_value item) { return AW__CALL_AS("Queue.put", queue_put, q, item); }
aw_coro *aw_queue_get(aw_queue *q) { return AW__CALL_AS("Queue.get", queue_get, q); }

/* ---- task_done, join, shutdown ------------------------------------------------------------------- */
aw_status aw_queue_task_done(aw_queue *q)
{
    if (q->unfinished_tasks <= 0) return aw__fail(AW_ValueError, "task_done() called too many times");
    q->unfinished_tasks--;
    aw__sync_trace(&q->base, AW_SYNC_TASK_DONE, aw_current_task(), NULL, q->unfinished_tasks, NULL);
    if (q->unfinished_tasks == 0) set_finished(q);
    return AW_OK;
}

AW_COROUTINE(queue_join, aw_queue *q;)
{
    aw_queue *q = self->q;
    if (q->unfinished_tasks > 0 && !q->finished) { /* await self._finished.wait() */
        AW__WAITER(w);
        aw_status st = aw__sync_block(&q->base, &q->joiners, w, "join");
        aw__waiters_remove(&q->joiners, w);
        aw__waiter_done(w);
        if (st != AW_OK) return aw_reraise();
    }
    return aw_none();
}

aw_coro *aw_queue_join(aw_queue *q) { return AW__CALL_AS("Queue.join", queue_join, q); }

void aw_queue_shutdown(aw_queue *q, bool immediate)
{
    aw__sync_trace(&q->base, AW_SYNC_SHUTDOWN, aw_current_task(), NULL, immediate, NULL);
    q->is_shutdown = true;
    if (immediate) {
        while (q->len) {
            aw_value dropped;
            if (get_item(q, &dropped) != AW_OK) aw_exc_clear(); /* cannot happen: heappop of comparable items */
            else aw__sync_trace_item(&q->base, AW_SYNC_GET, (int64_t)q->len, dropped); /* self._get(): it leaves */
            if (q->unfinished_tasks > 0) q->unfinished_tasks--;
        }
        if (q->unfinished_tasks == 0) set_finished(q);
    }
    /* All getters need to re-check queue-empty to raise QueueShutDown. */
    wake_all(q, &q->getters, true);
    wake_all(q, &q->putters, true);
}
