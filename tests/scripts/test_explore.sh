#!/bin/sh
# `awaitlab explore`: seeds grouped into outcomes.  What is checked, each against a fact known
# independently of explore's own grouping code:
#   - race-lost-update loses Alice's deposit on some seeds (final 130) and not on others (180):
#     2 outcomes over 200 seeds, each outcome line naming its first seed, counts summing to 200;
#     race-lost-update-fixed (a Lock): exactly 1 outcome; the last line is exactly
#     "explore: N runs, K distinct outcomes"; --jobs 2 prints what --jobs 1 prints;
#   - each outcome's first seed, replayed (`awaitlab run NAME --seed S`, or the printed command),
#     prints the outcome's output, and twice gives byte-identical traces;
#   - --check (sh, the output on stdin, AWAITLAB_SEED set), crashes, hangs at the virtual time
#     limit, real-time timeouts and non-zero exits are outcomes of their own, and make the exit 1;
#   - shards (--shard K/N --out FILE) merged print exactly the unsharded report;
#   - bad arguments and bad shard files: a clear message and a non-zero exit.
#   tests/scripts/test_explore.sh [BUILD]
. "$(dirname "$0")/cli_lib.sh"
PROG="$BUILD/programs/explore_target"
[ -x "$PROG" ] || { echo "missing $PROG (make builds it)"; exit 1; }
check() { # check DESCRIPTION CONDITION...
    d=$1
    shift
    "$@" || { echo "FAIL: $d"; fail=1; }
}

# ---- the race, and its fix -------------------------------------------------------------------
"$AW" explore race-lost-update --runs 200 > "$T/race" 2> "$T/race.err"
check "race-lost-update: exit 0 (every run exited 0)" [ $? -eq 0 ]
check "race-lost-update: last line" [ "$(tail -n 1 "$T/race")" = "explore: 200 runs, 2 distinct outcomes" ]
check "race-lost-update: a lost update and a correct one" grep -q "final balance: 130 (expected 180)" "$T/race"
check "race-lost-update: the correct one" grep -q "final balance: 180 (expected 180)" "$T/race"
sum=$(sed -n 's/^outcome [0-9]*: \([0-9]*\) of 200 runs, first seed [0-9]*: .*/\1/p' "$T/race" | awk "{ s += \$1 } END { print s }")
check "race-lost-update: outcome counts sum to 200 (got $sum)" [ "$sum" = 200 ]
firsts=$(sed -n 's/^outcome [0-9]*: .*, first seed \([0-9]*\): .*/\1/p' "$T/race")
check "race-lost-update: outcomes in the order of their first seeds" [ "$firsts" = "$(echo "$firsts" | sort -n)" ]
check "race-lost-update: stderr is not a terminal: no progress bar" [ ! -s "$T/race.err" ]
"$AW" explore race-lost-update --runs 200 --jobs 2 > "$T/race2"
check "race-lost-update: --jobs 2 prints what --jobs 1 prints" cmp -s "$T/race" "$T/race2"

"$AW" explore race-lost-update-fixed --runs 200 -j 2 > "$T/fixed"
check "race-lost-update-fixed: exit 0" [ $? -eq 0 ]
check "race-lost-update-fixed: one outcome" [ "$(tail -n 1 "$T/fixed")" = "explore: 200 runs, 1 distinct outcomes" ]
check "race-lost-update-fixed: 180" grep -q "^    final balance: 180 (expected 180)$" "$T/fixed"

# Replay: each outcome's first seed prints the outcome's output, and its trace is the same twice.
for s in $firsts; do
    sed -n "/first seed $s: /,/^[oe]/p" "$T/race" | sed -n 's/^    //p' > "$T/want.$s"
    "$AW" run race-lost-update --seed "$s" --trace "$T/a.$s" > "$T/got.$s"
    check "replay of seed $s prints its outcome" cmp -s "$T/want.$s" "$T/got.$s"
    (cd "$T" && "$AW" run race-lost-update --seed "$s" --trace "$T/b.$s" > /dev/null)
    check "replay of seed $s: byte-identical trace" cmp -s "$T/a.$s" "$T/b.$s"
    check "replay of seed $s: the trace has the seed's choices" grep -q '"ev":"choice"' "$T/a.$s"
