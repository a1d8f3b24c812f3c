/* trace_two_loops.c — two loops, one after the other, in one process: with AWAITLAB_TRACE=PATH
 * the first is traced to PATH and the second to PATH.2 (tests/scripts/test_trace_cli.sh). */
#include "awaitlab.h"

AW_COROUTINE(hello, int n;) {
    AW_AWAIT(aw_sleep(0.5));
    aw_print("hello from loop %d", self->n);
    return aw_none();
}

int main(void)
{
    for (int i = 1; i <= 2; i++)
        if (aw_run(AW_CALL(hello, i), NULL, NULL) != AW_OK) return 1;
    return 0;
}
