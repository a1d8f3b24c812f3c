/* awaitlab_bench.c — awaitlab's side of `make bench`: one workload per run, on the real clock.
 *   awaitlab_bench WORKLOAD[_copied] N      (_copied: the loop runs with copied stacks)
 * prints `BENCH WORKLOAD VALUE` (the unit is the workload's: bench/run.py's table names it).
 * The peers (bench/peer_*.py, peer_libuv.c, peer_fiber.cpp) do the same work under the same
 * names, so bench/run.py can put them side by side.  Timings are for reading, never asserted
 * in tests (tests/scripts/test_bench_smoke.sh runs tiny sizes only to keep this compiling). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fiber.h"
#include "awaitlab.h"
#include "bench_util.h"

static long n_ops;

/* switch: two tasks passing control back and forth with sleep(0); ns per switch. */
AW_COROUTINE(yielder, long n;)
{
    for (long i = 0; i < self->n; i++) AW_AWAIT(aw_sleep(0));
    return aw_none();
}

AW_COROUTINE(bench_switch)
{
    double t0 = bench_now();
    AW_AWAIT(AW_GATHER(AW_CALL(yielder, n_ops), AW_CALL(yielder, n_ops)));
    bench_report("switch", (bench_now() - t0) * 1e9 / (double)(2 * n_ops));
    return aw_none();
}

/* spawn: create a task and await it, one after another; ns per task. */
AW_COROUTINE(trivial) { return aw_int(1); }

AW_COROUTINE(bench_spawn)
{
    double t0 = bench_now();
    for (long i = 0; i < n_ops; i++) {
        aw_task *t = aw_create_task(AW_CALL(trivial));
        AW_AWAIT(t);
        aw_task_detach(t);
    }
    bench_report("spawn", (bench_now() - t0) * 1e9 / (double)n_ops);
    return aw_none();
}

/* call_soon: a callback that schedules the next one; ns per callback.  callbacks_rss: the same,
 * then the process's peak resident memory in MB (handles that are never recycled show here). */
static long remaining;
static void chain(void *arg)
{
    if (--remaining > 0) aw_call_soon(arg, chain, arg);
}

static double run_chain(void)
{
    remaining = n_ops;
    double t0 = bench_now();
    aw_call_soon(aw_current_loop(), chain, aw_current_loop());
    return t0;
}

AW_COROUTINE(bench_call_soon)
{
    double t0 = run_chain();
    while (remaining > 0) AW_AWAIT(aw_sleep(0));
    bench_report("call_soon", (bench_now() - t0) * 1e9 / (double)n_ops);
    return aw_none();
}

AW_COROUTINE(bench_callbacks_rss)
{
    run_chain();
    while (remaining > 0) AW_AWAIT(aw_sleep(0));
    bench_report("callbacks_rss", (double)bench_peak_rss() / 1e6);
    return aw_none();
}

/* timers: n timers with delays spread over 1 ms, run until all have fired; ns per timer. */
static long fired;
static void count_fire(void *arg) { (void)arg, fired++; }

AW_COROUTINE(bench_timers)
{
    fired = 0;
    aw_loop *loop = aw_current_loop();
    double t0 = bench_now();
    for (long i = 0; i < n_ops; i++) aw_call_later(loop, (double)(i % 1000) * 1e-6, count_fire, NULL);
    while (fired < n_ops) AW_AWAIT(aw_sleep(0.0005));
    bench_report("timers", (bench_now() - t0) * 1e9 / (double)n_ops);
    return aw_none();
}

/* gather: n new tasks at once, each yielding once; ns per task (all hold a stack together). */
AW_COROUTINE(sleeper0) { AW_AWAIT(aw_sleep(0)); return aw_int(1); }

AW_COROUTINE(bench_gather)
{
    void **aws = malloc((size_t)n_ops * sizeof *aws);
    if (!aws) return aw_none();
    double t0 = bench_now();
    for (long i = 0; i < n_ops; i++) aws[i] = AW_CALL(sleeper0);
    AW_AWAIT(aw_gather(false, (size_t)n_ops, aws));
    bench_report("gather", (bench_now() - t0) * 1e9 / (double)n_ops);
    free(aws);
    return aw_none();
}

/* memory: n tasks asleep on one Event at once; resident bytes per sleeping task.  Then they are
 * woken and run to completion (a count that is not n is a failure: no figure). */
static long finished;

AW_COROUTINE(event_sleeper, aw_sync_event *ev;)
{
    AW_AWAIT(aw_sync_event_wait(self->ev));
    finished++;
    return aw_none();
}

