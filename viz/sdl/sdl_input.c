/* sdl_input.c — keys and mouse, as changes of the view.  The keys are the terminal viewer's.
 * Characters come from SDL's text input rather than key codes, so '?', '+', ']' and 'G' work
 * whatever the keyboard layout; keys that type nothing (arrows, Home, End, Esc) come as key
 * codes. */
#include "sdl_viewer.h"
#include "view_keys.h"

#define MAX_SPEED 16384

static void step_to(view *v, int64_t s)
{
    if (s >= 0) view_set_step(v, s);
}

static void next(view *v)
{
    if (v->step >= v->count && !v->quiz_step) view_say(v, "this is the last event");
    view_forward(v, v->step + 1);
}

static void rescale(view *v, double by)
{
    double s = (v->scale_user > 0 ? v->scale_user : 1) * by;
    if (s < 0.5 || s > 4) return;
    v->scale_user = s;
    if (!fonts_rescale(v)) view_say(v, "cannot open the fonts at that size");
    view_layout(v);
}

static void prev(view *v)
{
    if (v->step == 0) view_say(v, "this is the start");
    step_to(v, v->step - 1);
}

static void scroll_lanes(view *v, int64_t by)
{
    int64_t s = (int64_t)v->lane_scroll + by;
    v->lane_scroll = s < 0 ? 0 : (size_t)s;
    view_layout(v); /* clamps it */
}

/* SDL's codes for the keys that type nothing, as the shared table spells them (view_keys.h);
 * 0: a key the table does not name (printable keys come through view_char). */
static int sdl_key(SDL_Keycode key)
{
    switch (key) {
    case SDLK_RIGHT: return AW_VK_RIGHT;
    case SDLK_LEFT: return AW_VK_LEFT;
    case SDLK_UP: return AW_VK_UP;
    case SDLK_DOWN: return AW_VK_DOWN;
    case SDLK_HOME: return AW_VK_HOME;
    case SDLK_END: return AW_VK_END;
    case SDLK_PAGEUP: return AW_VK_PAGE_UP;
    case SDLK_PAGEDOWN: return AW_VK_PAGE_DOWN;
    case SDLK_ESCAPE: return AW_VK_ESCAPE;
    default: return 0;
    }
}

/* One action of the shared key table; c: the character typed, for the actions whose direction
 * it tells (o / O). */
static void do_action(view *v, aw_view_action a, char c)
{
    switch (a) {
    case AW_ACT_NEXT: next(v); break;
    case AW_ACT_PREV: prev(v); break;
    case AW_ACT_NEXT_ITER: view_forward(v, aw_model_next_iteration(v->m, v->step)); break;
    case AW_ACT_PREV_ITER: step_to(v, aw_model_prev_iteration(v->m, v->step)); break;
    case AW_ACT_NEXT_OUTPUT:
    case AW_ACT_PREV_OUTPUT: {
        bool fwd = a == AW_ACT_NEXT_OUTPUT;
        int64_t s = fwd ? aw_model_next_output(v->m, v->step) : aw_model_prev_output(v->m, v->step);
        if (s < 0) view_say(v, fwd ? "no more output after this" : "no output before this");
        else if (fwd) view_forward(v, s);
        else step_to(v, s);
        break;
    }
    case AW_ACT_TIME:
    case AW_ACT_SEARCH: prompt_open(v, c); break;
    case AW_ACT_C_PORT:
        if (v->nc) {
            v->show_c = !v->show_c;
            view_layout(v);
        } else {
            view_say(v, "only one source to show for this trace");
        }
        break;
    case AW_ACT_SCROLL_DOWN: scroll_lanes(v, 1); break;
    case AW_ACT_SCROLL_UP: scroll_lanes(v, -1); break;
    case AW_ACT_PAGE_DOWN: scroll_lanes(v, (int64_t)v->L.lanes_fit); break;
    case AW_ACT_PAGE_UP: scroll_lanes(v, -(int64_t)v->L.lanes_fit); break;
    case AW_ACT_START: step_to(v, 0); break;
    case AW_ACT_END: view_forward(v, v->count); break;
    case AW_ACT_SHUTDOWN:
        if (v->shutdown) view_set_folded(v, !v->folded);
        else view_say(v, "no asyncio.run shutdown in this trace");
        break;
    case AW_ACT_PLAY:
        v->playing = !v->playing;
        v->play_acc = 0;
        if (v->playing && v->step >= v->count) view_set_step(v, 0); /* play again from the start */
        break;
    case AW_ACT_FASTER:
        if (v->speed < MAX_SPEED) v->speed *= 2;
        break;
    case AW_ACT_SLOWER:
        if (v->speed > 1) v->speed /= 2;
        break;
    case AW_ACT_HELP: v->help = true; break;
    case AW_ACT_CLOSE: v->help = false; break;
    case AW_ACT_AXIS: view_set_axis(v, v->axis == AW_MODEL_AXIS_TIME ? AW_MODEL_AXIS_STEP : AW_MODEL_AXIS_TIME); break;
    case AW_ACT_FIT: view_fit(v); break;
    case AW_ACT_QUIT: v->quit = true; break;
    default: break;
    }
}

