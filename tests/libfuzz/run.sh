#!/bin/sh
# A bounded run of every libFuzzer target (make fuzz): seeds from the lesson golden traces, the
# dictionary generated from the trace schema, SECONDS seconds each.  Ends with the line
# "fuzz: N passed, M failed" (one per target) that tests/summary.sh adds up.
#   tests/libfuzz/run.sh FUZZ_BUILD SECONDS GEN_DICT
FB=$1 SECS=${2:-20} GEN_DICT=$3
case $FB in /*) ;; *) FB=$(pwd)/$FB ;; esac # the CLI target works in a directory of its own
passed=0 failed=0
mkdir -p "$FB/seeds" "$FB/corpus" "$FB/crashes" "$FB/logs"
"$GEN_DICT" | awk '!seen[$0]++' > "$FB/trace.dict" || { echo "fuzz: cannot write the dictionary"; exit 1; }

# Seeds.  model: each golden trace whole and cut after 12 lines (a trace still running);
# diff: each golden against the next one, and against itself with its last event dropped;
# cli: tests/libfuzz/cli_seeds.txt, one argument list a line.
rm -rf "$FB/seeds"
mkdir -p "$FB/seeds/fuzz_trace_model" "$FB/seeds/fuzz_trace_diff" "$FB/seeds/fuzz_cli_args"
prev=""
for g in tests/golden/*.jsonl; do
    n=$(basename "$g" .jsonl)
    cp "$g" "$FB/seeds/fuzz_trace_model/$n"
    head -n 12 "$g" > "$FB/seeds/fuzz_trace_model/$n.cut"
    { cat "$g"; echo "====="; sed '$d' "$g"; } > "$FB/seeds/fuzz_trace_diff/$n.self"
    [ -n "$prev" ] && { cat "$prev"; echo "====="; cat "$g"; } > "$FB/seeds/fuzz_trace_diff/$n.next"
    prev=$g
done
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s' "$line" | tr ' ' '\n' > "$FB/seeds/fuzz_cli_args/seed$i"
done < tests/libfuzz/cli_seeds.txt

for bin in "$FB"/libfuzz/fuzz_*; do
    t=$(basename "$bin")
    mkdir -p "$FB/corpus/$t"
    log="$FB/logs/$t.log"
    # -close_fd_mask=3: the target's own output is dropped; libFuzzer and the sanitizers keep
    # theirs.  Crash inputs land in $FB/crashes/.
    "$bin" -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -close_fd_mask=3 -dict="$FB/trace.dict" -artifact_prefix="$FB/crashes/$t-" \
        "$FB/corpus/$t" "$FB/seeds/$t" > "$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1)
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1))
        [ -n "$AW_TEST_LIST" ] && echo "fuzz pass $t" >> "$AW_TEST_LIST"
        echo "$t: ok, ${runs:-?} executions in ${SECS} s, $cov, corpus $(ls "$FB/corpus/$t" | wc -l) inputs"
    else
        failed=$((failed + 1))
        [ -n "$AW_TEST_LIST" ] && echo "fuzz fail $t" >> "$AW_TEST_LIST"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5
        echo "$t: FAILED (exit $rc); the input: $(ls -t "$FB/crashes/$t-"* 2>/dev/null | head -n 1)"
        echo "  make it a regression test: copy it to tests/libfuzz/regress/$t/ (log: $log)"
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