AW_COROUTINE(bench_memory)
{
    aw_sync_event *ev = aw_sync_event_new();
    aw_task **ts = malloc((size_t)n_ops * sizeof *ts);
    if (!ts) return aw_none();
    long rss0 = bench_rss();
    for (long i = 0; i < n_ops; i++) ts[i] = aw_create_task(AW_CALL(event_sleeper, ev));
    AW_AWAIT(aw_sleep(0)); /* every task starts and blocks on the event */
    AW_AWAIT(aw_sleep(0));
    double per_task = (double)(bench_rss() - rss0) / (double)n_ops;
    finished = 0;
    double t0 = bench_now();
    aw_sync_event_set(ev);
    for (long i = 0; i < n_ops; i++) {
        AW_AWAIT(ts[i]);
        aw_task_detach(ts[i]);
    }
    free(ts);
    if (finished == n_ops) {
        bench_report("memory", per_task);
        bench_report("memory_wake", (bench_now() - t0) * 1e9 / (double)n_ops);
    } else {
        fprintf(stderr, "awaitlab_bench: %ld of %ld tasks finished\n", finished, n_ops);
    }
    return aw_none();
}

/* bare_switch: the register switch alone, no loop: ns per switch, two ways.
 *   bare_switch    aw__ctx_switch (core/switch_<arch>.S), a called function: the yardstick
 *                  the performance targets are written against (issue 15: "the bare register
 *                  switch in core/switch_x86_64.S"), the machine's cost of a switch.
 *   inline_switch  aw__fiber_resume/suspend as tasks use them: on x86-64 with a stack per task
 *                  the switch is inline in its callers (core/fiber_switch.h), no call/ret. */
static aw__fiber *bare;
static void bare_entry(void *arg)
{
    (void)arg;
    for (;;) aw__fiber_suspend(bare, true);
}

#ifndef AW_FIBER_UCONTEXT
static void *called_sp, *called_caller_sp;
static _Noreturn void called_entry(void)
{
    for (;;) aw__ctx_switch(&called_sp, called_caller_sp);
}

static double time_called_switch(void)
{
    static void *stack[8192] __attribute__((aligned(16)));
    called_sp = aw__ctx_prepare(stack + sizeof stack / sizeof *stack, called_entry);
    double t0 = bench_now();
    for (long i = 0; i < n_ops; i++) aw__ctx_switch(&called_caller_sp, called_sp);
    return (bench_now() - t0) * 1e9 / (double)(2 * n_ops);
}
#endif

static int bench_bare_switch(void)
{
    aw__stack_pool *pool = aw__stack_pool_new(64 * 1024);
    if (!pool || !(bare = aw__fiber_new(pool, bare_entry, NULL))) return 1;
    double t0 = bench_now();
    for (long i = 0; i < n_ops; i++) aw__fiber_resume(bare);
    double inline_ns = (bench_now() - t0) * 1e9 / (double)(2 * n_ops);
#ifdef AW_FIBER_UCONTEXT
    bench_report("bare_switch", inline_ns); /* swapcontext is the only switch of such builds */
#else
    bench_report("bare_switch", time_called_switch());
#endif
    bench_report("inline_switch", inline_ns);
    /* neither side ever finishes: their stacks go with the process */
    return 0;
}

#define MAKER(fn) static aw_coro *make_##fn(void) { return AW_CALL(fn); }
MAKER(bench_switch)
MAKER(bench_spawn)
MAKER(bench_call_soon)
MAKER(bench_callbacks_rss)
MAKER(bench_timers)
MAKER(bench_gather)
MAKER(bench_memory)

static const struct {
    const char *name;
    aw_coro *(*make)(void);
} workloads[] = {
    {"switch", make_bench_switch}, {"spawn", make_bench_spawn},   {"call_soon", make_bench_call_soon},
    {"callbacks_rss", make_bench_callbacks_rss}, {"timers", make_bench_timers},
    {"gather", make_bench_gather}, {"memory", make_bench_memory},
};

int main(int argc, char **argv)
{
    if (argc != 3 || (n_ops = atol(argv[2])) <= 0) {
        fprintf(stderr, "usage: awaitlab_bench WORKLOAD N (N > 0)\n");
        return 2;
    }
    if (strcmp(argv[1], "bare_switch") == 0) return bench_bare_switch();
    /* The same workload and figure names with copied stacks: run.py shows them as their own
     * rows next to the peers' figures for the plain workload. */
    static const char suffix[] = "_copied";
    size_t len = strlen(argv[1]), slen = sizeof suffix - 1;
    bool copied = len > slen && strcmp(argv[1] + len - slen, suffix) == 0;
    if (copied) len -= slen;
    for (size_t i = 0; i < sizeof workloads / sizeof *workloads; i++) {
        if (strlen(workloads[i].name) != len || strncmp(argv[1], workloads[i].name, len) != 0) continue;
        aw_loop_options o;
        aw_loop_options_init(&o);
        o.clock = AW_CLOCK_REAL;
        o.stack_size = 64 * 1024;
        o.stacks = copied ? AW_STACKS_COPIED : AW_STACKS_SEPARATE;
        aw_status st = aw_run(workloads[i].make(), &o, NULL);
        return st == AW_OK ? 0 : 1;
    }
    fprintf(stderr, "awaitlab_bench: no workload '%s'\n", argv[1]);
    return 2;
}
