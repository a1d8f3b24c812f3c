/* tui_app.c — the terminal viewer's loop: set up curses, read a key, move the state, redraw.
 * Playing is getch() with a timeout: no key before it runs out means "next event". */
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui_internal.h"
#include "view_keys.h"

#include <term.h> /* after curses.h: tigetstr() */

const int tui_speeds[] = {1, 2, 4, 8, 16, 32, 64, 128};
const int tui_nspeeds = (int)(sizeof tui_speeds / sizeof tui_speeds[0]);

bool aw_tui_available(void) { return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO); }

static void init_colors(tui *t)
{
    t->color = has_colors() && start_color() == OK;
    if (!t->color) return;
    use_default_colors(); /* -1: the terminal's own background */
    init_pair(TUI_C_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(TUI_C_HEADER, COLOR_CYAN, -1);
    init_pair(TUI_C_CURRENT, COLOR_BLACK, COLOR_YELLOW);
    init_pair(TUI_C_DIM, COLOR_BLUE, -1);
    init_pair(TUI_C_RUNNING, COLOR_GREEN, -1);
    init_pair(TUI_C_READY, COLOR_CYAN, -1);
    init_pair(TUI_C_WAITING, COLOR_YELLOW, -1);
    init_pair(TUI_C_BLOCKED, COLOR_RED, -1);
    init_pair(TUI_C_DONE, COLOR_BLUE, -1);
    init_pair(TUI_C_FAILED, COLOR_MAGENTA, -1);
    init_pair(TUI_C_OUTPUT, COLOR_GREEN, -1);
    init_pair(TUI_C_PROMPT, COLOR_BLACK, COLOR_CYAN);
    init_pair(TUI_C_OTHER, COLOR_CYAN, -1);
    init_pair(TUI_C_RIGHT, COLOR_GREEN, -1);
}

static void init_glyphs(tui *t)
{
    const char *cs = nl_langinfo(CODESET);
    bool utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
    t->g = utf8 ? (tui_glyphs){"\u2192", "\u25c2", "\u25c0", "\u25b6", "\u00b7"}
                : (tui_glyphs){"->", "<", "<", ">", "-"};
}

/* ---- asyncio.run's shutdown, folded ------------------------------------------------------------ */

bool tui_folded_away(const tui *t, int64_t step)
{
    return t->folded && t->fold_start > 0 && step >= t->fold_start && step < t->n;
}

bool tui_task_shown(const tui *t, int64_t created_step)
{
    return !(t->folded && t->fold_start > 0 && created_step >= t->fold_start);
}

__attribute__((format(printf, 2, 3))) static void say(tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
}

static void seek(tui *t, int64_t step)
{
    if (aw_model_seek(t->st, step) < 0) say(t, "out of memory");
}

/* The step a move from `cur` lands on: inside the folded shutdown, its end (the group step)
 * going forward, the step before it going back. */
static int64_t unfold_target(const tui *t, int64_t cur, int64_t step)
{
    if (!tui_folded_away(t, step)) return step;
    return step < cur ? t->fold_start - 1 : t->n;
}

/* Quiz: poses the question of the first unasked predictable step in (from, to], if any (the state
 * goes to the step just before it).  true: a question is up. */
static bool pose_quiz(tui *t, int64_t from, int64_t to)
{
    if (!t->quiz || !t->quiz_asked) return false;
    for (int64_t s = from + 1; s <= to && s <= t->n; s++) {
        if (t->quiz_asked[s] || tui_folded_away(t, s) || (t->folded && t->fold_start && s >= t->fold_start)) continue;
        if (!aw_model_quiz_at(t->m, s, &t->q) || t->q.n_choices < 2) continue;
        t->quiz_asked[s] = 1;
        t->asking = s;
        seek(t, s - 1);
        return true;
    }
    return false;
}

/* Moves to `step`: the fold's group step stands for the steps it hides, and in a quiz, a move
 * forward stops at the first question on the way. */
static void go(tui *t, int64_t step)
{
    int64_t cur = aw_model_state_step(t->st);
    if (step < 0) step = 0;
    if (step > t->n) step = t->n;
    step = unfold_target(t, cur, step);
    t->result_step = 0;
    if (step > cur && pose_quiz(t, cur, step)) return;
    seek(t, step);
}

/* One step forward or back, the folded shutdown counting as one step. */
static void step_by(tui *t, int dir)
{
    int64_t step = aw_model_state_step(t->st);
    if (dir > 0) {
        if (step >= t->n) say(t, "this is the last event");
        go(t, t->folded && t->fold_start && step + 1 >= t->fold_start ? t->n : step + 1);
    } else {
        if (step == 0) say(t, "this is the start");
        go(t, t->folded && t->fold_start && step >= t->fold_start ? t->fold_start - 1 : step - 1);
    }
}

/* Reads a line on the status row.  false: cancelled (Escape). */
static bool prompt(tui *t, const char *label, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    timeout(-1);
    for (;;) {
        tui_draw(t, label, buf);
        int ch = getch();
        if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) return true;
        if (ch == 27 || ch == 3 /* ^C */ || ch == 7 /* ^G */) return false;
        if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && len > 0) {
            do len--; /* a whole UTF-8 character */
            while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80);
            buf[len] = '\0';
        } else if (ch >= 32 && ch < 256 && ch != 127 && len + 1 < size) {
            buf[len++] = (char)ch;
            buf[len] = '\0';
        }
    }
}

