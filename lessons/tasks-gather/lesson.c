/* tasks-gather — the C port of example.py, line by line (py:N tags its line N).
 * gather() runs three coroutines concurrently (each in a task) and returns their results in
 * argument order. */
#include "awaitlab.h"
#include "lessons.h"

AW_COROUTINE(factorial, const char *name; int number;) {      /* py:3 */
    long long f = 1;                                          /* py:4 */
    for (int i = 2; i < self->number + 1; i++) {              /* py:5 */
        aw_print("Task %s: Compute factorial(%d), currently i=%d...", /* py:6 */
                 self->name, self->number, i);                /* py:6 */
        AW_AWAIT(aw_sleep(1));                                /* py:7 */
        f *= i;                                               /* py:8 */
    }
    aw_print("Task %s: factorial(%d) = %lld", self->name, self->number, f); /* py:9 */
    return aw_int(f);                                         /* py:10 */
}

AW_COROUTINE(main) {                                          /* py:12 */
    /* Schedule three calls *concurrently*: */
    aw_value L;
    AW_AWAIT_INTO(L, AW_GATHER(                               /* py:14 */
        AW_CALL(factorial, "A", 2),                           /* py:15 */
        AW_CALL(factorial, "B", 3),                           /* py:16 */
        AW_CALL(factorial, "C", 4)                            /* py:17 */
    ));                                                       /* py:14 */
    char repr[64];
    aw_value_repr(L, repr, sizeof repr);
    aw_print("%s", repr);                                     /* py:19 */
    return aw_none();
}

AW_LESSON(tasks_gather,                                       /* py:21 */
          "gather() runs three factorials concurrently and returns [2, 6, 24]", /* py:21 */
          0, main);                                           /* py:21 */
