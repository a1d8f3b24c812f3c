/* coroutines-say-after — the C port of example.py, line by line (py:N tags its line N).
 * Awaiting coroutines one after the other: the delays add up (1 s + 2 s). */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(say_after, double delay; const char *what;) {    /* py:4 */
    AW_AWAIT(aw_sleep(self->delay));                          /* py:5 */
    aw_print("%s", self->what);                               /* py:6 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:8 */
    aw_print("started at %s", aw_strftime("%X"));             /* py:9 */

    AW_AWAIT(AW_CALL(say_after, 1, "hello"));                 /* py:11 */
    AW_AWAIT(AW_CALL(say_after, 2, "world"));                 /* py:12 */

    aw_print("finished at %s", aw_strftime("%X"));            /* py:14 */
    return aw_none();
}

/* The document's run started at 17:13:52 (its "Expected output"); so does the virtual clock. */
AW_LESSON(coroutines_say_after,                               /* py:16 */
          "await say_after(1, ...) then say_after(2, ...): sequential, 3 seconds", /* py:16 */
          1757783632LL * 1000000000, main);                   /* py:16 */
