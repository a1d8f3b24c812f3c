/* stack_pool.c — task stacks, mapped many at a time, each with a guard below it, pooled.
 *
 * Why chunks: on the project's VM one mmap + mprotect + munmap per stack cost more than the
 * task's whole life (munmap's TLB flush alone was half of a 20k-task gather), so stacks are
 * carved out of chunks (one mmap for 16, then 32, ... up to 1024 stacks) and a finished stack
 * goes back on its chunk's free list.  A chunk is never unmapped while the pool lives; once
 * every stack of a chunk is back and the pool has AW__POOL_KEEP spare stacks elsewhere, the
 * chunk's memory is handed back with one madvise (one TLB flush for up to 1024 stacks).  Each
 * chunk is mapped at the start of a 1 GiB window of its own (chunk_map says why).
 *
 * A chunk:  [pad page][slot 0][slot 1]...   a slot: [guard page][stack ... [record][canary area]]
 * The guard (fiber.h says what protects each stack): a guard marker where the kernel has them,
 * else a PROT_NONE page for the first AW__MAX_VMA_GUARDED stacks, else none: the slot's stack
 * then starts at the slot's first byte, and its canary is the top AW__CANARY_BYTES of whatever
 * lies below (the slot below, or the pad page), memory that is resident anyway.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fiber.h"
#include "huge_map.h"

#ifdef AW_USE_VALGRIND
#include <valgrind/valgrind.h>
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13; Debian 12's headers predate it */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

#define AW__CHUNK_FIRST 16u
#define AW__CHUNK_MAX 1024u
#define AW__POOL_KEEP 1024u        /* spare stacks kept resident; beyond them empty chunks are released */
#define AW__MAX_VMA_GUARDED 30000u /* PROT_NONE guards: two kernel mappings per stack */
#define AW__CANARY_BYTES 32u
#define AW__CANARY 0x5a17c0de5a17c0deULL
#define AW__GUARD_BATCH 128u       /* guard markers installed per process_madvise call */
#define AW__POPULATE_MAX 64u       /* stack tops made resident ahead, at most, per process_madvise */

struct aw__stack_chunk {
    aw__stack_pool *pool;
    unsigned char *map;        /* the pad page, then the slots */
    size_t map_size, n_slots;
    size_t reserved_size;      /* map_size, or its window (chunk_map) */
    size_t n_guarded;          /* slots [0, n_guarded) have a guard page */
    size_t n_touched;          /* slots [0, n_touched) were handed out since the chunk was zeroed */
    size_t n_populated;        /* slots [0, n_populated) had their top page made resident ahead */
    size_t n_live;
    aw__stack *free;           /* slots given back, most recent first */
    aw__stack_chunk *next;     /* every chunk of the pool */
    aw__stack_chunk *next_avail;
    bool avail;                /* on the pool's list of chunks with a slot to give */
};

struct aw__stack_pool {
    size_t stack_size;         /* usable bytes asked for, a multiple of the page size */
    size_t page, slot_size;
    aw__stack_chunk *chunks, *avail;
    size_t next_chunk_slots;
    size_t n_spare;            /* touched slots that are free, in every chunk */
    size_t n_vma_guarded;
    bool no_guard_markers;     /* the kernel refused MADV_GUARD_INSTALL */
    bool under_valgrind;       /* asked once: the question is a client request */
    /* The stack given back last, still counted live in its chunk: the next get takes it back
     * with no list work (spawn, await, repeat: every task's stack is this one).  A newer one
     * sends it to its chunk's list, so reuse stays most recently freed first. */
    aw__stack *last_put;
    bool no_populate;          /* the kernel refused to populate stack tops ahead */
    int pidfd;                 /* for process_madvise; -1: not opened yet or not available */
    pid_t pidfd_pid;           /* whose it is: a child forked with the loop must not advise its parent */
    bool pidfd_tried;
    aw__shared_stack *shared;  /* copied stacks: every fiber runs here, no stack is pooled */
};

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }
static bool under_valgrind(void);

aw__stack_pool *aw__stack_pool_new(size_t stack_size)
{
    aw__stack_pool *pool = calloc(1, sizeof *pool);
    if (!pool) return NULL;
    pool->page = (size_t)sysconf(_SC_PAGESIZE);
    if (stack_size < 16 * 1024) stack_size = 16 * 1024;
    pool->stack_size = round_up(stack_size, pool->page);
    pool->slot_size = pool->page + pool->stack_size;
    pool->next_chunk_slots = AW__CHUNK_FIRST;
    pool->under_valgrind = under_valgrind();
    pool->pidfd = -1;
    return pool;
}

