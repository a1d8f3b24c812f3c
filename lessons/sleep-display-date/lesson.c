/* sleep-display-date — the C port of example.py, line by line (py:N tags its line N).
 * A coroutine that prints the date, then sleeps 1 s, until the loop's clock says 5 s are nearly
 * up: asyncio.sleep() lets the loop's clock (loop.time()) drive a loop. */
#include <math.h>
#include <time.h>

#include "awaitlab.h"
#include "lessons.h"

/* str(datetime.datetime.now()): "YYYY-MM-DD HH:MM:SS", then ".ffffff" only when the microseconds
 * are not 0, as Python writes a datetime.  The wall clock is read as awaitlab reads it (UTC; the
 * virtual wall clock in sim mode, where every line falls on a whole second). */
static const char *datetime_now(void)
{
    double now = aw_wall_time();
    time_t secs = (time_t)floor(now);
    long us = lround((now - floor(now)) * 1e6);
    if (us == 1000000) secs += 1, us = 0;
    struct tm tm;
    gmtime_r(&secs, &tm);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
    return us ? aw_strf("%s.%06ld", date, us).as.s : aw_strf("%s", date).as.s;
}

AW_COROUTINE(display_date) {                                  /* py:4 */
    aw_loop *loop = aw_current_loop();                        /* py:5 */
    double end_time = aw_loop_time(loop) + 5.0;               /* py:6 */
    while (true) {                                            /* py:7 */
        aw_print("%s", datetime_now());                       /* py:8 */
        if ((aw_loop_time(loop) + 1.0) >= end_time)           /* py:9 */
            break;                                            /* py:10 */
        AW_AWAIT(aw_sleep(1));                                /* py:11 */
    }
    return aw_none();
}

/* The document shows no output; the virtual wall clock starts at 2025-09-13 17:13:52 (UTC), the
 * start of coroutines-say-after's run, so the dates are the same on every run. */
AW_LESSON(sleep_display_date,                                 /* py:13 */
          "print the date every second until loop.time() nears a 5 s deadline", /* py:13 */
          1757783632LL * 1000000000, display_date);           /* py:13 */
