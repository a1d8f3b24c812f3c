#!/bin/sh
# Runs every benchmark in BUILD/bench.  Where bench/NAME.py exists, CPython asyncio does the same
# work in the same run, and each `BENCH <name> <value>` line is shown with the ratio
# CPython / awaitlab (above 1: awaitlab is faster).  Other lines are printed as they come.
BUILD=${1:-build}
for b in "$BUILD"/bench/*; do
    [ -x "$b" ] || continue
    name=$(basename "$b")
    echo "== $name"
    "$b" > "$b.out" 2>&1 || { cat "$b.out"; echo "$name: failed"; continue; }
    if [ -f "bench/$name.py" ]; then
        python3 "bench/$name.py" > "$b.py.out" 2>&1
        printf '%-22s %14s %14s %8s\n' "benchmark" "awaitlab ns/op" "CPython ns/op" "ratio"
        grep '^BENCH ' "$b.out" | while read -r _ key c; do
            py=$(grep "^BENCH $key " "$b.py.out" | awk '{print $3}')
            ratio=$(awk -v c="$c" -v p="$py" 'BEGIN { if (c > 0 && p != "") printf "%.1fx", p / c; else print "-" }')
            printf '%-22s %14s %14s %8s\n' "$key" "$c" "${py:--}" "$ratio"
        done
        grep -v '^BENCH ' "$b.out"
    else
        cat "$b.out"
    fi
done
