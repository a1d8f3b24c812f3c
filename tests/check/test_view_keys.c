/* test_view_keys.c — the viewers' one key table (viz/keys/view_keys.h): a key never means two
 * things in a viewer, every action has a key, the keys both viewers share mean the same in both,
 * and the quiz's digits are not taken by the table. */
#include <check.h>
#include <stdbool.h>
#include <stdlib.h>

#include "view_keys.h"

static const unsigned viewers[] = {AW_VIEWER_TUI, AW_VIEWER_SDL};

START_TEST(one_meaning_per_key)
{
    for (size_t v = 0; v < 2; v++)
        for (size_t i = 0; i < aw_view_binding_count(); i++) {
            const aw_view_binding *b = aw_view_binding_at(i);
            if (!(b->viewers & viewers[v])) continue;
            for (int k = 0; k < AW_VIEW_KEYS_MAX && b->keys[k]; k++)
                ck_assert_msg(aw_view_action_of(b->keys[k], viewers[v]) == b->action,
                              "key %d: bound to two actions in viewer %u", b->keys[k], viewers[v]);
        }
}
END_TEST

START_TEST(every_action_has_a_key_and_help)
{
    for (int a = AW_ACT_NONE + 1; a < AW_ACT__COUNT; a++) {
        bool found = false;
        for (size_t i = 0; i < aw_view_binding_count(); i++) {
            const aw_view_binding *b = aw_view_binding_at(i);
            if (b->action != (aw_view_action)a) continue;
            found = true;
            ck_assert_msg(b->keys[0] && b->keys_text && *b->keys_text && b->help && *b->help, "action %d", a);
        }
        ck_assert_msg(found, "action %d has no binding", a);
    }
}
END_TEST

START_TEST(shared_keys_mean_the_same_in_both)
{
    for (int key = 1; key < AW_VK_CTRL_C + 1; key++) {
        aw_view_action t = aw_view_action_of(key, AW_VIEWER_TUI), s = aw_view_action_of(key, AW_VIEWER_SDL);
        ck_assert_msg(t == s || t == AW_ACT_NONE || s == AW_ACT_NONE,
                      "key %d does %d in the terminal and %d in the window", key, t, s);
    }
    ck_assert_int_eq(aw_view_action_of('e', AW_VIEWER_TUI), AW_ACT_SHUTDOWN);
    ck_assert_int_eq(aw_view_action_of('e', AW_VIEWER_SDL), AW_ACT_SHUTDOWN);
    ck_assert_int_eq(aw_view_action_of('?', AW_VIEWER_SDL), AW_ACT_HELP);
}
END_TEST

START_TEST(quiz_digits_are_free)
{
    for (int d = '1'; d <= '9'; d++) {
        ck_assert_int_eq(aw_view_quiz_choice(d), d - '1');
        for (size_t v = 0; v < 2; v++) ck_assert_int_eq(aw_view_action_of(d, viewers[v]), AW_ACT_NONE);
    }
    ck_assert_int_eq(aw_view_quiz_choice('0'), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("view_keys");
    TCase *tc = tcase_create("keys");
    tcase_add_test(tc, one_meaning_per_key);
    tcase_add_test(tc, every_action_has_a_key_and_help);
    tcase_add_test(tc, shared_keys_mean_the_same_in_both);
    tcase_add_test(tc, quiz_digits_are_free);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
