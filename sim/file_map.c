/* file_map.c — see file_map.h. */
#include "file_map.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

#define HUGE_PAGE ((size_t)2 << 20)

/* An address range of `size` bytes aligned to HUGE_PAGE, reserved (PROT_NONE), for MAP_FIXED:
 * only an aligned mapping of aligned file offsets can be mapped with huge pages. */
static char *reserve_aligned(size_t size)
{
    char *area = mmap(NULL, size + HUGE_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (area == MAP_FAILED) return NULL;
    char *start = (char *)(((uintptr_t)area + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (start > area) munmap(area, (size_t)(start - area));
    munmap(start + size, (size_t)(area + HUGE_PAGE - start));
    return start;
}

/* Preallocates and maps the window at m->base.  0 or an errno (nothing mapped then). */
static int map_window(aw_file_map *m)
{
    if (fallocate(m->fd, 0, (off_t)m->base, (off_t)AW_FILE_MAP_WINDOW) != 0) return errno;
    char *at = reserve_aligned(AW_FILE_MAP_WINDOW);
    if (!at) return errno;
    char *w = mmap(at, AW_FILE_MAP_WINDOW, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, m->fd, (off_t)m->base);
    if (w == MAP_FAILED) {
        int e = errno;
        munmap(at, AW_FILE_MAP_WINDOW);
        return e;
    }
    (void)madvise(w, AW_FILE_MAP_WINDOW, MADV_HUGEPAGE); /* refused (no THP): 4 KiB pages, slower */
    /* EINVAL: a kernel without it, and the pages fault in as they are written */
    if (madvise(w, AW_FILE_MAP_WINDOW, MADV_POPULATE_WRITE) != 0 && errno != EINVAL) {
        int e = errno;
        munmap(w, AW_FILE_MAP_WINDOW);
        return e;
    }
    m->window = w;
    return 0;
}

bool aw_file_map_open(aw_file_map *m, int fd)
{
    struct stat st;
    *m = (aw_file_map){fd, NULL, 0, 0};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != 0 || lseek(fd, 0, SEEK_CUR) != 0) return false;
    if (map_window(m) == 0) return true;
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
        if (m->len - m->base == AW_FILE_MAP_WINDOW) {
            munmap(m->window, AW_FILE_MAP_WINDOW);
            m->window = NULL;
            m->base = m->len;
            int e = map_window(m);
            if (e) return e;
        }
    }
    return 0;
}

int aw_file_map_close(aw_file_map *m)
{
    aw_file_map_abandon(m);
    if (ftruncate(m->fd, (off_t)m->len) != 0) return errno;
    if (lseek(m->fd, (off_t)m->len, SEEK_SET) < 0) return errno;
    return 0;
}

void aw_file_map_abandon(aw_file_map *m)
{
    if (m->window) munmap(m->window, AW_FILE_MAP_WINDOW);
    m->window = NULL;
}
