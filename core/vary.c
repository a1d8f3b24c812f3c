/* vary.c — what the seed may vary (aw_variations, awaitlab.h), and the time limit.
 *
 * The seed's numbers come from the backend (aw_backend.draw: the simulator's seeded streams, one
 * per kind of variation, so switching one kind on never shifts another's numbers); what a number
 * means is decided here, once, and every choice is a `choice` event written before its effect,
 * so that two seeds' traces part exactly at the first choice that differs.  The real clock has no
 * draw: nothing varies there (its durations vary by themselves).
 *
 * Why these and no others: they are the things a real run varies and asyncio does not fix.  CPU
 * work and a thread's job take longer or shorter on a real machine; a loop asked to wake at a
 * timer's deadline wakes at it or after it (a loaded machine, a coarse clock), never before.
 * Late wake-ups keep every guarantee CPython gives: a sleep never ends before its delay, due
 * timers still fire in (deadline, creation) order, the ready queue stays FIFO; what moves is
 * loop.time() when the loop wakes, and with it every deadline computed from it afterwards. */
#include <math.h>
#include <stdatomic.h>

#include "internal.h"

static atomic_bool time_limit_reached;

bool aw_time_limit_reached(void) { return atomic_load(&time_limit_reached); }
void aw__time_limit_note(void) { atomic_store(&time_limit_reached, true); }

static double bound_of(const aw_variations *v, int variation)
{
    switch (variation) {
    case AW_VARY_CPU: return v->cpu;
    case AW_VARY_EXECUTOR: return v->executor;
    default: return v->timer;
    }
}

double aw__vary(aw_loop *loop, int variation, double nominal, unsigned task)
{
    double bound = bound_of(&loop->opts.vary, variation);
    aw_backend *be = loop->backend;
    if (!(bound > 0) || !be->draw || !(nominal > 0) || isinf(nominal)) return nominal;
    double u = be->draw(be, variation);
    double chosen = variation == AW_VARY_TIMER ? nominal + bound * u              /* late, never early */
                                               : nominal * (1 + bound * (2 * u - 1)); /* d(1 ± f) */
    if (chosen < 0) chosen = 0;
    AW__TRACE(loop, .kind = AW_EV_CHOICE, .reason = variation, .task = task, .ta = nominal, .tb = chosen);
    return chosen;
}

bool aw_variations_valid(const aw_variations *v, double time_limit)
{
    /* written so that NaN fails every test */
    return v->cpu >= 0 && v->cpu <= 1 && v->executor >= 0 && v->executor <= 1 && v->timer >= 0 &&
           v->timer < INFINITY && time_limit >= 0 && time_limit <= INFINITY;
}
