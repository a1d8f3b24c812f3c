/* text_escape.c — see text_escape.h. */
#include "text_escape.h"

#include <string.h>

/* The escape for the character at s (its byte length in *adv), or NULL if it is shown as is. */
static const char *escape_of(const unsigned char *s, size_t len, size_t *adv, char tmp[8])
{
    unsigned char c = s[0];
    *adv = 1;
    if (c >= 0x20 && c < 0x7f) return NULL;
    switch (c) {
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    default: break;
    }
    if (c < 0x80) { /* C0 controls and DEL */
        snprintf(tmp, 8, "\\x%02x", c);
        return tmp;
    }
    /* UTF-8: find the sequence's length, refuse malformed ones byte by byte */
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || n > len) goto bad;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) goto bad;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        goto bad;
    *adv = n;
    if (c == 0xC2 && s[1] < 0xA0) { /* C1 controls: 0x9b is CSI on some terminals */
        snprintf(tmp, 8, "\\u%04x", s[1]);
        return tmp;
    }
    return NULL;
bad:
    snprintf(tmp, 8, "\\x%02x", c);
    return tmp;
}

char *aw_text_escape_n(const char *s, size_t len, char *buf, size_t n)
{
    if (!n) return buf;
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        char tmp[8];
        size_t adv;
        const char *e = escape_of(p + i, len - i, &adv, tmp);
        const char *out = e ? e : s + i;
        size_t outlen = e ? strlen(e) : adv;
        if (o + outlen >= n) break; /* whole characters only */
        memcpy(buf + o, out, outlen);
        o += outlen;
        i += adv;
    }
    buf[o] = '\0';
    return buf;
}

char *aw_text_escape(const char *s, char *buf, size_t n) { return aw_text_escape_n(s, strlen(s), buf, n); }

int aw_text_escape_fputs(const char *s, FILE *f)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t run = i; /* the longest run shown as is, written at once */
        char tmp[8];
        size_t adv = 0;
        const char *e = NULL;
        while (run < len && !(e = escape_of(p + run, len - run, &adv, tmp))) run += adv;
        if (run > i && fwrite(s + i, 1, run - i, f) != run - i) return EOF;
        if (run >= len) break;
        if (fputs(e, f) == EOF) return EOF;
        i = run + adv;
    }
    return 0;
}

int aw_text_is_safe(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        char tmp[8];
        size_t adv;
        if (escape_of(p + i, len - i, &adv, tmp)) return 0;
        i += adv;
    }
    return 1;
}
