/* explore_target.c — a program for tests/scripts/test_explore.sh: how it ends depends on the
 * seed's choice of a CPU-work duration (run it with AWAITLAB_VARY_CPU, or `awaitlab explore
 * --vary-cpu F`).  Work of nominally 1 s that took at most 1 s prints "fast" and exits 0; work that
 * took longer prints "slow", then ends as argv[1] says:
 *   ok     exits 0                 crash  aborts (SIGABRT)
 *   hang   sleeps 1 s at a time, forever (the virtual time limit stops it: exit status 10)
 *   fail   exits with status 3     spin   yields forever without moving the clock (only a real
 *                                         timeout stops it) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awaitlab.h"

AW_COROUTINE(main_coro, const char *mode;) {
    aw_busy(1);
    if (aw_time() <= 1) {
        aw_print("fast");
        return aw_none();
    }
    aw_print("slow");
    fflush(stdout);
    if (!strcmp(self->mode, "crash")) abort();
    if (!strcmp(self->mode, "fail")) exit(3);
    if (!strcmp(self->mode, "hang"))
        for (;;) AW_AWAIT(aw_sleep(1));
    if (!strcmp(self->mode, "spin"))
        for (;;) AW_AWAIT(aw_sleep(0));
    return aw_none();
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: explore_target ok|crash|hang|fail|spin\n");
        return 2;
    }
    return aw_run(AW_CALL(main_coro, argv[1]), NULL, NULL) == AW_OK ? 0 : 1;
}
