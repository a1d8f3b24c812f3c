#!/bin/sh
# Awaitables are checked by the compiler (issue 13, D): aw_await, aw_wait_for, aw_shield and
# AW_GATHER accept exactly the types of AW_AWAITABLE_TYPES (awaitlab.h) and aw_any(void *); any
# other pointer (a plain void *, an int *, an aw_loop *) fails to compile, as `await 42` fails in
# Python.  Each snippet is compiled with the build's compiler and flags against core's header.
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CC=${CC:-cc}
status=0
snippet() { # snippet NAME EXPECT(ok|fail) BODY
    printf '#include "awaitlab.h"\nAW_COROUTINE(f) { return aw_none(); }\nAW_COROUTINE(g) {\n    aw_loop *loop = aw_current_loop(); (void)loop;\n    %s\n    return aw_none();\n}\nvoid *use(int i) { return i ? (void *)g_body : (void *)f_body; }\n' "$3" > "$T/$1.c"
    if $CC -std=c11 -D_GNU_SOURCE -Icore -Wall -Wextra -Werror -Wshadow -c "$T/$1.c" -o "$T/$1.o" 2> "$T/$1.err"; then
        got=ok
    else
        got=fail
    fi
    # a failure must be the type check, not some other mistake in the snippet
    [ "$got" = fail ] && ! grep -q "_Generic" "$T/$1.err" && got="fail for another reason"
    if [ "$got" != "$2" ]; then
        echo "FAIL: $1: expected to $2 compiling: $3"; sed -n 1,5p "$T/$1.err"; status=1
    else
        echo "ok: $1 ($2)"
    fi
}
snippet coro ok 'AW_AWAIT(AW_CALL(f));'
snippet task ok 'aw_task *t = aw_create_task(AW_CALL(f)); AW_AWAIT(t);'
snippet future ok 'aw_future *fu = aw_future_new(loop); AW_AWAIT(aw_wait_for(fu, 1)); AW_AWAIT(aw_shield(fu));'
snippet gather ok 'aw_future *fu = aw_future_new(loop); AW_AWAIT(AW_GATHER(AW_CALL(f), fu, aw_create_task(AW_CALL(f))));'
snippet any ok 'void *p = aw_future_new(loop); AW_AWAIT(aw_any(p));'
snippet void_ptr fail 'void *p = aw_future_new(loop); AW_AWAIT(p);'
snippet int_ptr fail 'int x = 0; AW_AWAIT(&x);'
snippet loop fail 'AW_AWAIT(loop);'
snippet wait_for_int fail 'int x = 0; AW_AWAIT(aw_wait_for(&x, 1));'
snippet shield_void fail 'void *p = 0; AW_AWAIT(aw_shield(p));'
snippet gather_int fail 'int x = 0; AW_AWAIT(AW_GATHER(AW_CALL(f), &x));'
exit $status
