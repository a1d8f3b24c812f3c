/* bench_util.h — what every C bench program needs: a monotonic clock, resident memory, and the
 * one output line bench/run.py reads.  Header-only so that the peers (peer_libuv.c, and
 * peer_fiber.cpp through extern "C"-free inline use) share it without a library. */
#ifndef AW_BENCH_UTIL_H
#define AW_BENCH_UTIL_H

#include <stdio.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A field of /proc/self/status in bytes ("VmRSS", "VmHWM"); 0 when it cannot be read. */
static inline long bench_status_bytes(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    size_t len = strlen(field);
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            sscanf(line + len + 1, "%ld", &kb);
            break;
        }
    fclose(f);
    return kb * 1024;
}

static inline long bench_rss(void) { return bench_status_bytes("VmRSS"); }
static inline long bench_peak_rss(void) { return bench_status_bytes("VmHWM"); }

static inline void bench_report(const char *workload, double value)
{
    printf("BENCH %s %.1f\n", workload, value);
    fflush(stdout);
}

#endif /* AW_BENCH_UTIL_H */
