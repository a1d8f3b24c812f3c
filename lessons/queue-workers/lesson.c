/* queue-workers — the C port of the docs' queue example, seeded (program.py: example.py with
 * random.seed(2025) added); py:N tags line N of program.py.
 * Three worker tasks share one asyncio.Queue of 20 random sleep times; main waits on
 * queue.join() until every item is task_done(), then cancels the workers, which are blocked in
 * queue.get().  random.uniform() is CPython's own Mersenne Twister (lessons/pyrandom.c), so the
 * timings, and the output, are CPython's. */
#include "awaitlab.h"
#include "lessons.h"
#include "pyrandom.h"

static pyrandom rng; /* the random module's global generator */

AW_COROUTINE(worker, const char *name; aw_queue *queue;) {    /* py:10 */
    while (true) {                                            /* py:11 */
        /* Get a "work item" out of the queue. */
        aw_value sleep_for;
        AW_AWAIT_INTO(sleep_for, aw_queue_get(self->queue));  /* py:13 */

        /* Sleep for the "sleep_for" seconds. */
        AW_AWAIT(aw_sleep(sleep_for.as.f));                   /* py:16 */

        /* Notify the queue that the "work item" has been processed. */
        AW_TRY(aw_queue_task_done(self->queue));              /* py:19 */

        aw_print("%s has slept for %.2f seconds", self->name, sleep_for.as.f); /* py:21 */
    }
}

AW_COROUTINE(main) {                                          /* py:24 */
    pyrandom_seed(&rng, 2025); /* random.seed(2025), run at import time in Python */ /* py:7 */

    /* Create a queue that we will use to store our "workload". */
    aw_queue *queue = aw_queue_new(0);                        /* py:26 */

    /* Generate random timings and put them into the queue. */
    double total_sleep_time = 0;                              /* py:29 */
    for (int _ = 0; _ < 20; _++) {                            /* py:30 */
        double sleep_for = pyrandom_uniform(&rng, 0.05, 1.0); /* py:31 */
        total_sleep_time += sleep_for;                        /* py:32 */
        AW_TRY(aw_queue_put_nowait(queue, aw_float(sleep_for))); /* py:33 */
    }

    /* Create three worker tasks to process the queue concurrently. */
    aw_task *tasks[3];                                        /* py:36 */
    for (int i = 0; i < 3; i++) {                             /* py:37 */
        aw_task *task = aw_create_task(AW_CALL(worker, aw_strf("worker-%d", i).as.s, queue)); /* py:38 */
        tasks[i] = task;                                      /* py:39 */
    }

    /* Wait until the queue is fully processed. */
    double started_at = aw_time();                            /* py:42 */
    AW_AWAIT(aw_queue_join(queue));                           /* py:43 */
    double total_slept_for = aw_time() - started_at;          /* py:44 */

    /* Cancel our worker tasks. */
    for (int i = 0; i < 3; i++)                               /* py:47 */
        aw_task_cancel(tasks[i], NULL);                       /* py:48 */
    /* Wait until all worker tasks are cancelled. */
    AW_AWAIT(aw_gather(true, 3, (void *const *)tasks));       /* py:50 */

    aw_print("====");                                         /* py:52 */
    aw_print("3 workers slept in parallel for %.2f seconds", total_slept_for); /* py:53 */
    aw_print("total expected sleep time: %.2f seconds", total_sleep_time); /* py:54 */
    return aw_none();
}

AW_LESSON(queue_workers,                                      /* py:57 */
          "three workers share an asyncio.Queue of 20 random sleeps; join(), then cancel them", /* py:57 */
          0, main);                                           /* py:57 */
