/* tui_draw.c — draws the terminal viewer's panes from the model's state at the current step.
 * Everything is redrawn on each key (a screen is a few thousand cells; curses sends only the
 * difference).  Layout, top to bottom:
 *
 *   title bar: lesson, step, clock, iteration, playing or paused (and the quiz's score)
 *   source (the example: the current task's line highlighted, the other live tasks' lines marked
 *   with their names)  |  the loop: its phase, the ready queue in order, the timers by deadline
 *                      |  output so far
 *   the current task's await stack, outermost first
 *   tasks: name, who woke whom, state in words, lane over virtual time
 *   event log (sentences; the raw fields on `r`), current event highlighted; or the quiz
 *   the current event in one sentence (two rows)
 *   status line: keys, a message, or a prompt
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_internal.h"
#include "view_keys.h"

typedef struct layout {
    int W, H;
    int top_y, top_h, src_w, out_x, out_w;
    int loop_y, loop_h, outp_y, outp_h;   /* the right column: the loop above the output */
    int stack_y;
    int tasks_y, tasks_h;
    int log_y, log_h;
    int expl_y, expl_h;
    int status_y;
} layout;

/* The rows the loop pane would like at width w: its header, the phase, the ready queue, the
 * timers (a long entry takes two rows), the network's connections. */
static int loop_rows_wanted(const tui *t, int w)
{
    char buf[1024], desc[512], tbuf[48];
    int tw = w - 1 - 7, rows = 1;
    aw_model_phase_describe(t->st, buf, sizeof buf);
    rows += tui_width(buf) > w - 1 ? 2 : 1;
    size_t nr = aw_model_ready_count(t->st), ntm = aw_model_timer_count(t->st);
    for (size_t i = 0; i < nr && i < 64; i++) {
        snprintf(buf, sizeof buf, "%zu. %s", i + 1, aw_model_handle_describe(t->st, aw_model_ready_at(t->st, i), desc, sizeof desc));
        rows += tui_width(buf) > tw ? 2 : 1;
    }
    for (size_t i = 0; i < ntm && i < 64; i++) {
        aw_model_timer tm;
        if (!aw_model_timer_at(t->st, i, &tm)) continue;
        snprintf(buf, sizeof buf, "%s  %s", aw_model_format_time(tm.deadline_ns, tbuf, sizeof tbuf),
                 aw_model_handle_describe(t->st, tm.handle, desc, sizeof desc));
        rows += tui_width(buf) > tw ? 2 : 1;
    }
    size_t nc = aw_model_conns(t->st, NULL, 0); /* the network's connections: a row each */
    return rows + !nr + !ntm + (int)(nc < 8 ? nc : 8);
}

static layout compute_layout(const tui *t, int W, int H, size_t ntasks)
{
    layout L = {.W = W, .H = H};
    int rest = H - 2 /* title, status */ - 2 /* sentence */ - 1 /* await stack */;
    L.top_y = 1;
    L.top_h = rest / 2;
    L.tasks_h = (int)ntasks + 1;
    int max_tasks = rest / 4 > 3 ? rest / 4 : 3;
    if (L.tasks_h > max_tasks) L.tasks_h = max_tasks;
    if (L.tasks_h < 2) L.tasks_h = 2;
    L.log_h = rest - L.top_h - L.tasks_h;
    if (L.log_h < 4) { /* a small terminal: the source gives way to the log */
        L.top_h -= 4 - L.log_h;
        L.log_h = 4;
    }
    L.stack_y = L.top_y + L.top_h;
    L.tasks_y = L.stack_y + 1;
    L.log_y = L.tasks_y + L.tasks_h;
    L.expl_y = L.log_y + L.log_h;
    L.expl_h = 2;
    L.status_y = H - 1;
    L.out_w = W * 2 / 5;
    L.src_w = W - L.out_w - 1;
    L.out_x = L.src_w + 1;
    /* the right column: the loop gets what it needs, the output keeps a third (at least 3 rows) */
    int keep = L.top_h / 3 > 3 ? L.top_h / 3 : 3;
    L.loop_y = L.top_y;
    L.loop_h = loop_rows_wanted(t, L.out_w);
    if (L.loop_h > L.top_h - keep) L.loop_h = L.top_h - keep;
    if (L.loop_h < 3) L.loop_h = 3;
    L.outp_y = L.loop_y + L.loop_h;
    L.outp_h = L.top_h - L.loop_h;
    return L;
}

attr_t tui_attr(const tui *t, int pair, attr_t fallback)
{
    if (!t->color) return fallback;
    switch (pair) {
    case TUI_C_TITLE:
    case TUI_C_CURRENT:
    case TUI_C_PROMPT: return COLOR_PAIR(pair) | A_BOLD;
    case TUI_C_BLOCKED:
    case TUI_C_FAILED: return COLOR_PAIR(pair) | A_BOLD;
    default: return COLOR_PAIR(pair);
    }
}

/* ---- one character and one colour per task state ---------------------------------------------- */

static char state_glyph(aw_model_task_state s)
{
    switch (s) {
    case AW_MODEL_CREATED: return '.';
    case AW_MODEL_READY: return ':';
    case AW_MODEL_RUNNING: return '#';
    case AW_MODEL_BLOCKED: return '@';
    case AW_MODEL_WAITING: return '-';
    case AW_MODEL_DONE: return '=';
    case AW_MODEL_FAILED: return '!';
    case AW_MODEL_CANCELLED: return 'x';
    default: return ' ';
    }
}

