/* view_keys.c — the table behind view_keys.h. */
#include "view_keys.h"

#define BOTH AW_VIEWER_BOTH
#define TUI AW_VIEWER_TUI
#define SDL AW_VIEWER_SDL

static const aw_view_binding bindings[] = {
    {AW_ACT_NEXT, {AW_VK_RIGHT, 'l', 'n'}, "right  l  n", "next event", BOTH},
    {AW_ACT_PREV, {AW_VK_LEFT, 'h', 'p'}, "left  h  p", "previous event", BOTH},
    {AW_ACT_NEXT_ITER, {']'}, "]", "next loop iteration", BOTH},
    {AW_ACT_PREV_ITER, {'['}, "[", "previous loop iteration", BOTH},
    {AW_ACT_NEXT_OUTPUT, {'o'}, "o", "next output line", BOTH},
    {AW_ACT_PREV_OUTPUT, {'O'}, "O", "previous output line", BOTH},
    {AW_ACT_PLAY, {' '}, "space", "play / pause", BOTH},
    {AW_ACT_FASTER, {'+', '='}, "+", "faster", BOTH},
    {AW_ACT_SLOWER, {'-', '_'}, "-", "slower", BOTH},
    {AW_ACT_START, {'g', AW_VK_HOME}, "g  Home", "first event", BOTH},
    {AW_ACT_END, {'G', AW_VK_END}, "G  End", "last event", BOTH},
    {AW_ACT_TIME, {'t'}, "t", "jump to a time (seconds)", BOTH},
    {AW_ACT_SEARCH, {'/'}, "/", "search the sentences", BOTH},
    {AW_ACT_C_PORT, {'c'}, "c", "the C port / the Python", BOTH},
    {AW_ACT_SHUTDOWN, {'e'}, "e", "asyncio.run's shutdown: fold", BOTH},
    {AW_ACT_SCROLL_DOWN, {'j', AW_VK_DOWN}, "j  Down", "scroll the tasks down", BOTH},
    {AW_ACT_SCROLL_UP, {'k', AW_VK_UP}, "k  Up", "scroll the tasks up", BOTH},
    {AW_ACT_PAGE_DOWN, {AW_VK_PAGE_DOWN}, "PgDn", "a page of lanes down", SDL},
    {AW_ACT_PAGE_UP, {AW_VK_PAGE_UP}, "PgUp", "a page of lanes up", SDL},
    {AW_ACT_RAW_LOG, {'r'}, "r", "event log: sentences / raw", TUI},
    {AW_ACT_AXIS, {'a'}, "a", "axis: virtual time / steps", SDL},
    {AW_ACT_FIT, {'f'}, "f", "fit the whole trace in view", SDL},
    {AW_ACT_HELP, {'?'}, "?", "this help (a key closes it)", BOTH},
    {AW_ACT_CLOSE, {AW_VK_ESCAPE}, "Esc", "close the help or a prompt", BOTH},
    {AW_ACT_QUIT, {'q', 'Q', AW_VK_CTRL_C}, "q", "quit", BOTH},
};

size_t aw_view_binding_count(void) { return sizeof bindings / sizeof bindings[0]; }

const aw_view_binding *aw_view_binding_at(size_t i) { return i < aw_view_binding_count() ? &bindings[i] : 0; }

aw_view_action aw_view_action_of(int key, unsigned viewer)
{
    for (size_t i = 0; i < aw_view_binding_count(); i++) {
        if (!(bindings[i].viewers & viewer)) continue;
        for (int k = 0; k < AW_VIEW_KEYS_MAX && bindings[i].keys[k]; k++)
            if (bindings[i].keys[k] == key) return bindings[i].action;
    }
    return AW_ACT_NONE;
}

int aw_view_quiz_choice(int key) { return key >= '1' && key <= '9' ? key - '1' : -1; }
