/* decimal.h — the one parser of unsigned decimal numbers given by people: the seed in
 * AWAITLAB_SEED (sim/env.c) and `awaitlab run|step --seed N` (cli/).  It lives in sim/ because
 * the CLI may depend on sim, never the reverse. */
#ifndef AW_DECIMAL_H
#define AW_DECIMAL_H

#include <stdbool.h>
#include <stdint.h>

/* Digits only, 0 .. 2^64-1: strtoull alone would accept " 1", "+1", "-1" (wrapped to 2^64-1)
 * and clamp 2^64 to 2^64-1 with only errno to say so. */
bool aw_parse_u64(const char *s, uint64_t *out);

/* What the message says the value must be. */
#define AW_U64_EXPECTED "a decimal integer between 0 and 18446744073709551615"

#endif
