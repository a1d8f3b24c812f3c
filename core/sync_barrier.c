/* sync_barrier.c — asyncio.Barrier (CPython 3.11+'s locks.Barrier), on a Condition as CPython's
 * is, so that its tasks wake in the same order: states filling -> draining (the last party
 * arrived: everyone passes) -> filling again once the last one has left; resetting (reset()
 * while tasks wait: they get BrokenBarrierError) and broken (abort()).  Its Condition and Lock
 * are quiet parts: traces show the barrier's own events, and blocking and waking as the
 * barrier's. */
#include <stdio.h>

#include "sync.h"

typedef enum { FILLING, DRAINING, RESETTING, BROKEN } barrier_state;

struct aw_barrier {
    aw__sync base;
    aw_condition *cond;
    long parties, count;
    barrier_state state;
};

aw_barrier *aw_barrier_new(long parties)
{
    if (parties < 1) {
        aw__fail(AW_ValueError, "parties must be >= 1");
        return NULL;
    }
    aw_barrier *b = aw__sync_alloc(sizeof *b, "Barrier()");
    b->parties = parties;
    aw__sync_init(&b->base, AW_SYNC_BARRIER, "Barrier()", parties, NULL, false);
    b->cond = aw__condition_part(&b->base);
    return b;
}

long aw_barrier_parties(const aw_barrier *b) { return b->parties; }
long aw_barrier_n_waiting(const aw_barrier *b) { return b->state == FILLING ? b->count : 0; }
bool aw_barrier_broken(const aw_barrier *b) { return b->state == BROKEN; }

/* CPython's _BarrierState values. */
const char *aw_barrier_state(const aw_barrier *b)
{
    static const char *const names[] = {[FILLING] = "filling", [DRAINING] = "draining",
                                        [RESETTING] = "resetting", [BROKEN] = "broken"};
    return names[b->state];
}

/* Barrier.__repr__: object.__repr__ (res) as "<{res[1:-1]} [{extra}]>", extra the state, then
 * ", waiters:n_waiting/parties" unless broken.  The address is "0x..." (as the document writes
 * it): sim mode never prints one, and the oracle elides CPython's the same way (vloop.py,
 * elide_addresses), so the lines compare equal. */
const char *aw_barrier_repr(const aw_barrier *b)
{
    char buf[128];
    int n = snprintf(buf, sizeof buf, "<asyncio.locks.Barrier object at 0x... [%s", aw_barrier_state(b));
    if (!aw_barrier_broken(b))
        snprintf(buf + n, sizeof buf - (size_t)n, ", waiters:%ld/%ld]>", aw_barrier_n_waiting(b), b->parties);
    else
        snprintf(buf + n, sizeof buf - (size_t)n, "]>");
    return aw__arena_strdup(b->base.loop, buf);
}

static bool not_draining_or_resetting(void *arg)
{
    aw_barrier *b = arg;
    return b->state != DRAINING && b->state != RESETTING;
}

static bool not_filling(void *arg) { return ((aw_barrier *)arg)->state != FILLING; }

/* Blocks while the barrier drains or resets; BrokenBarrierError if it is broken. */
static aw_status block(aw_barrier *b)
{
    aw_status st = aw__condition_wait_for(b->cond, not_draining_or_resetting, b);
    if (st != AW_OK) return st;
    if (b->state == BROKEN) return aw__fail(AW_BrokenBarrierError, "Barrier aborted");
    return AW_OK;
}

/* Waits until the last party arrives; BrokenBarrierError if the barrier is reset or broken. */
static aw_status wait_released(aw_barrier *b)
{
    aw_status st = aw__condition_wait_for(b->cond, not_filling, b);
    if (st != AW_OK) return st;
    if (b->state == BROKEN || b->state == RESETTING)
        return aw__fail(AW_BrokenBarrierError, "Abort or reset of barrier");
    return AW_OK;
}

/* The last task out wakes those waiting for the barrier to drain. */
static void leave(aw_barrier *b)
{
    if (b->count == 0) {
        if (b->state == RESETTING || b->state == DRAINING) b->state = FILLING;
        aw__condition_notify(b->cond, b->cond->waiters.n);
    }
}

AW_COROUTINE(barrier_wait, aw_barrier *b;)
{
    aw_barrier *b = self->b;
    if (aw__lock_acquire(b->cond->lock) != AW_OK) return aw_reraise(); /* async with self._cond */
    aw_status st = block(b);
    long index = -1;
    if (st == AW_OK) {
        index = b->count++;
        aw__sync_trace(&b->base, AW_SYNC_ARRIVE, aw_current_task(), NULL, b->count, NULL);
        if (index + 1 == b->parties) { /* we release the barrier */
            b->state = DRAINING;
            aw__condition_notify(b->cond, b->cond->waiters.n);
        } else {
            st = wait_released(b);
        }
        b->count--; /* finally */
        leave(b);
    }
    aw__lock_release(b->cond->lock);
    if (st != AW_OK) return aw_reraise();
    aw__sync_trace(&b->base, AW_SYNC_PASS, aw_current_task(), NULL, index, NULL);
    return aw_int(index);
}

AW_COROUTINE(barrier_reset, aw_barrier *b;)
{
    aw_barrier *b = self->b;
    if (aw__lock_acquire(b->cond->lock) != AW_OK) return aw_reraise();
    aw__sync_trace(&b->base, AW_SYNC_RESET, aw_current_task(), NULL, b->count, NULL);
    if (b->count > 0)
        b->state = RESETTING; /* wake the waiting tasks: they raise BrokenBarrierError */
    else
        b->state = FILLING;
    aw__condition_notify(b->cond, b->cond->waiters.n);
    aw__lock_release(b->cond->lock);
    return aw_none();
}

AW_COROUTINE(barrier_abort, aw_barrier *b;)
{
    aw_barrier *b = self->b;
    if (aw__lock_acquire(b->cond->lock) != AW_OK) return aw_reraise();
    aw__sync_trace(&b->base, AW_SYNC_ABORT, aw_current_task(), NULL, b->count, NULL);
    b->state = BROKEN;
    aw__condition_notify(b->cond, b->cond->waiters.n);
    aw__lock_release(b->cond->lock);
    return aw_none();
}

aw_coro *aw_barrier_wait(aw_barrier *b) { return AW__CALL_AS("Barrier.wait", barrier_wait, b); }
aw_coro *aw_barrier_reset(aw_barrier *b) { return AW__CALL_AS("Barrier.reset", barrier_reset, b); }
aw_coro *aw_barrier_abort(aw_barrier *b) { return AW__CALL_AS("Barrier.abort", barrier_abort, b); }