static int state_pair(aw_model_task_state s)
{
    switch (s) {
    case AW_MODEL_RUNNING: return TUI_C_RUNNING;
    case AW_MODEL_READY:
    case AW_MODEL_CREATED: return TUI_C_READY;
    case AW_MODEL_WAITING: return TUI_C_WAITING;
    case AW_MODEL_BLOCKED: return TUI_C_BLOCKED;
    case AW_MODEL_FAILED:
    case AW_MODEL_CANCELLED: return TUI_C_FAILED;
    default: return TUI_C_DONE;
    }
}

static attr_t state_attr(const tui *t, aw_model_task_state s)
{
    attr_t plain = s == AW_MODEL_RUNNING || s == AW_MODEL_BLOCKED ? A_BOLD : s == AW_MODEL_DONE ? A_DIM : A_NORMAL;
    return tui_attr(t, state_pair(s), plain);
}

/* A pane's title row: " Title ----------" in the header style. */
static void header(const tui *t, int y, int x, int w, const char *title)
{
    char buf[512];
    snprintf(buf, sizeof buf, " %s ", title);
    int tw = tui_width(buf);
    tui_put(y, x, w, buf, tui_attr(t, TUI_C_HEADER, A_BOLD | A_UNDERLINE));
    if (tw < w) {
        attr_t a = tui_attr(t, TUI_C_HEADER, A_NORMAL);
        attron(a);
        mvhline(y, x + tw, ACS_HLINE, w - tw);
        attroff(a);
    }
}

/* ---- panes ------------------------------------------------------------------------------------ */

static const char *task_name(const tui *t, int64_t id, char *buf, size_t size)
{
    aw_model_task task;
    if (id && aw_model_task_get(t->st, id, &task) && task.name) snprintf(buf, size, "%s", task.name);
    else snprintf(buf, size, "task %lld", (long long)id);
    return buf;
}

static void draw_title(const tui *t, const layout *L)
{
    const aw_model *m = t->m;
    char clock[48], buf[512], right[96];
    const char *name = t->doc && t->doc->title ? t->doc->title
                       : aw_model_header(m)->program ? aw_model_header(m)->program
                                                      : aw_model_name(m);
    snprintf(buf, sizeof buf, " %s  step %lld/%lld  clock %s s  iteration %lld%s", name,
             (long long)aw_model_state_step(t->st), (long long)t->n,
             aw_model_format_time(aw_model_state_time(t->st), clock, sizeof clock),
             (long long)aw_model_state_iter(t->st),
             aw_model_truncated(m) ? "   [truncated]"
             : aw_model_status(m) == AW_TRACE_UNFINISHED ? "   [unfinished]" : "");
    if (t->playing) snprintf(right, sizeof right, " PLAYING %d/s ", tui_speeds[t->speed]);
    else if (t->quiz) snprintf(right, sizeof right, " quiz %d/%d  paused ", t->score, t->asked);
    else snprintf(right, sizeof right, " paused ");
    attr_t a = tui_attr(t, TUI_C_TITLE, A_REVERSE);
    int rw = tui_width(right);
    tui_put(0, 0, L->W - rw, buf, a);
    tui_put(0, L->W - rw, rw, right, a);
}

/* One source line's marks: the names of the live tasks whose current line it is. */
typedef struct src_mark {
    int line;
    const char *name;
} src_mark;

