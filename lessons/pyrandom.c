/* pyrandom.c — MT19937 seeded and read as CPython's random module does (pyrandom.h); the
 * generator is the reference one (mt19937ar.c), as in CPython's Modules/_randommodule.c. */
#include "pyrandom.h"

#define N 624
#define M 397
#define MATRIX_A 0x9908b0dfU
#define UPPER_MASK 0x80000000U
#define LOWER_MASK 0x7fffffffU

static void init_genrand(pyrandom *r, uint32_t s)
{
    r->mt[0] = s;
    for (int i = 1; i < N; i++)
        r->mt[i] = 1812433253U * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + (uint32_t)i;
    r->index = N;
}

static void init_by_array(pyrandom *r, const uint32_t *key, int len)
{
    init_genrand(r, 19650218U);
    int i = 1, j = 0;
    for (int k = N > len ? N : len; k; k--) {
        r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1664525U)) + key[j] + (uint32_t)j;
        i++, j++;
        if (i >= N) r->mt[0] = r->mt[N - 1], i = 1;
        if (j >= len) j = 0;
    }
    for (int k = N - 1; k; k--) {
        r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1566083941U)) - (uint32_t)i;
        i++;
        if (i >= N) r->mt[0] = r->mt[N - 1], i = 1;
    }
    r->mt[0] = 0x80000000U; /* a non-zero initial array */
}

void pyrandom_seed(pyrandom *r, uint64_t n)
{
    uint32_t key[2] = {(uint32_t)n, (uint32_t)(n >> 32)};
    init_by_array(r, key, key[1] ? 2 : 1);
}

uint32_t pyrandom_u32(pyrandom *r)
{
    static const uint32_t mag01[2] = {0, MATRIX_A};
    if (r->index >= N) {
        int k;
        uint32_t y;
        for (k = 0; k < N - M; k++) {
            y = (r->mt[k] & UPPER_MASK) | (r->mt[k + 1] & LOWER_MASK);
            r->mt[k] = r->mt[k + M] ^ (y >> 1) ^ mag01[y & 1];
        }
        for (; k < N - 1; k++) {
            y = (r->mt[k] & UPPER_MASK) | (r->mt[k + 1] & LOWER_MASK);
            r->mt[k] = r->mt[k + (M - N)] ^ (y >> 1) ^ mag01[y & 1];
        }
        y = (r->mt[N - 1] & UPPER_MASK) | (r->mt[0] & LOWER_MASK);
        r->mt[N - 1] = r->mt[M - 1] ^ (y >> 1) ^ mag01[y & 1];
        r->index = 0;
    }
    uint32_t y = r->mt[r->index++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
}

double pyrandom_random(pyrandom *r)
{
    uint32_t a = pyrandom_u32(r) >> 5, b = pyrandom_u32(r) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

double pyrandom_uniform(pyrandom *r, double a, double b)
{
    return a + (b - a) * pyrandom_random(r);
}
