#!/bin/sh
# The build's bookkeeping (Makefile): a second `make` does nothing; a changed header rebuilds
# exactly its users' objects, whatever they are (library, test, program, bench, fuzz
# interpreter); a missing package stops a plain `make` with the apt-get line to run, before any
# compiler error, and without installing anything.
#   tests/scripts/test_build_deps.sh [BUILD]   (BUILD spelled as the build was made: the .d
#                                               files name their objects that way)
BUILD=${1:-${AWAITLAB_BUILD:-build}}
unset MAKEFLAGS MFLAGS MAKELEVEL # run from `make check`: our make is not its sub-make
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
m() { make --no-print-directory BUILD="$BUILD" "$@"; }

m -q all || { echo "FAIL: make -q all: a second make would rebuild something:"; m -n all | head -20; fail=1; }

# rebuilt HEADER WANTED UNWANTED: with HEADER taken as changed (make -W, so the tree is left
# alone), every object matching a WANTED pattern is recompiled and none matching UNWANTED.
rebuilt() {
    m -n -W "$1" all > "$T/plan" 2>&1
    for want in $2; do
        grep -q -- "-o $BUILD/obj/$want\$" "$T/plan" || { echo "FAIL: -W $1: $BUILD/obj/$want not rebuilt"; fail=1; }
    done
    for unwanted in $3; do
        grep -q -- "-o $BUILD/obj/$unwanted\$" "$T/plan" && { echo "FAIL: -W $1: $BUILD/obj/$unwanted rebuilt"; fail=1; }
    done
}
rebuilt core/awaitlab.h "core/loop.o sim/env.o tests/check/test_core_loop.o tests/check/support_core.o tests/programs/trace_cancel.o tests/fuzz/scenario.o cli/cmd_run.o lessons/tutorial-cancel/lesson.o" ""
rebuilt tests/programs/prng.h "tests/programs/trace_cancel.o" "core/loop.o tests/check/support_core.o"
rebuilt viz/export/png_file.h "viz/export/png_file.o viz/sdl/sdl_shot.o tests/check/test_png_file.o" "core/loop.o sim/recorder.o cli/main.o"
rebuilt sim/sim_internal.h "sim/env.o sim/backend_sim.o" "core/loop.o sim/recorder.o"
rebuilt tests/check/support_core.h "tests/check/support_core.o tests/check/test_core_loop.o" "core/loop.o"

# A missing package (pkg-config cannot find libpng) stops a fresh build at once with the line
# to run; apt-get is never called (we may be root: a plain make must not install).
mkdir "$T/bin"
cat > "$T/bin/pkg-config" <<EOF
#!/bin/sh
for a in "\$@"; do [ "\$a" = libpng ] && exit 1; done
exec $(command -v pkg-config) "\$@"
EOF
printf '#!/bin/sh\ntouch %s/apt-get-called\nexit 1\n' "$T" > "$T/bin/apt-get"
chmod +x "$T/bin/pkg-config" "$T/bin/apt-get"
PATH="$T/bin:$PATH" make --no-print-directory BUILD="$T/fresh" all > "$T/out" 2>&1
rc=$?
[ $rc -ne 0 ] || { echo "FAIL: make with libpng missing succeeded"; fail=1; }
grep -q 'apt-get install -y --no-install-recommends libpng-dev' "$T/out" ||
    { echo "FAIL: no apt-get line for libpng-dev:"; cat "$T/out"; fail=1; }
grep -q 'No such file\|error:' "$T/out" && { echo "FAIL: the compiler ran:"; head "$T/out"; fail=1; }
[ -e "$T/apt-get-called" ] && { echo "FAIL: a plain make ran apt-get"; fail=1; }
[ -d "$T/fresh/obj" ] && { echo "FAIL: objects were compiled before the check"; fail=1; }
exit $fail