static void draw_source(tui *t, const layout *L)
{
    const tui_text *text;
    const char *title, *note;
    int line;
    tui_source(t, &text, &title, &line, &note);
    char head[512];
    if (line) snprintf(head, sizeof head, "%s: line %d", title, line);
    else snprintf(head, sizeof head, "%s%s%s", title, note ? ": " : "", note ? note : "");
    header(t, L->top_y, 0, L->src_w, head);

    /* where each live task is: the focus task's line is the highlighted one */
    int64_t focus = 0;
    int fl;
    bool own;
    aw_model_focus(t->st, &focus, &fl, &own);
    src_mark marks[64];
    int nmarks = 0;
    const char *focus_name = NULL;
    size_t nt = aw_model_task_count(t->st);
    for (size_t i = 0; i < nt && nmarks < 64; i++) {
        aw_model_task task;
        if (!aw_model_task_at(t->st, i, &task) || !tui_task_shown(t, task.created_step)) continue;
        if (task.id == focus) focus_name = task.name;
        if (aw_model_state_final(task.state) || task.state == AW_MODEL_NONE || !task.name) continue;
        int l = tui_source_line_of(t, task.file, task.line);
        if (l > 0) marks[nmarks++] = (src_mark){l, task.name};
    }

    int rows = L->top_h - 1, n = text ? text->n : 0;
    /* the current line in the middle, or, when the other tasks' lines fit too, all of them */
    int first = line ? line - 1 - rows / 2 : 0;
    if (line) {
        int lo = line, hi = line;
        for (int k = 0; k < nmarks; k++) {
            if (marks[k].line < lo) lo = marks[k].line;
            if (marks[k].line > hi) hi = marks[k].line;
        }
        if (hi - lo + 1 <= rows) first = (lo + hi) / 2 - 1 - rows / 2;
    }
    if (first > n - rows) first = n - rows;
    if (first < 0) first = 0;
    for (int r = 0; r < rows; r++) {
        int i = first + r, y = L->top_y + 1 + r;
        if (i >= n) {
            tui_put(y, 0, L->src_w, "", A_NORMAL);
            continue;
        }
        /* the names of the tasks at this line, the focus task's first */
        char tag[256] = "";
        size_t tl = 0;
        bool cur = i + 1 == line, other = false;
        if (cur && focus_name) tl += (size_t)snprintf(tag + tl, sizeof tag - tl, " %s %s", t->g.here, focus_name);
        for (int k = 0; k < nmarks && tl < sizeof tag - 1; k++) {
            if (marks[k].line != i + 1 || (cur && focus_name && !strcmp(marks[k].name, focus_name))) continue;
            other = true;
            tl += (size_t)snprintf(tag + tl, sizeof tag - tl, tl ? ", %s" : " %s %s", tl ? marks[k].name : t->g.here,
                                   marks[k].name);
        }
        if (tl) tl += (size_t)snprintf(tag + tl, sizeof tag - tl, " ");
        char buf[1024];
        snprintf(buf, sizeof buf, "%s%3d %s", cur ? ">" : other ? t->g.dot : " ", i + 1, text->lines[i]);
        attr_t a = cur ? tui_attr(t, TUI_C_CURRENT, A_REVERSE | A_BOLD)
                   : other ? tui_attr(t, TUI_C_OTHER, A_UNDERLINE) : A_NORMAL;
        int tw = tl ? tui_width(tag) : 0;
        if (tw > L->src_w / 2) tw = L->src_w / 2;
        tui_put(y, 0, L->src_w - tw, buf, a);
        if (tw) tui_put(y, L->src_w - tw, tw, tag, a | A_BOLD);
    }
    attron(tui_attr(t, TUI_C_DIM, A_NORMAL));
    mvvline(L->top_y, L->src_w, ACS_VLINE, L->top_h);
    attroff(tui_attr(t, TUI_C_DIM, A_NORMAL));
}

/* The loop: the phase of its iteration, the ready queue in order, the timers by deadline. */
static void draw_loop(const tui *t, const layout *L)
{
    char buf[1024], desc[512], tbuf[48];
    header(t, L->loop_y, L->out_x, L->out_w, "Loop");
    int y = L->loop_y + 1, end = L->loop_y + L->loop_h;
    aw_model_phase_describe(t->st, buf, sizeof buf);
    char *ph[2] = {0};
    int avail = end - y;
    int nph = tui_wrap(buf, L->out_w - 1, ph, avail >= 4 ? 2 : 1);
    for (int i = 0; i < nph; i++) {
        if (y < end) tui_put(y++, L->out_x + 1, L->out_w - 1, ph[i], A_BOLD);
        free(ph[i]);
    }
    size_t nr = aw_model_ready_count(t->st), ntm = aw_model_timer_count(t->st);
    int rows = end - y;
    if (rows <= 0) return;
    /* asyncio's primitives (Lock, Event, Queue...), when the program has some: who holds each and
     * who waits on it, in up to a third of the rows */
    aw_model_primitive prims[8];
    size_t np = aw_model_primitives(t->st, prims, 8);
    int pr = 0;
    if (np && rows >= 3) {
        pr = rows / 3 > 0 ? rows / 3 : 1;
        if (pr > (int)(np < 8 ? np : 8)) pr = (int)(np < 8 ? np : 8);
        rows -= pr;
    }
    /* the simulated network's connections, when the trace has some: state and bytes in flight
     * each way, in up to a third of what is left */
    aw_model_conn conns[8];
    size_t nc = aw_model_conns(t->st, conns, 8);
    int cr = 0;
    if (nc && rows >= 3) { /* what it asked for (loop_rows_wanted), leaving the queue and timers a row each */
        cr = (int)(nc < 8 ? nc : 8);
        if (cr > rows - 2) cr = rows - 2;
        rows -= cr;
    }
    int want_r = nr ? (int)nr : 1, want_t = ntm ? (int)ntm : 1;
    int rr = want_r, tr = want_t;
    if (rr + tr > rows) { /* share the rows: the timers get at least one */
        tr = want_t < (rows + 1) / 2 ? want_t : (rows + 1) / 2;
        if (tr < 1) tr = 1;
        rr = rows - tr;
        if (rr > want_r) {
            rr = want_r;
            tr = rows - rr;
        }
        if (rr < 1) { /* one row: the ready queue only */
            rr = 1;
            tr = 0;
        }
    }
    /* the entries shown, then a second row for the long ones while rows are left */
    typedef struct entry {
        const char *label;
        char text[600];
        int pair;
    } entry;
    entry *E = calloc((size_t)(rr + tr + pr + cr), sizeof *E);
    if (!E) return;
    int ne = 0;
    for (int i = 0; i < rr; i++, ne++) {
        E[ne].label = i ? "" : "ready";
        E[ne].pair = TUI_C_READY;
        if (!nr) snprintf(E[ne].text, sizeof E[ne].text, "(empty)");
        else if (i == rr - 1 && (size_t)rr < nr) snprintf(E[ne].text, sizeof E[ne].text, "... and %zu more", nr - (size_t)i);
        else
            snprintf(E[ne].text, sizeof E[ne].text, "%zu. %s", (size_t)i + 1,
                     aw_model_handle_describe(t->st, aw_model_ready_at(t->st, (size_t)i), desc, sizeof desc));
    }
    for (int i = 0; i < tr; i++, ne++) {
        aw_model_timer tm;
        E[ne].label = i ? "" : "timers";
        E[ne].pair = TUI_C_WAITING;
        if (!ntm) snprintf(E[ne].text, sizeof E[ne].text, "(none)");
        else if (i == tr - 1 && (size_t)tr < ntm) snprintf(E[ne].text, sizeof E[ne].text, "... and %zu more", ntm - (size_t)i);
        else if (aw_model_timer_at(t->st, (size_t)i, &tm))
            snprintf(E[ne].text, sizeof E[ne].text, "%s  %s", aw_model_format_time(tm.deadline_ns, tbuf, sizeof tbuf),
                     aw_model_handle_describe(t->st, tm.handle, desc, sizeof desc));
    }
    for (int i = 0; i < pr; i++, ne++) {
        E[ne].label = i ? "" : "sync";
        E[ne].pair = TUI_C_WAITING;
        if (i == pr - 1 && (size_t)pr < np) snprintf(E[ne].text, sizeof E[ne].text, "... and %zu more", np - (size_t)i);
        else aw_model_primitive_describe(t->st, &prims[i], E[ne].text, sizeof E[ne].text);
    }
    for (int i = 0; i < cr; i++, ne++) {
        E[ne].label = i ? "" : "net";
        E[ne].pair = TUI_C_WAITING;
        if (i == cr - 1 && (size_t)cr < nc) snprintf(E[ne].text, sizeof E[ne].text, "... and %zu more", nc - (size_t)i);
        else aw_model_conn_describe(&conns[i], E[ne].text, sizeof E[ne].text);
    }
    rows += pr + cr;
    int extra = rows - ne, lx = L->out_x + 1, lw = 7, tw = L->out_w - 1 - lw;
    for (int i = 0; i < ne && y < end; i++) {
        char *two[2] = {0};
        int nl = tw > 8 ? tui_wrap(E[i].text, tw, two, 2) : 0;
        attr_t a = tui_attr(t, E[i].pair, A_NORMAL);
        tui_put(y, lx, lw, E[i].label, a | A_BOLD);
        if (nl == 2 && extra > 0) {
            tui_put(y++, lx + lw, tw, two[0], a);
            tui_put(y, lx, lw, "", a);
            tui_put(y++, lx + lw + 3, tw - 3, two[1], a);
            extra--;
        } else {
            tui_put(y++, lx + lw, tw, E[i].text, a);
        }
        free(two[0]);
        free(two[1]);
    }
    free(E);
}

