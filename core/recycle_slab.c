/* recycle_slab.c — see recycle_slab.h.
 *
 * Why: on the project's VM (a PVM guest with shadow paging) the first user-mode touch of every
 * freshly mapped 4 KiB page costs 10-20 us in the hypervisor, however the kernel populated it
 * (bench/page_touch_cost.c measures it), while a 2 MiB transparent huge page costs about
 * as much as a few 4 KiB ones in all.  A gather of 100k new tasks with copied stacks asks for
 * ~1.1 KB of small objects a task: from malloc that is ~27k fresh 4 KiB pages, from here ~55 huge
 * pages.  So each grown class takes its blocks from runs of RUN_BYTES, and runs come from 2 MiB
 * regions of huge_map.c (where THP is "never" they are plain pages, still dense).
 *
 * Giving memory back: a block freed here goes back to its run; a run with no block out goes back
 * to its region for any class; a region with no run in use is unmapped at once.  So after a burst
 * (every task of the gather done) only the regions still holding a live block stay, and blocks
 * keep no header: the region of a block is found by its 2 MiB-aligned base, the run by offset.
 *
 * Checking: a block not handed out is poisoned for AddressSanitizer and no-access for valgrind's
 * memcheck (undefined once handed out, as malloc's blocks are), as recycle.c does for its lists.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "huge_map.h"
#include "poison.h"
#include "recycle_slab.h"

#ifdef AW_USE_VALGRIND
#include <valgrind/memcheck.h>
/* Asked once (the question is itself a client request); the requests cost ~12 instructions each
 * even natively, and a block passes two of them a life. */
#define VG_NOACCESS(p, n) (slab.vg ? (void)VALGRIND_MAKE_MEM_NOACCESS((p), (n)) : (void)0)
#define VG_UNDEFINED(p, n) (slab.vg ? (void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)) : (void)0)
#define VG_DEFINED(p, n) (slab.vg ? (void)VALGRIND_MAKE_MEM_DEFINED((p), (n)) : (void)0)
#define VG_ASK() (slab.vg = RUNNING_ON_VALGRIND)
#else
#define VG_NOACCESS(p, n) ((void)(p), (void)(n))
#define VG_UNDEFINED(p, n) ((void)(p), (void)(n))
#define VG_DEFINED(p, n) ((void)(p), (void)(n))
#define VG_ASK() ((void)0)
#endif

#define REGION_BYTES AW__HUGE_BYTES /* one transparent huge page */
#define RUN_BYTES ((size_t)128 << 10)  /* what a class takes at a time: 16 a region; a run of 592-byte
                                        * images wastes 240 bytes (64 KiB runs: 416 of half as many) */
#define RUNS_PER_REGION (REGION_BYTES / RUN_BYTES)
#define MAX_CLASSES 256u

typedef struct slab_free {
    struct slab_free *next;
} slab_free;

typedef struct slab_region slab_region;

typedef struct slab_run {
    slab_region *region;
    struct slab_run *prev, *next; /* the class's runs with a free block; next: the region's unused runs */
    slab_free *free;              /* blocks given back, most recent first */
    unsigned char *bump, *end;    /* blocks never handed out since the run took its class */
    size_t stride, usable;
    size_t n_out;                 /* blocks handed out and not given back */
    unsigned cls;
    bool listed;                  /* on its class's list */
} slab_run;

struct slab_region {
    unsigned char *base;
    unsigned n_in_use;            /* runs that belong to a class */
    unsigned n_carved;            /* runs [0, n_carved) have belonged to a class */
    slab_run *unused;             /* runs given back by their class */
    slab_run runs[RUNS_PER_REGION];
};

static _Thread_local struct {
    slab_run *with_free[MAX_CLASSES]; /* per class: runs with a block to give */
    slab_region **regions;            /* sorted by base: new runs come from the lowest */
    size_t n_regions, cap_regions;
    slab_region ***leaves;            /* region_of's table */
    bool vg;                          /* under valgrind: tell memcheck what a block is */
} slab;

/* ---- regions ------------------------------------------------------------------------------- */
static size_t region_index(const unsigned char *base, bool *found)
{
    size_t lo = 0, hi = slab.n_regions;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (slab.regions[mid]->base < base)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < slab.n_regions && slab.regions[lo]->base == base;
    return lo;
}

/* A block's region, in two steps of a radix table over the address's region number (frees of
 * different classes interleave, so a sorted search or a one-entry cache missed half the time). */
#define REGION_SHIFT 21u
_Static_assert(((size_t)1 << REGION_SHIFT) == REGION_BYTES, "a region number is an address's bits above a region");
#define LEAF_BITS 13u
#define KEY_BITS 26u /* 47-bit user addresses */
#define N_LEAVES ((size_t)1 << (KEY_BITS - LEAF_BITS))

static slab_region **leaf_slot(const unsigned char *base, bool make)
{
    uintptr_t key = (uintptr_t)base >> REGION_SHIFT;
    if (key >> KEY_BITS) return NULL; /* beyond 47 bits (5-level paging): not a region of ours */
    if (!slab.leaves) {
        if (!make || !(slab.leaves = calloc(N_LEAVES, sizeof *slab.leaves))) return NULL;
    }
    slab_region ***leaf = &slab.leaves[key >> LEAF_BITS];
    if (!*leaf && (!make || !(*leaf = calloc((size_t)1 << LEAF_BITS, sizeof **leaf)))) return NULL;
    return &(*leaf)[key & (((uintptr_t)1 << LEAF_BITS) - 1)];
}

