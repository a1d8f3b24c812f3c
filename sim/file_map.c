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

/* Copies n bytes in ascending order, an aligned word at a time (volatile: the compiler keeps
 * the order), so that a program killed while copying leaves a prefix of them, then zeros.
 * memcpy may store the end of a block before its middle: killed in between, the file would
 * hold text after a run of zeros, which readers rightly refuse. */
static void copy_in_order(char *dst, const char *src, size_t n)
{
    volatile char *d = dst;
    size_t i = 0;
    for (; i < n && ((uintptr_t)(dst + i) & 7) != 0; i++) d[i] = src[i];
    volatile uint64_t *words = (volatile uint64_t *)(void *)(dst + i);
    for (; i + 32 <= n; i += 32, words += 4) { /* four at a time: less loop per byte */
        uint64_t w0, w1, w2, w3; /* not an array: it would go through the stack */
        memcpy(&w0, src + i, 8);
        memcpy(&w1, src + i + 8, 8);
        memcpy(&w2, src + i + 16, 8);
        memcpy(&w3, src + i + 24, 8);
        words[0] = w0;
        words[1] = w1;
        words[2] = w2;
        words[3] = w3;
    }
    for (; i + 8 <= n; i += 8, words++) {
        uint64_t w;
        memcpy(&w, src + i, sizeof w);
        *words = w;
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
