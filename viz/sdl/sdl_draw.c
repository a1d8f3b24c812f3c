/* sdl_draw.c — one frame: the background, each part in turn, the overlays last.  Drawing never
 * changes the view (except its caches), so the same view draws the same pixels: the screenshot
 * tests rely on it. */
#include <stdio.h>

#include "sdl_viewer.h"

/* Opaque fills do not blend: blending costs the software renderer a read and a multiply per
 * pixel, and most of a frame is opaque rectangles. */
void fill_rect(view *v, SDL_Rect r, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(v->r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(v->r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(v->r, &r);
}

void draw_title(view *v)
{
    const vlayout *L = &v->L;
    fill_rect(v, L->title, pal(COL_TITLE_BG));
    SDL_Color fg = pal(COL_TITLE_FG);
    int y = (L->title.h - v->font_h[FONT_BOLD]) / 2, x = 10;
    const aw_trace_header *h = aw_model_header(v->m);
    const char *name = v->src.title ? v->src.title : h && h->program ? h->program : aw_model_name(v->m);
    x += text_draw(v, FONT_BOLD, fg, x, y, name, v->w / 3) + 18;

    char t[48], buf[200];
    view_time(v, aw_model_state_time(v->st), true, t, sizeof t);
    snprintf(buf, sizeof buf, "step %lld / %lld    iteration %lld    clock %s s", (long long)v->step,
             (long long)v->count, (long long)aw_model_state_iter(v->st), t);
    x += text_draw(v, FONT_SANS, fg, x, y, buf, 0) + 18;
    if (*aw_model_warning(v->m))
        x += text_draw(v, FONT_SANS, pal(COL_WARN), x, y, aw_model_truncated(v->m) ? "(truncated trace)" : "(unfinished trace)", 0);
    (void)x;

    SDL_Color c = fg;
    if (v->prompt) { /* what is being typed, with a cursor */
        snprintf(buf, sizeof buf, "%s%s_", prompt_label(v), v->prompt_buf);
        c = pal(COL_HILITE);
    } else if (v->status[0]) {
        snprintf(buf, sizeof buf, "%s", v->status);
        c = pal(COL_WARN);
    } else if (v->quiz) {
        snprintf(buf, sizeof buf, "quiz: %d of %d right   ? keys   q quit", v->score, v->asked);
    } else if (v->playing) {
        snprintf(buf, sizeof buf, "playing, %d events/s  (space: pause, +/-: speed)", v->speed);
    } else {
        snprintf(buf, sizeof buf, "paused   ? keys   q quit");
    }
    int w = text_width(v, FONT_SANS, buf), room = v->w - x - 10;
    text_draw(v, FONT_SANS, c, w < room ? v->w - w - 10 : x, y, buf, room > 0 ? room : 1);
}

void view_draw(view *v)
{
    SDL_Color bg = pal(COL_BG);
    SDL_SetRenderDrawColor(v->r, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(v->r);
    lanes_update(v);
    draw_timeline(v);
    draw_code(v);
    draw_output(v);
    if (v->quiz && (v->quiz_step || v->step >= v->count)) {
        draw_quiz(v);
    } else {
        draw_state(v);
        draw_narrative(v);
    }
    draw_explain(v);
    draw_legend(v);
    draw_title(v);
    if (v->mouse_in && !v->help) draw_tooltip(v);
    if (v->help) draw_help(v);
    v->frame++;
    text_cache_age(v);
}
