/* thread_pool.h — the default executor's threads: concurrent.futures.ThreadPoolExecutor in C.
 *
 * Work items wait in a FIFO queue; a worker thread is started for a submission when no worker is
 * idle and fewer than max_workers exist (ThreadPoolExecutor._adjust_thread_count); workers live
 * until shutdown.  A queued item can be cancelled (it then never runs); a running one cannot, as
 * a concurrent.futures.Future that is running cannot.  The pool knows nothing of loops: what an
 * item does when it is done (hand its result to the loop) is the item's own run(). */
#ifndef AW_THREAD_POOL_H
#define AW_THREAD_POOL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct aw__work aw__work;
struct aw__work {
    void (*run)(aw__work *w);   /* in a worker thread; may free w */
    aw__work *next;             /* the pool's queue */
    int state;                  /* the pool's (under its mutex) */
};

typedef struct aw__pool aw__pool;

/* ThreadPoolExecutor's default: min(32, os.cpu_count() + 4) (3.8+). */
size_t aw__pool_default_workers(void);
aw__pool *aw__pool_new(size_t max_workers);
/* false if no thread could be started and none exists to run w (w is left to the caller). */
bool aw__pool_submit(aw__pool *p, aw__work *w);
/* Future.cancel() of a submitted item: true if it was still queued (it will never run). */
bool aw__pool_cancel(aw__pool *p, aw__work *w);
/* shutdown(): no more submissions; the workers run what is queued, then exit.  The last worker
 * to exit calls on_idle(arg) in its thread (at once, in this thread, if no worker exists). */
void aw__pool_shutdown(aw__pool *p, void (*on_idle)(void *arg), void *arg);
/* After on_idle: joins the threads (they have exited or are exiting) and frees the pool. */
void aw__pool_join_free(aw__pool *p);
/* shutdown(wait=False) and forget the pool: the workers finish the queue, and the last one to
 * exit frees it.  Their threads are detached (a process that exits first ends them).  Returns
 * true if a shutdown's on_idle was not called and now never will be (its arg is the caller's). */
bool aw__pool_abandon(aw__pool *p);

#endif /* AW_THREAD_POOL_H */
