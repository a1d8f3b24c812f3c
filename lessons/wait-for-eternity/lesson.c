/* wait-for-eternity — the C port of the document's example, with the `import asyncio` it lacks
 * (program.py); py:N tags line N of program.py.
 * wait_for(eternity(), timeout=1.0): eternity() runs inside main's task under a 1 s timeout
 * scope (3.12+); at 1 s the scope cancels it and wait_for raises TimeoutError. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(eternity) {                                      /* py:5 */
    /* Sleep for one hour */
    AW_AWAIT(aw_sleep(3600));                                 /* py:7 */
    aw_print("yay!");                                         /* py:8 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:10 */
    /* Wait for at most 1 second */
    /* try: */                                                /* py:12 */
    aw_status st = aw_await(aw_wait_for(AW_CALL(eternity), 1.0), NULL); /* py:13 */
    if (aw_except(st, "TimeoutError")) {                      /* py:14 */
        aw_print("timeout!");                                 /* py:15 */
        aw_exc_clear();
    } else if (st != AW_OK) {
        return aw_reraise();
    }
    return aw_none();
}

AW_LESSON(wait_for_eternity,                                  /* py:17 */
          "wait_for(eternity(), timeout=1.0): cancelled at 1 s, TimeoutError, 'timeout!'", /* py:17 */
          0, main);                                           /* py:17 */
