/* trace_cancel.c — cancellation driven by the seed: victims that re-raise, victims that clean up
 * (awaiting during the cleanup) and swallow the cancellation, a canceller that picks its targets
 * at random times, and gather(return_exceptions=True) over all of them. */
#include <stdio.h>

#include "awaitlab.h"
#include "prng.h"

static uint64_t seed;

AW_COROUTINE(victim, int id; uint64_t rng;) {
    double d = prng_delay(&self->rng, 60);
    int swallow = prng_below(&self->rng, 3) == 0;
    aw_status st = aw_await(aw_sleep(d), NULL);
    if (st == AW_CANCELLED) {
        aw_print("victim %d cancelled at %.3f", self->id, aw_time());
        if (!swallow) return aw_reraise();
        aw_exc_clear(); /* except CancelledError: clean up and carry on */
        AW_AWAIT(aw_sleep(prng_delay(&self->rng, 10)));
        aw_print("victim %d cleaned up at %.3f", self->id, aw_time());
        return aw_int(-self->id);
    }
    if (st != AW_OK) return aw_reraise();
    aw_print("victim %d finished at %.3f", self->id, aw_time());
    return aw_int(self->id);
}

AW_COROUTINE(canceller, aw_task **targets; size_t n; uint64_t rng;) {
    for (int k = 0; k < 3; k++) {
        AW_AWAIT(aw_sleep(prng_delay(&self->rng, 25)));
        aw_task *t = self->targets[prng_below(&self->rng, (unsigned)self->n)];
        bool took = aw_task_cancel(t, prng_below(&self->rng, 2) ? "stop" : NULL);
        aw_print("cancel %s: %s", aw_task_name(t), took ? "requested" : "already done");
    }
    return aw_none();
}

AW_COROUTINE(main_coro) {
    uint64_t rng = prng_stream(seed, 0);
    size_t n = 3 + prng_below(&rng, 5);
    aw_task *victims[8];
    void *all[9];
    for (size_t i = 0; i < n; i++) {
        victims[i] = aw_create_task(AW_CALL(victim, (int)i + 1, prng_stream(seed, i + 1)));
        all[i] = victims[i];
    }
    all[n] = aw_create_task(AW_CALL(canceller, victims, n, prng_stream(seed, 100)));
    aw_value results;
    AW_AWAIT_INTO(results, aw_gather(true, n + 1, all));
    char buf[512];
    aw_value_repr(results, buf, sizeof buf);
    aw_print("results %s", buf);
    return aw_none();
}

int main(void)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.program = "trace_cancel";
    seed = o.seed;
    aw_status st = aw_run(AW_CALL(main_coro), &o, NULL);
    if (st != AW_OK) {
        fprintf(stderr, "trace_cancel: failed: %s\n", aw_exc_current() ? aw_exc_type(aw_exc_current()) : "?");
        aw_exc_clear();
        return 1;
    }
    return 0;
}
