/* file_map.h — appending to a regular file through a shared mapping of it, grown ahead in
 * windows: the recorder's output path for trace files (sim/recorder.c).
 *
 * Why: the recorder hands its lines to the file at every loop iteration (a killed program must
 * lose at most its last iteration), and one write() per iteration was half of tracing's cost
 * (issue 15: the syscall, ext4's write path and the page-cache copy, ~150-190 ns an event).
 * Bytes copied into a MAP_SHARED mapping are in the page cache at once: they survive SIGKILL as
 * written bytes do, with no syscall.  Each window is preallocated (fallocate: a full disk is an
 * error here, never a SIGBUS later), 2 MiB-aligned with MADV_HUGEPAGE (one fault per 2 MiB: with
 * 4 KiB pages the faults cost as much as the copies did) and made resident ahead
 * (MADV_POPULATE_WRITE): sim/file_window.h.  The windows after the first are made ready by a
 * helper thread while the program records into the one before (sim/window_ahead.h).  Until
 * aw_file_map_close trims the file to what was put, it ends in zeros: a killed program's trace
 * has a zero-filled tail, which readers call truncated (sim/trace-format.md, *Truncation*).
 */
#ifndef AW_FILE_MAP_H
#define AW_FILE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "file_window.h"
#include "window_ahead.h"

typedef struct aw_file_map {
    int fd;
    char *window;  /* the file's bytes [base, base + AW_FILE_MAP_WINDOW); NULL: none mapped */
    uint64_t base;
    uint64_t len;  /* bytes put: the file's length once trimmed */
    bool next_asked; /* the window after this one is being made ready by `ahead` */
    aw_window_ahead ahead;
} aw_file_map;

/* How long the file must be before the window after the current one is asked for: a trace
 * smaller than this costs neither a second window nor a thread. */
#define AW_FILE_MAP_AHEAD_AT (AW_FILE_MAP_WINDOW / 4)

/* Starts appending to fd, an empty regular file opened for reading and writing, at offset 0.
 * false: fd is something else, or the file system cannot preallocate or map it; the file is as
 * it was, and the caller writes with write(). */
bool aw_file_map_open(aw_file_map *m, int fd);

/* Appends n bytes.  0, or the errno of a failed growth: the bytes up to m->len are in the file,
 * the rest are not, and the caller goes on with write() after aw_file_map_close. */
int aw_file_map_put(aw_file_map *m, const char *p, size_t n);

/* Stops the helper, unmaps, trims the file to m->len and leaves fd's offset there.  0, or an
 * errno. */
int aw_file_map_close(aw_file_map *m);

/* Unmaps without touching the file or the helper thread: in a forked child, whose parent still
 * writes the file (and has the thread). */
void aw_file_map_abandon(aw_file_map *m);

#endif
