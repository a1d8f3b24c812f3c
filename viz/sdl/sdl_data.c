/* sdl_data.c — what the view shows, taken from the model once when it opens (the lanes in
 * creation order, every mark of the trace, the example's lines, the axis), and the arithmetic
 * of the visible window: positions to pixels and back, zoom, pan, seek.
 *
 * The axis is steps or virtual time, by the rule in sdl_view.h (steps when they bunch up at a
 * few instants); the `a` key switches between the two.  asyncio.run's shutdown is folded into
 * one group step (sdl_view.h): its tasks get no lanes, its steps one position, and seeking
 * into it lands on its end (forwards) or just before it (backwards). */
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

static bool build_parts(view *v);
static bool build_late(view *v);
static bool bunched(const view *v);
static void fold_lanes(view *v);

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
              split_code(&v->c_lines, &v->nc, v->src.c_code, true) && build_parts(v) && build_late(v);
    free(im.lane);
    if (!ok) return false;
    v->nlanes_all = v->nlanes;
    v->shutdown = aw_model_shutdown_step(m);
    if (v->shutdown < 1 || v->shutdown > v->count) v->shutdown = 0;
    v->folded = v->shutdown > 0;
    fold_lanes(v);
    view_set_axis(v, bunched(v) ? AW_MODEL_AXIS_STEP : AW_MODEL_AXIS_TIME);
    v->speed = 8;
    v->quiz_pick = -1;
    return true;
}

/* The last step shown as its own position: the one before the shutdown when folded. */
static int64_t last_shown(const view *v) { return v->folded ? v->shutdown - 1 : v->count; }

/* sdl_view.h's rule: more than half of the steps shown are at an instant with >= 5 steps. */
static bool bunched(const view *v)
{
    int64_t n = last_shown(v), in_bunches = 0, run = 0, t_prev = 0;
    for (int64_t s = 1; s <= n + 1; s++) {
        int64_t t = s <= n ? aw_model_step_time(v->m, s) : INT64_MIN;
        if (s > 1 && t == t_prev) {
            run++;
        } else {
            if (run >= 5) in_bunches += run;
            run = 1;
        }
        t_prev = t;
    }
    return n > 0 && in_bunches * 2 > n;
}

static void fold_lanes(view *v)
{
    v->nlanes = v->nlanes_all;
    if (!v->folded) return;
    while (v->nlanes > 0) {
        aw_model_task t;
        if (!aw_model_task_get(v->fin, v->lanes[v->nlanes - 1], &t) || t.created_step < v->shutdown) break;
        v->nlanes--;
    }
}

void view_set_folded(view *v, bool folded)
{
    if (!v->shutdown || folded == v->folded) return;
    v->folded = folded;
    fold_lanes(v);
    v->lc.valid = false;
    v->layer.valid = false;
    if (v->lane_scroll >= v->nlanes) v->lane_scroll = 0;
    view_set_axis(v, v->axis);
    view_layout(v);
    view_set_step(v, v->step);
}

size_t view_lane_of(const view *v, int64_t task)
{
    for (size_t i = 0; i < v->nlanes; i++)
        if (v->lanes[i] == task) return i;
    return (size_t)-1;
}

bool view_future_hidden(const view *v) { return v->quiz; }

/* ---- the narrative's parts ---------------------------------------------------------------- */

/* "12. " at the start of a line (after spaces): the start of a numbered item. */
static const char *item_start(const char *line)
{
    const char *p = line;
    while (*p == ' ') p++;
    const char *d = p;
    while (*p >= '0' && *p <= '9') p++;
    return p > d && p[0] == '.' && p[1] == ' ' ? p + 2 : NULL;
}

/* Markdown to plain text: drops ** and `, joins the lines with spaces. */
static void plain_append(char *dst, size_t *n, size_t cap, const char *s, size_t len)
{
    while (len > 0 && *s == ' ') s++, len--;
    if (*n && *n + 1 < cap && len) dst[(*n)++] = ' ';
    for (size_t i = 0; i < len && *n + 1 < cap; i++) {
        if (s[i] == '`' || (s[i] == '*' && i + 1 < len && s[i + 1] == '*')) {
            if (s[i] == '*') i++;
            continue;
        }
        dst[(*n)++] = s[i];
    }
    dst[*n] = '\0';
}

/* The step a part's marker names (lessons/README.md): `start` (step 0), `output:K` (the step that
 * prints the K-th output line), `line:N` (the first step after `after` whose event is the
 * program's line N), `time:S` (the first step whose clock reads S seconds or later),
 * `iteration:N` (the first step of loop iteration N), `step:N`.  -1 if malformed or not found. */
static int64_t marker_step(const view *v, const char *text, int64_t after)
{
    const char *c = strstr(text, "<!--");
    if (!c) return -1;
    c += 4;
    while (*c == ' ') c++;
    if (strncmp(c, "from ", 5) != 0) return -1;
    c += 5;
    long long k;
    double sec;
    if (strncmp(c, "start", 5) == 0) return 0;
    if (sscanf(c, "output:%lld", &k) == 1 && k >= 1) {
        int64_t s = 0;
        for (long long i = 0; i < k && s >= 0; i++) s = aw_model_next_output(v->m, s);
        return s;
    }
    if (sscanf(c, "line:%lld", &k) == 1 && k >= 1) {
        for (int64_t s = after + 1; s <= v->count; s++)
            if (aw_model_event_line(v->m, s) == k) return s;
        return -1;
    }
    if (sscanf(c, "time:%lf", &sec) == 1 && sec >= 0) {
        int64_t s = aw_model_find_time(v->m, v->t0 + (int64_t)(sec * 1e9 + 0.5));
        return s >= 1 && s <= v->count ? s : -1;
    }
    if (sscanf(c, "iteration:%lld", &k) == 1 && k >= 0) {
        for (int64_t s = 1; s <= v->count; s++)
            if (aw_model_step_iter(v->m, s) >= k) return s;
        return -1;
    }
    if (sscanf(c, "step:%lld", &k) == 1 && k >= 0 && k <= v->count) return k;
    return -1;
}

