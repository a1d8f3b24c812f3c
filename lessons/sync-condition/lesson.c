/* sync-condition — the C port of the docs' Condition snippet (example.py), completed as
 * lessons/sync-condition/program.py completes it (the lines marked "added"); py:N tags line N
 * of program.py.
 * `async with cond:` is AW_ASYNC_WITH(cond): it acquires the condition's lock and releases it
 * however the block is left.  wait() releases the lock, waits for a notify, and takes the lock
 * again before it returns; main notifies after 1 s, holding the lock as notify() requires. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(waiter, aw_condition *cond;) {                   /* py:8 */
    /* ... later */
    aw_print("waiter: waiting");                              /* py:10 */
    AW_ASYNC_WITH(self->cond) {                               /* py:11 */
        AW_AWAIT(aw_condition_wait(self->cond));              /* py:12 */
    }
    aw_print("waiter: notified");                             /* py:13 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:15 */
    aw_condition *cond = aw_condition_new(NULL);              /* py:16 */
    aw_task *task = aw_create_task(AW_CALL(waiter, cond));    /* py:17 */
    AW_AWAIT(aw_sleep(1));                                    /* py:18 */
    AW_ASYNC_WITH(cond) {                                     /* py:19 */
        aw_print("main: notify");                             /* py:20 */
        AW_TRY(aw_condition_notify(cond, 1));                 /* py:21 */
    }
    AW_AWAIT(task);                                           /* py:22 */
    return aw_none();
}

AW_LESSON(sync_condition,                                     /* py:24 */
          "asyncio.Condition: a task waits until main notifies it, 1 s later; wait() re-takes the lock", /* py:24 */
          0, main);                                           /* py:24 */
