/* sync-barrier — the C port of the docs' asyncio.Barrier example, with the `import asyncio` it
 * lacks (program.py); py:N tags line N of program.py.
 * Two tasks wait on a barrier of 3 parties; main's own wait() is the third, which releases all
 * three.  print(b) is aw_barrier_repr(b): CPython's repr, its address written "0x..." as the
 * document writes it (sim mode never prints an address; the oracle elides CPython's the same way). */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(example_barrier) {                               /* py:5 */
    /* barrier with 3 parties */
    aw_barrier *b = aw_barrier_new(3);                        /* py:7 */

    /* create 2 new waiting tasks */
    aw_create_task(aw_barrier_wait(b));                       /* py:10 */
    aw_create_task(aw_barrier_wait(b));                       /* py:11 */

    AW_AWAIT(aw_sleep(0));                                    /* py:13 */
    aw_print("%s", aw_barrier_repr(b));                       /* py:14 */

    /* The third .wait() call passes the barrier */
    AW_AWAIT(aw_barrier_wait(b));                             /* py:17 */
    aw_print("%s", aw_barrier_repr(b));                       /* py:18 */
    aw_print("barrier passed");                               /* py:19 */

    AW_AWAIT(aw_sleep(0));                                    /* py:21 */
    aw_print("%s", aw_barrier_repr(b));                       /* py:22 */
    return aw_none();
}

AW_LESSON(sync_barrier,                                       /* py:24 */
          "asyncio.Barrier: two tasks wait until a third party (main) arrives; all three pass", /* py:24 */
          0, example_barrier);                                /* py:24 */
