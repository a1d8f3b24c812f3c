/* prng.h — a tiny deterministic generator (splitmix64) for the trace test programs: every delay
 * and choice comes from the loop's seed (AWAITLAB_SEED), so one seed = one schedule. */
#ifndef AW_TEST_PRNG_H
#define AW_TEST_PRNG_H

#include <stdint.h>

static inline uint64_t prng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* 0 .. n-1 */
static inline unsigned prng_below(uint64_t *s, unsigned n) { return (unsigned)(prng_next(s) % n); }

/* A delay in whole milliseconds from 0 to max_ms: coarse on purpose, so that timers often share
 * a deadline and the tie order (creation sequence) is exercised. */
static inline double prng_delay(uint64_t *s, unsigned max_ms) { return prng_below(s, max_ms + 1) / 1000.0; }

/* An independent stream for a task, from the program seed and the task's number. */
static inline uint64_t prng_stream(uint64_t seed, uint64_t k)
{
    uint64_t s = seed ^ (k * 0xD1B54A32D192ED03ull);
    prng_next(&s);
    return s;
}

#endif
