/* tutorial-await-tasks — the C port of example.py, line by line (py:N tags its line N).
 * Two tasks sleep concurrently; the shorter one (world, 1 s) prints first. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(say_after, double delay; const char *what;) {    /* py:3 */
    AW_AWAIT(aw_sleep(self->delay));                          /* py:4 */
    aw_print("%s", self->what);                               /* py:5 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:7 */
    aw_print("starting main()");                              /* py:8 */

    /* Task 1 */
    aw_task *task1 = aw_create_task(                          /* py:11 */
        AW_CALL(say_after, 3, "hello")                        /* py:12 */
    );                                                        /* py:13 */
    /* Task 2 */
    aw_task *task2 = aw_create_task(                          /* py:15 */
        AW_CALL(say_after, 1, "world")                        /* py:16 */
    );                                                        /* py:17 */

    aw_print("tasks created, now awaiting");                  /* py:19 */
    AW_AWAIT(task1);                                          /* py:20 */
    AW_AWAIT(task2);                                          /* py:21 */

    aw_print("finished main()");                              /* py:23 */
    return aw_none();
}

AW_LESSON(tutorial_await_tasks,                               /* py:25 */
          "await task1 (3 s) then task2 (1 s): world prints before hello", /* py:25 */
          0, main);                                           /* py:25 */
