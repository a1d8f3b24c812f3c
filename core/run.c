/* run.c — asyncio.run: a fresh loop, run main, cancel what is left, close. */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* _cancel_all_tasks: cancel every pending task, then wait for all of them together. */
static void cancel_all_tasks(aw_loop *loop)
{
    size_t n = 0;
    for (aw_future *f = loop->all_futures; f; f = f->next_all)
        if (f->is_task && f->state == AW__PENDING) n++;
    if (!n) return;
    aw_future **tasks = malloc(n * sizeof *tasks);
    if (!tasks) abort();
    size_t i = n;
    /* all_futures is newest first; CPython's all_tasks() order is creation order here. */
    for (aw_future *f = loop->all_futures; f; f = f->next_all)
        if (f->is_task && f->state == AW__PENDING) tasks[--i] = f;
    for (i = 0; i < n; i++) aw__future_ref(tasks[i]);
    for (i = 0; i < n; i++) AW__VIA(loop, "asyncio.run", aw_task_cancel((aw_task *)tasks[i], NULL));
    aw__set_running_loop(loop);
    aw_future *all = aw_gather(true, n, (void *const *)tasks);
    aw__set_running_loop(NULL);
    aw_loop_run_until_complete(loop, all, NULL);
    aw_exc_clear();
    for (i = 0; i < n; i++) {
        aw_task *t = (aw_task *)tasks[i];
        if (t->fut.state == AW__FINISHED && t->fut.has_exc) {
            t->fut.log_traceback = false;
            char repr[512];
            aw__exc_repr(t->fut.raised, repr, sizeof repr);
            aw__warn(loop, "task-exception", t->fut.id,
                     "unhandled exception during asyncio.run() shutdown\ntask: <Task finished name='%s' "
                     "coro=<%s()> exception=%s>", t->name, t->coro_name, repr);
        }
        aw__future_unref(tasks[i]);
    }
    free(tasks);
}

/* Runner.close() runs two coroutines to completion, one loop run each.  awaitlab has no async
 * generators, so the first does nothing, but the loop run it takes is real: callbacks still in
 * the ready queue (and tasks they start) run in it.  The second waits for the default executor's
 * threads (up to 300 s, as 3.12+), delivering their results meanwhile; on the simulated clock
 * there are no threads, and it returns at once (as the oracle's VirtualLoop does). */
AW_COROUTINE(shutdown_asyncgens) { return aw_none(); }

static void run_to_completion(aw_loop *loop, aw_coro *coro)
{
    aw__set_running_loop(loop);
    aw_task *t = aw_loop_create_task(loop, coro, NULL);
    aw__set_running_loop(NULL);
    aw_loop_run_until_complete(loop, t, NULL);
}

/* Every failure before main's task exists leaves main to the caller, as CPython does (asyncio.run
 * never closes the coroutine it refuses; the caller's coro.close() must stay valid, and one that
 * is never closed is reported as never awaited).  Once the task exists, the loop owns it. */
aw_status aw_run(aw_coro *main, const aw_loop_options *opts, aw_value *out)
{
    if (aw__running_loop()) /* the coroutine stays the caller's, as in CPython */
        return aw__fail(AW_RuntimeError, "asyncio.run() cannot be called from a running event loop");
    if (!aw__is_coro_handle(main)) /* 3.14's Runner.run (3.12's said ValueError) */
        return aw__fail(AW_TypeError, "An asyncio.Future, a coroutine or an awaitable is required");
    aw_loop *loop = aw_loop_new(opts);
    if (!loop) { /* aw_loop_new's reason is in flight; main stays the caller's */
        aw_exc *why = aw_exc_current();
        return why ? aw_exc_status(why) : aw__fail(AW_RuntimeError, "could not create an event loop");
    }
    AW__TRACE(loop, .kind = AW_EV_RUNNER, .reason = AW_RUNNER_MAIN, .via = "asyncio.run");
    aw__set_running_loop(loop);
    aw_task *task = aw_loop_create_task(loop, main, NULL);
    aw__set_running_loop(NULL);
    aw_value v = aw_none();
    aw_status st = aw_loop_run_until_complete(loop, task, &v);
    /* Keep main's exception while the loop finishes its business. */
    aw_exc *main_exc = aw_exc_ref(aw_exc_current());
    aw_exc_clear();
    /* Runner.close(): what asyncio.run does after main, folded into one step by the viewers */
    AW__TRACE(loop, .kind = AW_EV_RUNNER, .reason = AW_RUNNER_SHUTDOWN, .via = "asyncio.run");
    cancel_all_tasks(loop);
    run_to_completion(loop, AW_CALL(shutdown_asyncgens));
    run_to_completion(loop, aw__run_shutdown_default_executor(loop));
    /* Values live in the loop's arena: copy a string result out before it goes. */
    if (st == AW_OK && out) {
        *out = v;
        if (v.kind == AW_STR || v.kind == AW_LIST || v.kind == AW_EXC) *out = aw_none(); /* see header */
    }
    AW__TRACE(loop, .kind = AW_EV_RUNNER, .reason = AW_RUNNER_CLOSED, .via = "asyncio.run");
    aw_loop_free(loop);
    aw__set_in_flight(main_exc);
    return st;
}
