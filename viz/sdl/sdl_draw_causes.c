/* sdl_draw_causes.c — who woke whom, drawn over the lanes: an arrow from each cause to the task
 * it wakes or hits (aw_model_cause): from the cause event's place on the cause task's lane, or
 * from the axis (the loop itself: a timer) when no task caused it, to the effect task's lane at
 * the effect step.  The current step's arrow and those of the few steps before it that had a
 * cause, fading with age, so the picture is never cluttered.  And late timers: a bracket on the
 * timer's lane from where it was due to where it ran, labelled with the delay. */
#include <math.h>
#include <stdio.h>

#include "sdl_viewer.h"

#define ARROWS 4          /* the current step's and the last few */
#define LOOKBACK 400      /* steps searched back for them */

/* A line `th` pixels thick from (x0, y0) to (x1, y1), with a head at (x1, y1). */
static void arrow(view *v, double x0, double y0, double x1, double y1, SDL_Color c, int th)
{
    double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
    if (len < 1) return;
    double ux = dx / len, uy = dy / len, nx = -uy, ny = ux;
    double head = 4.0 + 2.0 * th, hw = 2.0 + 1.5 * th;
    double bx = x1 - ux * head, by = y1 - uy * head; /* where the head starts */


    SDL_Color col = c;
    float t = (float)th / 2.f;
    SDL_Vertex q[6] = {
        {{(float)(x0 + nx * t), (float)(y0 + ny * t)}, col, {0, 0}},
        {{(float)(x0 - nx * t), (float)(y0 - ny * t)}, col, {0, 0}},
        {{(float)(bx + nx * t), (float)(by + ny * t)}, col, {0, 0}},
        {{(float)(bx - nx * t), (float)(by - ny * t)}, col, {0, 0}},
    };
    int idx[6] = {0, 1, 2, 1, 3, 2};
    SDL_SetRenderDrawBlendMode(v->r, SDL_BLENDMODE_NONE);
    SDL_RenderGeometry(v->r, NULL, q, 4, idx, 6);
    SDL_Vertex h[3] = {
        {{(float)x1, (float)y1}, col, {0, 0}},
        {{(float)(bx + nx * hw), (float)(by + ny * hw)}, col, {0, 0}},
        {{(float)(bx - nx * hw), (float)(by - ny * hw)}, col, {0, 0}},
    };
    SDL_RenderGeometry(v->r, NULL, h, 3, NULL, 0);
}

/* The y of a task's lane centre, or of the loop (the axis's foot) for task 0; -1: not in view. */
static int lane_y(const view *v, int64_t task)
{
    if (!task) return v->L.axis.y + v->L.axis.h - 3;
    size_t lane = view_lane_of(v, task);
    if (lane == (size_t)-1) return -1;
    SDL_Rect r = lane_rect(v, lane);
    return r.h > 0 ? r.y + r.h / 2 : -1;
}

static void late_timers(view *v, cJSON *lj)
{
    const vlayout *L = &v->L;
    SDL_Color c = pal(COL_WARN);
    /* the last few at or before the step (the latest labelled), so a long trace is not covered */
    size_t end = 0;
    while (end < v->nlate && v->late[end] <= v->step) end++;
    for (size_t i = end > 3 ? end - 3 : 0; i < end; i++) {
        int64_t s = v->late[i], held;
        if (v->folded && s > v->shutdown) continue;
        int64_t late = aw_model_timer_late(v->m, s, &held), t = aw_model_step_time(v->m, s);
        int64_t due_pos;
        if (v->axis == AW_MODEL_AXIS_TIME) {
            due_pos = t - late;
        } else { /* the last step whose clock was not past the deadline */
            due_pos = aw_model_find_time(v->m, t - late + 1) - 1;
            if (held > 0 && held < due_pos) due_pos = held;
        }
        double x0 = view_x_of(v, due_pos), x1 = view_x_of(v, view_step_pos(v, s));
        if (x1 < L->track.x || x0 > L->track.x + L->track.w) continue;
        /* on the lane of the task the timer serves (its mark's), else on the axis */
        int y = L->axis.y + L->axis.h - 4;
        for (size_t k = 0; k < v->nmarks; k++)
            if (v->marks[k].step == s && v->marks[k].kind == MARK_TIMER && v->marks[k].lane >= 0) {
                SDL_Rect r = lane_rect(v, (size_t)v->marks[k].lane);
                if (r.h > 0) y = r.y - 2;
                break;
            }
        SDL_Color cc = c;
        int a = (int)x0, b = (int)x1;
        fill_rect(v, (SDL_Rect){a, y, b - a + 1, 2}, cc);
        fill_rect(v, (SDL_Rect){a, y - 4, 2, 8}, cc);
        fill_rect(v, (SDL_Rect){b - 1, y - 4, 2, 8}, cc);
        char d[48], buf[96];
        snprintf(buf, sizeof buf, "timer %s s late", aw_model_format_time(late, d, sizeof d));
        int w = text_width(v, FONT_SMALL, buf);
        int tx = (a + b) / 2 - w / 2;
        if (tx + w > L->track.x + L->track.w) tx = L->track.x + L->track.w - w;
        if (tx < L->track.x) tx = L->track.x;
        if (i + 1 == end) text_draw(v, FONT_SMALL, pal(COL_TEXT), tx, y - v->font_h[FONT_SMALL] - 1, buf, 0);
        if (lj) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "step", (double)s);
            cJSON_AddNumberToObject(o, "late_ns", (double)late);
            cJSON_AddNumberToObject(o, "x_due", a);
            cJSON_AddNumberToObject(o, "x_ran", b);
            cJSON_AddNumberToObject(o, "y", y);
            cJSON_AddItemToArray(lj, o);
        }
    }
}

