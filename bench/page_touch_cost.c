/* page_touch_cost.c — what a first touch of fresh memory costs on this machine, per way of
 * getting the memory: the figures that core/recycle_slab.c and core/stack_pool.c are designed on.
 *   build/bench/page_touch_cost MODE PAGES STRIDE      (make builds it; it uses no awaitlab code)
 * touches one byte in every STRIDE-th 4 KiB page of PAGES pages (STRIDE 65: one page per default
 * task stack slot) and prints the ns per touched page, split into preparation (the kernel-side
 * calls) and the user's touches.  One mode per process, so that runs do not share warm memory;
 * alternate modes across runs and take medians (the machine is shared).  MODE:
 *   fresh     4 KiB pages (MADV_NOHUGEPAGE), first touched by the user
 *   popw      MADV_POPULATE_WRITE of the touched pages first (64 per process_madvise, as the
 *             stack pool does), then the user's touch
 *   mappop    MAP_POPULATE of the whole range (every page, touched or not)
 *   reuse     touched once, MADV_DONTNEED, touched again (the second touch is timed)
 *   remap     touched once, munmap + mmap again at any address, touched again
 *   thp       2 MiB-aligned, MADV_HUGEPAGE, touched by the user
 *   thpsplit  thp, populated, then a guard marker (MADV_GUARD_INSTALL, Linux 6.13) on the page
 *             below every touched page (a guarded stack per slot): the huge page is split
 *   malloc    malloc'd (GLIBC_TUNABLES=glibc.malloc.hugetlb=1 to try malloc's THP mode)
 *   hot       touched once before: the cost of a touch that is not first
 * The AnonHugePages figure says whether huge pages were given.  A last line `BENCH page_touch NS`
 * gives the total for bench/run.py, whose "stack page, first touch" row (mode popw, stride 65, one page
 * per task) is the floor under a gather of new tasks that each hold a stack of their own. */
#ifndef _GNU_SOURCE /* the Makefile defines it */
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench_util.h"
#include "page_advice.h"

#define HUGE (2ul << 20)

static double now_ns(void) { return bench_now() * 1e9; }

static unsigned char *map_aligned(size_t bytes)
{
    unsigned char *m = mmap(NULL, bytes + HUGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0); /* address space, as a stack pool's */
    if (m == MAP_FAILED) {
        perror("page_touch_cost: mmap");
        exit(1);
    }
    return (unsigned char *)(((uintptr_t)m + HUGE - 1) & ~(HUGE - 1));
}

static void touch_all(unsigned char *m, size_t pages, size_t stride)
{
    for (size_t i = 0; i < pages; i += stride) m[i * PAGE + 64] = 1;
}

/* Every stride-th page of the first `pages`, from page `first`, by one advice. */
static void advise_each(unsigned char *m, size_t pages, size_t stride, size_t first, int advice)
{
    if (first < pages) advise_strided(m, first, stride, (pages - first + stride - 1) / stride, advice);
}

static long anon_huge_kb(void)
{
    char line[256];
    long kb = 0;
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "AnonHugePages:", 14)) kb = atol(line + 14);
    if (f) fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: page_touch_cost MODE PAGES STRIDE\n");
        return 2;
    }
    const char *mode = argv[1];
    static const char *const modes[] = {"fresh", "popw", "mappop", "reuse", "remap", "thp", "thpsplit", "malloc", "hot"};
    bool known = false;
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) known |= !strcmp(mode, modes[i]);
    if (!known) {
        fprintf(stderr, "page_touch_cost: no mode '%s' (see the comment at the top of bench/page_touch_cost.c)\n", mode);
        return 2;
    }
    long pages_arg = atol(argv[2]), stride_arg = atol(argv[3]);
    if (pages_arg < 1 || stride_arg < 1) {
        fprintf(stderr, "page_touch_cost: PAGES and STRIDE must be positive\n");
        return 2;
    }
    size_t pages = (size_t)pages_arg, stride = (size_t)stride_arg;
    size_t bytes = (pages * PAGE + HUGE - 1) / HUGE * HUGE;
    unsigned char *m;
    double t0 = now_ns();
    if (!strcmp(mode, "malloc")) {
        m = malloc(bytes);
        if (!m) {
            perror("page_touch_cost: malloc");
            return 1;
        }
    } else if (!strcmp(mode, "mappop")) {
        m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (m == MAP_FAILED) {
            perror("page_touch_cost: mmap");
            return 1;
        }
    } else {
        m = map_aligned(bytes);
        bool huge = !strncmp(mode, "thp", 3);
        madvise(m, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
        if (!strcmp(mode, "popw")) advise_each(m, pages, stride, 0, MADV_POPULATE_WRITE);
        if (!strcmp(mode, "thpsplit")) {
            madvise(m, bytes, MADV_POPULATE_WRITE);
            advise_each(m, pages, stride, stride - 1, MADV_GUARD_INSTALL);
        }
        if (!strcmp(mode, "reuse") || !strcmp(mode, "hot") || !strcmp(mode, "remap")) {
            touch_all(m, pages, stride);
            if (!strcmp(mode, "reuse")) madvise(m, bytes, MADV_DONTNEED);
            if (!strcmp(mode, "remap")) {
                munmap(m, bytes);
                m = map_aligned(bytes);
                madvise(m, bytes, MADV_NOHUGEPAGE);
            }
            t0 = now_ns();
        }
    }
    double prep = now_ns() - t0;
    t0 = now_ns();
    touch_all(m, pages, stride);
    double touch = now_ns() - t0;
    double n = (double)((pages + stride - 1) / stride);
    printf("%-9s pages %zu stride %zu: prep %7.0f + touch %7.0f = %7.0f ns per touched page (AnonHugePages %ld kB)\n",
           mode, pages, stride, prep / n, touch / n, (prep + touch) / n, anon_huge_kb());
    bench_report("page_touch", (prep + touch) / n);
    return 0;
}
