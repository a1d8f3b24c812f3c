/* trace_bench.c — what tracing costs.  One workload (tasks ping-ponging through the ready queue
 * with bare yields and short timers, on the sim clock: no real sleeping) runs four ways:
 *   off        no tracer: the cost of the loop alone
 *   count      a tracer that only counts: core's emission cost
 *   /dev/null  the recorder, writing nowhere: JSON building + one write() per line
 *   file       the recorder, writing a trace file: what AWAITLAB_TRACE costs
 * and prints events, seconds, events/s, ns/event of tracing and bytes/event, and the CPU time
 * the process spent in user space and in the kernel (write(), page cache) during each run, and
 * the kernel time of the loop's own thread (the recorder's helper thread, sim/window_ahead.h,
 * makes the file's windows ready beside it): on a machine shared with other work the CPU times
 * move less than the wall-clock ones.
 *   trace_bench [yields-per-task]     (default 50000 with 4 tasks: >= 1M events)
 * TRACE_BENCH_KEEP=1 keeps the trace file (its path is printed), to look at what was written.
 * Timings are for reading, never asserted in tests. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../sim/recorder.h"
#include "awaitlab.h"

#define TASKS 4

static long yields = 50000;

AW_COROUTINE(spinner, int id;) {
    for (long i = 0; i < yields; i++) {
        if (i % 16 == 0) AW_AWAIT(aw_sleep(0.001 * (self->id + 1))); /* timers too */
        else AW_AWAIT(aw_sleep(0));
    }
    return aw_int(self->id);
}

AW_COROUTINE(main_coro) {
    void *t[TASKS];
    for (int i = 0; i < TASKS; i++) t[i] = aw_create_task(AW_CALL(spinner, i));
    AW_AWAIT(aw_gather(false, TASKS, t));
    return aw_none();
}

static unsigned long long counted;
static void count_start(void *ud, const char *p, const char *c, uint64_t s, int64_t w)
{
    (void)ud, (void)p, (void)c, (void)s, (void)w;
}
static void count_event(void *ud, const aw_event *ev) { (void)ud, (void)ev, counted++; }
static void count_close(void *ud) { (void)ud; }
static const aw_tracer counter = {count_start, count_event, count_close};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What one run cost: wall-clock seconds, CPU seconds in user space and in the kernel, and the
 * kernel's seconds on the loop's thread alone. */
typedef struct cost {
    double wall, user, sys, loop_sys;
} cost;

static double seconds_of(struct timeval tv) { return tv.tv_sec + tv.tv_usec / 1e6; }

/* Runs the workload once. */
static cost run(const aw_tracer *tracer, void *ud)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.program = "trace_bench";
    o.tracer = tracer;
    o.tracer_ud = ud;
    struct rusage u0, u1, l0, l1;
    getrusage(RUSAGE_SELF, &u0);
    getrusage(RUSAGE_THREAD, &l0);
    double t0 = now();
    aw_status st = aw_run(AW_CALL(main_coro), &o, NULL);
    double t1 = now();
    getrusage(RUSAGE_THREAD, &l1);
    getrusage(RUSAGE_SELF, &u1);
    if (st != AW_OK) {
        fprintf(stderr, "trace_bench: the workload failed\n");
        exit(1);
    }
    return (cost){t1 - t0, seconds_of(u1.ru_utime) - seconds_of(u0.ru_utime),
                  seconds_of(u1.ru_stime) - seconds_of(u0.ru_stime), seconds_of(l1.ru_stime) - seconds_of(l0.ru_stime)};
}

static cost run_recorder(const char *path, unsigned long long *bytes)
{
    char err[512];
    aw_recorder *rec = aw_recorder_open(path, err, sizeof err);
    if (!rec) {
        fprintf(stderr, "trace_bench: %s\n", err);
        exit(2);
    }
    cost s = run(aw_recorder_tracer(), rec); /* the loop closes rec when freed */
    struct stat st;
    *bytes = stat(path, &st) == 0 ? (unsigned long long)st.st_size : 0;
    return s;
}

int main(int argc, char **argv)
{
    if (argc > 1) yields = atol(argv[1]);
    if (yields <= 0) {
        fprintf(stderr, "usage: trace_bench [yields-per-task]\n");
        return 2;
    }
    char path[256];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/awaitlab_trace_bench.%d.trace", tmp && *tmp ? tmp : "/tmp", (int)getpid());

    run(NULL, NULL); /* warm up: stacks, page faults */
    cost off = run(NULL, NULL);
    counted = 0;
    cost cnt = run(&counter, NULL);
    unsigned long long events = counted, nul_bytes, file_bytes;
    cost nul = run_recorder("/dev/null", &nul_bytes);
    cost file = run_recorder(path, &file_bytes);
    if (getenv("TRACE_BENCH_KEEP")) printf("trace kept: %s\n", path);
    else unlink(path);

    printf("trace_bench: %d tasks x %ld yields (sim clock), %llu events per run\n", TASKS, yields, events);
    printf("%-10s %9s %13s %16s %14s %14s %14s\n", "tracer", "seconds", "events/s", "tracing ns/ev", "user ns/ev",
           "kernel ns/ev", "loop kern ns");
    const struct {
        const char *name;
        cost c;
    } rows[] = {{"off", off}, {"count", cnt}, {"/dev/null", nul}, {"file", file}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cost c = rows[i].c;
        char extra[32] = "-";
        if (i) snprintf(extra, sizeof extra, "%.1f", (c.wall - off.wall) * 1e9 / events);
        printf("%-10s %9.3f %13.0f %16s %14.1f %14.1f %14.1f\n", rows[i].name, c.wall, events / c.wall, extra,
               c.user * 1e9 / events, c.sys * 1e9 / events, c.loop_sys * 1e9 / events);
    }
    printf("trace size: %llu bytes, %.1f bytes/event; slowdown with a trace file: %.1fx\n", file_bytes,
           (double)file_bytes / events, file.wall / off.wall);
    /* bench/run.py's lines: what a trace file costs per event, in time and in bytes */
    printf("BENCH trace_ns %.1f\nBENCH trace_bytes %.1f\n", (file.wall - off.wall) * 1e9 / events,
           (double)file_bytes / events);
    return 0;
}
