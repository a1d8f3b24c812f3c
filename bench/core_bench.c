/* core_bench.c — the core's costs on the real clock, for comparison with CPython asyncio doing
 * the same work (bench/core_bench.py).  Prints `BENCH <name> <ns per op>` lines; bench/run.sh
 * puts them side by side and prints the ratios.  Timings live here, never in tests. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "awaitlab.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *name, double seconds, long ops)
{
    printf("BENCH %s %.1f\n", name, seconds * 1e9 / (double)ops);
}

/* Two tasks passing control back and forth with sleep(0): the cost of one task switch through
 * the loop (a step scheduled with call_soon, then run). */
AW_COROUTINE(yielder, long n;)
{
    for (long i = 0; i < self->n; i++) AW_AWAIT(aw_sleep(0));
    return aw_none();
}

AW_COROUTINE(pingpong, long n;)
{
    double t0 = now();
    AW_AWAIT(AW_GATHER(AW_CALL(yielder, self->n), AW_CALL(yielder, self->n)));
    report("sleep0_switch", now() - t0, 2 * self->n);
    return aw_none();
}

/* Create a task and await it, one after another. */
AW_COROUTINE(trivial) { return aw_int(1); }

AW_COROUTINE(create_await, long n;)
{
    double t0 = now();
    for (long i = 0; i < self->n; i++) {
        aw_task *t = aw_create_task(AW_CALL(trivial));
        AW_AWAIT(t);
        aw_task_detach(t);
    }
    report("create_await_task", now() - t0, self->n);
    return aw_none();
}

/* gather over many tasks at once (they all hold a stack at the same time). */
AW_COROUTINE(sleeper0) { AW_AWAIT(aw_sleep(0)); return aw_int(1); }

AW_COROUTINE(gather_many, long n;)
{
    void **aws = malloc((size_t)self->n * sizeof *aws);
    for (long i = 0; i < self->n; i++) aws[i] = AW_CALL(sleeper0);
    double t0 = now();
    aw_future *g = aw_gather(false, (size_t)self->n, aws);
    AW_AWAIT(g);
    report("gather_task", now() - t0, self->n);
    free(aws);
    return aw_none();
}

/* Plain callbacks through the ready queue. */
static long remaining;
static void chain(void *arg)
{
    if (--remaining > 0) aw_call_soon(arg, chain, arg);
}

AW_COROUTINE(callbacks, long n;)
{
    remaining = self->n;
    double t0 = now();
    aw_call_soon(aw_current_loop(), chain, aw_current_loop());
    while (remaining > 0) AW_AWAIT(aw_sleep(0));
    report("call_soon", now() - t0, self->n);
    return aw_none();
}

int main(int argc, char **argv)
{
    long scale = argc > 1 ? atol(argv[1]) : 1;
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_REAL;
    o.stack_size = 64 * 1024;
    aw_run(AW_CALL(pingpong, 500000 * scale), &o, NULL);
    aw_run(AW_CALL(create_await, 200000 * scale), &o, NULL);
    aw_run(AW_CALL(gather_many, 20000 * scale), &o, NULL);
    aw_run(AW_CALL(callbacks, 1000000 * scale), &o, NULL);
    return 0;
}
