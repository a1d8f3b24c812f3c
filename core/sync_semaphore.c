/* sync_semaphore.c — asyncio.Semaphore and BoundedSemaphore (CPython 3.12+'s locks.Semaphore).
 *
 * FIFO: acquire() waits while the value is 0 or any waiter still in line is not cancelled.
 * release() hands the unit to the first waiter at once (_wake_up_next decrements the value for
 * it); a waiter woken and then cancelled gives its unit back.  When an acquire ends, however it
 * ends, it wakes as many waiters as the value allows (waiters that arrived meanwhile had to wait
 * their turn). */
#include "sync.h"

struct aw_semaphore {
    aw__sync base;
    long value, bound;
    aw__waiters waiters;
};

static aw_semaphore *make(long value, int kind, const char *what)
{
    if (value < 0) {
        aw__fail(AW_ValueError, "Semaphore initial value must be >= 0");
        return NULL;
    }
    aw_semaphore *sem = aw__sync_alloc(sizeof *sem, what);
    sem->value = sem->bound = value;
    aw__sync_init(&sem->base, kind, what, value, NULL, false);
    return sem;
}

aw_semaphore *aw_semaphore_new(long value) { return make(value, AW_SYNC_SEMAPHORE, "Semaphore()"); }
aw_semaphore *aw_bounded_semaphore_new(long value)
{
    return make(value, AW_SYNC_BOUNDED_SEMAPHORE, "BoundedSemaphore()");
}

/* True if the semaphore cannot be acquired at once: by its value, or by FIFO (others first). */
bool aw_semaphore_locked(const aw_semaphore *sem)
{
    if (sem->value == 0) return true;
    for (const aw__waiter *w = sem->waiters.head; w; w = w->next)
        if (!aw__waiter_cancelled(w)) return true;
    return false;
}

/* Wakes the first waiter that isn't done, giving it a unit; false if there was none. */
static bool wake_up_next(aw_semaphore *sem)
{
    for (aw__waiter *w = sem->waiters.head; w; w = w->next) {
        if (aw__waiter_pending(w)) {
            sem->value--;
            aw__sync_wake(&sem->base, w, sem->value);
            return true;
        }
    }
    return false;
}

aw_status aw__semaphore_acquire(aw_semaphore *sem)
{
    aw_task *me = aw_current_task();
    if (!aw_semaphore_locked(sem)) {
        sem->value--;
        aw__sync_trace(&sem->base, AW_SYNC_ACQUIRE, me, NULL, sem->value, NULL);
        return AW_OK;
    }
    AW__WAITER(w);
    aw_status st = aw__sync_block(&sem->base, &sem->waiters, w, "acquire");
    aw__waiters_remove(&sem->waiters, w);
    /* Woken (our unit was taken for us) but not about to acquire: give the unit back. */
    if (st == AW_CANCELLED && w->fut && !aw__waiter_pending(w) && !aw__waiter_cancelled(w)) sem->value++;
    aw__waiter_done(w);
    /* finally: wake as many as are allowed */
    while (sem->value > 0)
        if (!wake_up_next(sem)) break;
    if (st != AW_OK) return st;
    aw__sync_trace(&sem->base, AW_SYNC_ACQUIRE, me, NULL, sem->value, NULL);
    return AW_OK;
}

aw_status aw__semaphore_release(aw_semaphore *sem)
{
    if (sem->base.kind == AW_SYNC_BOUNDED_SEMAPHORE && sem->value >= sem->bound)
        return aw__fail(AW_ValueError, "BoundedSemaphore released too many times");
    sem->value++;
    aw__sync_trace(&sem->base, AW_SYNC_RELEASE, aw_current_task(), NULL, sem->value, NULL);
    wake_up_next(sem);
    return AW_OK;
}

AW_COROUTINE(semaphore_acquire, aw_semaphore *sem;)
{
    if (aw__semaphore_acquire(self->sem) != AW_OK) return aw_reraise();
    return aw__sync_true();
}

aw_coro *aw_semaphore_acquire(aw_semaphore *sem) { return AW__CALL_AS("Semaphore.acquire", semaphore_acquire, sem); }
aw_status aw_semaphore_release(aw_semaphore *sem) { return aw__semaphore_release(sem); }
