/* tutorial-wait-for-fast — the C port of example.py, line by line (py:N tags its line N).
 * wait_for() with a 3 s timeout around a 1 s operation: the result comes back in time. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(fast_operation) {                                /* py:3 */
    aw_print("Fast operation is starting...");                /* py:4 */
    AW_AWAIT(aw_sleep(1)); /* This is less than the 3-second timeout */ /* py:5 */
    return aw_str("Operation complete!");                     /* py:6 */
}

AW_COROUTINE(main) {                                          /* py:8 */
    /* try: */                                                /* py:9 */
    aw_print("Waiting for fast operation...");                /* py:10 */
    aw_value result;
    aw_status st = aw_await(aw_wait_for(AW_CALL(fast_operation), 3), &result); /* py:11 */
    if (st == AW_OK) {
        aw_print("Result: %s", result.as.s);                  /* py:12 */
    } else if (aw_except(st, "TimeoutError")) {              /* py:13 */
        aw_print("Error: The operation timed out.");          /* py:14 */
        aw_exc_clear();
    } else {
        return aw_reraise();
    }
    return aw_none();
}

AW_LESSON(tutorial_wait_for_fast,                             /* py:16 */
          "wait_for(fast_operation(), timeout=3): done in 1 s, the result is returned", /* py:16 */
          0, main);                                           /* py:16 */
