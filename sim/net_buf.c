/* net_buf.c — a growing ring buffer of bytes (net_buf.h). */
#include <stdlib.h>
#include <string.h>

#include "net_buf.h"

static bool grow(aw__netbuf *q, size_t need)
{
    size_t cap = q->cap ? q->cap : 256;
    while (cap < need) cap *= 2;
    unsigned char *d = malloc(cap);
    if (!d) return false;
    /* Linearise: the old contents start at 0 in the new block. */
    size_t first = q->len < q->cap - q->head ? q->len : q->cap - q->head;
    if (q->len) {
        memcpy(d, q->data + q->head, first);
        memcpy(d + first, q->data, q->len - first);
    }
    free(q->data);
    q->data = d;
    q->head = 0;
    q->cap = cap;
    return true;
}

bool aw__netbuf_push(aw__netbuf *q, const void *p, size_t n)
{
    if (!n) return true;
    if (q->len + n > q->cap && !grow(q, q->len + n)) return false;
    size_t tail = (q->head + q->len) % q->cap;
    size_t first = n < q->cap - tail ? n : q->cap - tail;
    memcpy(q->data + tail, p, first);
    memcpy(q->data, (const unsigned char *)p + first, n - first);
    q->len += n;
    return true;
}

size_t aw__netbuf_pop(aw__netbuf *q, void *out, size_t n)
{
    if (n > q->len) n = q->len;
    if (!n) return 0;
    size_t first = n < q->cap - q->head ? n : q->cap - q->head;
    if (out) {
        memcpy(out, q->data + q->head, first);
        memcpy((unsigned char *)out + first, q->data, n - first);
    }
    q->head = (q->head + n) % q->cap;
    q->len -= n;
    return n;
}

void aw__netbuf_free(aw__netbuf *q)
{
    free(q->data);
    *q = (aw__netbuf){0};
}
