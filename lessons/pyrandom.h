/* pyrandom.h — Python's `random` module, the part a lesson needs: the same numbers as CPython.
 *
 * CPython's random is MT19937 (Matsumoto and Nishimura's Mersenne Twister).  random.seed(n), for
 * an int n, runs init_by_array() on the 32-bit words of abs(n), least significant first ([0] for
 * n == 0); random() takes two 32-bit outputs a and b and returns
 * ((a >> 5) * 67108864 + (b >> 6)) / 9007199254740992, a double in [0, 1) with 53 random bits;
 * uniform(a, b) is a + (b - a) * random().  tests/scripts/test_pyrandom.sh checks these against
 * python3's own values. */
#ifndef AW_PYRANDOM_H
#define AW_PYRANDOM_H

#include <stdint.h>

typedef struct pyrandom {
    uint32_t mt[624];
    int index;                  /* the next word of mt to hand out; 624: regenerate first */
} pyrandom;

void pyrandom_seed(pyrandom *r, uint64_t n);      /* random.seed(n), 0 <= n < 2**64 */
uint32_t pyrandom_u32(pyrandom *r);               /* one MT19937 output (getrandbits(32)) */
double pyrandom_random(pyrandom *r);              /* random.random() */
double pyrandom_uniform(pyrandom *r, double a, double b);   /* random.uniform(a, b) */

#endif /* AW_PYRANDOM_H */
