/* awaitables-futures — the C port of the document's fragment (example.py: main() only).
 *
 * The fragment uses two names it does not define; like tests/oracle/variants/
 * awaitables-futures.py (which the oracle runs), this port adds them, marked "added".  The
 * document names loop.run_in_executor() as the typical function that returns a future, so
 * function_that_returns_a_future_object() sends blocking_io() to the (simulated) thread pool.
 * Lines tagged py:N port line N of example.py. */
#include "awaitlab.h"
#include "lessons.h"

/* added: plain blocking code for a worker thread; its time.sleep(1) is the 1 s given below */
static aw_value blocking_io(void *arg)
{
    (void)arg;
    return aw_str("blocking_io result");
}

/* added: the done-callback prints the future's result, so the run shows when it completes */
static void print_done(aw_future *f, void *arg)
{
    (void)arg;
    aw_value v;
    char repr[64];
    if (aw_future_result(f, &v) == AW_OK) aw_value_repr(v, repr, sizeof repr);
    aw_print("future done: %s", repr);
}

/* added: the document uses this name without defining it */
static aw_future *function_that_returns_a_future_object(void)
{
    aw_print("function_that_returns_a_future_object: blocking_io() sent to the executor");
    aw_future *future = aw_run_in_executor(aw_current_loop(), 1, blocking_io, NULL);
    aw_future_add_done_callback(future, print_done, NULL);
    return future;
}

/* added: the document uses this name without defining it */
AW_COROUTINE(some_python_coroutine) {
    aw_print("some_python_coroutine: started");
    AW_AWAIT(aw_sleep(2));
    aw_print("some_python_coroutine: finished");
    return aw_str("coroutine result");
}

AW_COROUTINE(main) {                                          /* py:1 */
    AW_AWAIT(function_that_returns_a_future_object());       /* py:2 */

    /* this is also valid: */
    AW_AWAIT(AW_GATHER(function_that_returns_a_future_object(), /* py:5 */
                       AW_CALL(some_python_coroutine)));      /* py:7 */
    return aw_none();
}

/* added: the fragment defines main() but does not run it; `awaitlab run` does. */
AW_LESSON(awaitables_futures,
          "awaiting a future (run_in_executor) directly and through gather()",
          0, main);
