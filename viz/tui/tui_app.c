/* tui_app.c — the terminal viewer's loop: set up curses, read a key, move the state, redraw.
 * Playing is getch() with a timeout: no key before it runs out means "next event". */
#include <locale.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui_internal.h"

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
}

__attribute__((format(printf, 2, 3))) static void say(tui *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
}

static void go(tui *t, int64_t step)
{
    if (aw_model_seek(t->st, step) < 0) say(t, "out of memory");
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
    if (!prompt(t, "Search events (Enter: again): ", in, sizeof in)) return;
    if (in[0]) snprintf(t->search, sizeof t->search, "%s", in);
    if (!t->search[0]) return;
    int64_t hit = aw_model_search(t->m, aw_model_state_step(t->st), true, t->search);
    if (hit < 0) say(t, "not found: %s", t->search);
    else {
        if (hit <= aw_model_state_step(t->st)) say(t, "search wrapped around to the start");
        go(t, hit);
    }
}

/* One key.  false: quit. */
static bool handle_key(tui *t, int ch)
{
    int64_t step = aw_model_state_step(t->st);
    switch (ch) {
    case 'q':
    case 'Q':
    case 3: /* ^C: raw mode delivers it as a key */
        return false;
    case KEY_RIGHT:
    case 'l':
    case 'n':
        if (step >= t->n) say(t, "this is the last event");
        go(t, step + 1);
        break;
    case KEY_LEFT:
    case 'h':
    case 'p':
        if (step == 0) say(t, "this is the start");
        go(t, step - 1);
        break;
    case ']': go(t, aw_model_next_iteration(t->m, step)); break;
    case '[': go(t, aw_model_prev_iteration(t->m, step)); break;
    case 'o':
    case 'O': {
        int64_t s = ch == 'o' ? aw_model_next_output(t->m, step) : aw_model_prev_output(t->m, step);
        if (s < 0) say(t, ch == 'o' ? "no more output after this" : "no output before this");
        else go(t, s);
        break;
    }
    case ' ':
        t->playing = !t->playing;
        if (t->playing && step >= t->n) go(t, 0); /* play again from the start */
        break;
    case '+':
    case '=':
        if (t->speed + 1 < tui_nspeeds) t->speed++;
        say(t, "speed: %d events/s", tui_speeds[t->speed]);
        break;
    case '-':
    case '_':
        if (t->speed > 0) t->speed--;
        say(t, "speed: %d events/s", tui_speeds[t->speed]);
        break;
    case 'g':
    case KEY_HOME: go(t, 0); break;
    case 'G':
    case KEY_END: go(t, t->n); break;
    case 't': jump_to_time(t); break;
    case '/': search(t); break;
    case 'c':
        if (t->doc && t->doc->c_source && t->doc->python) t->show_c = !t->show_c;
        else say(t, "only one source to show for this trace");
        break;
    case 'j':
    case KEY_DOWN: t->task_scroll++; break;
    case 'k':
    case KEY_UP: t->task_scroll--; break;
    case '?': t->help = true; break;
    case KEY_RESIZE: clear(); break;
    default: break;
    }
    return true;
}

int aw_tui_run(const aw_model *m, const aw_tui_doc *doc)
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
    tui_text_init(&t.py, doc ? doc->python : NULL);
    tui_text_init(&t.c, doc ? doc->c_source : NULL);
    t.st = aw_model_state_new(m);
    int rc = 0;
    if (!t.st) {
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
                go(&t, aw_model_state_step(t.st) + 1);
            }
            continue;
        }
        if (ch != KEY_RESIZE) t.msg[0] = '\0';
        if (t.help && ch != KEY_RESIZE) { /* any key closes the help */
            t.help = false;
            if (ch != 'q' && ch != 3) continue;
        }
        if (!handle_key(&t, ch)) break;
    }
out:
    endwin();
    delscreen(scr);
    aw_model_state_free(t.st);
    tui_text_free(&t.py);
    tui_text_free(&t.c);
    tui_text_free(&t.disk);
    if (rc) fprintf(stderr, "awaitlab: out of memory\n");
    return rc;
}
