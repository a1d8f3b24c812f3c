/* timer_heap.c — a binary min-heap of timer handles ordered by (deadline, creation sequence).
 *
 * CPython's heap compares deadlines only; on a real clock deadlines never tie, so timers fire in
 * creation order.  The sequence makes that order explicit, so a virtual clock (where many timers
 * share a deadline) shows the order a real run shows. */
#include <stdlib.h>

#include "internal.h"

static bool before(const aw_handle *a, const aw_handle *b)
{
    return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

bool aw__heap_push(aw__timer_heap *h, aw_handle *x)
{
    if (h->len == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        aw_handle **items = realloc(h->items, cap * sizeof *items);
        if (!items) return false;
        h->items = items;
        h->cap = cap;
    }
    size_t i = h->len++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!before(x, h->items[parent])) break;
        h->items[i] = h->items[parent];
        i = parent;
    }
    h->items[i] = x;
    return true;
}

aw_handle *aw__heap_pop(aw__timer_heap *h)
{
    if (!h->len) return NULL;
    aw_handle *top = h->items[0];
    aw_handle *last = h->items[--h->len];
    size_t i = 0, n = h->len;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && before(h->items[child + 1], h->items[child])) child++;
        if (!before(h->items[child], last)) break;
        h->items[i] = h->items[child];
        i = child;
    }
    if (n) h->items[i] = last;
    return top;
}

void aw__heap_free(aw__timer_heap *h)
{
    free(h->items);
    h->items = NULL;
    h->len = h->cap = 0;
}
