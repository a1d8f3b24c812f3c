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

/* Is c a sleep(d <= 0), and what would it return?  aw__await's fast path (coro.c). */
bool aw__sleep_is_zero(const aw__coro *c, aw_value *result)
{
    if (c->body != (aw_coro_body)sleep_body) return false;
    const struct sleep_args *a = (const struct sleep_args *)(const void *)c->args;
    if (!(a->delay <= 0)) return false;
    *result = a->result;
    return true;
}

aw_coro *aw_sleep(double seconds) { return AW_CALL(sleep, seconds, {AW_NONE, {0}}); }
aw_coro *aw_sleep_value(double seconds, aw_value result) { return AW_CALL(sleep, seconds, result); }
