/* tui_text.c — texts for the terminal viewer: splitting them into lines, writing UTF-8 into an
 * exact number of cells (so a pane never spills into the next), wrapping a sentence, and picking
 * the source to show with the line of the current step. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text_escape.h"
#include "tui_internal.h"

void tui_text_init(tui_text *t, const char *s)
{
    memset(t, 0, sizeof *t);
    if (!s) return;
    t->buf = strdup(s);
    if (!t->buf) return;
    int n = 1;
    for (const char *p = t->buf; *p; p++) n += *p == '\n';
    t->lines = calloc((size_t)n, sizeof *t->lines);
    if (!t->lines) return;
    char *p = t->buf;
    for (;;) {
        t->lines[t->n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl) break;
        *nl = '\0';
        p = nl + 1;
        if (!*p) break; /* a final newline does not start a line */
    }
}

void tui_text_free(tui_text *t)
{
    free(t->buf);
    free(t->lines);
    memset(t, 0, sizeof *t);
}

/* Decodes one character of s; *len gets its byte length (>= 1).  Bad bytes decode as '?'. */
static wchar_t next_char(const char *s, size_t *len)
{
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    wchar_t wc;
    size_t r = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
    if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
        *len = 1;
        return L'?';
    }
    *len = r;
    return wc;
}

/* A character the terminal must not get raw (ESC, CR, C1 controls, bad bytes): shown as the
 * escape every command uses (text_escape.h), e.g. "\x1b".  Tabs are kept (source code). */
static const char *escaped(wchar_t wc, const char *s, size_t len, char buf[16])
{
    if (wc == L'\t' || (wc != L'?' && wcwidth(wc) >= 0) || (wc == L'?' && *s == '?')) return NULL;
    return aw_text_escape_n(s, len, buf, 16);
}

/* In a terminal whose locale is not UTF-8 (LANG=C, say), the few symbols the model's sentences
 * use are written as ASCII, as the viewer's own glyphs are (tui_app.c's init_glyphs): "->"
 * rather than the escape "\xe2\x86\x92" every other unprintable byte gets.  *len gets the
 * symbol's byte length. */
static const char *ascii_for(const char *s, size_t *len)
{
    static const struct {
        const char *utf8, *ascii;
    } table[] = {{"\u2192", "->"}, {"\u2190", "<-"}, {"\u2026", "..."}, {"\u2014", "--"}, {"\u2013", "-"},
                 {"\u00b7", "-"},  {"\u00d7", "x"}};
    if (MB_CUR_MAX > 1 || (unsigned char)*s < 0x80) return NULL;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        size_t n = strlen(table[i].utf8);
        if (!strncmp(s, table[i].utf8, n)) {
            *len = n;
            return table[i].ascii;
        }
    }
    return NULL;
}

static int char_width_at(wchar_t wc, const char *s, size_t len)
{
    char esc[16];
    if (wc == L'\t') return 4;
    const char *e = escaped(wc, s, len, esc);
    return e ? (int)strlen(e) : wcwidth(wc);
}

/* The cells the character at s takes; *len gets its byte length. */
static int cells_at(const char *s, size_t *len)
{
    const char *a = ascii_for(s, len);
    if (a) return (int)strlen(a);
    wchar_t wc = next_char(s, len);
    return char_width_at(wc, s, *len);
}

int tui_width(const char *s)
{
    int w = 0;
    for (size_t len; *s; s += len) w += cells_at(s, &len);
    return w;
}

void tui_put(int y, int x, int w, const char *s, attr_t attr)
{
    if (w <= 0) return;
    if (w > 1000) w = 1000;
    wchar_t buf[1024];
    int n = 0, used = 0;
    for (size_t len; s && *s && n < 1010; s += len) {
        const char *a = ascii_for(s, &len);
        if (a) {
            int aw = (int)strlen(a);
            if (used + aw > w) break;
            for (; *a; a++) buf[n++] = (wchar_t)*a;
            used += aw;
            continue;
        }
        wchar_t wc = next_char(s, &len);
        int cw = char_width_at(wc, s, len);
        if (used + cw > w) break;
        char esc[16];
        const char *e = escaped(wc, s, len, esc);
        if (wc == L'\t') {
            for (int i = 0; i < 4; i++) buf[n++] = L' ';
        } else if (e) {
            for (; *e && n < 1020; e++) buf[n++] = (wchar_t)*e;
        } else {
            buf[n++] = wc;
        }
        used += cw;
    }
    while (used < w && n < 1023) {
        buf[n++] = L' ';
        used++;
    }
    buf[n] = 0;
    attr_t old;
    short pair;
    attr_get(&old, &pair, NULL);
    attrset(attr);
    mvaddnwstr(y, x, buf, n);
    attr_set(old, pair, NULL);
}

