/* sdl_shot.c — frames without a display: SDL's software renderer drawing into a plain surface
 * (no video subsystem, no window, no driver), so the pixels are the same on every machine and
 * in every environment (../shared/toolchain-notes.md §2: the accelerated renderers differ).
 * The frame is saved with viz/export/png_file.c (libpng); its geometry, when asked, as JSON. */
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "png_file.h"
#include "safe_file.h"
#include "sdl_viewer.h"

SDL_Surface *shot_surface(int w, int h)
{
    /* RGBA32 is R,G,B,A in memory on any byte order: what the PNG writer takes */
    return SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
}

int shot_write_png(view *v, const char *path)
{
    int w, h;
    if (SDL_GetRendererOutputSize(v->r, &w, &h) != 0) {
        fprintf(stderr, "awaitlab view: %s\n", SDL_GetError());
        return AW_VIEW_SDL;
    }
    uint8_t *px = malloc((size_t)w * (size_t)h * 4);
    if (!px) {
        fprintf(stderr, "awaitlab view: out of memory for a %dx%d image\n", w, h);
        return AW_VIEW_WRITE;
    }
    /* also flushes the renderer's batched drawing */
    if (SDL_RenderReadPixels(v->r, NULL, SDL_PIXELFORMAT_RGBA32, px, w * 4) != 0) {
        fprintf(stderr, "awaitlab view: cannot read the frame's pixels: %s\n", SDL_GetError());
        free(px);
        return AW_VIEW_SDL;
    }
    char err[512];
    bool ok = aw_png_write(path, px, w, h, (size_t)w * 4, err, sizeof err);
    free(px);
    if (!ok) {
        fprintf(stderr, "awaitlab view: %s\n", err);
        return AW_VIEW_WRITE;
    }
    return AW_VIEW_OK;
}

/* Starts recording the next frame's geometry (see sdl_draw_timeline.c). */
static void layout_begin(view *v)
{
    cJSON_Delete(v->layout);
    v->layout = cJSON_CreateObject();
    cJSON_AddNumberToObject(v->layout, "width", v->w);
    cJSON_AddNumberToObject(v->layout, "height", v->h);
    cJSON_AddNumberToObject(v->layout, "step", (double)v->step);
    cJSON_AddNumberToObject(v->layout, "count", (double)v->count);
    cJSON_AddNumberToObject(v->layout, "time_ns", (double)(aw_model_state_time(v->st) - v->t0));
    cJSON_AddBoolToObject(v->layout, "help", v->help);
    cJSON_AddBoolToObject(v->layout, "playing", v->playing);
    cJSON_AddNumberToObject(v->layout, "speed", v->speed);
    cJSON_AddStringToObject(v->layout, "status", v->status);
    cJSON_AddStringToObject(v->layout, "prompt", v->prompt ? v->prompt_buf : "");
    cJSON_AddBoolToObject(v->layout, "c_port", v->show_c && v->nc);
    cJSON_AddBoolToObject(v->layout, "folded", v->folded);
    cJSON_AddNumberToObject(v->layout, "shutdown_step", (double)v->shutdown);
    cJSON_AddNumberToObject(v->layout, "scale", view_scale(v));
    cJSON *fj = cJSON_AddObjectToObject(v->layout, "fonts");
    static const char *fnames[FONT__N] = {"sans", "bold", "mono", "small"};
    for (int i = 0; i < FONT__N; i++) cJSON_AddNumberToObject(fj, fnames[i], v->font_px[i]);
    cJSON *tc = cJSON_AddArrayToObject(v->layout, "task_colours");
    for (size_t i = 0; i < v->nlanes_all; i++) {
        SDL_Color c = pal_task(i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "task", (double)v->lanes[i]);
        cJSON_AddItemToObject(o, "rgb", cJSON_CreateIntArray((int[]){c.r, c.g, c.b}, 3));
        cJSON_AddItemToArray(tc, o);
    }
    cJSON *pal_json = cJSON_AddObjectToObject(v->layout, "palette");
    for (int s = AW_MODEL_CREATED; s < AW_MODEL__STATES; s++) {
        SDL_Color c = pal_state((aw_model_task_state)s);
        int rgb[3] = {c.r, c.g, c.b};
        cJSON_AddItemToObject(pal_json, aw_model_state_name((aw_model_task_state)s), cJSON_CreateIntArray(rgb, 3));
    }
    SDL_Color bg = pal(COL_BG);
    int rgb[3] = {bg.r, bg.g, bg.b};
    cJSON_AddItemToObject(pal_json, "background", cJSON_CreateIntArray(rgb, 3));
}

int shot_write_layout(view *v, const char *path)
{
    char *text = v->layout ? cJSON_Print(v->layout) : NULL;
    cJSON_Delete(v->layout);
    v->layout = NULL;
    if (!text) {
        fprintf(stderr, "awaitlab view: out of memory for the layout\n");
        return AW_VIEW_WRITE;
    }
    aw_safe_file sf;
    bool ok = aw_safe_open(&sf, path);
    if (ok) {
        fputs(text, sf.f);
        fputc('\n', sf.f);
        ok = aw_safe_commit(&sf);
    }
    int saved = errno; /* aw_safe_open and aw_safe_commit leave the reason in errno */
    free(text);
    if (!ok) {
        fprintf(stderr, "awaitlab view: --layout-json: cannot write %s: %s\n", path, strerror(saved ? saved : EIO));
        return AW_VIEW_WRITE;
    }
    return AW_VIEW_OK;
}

/* Draws the current frame and saves it (and its layout when layout_path is set). */
int shot_frame(view *v, const char *png_path, const char *layout_path)
{
    if (layout_path) layout_begin(v);
    view_draw(v);
    int rc = shot_write_png(v, png_path);
    if (layout_path) {
        int rl = shot_write_layout(v, layout_path);
        if (rc == AW_VIEW_OK) rc = rl;
    }
    return rc;
}

int shot_run(const aw_model *m, const aw_view_source *src, const aw_view_options *o)
{
    int w = o->width > 0 ? o->width : 1280, h = o->height > 0 ? o->height : 720;
    if (SDL_Init(0) != 0 || TTF_Init() != 0) { /* no video: nothing here needs a display */
        fprintf(stderr, "awaitlab view: cannot start SDL: %s\n", SDL_GetError());
        return AW_VIEW_SDL;
    }
    int rc = AW_VIEW_SDL;
    view v = {0};
    SDL_Surface *surf = shot_surface(w, h);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!r) {
        fprintf(stderr, "awaitlab view: cannot make a %dx%d software renderer: %s\n", w, h, SDL_GetError());
        goto out;
    }
    rc = view_open(&v, m, src, r, w, h, o, o->at >= 0 ? o->at : aw_model_event_count(m));
    if (rc != AW_VIEW_OK) goto out;
    if (o->bench_frames > 0) {
        view_bench(&v, o->bench_frames, "software renderer on a surface, no display");
        view_set_step(&v, o->at >= 0 ? o->at : v.count); /* the frame saved is the one asked for */
        view_layout(&v);
        view_fit(&v);
    }
    rc = shot_frame(&v, o->screenshot, o->layout_json);
out:
    view_close(&v);
    if (r) SDL_DestroyRenderer(r);
    if (surf) SDL_FreeSurface(surf);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
