/* aw_trace_time.h — how a time (a double in seconds, as CPython's loop.time() keeps it) is
 * written in a trace: one rule, shared by the writer (sim/recorder.c), the readers
 * (viz/trace) and core's display of times.  The Python recorder
 * (sim/python/awaitlab_record) implements the same rule (sim/trace-format.md, Times).
 *
 *  - A time field (`t_ns`, `deadline_ns`, ...) holds the time rounded to the nearest integer
 *    nanosecond, ties to even: exactly Python's round(Fraction(seconds) * 10**9).
 *  - When that integer does not give the double back (the double nearest ns / 1e9 is another
 *    one: 0.30000000000000004 s is 300000000 ns, which reads back as 0.3), the event carries the
 *    exact double too, in its `exact` object.  Every time a program writes with a decimal of at
 *    most 9 places (sleep(1), sleep(0.1) once) needs nothing more.
 *  - The loop time `t_ns` is carried from event to event: an event whose t_ns is the previous
 *    event's has the previous event's time, unless its `exact` says otherwise (so only the first
 *    event at a new time, usually the clock_jump, says it).
 *
 * Header-only: viz reads traces without linking core.
 */
#ifndef AW_TRACE_TIME_H
#define AW_TRACE_TIME_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Beyond this (about 292 years in ns) a time is written as this many ns ("far away"). */
#define AW_TRACE_TIME_NS_MAX (INT64_MAX / 2)

/* seconds * 1e9 rounded to the nearest integer, ties to even, computed exactly (the double's
 * mantissa times 10^9 in 128 bits, then shifted).  NaN is 0; huge values are clamped. */
static inline int64_t aw_trace_time_ns(double seconds)
{
    if (seconds != seconds) return 0;
    if (seconds < 0) return -aw_trace_time_ns(-seconds);
    if (seconds >= 4.6e9) return AW_TRACE_TIME_NS_MAX;
    uint64_t bits;
    memcpy(&bits, &seconds, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7ff);
    uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
    int e;
    if (biased == 0) {
        e = -1074; /* subnormal */
    } else {
        m |= UINT64_C(1) << 52;
        e = biased - 1075;
    }
    unsigned __int128 prod = (unsigned __int128)m * 1000000000u; /* seconds * 1e9 = prod * 2^e */
    if (e >= 0) return (int64_t)(prod << e);
    int s = -e;
    if (s >= 120) return 0; /* prod < 2^83: far below one half */
    unsigned __int128 q = prod >> s, rem = prod - (q << s), half = (unsigned __int128)1 << (s - 1);
    if (rem > half || (rem == half && (q & 1))) q++;
    return (int64_t)q;
}

/* The double that an integer ns field reads back as: the nearest to ns / 1e9. */
static inline double aw_trace_time_of_ns(int64_t ns) { return (double)ns / 1e9; }

/* Whether `seconds`, written as `ns` (= aw_trace_time_ns(seconds)), needs its exact value too. */
static inline bool aw_trace_time_needs_exact(double seconds, int64_t ns)
{
    return aw_trace_time_of_ns(ns) != seconds;
}

/* The loop time a reader takes for an event without exact.t: the previous event's time when
 * t_ns did not change, else the double nearest t_ns / 1e9.  (have_prev false: the first event.) */
static inline double aw_trace_time_carried(bool have_prev, int64_t prev_ns, double prev, int64_t ns)
{
    return have_prev && ns == prev_ns ? prev : aw_trace_time_of_ns(ns);
}

#endif /* AW_TRACE_TIME_H */
