/* text_escape.h — trace text made safe to show on a terminal.
 *
 * A trace is data from anywhere: a task named "\x1b]0;pwned\x07" must not retitle the user's
 * terminal, move its cursor or hide a line.  Every command output and message that can contain
 * text from a trace (names, strings, file names) goes through this one function: control
 * characters become visible escapes (\n, \t, \r, \x1b; C1 controls as \u009b), bytes that are not
 * UTF-8 become \xNN, and everything else (printable ASCII, valid UTF-8) is kept as is.
 */
#ifndef AW_TEXT_ESCAPE_H
#define AW_TEXT_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Escapes the NUL-terminated s into buf (size n, always NUL-terminated; cut on a character
 * boundary when it does not fit).  Returns buf. */
char *aw_text_escape(const char *s, char *buf, size_t n);
/* The same for s[0..len). */
char *aw_text_escape_n(const char *s, size_t len, char *buf, size_t n);
/* Writes s escaped to f.  Returns what fputs returns (EOF on error). */
int aw_text_escape_fputs(const char *s, FILE *f);
/* 1 if s would come out unchanged. */
int aw_text_is_safe(const char *s);

#endif
