/* sync_cond.c — asyncio.Condition (CPython 3.12+'s locks.Condition).
 *
 * wait() releases the lock, waits for a notify, and re-acquires the lock before it returns on
 * every way out: a CancelledError while re-acquiring is kept, the acquire retried, and the most
 * recent CancelledError raised once the lock is held again.  Any error out of wait() notifies
 * another waiter instead (it may have been notified already): a "spurious wakeup", which the
 * condition variable protocol allows. */
#include "sync.h"

static void init(aw_condition *cond, aw_lock *lock, aw__sync *owner, bool quiet)
{
    aw__sync_init(&cond->base, AW_SYNC_CONDITION, "Condition()", 0, owner, quiet);
    if (!lock) {
        /* its own lock: events about it are the condition's (async with cond: acquires cond) */
        aw__lock_init(&cond->own_lock, owner ? owner : &cond->base, quiet);
        lock = &cond->own_lock;
    }
    cond->lock = lock;
}

aw_condition *aw_condition_new(aw_lock *lock)
{
    aw_condition *cond = aw__sync_alloc(sizeof *cond, "Condition()");
    init(cond, lock, NULL, false);
    return cond;
}

aw_condition *aw__condition_part(aw__sync *owner)
{
    aw_condition *cond = aw__sync_alloc(sizeof *cond, "Condition()");
    init(cond, NULL, owner, true);
    return cond;
}

bool aw_condition_locked(const aw_condition *cond) { return cond->lock->locked; }
aw_status aw_condition_release(aw_condition *cond) { return aw__lock_release(cond->lock); }

AW_COROUTINE(condition_acquire, aw_condition *cond;)
{
    if (aw__lock_acquire(self->cond->lock) != AW_OK) return aw_reraise();
    return aw__sync_true();
}
aw_coro *aw_condition_acquire(aw_condition *cond) { return AW__CALL_AS("Condition.acquire", condition_acquire, cond); }

/* _notify(n): wakes up to n waiters that are not already woken, first in line first. */
static void notify(aw_condition *cond, size_t n)
{
    aw__sync_trace(&cond->base, AW_SYNC_NOTIFY, aw_current_task(), NULL, (int64_t)n, NULL);
    size_t idx = 0;
    for (aw__waiter *w = cond->waiters.head; w && idx < n; w = w->next) {
        if (aw__waiter_pending(w)) {
            idx++;
            aw__sync_wake(&cond->base, w, (int64_t)idx);
        }
    }
}

aw_status aw__condition_wait(aw_condition *cond)
{
    if (!cond->lock->locked) return aw__fail(AW_RuntimeError, "cannot wait on un-acquired lock");
    if (cond->base.loop != aw__running_loop()) /* fut = self._get_loop().create_future() */
        return aw__fail(AW_RuntimeError, "<asyncio.Condition object> is bound to a different event loop");
    aw__lock_release(cond->lock);
    AW__WAITER(w);
    aw_status st = aw__sync_block(&cond->base, &cond->waiters, w, "wait");
    aw__waiters_remove(&cond->waiters, w);
    aw__waiter_done(w);
    /* finally: must re-acquire the lock even if the wait is cancelled.  Only CancelledError is
     * retried; the most recent one stays in flight. */
    bool cancelled = false;
    for (;;) {
        aw_status a = aw__lock_acquire(cond->lock);
        if (a == AW_OK) break;
        if (a != AW_CANCELLED) { /* another error replaces whatever was propagating */
            st = a;
            cancelled = false;
            goto failed;
        }
        cancelled = true;
    }
    if (cancelled) st = AW_CANCELLED;
    if (st == AW_OK) return AW_OK;
failed:
    notify(cond, 1); /* except BaseException: self._notify(1); raise */
    return st;
}

aw_status aw__condition_wait_for(aw_condition *cond, aw_predicate predicate, void *arg)
{
    while (!predicate(arg)) {
        aw_status st = aw__condition_wait(cond);
        if (st != AW_OK) return st;
    }
    return AW_OK;
}

aw_status aw__condition_notify(aw_condition *cond, size_t n)
{
    if (!cond->lock->locked) return aw__fail(AW_RuntimeError, "cannot notify on un-acquired lock");
    notify(cond, n);
    return AW_OK;
}

AW_COROUTINE(condition_wait, aw_condition *cond;)
{
    if (aw__condition_wait(self->cond) != AW_OK) return aw_reraise();
    return aw__sync_true();
}

AW_COROUTINE(condition_wait_for, aw_condition *cond; aw_predicate predicate; void *arg;)
{
    if (aw__condition_wait_for(self->cond, self->predicate, self->arg) != AW_OK) return aw_reraise();
    return aw__sync_true();
}

aw_coro *aw_condition_wait(aw_condition *cond) { return AW__CALL_AS("Condition.wait", condition_wait, cond); }
aw_coro *aw_condition_wait_for(aw_condition *cond, aw_predicate predicate, void *arg)
{
    return AW__CALL_AS("Condition.wait_for", condition_wait_for, cond, predicate, arg);
}
aw_status aw_condition_notify(aw_condition *cond, size_t n) { return aw__condition_notify(cond, n); }
aw_status aw_condition_notify_all(aw_condition *cond) { return aw__condition_notify(cond, cond->waiters.n); }