void view_key(view *v, SDL_Keycode key)
{
    view_key_mod(v, key, 0);
}

void view_key_mod(view *v, SDL_Keycode key, Uint16 mod)
{
    v->status[0] = '\0';
    if (prompt_key(v, key)) return;
    /* With help open, a key only closes it, as in the terminal (printable keys: view_char). */
    if (v->help && (key < 32 || key >= 127)) {
        v->help = false;
        return;
    }
    if (mod & KMOD_CTRL) { /* ctrl+plus and ctrl+minus: text size (the text input sees no '+') */
        if (key == SDLK_PLUS || key == SDLK_EQUALS || key == SDLK_KP_PLUS) rescale(v, 1.25);
        else if (key == SDLK_MINUS || key == SDLK_KP_MINUS) rescale(v, 0.8);
        else if (key == SDLK_0 || key == SDLK_KP_0) rescale(v, 1 / (v->scale_user > 0 ? v->scale_user : 1));
        return;
    }
    int k = sdl_key(key);
    if (k) do_action(v, aw_view_action_of(k, AW_VIEWER_SDL), 0);
}

void view_char(view *v, char c)
{
    if (prompt_char(v, c)) return;
    v->status[0] = '\0';
    if (v->help && aw_view_action_of((unsigned char)c, AW_VIEWER_SDL) != AW_ACT_QUIT) {
        v->help = false; /* any key closes the help and does nothing else, as in the terminal */
        return;
    }
    int choice = aw_view_quiz_choice(c);
    if (choice >= 0 && choice < 8) {
        if (v->quiz_step) quiz_answer(v, choice);
        return;
    }
    do_action(v, aw_view_action_of((unsigned char)c, AW_VIEWER_SDL), c);
}

void view_play_tick(view *v, double dt)
{
    if (!v->playing) return;
    v->play_acc += dt * v->speed;
    int64_t k = (int64_t)v->play_acc;
    if (k <= 0) return;
    v->play_acc -= (double)k;
    view_forward(v, v->step + k);
    if (v->step >= v->count) v->playing = false;
}

static bool in_rect(int x, int y, SDL_Rect r) { return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h; }

void view_mouse(view *v, const SDL_Event *e)
{
    const vlayout *L = &v->L;
    SDL_Rect timeline = {L->track.x, L->axis.y, L->track.w, L->axis.h + L->track.h};
    switch (e->type) {
    case SDL_MOUSEMOTION:
        v->mx = e->motion.x, v->my = e->motion.y, v->mouse_in = true;
        if (v->dragging) {
            int dx = v->mx - v->drag_x;
            if (dx > 3 || dx < -3) v->drag_moved = true;
            if (v->drag_moved) {
                int64_t shift = (int64_t)((double)-dx * (double)(v->drag_v1 - v->drag_v0) / (L->track.w ? L->track.w : 1));
                view_pan_to(v, v->drag_v0 + shift, v->drag_v1 + shift);
            }
        }
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT && v->quiz_step && v->quiz_pick < 0) {
            for (size_t i = 0; i < v->q.n_choices && i < AW_MODEL_QUIZ_CHOICES; i++)
                if (in_rect(e->button.x, e->button.y, v->choice_rect[i])) quiz_answer(v, (int)i);
        }
        if (e->button.button == SDL_BUTTON_LEFT && in_rect(e->button.x, e->button.y, timeline)) {
            v->dragging = true, v->drag_moved = false;
            v->drag_x = e->button.x, v->drag_v0 = v->v0, v->drag_v1 = v->v1;
        }
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT && v->dragging) {
            if (!v->drag_moved) { /* a click seeks (in a quiz, not past the question) */
                int64_t s = view_step_at_x(v, e->button.x);
                if (s > v->step) view_forward(v, s);
                else view_set_step(v, s);
            }
            v->dragging = false;
        }
        break;
    case SDL_MOUSEWHEEL: {
        int y = e->wheel.y, x = e->wheel.x;
        if (e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED) y = -y, x = -x;
        if (in_rect(v->mx, v->my, L->labels)) { /* over the names: scroll the lanes */
            scroll_lanes(v, -3 * (int64_t)y);
        } else if (in_rect(v->mx, v->my, timeline)) {
            if (y) view_zoom(v, y > 0 ? 0.8 : 1.25, v->mx); /* wheel up zooms in, around the mouse */
            if (x) {
                int64_t shift = (v->v1 - v->v0) / 10 * x;
                view_pan_to(v, v->v0 + shift, v->v1 + shift);
            }
        }
        break;
    }
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_LEAVE) v->mouse_in = false;
        break;
    default: break;
    }
}
