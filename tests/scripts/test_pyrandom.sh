#!/bin/sh
# lessons/pyrandom.c gives CPython's random numbers: for several seeds (0, small, 2**32 - 1, two
# 32-bit words, 2**64 - 1), getrandbits(32), random() and uniform(0.05, 1.0) equal python3's,
# far past the first regeneration of the 624-word state.
#   tests/scripts/test_pyrandom.sh [BUILD]   (BUILD unused: the file is compiled here)
command -v python3 > /dev/null || { echo "FAIL: no python3 to compare with"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CC=${CC:-cc}
SEEDS="0 1 42 4294967295 4294967296 123456789012345 18446744073709551615"
cat > "$T/main.c" <<'C'
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "pyrandom.h"
int main(int argc, char **argv)
{
    for (int s = 1; s < argc; s++) {
        pyrandom r;
        uint64_t seed = strtoull(argv[s], NULL, 10);
        pyrandom_seed(&r, seed);
        for (int i = 0; i < 700; i++) printf("%" PRIu32 "\n", pyrandom_u32(&r));
        pyrandom_seed(&r, seed);
        for (int i = 0; i < 700; i++) printf("%.17g\n", pyrandom_random(&r));
        pyrandom_seed(&r, seed);
        for (int i = 0; i < 20; i++) printf("%.17g\n", pyrandom_uniform(&r, 0.05, 1.0));
    }
    return 0;
}
C
$CC -std=c11 -Wall -Wextra -Werror -Ilessons -o "$T/prog" "$T/main.c" lessons/pyrandom.c || exit 1
# shellcheck disable=SC2086
"$T/prog" $SEEDS > "$T/c.out" || { echo "FAIL: the C program exited $?"; exit 1; }
python3 - "$T/c.out" $SEEDS <<'PY'
import random, sys
got = open(sys.argv[1]).read().split()
want = []
for s in map(int, sys.argv[2:]):
    random.seed(s); want += [random.getrandbits(32) for _ in range(700)]
    random.seed(s); want += [random.random() for _ in range(700)]
    random.seed(s); want += [random.uniform(0.05, 1.0) for _ in range(20)]
if len(got) != len(want):
    sys.exit('FAIL: %d values from C, %d from python3' % (len(got), len(want)))
for i, (g, w) in enumerate(zip(got, want)):
    if float(g) != w:
        sys.exit('FAIL: value %d: C %s, python3 %r' % (i, g, w))
PY
