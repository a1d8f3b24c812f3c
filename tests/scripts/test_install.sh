#!/bin/sh
# `make install` into a temporary DESTDIR, used the way a user would: a program outside the
# tree built with pkg-config against the installed files only, run on the simulated clock, its
# trace checked by the installed `awaitlab validate`; the core library links without cJSON; the
# man page renders and documents every subcommand and option; `make uninstall` leaves nothing.
#   tests/scripts/test_install.sh [BUILD]   (BUILD spelled as the build was made)
BUILD=${1:-${AWAITLAB_BUILD:-build}}
unset MAKEFLAGS MFLAGS MAKELEVEL # run from `make check`: our make is not its sub-make
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
PREFIX=/opt/awaitlab-test
D="$T/dest"
P="$D$PREFIX"

# A program built against the installed libraries is compiled the way they were: with the same
# compiler and, in the sanitizer builds, the same sanitizers (their objects need the runtime).
CC_USER="cc -std=c11"
readelf -p .comment "$BUILD/awaitlab" 2>/dev/null | grep -q "clang version" && CC_USER="clang -std=c11"
nm "$BUILD/libawaitlab.a" 2>/dev/null | grep -q __asan_ && CC_USER="$CC_USER -fsanitize=address,undefined"

make --no-print-directory -s BUILD="$BUILD" PREFIX="$PREFIX" DESTDIR="$D" install > "$T/log" 2>&1 ||
    { echo "FAIL: make install"; cat "$T/log"; exit 1; }
for f in bin/awaitlab lib/libawaitlab.a lib/libawaitlab-sim.a lib/pkgconfig/awaitlab.pc \
         lib/pkgconfig/awaitlab-sim.pc include/awaitlab/awaitlab.h include/awaitlab/awaitlab_sim.h \
         share/man/man1/awaitlab.1; do
    [ -f "$P/$f" ] || { echo "FAIL: $PREFIX/$f not installed"; fail=1; }
done
grep -q "^prefix=$PREFIX\$" "$P/lib/pkgconfig/awaitlab.pc" || { echo "FAIL: awaitlab.pc prefix is not $PREFIX"; fail=1; }

# The installed files only: pkg-config reads the .pc files where they are (--define-prefix:
# prefix = two levels above the .pc), and nothing of the source tree is on any path.
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
pcf() { pkg-config --define-prefix "$@"; }
mkdir "$T/prog"
cd "$T/prog" || exit 1

# core alone: libc only
nm "$P/lib/libawaitlab.a" 2>/dev/null | grep -qi cjson && { echo "FAIL: libawaitlab.a mentions cJSON"; fail=1; }
pcf --libs awaitlab | grep -q cjson && { echo "FAIL: pkg-config awaitlab asks for cJSON"; fail=1; }
cat > core.c <<'EOF'
#include "awaitlab.h"
AW_COROUTINE(main_coro) {
    AW_AWAIT(aw_sleep(0.001));
    aw_print("core only");
    return aw_none();
}
int main(void) { return aw_run(AW_CALL(main_coro), NULL, NULL) == AW_OK ? 0 : 1; }
EOF
# shellcheck disable=SC2046
$CC_USER -o core core.c $(pcf --cflags --libs awaitlab) > "$T/log" 2>&1 || { echo "FAIL: core-only program:"; cat "$T/log"; fail=1; }
[ "$(./core 2>&1)" = "core only" ] || { echo "FAIL: core-only program did not print 'core only'"; fail=1; }

# With the simulator: README's first program, no call to anything of sim.
cat > prog.c <<'EOF'
#include "awaitlab.h"

AW_COROUTINE(say_after, double delay; const char *what;) {
    AW_AWAIT(aw_sleep(self->delay));
    aw_print("%s", self->what);
    return aw_none();
}

AW_COROUTINE(main_coro) {
    aw_task *t1 = aw_create_task(AW_CALL(say_after, 1, "hello"));
    aw_task *t2 = aw_create_task(AW_CALL(say_after, 3600, "world"));
    AW_AWAIT(t1);
    AW_AWAIT(t2);
    aw_print("finished at %.0f", aw_time());
    return aw_none();
}

