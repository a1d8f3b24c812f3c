/* coroutines-taskgroup — the C port of the document's TaskGroup main() (example.py), with the
 * say_after() of the first say_after example (coroutines-say-after), which the document reuses:
 * the runnable whole is lessons/coroutines-taskgroup/program.py.
 * Lines tagged py:N port line N of program.py (the example with the earlier example's lines added).
 * `async with asyncio.TaskGroup() as tg:` is the block AW_TASKGROUP(tg, st): the body creates the
 * two tasks in the group, and the block's exit waits for both ("the await is implicit"). */
#include "awaitlab.h"
#include "lessons.h"

/* from the say_after example (coroutines-say-after, lines 4-6) */
AW_COROUTINE(say_after, double delay; const char *what;) {   /* py:7 */
    AW_AWAIT(aw_sleep(self->delay));                          /* py:8 */
    aw_print("%s", self->what);                               /* py:9 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:11 */
    aw_taskgroup *tg;
    aw_status st;
    AW_TASKGROUP(tg, st) {                                    /* py:12 */
        /* (the Python spreads each create_task call over two lines; C keeps one statement on one
         * line, where every compiler agrees on its line) */
        aw_task *task1 = aw_taskgroup_create_task(tg, AW_CALL(say_after, 1, "hello")); /* py:13 */

        aw_task *task2 = aw_taskgroup_create_task(tg, AW_CALL(say_after, 2, "world")); /* py:16 */
        (void)task1, (void)task2; /* named as in Python; main does not use them again */

        aw_print("started at %s", aw_strftime("%X"));         /* py:19 */
    }
    /* The await is implicit when the context manager exits. */
    AW_TRY(st); /* what the group's exit raised (nothing here) propagates */

    aw_print("finished at %s", aw_strftime("%X"));            /* py:23 */
    return aw_none();
}

/* "The timing and output should be the same as for the previous version": the virtual clock
 * starts at that version's 17:14:32 (coroutines-create-task). */
AW_LESSON(coroutines_taskgroup,                               /* py:25 */
          "a TaskGroup runs the two say_after tasks; its exit awaits them: 2 seconds", /* py:25 */
          1757783672LL * 1000000000, main);                   /* py:25 */
