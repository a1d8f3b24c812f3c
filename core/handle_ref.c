/* handle_ref.c — what the program holds of a call_soon handle: a reference that goes stale.
 *
 * CPython frees a Handle once it has run and nobody refers to it; C cannot see references, so
 * keeping every handle given to the program until the loop is freed made a program that
 * schedules callbacks in a chain grow without bound (124 MB after 1M call_soon; CPython 19 MB).
 * So aw_call_soon gives the program not the handle but a reference to it: (slot, generation)
 * packed into an odd value, as coroutine handles are (coro.c).  Once the callback has run, the
 * loop recycles the handle and bumps the slot's generation: the program's old reference then
 * finds a generation that differs, and the handle reads as what it is in CPython after it ran
 * (not cancelled; cancel() has nothing left to stop).  A handle the program cancelled is never
 * recycled (its cancelled() stays true, as in CPython); timer handles stay valid as before.
 * The table holds one slot per call_soon handle not yet run: memory follows the ready queue.
 * It is per thread, as coroutine handles are, so that a reference needs no loop to be read.
 */
#include <stdlib.h>

#include "internal.h"

#define GEN_SHIFT 32u

typedef struct ref_slot {
    uint32_t gen;
    uint32_t next_free;   /* + 1; 0: end of the free list */
    aw_handle *h;         /* NULL: free */
} ref_slot;

typedef struct ref_table {
    ref_slot *slots;
    size_t n, cap;
    uint32_t free_head;
} ref_table;

static _Thread_local ref_table refs;

aw_handle *aw__handle_publish(aw_handle *h)
{
    ref_table *r = &refs;
    size_t i;
    if (r->free_head) {
        i = r->free_head - 1;
        r->free_head = r->slots[i].next_free;
    } else {
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 64;
            ref_slot *grown = realloc(r->slots, cap * sizeof *grown);
            if (!grown || cap > UINT32_MAX / 2) abort();
            r->slots = grown;
            r->cap = cap;
        }
        i = r->n++;
        r->slots[i].gen = 0;
    }
    r->slots[i].h = h;
    h->ref_slot = (uint32_t)i + 1;
    return (aw_handle *)(((uintptr_t)r->slots[i].gen << GEN_SHIFT) | ((uintptr_t)i << 1) | 1u);
}

/* The handle a reference names, or NULL: stale (its callback ran and it was recycled). */
aw_handle *aw__handle_resolve(const aw_handle *ref)
{
    uintptr_t v = (uintptr_t)ref;
    size_t i = (size_t)((v & 0xffffffffu) >> 1);
    if (i >= refs.n) return NULL;
    ref_slot *s = &refs.slots[i];
    return s->h && s->gen == (uint32_t)(v >> GEN_SHIFT) ? s->h : NULL;
}

/* h is being recycled: every reference to it goes stale. */
void aw__handle_unpublish(aw_handle *h)
{
    ref_table *r = &refs;
    ref_slot *s = &r->slots[h->ref_slot - 1];
    s->h = NULL;
    s->gen++;
    s->next_free = r->free_head;
    r->free_head = h->ref_slot;
    h->ref_slot = 0;
}
