/* tutorial-cancel-cpu-bound — the C port of example.py, line by line (py:N tags its line N).
 * A task running plain code cannot be interrupted: cancel() takes effect at its next await.
 * The busy loop on time.time() is aw_busy(10): it holds the loop for 10 s (virtual in sim
 * mode, really spinning in real mode), as the oracle's busy(10) does
 * (tests/oracle/variants/tutorial-cancel-cpu-bound.py). */
#include "awaitlab.h"
#include "lessons.h"

static void cpu_intensive_operatin(void)                      /* py:4 */
{
    aw_print("Task: Starting heavy computation...");          /* py:5 */
    /* start_time = time.time(), then: */
    /* This loop runs plain Python code and does not yield to the event loop. */
    aw_busy(10); /* while time.time() - start_time < 10: _ = 1 + 1 */ /* py:8 */
    aw_print("Task: Heavy computation finished.");            /* py:11 */
}

AW_COROUTINE(worker_with_await) {                             /* py:13 */
    aw_print("Worker: Starting...");                          /* py:14 */
    cpu_intensive_operatin(); /* Await a task that does CPU-bound work */ /* py:15 */
    aw_print("Worker: First part complete, now awaiting something else..."); /* py:16 */
    /* try: */                                                /* py:17 */
    aw_status st = aw_await(aw_sleep(5), NULL); /* The cancellation will happen here */ /* py:18 */
    aw_value ret = st == AW_OK ? aw_none() : aw_reraise();  /* what the try block ends with */
    if (aw_except(st, "CancelledError")) {                    /* py:19 */
        aw_print("Worker: Caught CancelledError. Cleanup complete."); /* py:20 */
        ret = aw_raise_again(); /* Re-raise to signal cancellation is complete */ /* py:21 */
    }
    aw_finally();                                             /* py:22 */
    aw_print("Worker: Exiting gracefully.");                  /* py:23 */
    return ret;
}

AW_COROUTINE(main) {                                          /* py:25 */
    aw_task *task = aw_create_task(AW_CALL(worker_with_await)); /* py:26 */
    aw_print("Main: Task created. Waiting 1 second before cancelling..."); /* py:27 */
    AW_AWAIT(aw_sleep(1));                                    /* py:28 */

    aw_print("Main: Calling cancel() on the task.");          /* py:30 */
    aw_task_cancel(task, NULL);                               /* py:31 */

    /* try: */                                                /* py:33 */
    aw_status st = aw_await(task, NULL);                      /* py:34 */
    if (aw_except(st, "CancelledError")) {                    /* py:35 */
        aw_print("Main: Task was successfully cancelled.");   /* py:36 */
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    return aw_none();
}

/* `await main()`: the notebook's top-level await runs main as the main task, as asyncio.run does. */
AW_LESSON(tutorial_cancel_cpu_bound,                          /* py:38 */
          "cancel() cannot stop plain CPU-bound code: it lands at the next await", /* py:38 */
          0, main);                                           /* py:38 */
