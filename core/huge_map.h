/* huge_map.h — memory in transparent huge pages (huge_map.c): the slab's regions, and big zeroed
 * tables that a burst of tasks fills at once. */
#ifndef AW_HUGE_MAP_H
#define AW_HUGE_MAP_H

#include <stddef.h>

#define AW__HUGE_BYTES ((size_t)2 << 20)

/* A private anonymous mapping of bytes at a multiple of align (a power of two, at least a page):
 * bytes + align are mapped and the ends trimmed.  prot and extra_flags as mmap's (the stack pool
 * reserves its chunk windows PROT_NONE, MAP_NORESERVE); NULL when it cannot be had. */
unsigned char *aw__map_aligned(size_t bytes, size_t align, int prot, int extra_flags);

/* bytes (a multiple of AW__HUGE_BYTES), aligned to AW__HUGE_BYTES and advised MADV_HUGEPAGE;
 * zeroed; NULL when the kernel has no memory to map. */
unsigned char *aw__huge_map(size_t bytes);
void aw__huge_unmap(unsigned char *p, size_t bytes);

/* calloc(n, size) for tables; big ones (from AW__BIG_TABLE_MIN bytes) are huge pages rounded up to
 * AW__HUGE_BYTES (not under ASan: malloc's blocks keep their bounds checked); aborts when out of
 * memory.  Freed with aw__big_free(p, n, size). */
void *aw__big_calloc(size_t n, size_t size);
void aw__big_free(void *p, size_t n, size_t size);
/* A table of old_n entries grown to new_n (> old_n), its entries kept; the new ones are not
 * initialised.  realloc's, until the table is big. */
void *aw__big_grow(void *p, size_t old_n, size_t new_n, size_t size);

#endif
