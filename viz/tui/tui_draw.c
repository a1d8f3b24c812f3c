/* tui_draw.c — draws the terminal viewer's panes from the model's state at the current step.
 * Everything is redrawn on each key (a screen is a few thousand cells; curses sends only the
 * difference).  Layout, top to bottom:
 *
 *   title bar: lesson, step, clock, iteration, playing or paused
 *   source (the example, current line highlighted)  |  output so far
 *   tasks: name, state in words, lane over virtual time
 *   event log, current event highlighted
 *   the current event in one sentence (two rows)
 *   status line: keys, a message, or a prompt
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_internal.h"

typedef struct layout {
    int W, H;
    int top_y, top_h, src_w, out_x, out_w;
    int tasks_y, tasks_h;
    int log_y, log_h;
    int expl_y, expl_h;
    int status_y;
} layout;

static layout compute_layout(int W, int H, size_t ntasks)
{
    layout L = {.W = W, .H = H};
    int rest = H - 2 /* title, status */ - 2 /* sentence */;
    L.top_y = 1;
    L.top_h = rest * 2 / 5;
    L.tasks_h = (int)ntasks + 1;
    int max_tasks = rest / 4 > 3 ? rest / 4 : 3;
    if (L.tasks_h > max_tasks) L.tasks_h = max_tasks;
    if (L.tasks_h < 2) L.tasks_h = 2;
    L.tasks_y = L.top_y + L.top_h;
    L.log_y = L.tasks_y + L.tasks_h;
    L.log_h = rest - L.top_h - L.tasks_h;
    L.expl_y = L.log_y + L.log_h;
    L.expl_h = 2;
    L.status_y = H - 1;
    L.out_w = W * 2 / 5;
    L.src_w = W - L.out_w - 1;
    L.out_x = L.src_w + 1;
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
    else snprintf(right, sizeof right, " paused ");
    attr_t a = tui_attr(t, TUI_C_TITLE, A_REVERSE);
    int rw = tui_width(right);
    tui_put(0, 0, L->W - rw, buf, a);
    tui_put(0, L->W - rw, rw, right, a);
}

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
    int rows = L->top_h - 1, n = text ? text->n : 0;
    int first = line ? line - 1 - rows / 2 : 0; /* the current line in the middle */
    if (first > n - rows) first = n - rows;
    if (first < 0) first = 0;
    for (int r = 0; r < rows; r++) {
        int i = first + r, y = L->top_y + 1 + r;
        if (i >= n) {
            tui_put(y, 0, L->src_w, "", A_NORMAL);
            continue;
        }
        char buf[1024];
        bool cur = i + 1 == line;
        snprintf(buf, sizeof buf, "%c%3d %s", cur ? '>' : ' ', i + 1, text->lines[i]);
        tui_put(y, 0, L->src_w, buf, cur ? tui_attr(t, TUI_C_CURRENT, A_REVERSE | A_BOLD) : A_NORMAL);
    }
    attron(tui_attr(t, TUI_C_DIM, A_NORMAL));
    mvvline(L->top_y, L->src_w, ACS_VLINE, L->top_h);
    attroff(tui_attr(t, TUI_C_DIM, A_NORMAL));
}

