/* timeout-reschedule — the C port of the document's fragment (example.py: main() only), completed
 * as lessons/timeout-reschedule/program.py completes it (the lines marked "added"); py:N tags
 * line N of program.py.
 * `async with asyncio.timeout(None) as cm:` opens a scope with no deadline; cm.reschedule() gives
 * it one (now + 10 s); the 20 s task overruns it, so the scope cancels the task at 10 s, the
 * CancelledError becomes TimeoutError at the end of the block, and cm.expired() is True. */
#include "awaitlab.h"
#include "lessons.h"

/* added: the document uses this name without defining it; it takes longer than the deadline */
AW_COROUTINE(long_running_task) {                             /* py:8 */
    aw_print("long_running_task(): started");                 /* py:9 */
    AW_AWAIT(aw_sleep(20));                                   /* py:10 */
    aw_print("long_running_task(): finished");                /* py:11 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:13 */
    /* try: */                                                /* py:14 */
    /* We do not know the timeout when starting, so we pass ``None``. */
    aw_timeout *cm = aw_timeout_begin(AW_NO_TIMEOUT);         /* py:16 */
    /* We know the timeout now, so we reschedule it. */
    double new_deadline = aw_loop_time(aw_current_loop()) + 10; /* py:18 */
    aw_status st = aw_timeout_reschedule(cm, new_deadline);   /* py:19 */

    if (st == AW_OK) st = aw_await(AW_CALL(long_running_task), NULL); /* py:21 */
    st = aw_timeout_end(cm, st); /* the end of the `async with` block */ /* py:16 */
    if (aw_except(st, "TimeoutError")) {                      /* py:22 */
        aw_exc_clear(); /* pass */                            /* py:23 */
    } else if (st != AW_OK) {
        return aw_reraise();
    }

    if (aw_timeout_expired(cm)) {                             /* py:25 */
        aw_print("Looks like we haven't finished on time.");  /* py:26 */
    }
    return aw_none();
}

/* added: the fragment defines main() but does not run it; `awaitlab run` does. */
AW_LESSON(timeout_reschedule,                                 /* py:28 */
          "timeout(None), then cm.reschedule(now + 10): the 20 s task times out at 10 s", /* py:28 */
          0, main);                                           /* py:28 */
