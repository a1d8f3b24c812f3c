#!/bin/sh
# test_core_stream.c's expected output, checked against CPython on its real loop over loopback:
# tests/check/cpython-net/streams.py is the C test's Python twin.  The oracle's virtual-clock loop
# (tests/check/cpython/, pyodide) has no sockets, so the twin runs under python3 (3.11) on the
# real network.  It must print streams.expected-3.11 as it is, and streams.expected (CPython
# 3.12.1+'s, the reference the C side follows) with 3.12.1's Server.wait_closed put in (the one
# method in which 3.11's streams differ for these scenarios: see the twin).
#   tests/scripts/test_core_stream_twin.sh [BUILD]
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
command -v python3 >/dev/null || { echo "FAIL: python3 not found (tests/deps.sh installs it)"; exit 1; }
py=tests/check/cpython-net/streams.py
status=0
timeout 120 python3 "$py" > "$T/3.11" 2>&1 || { echo "FAIL: $py exited non-zero:"; tail -n 5 "$T/3.11"; status=1; }
if ! cmp -s "$T/3.11" "${py%.py}.expected-3.11"; then
    echo "FAIL: $py under $(python3 --version 2>&1) differs from ${py%.py}.expected-3.11 (-want +got):"
    diff "${py%.py}.expected-3.11" "$T/3.11" | head -20; status=1
fi
timeout 120 python3 "$py" --wait-closed-3.12 > "$T/3.12" 2>&1 || { echo "FAIL: $py --wait-closed-3.12 exited non-zero"; status=1; }
if ! cmp -s "$T/3.12" "${py%.py}.expected"; then
    echo "FAIL: $py with 3.12's Server.wait_closed differs from ${py%.py}.expected (-want +got):"
    diff "${py%.py}.expected" "$T/3.12" | head -20; status=1
fi
[ $status -eq 0 ] && echo "PASS: test_core_stream_twin (CPython prints streams.expected)"
exit $status
