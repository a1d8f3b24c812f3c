/* recycle_slab.h — blocks of one size class carved out of 2 MiB regions (recycle_slab.c), for
 * the classes of recycle.c that have grown large.  Per thread, like recycle.c. */
#ifndef AW_RECYCLE_SLAB_H
#define AW_RECYCLE_SLAB_H

#include <stdbool.h>
#include <stddef.h>

/* A block of class cls, whose blocks are `stride` bytes apart (a multiple of 16), of which the
 * first `usable` are handed out: from a run of the class with one to give, else (may_map) from a
 * new run.  NULL: none to give, or no memory could be mapped (the caller falls back to malloc). */
void *aw__slab_get(unsigned cls, size_t stride, size_t usable, bool may_map);
/* Gives p back to its run; false if p is not a slab block (the caller frees it). */
bool aw__slab_put(void *p);
/* Regions mapped now (for tests: a burst's end must leave none behind). */
size_t aw__slab_region_count(void);

#endif
