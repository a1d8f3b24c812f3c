#!/bin/sh
# difffuzz.sh BUILD N — `make difffuzz N=...`: N random scenarios on awaitlab and on CPython 3.14
# (pyodide, one node process for all of them), compared; each new kind of divergence is minimised
# and saved in tests/fuzz/cases/.  python3 (3.11) runs the scenarios without 3.12+ constructs and
# its differences from 3.14 are reported apart.  The last line reads `agreement: A/N`.
#   FUZZ_SEED=S  first seed (default: derived from the clock, printed, so a run can be repeated)
#   FUZZ_KEEP=DIR  keep scenarios and outputs in DIR
#   FUZZ_MAX_SAVE=K  save at most K new cases (default 5)
set -eu
BUILD=${1:?usage: difffuzz.sh BUILD N}
N=${2:?usage: difffuzz.sh BUILD N}
HERE=$(dirname "$0")
[ -x "$BUILD/fuzz/scenario" ] || { echo "difffuzz: $BUILD/fuzz/scenario is missing (make builds it)"; exit 2; }
sh "$HERE/../oracle/setup.sh" || { echo "difffuzz: cannot install CPython 3.14 (pyodide)"; exit 2; }
# A divergence is a finding, not a failure of this tool (tests/scripts/test_difffuzz.sh is the
# gate): exit 0 once the run completed, so that `agreement: A/N` stays the last line make shows.
rc=0
python3 "$HERE/difffuzz.py" run "$BUILD" "$N" ${FUZZ_SEED:+--first "$FUZZ_SEED"} ${FUZZ_KEEP:+--keep "$FUZZ_KEEP"} || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
