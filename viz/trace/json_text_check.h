/* json_text_check.h — what a trace line's raw text must be before cJSON sees it: no NUL byte,
 * valid UTF-8, no "\u0000" escape in a string, and brackets nested at most `max_depth` deep.
 *
 * Why before cJSON: cJSON copies invalid UTF-8 through unchanged, decodes "\u0000" into a NUL
 * that silently cuts the string short ("loop_close\u0000garbage" would read as "loop_close"),
 * and reports a nesting overflow only as "not valid JSON".  One pass over the bytes, no memory. */
#ifndef AW_JSON_TEXT_CHECK_H
#define AW_JSON_TEXT_CHECK_H

#include <stddef.h>

typedef struct aw_json_text_problem {
    const char *why;   /* "invalid UTF-8", ...; NULL when the text is fine */
    size_t column;     /* 1-based byte column of the problem */
} aw_json_text_problem;

/* Checks text[0..len).  Returns 1 if fine, else 0 with *p filled. */
int aw_json_text_check(const char *text, size_t len, int max_depth, aw_json_text_problem *p);

/* The length of the longest prefix of s[0..len) that ends on a UTF-8 character boundary
 * (cutting a string to a byte budget never splits a character). */
size_t aw_utf8_prefix(const char *s, size_t len);

/* The length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF).  n: bytes available. */
size_t aw_utf8_seq(const unsigned char *s, size_t n);

#endif
