/* taskgroup-terminate — the C port of example.py, line by line (py:N tags its line N).
 * A TaskGroup has no "stop" method (in 3.14; 3.15 adds tg.cancel()), so the document adds a task
 * that raises: the first task of a group that fails cancels the others and the body, the group
 * waits for them, then raises an ExceptionGroup of the errors, which `except*` takes apart. */
#include "awaitlab.h"
#include "lessons.h"

/* class TerminateTaskGroup(Exception):
 *     """Exception raised to terminate a task group.""" */
static AW_EXCEPTION_CLASS(TerminateTaskGroup, AW_Exception); /* py:4 */

/* """Used to force termination of a task group.""" */
AW_COROUTINE(force_terminate_task_group) {                   /* py:7 */
    return aw_raise(TerminateTaskGroup, NULL);               /* py:9 */
}

AW_COROUTINE(job, int task_id; double sleep_time;) {         /* py:11 */
    aw_print("Task %d: start", self->task_id);               /* py:12 */
    AW_AWAIT(aw_sleep(self->sleep_time));                    /* py:13 */
    aw_print("Task %d: done", self->task_id);                /* py:14 */
    return aw_none();
}

AW_COROUTINE(main) {                                         /* py:16 */
    /* try: */                                               /* py:17 */
    aw_taskgroup *group;
    aw_status st;
    AW_TASKGROUP(group, st) {                                /* py:18 */
        /* spawn some tasks */
        aw_taskgroup_create_task(group, AW_CALL(job, 1, 0.5)); /* py:20 */
        aw_taskgroup_create_task(group, AW_CALL(job, 2, 1.5)); /* py:21 */
        /* sleep for 1 second */
        AW_SCOPE_AWAIT(group, aw_sleep(1));                  /* py:23 */
        /* add an exception-raising task to force the group to terminate */
        aw_taskgroup_create_task(group, AW_CALL(force_terminate_task_group)); /* py:25 */
    }
    aw_exc *eg = AW_EXCEPT_STAR(st, TerminateTaskGroup);     /* py:26 */
    if (eg) aw_exc_unref(eg); /* pass */                     /* py:27 */
    if (aw_exc_current()) return aw_reraise(); /* what no except* clause took */
    return aw_none();
}

AW_LESSON(taskgroup_terminate,                               /* py:29 */
          "a task that raises terminates its TaskGroup: the others are cancelled, except* swallows the error", /* py:29 */
          0, main);                                          /* py:29 */
