/* sdl_marks.c — the marks: their shapes, and where they go.  Each shape is rasterised once
 * (per size, vivid and faded) with a one-pixel light outline so it reads on any lane colour,
 * as pixels for the track's image (sdl_layer.c) and as a texture for the few drawn elsewhere
 * (the axis row, the legend).  Shapes differ in form, not only in colour:
 *   timer fired       a downward triangle (a pin on the time it fired)
 *   cancel requested  an X
 *   cancel delivered  a filled diamond
 *   timeout expired   an hourglass
 *   output            a disc */
#include <math.h>
#include <stdlib.h>

#include "sdl_viewer.h"

/* Whether the point (u, w), both in [-1, 1] from the centre, is inside shape k. */
static bool inside(mark_kind k, double u, double w)
{
    double au = fabs(u), aw = fabs(w);
    switch (k) {
    case MARK_TIMER: return w >= -0.75 && w <= 0.85 && au <= (0.85 - w) * 0.6;
    case MARK_CANCEL_REQ: return fabs(au - aw) <= 0.25 && au <= 0.9 && aw <= 0.9;
    case MARK_CANCEL_DELIV: return au + aw <= 0.95;
    case MARK_TIMEOUT: return aw <= 0.9 && au <= aw * 0.85 + 0.12 && au <= 0.85;
    case MARK_OUTPUT: return u * u + w * w <= 0.72;
    default: return false;
    }
}

int mark_size_for(int lane_h)
{
    int s = lane_h - 4;
    if (s > 13) s = 13;
    if (s < 7) s = 7;
    return s | 1; /* odd: a centre pixel */
}

void marks_free_textures(view *v)
{
    for (int k = 0; k < MARK__N; k++)
        for (int g = 0; g < 2; g++) {
            if (v->mark_tex[k][g]) SDL_DestroyTexture(v->mark_tex[k][g]);
            v->mark_tex[k][g] = NULL;
            free(v->mark_px[k][g]);
            v->mark_px[k][g] = NULL;
        }
    v->mark_size = 0;
}

/* Textures and pixels are made for one size at a time: the lanes' height decides it. */
static void use_size(view *v, int size)
{
    if (size != v->mark_size) {
        marks_free_textures(v);
        v->mark_size = size;
    }
}

const uint8_t *mark_pixels(view *v, mark_kind k, int size, bool ghost)
{
    if (k >= MARK__N || size < 3 || size > 29) return NULL;
    use_size(v, size);
    uint8_t **px = &v->mark_px[k][ghost];
    if (*px) return *px;
    int S = size + 2; /* room for the outline */
    if (!(*px = malloc((size_t)S * S * 4))) return NULL;
    SDL_Color c = ghost ? pal_ghost(pal_mark(k)) : pal_mark(k), o = pal(COL_BG);
    bool in[32][32] = {{false}};
    double half = (size - 1) / 2.0;
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) in[y + 1][x + 1] = inside(k, (x - half) / half, (y - half) / half);
    for (int y = 0; y < S; y++)
        for (int x = 0; x < S; x++) {
            bool near = false;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int yy = y + dy, xx = x + dx;
                    if (yy >= 0 && yy < S && xx >= 0 && xx < S && in[yy][xx]) near = true;
                }
            SDL_Color p = in[y][x] ? c : o;
            uint8_t *d = *px + 4 * (y * S + x);
            d[0] = p.r, d[1] = p.g, d[2] = p.b, d[3] = in[y][x] ? 255 : near ? 230 : 0;
        }
    return *px;
}

void draw_mark_shape(view *v, mark_kind k, int cx, int cy, int size, bool ghost)
{
    const uint8_t *px = mark_pixels(v, k, size, ghost);
    if (!px) return;
    SDL_Texture **t = &v->mark_tex[k][ghost];
    int S = size + 2;
    if (!*t) {
        SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormatFrom((void *)px, S, S, 32, S * 4, SDL_PIXELFORMAT_RGBA32);
        if (surf) {
            *t = SDL_CreateTextureFromSurface(v->r, surf);
            SDL_FreeSurface(surf);
        }
        if (!*t) return;
        SDL_SetTextureBlendMode(*t, SDL_BLENDMODE_BLEND);
    }
    SDL_Rect dst = {cx - S / 2, cy - S / 2, S, S};
    SDL_RenderCopy(v->r, *t, NULL, &dst);
}

