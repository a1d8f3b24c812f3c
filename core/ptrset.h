/* ptrset.h — a set of pointers (open addressing), for the de-duplication that CPython does with
 * a dict or set of its arguments (gather, wait, as_completed).  Membership only: iteration order
 * always comes from the caller's array, never from this table. */
#ifndef AW_PTRSET_H
#define AW_PTRSET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct aw__ptrset {
    const void **slots;
    size_t cap;
} aw__ptrset;

void aw__ptrset_init(aw__ptrset *s, size_t expected);
/* Adds p; returns false if it was already there. */
bool aw__ptrset_add(aw__ptrset *s, const void *p);
void aw__ptrset_free(aw__ptrset *s);

#endif
