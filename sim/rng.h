/* rng.h — the simulator's seeded choices: one pseudo-random stream per kind of choice.
 *
 * Everything the seed may vary (network latencies and faults, CPU-work and executor durations,
 * timer jitter) draws from a stream of its own, derived from (seed, stream): switching one kind
 * of variation on, or drawing more from it, never shifts the numbers another kind gets, so two
 * seeds' traces part only where the choices they are about differ.
 *
 * xoshiro256** seeded by splitmix64 (Blackman and Vigna): small, fast, well tested, and the
 * same numbers on every machine (no libc rand()). */
#ifndef AW_SIM_RNG_H
#define AW_SIM_RNG_H

#include <stdint.h>

typedef struct aw_rng {
    uint64_t s[4];
} aw_rng;

/* The streams.  New kinds of choice take new numbers; never renumber (old seeds would replay
 * differently). */
enum {
    AW_RNG_NET_LATENCY = 1, /* per-send jitter on a link */
    AW_RNG_NET_FAULT = 2,   /* which faults happen, and when */
    AW_RNG_CPU = 3,         /* simulated CPU-work durations (aw_busy) */
    AW_RNG_TIMER = 4,       /* timer jitter */
    AW_RNG_EXECUTOR = 5,    /* executor job durations (run_in_executor, to_thread) */
};

void aw_rng_init(aw_rng *r, uint64_t seed, uint64_t stream);
uint64_t aw_rng_next(aw_rng *r);
/* Uniform in [0, 1), 53 bits. */
double aw_rng_unit(aw_rng *r);
/* Uniform in [0, n) without modulo bias; n > 0. */
uint64_t aw_rng_below(aw_rng *r, uint64_t n);

#endif /* AW_SIM_RNG_H */