/* leaf_slot's lookup alone, for every block given back. */
static inline slab_region *region_of(const void *p)
{
    uintptr_t key = (uintptr_t)p >> REGION_SHIFT;
    if (key >> KEY_BITS || !slab.leaves) return NULL;
    slab_region **leaf = slab.leaves[key >> LEAF_BITS];
    return leaf ? leaf[key & (((uintptr_t)1 << LEAF_BITS) - 1)] : NULL;
}

static void unmap_region(unsigned char *base)
{
    AW__UNPOISON(base, REGION_BYTES); /* the next mapping at this address starts clean */
    aw__huge_unmap(base, REGION_BYTES);
}

static unsigned char *map_region(void)
{
    VG_ASK();
    unsigned char *base = aw__huge_map(REGION_BYTES);
    if (!base) return NULL;
    AW__POISON(base, REGION_BYTES);
    VG_NOACCESS(base, REGION_BYTES);
    return base;
}

static slab_region *region_new(void)
{
    if (slab.n_regions == slab.cap_regions) {
        size_t cap = slab.cap_regions ? 2 * slab.cap_regions : 16;
        slab_region **grown = realloc(slab.regions, cap * sizeof *grown);
        if (!grown) return NULL;
        slab.regions = grown;
        slab.cap_regions = cap;
    }
    slab_region *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    if (!(r->base = map_region())) {
        free(r);
        return NULL;
    }
    slab_region **slot = leaf_slot(r->base, true);
    if (!slot) {
        unmap_region(r->base);
        free(r);
        return NULL;
    }
    *slot = r;
    bool found;
    size_t i = region_index(r->base, &found);
    memmove(slab.regions + i + 1, slab.regions + i, (slab.n_regions - i) * sizeof *slab.regions);
    slab.regions[i] = r;
    slab.n_regions++;
    return r;
}

static void region_release(slab_region *r)
{
    bool found;
    size_t i = region_index(r->base, &found);
    memmove(slab.regions + i, slab.regions + i + 1, (slab.n_regions - i - 1) * sizeof *slab.regions);
    slab.n_regions--;
    *leaf_slot(r->base, false) = NULL;
    unmap_region(r->base);
    free(r);
}

/* ---- runs ---------------------------------------------------------------------------------- */
static void list_run(slab_run *run)
{
    slab_run **head = &slab.with_free[run->cls];
    run->prev = NULL;
    run->next = *head;
    if (*head) (*head)->prev = run;
    *head = run;
    run->listed = true;
}

static void unlist_run(slab_run *run)
{
    if (run->prev)
        run->prev->next = run->next;
    else
        slab.with_free[run->cls] = run->next;
    if (run->next) run->next->prev = run->prev;
    run->listed = false;
}

/* A run for class cls, from the lowest region with one to spare (so that the higher ones empty
 * first after a burst), or from a new region. */
static __attribute__((noinline)) slab_run *run_new(unsigned cls, size_t stride, size_t usable)
{
    slab_region *r = NULL;
    for (size_t i = 0; i < slab.n_regions && !r; i++)
        if (slab.regions[i]->n_in_use < RUNS_PER_REGION) r = slab.regions[i];
    if (!r && !(r = region_new())) return NULL;
    slab_run *run = r->unused;
    if (run)
        r->unused = run->next;
    else
        run = &r->runs[r->n_carved++];
    r->n_in_use++;
    unsigned char *lo = r->base + (size_t)(run - r->runs) * RUN_BYTES;
    *run = (slab_run){.region = r, .bump = lo, .end = lo + RUN_BYTES / stride * stride, .stride = stride,
                      .usable = usable, .cls = cls};
    list_run(run);
    return run;
}

static void run_retire(slab_run *run)
{
    slab_region *r = run->region;
    if (run->listed) unlist_run(run);
    run->next = r->unused;
    r->unused = run;
    if (--r->n_in_use == 0) region_release(r);
}

static void *run_take(slab_run *run)
{
    unsigned char *p;
    if (run->free) {
        slab_free *b = run->free;
        AW__UNPOISON(b, sizeof *b);
        VG_DEFINED(b, sizeof *b);
        run->free = b->next;
        p = (unsigned char *)b;
    } else {
        p = run->bump;
        run->bump += run->stride;
    }
    if (!run->free && run->bump == run->end) unlist_run(run);
    run->n_out++;
    AW__UNPOISON(p, run->usable);
    VG_UNDEFINED(p, run->usable);
    return p;
}

/* ---- the interface ---------------------------------------------------------------------------- */
void *aw__slab_get(unsigned cls, size_t stride, size_t usable, bool may_map)
{
    if (cls >= MAX_CLASSES) return NULL;
    slab_run *run = slab.with_free[cls];
    if (!run && (!may_map || stride > RUN_BYTES || !(run = run_new(cls, stride, usable)))) return NULL;
    return run_take(run);
}

bool aw__slab_put(void *p)
{
    slab_region *r = region_of(p);
    if (!r) return false;
    slab_run *run = &r->runs[((unsigned char *)p - r->base) / RUN_BYTES];
    slab_free *b = p;
    b->next = run->free;
    run->free = b;
    AW__POISON(b, run->stride);
    VG_NOACCESS(b, run->stride);
    if (--run->n_out == 0)
        run_retire(run);
    else if (!run->listed)
        list_run(run);
    return true;
}

size_t aw__slab_region_count(void) { return slab.n_regions; }
