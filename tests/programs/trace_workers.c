/* trace_workers.c — tasks, timers (with many equal deadlines), bare yields, CPU-bound work and
 * gather, all driven by the seed.  Used by tests/scripts/test_trace_determinism.sh; with
 * --perturb one sleep is 5 ms longer (tests/scripts/test_trace_divergence.sh). */
#include <stdio.h>
#include <string.h>

#include "awaitlab.h"
#include "prng.h"

static uint64_t seed;
static int perturb;

AW_COROUTINE(worker, int id; uint64_t rng;) {
    int rounds = 1 + (int)prng_below(&self->rng, 4);
    for (int i = 0; i < rounds; i++) {
        unsigned what = prng_below(&self->rng, 8);
        if (what == 0) {
            AW_AWAIT(aw_sleep(0)); /* a bare yield: one trip through the ready queue */
        } else if (what == 1) {
            aw_busy(prng_delay(&self->rng, 5)); /* holds the loop */
        } else {
            double d = prng_delay(&self->rng, 30);
            if (perturb && self->id == 1 && i == rounds - 1) d += 0.005;
            AW_AWAIT(aw_sleep(d));
        }
        aw_print("worker %d round %d at %.3f", self->id, i, aw_time());
    }
    return aw_int(self->id * 100 + rounds);
}

AW_COROUTINE(main_coro) {
    uint64_t rng = prng_stream(seed, 0);
    size_t n = 2 + prng_below(&rng, 6);
    void *tasks[8];
    for (size_t i = 0; i < n; i++)
        tasks[i] = aw_create_task(AW_CALL(worker, (int)i + 1, prng_stream(seed, i + 1)));
    aw_value results;
    AW_AWAIT_INTO(results, aw_gather(false, n, tasks));
    char buf[256];
    aw_value_repr(results, buf, sizeof buf);
    aw_print("results %s", buf);
    return aw_none();
}

int main(int argc, char **argv)
{
    perturb = argc > 1 && strcmp(argv[1], "--perturb") == 0;
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.program = "trace_workers";
    seed = o.seed;
    aw_status st = aw_run(AW_CALL(main_coro), &o, NULL);
    if (st != AW_OK) {
        fprintf(stderr, "trace_workers: failed: %s\n", aw_exc_current() ? aw_exc_type(aw_exc_current()) : "?");
        aw_exc_clear();
        return 1;
    }
    return 0;
}