done
# Two seeds' traces part at their first choice (awaitlab diff), and the default schedule has none.
set -- $firsts
"$AW" diff "$T/a.$1" "$T/a.$2" > "$T/diff"
check "diff of two seeds: first divergence is a choice" grep -q "^first divergence at event #[0-9]* .*: choice; differs in chosen_ns" "$T/diff"
"$AW" run race-lost-update --trace "$T/default" > /dev/null
check "the default schedule makes no choice" [ "$(grep -c '"ev":"choice"' "$T/default")" = 0 ]

# The viewers' lesson runs follow the same rule: a seed switches the lesson's variations on.
expect 0 'prints "Bob reads the balance: 100"' "$AW" step race-lost-update --seed 0 --at output:2 --plain
expect 0 'prints "Alice writes the balance: 150"' "$AW" step race-lost-update --at output:2 --plain

# ---- --check ---------------------------------------------------------------------------------
expect 1 "check failed (exit status 1)" "$AW" explore race-lost-update --runs 20 --check 'grep -q "final balance: 180"'
expect 0 "explore: 20 runs, 1 distinct outcomes" "$AW" explore race-lost-update-fixed --runs 20 \
    --check 'test "$(tail -n 1)" = "final balance: 180 (expected 180)" && test -n "$AWAITLAB_SEED"'
# The check sees each run's own seed: seeds 5..9 written by the checks themselves.
"$AW" explore race-lost-update-fixed --runs 5 --first-seed 5 --check "echo \$AWAITLAB_SEED >> '$T/seeds'" > "$T/out"
check "--check: AWAITLAB_SEED is each run's seed" [ "$(sort -n "$T/seeds" | paste -sd,)" = "5,6,7,8,9" ]
check "--first-seed: the first seed is 5" grep -q "first seed 5: ok" "$T/out"

# ---- crashes, hangs, exits -------------------------------------------------------------------
# explore_target: seeds whose CPU work (1 s, varied by ±50%) took over 1 s end as told.
expect 0 "explore: 20 runs, 2 distinct outcomes" "$AW" explore "$PROG" ok --runs 20 --vary-cpu 0.5
expect 1 "crashed (signal 6, SIGABRT)" "$AW" explore "$PROG" crash --runs 20 --vary-cpu 0.5 -j 2
expect 1 "hang: stopped at the virtual time limit; replay: AWAITLAB_CLOCK=sim AWAITLAB_SEED=[0-9]* AWAITLAB_VARY_CPU=0.5 AWAITLAB_TIME_LIMIT=50 " \
    "$AW" explore "$PROG" hang --runs 20 --vary-cpu 0.5 --time-limit 50
