/* sdl_text.c — text on the renderer.  Rendering a string with FreeType costs tens of
 * microseconds, and a frame shows a hundred strings that rarely change (code lines, lane names,
 * tick labels), so each (font, colour, string) keeps its texture between frames.  Entries not
 * drawn for a few frames are dropped when the table fills up, so memory stays bounded however
 * long the viewer runs. */
#include <stdlib.h>
#include <string.h>

#include "sdl_viewer.h"

typedef struct tentry {
    char *s;               /* NULL: empty slot */
    uint32_t hash;
    uint8_t font;
    SDL_Color c;
    SDL_Texture *tex;
    int w, h;
    uint64_t used;         /* the frame it was last drawn in */
} tentry;

struct text_cache {
    tentry *e;
    size_t cap, n;         /* cap is a power of two; n <= cap / 2 (linear probing stays short) */
};

#define CACHE_MIN 512

text_cache *text_cache_new(void)
{
    text_cache *tc = calloc(1, sizeof *tc);
    if (!tc) return NULL;
    tc->e = calloc(CACHE_MIN, sizeof *tc->e);
    if (!tc->e) {
        free(tc);
        return NULL;
    }
    tc->cap = CACHE_MIN;
    return tc;
}

static void drop(tentry *e)
{
    if (e->tex) SDL_DestroyTexture(e->tex);
    free(e->s);
    memset(e, 0, sizeof *e);
}

void text_cache_free(text_cache *tc)
{
    if (!tc) return;
    for (size_t i = 0; i < tc->cap; i++)
        if (tc->e[i].s) drop(&tc->e[i]);
    free(tc->e);
    free(tc);
}

static uint32_t hash_of(int font, SDL_Color c, const char *s)
{
    uint32_t h = 2166136261u ^ (uint32_t)font ^ ((uint32_t)c.r << 8 | (uint32_t)c.g << 16 | (uint32_t)c.b << 24);
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u; /* FNV-1a */
    return h;
}

/* Rebuilds the table with the entries drawn in the last two frames (and grows it if those
 * alone fill it): deletion from a linear-probing table is simplest as a rebuild. */
static void rebuild(view *v)
{
    text_cache *tc = v->tc;
    size_t live = 0;
    for (size_t i = 0; i < tc->cap; i++)
        if (tc->e[i].s && tc->e[i].used + 2 >= v->frame) live++;
    size_t cap = tc->cap;
    while (live * 4 > cap) cap *= 2;
    tentry *ne = calloc(cap, sizeof *ne);
    if (!ne) return; /* keep the old table: still correct, just full */
    for (size_t i = 0; i < tc->cap; i++) {
        tentry *e = &tc->e[i];
        if (!e->s) continue;
        if (e->used + 2 < v->frame) {
            drop(e);
            continue;
        }
        size_t j = e->hash & (cap - 1);
        while (ne[j].s) j = (j + 1) & (cap - 1);
        ne[j] = *e;
    }
    free(tc->e);
    tc->e = ne;
    tc->cap = cap;
    tc->n = live;
}

void text_cache_age(view *v)
{
    if (v->tc && v->tc->n * 2 > v->tc->cap) rebuild(v);
}

static tentry *lookup(view *v, int font, SDL_Color c, const char *s)
{
    text_cache *tc = v->tc;
    if (!tc) return NULL;
    uint32_t h = hash_of(font, c, s);
    size_t j = h & (tc->cap - 1);
    for (; tc->e[j].s; j = (j + 1) & (tc->cap - 1)) {
        tentry *e = &tc->e[j];
        if (e->hash == h && e->font == font && e->c.r == c.r && e->c.g == c.g && e->c.b == c.b && e->c.a == c.a &&
            strcmp(e->s, s) == 0)
            return e;
    }
    if (tc->n * 2 >= tc->cap) { /* full for this frame: rebuild, then look for a free slot again */
        rebuild(v);
        if (tc->n * 2 >= tc->cap) return NULL;
        j = h & (tc->cap - 1);
        while (tc->e[j].s) j = (j + 1) & (tc->cap - 1);
    }
    SDL_Surface *surf = TTF_RenderUTF8_Blended(v->font[font], s, c);
    if (!surf) return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(v->r, surf);
    int w = surf->w, hh = surf->h;
    SDL_FreeSurface(surf);
    char *copy = strdup(s);
    if (!tex || !copy) {
        if (tex) SDL_DestroyTexture(tex);
        free(copy);
        return NULL;
    }
    tentry *e = &tc->e[j];
    *e = (tentry){copy, h, (uint8_t)font, c, tex, w, hh, v->frame};
    tc->n++;
    return e;
}

int text_draw(view *v, int font, SDL_Color c, int x, int y, const char *s, int max_w)
{
    if (!s || !*s || max_w < 0) return 0;
    tentry *e = lookup(v, font, c, s);
    if (!e) return 0;
    e->used = v->frame;
    if (max_w <= 0 || e->w <= max_w) {
        SDL_Rect dst = {x, y, e->w, e->h};
        SDL_RenderCopy(v->r, e->tex, NULL, &dst);
        return e->w;
    }
    /* too long: cut, and say so with an ellipsis (the tooltip or a wider window shows it all) */
    tentry *dots = lookup(v, font, c, "\u2026");
    int dw = dots && dots->w < max_w ? dots->w : 0, w = max_w - dw;
    e = lookup(v, font, c, s); /* the second lookup may have rebuilt the table */
    if (!e) return 0;
    SDL_Rect src = {0, 0, w, e->h}, dst = {x, y, w, e->h};
    SDL_RenderCopy(v->r, e->tex, &src, &dst);
    if (dw && (dots = lookup(v, font, c, "\u2026"))) {
        dots->used = v->frame;
        SDL_Rect dd = {x + w, y, dots->w, dots->h};
        SDL_RenderCopy(v->r, dots->tex, NULL, &dd);
    }
    return max_w;
}

int text_width(view *v, int font, const char *s)
{
    int w = 0, h = 0;
    if (s && *s) TTF_SizeUTF8(v->font[font], s, &w, &h);
    return w;
}

/* Bytes taken by the first n characters of s (UTF-8). */
static size_t utf8_bytes(const char *s, int n)
{
    size_t i = 0;
    while (s[i] && n > 0) {
        i++;
        while ((s[i] & 0xC0) == 0x80) i++;
        n--;
    }
    return i;
}

int text_wrap(view *v, int font, const char *s, int width, void (*fn)(void *ud, const char *line, size_t len),
              void *ud)
{
    int lines = 0;
    size_t total = strlen(s);
    char *buf = malloc(total + 1);
    if (!buf) return 0;
    while (*s) {
        size_t para = strcspn(s, "\n"); /* a newline always breaks */
        memcpy(buf, s, para);
        buf[para] = '\0';
        const char *p = buf;
        do {
            int extent = 0, count = 0;
            TTF_MeasureUTF8(v->font[font], p, width > 1 ? width : 1, &extent, &count);
            size_t fit = utf8_bytes(p, count), len = strlen(p);
            size_t take = len, skip = 0;
            if (fit < len) {
                take = fit;
                while (take > 0 && p[take] != ' ') take--; /* break at the last space that fits */
                if (take == 0) take = fit ? fit : utf8_bytes(p, 1);
                else skip = 1;
            }
            fn(ud, p, take);
            lines++;
            p += take + skip;
        } while (*p);
        s += para;
        if (*s == '\n') s++;
    }
    free(buf);
    return lines;
}
