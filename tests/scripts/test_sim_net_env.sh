#!/bin/sh
# The simulated network's environment (sim/env.c): a bad AWAITLAB_NET_* value ends any program
# linked with the sim library with exit status 2 and a message naming the variable and the
# value; good values run it, and a program without network traffic keeps its trace byte for byte
# whatever the network's settings (faults and latency touch only connections).
#   tests/scripts/test_sim_net_env.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0

bad() { # VAR VALUE EXPECTED-TEXT
    env "$1=$2" "$AW" run coroutines-create-task > "$T/out" 2> "$T/err"
    rc=$?
    if [ $rc -ne 2 ] || ! grep -qF "awaitlab: $1='$2': $3" "$T/err"; then
        echo "$1='$2': exit $rc, stderr:"; cat "$T/err"; fail=1
    fi
}
bad AWAITLAB_NET_LATENCY -1 "expected seconds, 0 to 86400"
bad AWAITLAB_NET_LATENCY 0.1s "expected seconds, 0 to 86400"
bad AWAITLAB_NET_BANDWIDTH nan "expected bytes per second >= 0 (0: unlimited)"
bad AWAITLAB_NET_BUFFER 0 "expected bytes, 1 to 1073741824"
bad AWAITLAB_NET_FAULTS reset:2 "'reset:2': reset: expected a probability, 0 to 1"
bad AWAITLAB_NET_FAULTS bogus:1 "'bogus:1': expected refused, reset, drop, stall"
bad AWAITLAB_NET_FAULTS reset "'reset': expected KIND:NUMBER (e.g. reset:0.1)"

"$AW" run coroutines-create-task --trace "$T/plain.trace" > "$T/plain.out" 2>&1 || { echo "plain run failed"; fail=1; }
AWAITLAB_NET_LATENCY=0.05 AWAITLAB_NET_BANDWIDTH=1000 AWAITLAB_NET_BUFFER=4096 \
AWAITLAB_NET_FAULTS=reset:0.5,refused:0.5,drop:0.5,stall:0.5,jitter:0.5,jitter_s:0.01,bytes:10 \
    "$AW" run coroutines-create-task --trace "$T/net.trace" > "$T/net.out" 2>&1 || { echo "run with AWAITLAB_NET_* failed"; cat "$T/net.out"; fail=1; }
cmp -s "$T/plain.trace" "$T/net.trace" || { echo "AWAITLAB_NET_* changed a trace without network traffic"; fail=1; }
cmp -s "$T/plain.out" "$T/net.out" || { echo "AWAITLAB_NET_* changed the output"; fail=1; }
[ $fail -eq 0 ] && echo "sim_net_env: bad values refused (exit 2, named); no traffic, same trace"
exit $fail
