/* coroutines-create-task — the C port of the document's new main() (example.py), with the
 * say_after() of the previous example (coroutines-say-after), which the document reuses: the
 * runnable whole is tests/oracle/variants/coroutines-create-task.py.
 * Lines tagged py:N port line N of example.py. */
#include "awaitlab.h"
#include "lessons.h"

/* from the previous example (coroutines-say-after, lines 4-6) */
AW_COROUTINE(say_after, double delay; const char *what;) {
    AW_AWAIT(aw_sleep(self->delay));
    aw_print("%s", self->what);
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:1 */
    aw_task *task1 = aw_create_task(                          /* py:2 */
        AW_CALL(say_after, 1, "hello"));                      /* py:3 */

    aw_task *task2 = aw_create_task(                          /* py:5 */
        AW_CALL(say_after, 2, "world"));                      /* py:6 */

    aw_print("started at %s", aw_strftime("%X"));             /* py:8 */

    /* Wait until both tasks are completed (should take
     * around 2 seconds.) */
    AW_AWAIT(task1);                                          /* py:12 */
    AW_AWAIT(task2);                                          /* py:13 */

    aw_print("finished at %s", aw_strftime("%X"));            /* py:15 */
    return aw_none();
}

/* The document's run started at 17:14:32 (its expected output); so does the virtual clock. */
AW_LESSON(coroutines_create_task,
          "two say_after tasks run concurrently: 2 seconds instead of 3",
          1757783672LL * 1000000000, main);
