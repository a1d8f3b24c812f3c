/* tutorial-my-coroutine — the C port of example.py (the tutorial's cell In [10]), line by line
 * (py:N tags its line N).  The cell only defines main(); the tutorial runs it in cell In [12]
 * with a notebook `await main()` (tests/oracle/variants/tutorial-my-coroutine.py), as
 * `awaitlab run` does.  The wall clock starts where the tutorial's run did: 1757760448.00. */
#include "awaitlab.h"
#include "lessons.h"

/* A coroutine is defined with 'async def'. */
AW_COROUTINE(my_coroutine, const char *name;) {               /* py:5 */
    /* This is a coroutine that simulates an I/O-bound task. */
    aw_print("[%.2f] Coroutine '%s' started.", aw_wall_time(), self->name); /* py:9 */

    /* The 'await' keyword pauses this coroutine and gives control back to the event loop.
     * The event loop can then run other tasks while 'my_coroutine' is waiting. */
    AW_AWAIT(aw_sleep(2)); /* Simulates waiting for 2 seconds (e.g., a network request) */ /* py:13 */

    aw_print("[%.2f] Coroutine '%s' resumed and finished.", aw_wall_time(), self->name); /* py:15 */
    return aw_none();
}

/* The 'main' function is a coroutine that serves as the entry point for the program.
 * It is also defined with 'async def'. */
AW_COROUTINE(main) {                                          /* py:19 */
    /* The main entry point for the asynchronous program. */
    aw_print("Program starting...");                          /* py:23 */

    /* We call our coroutine here, but this does not run it immediately.
     * It simply returns an "awaitable" object (a coroutine object). */
    aw_coro *coro = AW_CALL(my_coroutine, "First Task");      /* py:27 */

    /* The 'await' keyword is used to execute the coroutine.
     * The program will pause here until 'coro' has finished running. */
    AW_AWAIT(coro);                                           /* py:31 */

    aw_print("Program finished.");                            /* py:33 */
    return aw_none();
}

AW_LESSON(tutorial_my_coroutine,
          "awaiting a coroutine object runs it; time.time() before and after a 2 s sleep",
          1757760448LL * 1000000000, main);