aw__stack_pool *aw__stack_pool_new_copied(size_t stack_size)
{
    aw__stack_pool *pool = aw__stack_pool_new(stack_size);
    if (pool && !(pool->shared = aw__shared_stack_new(pool->stack_size))) {
        aw__stack_pool_free(pool);
        return NULL;
    }
    return pool;
}

aw__shared_stack *aw__stack_pool_shared(const aw__stack_pool *pool) { return pool->shared; }
size_t aw__stack_pool_stack_size(const aw__stack_pool *pool) { return pool->stack_size; }
aw__stack_pool *aw__stack_pool_of(const aw__stack *s) { return s->chunk->pool; }

static unsigned char *slot_base(const aw__stack_chunk *c, size_t i)
{
    return c->map + c->pool->page + i * c->pool->slot_size;
}

/* ---- guards ---------------------------------------------------------------------------------- */
static bool under_valgrind(void)
{
#ifdef AW_USE_VALGRIND
    return RUNNING_ON_VALGRIND;
#else
    return false;
#endif
}

/* This process as process_madvise wants it, opened once per pool: -1 where there is none
 * (valgrind 3.19 does not know the call; kernels before 5.10 lack it). */
static int pool_pidfd(aw__stack_pool *pool)
{
#if defined(SYS_process_madvise) && defined(SYS_pidfd_open)
    pid_t me = getpid();
    if (pool->pidfd_tried && pool->pidfd_pid == me) return pool->pidfd;
    if (pool->pidfd >= 0) close(pool->pidfd);
    pool->pidfd = pool->under_valgrind ? -1 : (int)syscall(SYS_pidfd_open, me, 0);
    pool->pidfd_pid = me;
#endif
    pool->pidfd_tried = true;
    return pool->pidfd;
}

/* Guard markers on slots [from, to), AW__GUARD_BATCH a syscall where process_madvise takes them
 * (else one madvise a slot). */
static bool install_markers_batched(aw__stack_chunk *c, size_t from, size_t to)
{
#if defined(SYS_process_madvise)
    int pidfd = pool_pidfd(c->pool);
    if (pidfd < 0) return false;
    bool ok = true;
    struct iovec iov[AW__GUARD_BATCH];
    for (size_t i = from; i < to && ok;) {
        size_t k = 0, bytes = 0;
        for (; k < AW__GUARD_BATCH && i < to; k++, i++) {
            iov[k] = (struct iovec){.iov_base = slot_base(c, i), .iov_len = c->pool->page};
            bytes += c->pool->page;
        }
        ok = syscall(SYS_process_madvise, pidfd, iov, k, MADV_GUARD_INSTALL, 0) == (long)bytes;
    }
    return ok;
#else
    (void)c, (void)from, (void)to;
    return false;
#endif
}

static bool install_markers(aw__stack_chunk *c)
{
    if (install_markers_batched(c, 0, c->n_slots)) return true;
    for (size_t i = 0; i < c->n_slots; i++) /* installing a marker twice is harmless */
        if (madvise(slot_base(c, i), c->pool->page, MADV_GUARD_INSTALL) != 0) return false;
    return true;
}

/* PROT_NONE guards within the pool's mapping budget; returns how many slots (from 0) got one. */
static size_t install_vma_guards(aw__stack_chunk *c)
{
    aw__stack_pool *pool = c->pool;
    size_t i = 0;
    while (i < c->n_slots && pool->n_vma_guarded < AW__MAX_VMA_GUARDED &&
           mprotect(slot_base(c, i), pool->page, PROT_NONE) == 0) {
        i++;
        pool->n_vma_guarded++;
    }
    return i;
}

static void guard_chunk(aw__stack_chunk *c)
{
#ifdef AW_STACK_NO_GUARD_MARKERS /* a build that takes the older kernels' path, to test it */
    c->pool->no_guard_markers = true;
#endif
    if (!c->pool->no_guard_markers) {
        if (install_markers(c)) {
            c->n_guarded = c->n_slots;
            return;
        }
        c->pool->no_guard_markers = true; /* before Linux 6.13: EINVAL */
    }
    c->n_guarded = install_vma_guards(c);
}

/* ---- chunks ---------------------------------------------------------------------------------- */
static void avail_push(aw__stack_chunk *c)
{
    if (c->avail) return;
    c->avail = true;
    c->next_avail = c->pool->avail;
    c->pool->avail = c;
}