static void draw_output(const tui *t, const layout *L)
{
    const aw_model *m = t->m;
    int64_t step = aw_model_state_step(t->st);
    size_t n = aw_model_output_count(m, step);
    char head[64], clock[48], buf[1024];
    snprintf(head, sizeof head, "Output (%zu line%s)", n, n == 1 ? "" : "s");
    header(t, L->outp_y, L->out_x, L->out_w, head);
    int rows = L->outp_h - 1;
    size_t first = n > (size_t)rows ? n - (size_t)rows : 0;
    for (int r = 0; r < rows; r++) {
        size_t i = first + (size_t)r;
        int y = L->outp_y + 1 + r;
        aw_model_output o;
        if (i >= n || !aw_model_output_at(m, i, &o)) {
            tui_put(y, L->out_x, L->out_w, "", A_NORMAL);
            continue;
        }
        snprintf(buf, sizeof buf, "[%s] %s", aw_model_format_time(o.t_ns, clock, sizeof clock), o.text);
        attr_t a = o.step == step ? tui_attr(t, TUI_C_CURRENT, A_REVERSE | A_BOLD) : tui_attr(t, TUI_C_OUTPUT, A_NORMAL);
        tui_put(y, L->out_x, L->out_w, buf, a);
    }
}

/* The task the current step concerns (aw_model_focus), else the one whose step runs. */
static int64_t focus_task(const tui *t)
{
    int64_t task = 0;
    int line;
    bool own;
    aw_model_focus(t->st, &task, &line, &own);
    aw_model_task tt;
    if (task && aw_model_task_get(t->st, task, &tt) && tui_task_shown(t, tt.created_step)) return task;
    return 0;
}

