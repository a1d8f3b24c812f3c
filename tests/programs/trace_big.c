/* trace_big.c — a long trace for the viewers' performance checks: workers that sleep, print,
 * time out (wait_for), hold the loop with CPU work, and start helpers that they cancel, on the
 * sim clock.  `trace_big [ROUNDS]` (default 4800 rounds in all: about 100,000 events; the seed
 * comes from AWAITLAB_SEED).  Trace it with AWAITLAB_TRACE=FILE; nothing here is asserted. */
#include <stdio.h>
#include <stdlib.h>

#include "awaitlab.h"
#include "prng.h"

#define WORKERS 40

static uint64_t seed;
static long rounds_left = 4800;

AW_COROUTINE(helper, int id;) {
    AW_AWAIT(aw_sleep(0.5)); /* long enough to be cancelled first */
    aw_print("helper %d done", self->id);
    return aw_none();
}

AW_COROUTINE(worker, int id; uint64_t rng;) {
    for (int round = 0; rounds_left-- > 0; round++) {
        unsigned what = prng_below(&self->rng, 10);
        if (what < 5) {
            AW_AWAIT(aw_sleep(0.001 + prng_delay(&self->rng, 40)));
        } else if (what < 7) { /* a timeout that sometimes expires */
            aw_status st = aw_await(aw_wait_for(aw_sleep(prng_delay(&self->rng, 30)), 0.015), NULL);
            if (st == AW_TIMEOUT) aw_exc_clear();
            else if (st != AW_OK) return aw_reraise();
        } else if (what < 8) {
            aw_busy(prng_delay(&self->rng, 3));
        } else { /* a helper task, cancelled a little later */
            aw_task *h = aw_create_task(AW_CALL(helper, self->id * 1000 + round));
            AW_AWAIT(aw_sleep(prng_delay(&self->rng, 20)));
            aw_task_cancel(h, NULL);
            if (aw_await(h, NULL) != AW_OK) aw_exc_clear();
        }
        if (round % 3 == 0) aw_print("worker %d round %d", self->id, round);
    }
    return aw_none();
}

AW_COROUTINE(main_coro) {
    void *tasks[WORKERS];
    for (int i = 0; i < WORKERS; i++) tasks[i] = aw_create_task(AW_CALL(worker, i + 1, prng_stream(seed, (uint64_t)i + 1)));
    aw_status st = aw_await(aw_gather(true, WORKERS, tasks), NULL);
    aw_print("all done");
    return st == AW_OK ? aw_none() : aw_reraise();
}

/* The trace is the point, not the lines. */
static void quiet(aw_loop *loop, const char *line, void *ud) { (void)loop, (void)line, (void)ud; }

int main(int argc, char **argv)
{
    if (argc > 1) rounds_left = strtol(argv[1], NULL, 10);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.program = "trace_big";
    o.output = quiet;
    seed = o.seed;
    if (aw_run(AW_CALL(main_coro), &o, NULL) != AW_OK) {
        fprintf(stderr, "trace_big: failed\n");
        aw_exc_clear();
        return 1;
    }
    return 0;
}
