/* table_burst_cost.c — what a new chunk of stacks costs the stacks already touched, on this
 * machine: the figure core/stack_pool.c's chunk windows are designed on.
 *   build/bench/table_burst_cost LAYOUT STACKS      (make builds it; it uses no awaitlab code)
 * lays out STACKS stack slots as the stack pool does (chunks of 16, 32, ... 1024 slots of 65
 * pages, a guard marker on each slot's first page installed when its chunk is mapped, stack tops
 * populated a few ahead), touches each slot's top page, then touches them all again, and prints
 * the ns per stack of each pass.  LAYOUT:
 *   adjacent  each chunk mapped wherever the kernel puts it (next to the one before)
 *   windowed  each chunk at the start of a 1 GiB-aligned window of its own
 * Under a hypervisor that shadows the guest's page tables, guarding a chunk writes many entries
 * of one upper-level table page at once, and a burst of writes to a page it shadows makes it drop
 * that shadow: with adjacent chunks the second pass pays the first touch again; in windows of
 * their own it costs what a touch of a resident page costs.  Alternate layouts across runs and
 * take medians (the machine is shared). */
#ifndef _GNU_SOURCE /* the Makefile defines it */
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench_util.h"
#include "page_advice.h"

#define SLOT_PAGES 65ul /* a guard page and a 256 KiB stack: the pool's default slot */
#define SLOT (SLOT_PAGES * PAGE)
#define WINDOW (1ul << 30)

/* One advice on page `page` of slots [from, from + n). */
static void advise_slots(unsigned char *slots, size_t from, size_t n, size_t page, int advice)
{
    advise_strided(slots, from * SLOT_PAGES + page, SLOT_PAGES, n, advice);
}

static unsigned char *map_chunk(size_t bytes, int windowed)
{
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    unsigned char *m;
    if (windowed) {
        unsigned char *r = mmap(NULL, 2 * WINDOW, PROT_READ | PROT_WRITE, flags, -1, 0);
        m = r == MAP_FAILED ? r : (unsigned char *)(((uintptr_t)r + WINDOW - 1) & ~(uintptr_t)(WINDOW - 1));
    } else {
        m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
    }
    if (m == MAP_FAILED) {
        perror("table_burst_cost: mmap");
        exit(1);
    }
    madvise(m, bytes, MADV_NOHUGEPAGE);
    return m;
}

int main(int argc, char **argv)
{
    long n_arg = argc == 3 ? atol(argv[2]) : 0;
    int windowed = argc == 3 && !strcmp(argv[1], "windowed");
    if (n_arg < 1 || (!windowed && strcmp(argv[1], "adjacent"))) {
        fprintf(stderr, "usage: table_burst_cost adjacent|windowed STACKS\n");
        return 2;
    }
    size_t n = (size_t)n_arg;
    volatile unsigned char **tops = malloc(n * sizeof *tops);
    if (!tops) {
        perror("table_burst_cost");
        return 1;
    }
    double t0 = bench_now();
    for (size_t done = 0, chunk = 16; done < n; done += chunk, chunk = chunk < 1024 ? 2 * chunk : chunk) {
        unsigned char *slots = map_chunk(chunk * SLOT, windowed);
        advise_slots(slots, 0, chunk, 0, MADV_GUARD_INSTALL); /* the burst */
        size_t populated = 0;
        for (size_t i = 0; i < chunk && done + i < n; i++) {
            if (i >= populated) { /* min(i, 64) tops ahead, as the pool's ramp */
                size_t ahead = i < 64 ? i : 64;
                if (ahead > chunk - i) ahead = chunk - i;
                if (ahead >= 2) advise_slots(slots, i, ahead, SLOT_PAGES - 1, MADV_POPULATE_WRITE);
                populated = i + (ahead ? ahead : 1);
            }
            tops[done + i] = slots + i * SLOT + SLOT - 64;
            *tops[done + i] = 1;
        }
    }
    double t1 = bench_now();
    for (size_t i = 0; i < n; i++) *tops[i] += 1;
    double t2 = bench_now();
    printf("%-8s %zu stacks: first touch %.0f ns, touched again %.0f ns per stack\n", argv[1], n,
           (t1 - t0) * 1e9 / (double)n, (t2 - t1) * 1e9 / (double)n);
    return 0;
}