/* The current task's await stack, outermost first: "Task-1: main (line 15) → wait_for (asyncio)". */
static void draw_stack(const tui *t, const layout *L)
{
    char buf[1024], name[128];
    size_t len = 0;
    int64_t task = focus_task(t);
    aw_model_task tt;
    if (!task || !aw_model_task_get(t->st, task, &tt)) {
        tui_put(L->stack_y, 0, L->W, " await stack: no task's code runs at this step", tui_attr(t, TUI_C_DIM, A_DIM));
        return;
    }
    aw_model_frame fr[32];
    size_t depth = aw_model_task_stack(t->st, task, fr, 32);
    task_name(t, task, name, sizeof name);
    if (!depth) {
        char desc[512];
        snprintf(buf, sizeof buf, " %s: %s", name, aw_model_task_describe(t->st, &tt, desc, sizeof desc));
        tui_put(L->stack_y, 0, L->W, buf, A_BOLD);
        return;
    }
    /* outermost first; compact ("main:15") when the long form does not fit */
    for (int compact = 0; compact < 2; compact++) {
        len = (size_t)snprintf(buf, sizeof buf, " %s's await stack: ", name);
        for (size_t i = 0; i < depth && i < 32 && len < sizeof buf - 1; i++) {
            const char *fn = fr[i].name ? fr[i].name : "?";
            if (i) len += (size_t)snprintf(buf + len, sizeof buf - len, " %s ", t->g.arrow);
            if (len >= sizeof buf - 1) break;
            if (fr[i].library) len += (size_t)snprintf(buf + len, sizeof buf - len, "%s (asyncio)", fn);
            else if (fr[i].line > 0)
                len += (size_t)snprintf(buf + len, sizeof buf - len, compact ? "%s:%d" : "%s (line %d)", fn, fr[i].line);
            else len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", fn);
        }
        if (depth > 32 && len < sizeof buf - 1) snprintf(buf + len, sizeof buf - len, " %s ...", t->g.arrow);
        if (tui_width(buf) <= L->W) break;
    }
    tui_put(L->stack_y, 0, L->W, buf, A_BOLD);
}

/* The tasks with a row now: created by this step, shutdown's only when it is expanded.  Tasks
 * come in creation order, so these are the first ones. */
static size_t shown_tasks(const tui *t)
{
    size_t n = aw_model_task_count(t->st);
    aw_model_task task;
    while (n > 0 && aw_model_task_at(t->st, n - 1, &task) && !tui_task_shown(t, task.created_step)) n--;
    return n;
}

static void draw_tasks(tui *t, const layout *L)
{
    const aw_model *m = t->m;
    int64_t step = aw_model_state_step(t->st);
    size_t n = shown_tasks(t);
    int rows = L->tasks_h - 1;
    int name_w = L->W >= 100 ? 24 : 18, lane_w = L->W / 4 > 16 ? L->W / 4 : 16, desc_w = L->W - name_w - lane_w - 3;
    int lane_x = L->W - lane_w - 1;
    /* the lane's axis: virtual time when it moves, else event numbers */
    int64_t end = aw_model_end_time(m);
    aw_model_axis axis = end > 0 ? AW_MODEL_AXIS_TIME : AW_MODEL_AXIS_STEP;
    int64_t to = axis == AW_MODEL_AXIS_TIME ? end + 1 : t->n + 1;
    int64_t now = axis == AW_MODEL_AXIS_TIME ? aw_model_state_time(t->st) : step;

    char head[256], endl[64], tmp[48];
    snprintf(head, sizeof head, "Tasks (%zu)%s", n, n > (size_t)rows ? "  j/k scroll" : "");
    header(t, L->tasks_y, 0, lane_x, head);
    /* the axis above the lanes: 0 ... end, and 'v' over now */
    char axisbuf[256];
    if (axis == AW_MODEL_AXIS_TIME) snprintf(endl, sizeof endl, "%ss", aw_model_format_time(end, tmp, sizeof tmp));
    else snprintf(endl, sizeof endl, "event %lld", (long long)t->n);
    /* " 0s-----v------2.000s": the lane's first cell is under the '0' */
    if (lane_w > 250) lane_w = 250;
    memset(axisbuf, '-', (size_t)lane_w + 1);
    axisbuf[lane_w + 1] = '\0';
    axisbuf[0] = ' ';
    const char *zero = axis == AW_MODEL_AXIS_TIME ? "0s" : "0";
    int now_cell = (int)((double)now * lane_w / (double)to);
    if (now_cell > (int)strlen(zero)) memcpy(axisbuf + 1, zero, strlen(zero));
    size_t el = strlen(endl);
    if ((int)el < lane_w - 4 && now_cell < lane_w - (int)el - 1) memcpy(axisbuf + lane_w + 1 - el, endl, el);
    if (now_cell >= 0 && now_cell < lane_w) axisbuf[1 + now_cell] = 'v';
    tui_put(L->tasks_y, lane_x, lane_w + 1, axisbuf, tui_attr(t, TUI_C_HEADER, A_NORMAL));

    /* keep the current task in view when the step changed (j/k scroll otherwise) */
    int64_t focus = focus_task(t);
    if (focus && t->focus_step != step) {
        t->focus_step = step;
        for (size_t k = 0; k < n; k++) {
            aw_model_task tt;
            if (!aw_model_task_at(t->st, k, &tt) || tt.id != focus) continue;
            if ((int)k < t->task_scroll) t->task_scroll = (int)k;
            if ((int)k >= t->task_scroll + rows) t->task_scroll = (int)k - rows + 1;
            break;
        }
    }
    if (t->task_scroll > (int)n - rows) t->task_scroll = (int)n - rows;
    if (t->task_scroll < 0) t->task_scroll = 0;

    /* who woke whom at this step, and a timer that fired late (and what held the loop) */
    int64_t cause_task = 0, effect_task = 0, held_step = 0, held_task = 0, late = 0;
    bool caused = step > 0 && aw_model_cause(m, step, &cause_task, &effect_task) > 0;
    if (step > 0) late = aw_model_timer_late(m, step, &held_step);
    aw_model_event hev;
    if (late > 0 && held_step > 0 && aw_model_event_get(m, held_step, &hev)) held_task = hev.task;
    char cname[128], ename[128], hname[128], lbuf[48];
    task_name(t, cause_task, cname, sizeof cname);
    task_name(t, effect_task, ename, sizeof ename);
    task_name(t, held_task, hname, sizeof hname);

    for (int r = 0; r < rows; r++) {
        int y = L->tasks_y + 1 + r;
        size_t k = (size_t)(t->task_scroll + r);
        aw_model_task task;
        if (k >= n || !aw_model_task_at(t->st, k, &task)) {
            move(y, 0);
            clrtoeol();
            continue;
        }
        char name[128], desc[512], mark[256] = "", row[800];
        snprintf(name, sizeof name, "%c%s %s", task.id == focus ? '*' : ' ', task.name ? task.name : "?",
                 task.coro ? task.coro : "");
        tui_put(y, 0, name_w, name, task.id == focus ? A_BOLD : A_NORMAL);
        size_t ml = 0;
        if (caused && task.id == effect_task) {
            if (cause_task && cause_task != effect_task)
                ml += (size_t)snprintf(mark + ml, sizeof mark - ml, "%s woken by %s", t->g.woken, cname);
            else ml += (size_t)snprintf(mark + ml, sizeof mark - ml, "%s woken", t->g.woken);
        } else if (caused && task.id == cause_task) {
            if (effect_task) ml += (size_t)snprintf(mark + ml, sizeof mark - ml, "%s woke %s", t->g.waker, ename);
            else ml += (size_t)snprintf(mark + ml, sizeof mark - ml, "%s caused this", t->g.waker);
        }
        if (late > 0 && task.id == effect_task && ml < sizeof mark - 1)
            ml += (size_t)snprintf(mark + ml, sizeof mark - ml, "%slate by %s s%s%s", ml ? ", " : "",
                                   aw_model_format_time(late, lbuf, sizeof lbuf), held_task ? ": held by " : "",
                                   held_task ? hname : "");
        if (late > 0 && held_task && task.id == held_task && task.id != effect_task && ml < sizeof mark - 1)
            ml += (size_t)snprintf(mark + ml, sizeof mark - ml, "%s%s held the loop (a timer fired late)", ml ? ", " : "",
                                   t->g.waker);
        aw_model_task_describe(t->st, &task, desc, sizeof desc);
        if (ml) {
            snprintf(row, sizeof row, "%s %s %s", mark, t->g.dot, desc);
            tui_put(y, name_w + 1, desc_w, row, tui_attr(t, TUI_C_PROMPT, A_REVERSE) | A_BOLD);
        } else {
            tui_put(y, name_w + 1, desc_w, desc, state_attr(t, task.state));
        }
        aw_model_task_state cells[512];
        int cw = lane_w < 512 ? lane_w : 512;
        aw_model_task_lane(m, task.id, step, axis, 0, to, (size_t)cw, cells);
        mvaddch(y, lane_x, '|');
        for (int c = 0; c < cw; c++) {
            chtype ch = (chtype)state_glyph(cells[c]);
            mvaddch(y, lane_x + 1 + c, ch | (cells[c] == AW_MODEL_NONE ? A_NORMAL : state_attr(t, cells[c])));
        }
    }
}

