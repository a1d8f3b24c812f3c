/* awaitables-futures — the C port of the document's fragment (example.py: main() only).
 *
 * The fragment uses two names it does not define; like tests/oracle/variants/
 * awaitables-futures.py (which the oracle runs), this port adds them, marked "added".  The
 * document names loop.run_in_executor() as the typical function that returns a future, so
 * function_that_returns_a_future_object() sends blocking_io() to the default thread pool.
 * Lines tagged py:N port line N of program.py (example.py with the added lines). */
#include "awaitlab.h"
#include "lessons.h"

/* added: plain blocking code for a worker thread; its time.sleep(1) is the 1 s given below */
static aw_value blocking_io(void *arg)                         /* py:11 */
{
    (void)arg;
    return aw_str("blocking_io result");                      /* py:13 */
}

/* added: the done-callback prints the future's result, so the run shows when it completes */
static void print_done(aw_future *f, void *arg)
{
    (void)arg;
    aw_value v;
    char repr[64];
    if (aw_future_result(f, &v) == AW_OK) aw_value_repr(v, repr, sizeof repr);
    aw_print("future done: %s", repr);                        /* py:18 */
}

/* added: the document uses this name without defining it */
static aw_future *function_that_returns_a_future_object(void) /* py:15 */
{
    aw_print("function_that_returns_a_future_object: blocking_io() sent to the executor"); /* py:16 */
    aw_future *future = aw_run_in_executor(aw_current_loop(), 1, blocking_io, NULL); /* py:17 */
    aw_future_add_done_callback(future, print_done, NULL);   /* py:18 */
    return future;                                            /* py:19 */
}

/* added: the document uses this name without defining it */
AW_COROUTINE(some_python_coroutine) {                         /* py:21 */
    aw_print("some_python_coroutine: started");               /* py:22 */
    AW_AWAIT(aw_sleep(2));                                    /* py:23 */
    aw_print("some_python_coroutine: finished");              /* py:24 */
    return aw_str("coroutine result");                        /* py:25 */
}

AW_COROUTINE(main) {                                          /* py:27 */
    AW_AWAIT(function_that_returns_a_future_object());       /* py:28 */

    /* this is also valid: */
    AW_AWAIT(AW_GATHER(function_that_returns_a_future_object(), AW_CALL(some_python_coroutine))); /* py:31 */
    return aw_none();
}

/* added: the fragment defines main() but does not run it; `awaitlab run` does. */
AW_LESSON(awaitables_futures,                                 /* py:36 */
          "awaiting a future (run_in_executor) directly and through gather()", /* py:36 */
          0, main);                                           /* py:36 */
