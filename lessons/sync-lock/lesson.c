/* sync-lock — the C port of the docs' Lock snippet (example.py), completed as
 * lessons/sync-lock/program.py completes it (the lines marked "added"); py:N tags line N of
 * program.py.
 * `async with lock:` is AW_ASYNC_WITH(lock): it awaits lock.acquire() and releases the lock however
 * the block is left.  Two tasks run worker(): A takes the lock at once and holds it 1 s; B blocks
 * in acquire() until A releases it, and gets it in the next loop iteration. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(worker, const char *name; aw_lock *lock;) {     /* py:8 */
    /* ... later */
    aw_print("%s: wants the lock", self->name);               /* py:10 */
    AW_ASYNC_WITH(self->lock) {                               /* py:11 */
        /* access shared state */
        aw_print("%s: has the lock", self->name);             /* py:13 */
        AW_AWAIT(aw_sleep(1));                                /* py:14 */
    }
    aw_print("%s: released it", self->name);                  /* py:15 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:17 */
    aw_lock *lock = aw_lock_new();                            /* py:18 */
    AW_AWAIT(AW_GATHER(AW_CALL(worker, "A", lock), AW_CALL(worker, "B", lock))); /* py:19 */
    return aw_none();
}

AW_LESSON(sync_lock,                                          /* py:21 */
          "asyncio.Lock: two tasks contend; the second waits in acquire() until the first releases", /* py:21 */
          0, main);                                           /* py:21 */
