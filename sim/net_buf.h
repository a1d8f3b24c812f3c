/* net_buf.h — a byte queue (ring buffer) for the simulated network's send and receive buffers.
 * It grows as bytes come (up to what the caller lets in), so an idle connection costs nothing
 * and memory follows the bytes actually buffered. */
#ifndef AW_SIM_NET_BUF_H
#define AW_SIM_NET_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct aw__netbuf {
    unsigned char *data;
    size_t head, len, cap;
} aw__netbuf;

/* Appends n bytes; false when memory runs out (nothing appended). */
bool aw__netbuf_push(aw__netbuf *q, const void *p, size_t n);
/* Takes up to n bytes from the front into out (NULL: discards them); returns how many. */
size_t aw__netbuf_pop(aw__netbuf *q, void *out, size_t n);
void aw__netbuf_free(aw__netbuf *q);

#endif /* AW_SIM_NET_BUF_H */