/* "asyncio.run shuts down: 29 steps (press e to expand)" */
static char *fold_text(const tui *t, char *buf, size_t size)
{
    snprintf(buf, size, "asyncio.run shuts down: %lld steps (press e to expand)", (long long)(t->n - t->fold_start + 1));
    return buf;
}

static void draw_log(const tui *t, const layout *L)
{
    const aw_model *m = t->m;
    int64_t step = aw_model_state_step(t->st);
    char head[96];
    snprintf(head, sizeof head, "Events (%lld of %lld)%s", (long long)step, (long long)t->n,
             t->raw_log ? "  raw fields (r: sentences)" : "  (r: raw fields)");
    header(t, L->log_y, 0, L->W, head);
    int rows = L->log_h - 1;
    /* display rows: steps 1..n, or, folded, 1..fold_start-1 and the group (the fold's end) */
    bool fold = t->folded && t->fold_start > 0;
    int64_t D = fold ? t->fold_start : t->n;
    int64_t cur = step == 0 ? 0 : fold && step >= t->fold_start ? D : step; /* 1-based display row */
    /* the current event a little above the middle: what comes next is visible too (not in a quiz) */
    int64_t first = t->quiz ? cur - rows + 1 : cur - rows / 2;
    if (!t->quiz && first > D - rows + 1) first = D - rows + 1;
    if (first < 1) first = 1;
    for (int r = 0; r < rows; r++) {
        int64_t d = first + r;
        int y = L->log_y + 1 + r;
        if (d > D || (t->quiz && d > cur)) {
            tui_put(y, 0, L->W, d == 1 && D == 0 ? "  (the trace has no events)" : "", A_NORMAL);
            continue;
        }
        bool group = fold && d == D;
        int64_t s = group ? t->n : d;
        char ev[1024], buf[1200], clock[48];
        bool is_cur = d == cur;
        if (group) {
            fold_text(t, ev, sizeof ev);
            snprintf(buf, sizeof buf, "%c%4lld-%lld %s  %s", is_cur ? '>' : ' ', (long long)t->fold_start, (long long)t->n,
                     aw_model_format_time(aw_model_step_time(m, t->fold_start), clock, sizeof clock), ev);
        } else if (t->raw_log) {
            aw_model_event_format(m, s, ev, sizeof ev);
            snprintf(buf, sizeof buf, "%c %s", is_cur ? '>' : ' ', ev[0] == '#' ? ev + 1 : ev);
        } else {
            aw_model_explain(m, s, ev, sizeof ev);
            snprintf(buf, sizeof buf, "%c%4lld %s  %s", is_cur ? '>' : ' ', (long long)s,
                     aw_model_format_time(aw_model_step_time(m, s), clock, sizeof clock), ev);
        }
        attr_t a = is_cur ? tui_attr(t, TUI_C_CURRENT, A_REVERSE | A_BOLD) : d > cur ? tui_attr(t, TUI_C_DIM, A_DIM) : A_NORMAL;
        tui_put(y, 0, L->W, buf, a);
    }
}

