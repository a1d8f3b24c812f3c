/* sdl_data.c — what the view shows, taken from the model once when it opens (the lanes in
 * creation order, every mark of the trace, the example's lines, the axis), and the arithmetic
 * of the visible window: positions to pixels and back, zoom, pan, seek.
 *
 * The axis is virtual time.  A trace whose events all happen at one instant (a lesson with no
 * sleep: the clock never moves) would draw nothing on it, so such traces use steps instead; the
 * `a` key switches between the two. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdl_viewer.h"
#include "trace_schema.h"

/* ---- building -------------------------------------------------------------------------------- */

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return true;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need) n *= 2;
    void *q = realloc(*p, n * size);
    if (!q) return false;
    memset((char *)q + *cap * size, 0, (n - *cap) * size); /* ids never seen map to 0: none */
    *p = q;
    *cap = n;
    return true;
}

/* A lane for an id that is a task, -1 otherwise (plain futures, none). */
typedef struct id_map {
    int32_t *lane;
    size_t n;
} id_map;

static int32_t lane_of(const id_map *im, int64_t id) { return id > 0 && (size_t)id < im->n ? im->lane[id] : -1; }

static bool build_marks(view *v, const id_map *im)
{
    int64_t *handle_task = NULL; /* handle id -> the task its callback serves (from `scheduled`) */
    int64_t *fut_task = NULL;    /* plain future id -> the task that created it */
    size_t nh = 0, nf = 0, mcap = 0;
    aw_model_event ev;
    for (int64_t s = 1; s <= v->count; s++) {
        if (!aw_model_event_get(v->m, s, &ev)) continue;
        int kind = -1;
        int64_t who = ev.task;
        switch (ev.kind) {
        case AW_TK_SCHEDULED:
            if (ev.handle > 0) {
                if (!grow((void **)&handle_task, &nh, (size_t)ev.handle + 1, sizeof *handle_task)) goto oom;
                handle_task[ev.handle] = ev.task ? ev.task : ev.future;
            }
            break;
        case AW_TK_FUTURE_CREATED:
            if (ev.future > 0) {
                if (!grow((void **)&fut_task, &nf, (size_t)ev.future + 1, sizeof *fut_task)) goto oom;
                fut_task[ev.future] = ev.task;
            }
            break;
        case AW_TK_TIMER_FIRED:
            kind = MARK_TIMER;
            who = ev.handle > 0 && (size_t)ev.handle < nh ? handle_task[ev.handle] : 0;
            break;
        case AW_TK_CANCEL_REQUESTED:
            kind = MARK_CANCEL_REQ;
            /* cancelling a plain future (the sleep a task awaits): the mark goes on the lane of
             * the task that made it, which is the one that will see the CancelledError */
            if (!who) who = ev.future > 0 && (size_t)ev.future < nf && fut_task[ev.future] ? fut_task[ev.future] : ev.future;
            break;
        case AW_TK_CANCEL_DELIVERED: kind = MARK_CANCEL_DELIV; break;
        case AW_TK_TIMEOUT_EXPIRED: kind = MARK_TIMEOUT; break;
        case AW_TK_OUTPUT: kind = MARK_OUTPUT; break;
        default: break;
        }
        if (kind < 0) continue;
        if (!grow((void **)&v->marks, &mcap, v->nmarks + 1, sizeof *v->marks)) goto oom;
        v->marks[v->nmarks++] = (vmark){s, ev.t_ns, lane_of(im, who), (uint8_t)kind};
    }
    free(handle_task);
    free(fut_task);
    return true;
oom:
    free(handle_task);
    free(fut_task);
    return false;
}

/* Splits code into lines.  strip_tags: drops the C port's trailing line-map comments ("py:N"
 * in a comment, see lessons/lessons.h), which are for tools, and the spaces before them. */
static bool split_code(char ***lines, int *nlines, const char *code, bool strip_tags)
{
    size_t cap = 0;
    while (code && *code) {
        size_t len = strcspn(code, "\n");
        if (!grow((void **)lines, &cap, (size_t)*nlines + 1, sizeof **lines)) return false;
        size_t tabs = 0;
        for (size_t i = 0; i < len; i++) tabs += code[i] == '\t';
        char *line = malloc(len + tabs * 3 + 1);
        if (!line) return false;
        size_t o = 0;
        for (size_t i = 0; i < len; i++) { /* fonts draw no tabs: four spaces, as Python code is indented */
            if (code[i] == '\t') {
                memcpy(line + o, "    ", 4);
                o += 4;
            } else {
                line[o++] = code[i];
            }
        }
        line[o] = '\0';
        char *tag = strip_tags ? strstr(line, "/* py:") : NULL;
        if (tag && strstr(tag, "*/") && !strstr(tag, "*/")[2]) {
            while (tag > line && tag[-1] == ' ') tag--;
            *tag = '\0';
        }
        (*lines)[(*nlines)++] = line;
        code += len;
        if (*code == '\n') code++;
    }
    return true;
}

