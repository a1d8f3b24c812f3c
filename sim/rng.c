/* rng.c — xoshiro256** (Blackman and Vigna, public domain reference), seeded by splitmix64. */
#include "rng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void aw_rng_init(aw_rng *r, uint64_t seed, uint64_t stream)
{
    /* Mix the stream in before expanding, so that (seed, stream) pairs give unrelated states. */
    uint64_t x = seed;
    uint64_t mixed = splitmix64(&x) ^ (stream * 0xd1b54a32d192ed03ULL);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&mixed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t aw_rng_next(aw_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double aw_rng_unit(aw_rng *r) { return (double)(aw_rng_next(r) >> 11) * 0x1.0p-53; }

uint64_t aw_rng_below(aw_rng *r, uint64_t n)
{
    /* Lemire's rejection: draw until the value falls outside the short last interval. */
    uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t x = aw_rng_next(r);
        if (x >= threshold) return x % n;
    }
}