static bool build_parts(view *v)
{
    const char *s = v->src.narrative;
    size_t cap = 0, cap2 = 0;
    int64_t prev_from = 0;
    char *cur = NULL;
    size_t curn = 0, curcap = 0;
    bool in_item = false;
    while (s && *s) {
        size_t len = strcspn(s, "\n");
        char line[4096];
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), s);
        const char *body = item_start(line);
        bool blank = strspn(line, " ") == strlen(line);
        if (body) {
            if (!grow((void **)&v->parts, &cap, (size_t)v->nparts + 1, sizeof *v->parts) ||
                !grow((void **)&v->part_from, &cap2, (size_t)v->nparts + 1, sizeof *v->part_from))
                return false;
            curcap = strlen(s) + 1;
            cur = malloc(curcap);
            if (!cur) return false;
            curn = 0;
            cur[0] = '\0';
            int64_t from = marker_step(v, body, prev_from > 0 ? prev_from : 0);
            if (from >= 0) prev_from = from;
            const char *end = strstr(body, "-->");
            if (strstr(body, "<!--") && end) body = end + 3;
            plain_append(cur, &curn, curcap, body, strlen(body));
            v->parts[v->nparts] = cur;
            v->part_from[v->nparts] = from;
            v->nparts++;
            in_item = true;
        } else if (in_item && !blank && line[0] == ' ') {
            plain_append(cur, &curn, curcap, line, strlen(line));
        } else if (!blank || !in_item) {
            in_item = false;
        }
        s += len;
        if (*s == '\n') s++;
    }
    return true; /* a part with no marker (or a bad one) is never current */
}

int view_part_at(const view *v, int64_t step)
{
    int best = -1;
    for (int i = 0; i < v->nparts; i++)
        if (v->part_from[i] >= 0 && v->part_from[i] <= step && (best < 0 || v->part_from[i] >= v->part_from[best]))
            best = i;
    return best;
}

/* ---- late timers ---------------------------------------------------------------------------- */

static bool build_late(view *v)
{
    size_t cap = 0;
    for (size_t i = 0; i < v->nmarks; i++) {
        if (v->marks[i].kind != MARK_TIMER) continue;
        int64_t held;
        if (aw_model_timer_late(v->m, v->marks[i].step, &held) <= 0) continue;
        if (!grow((void **)&v->late, &cap, v->nlate + 1, sizeof *v->late)) return false;
        v->late[v->nlate++] = v->marks[i].step;
    }
    return true;
}

/* ---- quiz ------------------------------------------------------------------------------------ */

void view_forward(view *v, int64_t to)
{
    if (!v->quiz) {
        view_set_step(v, to);
        return;
    }
    if (v->quiz_step) {
        if (v->quiz_pick < 0) {
            view_say(v, "answer first: a digit, or click a choice");
            return;
        }
        int64_t s = v->quiz_step; /* answered: now see what happened */
        v->quiz_step = 0;
        view_set_step(v, s);
        return;
    }
    if (to > v->count) to = v->count;
    for (int64_t s = v->step + 1; s <= to; s++) {
        if (s <= v->quiz_done_upto || !aw_model_quiz_at(v->m, s, &v->q)) continue;
        view_set_step(v, s - 1);
        v->quiz_step = s;
        v->quiz_pick = -1;
        v->quiz_done_upto = s;
        v->playing = false;
        return;
    }
    view_set_step(v, to);
}

void quiz_answer(view *v, int choice)
{
    if (!v->quiz_step || v->quiz_pick >= 0) return;
    if (choice < 0 || (size_t)choice >= v->q.n_choices) {
        view_say(v, "choices are 1 to %zu", v->q.n_choices);
        return;
    }
    v->quiz_pick = choice;
    v->asked++;
    if ((size_t)choice == v->q.answer) v->score++;
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
    for (int i = 0; i < v->nparts; i++) free(v->parts[i]);
    free(v->parts);
    free(v->part_from);
    free(v->late);
    lanes_free(&v->lc);
}

/* ---- the axis and the visible window ----------------------------------------------------------- */

void view_set_axis(view *v, aw_model_axis axis)
{
    v->axis = axis;
    if (axis == AW_MODEL_AXIS_TIME) {
        int64_t t0 = aw_model_step_time(v->m, 1), t1 = v->folded ? aw_model_step_time(v->m, v->shutdown) : aw_model_end_time(v->m);
        int64_t span = t1 > t0 ? t1 - t0 : 1000000000;
        /* room on the right for the tasks' final states; a little on the left for the first marks */
        v->a0 = t0 - span / 100;
        v->a1 = t1 + span / 10 + 1;
    } else {
        int64_t n = v->folded ? v->shutdown : v->count; /* the folded group is one position */
        v->a0 = 0;
        v->a1 = n + (n / 25 > 1 ? n / 25 : 1);
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
    if (v->folded && step > v->shutdown) step = v->shutdown;
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
    if (v->folded && step >= v->shutdown && step < v->count) /* the group is one step: its end */
        step = step > v->step || v->step < v->shutdown ? v->count : v->shutdown - 1;
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

int64_t view_mark_pos(const view *v, const vmark *mk)
{
    if (v->folded && mk->step > v->shutdown) return v->axis == AW_MODEL_AXIS_STEP ? v->shutdown : aw_model_step_time(v->m, v->shutdown);
    return v->axis == AW_MODEL_AXIS_STEP ? mk->step : mk->t_ns;
}

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
