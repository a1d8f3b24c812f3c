/* arch_smoke.c — exercises the context switch of another architecture: tasks that sleep,
 * cancel, gather and recurse on their own stacks, printing a transcript that must equal the
 * native build's (tests/cross/check-aarch64.sh runs it under qemu-user). */
#include <stdio.h>

#include "awaitlab.h"

static double fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } /* callee-saved regs */

AW_COROUTINE(worker, int id; double d;)
{
    double x = self->id * 1.5; /* lives across the await in a callee-saved FP register or the stack */
    aw_status st = aw_await(aw_sleep(self->d), NULL);
    if (st == AW_CANCELLED) {
        aw_print("worker %d cancelled at %.3f", self->id, aw_time());
        return aw_reraise();
    }
    aw_print("worker %d woke at %.3f x=%.1f fib=%.0f", self->id, aw_time(), x, fib(15 + self->id));
    return aw_int(self->id * 10);
}

AW_COROUTINE(main_coro)
{
    void *aws[4];
    for (int i = 0; i < 4; i++) aws[i] = AW_CALL(worker, i, 1.0 + 0.5 * (3 - i));
    aw_future *g = aw_gather(true, 4, aws);
    aw_task *victim = aw_create_task(AW_CALL(worker, 9, 5.0));
    AW_AWAIT(aw_sleep(0.25));
    aw_task_cancel(victim, NULL);
    aw_value v;
    AW_AWAIT_INTO(v, g);
    char repr[128];
    aw_value_repr(v, repr, sizeof repr);
    aw_print("gather: %s", repr);
    aw_status st = aw_await(victim, NULL);
    aw_print("victim: %s", st == AW_CANCELLED ? "cancelled" : "?");
    aw_exc_clear();
    int n = 0;
    for (int i = 0; i < 2000; i++) {
        aw_task *t = aw_create_task(AW_CALL(worker, 0, 0.001 * (i % 3)));
        aw_task_detach(t);
        n++;
    }
    AW_AWAIT(aw_sleep(1));
    aw_print("%d short tasks done", n);
    return aw_none();
}

static void quiet(aw_loop *loop, const char *line, void *ud)
{
    (void)loop;
    (void)ud;
    if (line[0] != 'w' || line[7] != '0' || line[8] != ' ') puts(line); /* not the 2000 short ones */
}

int main(void)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.output = quiet;
    aw_status st = aw_run(AW_CALL(main_coro), &o, NULL);
    printf("status %d\n", st);
    return st == AW_OK ? 0 : 1;
}