/* The quiz, in the event log's place: the question and its choices, or the answer. */
static void draw_quiz(const tui *t, const layout *L)
{
    char head[128], buf[1024];
    snprintf(head, sizeof head, "Predict the next step  (score: %d of %d)", t->score, t->asked);
    header(t, L->log_y, 0, L->W, head);
    int y = L->log_y + 1, end = L->log_y + L->log_h;
    char *lines[8] = {0};
    const aw_model_quiz *q = &t->q;
    if (t->asking) {
        int nl = tui_wrap(q->question, L->W - 2, lines, 2);
        for (int i = 0; i < nl; i++) {
            if (y < end) tui_put(y++, 1, L->W - 1, lines[i], A_BOLD);
            free(lines[i]);
        }
        for (size_t i = 0; i < q->n_choices && i < AW_MODEL_QUIZ_CHOICES && y < end - 1; i++) {
            snprintf(buf, sizeof buf, "  %zu. %s", i + 1, q->choices[i]);
            tui_put(y++, 1, L->W - 1, buf, A_NORMAL);
        }
        snprintf(buf, sizeof buf, "Press 1-%zu to answer.", q->n_choices);
        if (y < end) tui_put(y++, 1, L->W - 1, buf, tui_attr(t, TUI_C_PROMPT, A_REVERSE));
    } else {
        bool right = t->chosen == q->answer;
        if (right) snprintf(buf, sizeof buf, "Right!  %zu. %s", q->answer + 1, q->choices[q->answer]);
        else
            snprintf(buf, sizeof buf, "Wrong: you chose %zu. %s; the answer is %zu. %s", t->chosen + 1,
                     t->chosen < AW_MODEL_QUIZ_CHOICES ? q->choices[t->chosen] : "?", q->answer + 1, q->choices[q->answer]);
        int nl = tui_wrap(buf, L->W - 2, lines, 2);
        for (int i = 0; i < nl; i++) {
            if (y < end) tui_put(y++, 1, L->W - 1, lines[i], right ? tui_attr(t, TUI_C_RIGHT, A_BOLD) | A_BOLD : tui_attr(t, TUI_C_FAILED, A_BOLD));
            free(lines[i]);
        }
        snprintf(buf, sizeof buf, "Rule: %s", q->rule);
        nl = tui_wrap(buf, L->W - 2, lines, end - y > 1 ? (end - y - 1 < 4 ? end - y - 1 : 4) : 1);
        for (int i = 0; i < nl; i++) {
            if (y < end) tui_put(y++, 1, L->W - 1, lines[i], A_NORMAL);
            free(lines[i]);
        }
        if (y < end) tui_put(y++, 1, L->W - 1, "Press the right arrow to go on.", tui_attr(t, TUI_C_DIM, A_DIM));
    }
    for (; y < end; y++) tui_put(y, 0, L->W, "", A_NORMAL);
}

static void draw_sentence(const tui *t, const layout *L)
{
    int64_t step = aw_model_state_step(t->st);
    char s[1400], e[1024], f[128], score[64] = "";
    if (t->quiz && step == t->n && !t->asking) snprintf(score, sizeof score, "The end. score: %d of %d. ", t->score, t->asked);
    if (t->asking)
        snprintf(s, sizeof s, "What happens next? Read the loop's state, then choose below: the step stays hidden until you answer.");
    else if (step == 0)
        snprintf(s, sizeof s, "Before the first event. Press the right arrow (or l, n) to step, ? for help.");
    else if (t->folded && t->fold_start > 0 && step >= t->fold_start)
        snprintf(s, sizeof s, "%s%s. %.1000s", score, fold_text(t, f, sizeof f), aw_model_explain(t->m, t->fold_start, e, sizeof e));
    else snprintf(s, sizeof s, "%s%.1000s", score, aw_model_explain(t->m, step, e, sizeof e));
    char *lines[2] = {0};
    int n = tui_wrap(s, L->W - 2, lines, L->expl_h);
    for (int r = 0; r < L->expl_h; r++) {
        tui_put(L->expl_y + r, 0, 2, r == 0 && step && !t->asking ? "=>" : "", A_BOLD);
        tui_put(L->expl_y + r, 2, L->W - 2, r < n ? lines[r] : "", A_BOLD);
        free(lines[r]);
    }
}

