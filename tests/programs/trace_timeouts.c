/* trace_timeouts.c — timeouts driven by the seed: wait_for around work that may or may not
 * finish in time, timeout scopes (some rescheduled), shield, wait(FIRST_COMPLETED) followed by
 * cancelling what is still pending, and as_completed. */
#include <stdio.h>

#include "awaitlab.h"
#include "prng.h"

static uint64_t seed;

AW_COROUTINE(work, int id; double d;) {
    AW_AWAIT(aw_sleep(self->d));
    return aw_int(self->id);
}

AW_COROUTINE(with_wait_for, int id; uint64_t rng;) {
    double d = prng_delay(&self->rng, 40), limit = prng_delay(&self->rng, 40);
    aw_value v;
    aw_status st = aw_await(aw_wait_for(AW_CALL(work, self->id, d), limit), &v);
    if (st == AW_TIMEOUT) {
        aw_exc_clear();
        aw_print("wait_for %d: timed out at %.3f", self->id, aw_time());
        return aw_none();
    }
    if (st != AW_OK) return aw_reraise();
    aw_print("wait_for %d: got %lld at %.3f", self->id, v.as.i, aw_time());
    return v;
}

AW_COROUTINE(with_scope, int id; uint64_t rng;) {
    aw_timeout *t = aw_timeout_begin(prng_delay(&self->rng, 30));
    if (prng_below(&self->rng, 2)) aw_timeout_reschedule(t, aw_time() + prng_delay(&self->rng, 30));
    aw_status st = aw_await(aw_sleep(prng_delay(&self->rng, 40)), NULL);
    st = aw_timeout_end(t, st);
    if (st == AW_TIMEOUT) {
        aw_exc_clear();
        aw_print("scope %d: expired at %.3f", self->id, aw_time());
    } else if (st != AW_OK) {
        return aw_reraise();
    } else {
        aw_print("scope %d: in time at %.3f", self->id, aw_time());
    }
    return aw_none();
}

AW_COROUTINE(racers, uint64_t rng;) {
    void *fs[4];
    size_t n = 2 + prng_below(&self->rng, 3);
    for (size_t i = 0; i < n; i++)
        fs[i] = aw_create_task(AW_CALL(work, 50 + (int)i, prng_delay(&self->rng, 30)));
    aw_future *guarded = aw_shield(aw_any(fs[0]));
    bool done[4];
    AW_TRY(aw_wait(fs, n, AW_NO_TIMEOUT, AW_FIRST_COMPLETED, done));
    for (size_t i = 0; i < n; i++) {
        aw_print("racer %zu: %s", i, done[i] ? "done" : "pending, cancelled");
        if (!done[i]) aw_task_cancel(fs[i], NULL);
    }
    (void)guarded;
    return aw_none();
}

AW_COROUTINE(in_order, uint64_t rng;) {
    void *fs[3];
    for (int i = 0; i < 3; i++) fs[i] = AW_CALL(work, 70 + i, prng_delay(&self->rng, 20));
    aw_as_completed *it = aw_as_completed_new(fs, 3, AW_NO_TIMEOUT);
    while (aw_as_completed_has_next(it)) {
        aw_value v;
        AW_TRY(aw_as_completed_next(it, &v));
        aw_print("as_completed: %lld at %.3f", v.as.i, aw_time());
    }
    return aw_none();
}

AW_COROUTINE(main_coro) {
    uint64_t rng = prng_stream(seed, 0);
    size_t n = 2 + prng_below(&rng, 4);
    void *all[16];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        all[k++] = aw_create_task(AW_CALL(with_wait_for, (int)i + 1, prng_stream(seed, i + 1)));
        all[k++] = aw_create_task(AW_CALL(with_scope, (int)i + 1, prng_stream(seed, i + 20)));
    }
    all[k++] = aw_create_task(AW_CALL(racers, prng_stream(seed, 99)));
    all[k++] = aw_create_task(AW_CALL(in_order, prng_stream(seed, 98)));
    AW_AWAIT(aw_gather(true, k, all));
    aw_print("all done at %.3f", aw_time());
    return aw_none();
}

int main(void)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.program = "trace_timeouts";
    seed = o.seed;
    aw_status st = aw_run(AW_CALL(main_coro), &o, NULL);
    if (st != AW_OK) {
        fprintf(stderr, "trace_timeouts: failed: %s\n", aw_exc_current() ? aw_exc_type(aw_exc_current()) : "?");
        aw_exc_clear();
        return 1;
    }
    return 0;
}
