/* awaitables-coroutines — the C port of example.py, line by line (py:N tags its line N).
 * Calling a coroutine function only makes a coroutine object; awaiting it runs it. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(nested) {                                        /* py:3 */
    return aw_int(42);                                        /* py:4 */
}

AW_COROUTINE(main) {                                          /* py:6 */
    /* Nothing happens if we just call "nested()".
     * A coroutine object is created but not awaited,
     * so it *won't run at all*. */
    AW_CALL(nested);                                          /* py:10 */

    /* Let's do it differently now and await it: */
    aw_value result;
    AW_AWAIT_INTO(result, AW_CALL(nested));                   /* py:13 */
    aw_print("%lld", result.as.i); /* will print "42". */     /* py:13 */
    return aw_none();
}

AW_LESSON(awaitables_coroutines,                              /* py:15 */
          "a coroutine object runs only when awaited (nested() vs await nested())", /* py:15 */
          0, main);                                           /* py:15 */
