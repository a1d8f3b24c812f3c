/* viz_bench.c — what the viewers' trace model costs on a big trace: load time, seek time and
 * memory per event.  Targets (docs: design.md, Viewers): load < 2 s and seek < 10 ms for a trace
 * of 1,000,000 events, and well under 200 bytes of memory per event.
 *
 *   viz_bench [-n EVENTS] [TRACE]   without TRACE: records one of >= EVENTS events first (sim
 *                                   clock; default 1,000,000)
 *   viz_bench [-n EVENTS] -o TRACE  records TRACE, keeps it and measures it (then profile the load
 *                                   alone with `viz_bench TRACE`)
 *
 * The generated workload is 100 tasks at a time sleeping for varied times, printing every tenth
 * round, and a wait_for that times out now and then (cancellations, timeout scopes), in waves
 * until the recorder has written enough events.  Timings are for reading, never asserted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../sim/recorder.h"
#include "awaitlab.h"
#include "trace_model.h"

#define WORKERS 100
#define ROUNDS 50
#define SEEKS 1000

static aw_recorder *rec;
static long target_events = 1000000;

AW_COROUTINE(worker, int id; int wave;) {
    for (int i = 0; i < ROUNDS; i++) {
        double d = 0.001 * (1 + (self->id * 7 + i + self->wave) % 13);
        if (i % 25 == 24) {
            /* a timeout that fires for about half of the tasks */
            aw_status st = aw_await(aw_wait_for(aw_sleep(d), 0.007), NULL);
            if (st == AW_TIMEOUT) aw_exc_clear();
            else if (st != AW_OK) return aw_reraise();
        } else {
            AW_AWAIT(aw_sleep(d));
        }
        if (i % 10 == 0) aw_print("worker %d wave %d round %d", self->id, self->wave, i);
    }
    return aw_int(self->id);
}

AW_COROUTINE(main_coro) {
    (void)self;
    for (int wave = 0; aw_recorder_events(rec) < (uint64_t)target_events; wave++) {
        void *t[WORKERS];
        for (int i = 0; i < WORKERS; i++) t[i] = aw_create_task(AW_CALL(worker, i, wave));
        AW_AWAIT(aw_gather(false, WORKERS, t));
    }
    return aw_none();
}

static void discard(aw_loop *loop, const char *line, void *ud) { (void)loop, (void)line, (void)ud; }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long rss_bytes(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = 0;
        fclose(f);
    }
    return rss * sysconf(_SC_PAGESIZE);
}

static int record(const char *path)
{
    char err[512];
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.program = "viz_bench";
    o.output = discard;
    if (!(rec = aw_recorder_open(path, err, sizeof err))) {
        fprintf(stderr, "viz_bench: %s\n", err);
        return -1;
    }
    aw_recorder_attach(rec, &o);
    double t0 = now();
    if (aw_run(AW_CALL(main_coro), &o, NULL) != AW_OK) {
        fprintf(stderr, "viz_bench: the workload failed\n");
        return -1;
    }
    printf("recorded %s in %.2f s\n", path, now() - t0);
    return 0;
}

int main(int argc, char **argv)
{
    char path[256];
    int arg = 1;
    bool keep = false;
    if (argc > arg + 1 && strcmp(argv[arg], "-n") == 0) {
        target_events = atol(argv[arg + 1]);
        arg += 2;
    }
    if (argc > arg + 1 && strcmp(argv[arg], "-o") == 0) {
        keep = true;
        arg++;
    }
    if (target_events <= 0 || argc > arg + 1) {
        fprintf(stderr, "usage: viz_bench [-n EVENTS] [TRACE | -o TRACE]\n");
        return 2;
    }
    bool made = argc == arg || keep;
    if (made && keep) {
        snprintf(path, sizeof path, "%s", argv[arg]);
        if (record(path) < 0) return 1;
    } else if (made) {
        snprintf(path, sizeof path, "%s/awaitlab-viz-bench-%d.jsonl", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                 (int)getpid());
        if (record(path) < 0) return 1;
    } else {
        snprintf(path, sizeof path, "%s", argv[arg]);
    }

    long rss0 = rss_bytes();
    double t0 = now();
    aw_model_error err;
    aw_model *m = aw_model_load(path, NULL, &err);
    double load_s = now() - t0;
    long rss1 = rss_bytes();
    if (made && !keep) unlink(path);
    if (!m) {
        fprintf(stderr, "viz_bench: %s\n", err.message);
        return 1;
    }
    int64_t n = aw_model_event_count(m);

    aw_model_state *st = aw_model_state_new(m);
    uint64_t x = 88172645463325252ull; /* xorshift: the same steps every run */
    double worst = 0, t1 = now();
    for (int i = 0; i < SEEKS; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double s0 = now();
        aw_model_seek(st, (int64_t)(x % (uint64_t)(n + 1)));
        double d = now() - s0;
        if (d > worst) worst = d;
    }
    double seek_ms = (now() - t1) * 1000 / SEEKS;
    /* what the viewer's "previous event" key costs, from the end */
    aw_model_seek(st, n);
    t1 = now();
    for (int i = 0; i < SEEKS; i++) aw_model_seek(st, n - 1 - i);
    double back_ms = (now() - t1) * 1000 / SEEKS;

    printf("events              %lld (%lld tasks)\n", (long long)n, (long long)aw_model_task_total(m));
    printf("load                %.2f s (target < 2 s)\n", load_s);
    printf("seek, random        %.3f ms mean, %.3f ms worst over %d (target < 10 ms)\n", seek_ms, worst * 1000,
           SEEKS);
    printf("step back           %.3f ms mean\n", back_ms);
    printf("memory (model)      %.1f bytes/event (%.1f MB)\n", (double)aw_model_memory(m) / (double)n,
           (double)aw_model_memory(m) / 1e6);
    printf("memory (RSS delta)  %.1f bytes/event (target < 200)\n", (double)(rss1 - rss0) / (double)n);
    /* bench/run.py's lines */
    printf("BENCH load_s %.3f\nBENCH load_bytes %.1f\nBENCH seek_ms %.3f\n", load_s, (double)(rss1 - rss0) / (double)n,
           worst * 1000);
    aw_model_state_free(st);
    aw_model_free(m);
    return 0;
}
