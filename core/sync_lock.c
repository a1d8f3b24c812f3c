/* sync_lock.c — asyncio.Lock: FIFO, and fair (CPython 3.12+'s locks.Lock).
 *
 * acquire() takes the lock at once only when it is free and no waiter is still in line (all
 * cancelled).  release() wakes the first waiter (_wake_up_first) without giving it the lock: the
 * woken task takes it when it runs.  A waiter woken and then cancelled before it ran passes the
 * turn on (it wakes the new first waiter) unless the lock was taken meanwhile.
 */
#include "sync.h"

void aw__lock_init(aw_lock *lock, aw__sync *owner, bool quiet)
{
    aw__sync_init(&lock->base, AW_SYNC_LOCK, "Lock()", 0, owner, quiet);
}

aw_lock *aw_lock_new(void)
{
    aw_lock *lock = aw__sync_alloc(sizeof *lock, "Lock()");
    aw__lock_init(lock, NULL, false);
    return lock;
}

bool aw_lock_locked(const aw_lock *lock) { return lock->locked; }

static bool all_cancelled(const aw__waiters *ws)
{
    for (const aw__waiter *w = ws->head; w; w = w->next)
        if (!aw__waiter_cancelled(w)) return false;
    return true;
}

/* Ensure that the first waiter will wake up (.done(): it is already set to wake up). */
static void wake_up_first(aw_lock *lock)
{
    aw__waiter *first = lock->waiters.head;
    if (first && aw__waiter_pending(first)) aw__sync_wake(&lock->base, first, lock->locked);
}

aw_status aw__lock_acquire(aw_lock *lock)
{
    aw_task *me = aw_current_task();
    if (!lock->locked && all_cancelled(&lock->waiters)) {
        lock->locked = true;
        aw__sync_trace(&lock->base, AW_SYNC_ACQUIRE, me, NULL, 1, NULL);
        return AW_OK;
    }
    AW__WAITER(w);
    aw_status st = aw__sync_block(&lock->base, &lock->waiters, w, "acquire");
    aw__waiters_remove(&lock->waiters, w); /* finally: self._waiters.remove(fut) */
    aw__waiter_done(w);
    if (st != AW_OK) {
        /* Ensure the lock invariant: if the lock is not claimed and a task waits, the first
         * waiter will run (only CancelledError is expected here, as in CPython). */
        if (st == AW_CANCELLED && !lock->locked) wake_up_first(lock);
        return st;
    }
    lock->locked = true;
    aw__sync_trace(&lock->base, AW_SYNC_ACQUIRE, me, NULL, 1, NULL);
    return AW_OK;
}

aw_status aw__lock_release(aw_lock *lock)
{
    if (!lock->locked) return aw__fail(AW_RuntimeError, "Lock is not acquired.");
    lock->locked = false;
    aw__sync_trace(&lock->base, AW_SYNC_RELEASE, aw_current_task(), NULL, 0, NULL);
    wake_up_first(lock);
    return AW_OK;
}

AW_COROUTINE(lock_acquire, aw_lock *lock;)
{
    if (aw__lock_acquire(self->lock) != AW_OK) return aw_reraise();
    return aw__sync_true();
}

aw_coro *aw_lock_acquire(aw_lock *lock) { return AW__CALL_AS("Lock.acquire", lock_acquire, lock); }
aw_status aw_lock_release(aw_lock *lock) { return aw__lock_release(lock); }
