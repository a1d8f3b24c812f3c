/* trace_scan.c — see trace_scan.h. */
#include "trace_scan.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "json_text_check.h"

typedef aw_scan_cursor cursor;

static inline void skip_ws(cursor *c)
{
    /* the writer puts no spaces: one comparison settles the usual case */
    while (c->p < c->end && *c->p <= ' ' && (*c->p == ' ' || *c->p == '\t')) c->p++;
}

static inline bool eat(cursor *c, unsigned char ch)
{
    /* the writer's usual case first: the character itself, no space before it */
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    skip_ws(c);
    if (c->p == c->end || *c->p != ch) return false;
    c->p++;
    return true;
}

static bool peek(cursor *c, unsigned char ch)
{
    skip_ws(c);
    return c->p < c->end && *c->p == ch;
}

/* Characters a string copies as they are: printable ASCII but the quote and the backslash, as
 * bits by character (0x20-0x7f less 0x22 and 0x5c): one lookup a character. */
static const uint64_t plain_bits[4] = {0xFFFFFFFB00000000u, 0xFFFFFFFFEFFFFFFFu, 0, 0};
static inline bool plain(unsigned char ch) { return plain_bits[ch >> 6] >> (ch & 63) & 1; }

/* Bytes of w that are 0 (the lowest flagged one is exact: a false flag needs a borrow from a real
 * one below it). */
#define ZERO_BYTES(w) (((w) - 0x0101010101010101u) & ~(w) & 0x8080808080808080u)

/* The first character at or after p that is not plain (or end).  Eight at a time where the byte
 * order lets the lowest flagged byte be the first: keys and names are a few characters each,
 * and a character at a time was the scanner's biggest cost. */
static const unsigned char *plain_run(const unsigned char *p, const unsigned char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, sizeof w);
        uint64_t high = w & 0x8080808080808080u;                              /* >= 0x80 */
        uint64_t control = (w - 0x2020202020202020u) & ~w & 0x8080808080808080u; /* < 0x20 */
        uint64_t quote = ZERO_BYTES(w ^ 0x2222222222222222u), backslash = ZERO_BYTES(w ^ 0x5c5c5c5c5c5c5c5cu);
        uint64_t stop = high | control | quote | backslash;
        if (stop) return p + (__builtin_ctzll(stop) >> 3);
        p += 8;
    }
#endif
    while (p < end && plain(*p)) p++;
    return p;
}

/* A key: plain characters only (an escape, a control character or UTF-8: cJSON decides), left
 * where it is in the text. */
static bool key(cursor *c, const char **start, size_t *len)
{
    if (!eat(c, '"')) return false;
    const unsigned char *p = plain_run(c->p, c->end);
    if (p == c->end || *p != '"') return false;
    *start = (const char *)c->p;
    *len = (size_t)(p - c->p);
    c->p = p + 1;
    return true;
}

/* A string, unescaped into c->out and NUL-terminated: runs of plain characters are copied at
 * once, the rest one at a time. */
static const char *string(cursor *c)
{
    if (!eat(c, '"')) return NULL;
    char *start = c->out;
    while (c->p < c->end) {
        const unsigned char *run = c->p;
        c->p = plain_run(c->p, c->end);
        memcpy(c->out, run, (size_t)(c->p - run));
        c->out += c->p - run;
        if (c->p == c->end) break;
        unsigned char ch = *c->p;
        if (ch == '"') {
            c->p++;
            *c->out++ = '\0';
            return start;
        }
        if (ch < 0x20) return NULL; /* cJSON takes raw control characters: it decides */
        if (ch >= 0x80) {
            size_t n = aw_utf8_seq(c->p, (size_t)(c->end - c->p));
            if (!n) return NULL;
            memcpy(c->out, c->p, n);
            c->out += n;
            c->p += n;
            continue;
        }
        /* a backslash */
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *e = c->p + 1 < c->end && c->p[1] ? strchr(from, c->p[1]) : NULL;
        if (!e) return NULL; /* \u (surrogates, \u0000) and anything odd: cJSON */
        *c->out++ = to[e - from];
        c->p += 2;
    }
    return NULL;
}

/* How many of w's bytes, from the first, are ASCII digits: a byte b is one when its high nibble
 * is 3 both in b and in b + 6 (which pushes ':' .. '?' to 4; a carry out of a byte only disturbs
 * the bytes after it, which come after a non-digit anyway). */
