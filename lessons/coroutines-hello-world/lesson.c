/* coroutines-hello-world — the C port of example.py, line by line (py:N tags its line N).
 * asyncio.run(main()) runs a coroutine: hello, a one-second sleep, world. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(main) {                                          /* py:3 */
    aw_print("hello");                                        /* py:4 */
    AW_AWAIT(aw_sleep(1));                                    /* py:5 */
    aw_print("world");                                        /* py:6 */
    return aw_none();
}

AW_LESSON(coroutines_hello_world,                             /* py:8 */
          "hello, await asyncio.sleep(1), world: the smallest asyncio program", /* py:8 */
          0, main);                                           /* py:8 */
