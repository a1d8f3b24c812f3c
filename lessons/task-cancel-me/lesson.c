/* task-cancel-me — the C port of the document's example, with the `import asyncio` it lacks
 * (program.py); py:N tags line N of program.py.
 * Task.cancel(): the CancelledError is thrown in at cancel_me's await; its `except` prints and
 * re-raises, its `finally` prints, and the task ends cancelled, so `await task` raises in main. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(cancel_me) {                                     /* py:5 */
    aw_print("cancel_me(): before sleep");                    /* py:6 */

    /* try: */                                                /* py:8 */
    /* Wait for 1 hour */
    aw_status st = aw_await(aw_sleep(3600), NULL);            /* py:10 */
    aw_value ret = st == AW_OK ? aw_none() : aw_reraise();   /* what the try block ends with */
    if (aw_except(st, "CancelledError")) {                    /* py:11 */
        aw_print("cancel_me(): cancel sleep");                /* py:12 */
        ret = aw_raise_again();                               /* py:13 */
    }
    aw_finally();                                             /* py:14 */
    aw_print("cancel_me(): after sleep");                     /* py:15 */
    return ret;
}

AW_COROUTINE(main) {                                          /* py:17 */
    /* Create a "cancel_me" Task */
    aw_task *task = aw_create_task(AW_CALL(cancel_me));       /* py:19 */

    /* Wait for 1 second */
    AW_AWAIT(aw_sleep(1));                                    /* py:22 */

    aw_task_cancel(task, NULL);                               /* py:24 */
    /* try: */                                                /* py:25 */
    aw_status st = aw_await(task, NULL);                      /* py:26 */
    if (aw_except(st, "CancelledError")) {                    /* py:27 */
        aw_print("main(): cancel_me is cancelled now");       /* py:28 */
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    return aw_none();
}

AW_LESSON(task_cancel_me,                                     /* py:30 */
          "Task.cancel(): cancel_me catches CancelledError, re-raises it; main sees it", /* py:30 */
          0, main);                                           /* py:30 */
