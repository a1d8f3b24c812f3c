/* coroutines-create-task — the C port of the document's new main() (example.py), with the
 * say_after() of the previous example (coroutines-say-after), which the document reuses: the
 * runnable whole is lessons/coroutines-create-task/program.py.
 * Lines tagged py:N port line N of program.py (the example with the previous one's lines added). */
#include "awaitlab.h"
#include "lessons.h"

/* from the previous example (coroutines-say-after, lines 4-6) */
AW_COROUTINE(say_after, double delay; const char *what;) {   /* py:7 */
    AW_AWAIT(aw_sleep(self->delay));                          /* py:8 */
    aw_print("%s", self->what);                               /* py:9 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:11 */
    /* (the Python spreads each create_task call over two lines; C keeps one statement on one line,
     * where every compiler agrees on its line) */
    aw_task *task1 = aw_create_task(AW_CALL(say_after, 1, "hello")); /* py:12 */

    aw_task *task2 = aw_create_task(AW_CALL(say_after, 2, "world")); /* py:15 */

    aw_print("started at %s", aw_strftime("%X"));             /* py:18 */

    /* Wait until both tasks are completed (should take
     * around 2 seconds.) */
    AW_AWAIT(task1);                                          /* py:22 */
    AW_AWAIT(task2);                                          /* py:23 */

    aw_print("finished at %s", aw_strftime("%X"));            /* py:25 */
    return aw_none();
}

/* The document's run started at 17:14:32 (its expected output); so does the virtual clock. */
AW_LESSON(coroutines_create_task,                             /* py:27 */
          "two say_after tasks run concurrently: 2 seconds instead of 3", /* py:27 */
          1757783672LL * 1000000000, main);                   /* py:27 */
