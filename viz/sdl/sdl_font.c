/* sdl_font.c — the viewer's fonts, found at run time (nothing is embedded in the binary):
 * DejaVu Sans (text), its bold (titles) and DejaVu Sans Mono (code) from fonts-dejavu-core, or
 * one font for everything from AWAITLAB_FONT.  A missing font is a clear message and exit
 * status, never a window with no text. */
#include <stdio.h>
#include <stdlib.h>

#include "sdl_viewer.h"

#define DEJAVU_DIR "/usr/share/fonts/truetype/dejavu/"

static const struct {
    const char *file;
    int size;
} faces[FONT__N] = {
    [FONT_SANS] = {"DejaVuSans.ttf", 14},
    [FONT_BOLD] = {"DejaVuSans-Bold.ttf", 14},
    [FONT_MONO] = {"DejaVuSansMono.ttf", 13},
    [FONT_SMALL] = {"DejaVuSans.ttf", 11},
};

double view_scale(const view *v)
{
    /* 1280 x 720 is 1; the smaller side decides, so text fits both ways */
    double sx = v->w / 1280.0, sy = v->h / 720.0, s = sx < sy ? sx : sy;
    if (s < 0.8) s = 0.8;
    if (s > 4) s = 4;
    double u = v->scale_user > 0 ? v->scale_user : 1;
    return s * u;
}

static int font_px(const view *v, int i)
{
    int px = (int)(faces[i].size * view_scale(v) + 0.5);
    return px < 7 ? 7 : px > 200 ? 200 : px;
}

static int open_all(view *v, TTF_Font **out, int *px)
{
    const char *over = getenv("AWAITLAB_FONT");
    if (over && !*over) over = NULL; /* empty counts as unset, as for every AWAITLAB_* variable */
    for (int i = 0; i < FONT__N; i++) {
        char path[512];
        if (over) snprintf(path, sizeof path, "%s", over);
        else snprintf(path, sizeof path, "%s%s", DEJAVU_DIR, faces[i].file);
        px[i] = font_px(v, i);
        out[i] = TTF_OpenFont(path, px[i]);
        if (!out[i]) {
            fprintf(stderr, "awaitlab view: cannot open the font %s (%s)\n", path, TTF_GetError());
            if (over) fprintf(stderr, "awaitlab view: AWAITLAB_FONT must name a TrueType font file\n");
            else fprintf(stderr, "awaitlab view: install the fonts with `apt-get install fonts-dejavu-core`, or set "
                                 "AWAITLAB_FONT=/path/to/a/font.ttf\n");
            for (int j = 0; j < i; j++) TTF_CloseFont(out[j]);
            return AW_VIEW_NO_FONT;
        }
    }
    return AW_VIEW_OK;
}

int fonts_open(view *v)
{
    TTF_Font *f[FONT__N];
    int px[FONT__N];
    int rc = open_all(v, f, px);
    if (rc != AW_VIEW_OK) return rc;
    for (int i = 0; i < FONT__N; i++) {
        v->font[i] = f[i];
        v->font_px[i] = px[i];
        v->font_h[i] = TTF_FontLineSkip(f[i]);
    }
    return AW_VIEW_OK;
}

bool fonts_rescale(view *v)
{
    bool same = true;
    for (int i = 0; i < FONT__N; i++) same = same && font_px(v, i) == v->font_px[i];
    if (same) return true;
    TTF_Font *f[FONT__N];
    int px[FONT__N];
    if (open_all(v, f, px) != AW_VIEW_OK) return false;
    fonts_close(v);
    /* the cached textures were drawn with the old fonts */
    text_cache_free(v->tc);
    v->tc = text_cache_new();
    for (int i = 0; i < FONT__N; i++) {
        v->font[i] = f[i];
        v->font_px[i] = px[i];
        v->font_h[i] = TTF_FontLineSkip(f[i]);
    }
    return v->tc != NULL;
}

void fonts_close(view *v)
{
    for (int i = 0; i < FONT__N; i++) {
        if (v->font[i]) TTF_CloseFont(v->font[i]);
        v->font[i] = NULL;
    }
}
