/* trace_forever.c — runs until it is killed, printing and spawning small tasks as it goes:
 * tests/scripts/test_trace_kill.sh kills it with SIGKILL and checks what the trace kept. */
#include "awaitlab.h"

AW_COROUTINE(tick, int n;) {
    AW_AWAIT(aw_sleep(0.001));
    aw_print("tick %d", self->n);
    return aw_none();
}

AW_COROUTINE(main_coro) {
    for (int i = 0;; i++) {
        aw_task_detach(aw_create_task(AW_CALL(tick, i)));
        AW_AWAIT(aw_sleep(0.001));
    }
    return aw_none();
}

int main(void)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.program = "trace_forever";
    return aw_run(AW_CALL(main_coro), &o, NULL) != AW_OK;
}
