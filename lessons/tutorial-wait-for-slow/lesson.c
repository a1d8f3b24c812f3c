/* tutorial-wait-for-slow — the C port of example.py, line by line (py:N tags its line N).
 * wait_for() with a 3 s timeout around a 5 s operation: at 3 s the operation is cancelled,
 * cleans up, and only then does wait_for raise TimeoutError in main. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(slow_operation) {                                /* py:3 */
    aw_print("Slow operation is starting...");                /* py:4 */
    /* try: */                                                /* py:5 */
    aw_status st = aw_await(aw_sleep(5), NULL); /* This is more than the 3-second timeout */ /* py:6 */
    if (st == AW_OK) {
        aw_print("This message will not be printed because the task was cancelled."); /* py:7 */
    } else if (aw_except(st, "CancelledError")) {            /* py:8 */
        aw_print("Slow operation was cancelled.");            /* py:9 */
        return aw_raise_again(); /* It's good practice to re-raise the exception after cleanup */ /* py:10 */
    } else {
        return aw_reraise();
    }
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:12 */
    /* try: */                                                /* py:13 */
    aw_print("Waiting for slow operation...");                /* py:14 */
    aw_status st = aw_await(aw_wait_for(AW_CALL(slow_operation), 3), NULL); /* py:15 */
    if (st == AW_OK) {
        aw_print("This message will not be printed.");        /* py:16 */
    } else if (aw_except(st, "TimeoutError")) {              /* py:17 */
        aw_print("Successfully caught a TimeoutError.");      /* py:18 */
        aw_exc_clear();
    } else {
        return aw_reraise();
    }
    return aw_none();
}

AW_LESSON(tutorial_wait_for_slow,                             /* py:20 */
          "wait_for(slow_operation(), timeout=3): cancelled at 3 s, then TimeoutError", /* py:20 */
          0, main);                                           /* py:20 */
