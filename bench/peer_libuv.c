/* peer_libuv.c — libuv doing awaitlab_bench.c's workloads as callbacks (libuv has no tasks):
 *   switch     two idle handles taking turns, one callback each per loop iteration
 *   call_soon  one idle handle run N times (libuv's "run this next iteration")
 *   timers     N timers with delays spread over 1 ms
 *   gather     N zero-delay timers started at once, each closed by its own callback
 *   memory     N running timers, each in its own malloc'd handle (a "sleeping task")
 *   peer_libuv WORKLOAD N    prints `BENCH WORKLOAD VALUE` */
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "bench_util.h"

static long n_ops, count;

static void idle_count(uv_idle_t *h)
{
    if (++count >= n_ops) uv_idle_stop(h);
}

/* Each handle counts its own callbacks in its data field. */
static void idle_turn(uv_idle_t *h)
{
    long *turns = h->data;
    if (++*turns >= n_ops) uv_idle_stop(h);
}

static void bench_switch(uv_loop_t *loop)
{
    uv_idle_t a, b;
    long turns_a = 0, turns_b = 0;
    uv_idle_init(loop, &a);
    uv_idle_init(loop, &b);
    a.data = &turns_a;
    b.data = &turns_b;
    double t0 = bench_now();
    uv_idle_start(&a, idle_turn);
    uv_idle_start(&b, idle_turn);
    uv_run(loop, UV_RUN_DEFAULT);
    bench_report("switch", (bench_now() - t0) * 1e9 / (double)(2 * n_ops));
    uv_close((uv_handle_t *)&a, NULL);
    uv_close((uv_handle_t *)&b, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
}

static void bench_call_soon(uv_loop_t *loop)
{
    uv_idle_t a;
    uv_idle_init(loop, &a);
    count = 0;
    double t0 = bench_now();
    uv_idle_start(&a, idle_count);
    uv_run(loop, UV_RUN_DEFAULT);
    bench_report("call_soon", (bench_now() - t0) * 1e9 / (double)n_ops);
    uv_close((uv_handle_t *)&a, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
}

static void on_close_free(uv_handle_t *h) { free(h); }
static void timer_fire_close(uv_timer_t *t)
{
    count++;
    uv_close((uv_handle_t *)t, on_close_free);
}

/* Starts n timers, each its own allocation; returns 0, or -1 out of memory. */
static int start_timers(uv_loop_t *loop, uint64_t (*delay_ms)(long i), void (*cb)(uv_timer_t *))
{
    for (long i = 0; i < n_ops; i++) {
        uv_timer_t *t = malloc(sizeof *t);
        if (!t) return -1;
        uv_timer_init(loop, t);
        uv_timer_start(t, cb, delay_ms(i), 0);
    }
    return 0;
}

/* libuv's timers have millisecond resolution: the 1 ms spread is 0 or 1 ms. */
static uint64_t spread_ms(long i) { return (uint64_t)(i % 1000 >= 500); }
static uint64_t zero_ms(long i) { (void)i; return 0; }
static uint64_t hour_ms(long i) { (void)i; return 3600 * 1000; }

static void run_timers(uv_loop_t *loop, const char *name, uint64_t (*delay_ms)(long))
{
    count = 0;
    double t0 = bench_now();
    if (start_timers(loop, delay_ms, timer_fire_close) != 0) return;
    uv_run(loop, UV_RUN_DEFAULT);
    if (count == n_ops) bench_report(name, (bench_now() - t0) * 1e9 / (double)n_ops);
}

static void close_one(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h)) uv_close(h, on_close_free);
}

static void bench_memory(uv_loop_t *loop)
{
    long rss0 = bench_rss();
    if (start_timers(loop, hour_ms, timer_fire_close) != 0) return;
    double per = (double)(bench_rss() - rss0) / (double)n_ops;
    double t0 = bench_now();
    uv_walk(loop, close_one, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    bench_report("memory", per);
    bench_report("memory_wake", (bench_now() - t0) * 1e9 / (double)n_ops);
}

int main(int argc, char **argv)
{
    if (argc != 3 || (n_ops = atol(argv[2])) <= 0) {
        fprintf(stderr, "usage: peer_libuv WORKLOAD N (N > 0)\n");
        return 2;
    }
    uv_loop_t *loop = uv_default_loop();
    const char *w = argv[1];
    if (strcmp(w, "switch") == 0) bench_switch(loop);
    else if (strcmp(w, "call_soon") == 0) bench_call_soon(loop);
    else if (strcmp(w, "timers") == 0) run_timers(loop, "timers", spread_ms);
    else if (strcmp(w, "gather") == 0) run_timers(loop, "gather", zero_ms);
    else if (strcmp(w, "memory") == 0) bench_memory(loop);
    else {
        fprintf(stderr, "peer_libuv: no workload '%s'\n", w);
        return 2;
    }
    return uv_loop_close(loop) == 0 ? 0 : 1;
}
