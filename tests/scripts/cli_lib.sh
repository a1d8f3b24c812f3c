# cli_lib.sh — what the command-line tests share (sourced by tests/scripts/test_*_cli.sh).
#   BUILD  the build directory (first argument, $AWAITLAB_BUILD, or build), made absolute
#   AW     the awaitlab command;  T  a scratch directory removed on exit;  fail  0 or 1
#   expect CODE PATTERN CMD...  runs CMD, checks its exit code and that PATTERN is in its output
BUILD=${1:-${AWAITLAB_BUILD:-build}}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
AW="$BUILD/awaitlab"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0

expect() {
    code=$1 pattern=$2
    shift 2
    "$@" > "$T/out" 2>&1
    rc=$?
    if [ $rc -ne "$code" ] || ! grep -q -- "$pattern" "$T/out"; then
        echo "FAIL: $* -> exit $rc (want $code), output:"
        cat "$T/out"
        echo "  (wanted: $pattern)"
        fail=1
    fi
}
