/* window_ahead.h — a helper thread that makes a file_map's next window ready (preallocated,
 * mapped, resident: sim/file_window.h) while the program records into the current one, and
 * unmaps the windows it is done with.
 *
 * Why: making a window resident is mostly the kernel zeroing fresh page-cache pages, and on a
 * guest with shadow paging (this project's benchmark VM) the first touches of fresh pages cost
 * 10-20 us a page: in slow runs a third of tracing's time (issue 15), all of it on the
 * recording thread.  Done by the helper it overlaps with the recording; the bytes written and
 * their order do not change (the helper never touches the file's contents).
 *
 * The helper starts with every signal blocked (no handler of the program ever runs on it, and a
 * SIGXFSZ from its fallocate is never delivered: the error is returned instead), runs nothing
 * but the calls of file_window.h, and is joined by aw_window_ahead_stop.  It is started at the
 * first request: a trace that never outgrows its first window costs no thread.  When it cannot
 * be started, the requests are served synchronously, as before it existed.
 */
#ifndef AW_WINDOW_AHEAD_H
#define AW_WINDOW_AHEAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct aw_window_ahead {
    bool started;        /* the helper thread runs (else everything is done by the caller) */
    pthread_t thread;
    pthread_mutex_t lock; /* guards what follows */
    pthread_cond_t wake;  /* to the helper: a request, a window to unmap, or stop */
    pthread_cond_t done;  /* to the caller: the requested window is ready (or failed) */
    int fd;
    bool asked;          /* a window at `base` is wanted and not ready yet */
    bool ready;          /* `window` (or `err`) is the answer to the last request */
    bool stop;
    uint64_t base;
    char *window;
    int err;
    char *retired;       /* a window to unmap and recycle, at retired_base of the file */
    uint64_t retired_base;
} aw_window_ahead;

/* A helper (not yet started) for the windows of fd. */
void aw_window_ahead_init(aw_window_ahead *a, int fd);

/* Asks for the window at `base`; the previous answer must have been taken. */
void aw_window_ahead_request(aw_window_ahead *a, uint64_t base);

/* The window asked for last, waiting for it if need be: 0 and *window, or an errno. */
int aw_window_ahead_take(aw_window_ahead *a, char **window);

/* Hands over a full window, at `base` of the file, to unmap and recycle (file_window.h;
 * NULL: nothing). */
void aw_window_ahead_retire(aw_window_ahead *a, char *window, uint64_t base);

/* Joins the helper and unmaps whatever it holds. */
void aw_window_ahead_stop(aw_window_ahead *a);

/* In a forked child, which has no helper thread (only the forking thread is copied): unmaps the
 * windows it held, without its lock (the parent's helper may have held it at the fork), and
 * never joins it. */
void aw_window_ahead_forget(aw_window_ahead *a);

#endif
