/* sync-semaphore — the C port of the docs' Semaphore snippet (example.py), completed as
 * lessons/sync-semaphore/program.py completes it (the lines marked "added"); py:N tags line N
 * of program.py.
 * `async with sem:` is AW_ASYNC_WITH(sem): it awaits sem.acquire() and releases the semaphore
 * however the block is left.  Semaphore(10) lets ten tasks in at once: of the twelve workers,
 * ten get in at 0 s; the last two block in acquire() until the first two releases, at 1 s. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(worker, int i; aw_semaphore *sem;) {             /* py:9 */
    /* ... later */
    AW_ASYNC_WITH(self->sem) {                                /* py:11 */
        /* work with shared resource */
        aw_print("worker %d: in", self->i);                   /* py:13 */
        AW_AWAIT(aw_sleep(1));                                /* py:14 */
    }
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:16 */
    aw_semaphore *sem = aw_semaphore_new(10);                 /* py:17 */
    /* *(worker(i, sem) for i in range(12)): the twelve coroutine objects, then gather */
    aw_coro *workers[12];
    for (int i = 0; i < 12; i++) workers[i] = AW_CALL(worker, i, sem); /* py:18 */
    AW_AWAIT(aw_gather(false, 12, (void *const *)workers));   /* py:18 */
    return aw_none();
}

AW_LESSON(sync_semaphore,                                     /* py:20 */
          "asyncio.Semaphore(10): twelve tasks, ten get in at once, two wait for a release", /* py:20 */
          0, main);                                           /* py:20 */