static void jump_to_time(tui *t)
{
    char in[64];
    if (!prompt(t, "Jump to time (seconds): ", in, sizeof in) || !in[0]) return;
    char *end;
    double s = strtod(in, &end);
    while (*end == ' ') end++;
    if (*end == 's') end++;
    if (end == in || *end || !isfinite(s) || s < 0 || s > 9.2e9) {
        say(t, "not a time: '%s' (write seconds, e.g. 1.5)", in);
        return;
    }
    int64_t ns = (int64_t)llround(s * 1e9);
    go(t, aw_model_find_time(t->m, ns));
    if (ns > aw_model_end_time(t->m)) say(t, "the trace ends before that: this is its last event");
}

static void search(tui *t)
{
    char in[128];
    if (!prompt(t, "Search the steps (Enter: again): ", in, sizeof in)) return;
    if (in[0]) snprintf(t->search, sizeof t->search, "%s", in);
    if (!t->search[0]) return;
    int64_t hit = aw_model_search(t->m, aw_model_state_step(t->st), true, t->search);
    if (hit < 0) say(t, "not found: %s", t->search);
    else {
        if (hit <= aw_model_state_step(t->st)) say(t, "search wrapped around to the start");
        if (tui_folded_away(t, hit)) {
            t->folded = false;
            say(t, "found in asyncio.run's shutdown: expanded (e folds it again)");
        }
        go(t, hit);
    }
}

/* ncurses' key codes as the shared table spells keys (view_keys.h). */
static int tui_key(int ch)
{
    switch (ch) {
    case KEY_RIGHT: return AW_VK_RIGHT;
    case KEY_LEFT: return AW_VK_LEFT;
    case KEY_UP: return AW_VK_UP;
    case KEY_DOWN: return AW_VK_DOWN;
    case KEY_HOME: return AW_VK_HOME;
    case KEY_END: return AW_VK_END;
    case KEY_PPAGE: return AW_VK_PAGE_UP;
    case KEY_NPAGE: return AW_VK_PAGE_DOWN;
    case 27: return AW_VK_ESCAPE;
    case 3: return AW_VK_CTRL_C; /* raw mode delivers ^C as a key */
    default: return ch >= 32 && ch < 127 ? ch : 0;
    }
}

/* One key.  false: quit. */
static bool handle_key(tui *t, int ch)
{
    int64_t step = aw_model_state_step(t->st);
    if (t->asking) { /* a question is up: a digit answers it */
        int choice = aw_view_quiz_choice(ch);
        if (choice >= 0 && (size_t)choice < t->q.n_choices) {
            int64_t s = t->asking;
            t->chosen = (size_t)choice;
            t->asked++;
            if (t->chosen == t->q.answer) t->score++;
            t->asking = 0;
            seek(t, s);
            t->result_step = s;
            return true;
        }
        aw_view_action act = aw_view_action_of(tui_key(ch), AW_VIEWER_TUI);
        if (act == AW_ACT_QUIT) return false;
        if (act == AW_ACT_HELP) {
            t->help = true;
            return true;
        }
        if (act == AW_ACT_PREV) { /* back away: asked again on the way */
            t->quiz_asked[t->asking] = 0;
            t->asking = 0;
            return true;
        }
        if (ch != KEY_RESIZE) say(t, "press a digit from 1 to %zu to answer (left arrow: back)", t->q.n_choices);
        return true;
    }
    if (ch == KEY_RESIZE) {
        clear();
        return true;
    }
    switch (aw_view_action_of(tui_key(ch), AW_VIEWER_TUI)) { /* the keys both viewers share */
    case AW_ACT_QUIT: return false;
    case AW_ACT_NEXT: step_by(t, 1); break;
    case AW_ACT_PREV: step_by(t, -1); break;
    case AW_ACT_RAW_LOG:
        t->raw_log = !t->raw_log;
        say(t, t->raw_log ? "event log: the raw fields (r: the sentences)" : "event log: the sentences (r: the raw fields)");
        break;
    case AW_ACT_SHUTDOWN:
        if (!t->fold_start) {
            say(t, "this trace has no asyncio.run shutdown to fold");
            break;
        }
        t->folded = !t->folded;
        say(t, t->folded ? "asyncio.run's shutdown folded into one step (e expands it)"
                         : "asyncio.run's shutdown expanded: every step (e folds it)");
        if (tui_folded_away(t, step)) seek(t, t->n);
        break;
    case AW_ACT_NEXT_ITER: go(t, aw_model_next_iteration(t->m, step)); break;
    case AW_ACT_PREV_ITER: go(t, aw_model_prev_iteration(t->m, step)); break;
    case AW_ACT_NEXT_OUTPUT:
    case AW_ACT_PREV_OUTPUT: {
        bool fwd = ch == 'o';
        int64_t s = fwd ? aw_model_next_output(t->m, step) : aw_model_prev_output(t->m, step);
        if (s < 0) say(t, fwd ? "no more output after this" : "no output before this");
        else go(t, s);
        break;
    }
    case AW_ACT_PLAY:
        t->playing = !t->playing;
        if (t->playing && step >= t->n) seek(t, 0); /* play again from the start */
        break;
    case AW_ACT_FASTER:
        if (t->speed + 1 < tui_nspeeds) t->speed++;
        say(t, "speed: %d events/s", tui_speeds[t->speed]);
        break;
    case AW_ACT_SLOWER:
        if (t->speed > 0) t->speed--;
        say(t, "speed: %d events/s", tui_speeds[t->speed]);
        break;
    case AW_ACT_START: go(t, 0); break;
    case AW_ACT_END: go(t, t->n); break;
    case AW_ACT_TIME: jump_to_time(t); break;
    case AW_ACT_SEARCH: search(t); break;
    case AW_ACT_C_PORT:
        if (t->doc && t->doc->c_source && t->doc->python) t->show_c = !t->show_c;
        else say(t, "only one source to show for this trace");
        break;
    case AW_ACT_SCROLL_DOWN: t->task_scroll++; break;
    case AW_ACT_SCROLL_UP: t->task_scroll--; break;
    case AW_ACT_HELP: t->help = true; break;
    default: break;
    }
    return true;
}