/* ---- where marks go ------------------------------------------------------------------------ */

/* Per lane while placing marks: the last column used per kind, and the group of marks at one
 * instant (same column), which are laid side by side in the order they happened. */
typedef struct mark_slot {
    int last_x[MARK__N];
    int group_x, next_x, in_group;
    size_t leader;
} mark_slot;

#define GROUP_MAX 5 /* marks side by side at one instant; more share the last place */

static bool remember(view *v, int x, int y, size_t mark, size_t leader)
{
    if (v->ndrawn == v->drawn_cap) {
        size_t cap = v->drawn_cap ? v->drawn_cap * 2 : 256;
        vdrawn *d = realloc(v->drawn, cap * sizeof *d);
        if (!d) return false; /* fewer marks drawn; the frame goes on */
        v->drawn = d;
        v->drawn_cap = cap;
    }
    v->drawn[v->ndrawn++] = (vdrawn){x, y, mark, leader, 0};
    return true;
}

void place_marks(view *v, int size)
{
    const vlayout *L = &v->L;
    size_t first, n = view_marks_in(v, v->v0, v->v1, &first), nvis = v->lc.n;
    v->ndrawn = 0;
    /* One mark per kind, lane and pixel column: a zoomed-out view of a long trace draws what
     * can be seen, not every mark (the later ones in a column would land on the same pixels). */
    mark_slot *slots = malloc((nvis + 1) * sizeof *slots);
    if (!slots) return;
    for (size_t i = 0; i <= nvis; i++) {
        for (int k = 0; k < MARK__N; k++) slots[i].last_x[k] = INT32_MIN;
        slots[i].group_x = INT32_MIN;
    }
    for (size_t i = first; i < first + n; i++) {
        const vmark *mk = &v->marks[i];
        size_t slot;
        int cy;
        if ((view_future_hidden(v) && mk->step > v->step) || (v->folded && mk->step > v->shutdown)) continue;
        if (mk->lane < 0) {
            slot = nvis;
            cy = L->axis.y + L->axis.h - size / 2 - 7;
        } else {
            if ((size_t)mk->lane < v->lc.first || (size_t)mk->lane >= v->lc.first + nvis) continue;
            slot = (size_t)mk->lane - v->lc.first;
            SDL_Rect r = lane_rect(v, (size_t)mk->lane);
            cy = r.y + r.h / 2;
        }
        mark_slot *ms = &slots[slot];
        int base = (int)view_x_of(v, view_mark_pos(v, mk));
        if (ms->last_x[mk->kind] == base) continue;
        ms->last_x[mk->kind] = base;
        int x = base;
        if (base == ms->group_x) { /* one instant: next to the previous mark, in event order */
            x = ms->next_x;
            if (ms->in_group < GROUP_MAX - 1) {
                ms->in_group++;
                ms->next_x += size + 1;
            }
        } else {
            ms->group_x = base;
            ms->next_x = base + size + 1;
            ms->in_group = 0;
            ms->leader = v->ndrawn;
        }
        if (!remember(v, x, cy, i, ms->leader)) break;
    }
    free(slots);
    /* A group that would run past the track's right edge (a program's last instant is near it)
     * moves left as a whole, keeping its order. */
    int limit = L->track.x + L->track.w - size / 2 - 2;
    for (size_t i = 0; i < v->ndrawn; i++) {
        vdrawn *lead = &v->drawn[v->drawn[i].leader];
        int over = v->drawn[i].x - limit;
        if (over > lead->shift) lead->shift = over;
    }
    for (size_t i = 0; i < v->ndrawn; i++) v->drawn[i].x -= v->drawn[v->drawn[i].leader].shift;
}
