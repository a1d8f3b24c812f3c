/* file_map.c — see file_map.h. */
#include "file_map.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool aw_file_map_open(aw_file_map *m, int fd)
{
    struct stat st;
    *m = (aw_file_map){.fd = fd};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != 0 || lseek(fd, 0, SEEK_CUR) != 0) return false;
    aw_window_ahead_init(&m->ahead, fd);
    if (aw_file_window_map(fd, 0, &m->window) == 0) return true;
    (void)ftruncate(fd, 0); /* a preallocation that could not be mapped */
    return false;
}

/* 16 bytes that one instruction stores (SSE2, NEON): half the stores of 8-byte words. */
typedef uint64_t block16 __attribute__((vector_size(16)));

/* Stores 8 bytes at dst, 8-aligned, with one instruction. */
static inline void put_word(char *dst, const char *src)
{
    uint64_t w;
    memcpy(&w, src, sizeof w);
    *(volatile uint64_t *)(void *)dst = w;
}

/* Copies n bytes in ascending order, an aligned block at a time (volatile: the compiler keeps
 * the order), so that a program killed while copying leaves a prefix of them, then zeros.
 * memcpy may store the end of a block before its middle: killed in between, the file would
 * hold text after a run of zeros, which readers rightly refuse. */
static void copy_in_order(char *dst, const char *src, size_t n)
{
    volatile char *d = dst;
    size_t i = 0;
    for (; i < n && ((uintptr_t)(dst + i) & 7) != 0; i++) d[i] = src[i];
    if (i + 8 <= n && ((uintptr_t)(dst + i) & 15) != 0) { /* a word to the next block */
        put_word(dst + i, src + i);
        i += 8;
    }
    for (; i < n && ((uintptr_t)(dst + i) & 15) != 0; i++) d[i] = src[i]; /* n was short */
    volatile block16 *blocks = (volatile block16 *)(void *)(dst + i);
    for (; i + 64 <= n; i += 64, blocks += 4) { /* four at a time: less loop per byte */
        block16 b0, b1, b2, b3; /* not an array: it would go through the stack */
        memcpy(&b0, src + i, 16);
        memcpy(&b1, src + i + 16, 16);
        memcpy(&b2, src + i + 32, 16);
        memcpy(&b3, src + i + 48, 16);
        blocks[0] = b0;
        blocks[1] = b1;
        blocks[2] = b2;
        blocks[3] = b3;
    }
    for (; i + 16 <= n; i += 16, blocks++) {
        block16 b;
        memcpy(&b, src + i, sizeof b);
        *blocks = b;
    }
    if (i + 8 <= n) {
        put_word(dst + i, src + i);
        i += 8;
    }
    for (; i < n; i++) d[i] = src[i];
}

/* Asks the helper for the window after this one, once the file is AW_FILE_MAP_AHEAD_AT long:
 * from the second window on, as soon as the window starts (the helper then has all of its
 * time: asked a quarter in, the recording thread waited for it in a third of the switches). */
static void ask_ahead(aw_file_map *m)
{
    if (m->next_asked || m->len < AW_FILE_MAP_AHEAD_AT) return;
    aw_window_ahead_request(&m->ahead, m->base + AW_FILE_MAP_WINDOW);
    m->next_asked = true;
}

/* Moves on to the window after the full one, the helper's. */
static int next_window(aw_file_map *m)
{
    char *full = m->window;
    uint64_t full_base = m->base;
    ask_ahead(m); /* a put that filled the window at once has not yet */
    m->window = NULL;
    m->base = m->len;
    m->next_asked = false;
    int e = aw_window_ahead_take(&m->ahead, &m->window);
    if (e == 0) ask_ahead(m);
    aw_window_ahead_retire(&m->ahead, full, full_base);
    return e;
}

int aw_file_map_put(aw_file_map *m, const char *p, size_t n)
{
    while (n > 0) {
        if (!m->window) return EIO; /* a growth failed before: the caller has gone to write() */
        size_t at = (size_t)(m->len - m->base), k = AW_FILE_MAP_WINDOW - at;
        if (k > n) k = n;
        copy_in_order(m->window + at, p, k);
        m->len += k;
        p += k;
        n -= k;
        if (at + k < AW_FILE_MAP_WINDOW) {
            ask_ahead(m);
        } else {
            int e = next_window(m);
            if (e) return e;
        }
    }
    return 0;
}

int aw_file_map_close(aw_file_map *m)
{
    /* first: a window the helper preallocates after the trim would lengthen the file again */
    aw_window_ahead_stop(&m->ahead);
    aw_file_window_unmap(m->window);
    m->window = NULL;
    if (ftruncate(m->fd, (off_t)m->len) != 0) return errno;
    if (lseek(m->fd, (off_t)m->len, SEEK_SET) < 0) return errno;
    return 0;
}

void aw_file_map_abandon(aw_file_map *m)
{
    aw_window_ahead_forget(&m->ahead);
    aw_file_window_unmap(m->window);
    m->window = NULL;
}