void draw_arrows(view *v)
{
    const vlayout *L = &v->L;
    cJSON *aj = NULL, *lj = NULL;
    if (v->layout) {
        cJSON *tl = cJSON_GetObjectItem(v->layout, "timeline");
        aj = cJSON_AddArrayToObject(tl ? tl : v->layout, "arrows");
        lj = cJSON_AddArrayToObject(tl ? tl : v->layout, "late_timers");
    }
    late_timers(v, lj);
    SDL_Rect clip = {L->track.x - 8, L->axis.y, L->track.w + 16, L->axis.h + L->track.h};
    SDL_RenderSetClipRect(v->r, &clip);
    /* Found newest first, drawn oldest first: the current step's arrow lies on top of the
     * fading older ones that may cross it. */
    struct found {
        int64_t cause, step, ct, et;
    } f[ARROWS];
    int n = 0;
    int64_t low = v->step - LOOKBACK;
    for (int64_t s = v->step; s >= 1 && s > low && n < ARROWS; s--) {
        int64_t ct = 0, et = 0, c = aw_model_cause(v->m, s, &ct, &et);
        if (c <= 0 || !et || et == ct) continue; /* a task's own doings need no arrow */
        if (v->folded && s > v->shutdown) continue;
        bool again = false; /* one arrow per cause: its latest effect */
        for (int k = 0; k < n; k++) again = again || f[k].cause == c;
        if (again || lane_y(v, ct) < 0 || lane_y(v, et) < 0) continue;
        f[n++] = (struct found){c, s, ct, et};
    }
    for (int k = n - 1; k >= 0; k--) {
        int y0 = lane_y(v, f[k].ct), y1 = lane_y(v, f[k].et);
        double x0 = view_x_of(v, view_step_pos(v, f[k].cause)), x1 = view_x_of(v, view_step_pos(v, f[k].step));
        bool current = k == 0 && f[k].step == v->step;
        /* the newest in full colour, the older ones fading into the background */
        double alpha = current ? 1.0 : 0.75 - 0.15 * k;
        SDL_Color col = pal_mix(pal_arrow(), pal(COL_BG), alpha);
        arrow(v, x0, y0, x1, y1, col, current ? 3 : 2);
        if (aj) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "cause_step", (double)f[k].cause);
            cJSON_AddNumberToObject(o, "effect_step", (double)f[k].step);
            cJSON_AddNumberToObject(o, "cause_task", (double)f[k].ct);
            cJSON_AddNumberToObject(o, "effect_task", (double)f[k].et);
            cJSON_AddItemToObject(o, "from", cJSON_CreateIntArray((int[]){(int)x0, y0}, 2));
            cJSON_AddItemToObject(o, "to", cJSON_CreateIntArray((int[]){(int)x1, y1}, 2));
            int rgb[3] = {col.r, col.g, col.b};
            cJSON_AddItemToObject(o, "rgb", cJSON_CreateIntArray(rgb, 3));
            cJSON_AddItemToArray(aj, o);
        }
    }
    SDL_RenderSetClipRect(v->r, NULL);
}
