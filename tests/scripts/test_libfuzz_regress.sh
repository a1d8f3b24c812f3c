#!/bin/sh
# The libFuzzer targets' regression inputs (tests/libfuzz/regress/TARGET/, the crashes make fuzz
# found) and their seeds (the lesson golden traces) replayed through the same targets, built
# without libFuzzer ($BUILD/libfuzz/replay_*): in `make check` with gcc, under ASan+UBSan in
# `make san`.  Each must run to the end: a crash, an abort of a target's own check, or (under
# the sanitizers) a report fails it.
#   tests/scripts/test_libfuzz_regress.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
fail=0
n=0
for r in "$BUILD"/libfuzz/replay_fuzz_*; do
    [ -x "$r" ] || continue
    t=${r##*/replay_}
    n=$((n + 1))
    set --
    [ -d "tests/libfuzz/regress/$t" ] && set -- "tests/libfuzz/regress/$t"
    case $t in fuzz_trace_model | fuzz_trace_diff) set -- "$@" tests/golden/*.jsonl ;; esac
    [ $# -gt 0 ] || { echo "FAIL: $t has no inputs"; fail=1; continue; }
    out=$("$r" "$@" 2>&1) || { printf '%s\n' "$out" | tail -n 15; echo "FAIL: $t"; fail=1; }
done
[ $n -ge 3 ] || { echo "FAIL: only $n replayers in $BUILD/libfuzz"; fail=1; }
exit $fail
