/* sync-event — the C port of the docs' asyncio.Event example, with the `import asyncio` it lacks
 * (program.py); py:N tags line N of program.py.
 * One task waits on an Event; main sets it after 1 s: set() wakes every waiter, which resumes in
 * the next loop iteration. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(waiter, aw_sync_event *event;) {                 /* py:5 */
    aw_print("waiting for it ...");                           /* py:6 */
    AW_AWAIT(aw_sync_event_wait(self->event));                /* py:7 */
    aw_print("... got it!");                                  /* py:8 */
    return aw_none();
}

AW_COROUTINE(main) {                                          /* py:10 */
    /* Create an Event object. */
    aw_sync_event *event = aw_sync_event_new();               /* py:12 */

    /* Spawn a Task to wait until 'event' is set. */
    aw_task *waiter_task = aw_create_task(AW_CALL(waiter, event)); /* py:15 */

    /* Sleep for 1 second and set the event. */
    AW_AWAIT(aw_sleep(1));                                    /* py:18 */
    aw_sync_event_set(event);                                 /* py:19 */

    /* Wait until the waiter task is finished. */
    AW_AWAIT(waiter_task);                                    /* py:22 */
    return aw_none();
}

AW_LESSON(sync_event,                                         /* py:24 */
          "asyncio.Event: a task waits until main sets the event, 1 s later", /* py:24 */
          0, main);                                           /* py:24 */
