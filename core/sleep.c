/* sleep.c — asyncio.sleep: a bare yield for d <= 0, else a future resolved by a timer. */
#include <math.h>

#include "internal.h"

static void set_result_unless_cancelled(void *arg)
{
    aw_future *f = arg;
    aw__future_set_result_unless_cancelled(f, f->result);
}

AW_COROUTINE(sleep, double delay; aw_value result;)
{
    if (self->delay <= 0) {
        if (aw__yield() != AW_OK) return aw_reraise();
        return self->result;
    }
    if (isnan(self->delay)) return aw_raise_class(AW_ValueError, "Invalid delay: NaN (not a number)");
    aw_loop *loop = aw__running_loop();
    aw_future *f = aw__future_new_internal(loop);
    f->result = self->result; /* what the timer will set */
    aw_handle *h = aw__timer_at_held(loop, aw__later(loop, self->delay),
                                    set_result_unless_cancelled, f, "sleep", aw__task_id(loop->current_task),
                                    f->id);
    aw_value v = aw_none();
    aw_status st = aw__await_future(f, &v, NULL, 0);
    aw_handle_cancel(h); /* finally: h.cancel() */
    aw__handle_release(h);
    aw_future_detach(f);
    if (st != AW_OK) return aw_reraise();
    return v;
}

/* `await asyncio.sleep(0)` is how asyncio switches tasks, and CPython too makes it a bare yield
 * (__sleep0) without a future.  Awaited with no tracer watching, it runs as that yield alone,
 * without a coroutine object (coro.c, aw__coro_new_lazy and aw__await): running its body through
 * aw__coro_run would only save and restore what a bare yield leaves alone (the exception being
 * handled: a cancellation replaces it either way, as the body's re-raise does).
 * Every sleep(d <= 0) is the same coroutine: this one, when its object is made. */
static const struct sleep_args zero_args = {0, 0, {AW_NONE, {0}}};
static const aw__coro_recipe sleep_zero = {"sleep", (aw_coro_body)sleep_body, &zero_args, sizeof zero_args};

aw_coro *aw_sleep(double seconds)
{
    if (seconds <= 0) return aw__coro_new_lazy(&sleep_zero);
    return AW_CALL(sleep, seconds, {AW_NONE, {0}});
}
aw_coro *aw_sleep_value(double seconds, aw_value result) { return AW_CALL(sleep, seconds, result); }
