#!/bin/sh
# Installs what awaitlab needs when it is missing: with apt-get when we are root, else it names
# the exact command to run.  Quiet when everything is there.  Each need is checked the way the
# build uses it (a pkg-config module, a command, a file), so a tool installed some other way
# (e.g. a newer Node.js) counts as present.
#   tests/deps.sh [--check] [--build]
#   --check  never install: name what is missing and exit 1 (what a plain `make` runs)
#   --build  only what compiling and linking the default targets needs (fast: pkg-config calls)
check_only=false build_only=false
for arg in "$@"; do
    case $arg in
        --check) check_only=true ;;
        --build) build_only=true ;;
        *) echo "usage: tests/deps.sh [--check] [--build]" >&2; exit 2 ;;
    esac
done
missing=""
need() { # need KIND WHAT PACKAGE...
    kind=$1 what=$2; shift 2
    case $kind in
        pc) pkg-config --exists "$what" 2>/dev/null ;;
        cmd) command -v "$what" >/dev/null 2>&1 ;;
        file) [ -e "$what" ] ;;
        py) /usr/bin/python3 -c "import $what" >/dev/null 2>&1 ;;  # a module of Debian's python3
    esac || missing="$missing $*"
}
need cmd cc gcc libc6-dev
need cmd pkg-config pkg-config
need pc libcjson libcjson-dev
need pc check check libsubunit-dev
need pc ncursesw libncurses-dev
need pc sdl2 libsdl2-dev
need pc SDL2_ttf libsdl2-ttf-dev
need pc libpng libpng-dev
need file /usr/include/valgrind/valgrind.h valgrind
if ! $build_only; then
need file /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf fonts-dejavu-core
need cmd tmux tmux
need cmd xvfb-run xvfb xauth
need cmd xdotool xdotool
# make san builds a second configuration with clang's ASan+UBSan: it needs clang's runtimes.
need cmd clang clang
need file "/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.ubsan_standalone-$(uname -m).a" libclang-rt-14-dev
need cmd python3 python3
need cmd groff groff-base   # renders the man page in test_install.sh
# make bench's peers (bench/peer_*), also run at tiny sizes by make test (test_bench_smoke.sh)
need pc libuv libuv1-dev
need cmd g++ g++
need file /usr/include/boost/fiber/all.hpp libboost-fiber-dev
need py uvloop python3-uvloop
need py trio python3-trio
need cmd node nodejs
need cmd npm npm
# make fuzz: clang-14 and its libFuzzer runtime, found where clang itself looks for it.
need cmd clang-14 clang-14
need file "$(clang-14 --print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-$(uname -m).a" libclang-rt-14-dev
fi
[ -z "$missing" ] && exit 0

if ! $check_only && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "awaitlab: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || { echo "awaitlab: apt-get update failed" >&2; exit 1; }
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
        echo "awaitlab: apt-get install failed for:$missing" >&2; exit 1; }
    exit 0
fi
echo "awaitlab: missing Debian packages:$missing" >&2
echo "awaitlab: install them with:  sudo apt-get install -y --no-install-recommends$missing" >&2
exit 1
