/* tutorial-create-tasks — the C port of example.py, line by line (py:N tags its line N).
 * Tasks start when main() first waits, not when they are created; their results come back
 * through await. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(worker, const char *name; double delay;) {       /* py:3 */
    aw_print("Task %s: starting...", self->name);             /* py:4 */
    AW_AWAIT(aw_sleep(self->delay));                          /* py:5 */
    aw_print("Task %s: finished.", self->name);               /* py:6 */
    return aw_strf("Result of %s", self->name);               /* py:7 */
}

AW_COROUTINE(main) {                                          /* py:9 */
    aw_print("Main: creating tasks...");                      /* py:10 */

    /* Create tasks without immediately awaiting them */
    aw_task *task1 = aw_create_task(AW_CALL(worker, "A", 3)); /* py:13 */
    aw_task *task2 = aw_create_task(AW_CALL(worker, "B", 1)); /* py:14 */

    aw_print("Main: tasks are scheduled, now waiting for them to complete..."); /* py:16 */

    /* Await the results of the tasks concurrently */
    aw_value result1, result2;
    AW_AWAIT_INTO(result1, task1);                            /* py:19 */
    AW_AWAIT_INTO(result2, task2);                            /* py:20 */

    aw_print("Main: Got results: %s, %s", result1.as.s, result2.as.s); /* py:22 */
    return aw_none();
}

/* Entry point of the application */
AW_LESSON(tutorial_create_tasks,                              /* py:25 */
          "create_task() schedules workers A (3 s) and B (1 s); await collects results", /* py:25 */
          0, main);                                           /* py:25 */