expect 1 "exit status 3" "$AW" explore "$PROG" fail --runs 20 --vary-cpu 0.5
expect 1 "hang: killed after 1 s of real time" "$AW" explore "$PROG" spin --runs 4 --vary-cpu 0.5 --timeout 1 -j 2
# A program's replay command, run by sh, prints the outcome's output and traces the same twice.
"$AW" explore "$PROG" fail --runs 20 --vary-cpu 0.5 > "$T/prog"
line=$(grep "exit status 3" "$T/prog")
cmd=${line#*replay: }
s=$(echo "$line" | sed 's/.*first seed \([0-9]*\):.*/\1/')
(sh -c "AWAITLAB_TRACE='$T/p1' $cmd" > "$T/p.out"; echo $? > "$T/p.rc") 2>/dev/null
check "program replay of seed $s: exit status 3" [ "$(cat "$T/p.rc")" = 3 ]
check "program replay of seed $s: prints slow" [ "$(cat "$T/p.out")" = slow ]
(cd "$T" && sh -c "AWAITLAB_TRACE='$T/p2' $cmd" > /dev/null 2>&1)
check "program replay of seed $s: byte-identical trace" cmp -s "$T/p1" "$T/p2"

# ---- shards ----------------------------------------------------------------------------------
for k in 0 1 2; do
    "$AW" explore race-lost-update --runs 60 --shard $k/3 --out "$T/shard$k.jsonl" > /dev/null
done
check "shard 1/3 ran 20 seeds" [ "$(wc -l < "$T/shard1.jsonl")" = 20 ]
"$AW" explore merge "$T/shard2.jsonl" "$T/shard0.jsonl" "$T/shard1.jsonl" > "$T/merged"
check "merge: exit 0" [ $? -eq 0 ]
"$AW" explore race-lost-update --runs 60 > "$T/single"
check "merged shards print exactly the unsharded report" cmp -s "$T/merged" "$T/single"
for k in 0 1; do
    "$AW" explore "$PROG" crash --runs 30 --vary-cpu 0.5 --check 'grep -q fast' --shard $k/2 -o "$T/c$k.jsonl" > /dev/null
done
"$AW" explore merge "$T/c0.jsonl" "$T/c1.jsonl" > "$T/cmerged"
rc_merged=$?
"$AW" explore "$PROG" crash --runs 30 --vary-cpu 0.5 --check 'grep -q fast' -j 2 > "$T/csingle"
rc_single=$?
check "crash shards merged == single" cmp -s "$T/cmerged" "$T/csingle"
check "merge exits as a single run does (1)" [ "$rc_merged" = 1 ] && [ "$rc_single" = 1 ]
expect 2 "seed 0 was run twice (overlapping shards?)" "$AW" explore merge "$T/shard0.jsonl" "$T/shard0.jsonl"
printf '{"seed":1,"end":"exit"}\n' > "$T/bad.jsonl"
expect 2 "bad.jsonl:1: not a run written by" "$AW" explore merge "$T/bad.jsonl"
expect 2 "no-such.jsonl: No such file" "$AW" explore merge "$T/no-such.jsonl"
expect 2 "which files?" "$AW" explore merge

# ---- bad arguments ---------------------------------------------------------------------------
expect 2 "which lesson or program?" "$AW" explore --runs 3
expect 2 "--runs N is needed" "$AW" explore race-lost-update
expect 2 "--runs N is needed" "$AW" explore race-lost-update --runs 0
expect 2 "--runs: expected a decimal integer" "$AW" explore race-lost-update --runs many
expect 2 "'no-such-lesson' is not a lesson" "$AW" explore no-such-lesson --runs 3
expect 2 "is not an executable program" "$AW" explore ./no/such/program --runs 3
expect 2 "is not an executable program" "$AW" explore "$T" --runs 3
expect 2 "takes no arguments" "$AW" explore race-lost-update extra --runs 3
expect 2 "--shard: expected K/N with 0 <= K < N" "$AW" explore race-lost-update --runs 3 --shard 3/3
expect 2 "--shard: expected K/N" "$AW" explore race-lost-update --runs 3 --shard half
expect 2 "--jobs: expected" "$AW" explore race-lost-update --runs 3 --jobs 0
expect 2 "--vary-cpu: expected a fraction (0..1), got '2'" "$AW" explore race-lost-update --runs 3 --vary-cpu 2
expect 2 "--time-limit: expected seconds > 0" "$AW" explore race-lost-update --runs 3 --time-limit 0
expect 2 "goes past the last seed" "$AW" explore race-lost-update --runs 2 --first-seed 18446744073709551615
expect 3 "--out $T/no/dir/x.jsonl" "$AW" explore race-lost-update --runs 2 --out "$T/no/dir/x.jsonl"
expect 2 "--vary-cpu: expected a fraction" "$AW" run race-lost-update --vary-cpu nan
expect 2 "AWAITLAB_TIMER_JITTER='-1': expected seconds >= 0" env AWAITLAB_TIMER_JITTER=-1 "$AW" run race-lost-update

[ $fail = 0 ] && echo "test_explore: ok"
exit $fail