/* A chunk's mapping, at the start of a window of its own: AW__CHUNK_WINDOW bytes, aligned to
 * them, the rest reserved (PROT_NONE, no memory) so that nothing else is mapped there.
 *
 * Why: a window is the span one page-table page of the level above the last maps (1 GiB with
 * 4 KiB pages).  Guarding a chunk writes one entry of that page per 2 MiB of the chunk, all at
 * once.  Under a hypervisor that shadows page tables (the project's VM does), a burst of writes
 * to a table page it shadows makes it drop that page's shadow, and with it every stack page
 * below: each stack of an older chunk in the same window then pays its first-touch cost again
 * on its next switch (a 100k-task gather spent a third of its time there).  In a window of its
 * own, a chunk's burst lands in a table nothing touched yet (bench/table_burst_cost.c measures
 * both layouts; make bench's gather of 100k new tasks went from ~10.6 to ~7.6 us a task, the
 * cost left being the first touch itself).  Virtual space only: 1M stacks use ~1000 windows
 * of the 128 TiB of x86-64.  Where a window cannot be had (a smaller address space, an
 * address-space limit), the chunk is mapped anywhere. */
#define AW__CHUNK_WINDOW ((size_t)1 << 30)

static unsigned char *chunk_map(size_t size, size_t *reserved)
{
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    if (sizeof(void *) == 8 && size <= AW__CHUNK_WINDOW) {
        unsigned char *w = aw__map_aligned(AW__CHUNK_WINDOW, AW__CHUNK_WINDOW, PROT_NONE, MAP_NORESERVE);
        if (w && mprotect(w, size, PROT_READ | PROT_WRITE) == 0) {
            *reserved = AW__CHUNK_WINDOW;
            return w;
        }
        if (w) munmap(w, AW__CHUNK_WINDOW);
    }
    *reserved = size;
    unsigned char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

static aw__stack_chunk *chunk_new(aw__stack_pool *pool)
{
    aw__stack_chunk *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->pool = pool;
    c->n_slots = pool->next_chunk_slots;
    c->map_size = pool->page + c->n_slots * pool->slot_size;
    c->map = chunk_map(c->map_size, &c->reserved_size);
    if (!c->map) {
        free(c);
        return NULL;
    }
    /* Where transparent huge pages are "always", one stack's first touch must not bring 2 MiB. */
    (void)madvise(c->map, c->map_size, MADV_NOHUGEPAGE);
    guard_chunk(c);
    if (pool->next_chunk_slots < AW__CHUNK_MAX) pool->next_chunk_slots *= 2;
    c->next = pool->chunks;
    pool->chunks = c;
    avail_push(c);
    return c;
}

/* ---- valgrind's stacks -------------------------------------------------------------------------
 * A slot's stack is registered from its first hand-out until its chunk is released or unmapped,
 * not per fiber: the range never changes, and the spawn path then makes no client request. */
static void vg_register(aw__stack *s)
{
#ifdef AW_USE_VALGRIND
    if (s->chunk->pool->under_valgrind) s->vg_id = VALGRIND_STACK_REGISTER(s->lo, (unsigned char *)s);
#else
    (void)s;
#endif
}

static aw__stack *slot_record(const aw__stack_chunk *c, size_t i);

static void vg_deregister_chunk(const aw__stack_chunk *c)
{
#ifdef AW_USE_VALGRIND
    if (!c->pool->under_valgrind) return;
    for (size_t i = 0; i < c->n_touched; i++) VALGRIND_STACK_DEREGISTER(slot_record(c, i)->vg_id);
#else
    (void)c;
#endif
}

/* Every stack of c is back: give its memory to the kernel (the mapping and its guards stay). */
static void chunk_release(aw__stack_chunk *c)
{
    vg_deregister_chunk(c); /* the records go with the memory; slot_init registers them again */
    if (madvise(c->map, c->map_size, MADV_DONTNEED) != 0) return; /* then it simply stays resident */
    c->pool->n_spare -= c->n_touched;
    c->n_touched = 0;
    c->n_populated = 0;
    c->free = NULL;
}

/* ---- stack tops made resident ahead -------------------------------------------------------------
 * Many new tasks at once (a gather) each touch a fresh stack page, and on the project's VM a
 * first touch is a trap costing 11-30 us.  Populating the tops of the next slots kernel-side, in
 * one process_madvise, costs about half as much per page (tests: 20k slots, 11.0 us a trap,
 * 5.5-6.4 us a page populated 512 at a time).  Ahead of slot i go min(i, AW__POPULATE_MAX) tops:
 * a pool that hands out one stack at a time (spawn, await, repeat) never populates anything,
 * and at most AW__POPULATE_MAX pages per chunk are resident unused.
 * What this cannot remove (bench/page_touch_cost.c, one page per 65-page slot): the first
 * user-mode touch of a populated page still costs 10-12 us (the hypervisor's own fault; kernel
 * touches, MAP_POPULATE and a split huge page all leave it), so a new task's stack costs ~13-15
 * us here, its own guarded page being the floor; huge pages cannot hold guarded stacks. */
static void populate_tops(aw__stack_chunk *c, size_t from)
{
#if defined(SYS_process_madvise)
    aw__stack_pool *pool = c->pool;
    if (from < c->n_populated || pool->no_populate) return;
    size_t n = from < AW__POPULATE_MAX ? from : AW__POPULATE_MAX;
    if (n > c->n_slots - from) n = c->n_slots - from;
    c->n_populated = from + 1;
    if (n < 2) return; /* one page: the trap costs no more than the call */
    int pidfd = pool_pidfd(pool);
    if (pidfd < 0) {
        pool->no_populate = true;
        return;
    }
    struct iovec iov[AW__POPULATE_MAX];
    for (size_t k = 0; k < n; k++)
        iov[k] = (struct iovec){.iov_base = slot_base(c, from + k) + pool->slot_size - pool->page,
                                .iov_len = pool->page};
    if (syscall(SYS_process_madvise, pidfd, iov, n, MADV_POPULATE_WRITE, 0) < 0)
        pool->no_populate = true; /* before Linux 5.14, or an advice process_madvise refuses */
    else
        c->n_populated = from + n;
#else
    (void)c, (void)from;
#endif
}

/* ---- stacks ---------------------------------------------------------------------------------- */
static uint64_t *canary_of(const aw__stack *s) { return (uint64_t *)(void *)(s->lo - AW__CANARY_BYTES); }

static aw__stack *slot_record(const aw__stack_chunk *c, size_t i)
{
    unsigned char *top = slot_base(c, i) + c->pool->slot_size;
    return (aw__stack *)(void *)((uintptr_t)(top - AW__CANARY_BYTES - sizeof(aw__stack)) & ~(uintptr_t)15);
}

static aw__stack *slot_init(aw__stack_chunk *c, size_t i)
{
    aw__stack_pool *pool = c->pool;
    unsigned char *base = slot_base(c, i);
    aw__stack *s = slot_record(c, i);
    s->chunk = c;
    s->canary = i >= c->n_guarded;
    s->lo = s->canary ? base : base + pool->page;
    if (s->canary)
        for (unsigned w = 0; w < AW__CANARY_BYTES / 8; w++) canary_of(s)[w] = AW__CANARY;
    vg_register(s);
    return s;
}

static __attribute__((noinline)) aw__stack *get_from_chunks(aw__stack_pool *pool)
{
    aw__stack_chunk *c = pool->avail;
    if (!c && !(c = chunk_new(pool))) return NULL;
    aw__stack *s;
    if (c->free) {
        s = c->free;
        c->free = s->next_free;
        pool->n_spare--;
    } else {
        populate_tops(c, c->n_touched);
        s = slot_init(c, c->n_touched++);
    }
    s->next_free = NULL;
    if (!c->free && c->n_touched == c->n_slots) { /* full: off the list */
        pool->avail = c->next_avail;
        c->avail = false;
    }
    c->n_live++;
    return s;
}

aw__stack *aw__stack_get(aw__stack_pool *pool)
{
    aw__stack *last = pool->last_put;
    if (!last) return get_from_chunks(pool); /* apart: the path above saves no registers */
    pool->last_put = NULL;
    return last;
}

/* Back on its chunk's list. */
static void put_in_chunk(aw__stack *s)
{
    aw__stack_chunk *c = s->chunk;
    aw__stack_pool *pool = c->pool;
    s->next_free = c->free;
    c->free = s;
    c->n_live--;
    pool->n_spare++;
    avail_push(c);
    if (c->n_live == 0 && pool->n_spare - c->n_touched >= AW__POOL_KEEP) chunk_release(c);
}

void aw__stack_put(aw__stack *s)
{
    aw__stack_pool *pool = s->chunk->pool;
    aw__stack *older = pool->last_put;
    pool->last_put = s;
    if (older) put_in_chunk(older);
}

bool aw__stack_canary_intact(const aw__stack *s)
{
    if (!s->canary) return true;
    const uint64_t *w = canary_of(s);
    for (unsigned i = 0; i < AW__CANARY_BYTES / 8; i++)
        if (w[i] != AW__CANARY) return false;
    return true;
}

void aw__stack_pool_free(aw__stack_pool *pool)
{
    if (!pool) return;
    while (pool->chunks) {
        aw__stack_chunk *c = pool->chunks;
        pool->chunks = c->next;
        vg_deregister_chunk(c);
        munmap(c->map, c->reserved_size);
        free(c);
    }
    if (pool->pidfd >= 0) close(pool->pidfd);
    aw__shared_stack_free(pool->shared);
    free(pool);
}