static inline unsigned leading_digits(uint64_t w)
{
    const uint64_t high = 0xF0F0F0F0F0F0F0F0u, threes = 0x3030303030303030u;
    uint64_t other = ((w & high) ^ threes) | (((w + 0x0606060606060606u) & high) ^ threes);
    return other ? (unsigned)__builtin_ctzll(other) >> 3 : 8;
}

/* The value of w's first n (1..8) bytes, all digits: moved to the top, so that the bytes below
 * are leading zeros, then combined pairwise (two digits, four, eight) by multiplication. */
static inline uint64_t digits_value(uint64_t w, unsigned n)
{
    w = (w << (64 - 8 * n)) & 0x0F0F0F0F0F0F0F0Fu;
    w = (w * (10 * 256 + 1)) >> 8 & 0x00FF00FF00FF00FFu;
    w = (w * (100 * 65536 + 1)) >> 16 & 0x0000FFFF0000FFFFu;
    return (w * (10000 * 4294967296u + 1)) >> 32;
}

/* -?(0|[1-9][0-9]*) of at most 15 digits, not -0: exactly the double cJSON would read. */
static bool integer(cursor *c, int64_t *out)
{
    skip_ws(c);
    const unsigned char *q = c->p, *end = c->end;
    bool neg = q < end && *q == '-';
    q += neg;
    const unsigned char *digits = q;
    int64_t v = 0;
    const unsigned char *lim = end - q > 15 ? q + 15 : end;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Up to eight digits in one step (t_ns has ten, seq six): a digit at a time was a third of
     * the scanner.  The byte loop below takes what is left, and the digits near the line's end. */
    if (lim - q >= 8) {
        uint64_t w;
        memcpy(&w, q, sizeof w);
        unsigned n = leading_digits(w);
        if (n) v = (int64_t)digits_value(w, n);
        q += n;
    }
#endif
    for (; q < lim && (unsigned)(*q - '0') < 10; q++) v = v * 10 + (*q - '0');
    if (q < end && (unsigned)(*q - '0') < 10) return false; /* a 16th digit */
    size_t n = (size_t)(q - digits);
    if (n == 0 || (n > 1 && *digits == '0') || (neg && v == 0)) return false;
    if (q < end && (*q == '.' || *q == 'e' || *q == 'E')) return false;
    c->p = q;
    *out = neg ? -v : v;
    return true;
}

/* A JSON number (the grammar exactly), read as cJSON reads it: strtod, with the locale's
 * decimal point (cJSON swaps it in too). */
static bool number(cursor *c, double *out)
{
    skip_ws(c);
    const unsigned char *q = c->p, *end = c->end;
    q += q < end && *q == '-';
    const unsigned char *int_start = q;
    while (q < end && *q >= '0' && *q <= '9') q++;
    if (q == int_start || (q - int_start > 1 && *int_start == '0')) return false;
    if (q < end && *q == '.') {
        const unsigned char *f = ++q;
        while (q < end && *q >= '0' && *q <= '9') q++;
        if (q == f) return false;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < end && (*q == '+' || *q == '-')) q++;
        const unsigned char *e = q;
        while (q < end && *q >= '0' && *q <= '9') q++;
        if (q == e) return false;
    }
    char buf[64];
    size_t n = (size_t)(q - c->p);
    if (n >= sizeof buf) return false; /* cJSON reads 63 characters at most */
    memcpy(buf, c->p, n);
    buf[n] = '\0';
    char *dot = memchr(buf, '.', n), point = localeconv()->decimal_point[0];
    if (dot && point) *dot = point;
    char *stop;
    *out = strtod(buf, &stop);
    if (stop != buf + n) return false;
    c->p = q;
    return true;
}

static bool literal(cursor *c, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0) return false;
    c->p += n;
    return true;
}

static bool ids(cursor *c, aw_scan_member *m)
{
    m->type = AW_SCAN_IDS;
    m->first = c->nids;
    if (eat(c, ']')) return true;
    do {
        if (c->nids == c->s->ids_cap || !integer(c, &c->s->ids[c->nids])) return false;
        c->nids++;
    } while (eat(c, ','));
    m->i = (int64_t)(c->nids - m->first);
    return eat(c, ']');
}