bool view_data_init(view *v, const aw_model *m, const aw_view_source *src)
{
    v->m = m;
    if (src) v->src = *src;
    v->count = aw_model_event_count(m);
    v->t0 = v->count ? aw_model_step_time(m, 1) : 0;
    v->st = aw_model_state_new(m);
    v->fin = aw_model_state_new(m);
    if (!v->st || !v->fin || aw_model_seek(v->fin, v->count) < 0) return false;
    size_t nt = aw_model_task_count(v->fin);
    v->lanes = calloc(nt ? nt : 1, sizeof *v->lanes);
    if (!v->lanes) return false;
    id_map im = {0};
    for (size_t i = 0; i < nt; i++) {
        aw_model_task t;
        if (!aw_model_task_at(v->fin, i, &t)) continue;
        v->lanes[v->nlanes++] = t.id;
        if ((size_t)t.id >= im.n) im.n = (size_t)t.id + 1;
    }
    im.lane = malloc((im.n ? im.n : 1) * sizeof *im.lane);
    if (!im.lane) return false;
    memset(im.lane, 0xFF, (im.n ? im.n : 1) * sizeof *im.lane); /* -1 */
    for (size_t i = 0; i < v->nlanes; i++) im.lane[v->lanes[i]] = (int32_t)i;
    bool ok = build_marks(v, &im) && split_code(&v->code_lines, &v->ncode, v->src.code, false) &&
              split_code(&v->c_lines, &v->nc, v->src.c_code, true);
    free(im.lane);
    if (!ok) return false;
    int64_t t0 = aw_model_step_time(m, 1), t1 = aw_model_end_time(m);
    view_set_axis(v, t1 > t0 ? AW_MODEL_AXIS_TIME : AW_MODEL_AXIS_STEP);
    v->speed = 8;
    return true;
}

void view_data_free(view *v)
{
    aw_model_state_free(v->st);
    aw_model_state_free(v->fin);
    free(v->lanes);
    free(v->marks);
    free(v->drawn);
    for (int i = 0; i < v->ncode; i++) free(v->code_lines[i]);
    free(v->code_lines);
    for (int i = 0; i < v->nc; i++) free(v->c_lines[i]);
    free(v->c_lines);
    lanes_free(&v->lc);
}

/* ---- the axis and the visible window ----------------------------------------------------------- */

void view_set_axis(view *v, aw_model_axis axis)
{
    v->axis = axis;
    if (axis == AW_MODEL_AXIS_TIME) {
        int64_t t0 = aw_model_step_time(v->m, 1), t1 = aw_model_end_time(v->m);
        int64_t span = t1 > t0 ? t1 - t0 : 1000000000;
        /* room on the right for the tasks' final states; a little on the left for the first marks */
        v->a0 = t0 - span / 100;
        v->a1 = t1 + span / 10 + 1;
    } else {
        v->a0 = 0;
        v->a1 = v->count + (v->count / 25 > 1 ? v->count / 25 : 1);
    }
    view_fit(v);
}

void view_fit(view *v)
{
    v->v0 = v->a0;
    v->v1 = v->a1;
}

void view_pan_to(view *v, int64_t v0, int64_t v1)
{
    int64_t span = v1 - v0;
    if (span > v->a1 - v->a0) span = v->a1 - v->a0;
    if (v0 < v->a0) v0 = v->a0;
    if (v0 + span > v->a1) v0 = v->a1 - span;
    v->v0 = v0;
    v->v1 = v0 + span;
}

void view_zoom(view *v, double factor, int x)
{
    int64_t p = view_pos_of(v, x);
    double span = (double)(v->v1 - v->v0) * factor;
    /* never finer than one nanosecond (or a tenth of a step) per ten pixels */
    double min = v->axis == AW_MODEL_AXIS_TIME ? (double)v->L.track.w / 10.0 : 10.0;
    if (span < min) span = min;
    double frac = v->L.track.w > 0 ? (double)(x - v->L.track.x) / v->L.track.w : 0.5;
    if (frac < 0) frac = 0;
    if (frac > 1) frac = 1;
    int64_t v0 = p - (int64_t)(span * frac);
    view_pan_to(v, v0, v0 + (int64_t)span);
}

