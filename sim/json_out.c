/* json_out.c — see json_out.h: the buffer's growth and string escaping. */
#include "json_out.h"

#include <stdlib.h>

#include "utf8_clean.h"

bool aw__json_out_grow(json_out *o, size_t need)
{
    if (o->oom) return false;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap - o->len < need) {
        if (cap > SIZE_MAX / 2) {
            o->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *nb = realloc(o->buf, cap);
    if (!nb) {
        o->oom = true;
        return false;
    }
    o->buf = nb;
    o->cap = cap;
    return true;
}

void aw__json_out_free(json_out *o)
{
    free(o->buf);
    *o = (json_out){0};
}

/* Bytes that cannot be copied as they are: what cJSON escapes (controls, '"', '\\') and the
 * start of every multi-byte sequence, which must be checked (utf8_clean.h). */
static inline bool needs_care(unsigned char c) { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\'; }

/* Whether any of the 8 bytes in w needs care (the classic "has a zero byte" trick: exact as a
 * yes/no for the whole word).  Eight bytes per step: a plain name costs a few instructions. */
static inline bool word_needs_care(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    uint64_t control = (w - ones * 0x20) & ~w;      /* a byte < 0x20 (or >= 0x80: below) */
    uint64_t zero_q = (quote - ones) & ~quote, zero_b = (backslash - ones) & ~backslash;
    return ((control | zero_q | zero_b) & highs) != 0 || (w & highs) != 0;
}

/* cJSON's escapes (print_string_ptr): the short ones for \b \f \n \r \t, else \u00xx in lower
 * case; DEL and everything above 0x7F are written as they are. */
static void put_escape(json_out *o, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    json_out_char(o, '\\');
    switch (c) {
    case '"': json_out_char(o, '"'); break;
    case '\\': json_out_char(o, '\\'); break;
    case '\b': json_out_char(o, 'b'); break;
    case '\f': json_out_char(o, 'f'); break;
    case '\n': json_out_char(o, 'n'); break;
    case '\r': json_out_char(o, 'r'); break;
    case '\t': json_out_char(o, 't'); break;
    default:
        JSON_OUT_LIT(o, "u00");
        json_out_char(o, hex[c >> 4]);
        json_out_char(o, hex[c & 15]);
        break;
    }
}

/* Most of a trace's strings are names and file names of 4 to 32 bytes ("task_step", "sleep",
 * "bench/trace_bench.c"): checked and copied a word at a time, the last word overlapping the one
 * before, without a byte loop or a memcpy call.  false: shorter, longer, or not plain ASCII (what
 * was stored past o->len does not count). */
static bool put_short_plain(json_out *o, const char *s, size_t n)
{
    char *out = o->buf + o->len;
    if (n >= 8 && n <= 32) {
        uint64_t w;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&w, s + i, 8);
            if (word_needs_care(w)) return false;
            memcpy(out + i, &w, 8);
        }
        memcpy(&w, s + n - 8, 8);
        if (word_needs_care(w)) return false;
        memcpy(out + n - 8, &w, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t head, tail;
        memcpy(&head, s, 4);
        memcpy(&tail, s + n - 4, 4);
        if (word_needs_care((uint64_t)head | (uint64_t)tail << 32)) return false;
        memcpy(out, &head, 4);
        memcpy(out + n - 4, &tail, 4);
    } else {
        return false;
    }
    o->len += n;
    return true;
}

/* Any string: runs of plain ASCII copied at once, escapes, UTF-8 checked (room already made). */
__attribute__((noinline)) static void put_any(json_out *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        /* the common case: a run of plain ASCII, copied at once */
        const unsigned char *run = p;
        uint64_t w;
        while (end - p >= 8 && (memcpy(&w, p, 8), !word_needs_care(w))) p += 8;
        while (p < end && !needs_care(*p)) p++;
        json_out_raw(o, (const char *)run, (size_t)(p - run));
        if (p == end) break;
        if (*p < 0x80) {
            put_escape(o, *p++);
            continue;
        }
        size_t k = aw__utf8_seq_len(p);
        if (k) {
            json_out_raw(o, (const char *)p, k);
            p += k;
        } else {
            JSON_OUT_LIT(o, AW_UTF8_REPLACEMENT);
            p++;
        }
    }
}

void aw__json_out_str(json_out *o, const char *s)
{
    size_t n = strlen(s);
    /* worst case: every byte a \u00xx escape (6 bytes); a bad byte becomes 3 */
    if (n > (SIZE_MAX - 2) / 6 || !json_out_room(o, 6 * n + 2)) {
        o->oom = true;
        return;
    }
    json_out_char(o, '"');
    /* the slow path out of line: the common one saves no registers for it */
    if (!put_short_plain(o, s, n)) put_any(o, s, n);
    json_out_char(o, '"');
}
