/* sdl_layer.c — the track as one image (see vlayer in sdl_viewer.h): plain pixel writes into a
 * buffer, then one texture upload.  Writing pixels ourselves is also exact and the same on every
 * renderer: fills are opaque, and a mark's outline blends with integer arithmetic. */
#include <stdlib.h>
#include <string.h>

#include "sdl_viewer.h"

bool layer_begin(view *v, SDL_Rect r)
{
    vlayer *ly = &v->layer;
    size_t need = (size_t)(r.w > 0 ? r.w : 1) * (size_t)(r.h > 0 ? r.h : 1) * 4;
    if (need > ly->cap) {
        uint8_t *p = realloc(ly->px, need);
        if (!p) return false;
        ly->px = p;
        ly->cap = need;
    }
    ly->r = r;
    SDL_Color bg = pal(COL_BG);
    uint8_t px[4] = {bg.r, bg.g, bg.b, 255};
    for (size_t i = 0; i < need; i += 4) memcpy(ly->px + i, px, 4);
    return true;
}

void layer_fill(view *v, SDL_Rect r, SDL_Color c)
{
    vlayer *ly = &v->layer;
    int x0 = r.x - ly->r.x, y0 = r.y - ly->r.y, x1 = x0 + r.w, y1 = y0 + r.h;
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > ly->r.w) x1 = ly->r.w;
    if (y1 > ly->r.h) y1 = ly->r.h;
    if (x0 >= x1 || y0 >= y1) return;
    uint8_t px[4] = {c.r, c.g, c.b, 255};
    uint8_t *row = ly->px + ((size_t)y0 * (size_t)ly->r.w + (size_t)x0) * 4;
    for (int x = 0; x < x1 - x0; x++) memcpy(row + 4 * x, px, 4);
    size_t bytes = (size_t)(x1 - x0) * 4, pitch = (size_t)ly->r.w * 4;
    for (int y = y0 + 1; y < y1; y++) memcpy(row + (size_t)(y - y0) * pitch, row, bytes);
}

void layer_mark(view *v, mark_kind k, int cx, int cy, int size, bool ghost)
{
    vlayer *ly = &v->layer;
    const uint8_t *src = mark_pixels(v, k, size, ghost);
    if (!src) return;
    int S = size + 2, ox = cx - S / 2 - ly->r.x, oy = cy - S / 2 - ly->r.y;
    for (int y = 0; y < S; y++) {
        int yy = oy + y;
        if (yy < 0 || yy >= ly->r.h) continue;
        for (int x = 0; x < S; x++) {
            int xx = ox + x;
            const uint8_t *s = src + 4 * (y * S + x);
            if (xx < 0 || xx >= ly->r.w || s[3] == 0) continue;
            uint8_t *d = ly->px + 4 * ((size_t)yy * (size_t)ly->r.w + (size_t)xx);
            unsigned a = s[3];
            for (int i = 0; i < 3; i++) d[i] = (uint8_t)((s[i] * a + d[i] * (255 - a) + 127) / 255);
        }
    }
}

void layer_end(view *v)
{
    vlayer *ly = &v->layer;
    if (!ly->tex || ly->tw != ly->r.w || ly->th != ly->r.h) {
        if (ly->tex) SDL_DestroyTexture(ly->tex);
        ly->tex = SDL_CreateTexture(v->r, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STREAMING, ly->r.w, ly->r.h);
        ly->tw = ly->r.w, ly->th = ly->r.h;
        if (!ly->tex) {
            ly->valid = false;
            return;
        }
        SDL_SetTextureBlendMode(ly->tex, SDL_BLENDMODE_NONE); /* opaque: a copy, no blending */
    }
    ly->valid = SDL_UpdateTexture(ly->tex, NULL, ly->px, ly->r.w * 4) == 0;
}

void layer_draw(view *v)
{
    vlayer *ly = &v->layer;
    if (ly->valid && ly->tex) SDL_RenderCopy(v->r, ly->tex, NULL, &ly->r);
}

void layer_free(view *v)
{
    vlayer *ly = &v->layer;
    if (ly->tex) SDL_DestroyTexture(ly->tex);
    free(ly->px);
    memset(ly, 0, sizeof *ly);
}
