/* to-thread — the C port of the docs' asyncio.to_thread example, with the imports it lacks
 * (program.py); py:N tags line N of program.py.
 * blocking_io() runs in a thread of the default executor while main's gather also sleeps 1 s.
 * Its time.sleep(1) is aw_thread_sleep(1): a worker thread's sleep on the real clock; on the
 * simulated clock the job runs inline and only its own clock moves on, so its second line reads
 * one second later while the loop has not moved yet (what CPython's oracle shows too). */
#include "awaitlab.h"
#include "lessons.h"

static aw_value blocking_io(void *arg)                        /* py:6 */
{
    (void)arg;
    aw_print("start blocking_io at %s", aw_strftime("%X"));   /* py:7 */
    /* Note that time.sleep() can be replaced with any blocking
     * IO-bound operation, such as file operations. */
    aw_thread_sleep(1);                                       /* py:10 */
    aw_print("blocking_io complete at %s", aw_strftime("%X")); /* py:11 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:13 */
    aw_print("started main at %s", aw_strftime("%X"));       /* py:14 */

    /* one C line: a macro call over several lines gets __LINE__ of its first line from one
     * compiler and of its last from another, and the trace's lines must not depend on which */
    AW_AWAIT(AW_GATHER(aw_to_thread(blocking_io, NULL, 0), aw_sleep(1))); /* py:16 */

    aw_print("finished main at %s", aw_strftime("%X"));      /* py:20 */
    return aw_none();
}

AW_LESSON(to_thread,                                          /* py:23 */
          "asyncio.to_thread: blocking_io() sleeps 1 s in a worker thread while main sleeps 1 s: 1 s in all", /* py:23 */
          1757793053LL * 1000000000, main);                   /* py:23 */
