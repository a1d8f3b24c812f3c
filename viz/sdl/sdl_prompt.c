/* sdl_prompt.c — the one-line prompts of the terminal viewer's `t` (jump to a time, in seconds)
 * and `/` (search the events; Enter on an empty line searches again), typed in the title bar,
 * and the short messages ("this is the last event") shown there until the next key. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdl_viewer.h"

void view_say(view *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->status, sizeof v->status, fmt, ap);
    va_end(ap);
}

void prompt_open(view *v, char which)
{
    v->prompt = which;
    v->prompt_buf[0] = '\0';
}

const char *prompt_label(const view *v)
{
    return v->prompt == 't' ? "Jump to time (seconds): " : v->prompt == '/' ? "Search events (Enter: again): " : "";
}

static void jump_to_time(view *v, const char *in)
{
    char *end;
    double s = strtod(in, &end);
    while (*end == ' ') end++;
    if (*end == 's') end++;
    if (end == in || *end || !isfinite(s) || s < 0 || s > 9.2e9) {
        view_say(v, "not a time: '%s' (write seconds, e.g. 1.5)", in);
        return;
    }
    int64_t ns = v->t0 + (int64_t)llround(s * 1e9); /* seconds since the first event, as shown */
    view_set_step(v, aw_model_find_time(v->m, ns));
    if (ns > aw_model_end_time(v->m)) view_say(v, "the trace ends before that: this is its last event");
}

static void search(view *v, const char *in)
{
    if (in[0]) snprintf(v->search, sizeof v->search, "%s", in);
    if (!v->search[0]) return;
    int64_t hit = aw_model_search(v->m, v->step, true, v->search);
    if (hit < 0) {
        view_say(v, "not found: %s", v->search);
        return;
    }
    if (hit <= v->step) view_say(v, "search wrapped around to the start");
    view_set_step(v, hit);
}

bool prompt_key(view *v, SDL_Keycode key)
{
    if (!v->prompt) return false;
    size_t len = strlen(v->prompt_buf);
    switch (key) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER: {
        char which = v->prompt, in[sizeof v->prompt_buf];
        memcpy(in, v->prompt_buf, sizeof in);
        v->prompt = 0;
        if (which == 't' && in[0]) jump_to_time(v, in);
        if (which == '/') search(v, in);
        break;
    }
    case SDLK_ESCAPE: v->prompt = 0; break;
    case SDLK_BACKSPACE:
        while (len > 0) { /* a whole UTF-8 character */
            len--;
            if (((unsigned char)v->prompt_buf[len] & 0xC0) != 0x80) break;
        }
        v->prompt_buf[len] = '\0';
        break;
    default: break;
    }
    return true;
}

bool prompt_char(view *v, char c)
{
    if (!v->prompt) return false;
    size_t len = strlen(v->prompt_buf);
    if ((unsigned char)c >= 32 && c != 127 && len + 1 < sizeof v->prompt_buf) {
        v->prompt_buf[len] = c;
        v->prompt_buf[len + 1] = '\0';
    }
    return true;
}
