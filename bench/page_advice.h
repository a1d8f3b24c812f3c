/* page_advice.h — for the bench programs that measure what memory costs this machine
 * (page_touch_cost.c, table_burst_cost.c): the advice numbers Debian 12's headers lack, and one
 * advice to every stride-th page, 64 pages a process_madvise call, as core/stack_pool.c batches
 * them.  Header-only, as bench_util.h. */
#ifndef AW_BENCH_PAGE_ADVICE_H
#define AW_BENCH_PAGE_ADVICE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13 */
#endif
#define PAGE 4096ul

/* advice on count pages: base's page first, first + stride, ...  A refusal ends the program: a
 * figure measured without the advice would be mislabelled. */
static inline void advise_strided(unsigned char *base, size_t first, size_t stride, size_t count, int advice)
{
    static int pidfd = -1;
    if (pidfd < 0 && (pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0)) < 0) {
        perror("pidfd_open");
        exit(1);
    }
    struct iovec iov[64];
    for (size_t done = 0; done < count;) {
        size_t k = 0;
        for (; k < 64 && done < count; k++, done++)
            iov[k] = (struct iovec){base + (first + done * stride) * PAGE, PAGE};
        if (syscall(SYS_process_madvise, pidfd, iov, k, advice, 0) < 0) {
            perror("process_madvise");
            exit(1);
        }
    }
}

#endif /* AW_BENCH_PAGE_ADVICE_H */