static bool exact(cursor *c, aw_scan_member *m)
{
    m->type = AW_SCAN_OBJ;
    m->first = c->nexact;
    if (eat(c, '}')) return true;
    do {
        const char *k;
        size_t len;
        if (c->nexact == c->s->exact_cap || !key(c, &k, &len) || !eat(c, ':')) return false;
        aw_scan_exact *x = &c->s->exact[c->nexact];
        memcpy(c->out, k, len); /* NUL-terminated: a copy */
        c->out[len] = '\0';
        x->key = c->out;
        c->out += len + 1;
        if (!number(c, &x->seconds)) return false;
        c->nexact++;
    } while (eat(c, ','));
    m->i = (int64_t)(c->nexact - m->first);
    return eat(c, '}');
}

static bool value(cursor *c, aw_scan_member *m)
{
    m->i = 0;
    m->s = NULL;
    skip_ws(c);
    if (c->p == c->end) return false;
    switch (*c->p) {
    case '"': m->type = AW_SCAN_STR; return (m->s = string(c)) != NULL;
    case 'n': m->type = AW_SCAN_NULL; return literal(c, "null");
    case 't': m->type = AW_SCAN_BOOL, m->i = 1; return literal(c, "true");
    case 'f': m->type = AW_SCAN_BOOL; return literal(c, "false");
    case '[': c->p++; return ids(c, m);
    case '{': c->p++; return exact(c, m);
    default: m->type = AW_SCAN_INT; return integer(c, &m->i);
    }
}

bool aw_scan_reserve(void **p, size_t *cap, size_t need, size_t size)
{
    if (*cap >= need) return true;
    void *q = realloc(*p, need * size);
    if (!q) return false;
    *p = q;
    *cap = need;
    return true;
}

/* Bounds from the length: each string adds at most its NUL; each id or exact item takes at least
 * two characters. */
static bool reserve_for_line(aw_scan *s, size_t len)
{
    return aw_scan_reserve((void **)&s->str, &s->str_cap, 2 * len + 2, 1) &&
           aw_scan_reserve((void **)&s->ids, &s->ids_cap, len / 2 + 1, sizeof *s->ids) &&
           aw_scan_reserve((void **)&s->exact, &s->exact_cap, len / 2 + 1, sizeof *s->exact);
}

bool aw_scan_line(aw_scan *s, const char *text, size_t len)
{
    if (!reserve_for_line(s, len)) return false;
    cursor c = {(const unsigned char *)text, (const unsigned char *)text + len, s->str, s, 0, 0};
    s->n = 0;
    if (!eat(&c, '{')) return false;
    if (!peek(&c, '}')) {
        do {
            if (s->n == AW_SCAN_MAX_MEMBERS) return false;
            aw_scan_member *m = &s->m[s->n++];
            if (!key(&c, &m->key, &m->key_len) || !eat(&c, ':') || !value(&c, m)) return false;
        } while (eat(&c, ','));
    }
    if (!eat(&c, '}')) return false;
    skip_ws(&c);
    return c.p == c.end;
}

/* ---- members named in advance ---------------------------------------------------------------- */

bool aw_scan_begin(aw_scan *s, aw_scan_cursor *c, const char *text, size_t len)
{
    if (!reserve_for_line(s, len)) return false;
    *c = (cursor){(const unsigned char *)text, (const unsigned char *)text + len, s->str, s, 0, 0};
    s->n = 0;
    return len > 0 && *c->p++ == '{';
}

int aw_scan_named(aw_scan_cursor *c, const char *key, size_t key_len)
{
    aw_scan *s = c->s;
    const unsigned char *p = c->p;
    if (s->n > 0 && (p == c->end || *p++ != ',')) return 0;
    if ((size_t)(c->end - p) < key_len + 3 || p[0] != '"' || p[key_len + 1] != '"' || p[key_len + 2] != ':') return 0;
    for (size_t i = 0; i < key_len; i++) /* a few characters: no call to memcmp */
        if (p[1 + i] != (unsigned char)key[i]) return 0;
    if (s->n == AW_SCAN_MAX_MEMBERS) return -1;
    aw_scan_member *m = &s->m[s->n++];
    m->key = (const char *)p + 1;
    m->key_len = key_len;
    c->p = p + key_len + 3;
    if (c->p < c->end && (unsigned)(*c->p - '1') < 9) { /* most values: a positive integer */
        m->type = AW_SCAN_INT;
        m->s = NULL;
        return integer(c, &m->i) ? 1 : -1;
    }
    return value(c, m) ? 1 : -1;
}

bool aw_scan_end(const aw_scan_cursor *c) { return c->end - c->p == 1 && *c->p == '}'; }

void aw_scan_free(aw_scan *s)
{
    free(s->str);
    free(s->ids);
    free(s->exact);
    memset(s, 0, sizeof *s);
}
