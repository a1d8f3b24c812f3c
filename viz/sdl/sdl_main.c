/* sdl_main.c — the viewer's entry point (aw_view_run): a screenshot (sdl_shot.c) or a window,
 * whose loop reads input, advances playback and redraws only when something changed; and the
 * frame-time benchmark both modes share.
 *
 * Frame pacing: the renderer asks for vsync; where there is none (a virtual X server, a software
 * renderer) the loop sleeps to the next 1/60 s itself.  When nothing moves, it waits for input
 * instead of drawing the same frame again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdl_viewer.h"

#define FRAME_S (1.0 / 60.0)

int view_open(view *v, const aw_model *m, const aw_view_source *src, SDL_Renderer *r, int w, int h,
              const aw_view_options *o, int64_t at)
{
    memset(v, 0, sizeof *v);
    v->r = r;
    v->w = w, v->h = h;
    v->scale_user = o->scale > 0 ? o->scale : 1;
    v->quiz = o->quiz;
    if (!view_data_init(v, m, src) || !(v->tc = text_cache_new())) {
        fprintf(stderr, "awaitlab view: out of memory\n");
        return AW_VIEW_SDL;
    }
    int rc = fonts_open(v);
    if (rc != AW_VIEW_OK) return rc;
    if (o->expand_shutdown) view_set_folded(v, false);
    if (o->axis == AW_VIEW_AXIS_TIME) view_set_axis(v, AW_MODEL_AXIS_TIME);
    if (o->axis == AW_VIEW_AXIS_STEP) view_set_axis(v, AW_MODEL_AXIS_STEP);
    view_layout(v);
    /* a step inside the folded shutdown shows it unfolded: it was asked for */
    if (v->folded && at >= v->shutdown && at < v->count) view_set_folded(v, false);
    if (v->quiz) view_forward(v, at); /* a quiz stops at the first question on the way */
    else view_set_step(v, at);
    return AW_VIEW_OK;
}

void view_close(view *v)
{
    marks_free_textures(v);
    layer_free(v);
    text_cache_free(v->tc); /* textures first: they belong to the renderer */
    v->tc = NULL;
    fonts_close(v);
    view_data_free(v);
    cJSON_Delete(v->layout);
    v->layout = NULL;
}

void view_resize(view *v, int w, int h)
{
    v->w = w, v->h = h;
    fonts_rescale(v); /* text scales with the window */
    view_layout(v);
}

static double now_s(void) { return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency(); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void view_bench(view *v, int frames, const char *what)
{
    double *draw = malloc((size_t)frames * sizeof *draw), *total = malloc((size_t)frames * sizeof *total);
    if (!draw || !total) {
        free(draw);
        free(total);
        return;
    }
    int64_t span = v->a1 - v->a0;
    for (int i = 0; i < frames; i++) {
        /* playback through the whole trace while zooming in and out around the playhead: every
         * frame seeks, rebuilds every visible lane and redraws every mark in the window */
        double t0 = now_s();
        view_set_step(v, v->count * (int64_t)i / (frames > 1 ? frames - 1 : 1));
        int64_t p = view_step_pos(v, v->step), w = span >> (i % 6);
        if (w < 1000) w = 1000;
        view_pan_to(v, p - w / 2, p - w / 2 + w);
        view_draw(v);
        SDL_RenderFlush(v->r);
        double t1 = now_s();
        SDL_RenderPresent(v->r);
        double t2 = now_s();
        draw[i] = (t1 - t0) * 1e3;
        total[i] = (t2 - t0) * 1e3;
    }
    double sum = 0, tsum = 0;
    for (int i = 0; i < frames; i++) sum += draw[i], tsum += total[i];
    qsort(draw, (size_t)frames, sizeof *draw, cmp_double);
    qsort(total, (size_t)frames, sizeof *total, cmp_double);
    int w, h;
    SDL_GetRendererOutputSize(v->r, &w, &h);
    SDL_RendererInfo info;
    SDL_GetRendererInfo(v->r, &info);
    printf("frames: %d at %dx%d, %lld events, %zu lanes, %zu marks (%s, renderer %s)\n", frames, w, h,
           (long long)v->count, v->nlanes, v->nmarks, what, info.name);
    printf("draw ms: mean %.2f  median %.2f  p95 %.2f  max %.2f\n", sum / frames, draw[frames / 2],
           draw[frames * 95 / 100], draw[frames - 1]);
    printf("frame ms (with present): mean %.2f  median %.2f  p95 %.2f  max %.2f\n", tsum / frames, total[frames / 2],
           total[frames * 95 / 100], total[frames - 1]);
    free(draw);
    free(total);
}

/* AWAITLAB_VIEW_SHOTS: every frame the window draws, for the real-window tests.  Written under a
 * temporary name and renamed, so a reader never sees half a file; the JSON goes last, so its
 * presence means both are complete. */
static void save_shot(view *v, const char *dir, int *n)
{
    char png[1024], json[1024], tmp[1040];
    snprintf(png, sizeof png, "%s/frame-%04d.png", dir, *n);
    snprintf(json, sizeof json, "%s/frame-%04d.json", dir, *n);
    snprintf(tmp, sizeof tmp, "%s.tmp", png);
    char tmpj[1040];
    snprintf(tmpj, sizeof tmpj, "%s.tmp", json);
    if (shot_frame(v, tmp, tmpj) == AW_VIEW_OK) {
        rename(tmp, png);
        rename(tmpj, json);
    }
    (*n)++;
}

static bool handle(view *v, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT: v->quit = true; return true;
    case SDL_KEYDOWN: view_key_mod(v, e->key.keysym.sym, e->key.keysym.mod); return true;
    case SDL_TEXTINPUT: /* a prompt takes any text; commands are ASCII */
        if (SDL_GetModState() & KMOD_CTRL) return false; /* ctrl+plus is the text size, not '+' */
        for (const char *c = e->text.text; *c; c++)
            if (v->prompt || (unsigned char)*c < 128) view_char(v, *c);
        return true;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            int w, h;
            SDL_GetRendererOutputSize(v->r, &w, &h);
            view_resize(v, w, h);
        }
        view_mouse(v, e);
        return e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED || e->window.event == SDL_WINDOWEVENT_EXPOSED ||
               e->window.event == SDL_WINDOWEVENT_LEAVE;
    case SDL_MOUSEMOTION:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEWHEEL: view_mouse(v, e); return true;
    default: return false;
    }
}

