#!/bin/sh
# Installs what awaitlab needs when it is missing: with apt-get when we are root, else it names
# the exact command to run.  Quiet when everything is there.  Each need is checked the way the
# build uses it (a pkg-config module, a command, a file), so a tool installed some other way
# (e.g. a newer Node.js) counts as present.
missing=""
need() { # need KIND WHAT PACKAGE...
    kind=$1 what=$2; shift 2
    case $kind in
        pc) pkg-config --exists "$what" 2>/dev/null ;;
        cmd) command -v "$what" >/dev/null 2>&1 ;;
        file) [ -e "$what" ] ;;
    esac || missing="$missing $*"
}
need cmd cc gcc libc6-dev
need cmd pkg-config pkg-config
need pc libcjson libcjson-dev
need pc check check libsubunit-dev
need pc ncursesw libncurses-dev
need pc sdl2 libsdl2-dev
need pc SDL2_ttf libsdl2-ttf-dev
need file /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf fonts-dejavu-core
need file /usr/include/valgrind/valgrind.h valgrind
need cmd tmux tmux
need cmd xvfb-run xvfb xauth
need cmd xdotool xdotool
# make san builds a second configuration with clang's ASan+UBSan: it needs clang's runtimes.
need cmd clang clang
need file "/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.ubsan_standalone-$(uname -m).a" libclang-rt-14-dev
need cmd python3 python3
need cmd node nodejs
need cmd npm npm
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
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