static void draw_status(const tui *t, const layout *L, const char *label, const char *text)
{
    char buf[512];
    if (label) {
        snprintf(buf, sizeof buf, "%s%s_", label, text ? text : "");
        tui_put(L->status_y, 0, L->W, buf, tui_attr(t, TUI_C_PROMPT, A_BOLD));
    } else if (t->msg[0]) {
        tui_put(L->status_y, 0, L->W, t->msg, tui_attr(t, TUI_C_PROMPT, A_BOLD));
    } else if (t->asking) {
        snprintf(buf, sizeof buf, "1-%zu answer  <- back  ? help  q quit", t->q.n_choices);
        tui_put(L->status_y, 0, L->W, buf, tui_attr(t, TUI_C_DIM, A_DIM));
    } else {
        tui_put(L->status_y, 0, L->W,
                L->W >= 100 ? "<- -> step  [ ] iteration  o output  space play  / find  r raw log  e shutdown  ? help  q quit"
                            : "<- -> step  [ ] iteration  space play  / find  r raw  e fold  ? help  q quit",
                tui_attr(t, TUI_C_DIM, A_DIM));
    }
}

/* Under the keys (which come from the table both viewers share: view_keys.h). */
static const char *const help_legend[] = {
    "  1-9          answer the quiz (--quiz)",
    "",
    "Source: > the current task's line; the other tasks' lines marked, names at the right",
    "Tasks: woken / woke: who woke whom at this step; late by: a timer that fired late",
    "Lanes (one per task, over virtual time; v marks now)",
    "  #  running     @  blocked (CPU-bound code)     :  ready      .  created",
    "  -  waiting     =  done     !  failed     x  cancelled",
    "",
    "Press any key to close this help.",
};

#define HELP_MAX 40

static void draw_help(const tui *t, const layout *L)
{
    char lines[HELP_MAX][128];
    int n = 0;
    snprintf(lines[n++], sizeof lines[0], "Keys");
    /* the terminal's bindings, two to a row */
    const aw_view_binding *row[2];
    int k = 0;
    for (size_t i = 0; i <= aw_view_binding_count(); i++) {
        const aw_view_binding *b = aw_view_binding_at(i);
        if (b && !(b->viewers & AW_VIEWER_TUI)) continue;
        if (b) row[k++] = b;
        if ((k == 2 || (!b && k == 1)) && n < HELP_MAX) {
            char left[64];
            snprintf(left, sizeof left, "%-12.12s %-30.30s", row[0]->keys_text, row[0]->help);
            if (k == 2) snprintf(lines[n++], sizeof lines[0], "  %s %-12.12s %.30s", left, row[1]->keys_text, row[1]->help);
            else snprintf(lines[n++], sizeof lines[0], "  %s", left);
            k = 0;
        }
    }
    for (size_t i = 0; i < sizeof help_legend / sizeof help_legend[0] && n < HELP_MAX; i++)
        snprintf(lines[n++], sizeof lines[0], "%s", help_legend[i]);
    int w = 96 < L->W - 2 ? 96 : L->W - 2, h = n + 2;
    int x = (L->W - w) / 2, y = (L->H - h) / 2;
    if (y < 0) y = 0;
    attr_t a = tui_attr(t, TUI_C_TITLE, A_REVERSE);
    char border[256];
    memset(border, '-', (size_t)w);
    border[0] = border[w - 1] = '+';
    border[w] = '\0';
    tui_put(y, x, w, border, a);
    int pad = w - 3 < 200 ? w - 3 : 200;
    for (int i = 0; i < n && y + 1 + i < L->H - 1; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "| %-*.127s|", pad, lines[i]);
        tui_put(y + 1 + i, x, w, buf, a);
    }
    if (y + h - 1 < L->H) tui_put(y + h - 1, x, w, border, a);
}

void tui_draw(tui *t, const char *prompt_label, const char *prompt_text)
{
    int H, W;
    getmaxyx(stdscr, H, W);
    if (W < TUI_MIN_W || H < TUI_MIN_H) {
        erase();
        char buf[64];
        snprintf(buf, sizeof buf, "This terminal is %dx%d.", W, H);
        mvaddnstr(H / 2 - 1, 0, buf, W);
        snprintf(buf, sizeof buf, "awaitlab needs at least %dx%d.", TUI_MIN_W, TUI_MIN_H);
        mvaddnstr(H / 2, 0, buf, W);
        mvaddnstr(H / 2 + 1, 0, "Enlarge it, or press q to quit.", W);
        refresh();
        return;
    }
    layout L = compute_layout(t, W, H, shown_tasks(t));
    erase(); /* the layout moves as tasks appear; curses sends only what changed */
    draw_title(t, &L);
    draw_source(t, &L);
    draw_loop(t, &L);
    draw_output(t, &L);
    draw_stack(t, &L);
    draw_tasks(t, &L);
    if (t->asking || (t->result_step && t->result_step == aw_model_state_step(t->st))) draw_quiz(t, &L);
    else draw_log(t, &L);
    draw_sentence(t, &L);
    draw_status(t, &L, prompt_label, prompt_text);
    if (t->help) draw_help(t, &L);
    refresh();
}