int aw_tui_run(const aw_model *m, const aw_tui_doc *doc)
{
    return aw_tui_run_opts(m, doc, NULL);
}

int aw_tui_run_opts(const aw_model *m, const aw_tui_doc *doc, const aw_tui_options *opts)
{
    setlocale(LC_ALL, ""); /* UTF-8 output text and names */
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        const char *term = getenv("TERM");
        fprintf(stderr, "awaitlab: cannot use this terminal (TERM=%s)\n", term ? term : "unset");
        return 2;
    }
    set_term(scr);
    /* A terminal that cannot move the cursor (TERM=dumb) cannot show panes. */
    char *cup = tigetstr("cup");
    if (!cup || cup == (char *)-1) {
        endwin();
        delscreen(scr);
        return 3;
    }
    raw();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);

    tui t = {.m = m, .doc = doc, .n = aw_model_event_count(m), .speed = 2, .focus_step = -1};
    init_colors(&t);
    init_glyphs(&t);
    t.fold_start = aw_model_shutdown_step(m);
    if (t.fold_start > t.n) t.fold_start = 0;
    t.folded = t.fold_start > 0;
    t.quiz = opts && opts->quiz;
    if (t.quiz) t.quiz_asked = calloc((size_t)t.n + 1, 1);
    tui_text_init(&t.py, doc ? doc->python : NULL);
    tui_text_init(&t.c, doc ? doc->c_source : NULL);
    t.st = aw_model_state_new(m);
    int rc = 0;
    if (!t.st || (t.quiz && !t.quiz_asked)) {
        rc = 2;
        goto out;
    }
    if (aw_model_warning(m)[0]) say(&t, "%s", aw_model_warning(m));
    if (doc && doc->start_step > 0) go(&t, doc->start_step);
    for (;;) {
        tui_draw(&t, NULL, NULL);
        timeout(t.playing ? 1000 / tui_speeds[t.speed] : -1);
        int ch = getch();
        if (ch == ERR) {
            if (!t.playing) continue;
            if (aw_model_state_step(t.st) >= t.n) {
                t.playing = false;
                say(&t, "the end of the trace");
            } else {
                step_by(&t, 1);
                if (t.asking) t.playing = false; /* a question stops the play */
            }
            continue;
        }
        if (ch != KEY_RESIZE) t.msg[0] = '\0';
        if (t.help && ch != KEY_RESIZE) { /* any key closes the help */
            t.help = false;
            if (aw_view_action_of(tui_key(ch), AW_VIEWER_TUI) != AW_ACT_QUIT) continue;
        }
        if (!handle_key(&t, ch)) break;
    }
out:
    endwin();
    delscreen(scr);
    aw_model_state_free(t.st);
    free(t.quiz_asked);
    tui_text_free(&t.py);
    tui_text_free(&t.c);
    tui_text_free(&t.disk);
    if (rc) fprintf(stderr, "awaitlab: out of memory\n");
    return rc;
}
