/* huge_map.c — see huge_map.h.
 *
 * Why: on the project's VM (a PVM guest with shadow paging) the first user-mode touch of every
 * freshly mapped 4 KiB page costs 10-20 us in the hypervisor however the kernel populated it,
 * while a 2 MiB transparent huge page costs about as much as a few 4 KiB ones in all
 * (bench/page_touch_cost.c measures both).  A table that a burst of new tasks fills in random
 * order (gather's de-duplication set: 2 MB for 100k children) touches every one of its pages.
 * Tables under AW__BIG_TABLE_MIN stay malloc's: rounding them to 2 MiB would cost more memory
 * than the pages cost time.  Where THP is "never" the advice is refused: plain pages, as before.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "huge_map.h"
#include "poison.h"

#ifdef AW__POISONING /* ASan: tables stay malloc's, their bounds checked */
#define AW__BIG_TABLE_MIN SIZE_MAX
#endif
#ifndef AW__BIG_TABLE_MIN
#define AW__BIG_TABLE_MIN ((size_t)512 << 10)
#endif

unsigned char *aw__map_aligned(size_t bytes, size_t align, int prot, int extra_flags)
{
    size_t span = bytes + align; /* room to align: the ends are trimmed */
    unsigned char *m = mmap(NULL, span, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
    if (m == MAP_FAILED) return NULL;
    unsigned char *p = (unsigned char *)(((uintptr_t)m + align - 1) & ~(uintptr_t)(align - 1));
    if (p > m) munmap(m, (size_t)(p - m));
    if (p + bytes < m + span) munmap(p + bytes, (size_t)(m + span - p - bytes));
    return p;
}

unsigned char *aw__huge_map(size_t bytes)
{
    unsigned char *p = aw__map_aligned(bytes, AW__HUGE_BYTES, PROT_READ | PROT_WRITE, 0);
    if (p) (void)madvise(p, bytes, MADV_HUGEPAGE);
    return p;
}

void aw__huge_unmap(unsigned char *p, size_t bytes) { munmap(p, bytes); }

static size_t huge_rounded(size_t bytes) { return (bytes + AW__HUGE_BYTES - 1) / AW__HUGE_BYTES * AW__HUGE_BYTES; }

static size_t table_bytes(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) abort();
    return n * size;
}

void *aw__big_calloc(size_t n, size_t size)
{
    size_t bytes = table_bytes(n, size);
    void *p = bytes < AW__BIG_TABLE_MIN ? calloc(n, size) : aw__huge_map(huge_rounded(bytes));
    if (!p) abort();
    return p;
}

void aw__big_free(void *p, size_t n, size_t size)
{
    size_t bytes = n * size;
    if (bytes < AW__BIG_TABLE_MIN)
        free(p);
    else if (p)
        aw__huge_unmap(p, huge_rounded(bytes));
}

void *aw__big_grow(void *p, size_t old_n, size_t new_n, size_t size)
{
    size_t old_bytes = table_bytes(old_n, size), new_bytes = table_bytes(new_n, size);
    if (new_bytes < AW__BIG_TABLE_MIN) {
        void *q = realloc(p, new_bytes);
        if (!q) abort();
        return q;
    }
    if (old_bytes >= AW__BIG_TABLE_MIN && huge_rounded(new_bytes) == huge_rounded(old_bytes)) return p;
    void *q = aw__big_calloc(new_n, size);
    if (old_bytes) memcpy(q, p, old_bytes);
    aw__big_free(p, old_n, size);
    return q;
}
