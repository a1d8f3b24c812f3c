#!/bin/sh
# Regenerates the golden traces of the lessons: tests/golden/NAME.jsonl = `awaitlab run NAME
# --trace`.  Read every changed trace (git diff tests/golden) against the lesson's narrative
# before committing it: a golden is a claim that this schedule is right.
#   tests/golden/update.sh [BUILD]
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
for n in $("$BUILD/awaitlab" list | awk '{print $1}'); do
    "$BUILD/awaitlab" run "$n" --trace "tests/golden/$n.jsonl" > /dev/null
done
echo "update.sh: wrote $(ls tests/golden/*.jsonl | wc -l) golden traces; now read them (git diff tests/golden)"