int main(void) { return aw_run(AW_CALL(main_coro), NULL, NULL) == AW_OK ? 0 : 1; }
EOF
# shellcheck disable=SC2046
$CC_USER -o prog prog.c $(pcf --cflags --libs awaitlab-sim) > "$T/log" 2>&1 || { echo "FAIL: sim program:"; cat "$T/log"; fail=1; }
# an hour of sleeping: only the simulated clock finishes within the timeout
AWAITLAB_CLOCK=sim AWAITLAB_TRACE="$T/out.jsonl" timeout 20 ./prog > out.txt 2>&1 || { echo "FAIL: prog on the sim clock:"; cat out.txt; fail=1; }
grep -q '^world$' out.txt || { echo "FAIL: prog did not print world:"; cat out.txt; fail=1; }
head -n 1 "$T/out.jsonl" 2>/dev/null | grep -q '"clock":"sim"' || { echo "FAIL: no trace header with clock sim in AWAITLAB_TRACE"; fail=1; }
"$P/bin/awaitlab" validate "$T/out.jsonl" > "$T/log" 2>&1 || { echo "FAIL: installed awaitlab validate:"; cat "$T/log"; fail=1; }
AWAITLAB_CLOCK=fast ./prog > "$T/log" 2>&1 && { echo "FAIL: AWAITLAB_CLOCK=fast was accepted"; fail=1; }
grep -q "AWAITLAB_CLOCK='fast'" "$T/log" || { echo "FAIL: no message for AWAITLAB_CLOCK=fast"; fail=1; }

# The man page: renders, and names every subcommand of `awaitlab help` and every option each
# subcommand's --help shows.
MAN="$P/share/man/man1/awaitlab.1"
if command -v man > /dev/null 2>&1; then
    MANWIDTH=200 LC_ALL=C.UTF-8 man -l "$MAN" > "$T/man.txt" 2> "$T/man.err"
elif command -v groff > /dev/null 2>&1; then
    LC_ALL=C.UTF-8 groff -man -Tutf8 "$MAN" | sed 's/.\x08//g' > "$T/man.txt" 2> "$T/man.err"
else
    sed 's/\\f[BIRP]//g; s/\\-/-/g' "$MAN" > "$T/man.txt"; : > "$T/man.err"
fi
[ -s "$T/man.err" ] && { echo "FAIL: the man page has warnings:"; cat "$T/man.err"; fail=1; }
grep -q 'awaitlab - run, record' "$T/man.txt" || { echo "FAIL: the man page did not render"; fail=1; }
sed 's/\xe2\x80\x90//g' "$T/man.txt" > "$T/man.flat" # hyphenation marks, when wrapped
cmds=$("$P/bin/awaitlab" help | sed -n 's/^  \([a-z]*\) .*/\1/p')
[ -n "$cmds" ] || { echo "FAIL: no subcommands in 'awaitlab help'"; fail=1; }
for c in $cmds; do
    grep -Eq "^ +$c( |$)" "$T/man.flat" || { echo "FAIL: man page: no entry for '$c'"; fail=1; }
    for opt in $("$P/bin/awaitlab" "$c" --help 2>&1 | grep -Eo '(^|[ [])--?[a-z][a-z-]*' | tr -d ' [' | sort -u); do
        grep -q -- "$opt" "$T/man.flat" || { echo "FAIL: man page: '$c $opt' not documented"; fail=1; }
    done
done
for v in AWAITLAB_CLOCK AWAITLAB_SEED AWAITLAB_TRACE AWAITLAB_STACK_SIZE AWAITLAB_FONT; do
    grep -q "$v" "$T/man.flat" || { echo "FAIL: man page: $v not documented"; fail=1; }
done

cd - > /dev/null || exit 1
make --no-print-directory -s BUILD="$BUILD" PREFIX="$PREFIX" DESTDIR="$D" uninstall > "$T/log" 2>&1 ||
    { echo "FAIL: make uninstall"; cat "$T/log"; fail=1; }
left=$(find "$D" -type f -o -type l)
[ -z "$left" ] || { echo "FAIL: left after uninstall: $left"; fail=1; }
[ -d "$P/include/awaitlab" ] && { echo "FAIL: include/awaitlab/ left after uninstall"; fail=1; }
exit $fail
