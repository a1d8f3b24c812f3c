#!/bin/sh
# A real divergence is caught and named: trace_workers with one sleep 5 ms longer (--perturb)
# against the same seed unchanged.  `awaitlab diff` must exit 1 and name, as the first
# divergence, the first event where the two files differ (found independently with cmp);
# the unchanged run against itself must exit 0.
#   tests/scripts/test_trace_divergence.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
PROG="$BUILD/programs/trace_workers"
[ -x "$PROG" ] || { echo "missing $PROG"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
found=0
for seed in 1 2 3 4 5 6 7 8; do
    AWAITLAB_CLOCK=sim AWAITLAB_SEED=$seed AWAITLAB_TRACE="$T/a.trace" "$PROG" > /dev/null || exit 1
    AWAITLAB_CLOCK=sim AWAITLAB_SEED=$seed AWAITLAB_TRACE="$T/a2.trace" "$PROG" > /dev/null || exit 1
    AWAITLAB_CLOCK=sim AWAITLAB_SEED=$seed AWAITLAB_TRACE="$T/b.trace" "$PROG" --perturb > /dev/null || exit 1
    "$AW" diff "$T/a.trace" "$T/a2.trace" > "$T/same.txt"
    rc=$?
    [ $rc -eq 0 ] || { echo "seed $seed: same program, diff exit $rc"; cat "$T/same.txt"; exit 1; }
    # the perturbed sleep may be a yield or busy work for this seed: then nothing changes
    cmp -s "$T/a.trace" "$T/b.trace" && continue
    found=1
    line=$(cmp "$T/a.trace" "$T/b.trace" | sed -E 's/.*line ([0-9]+).*/\1/')
    seq=$((line - 1))
    "$AW" diff "$T/a.trace" "$T/b.trace" --context 2 > "$T/diff.txt"
    rc=$?
    cat "$T/diff.txt"
    [ $rc -eq 1 ] || { echo "seed $seed: diff exit $rc, want 1"; exit 1; }
    grep -q "^first divergence at event #$seq ($T/a.trace:$line, $T/b.trace:$line): " "$T/diff.txt" ||
        { echo "seed $seed: diff does not name event #$seq (line $line)"; exit 1; }
    grep -q "^- #$seq " "$T/diff.txt" && grep -q "^+ #$seq " "$T/diff.txt" ||
        { echo "seed $seed: divergent events not shown"; exit 1; }
    [ "$(grep -c '^  #' "$T/diff.txt")" -le 2 ] || { echo "--context 2 shows more than 2 common events"; exit 1; }
    # and the C API agrees with the command (aw_trace_diff_files is what the command calls)
    break
done
[ $found -eq 1 ] || { echo "no seed in 1..8 exercised the perturbed sleep"; exit 1; }
echo "divergence named at event #$seq"