static void draw_output(const tui *t, const layout *L)
{
    const aw_model *m = t->m;
    int64_t step = aw_model_state_step(t->st);
    size_t n = aw_model_output_count(m, step);
    char head[64], clock[48], buf[1024];
    snprintf(head, sizeof head, "Output (%zu line%s)", n, n == 1 ? "" : "s");
    header(t, L->top_y, L->out_x, L->out_w, head);
    int rows = L->top_h - 1;
    size_t first = n > (size_t)rows ? n - (size_t)rows : 0;
    for (int r = 0; r < rows; r++) {
        size_t i = first + (size_t)r;
        int y = L->top_y + 1 + r;
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

/* The task the current event is about, if any (to keep its row in view and mark it). */
static int64_t event_task(const tui *t)
{
    aw_model_event ev;
    if (!aw_model_event_get(t->m, aw_model_state_step(t->st), &ev)) return 0;
    aw_model_task task;
    if (ev.task && aw_model_task_get(t->st, ev.task, &task)) return ev.task;
    if (ev.future && aw_model_task_get(t->st, ev.future, &task)) return ev.future;
    return 0;
}

static void draw_tasks(tui *t, const layout *L)
{
    const aw_model *m = t->m;
    int64_t step = aw_model_state_step(t->st);
    size_t n = aw_model_task_count(t->st);
    int rows = L->tasks_h - 1;
    int name_w = 18, lane_w = L->W / 4 > 16 ? L->W / 4 : 16, desc_w = L->W - name_w - lane_w - 3;
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

    /* keep the current event's task in view when the step changed (j/k scroll otherwise) */
    int64_t focus = event_task(t);
    if (focus && t->focus_step != step) {
        t->focus_step = step;
        aw_model_task ft;
        if (aw_model_task_get(t->st, focus, &ft)) {
            size_t idx = 0;
            for (; idx < n; idx++) {
                aw_model_task tt;
                if (aw_model_task_at(t->st, idx, &tt) && tt.id == focus) break;
            }
            if ((int)idx < t->task_scroll) t->task_scroll = (int)idx;
            if ((int)idx >= t->task_scroll + rows) t->task_scroll = (int)idx - rows + 1;
        }
    }
    if (t->task_scroll > (int)n - rows) t->task_scroll = (int)n - rows;
    if (t->task_scroll < 0) t->task_scroll = 0;

    for (int r = 0; r < rows; r++) {
        int y = L->tasks_y + 1 + r;
        size_t i = (size_t)(t->task_scroll + r);
        aw_model_task task;
        if (i >= n || !aw_model_task_at(t->st, i, &task)) {
            move(y, 0);
            clrtoeol();
            continue;
        }
        char name[128], desc[512];
        snprintf(name, sizeof name, "%c%s %s", task.id == focus ? '*' : ' ', task.name ? task.name : "?",
                 task.coro ? task.coro : "");
        tui_put(y, 0, name_w, name, task.id == focus ? A_BOLD : A_NORMAL);
        aw_model_task_describe(t->st, &task, desc, sizeof desc);
        tui_put(y, name_w + 1, desc_w, desc, state_attr(t, task.state));
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

static void draw_log(const tui *t, const layout *L)
{
    const aw_model *m = t->m;
    int64_t step = aw_model_state_step(t->st);
    char head[64];
    snprintf(head, sizeof head, "Events (%lld of %lld)", (long long)step, (long long)t->n);
    header(t, L->log_y, 0, L->W, head);
    int rows = L->log_h - 1;
    /* the current event a little above the middle: what comes next is visible too */
    int64_t first = step - rows / 2;
    if (first > t->n - rows + 1) first = t->n - rows + 1;
    if (first < 1) first = 1;
    for (int r = 0; r < rows; r++) {
        int64_t s = first + r;
        int y = L->log_y + 1 + r;
        if (s > t->n) {
            tui_put(y, 0, L->W, s == 1 ? "  (the trace has no events)" : "", A_NORMAL);
            continue;
        }
        char ev[1024], buf[1100];
        aw_model_event_format(m, s, ev, sizeof ev);
        bool cur = s == step;
        snprintf(buf, sizeof buf, "%c %s", cur ? '>' : ' ', ev[0] == '#' ? ev + 1 : ev);
        attr_t a = cur ? tui_attr(t, TUI_C_CURRENT, A_REVERSE | A_BOLD) : s > step ? tui_attr(t, TUI_C_DIM, A_DIM) : A_NORMAL;
        tui_put(y, 0, L->W, buf, a);
    }
}

static void draw_sentence(const tui *t, const layout *L)
{
    int64_t step = aw_model_state_step(t->st);
    char s[1024];
    if (step == 0) snprintf(s, sizeof s, "Before the first event. Press the right arrow (or l, n) to step, ? for help.");
    else aw_model_explain(t->m, step, s, sizeof s);
    char *lines[2] = {0};
    int n = tui_wrap(s, L->W - 2, lines, L->expl_h);
    for (int r = 0; r < L->expl_h; r++) {
        tui_put(L->expl_y + r, 0, 2, r == 0 && step ? "=>" : "", A_BOLD);
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
    } else {
        tui_put(L->status_y, 0, L->W,
                "<- -> step  [ ] iteration  o output  space play  t time  / find  ? help  q quit",
                tui_attr(t, TUI_C_DIM, A_DIM));
    }
}

static const char *const help_lines[] = {
    "Keys",
    "  right  l  n     next event          left  h  p    previous event",
    "  ]               next loop iteration [             previous iteration",
    "  o               next output line    O             previous output line",
    "  space           play / pause        +  -          faster / slower",
    "  g  Home         first event         G  End        last event",
    "  t               jump to a time      /             search the events",
    "  c               Python / C port     j  k          scroll the tasks",
    "  ?               this help           q             quit",
    "",
    "Lanes (one per task, over virtual time; v marks now)",
    "  #  running     @  blocked (CPU-bound code)     :  ready      .  created",
    "  -  waiting     =  done     !  failed     x  cancelled",
    "",
    "Press any key to close this help.",
};

static void draw_help(const tui *t, const layout *L)
{
    int n = (int)(sizeof help_lines / sizeof help_lines[0]);
    int w = 76 < L->W - 2 ? 76 : L->W - 2, h = n + 2;
    int x = (L->W - w) / 2, y = (L->H - h) / 2;
    attr_t a = tui_attr(t, TUI_C_TITLE, A_REVERSE);
    char border[256];
    memset(border, '-', (size_t)w);
    border[0] = border[w - 1] = '+';
    border[w] = '\0';
    tui_put(y, x, w, border, a);
    for (int i = 0; i < n; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "| %-*s|", w - 3, help_lines[i]);
        tui_put(y + 1 + i, x, w, buf, a);
    }
    tui_put(y + h - 1, x, w, border, a);
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
    layout L = compute_layout(W, H, aw_model_task_count(t->st));
    erase(); /* the layout moves as tasks appear; curses sends only what changed */
    draw_title(t, &L);
    draw_source(t, &L);
    draw_output(t, &L);
    draw_tasks(t, &L);
    draw_log(t, &L);
    draw_sentence(t, &L);
    draw_status(t, &L, prompt_label, prompt_text);
    if (t->help) draw_help(t, &L);
    refresh();
}
