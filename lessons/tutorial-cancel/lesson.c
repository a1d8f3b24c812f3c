/* tutorial-cancel — the C port of example.py, line by line (py:N tags its line N).
 * cancel() throws CancelledError into the task at its await; this worker catches it, cleans up
 * and does not re-raise, so the task ends normally and main's `except` never runs. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(worker_task, const char *name;) {                /* py:4 */
    aw_print("[%s] Task started.", self->name);               /* py:5 */
    /* try: */                                                /* py:6 */
    /* Simulate a long-running, awaitable operation */
    aw_status st = aw_await(aw_sleep(10), NULL);              /* py:8 */
    if (st == AW_OK) {
        aw_print("[%s] Task finished successfully.", self->name); /* py:9 */
    } else if (aw_except(st, "CancelledError")) {            /* py:10 */
        aw_print("[%s] Cancellation received. Performing cleanup...", self->name); /* py:11 */
        /* Optional: A brief sleep to simulate cleanup time */
        st = aw_await(aw_sleep(1), NULL);                     /* py:13 */
        if (st == AW_OK) {
            aw_print("[%s] Cleanup complete. The task is now cancelled.", self->name); /* py:14 */
            aw_exc_clear(); /* the except block ends: the CancelledError is handled */
        }
    }
    aw_finally();                                             /* py:15 */
    aw_print("[%s] Exiting gracefully.", self->name);         /* py:16 */
    return st == AW_OK ? aw_none() : aw_reraise();            /* what the try did not handle */
}

AW_COROUTINE(main) {                                          /* py:18 */
    /* Create the task */
    aw_print("[Main] Creating and scheduling the task.");     /* py:20 */
    aw_task *my_task = aw_create_task(AW_CALL(worker_task, "Worker-1")); /* py:21 */

    /* Wait for a brief moment before cancelling */
    aw_print("[Main] Waiting 2 seconds before cancelling.");  /* py:24 */
    AW_AWAIT(aw_sleep(2));                                    /* py:25 */

    /* Cancel the task */
    aw_print("[Main] Requesting task cancellation.");         /* py:28 */
    aw_task_cancel(my_task, NULL);                            /* py:29 */

    /* Wait for the task to fully terminate */
    /* try: */                                                /* py:32 */
    aw_print("[Main] Awaiting task to confirm cancellation."); /* py:33 */
    aw_status st = aw_await(my_task, NULL);                   /* py:34 */
    if (aw_except(st, "CancelledError")) {                    /* py:35 */
        aw_print("[Main] Task has been confirmed as cancelled."); /* py:36 */
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    return aw_none();
}

AW_LESSON(tutorial_cancel,                                    /* py:38 */
          "cancel() a sleeping task; it catches CancelledError, cleans up, and swallows it", /* py:38 */
          0, main);                                           /* py:38 */