int64_t view_step_pos(const view *v, int64_t step)
{
    if (v->axis == AW_MODEL_AXIS_STEP) return step;
    return aw_model_step_time(v->m, step < 1 ? 1 : step);
}

double view_x_of(const view *v, int64_t pos)
{
    double span = (double)(v->v1 - v->v0);
    return v->L.track.x + ((double)pos - (double)v->v0) * v->L.track.w / (span > 0 ? span : 1);
}

int64_t view_pos_of(const view *v, int x)
{
    double w = v->L.track.w > 0 ? v->L.track.w : 1;
    return v->v0 + (int64_t)((double)(x - v->L.track.x) * (double)(v->v1 - v->v0) / w);
}

int64_t view_step_at_x(const view *v, int x)
{
    int64_t p = view_pos_of(v, x);
    if (v->axis == AW_MODEL_AXIS_STEP) {
        double w = v->L.track.w > 0 ? v->L.track.w : 1;
        double exact = (double)v->v0 + (double)(x - v->L.track.x) * (double)(v->v1 - v->v0) / w;
        p = (int64_t)(exact + 0.5);
    } else {
        /* the last step whose clock is at or before the click: the world "at that time" */
        int64_t s = aw_model_find_time(v->m, p);
        if (s >= 1 && s <= v->count && aw_model_step_time(v->m, s) > p) s--;
        p = s;
    }
    return p < 0 ? 0 : p > v->count ? v->count : p;
}

void view_set_step(view *v, int64_t step)
{
    if (step < 0) step = 0;
    if (step > v->count) step = v->count;
    v->step = aw_model_seek(v->st, step);
    if (v->step < 0) v->step = aw_model_seek(v->st, 0); /* out of memory: show the start */
    int64_t p = view_step_pos(v, v->step), span = v->v1 - v->v0;
    if (p < v->v0 || p > v->v1) view_pan_to(v, p - span / 2, p - span / 2 + span); /* keep the playhead in view */
}

const char *view_lane_label(const view *v, size_t lane, char *buf, size_t size)
{
    aw_model_task t;
    if (lane >= v->nlanes || !aw_model_task_get(v->fin, v->lanes[lane], &t)) {
        snprintf(buf, size, "?");
        return buf;
    }
    if (t.name && t.coro) snprintf(buf, size, "%s  %s()", t.name, t.coro);
    else if (t.name) snprintf(buf, size, "%s", t.name);
    else snprintf(buf, size, "task %lld", (long long)t.id);
    return buf;
}

char *view_time(const view *v, int64_t t_ns, bool exact, char *buf, size_t size)
{
    int64_t rel = t_ns - v->t0;
    if (exact) return aw_model_format_time(rel, buf, size);
    if (rel < 0) rel = 0;
    snprintf(buf, size, "%lld.%03lld", (long long)(rel / 1000000000), (long long)(rel % 1000000000 / 1000000));
    return buf;
}

/* ---- marks ---------------------------------------------------------------------------------- */

int64_t view_mark_pos(const view *v, const vmark *mk) { return v->axis == AW_MODEL_AXIS_STEP ? mk->step : mk->t_ns; }

/* The first mark whose position is >= p (positions never decrease along the marks). */
static size_t first_at_or_after(const view *v, int64_t p)
{
    size_t lo = 0, hi = v->nmarks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (view_mark_pos(v, &v->marks[mid]) < p) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

size_t view_marks_in(const view *v, int64_t p0, int64_t p1, size_t *first)
{
    size_t a = first_at_or_after(v, p0), b = p1 == INT64_MAX ? v->nmarks : first_at_or_after(v, p1 + 1);
    *first = a;
    return b > a ? b - a : 0;
}

const vmark *view_mark_at(const view *v, int x, int y)
{
    const vmark *best = NULL;
    int r = v->mark_size / 2 + 2, bd = 1 << 30;
    for (size_t i = 0; i < v->ndrawn; i++) { /* later ones are drawn on top: they win ties */
        const vdrawn *d = &v->drawn[i];
        int dx = d->x - x, dy = d->y - y;
        if (dx < -r || dx > r || dy < -r || dy > r) continue;
        if (dx * dx + dy * dy <= bd) {
            bd = dx * dx + dy * dy;
            best = &v->marks[d->mark];
        }
    }
    return best;
}
