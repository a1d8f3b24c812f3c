/* tutorial-future — the C port of example.py, line by line (py:N tags its line N).
 * main() awaits a bare Future; a worker task sets its result 2 s later, which wakes main. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(worker, aw_future *future;) {                    /* py:3 */
    /* Simulates an operation that takes time and then sets a result on a Future. */
    aw_print("Worker: Starting long operation...");           /* py:7 */
    AW_AWAIT(aw_sleep(2)); /* Simulate I/O work */            /* py:8 */
    aw_print("Worker: Operation complete. Setting result on Future."); /* py:9 */
    /* Set the result on the future, fulfilling the promise */
    AW_TRY(aw_future_set_result(self->future, aw_str("Data successfully processed!"))); /* py:11 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:13 */
    /* Create an empty Future object */
    aw_future *my_future = aw_future_new(aw_current_loop());  /* py:15 */

    /* Create a task to run the worker and pass the Future to it */
    aw_task *awaitable_task = aw_create_task(                 /* py:18 */
        AW_CALL(worker, my_future)                            /* py:19 */
    );                                                        /* py:20 */
    (void)awaitable_task; /* the example never uses it again */

    aw_print("Main: Waiting for the Future to have a result..."); /* py:22 */
    /* Await the Future directly. This pauses main() until the result is set. */
    aw_value result;
    AW_AWAIT_INTO(result, my_future);                         /* py:24 */

    aw_print("Main: Future's result is: '%s'", result.as.s);  /* py:26 */
    return aw_none();
}

/* Run the main coroutine */
AW_LESSON(tutorial_future,                                    /* py:29 */
          "main awaits a bare Future; a worker task sets its result after 2 s", /* py:29 */
          0, main);                                           /* py:29 */
