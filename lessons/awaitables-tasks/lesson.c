/* awaitables-tasks — the C port of example.py, line by line (py:N tags its line N).
 * create_task() schedules a coroutine to run soon, concurrently with main(). */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(nested) {                                        /* py:3 */
    return aw_int(42);                                        /* py:4 */
}

AW_COROUTINE(main) {                                          /* py:6 */
    /* Schedule nested() to run soon concurrently
     * with "main()". */
    aw_task *task = aw_create_task(AW_CALL(nested));          /* py:9 */

    /* "task" can now be used to cancel "nested()", or
     * can simply be awaited to wait until it is complete: */
    AW_AWAIT(task);                                           /* py:13 */
    return aw_none();
}

AW_LESSON(awaitables_tasks,                                   /* py:15 */
          "create_task(nested()) schedules a coroutine; awaiting the task waits for it", /* py:15 */
          0, main);                                           /* py:15 */
