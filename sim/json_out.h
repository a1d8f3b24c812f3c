/* json_out.h — JSON text appended to a growable buffer: the recorder's output path.
 *
 * The recorder writes its JSON by hand instead of building a cJSON tree per event (issue 15:
 * tracing must cost at most ~15x the bare register switch per event, and the tree's mallocs,
 * frees and printing were ~11,000 instructions per event).  The text is the one cJSON printed
 * (cJSON_PrintUnformatted): keys in schema order, no spaces, strings escaped as cJSON escapes
 * them; so traces stay byte-identical.  Readers and the validator keep using cJSON.
 *
 * Room: json_out_room(o, n) makes sure that n bytes, plus JSON_OUT_SLACK more, are free.  The
 * appends of bounded size (keys, numbers, literals) do not check: a caller that writes at most
 * JSON_OUT_SLACK bytes of them between two calls to json_out_room() stays inside the buffer.
 * Appends of unbounded size (strings, arrays) make their own room.  When the buffer cannot
 * grow, `oom` is set and those appends write nothing: the caller drops what it was writing.
 */
#ifndef AW_JSON_OUT_H
#define AW_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct json_out {
    char *buf;
    size_t len, cap;
    bool oom; /* a growth failed */
} json_out;

/* What bounded appends may use between two calls to json_out_room(): a whole event's keys and
 * numbers (the longest event has 10 fields and an `exact` of 4 doubles: well under half). */
#define JSON_OUT_SLACK 1024

bool aw__json_out_grow(json_out *o, size_t need); /* the slow path of json_out_room */
void aw__json_out_free(json_out *o);

static inline bool json_out_room(json_out *o, size_t n)
{
    return o->cap - o->len >= n + JSON_OUT_SLACK || aw__json_out_grow(o, n + JSON_OUT_SLACK);
}

static inline void json_out_raw(json_out *o, const char *s, size_t n)
{
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* A string literal (a key with its punctuation, "null", ...): its length is a constant. */
#define JSON_OUT_LIT(o, lit) json_out_raw((o), (lit), sizeof(lit) - 1)

static inline void json_out_char(json_out *o, char c) { o->buf[o->len++] = c; }

/* Decimal digits, two at a time: a JSON number as the old writer's format_u64 wrote it.  The
 * digits are copied as one block of 20 bytes (a constant size: a few moves, no memcpy call);
 * the slack (json_out_room) has room for the bytes past the number. */
static inline void json_out_u64(json_out *o, uint64_t v)
{
    static const char pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                   "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                   "8081828384858687888990919293949596979899";
    char tmp[40]; /* the digits end at tmp + 20; the block copied from their start stays inside */
    char *end = tmp + 20, *p = end;
    while (v >= 100) {
        p -= 2;
        memcpy(p, pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        p -= 2;
        memcpy(p, pairs + 2 * v, 2);
    } else {
        *--p = (char)('0' + v);
    }
    memcpy(o->buf + o->len, p, 20);
    o->len += (size_t)(end - p);
}

static inline void json_out_i64(json_out *o, int64_t v)
{
    if (v < 0) {
        json_out_char(o, '-');
        json_out_u64(o, (uint64_t)0 - (uint64_t)v);
    } else {
        json_out_u64(o, (uint64_t)v);
    }
}

/* s as a JSON string, quotes included; invalid UTF-8 becomes U+FFFD (utf8_clean.h). */
void aw__json_out_str(json_out *o, const char *s);

#endif