int tui_wrap(const char *s, int w, char **out, int max)
{
    int n = 0;
    while (*s && n < max) {
        /* take as many characters as fit, then back up to the last space */
        const char *p = s, *cut = NULL;
        int used = 0;
        for (size_t len; *p; p += len) {
            int cw = cells_at(p, &len);
            if (used + cw > w) break;
            used += cw;
            if (*p == ' ') cut = p;
        }
        if (!*p || !cut || n == max - 1) cut = p;
        size_t k = (size_t)(cut - s);
        out[n] = malloc(k + 1);
        if (!out[n]) break;
        memcpy(out[n], s, k);
        out[n][k] = '\0';
        n++;
        s = cut;
        while (*s == ' ') s++;
    }
    return n;
}

/* ---- the source pane's text ------------------------------------------------------------------- */

/* The first line of the C port that ports this line of the example (0: none). */
static int c_line_of(const aw_tui_doc *d, int py_line)
{
    for (size_t i = 0; i < d->line_map_len; i++)
        if (d->line_map[i].py_line == py_line) return d->line_map[i].c_line;
    return 0;
}

/* Without a document: the file of the latest location, read from the working directory. */
static void source_from_disk(tui *t, const tui_text **text, const char **title, int *line, const char **note)
{
    const char *file;
    int l;
    *text = NULL;
    *line = 0;
    *note = NULL;
    *title = "source";
    if (!aw_model_location(t->st, NULL, &file, &l)) {
        *note = "no source location yet";
        return;
    }
    if (strcmp(file, t->disk_path) != 0) {
        tui_text_free(&t->disk);
        snprintf(t->disk_path, sizeof t->disk_path, "%s", file);
        FILE *f = fopen(file, "r");
        if (f) {
            char *buf = NULL;
            size_t cap = 0;
            ssize_t got = getdelim(&buf, &cap, '\0', f); /* the whole file */
            tui_text_init(&t->disk, got > 0 ? buf : "");
            free(buf);
            fclose(f);
        }
    }
    *title = t->disk_path;
    if (!t->disk.n) {
        *note = "the file is not readable from here";
        return;
    }
    *text = &t->disk;
    *line = l;
}

void tui_source(tui *t, const tui_text **text, const char **title, int *line, const char **note)
{
    const aw_tui_doc *d = t->doc;
    bool have_py = d && d->python && t->py.n, have_c = d && d->c_source && t->c.n;
    if (!have_py && !have_c) {
        source_from_disk(t, text, title, line, note);
        return;
    }
    bool c = (t->show_c && have_c) || !have_py;
    *text = c ? &t->c : &t->py;
    *title = c ? "C port" : "Python";
    *line = 0;
    *note = NULL;
    int64_t task;
    int py_line;
    bool own;
    if (!aw_model_focus(t->st, &task, &py_line, &own)) {
        *note = "no line yet";
        return;
    }
    *line = c ? c_line_of(d, py_line) : py_line;
    if (!*line) *note = c ? "not in the C port" : "no line yet";
}

int tui_source_line_of(tui *t, const char *file, int line)
{
    if (!file || line <= 0) return 0;
    const aw_tui_doc *d = t->doc;
    bool have_py = d && d->python && t->py.n, have_c = d && d->c_source && t->c.n;
    if (!have_py && !have_c) /* the file read from disk */
        return t->disk.n && !strcmp(file, t->disk_path) ? line : 0;
    const char *src = aw_model_source_file(t->m);
    if (src && strcmp(file, src) != 0) return 0; /* lines are the program's (the example's) */
    bool c = (t->show_c && have_c) || !have_py;
    return c ? c_line_of(d, line) : line;
}
