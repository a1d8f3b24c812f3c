/* test_core_value.c — values print as Python's repr() prints them (print(await gather(...))). */
#include <stdlib.h>
#include <string.h>

#include "support_core.h"

static const char *repr(aw_value v)
{
    static char buf[256];
    aw_value_repr(v, buf, sizeof buf);
    return buf;
}

START_TEST(floats_use_the_shortest_round_trip_digits)
{
    /* Each expected string is what python3 -c 'print(repr(x))' prints. */
    ck_assert_str_eq(repr(aw_float(0.1)), "0.1");
    ck_assert_str_eq(repr(aw_float(1.0)), "1.0");
    ck_assert_str_eq(repr(aw_float(1e16)), "1e+16");
    ck_assert_str_eq(repr(aw_float(1e15)), "1000000000000000.0");
    ck_assert_str_eq(repr(aw_float(1.5e-5)), "1.5e-05");
    ck_assert_str_eq(repr(aw_float(2.0 / 3)), "0.6666666666666666");
    ck_assert_str_eq(repr(aw_float(-0.5)), "-0.5");
}
END_TEST

START_TEST(scalars_and_none)
{
    ck_assert_str_eq(repr(aw_none()), "None");
    ck_assert_str_eq(repr(aw_int(-42)), "-42");
    ck_assert_str_eq(repr(aw_str("hello")), "'hello'");
}
END_TEST

START_TEST(lists_and_exceptions)
{
    /* Allocated: a struct holding aw_list (a flexible array member) is not C11. */
    aw_list *l = malloc(sizeof *l + 3 * sizeof(aw_value));
    ck_assert_ptr_nonnull(l);
    l->len = 3;
    l->items[0] = aw_int(1);
    l->items[1] = aw_str("a");
    l->items[2] = aw_none();
    aw_value v = {AW_LIST, {.list = l}};
    ck_assert_str_eq(repr(v), "[1, 'a', None]");
    aw_exc *e = aw_exc_new("ValueError", "boom %d", 3);
    aw_value ev = {AW_EXC, {.exc = e}};
    ck_assert_str_eq(repr(ev), "ValueError('boom 3')");
    ck_assert_int_eq(aw_exc_status(e), AW_ERROR);
    aw_exc_unref(e);
    /* A repr that does not fit is cut, never overflows. */
    char small[5];
    aw_value_repr(v, small, sizeof small);
    ck_assert_str_eq(small, "[1, ");
    free(l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_value");
    TCase *tc = tcase_create("value");
    tcase_add_test(tc, floats_use_the_shortest_round_trip_digits);
    tcase_add_test(tc, scalars_and_none);
    tcase_add_test(tc, lists_and_exceptions);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
