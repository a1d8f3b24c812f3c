/* sync.h — what the synchronization primitives and queues share (core/sync.c): a header that
 * identifies each primitive in traces, and CPython's `collections.deque` of waiter futures.
 * Not installed; core only.
 *
 * A waiter lives on the stack of the coroutine that waits (it is linked into the primitive's list
 * only while that coroutine is suspended in the primitive's code, and that code unlinks it on
 * every way out, as CPython's `finally: self._waiters.remove(fut)` does), so waiting costs no
 * allocation but the waiter future itself.  Except in a copied-stacks loop (fiber.h), where a
 * sleeping task's stack is someone else's while it sleeps: there the waiter is on the heap.
 * Event.wait keeps its waiter in its own coroutine object instead (sync_event.c), which is on the
 * stack or on the heap by the same rule, with no block of its own.
 */
#ifndef AW_SYNC_H
#define AW_SYNC_H

#include "internal.h"

typedef struct aw__sync aw__sync;
struct aw__sync {
    uint32_t tag;            /* AW__TAG_SYNC */
    int kind;                /* AW_SYNC_LOCK... (aw_tracer.h) */
    aw_loop *loop;
    unsigned id;             /* own id space (loop->next_sync_id); 0: a part of another primitive */
    const char *name;        /* arena string, or NULL */
    /* The primitive whose id and kind this one's events carry: itself, or the primitive it is a
     * part of (a Condition's own Lock reports as the Condition).  `quiet` parts (a Barrier's
     * Condition and Lock) report only their block and wake events. */
    aw__sync *traced_as;
    bool quiet;
};

typedef struct aw__waiter aw__waiter;
struct aw__waiter {
    aw_future *fut;
    aw_task *task;           /* the task waiting (traces: who is woken) */
    aw__waiter *prev, *next;
    bool linked;
    bool on_heap;            /* copied stacks: freed by aw__waiter_done */
};

/* Declares `aw__waiter *name` for a coroutine that waits: on its own stack, or on the heap in a
 * copied-stacks loop (freed by aw__waiter_done, so every way out already frees it). */
#define AW__WAITER(name) aw__waiter name##_on_stack, *name = aw__waiter_home(&name##_on_stack)
aw__waiter *aw__waiter_home(aw__waiter *on_stack);

typedef struct aw__waiters {
    aw__waiter *head, *tail;
    size_t n;
} aw__waiters;

/* Makes a primitive of the running loop (none: the program is told and stops) and traces its
 * creation with `count` (initial value, maxsize, parties).  owner non-NULL: a part of owner,
 * traced as owner (quiet: only blocking and waking). */
void aw__sync_init(aw__sync *s, int kind, const char *what, int64_t count, aw__sync *owner, bool quiet);
/* Arena memory of the running loop for a primitive (see aw__sync_init for the no-loop case). */
void *aw__sync_alloc(size_t size, const char *what);

/* A `sync` event about s (nothing for a quiet part, except block and wake). */
void aw__sync_trace(const aw__sync *s, int op, aw_task *task, aw_future *fut, int64_t count, const char *value);
/* The same with an item's repr as the value. */
void aw__sync_trace_item(const aw__sync *s, int op, int64_t count, aw_value item);

/* The deque. */
void aw__waiters_append(aw__waiters *ws, aw__waiter *w);
bool aw__waiters_remove(aw__waiters *ws, aw__waiter *w);   /* false: not in the list (ValueError) */
aw__waiter *aw__waiters_popleft(aw__waiters *ws);

/* Waiting: makes w's future (the primitive's loop must be the running one, else RuntimeError),
 * appends w to ws, traces `block` (value: the call that waits, "acquire"...), and awaits it.
 * The caller unlinks w (aw__waiters_remove) and then calls aw__waiter_done(w). */
aw_status aw__sync_block(aw__sync *s, aw__waiters *ws, aw__waiter *w, const char *call);
void aw__waiter_done(aw__waiter *w);   /* w is gone if it was on the heap */
/* fut.set_result(...) for w's future, which must be pending; traced as `wake` first. */
void aw__sync_wake(const aw__sync *s, aw__waiter *w, int64_t count);
static inline bool aw__waiter_pending(const aw__waiter *w) { return w->fut->state == AW__PENDING; }
static inline bool aw__waiter_cancelled(const aw__waiter *w) { return w->fut->state == AW__CANCELLED; }

/* What the coroutines return for Python's True (aw_value has no bool). */
static inline aw_value aw__sync_true(void) { return aw_bool(true); }

/* Lock and Condition are parts of others (a Condition has a Lock, a Barrier a Condition). */
struct aw_lock {
    aw__sync base;
    bool locked;
    aw__waiters waiters;
};

struct aw_condition {
    aw__sync base;
    aw_lock *lock;
    aw_lock own_lock;        /* when made without one */
    aw__waiters waiters;
};

/* The primitives' own code, shared between files (sync_lock.c, sync_cond.c, sync_barrier.c):
 * each returns AW_OK or the status of the exception it left in flight. */
aw_status aw__lock_acquire(aw_lock *lock);
aw_status aw__lock_release(aw_lock *lock);
void aw__lock_init(aw_lock *lock, aw__sync *owner, bool quiet);
aw_status aw__semaphore_acquire(aw_semaphore *sem);
aw_status aw__semaphore_release(aw_semaphore *sem);
aw_status aw__condition_wait(aw_condition *cond);
aw_status aw__condition_wait_for(aw_condition *cond, aw_predicate predicate, void *arg);
aw_status aw__condition_notify(aw_condition *cond, size_t n);
aw_condition *aw__condition_part(aw__sync *owner);   /* a quiet Condition (with its own Lock) */

#endif /* AW_SYNC_H */