static int window_run(const aw_model *m, const aw_view_source *src, const aw_view_options *o)
{
    int w = o->width > 0 ? o->width : 1280, h = o->height > 0 ? o->height : 720;
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "awaitlab view: cannot open a window: %s\n"
                        "awaitlab view: (no display? `--screenshot FILE.png` renders without one)\n",
                SDL_GetError());
        SDL_Quit();
        return AW_VIEW_SDL;
    }
    /* With no display SDL falls back to its offscreen driver: a window nobody can see, waiting
     * for keys nobody can press.  Refuse instead (a benchmark ends by itself: it may run there). */
    const char *drv = SDL_GetCurrentVideoDriver();
    if (drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy")) && o->bench_frames <= 0) {
        fprintf(stderr, "awaitlab view: cannot open a window: no display (SDL's video driver is '%s')\n"
                        "awaitlab view: `--screenshot FILE.png` renders without one\n", drv);
        TTF_Quit();
        SDL_Quit();
        return AW_VIEW_SDL;
    }
    char title[300];
    const aw_trace_header *hd = aw_model_header(m);
    snprintf(title, sizeof title, "awaitlab view - %s",
             src && src->title ? src->title : hd && hd->program ? hd->program : aw_model_name(m));
    SDL_Window *win = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h,
                                       SDL_WINDOW_RESIZABLE);
    SDL_Renderer *r = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC) : NULL;
    if (win && !r) r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE); /* no GPU: still works */
    int rc = AW_VIEW_SDL;
    view v = {0};
    if (!r) {
        fprintf(stderr, "awaitlab view: cannot open a window: %s\n", SDL_GetError());
        goto out;
    }
    SDL_SetWindowMinimumSize(win, 480, 320);
    SDL_GetRendererOutputSize(r, &w, &h);
    rc = view_open(&v, m, src, r, w, h, o, o->at >= 0 ? o->at : 0);
    if (rc != AW_VIEW_OK) goto out;
    if (o->bench_frames > 0) {
        view_bench(&v, o->bench_frames, "window");
        goto out;
    }
    const char *shots = getenv("AWAITLAB_VIEW_SHOTS");
    if (shots && !*shots) shots = NULL;
    int nshot = 0;
    bool dirty = true;
    double last = now_s();
    SDL_StartTextInput();
    while (!v.quit) {
        SDL_Event e;
        /* wait for input when nothing moves; only poll while playing */
        if (SDL_WaitEventTimeout(&e, v.playing || dirty ? 1 : 250)) {
            do {
                if (handle(&v, &e)) dirty = true;
            } while (!v.quit && SDL_PollEvent(&e));
        }
        double t = now_s();
        if (v.playing) {
            int64_t before = v.step;
            view_play_tick(&v, t - last);
            if (v.step != before || !v.playing) dirty = true;
        }
        last = t;
        if (!dirty || v.quit) continue;
        if (shots) save_shot(&v, shots, &nshot); /* draws the frame too */
        else view_draw(&v);
        SDL_RenderPresent(r);
        dirty = false;
        double spent = now_s() - t; /* no vsync here? then do not spin faster than 60 frames/s */
        if (v.playing && spent < FRAME_S) SDL_Delay((Uint32)((FRAME_S - spent) * 1000));
    }
    rc = AW_VIEW_OK;
out:
    view_close(&v);
    if (r) SDL_DestroyRenderer(r);
    if (win) SDL_DestroyWindow(win);
    TTF_Quit();
    SDL_Quit();
    return rc;
}

int aw_view_run(const aw_model *m, const aw_view_source *src, const aw_view_options *o)
{
    aw_view_options def = {0};
    def.at = -1;
    if (!o) o = &def;
    return o->screenshot ? shot_run(m, src, o) : window_run(m, src, o);
}
