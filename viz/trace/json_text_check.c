/* json_text_check.c — see json_text_check.h. */
#include "json_text_check.h"

#include <stdint.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF).  n: bytes available. */
size_t aw_utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;       /* overlong */
        else if (c == 0xED) hi = 0x9F;  /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;       /* overlong */
        else if (c == 0xF4) hi = 0x8F;  /* above U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return len;
}

static int problem(aw_json_text_problem *p, const char *why, size_t at)
{
    p->why = why;
    p->column = at + 1;
    return 0;
}

int aw_json_text_check(const char *text, size_t len, int max_depth, aw_json_text_problem *p)
{
    const unsigned char *s = (const unsigned char *)text;
    int depth = 0;
    int in_string = 0;
    p->why = NULL;
    p->column = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == 0) return problem(p, "contains a NUL byte", i);
        if (c >= 0x80) {
            size_t n = aw_utf8_seq(s + i, len - i);
            if (!n) return problem(p, "invalid UTF-8", i);
            i += n;
            continue;
        }
        if (in_string) {
            if (c == '"') in_string = 0;
            else if (c == '\\' && i + 1 < len) {
                /* "\u0000" would become a NUL inside the string: everything after it lost */
                if (s[i + 1] == 'u' && i + 6 <= len && memcmp(s + i + 2, "0000", 4) == 0)
                    return problem(p, "a string contains \\u0000 (a NUL character)", i);
                i += 2; /* the escaped character is never a quote that ends the string */
                continue;
            }
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth) return problem(p, "nested too deep", i);
        } else if (c == '}' || c == ']') {
            depth--;
        }
        i++;
    }
    return 1;
}

size_t aw_utf8_prefix(const char *s, size_t len)
{
    size_t i = len;
    /* back over continuation bytes to the start of the last character */
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && len - i < 3) i--;
    if (i == 0) return 0;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return len - (i - 1) >= need ? len : i - 1;
}
