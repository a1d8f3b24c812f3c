#!/bin/sh
# Adds up the "<label>: N passed, M failed" lines of the given logs into the closing line.
passed=0
failed=0
for log in "$@"; do
    line=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "summary: $log has no result line"
        failed=$((failed + 1))
        continue
    fi
    p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "total: $passed passed, $failed failed"
