/* file_window.c — see file_window.h. */
#include "file_window.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
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

int aw_file_window_map(int fd, uint64_t base, char **window)
{
    *window = NULL;
    if (fallocate(fd, 0, (off_t)base, (off_t)AW_FILE_MAP_WINDOW) != 0) return errno;
    char *at = reserve_aligned(AW_FILE_MAP_WINDOW);
    if (!at) return errno;
    char *w = mmap(at, AW_FILE_MAP_WINDOW, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, (off_t)base);
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
    *window = w;
    return 0;
}

void aw_file_window_unmap(char *window)
{
    if (window) munmap(window, AW_FILE_MAP_WINDOW);
}

/* How many windows behind the last full one its pages are given back: the writeback started
 * then has had the time of RECYCLE_LAG windows to finish (a page still being written is not
 * dropped, only not recycled). */
#define RECYCLE_LAG 2

void aw_file_window_recycle(int fd, uint64_t base)
{
    /* the kernel's DONTNEED starts writing back dirty pages and drops the clean ones */
    (void)posix_fadvise(fd, (off_t)base, (off_t)AW_FILE_MAP_WINDOW, POSIX_FADV_DONTNEED);
    if (base >= RECYCLE_LAG * AW_FILE_MAP_WINDOW)
        (void)posix_fadvise(fd, (off_t)(base - RECYCLE_LAG * AW_FILE_MAP_WINDOW), (off_t)AW_FILE_MAP_WINDOW,
                            POSIX_FADV_DONTNEED);
}
