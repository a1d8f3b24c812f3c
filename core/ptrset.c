/* ptrset.c — see ptrset.h. */
#include "ptrset.h"

#include "huge_map.h"

#include <stdint.h>
#include <stdlib.h>

void aw__ptrset_init(aw__ptrset *s, size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2) cap *= 2; /* at most half full: no growth needed */
    s->slots = aw__big_calloc(cap, sizeof *s->slots); /* filled in random order: huge pages when big */
    s->cap = cap;
}

bool aw__ptrset_add(aw__ptrset *s, const void *p)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0x9e3779b97f4a7c15ULL;
    for (size_t i = (size_t)(h >> 7) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == p) return false;
        if (!s->slots[i]) {
            s->slots[i] = p;
            return true;
        }
    }
}

void aw__ptrset_free(aw__ptrset *s)
{
    aw__big_free((void *)s->slots, s->cap, sizeof *s->slots);
    s->slots = NULL;
}
