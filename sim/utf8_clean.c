/* utf8_clean.c — see utf8_clean.h.  Checks well-formed UTF-8 (RFC 3629): no overlongs, no
 * surrogates, nothing above U+10FFFF. */
#include "utf8_clean.h"

#include <stdlib.h>
#include <string.h>

/* Length of the valid sequence at p (1..4), or 0 if the bytes there are not valid UTF-8. */
static size_t valid_seq(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) n = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, min = 0x10000;
    else return 0;
    unsigned cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0; /* also stops at the terminating NUL */
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

char *aw__utf8_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n;
    while (*p && (n = valid_seq(p)) != 0) p += n;
    if (!*p) return NULL;

    size_t len = strlen(s);
    char *out = malloc(len * 3 + 1); /* each bad byte becomes 3 bytes at most */
    if (!out) return NULL;
    char *o = out;
    for (p = (const unsigned char *)s; *p;) {
        n = valid_seq(p);
        if (n) {
            memcpy(o, p, n);
            o += n;
            p += n;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    return out;
}
