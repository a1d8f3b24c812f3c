/* trace_scan.h — a scanner for the flat JSON objects the recorder writes, one line each: the
 * reader's fast path (viz/trace/trace_read.c).  A line of 150 bytes cost ~10,000 instructions
 * through cJSON (a tree of malloc'd nodes, strtod for every integer, key lookups by strcmp); this
 * takes the common shape in one pass and declines everything else.
 *
 * It accepts a strict subset of what cJSON accepts, with the same values: an object of members
 * whose keys are plain ASCII without escapes, whose values are integers of at most 15 digits
 * (exact in a double, as cJSON reads them), strings (the escapes \" \\ \/ \b \f \n \r \t, valid
 * UTF-8, no control characters), null, true, false, an array of such integers, or an object of
 * JSON numbers (`exact`).  Spaces and tabs may separate tokens.  Anything else (a \u escape, a
 * number with a fraction outside `exact`, deeper nesting, a NUL) is declined, and the caller
 * parses the line with cJSON, which accepts or refuses it with a message as it always has: the
 * scanner never decides that a line is wrong, only that it is plainly right.
 */
#ifndef AW_TRACE_SCAN_H
#define AW_TRACE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum aw_scan_type { AW_SCAN_NULL, AW_SCAN_INT, AW_SCAN_STR, AW_SCAN_BOOL, AW_SCAN_IDS, AW_SCAN_OBJ } aw_scan_type;

typedef struct aw_scan_exact {
    const char *key;             /* NUL-terminated, in the scan's string buffer */
    double seconds;
} aw_scan_exact;

typedef struct aw_scan_member {
    const char *key;             /* key[0..key_len) in the line's text: not NUL-terminated */
    size_t key_len;
    aw_scan_type type;
    int64_t i;                   /* INT: the value; BOOL: 0 or 1; IDS and OBJ: the item count */
    const char *s;               /* STR: the unescaped string, NUL-terminated */
    size_t first;                /* IDS: index in ids; OBJ: index in exact */
} aw_scan_member;

#define AW_SCAN_MAX_MEMBERS 32

/* Buffers that grow with the longest line, reused from line to line. */
typedef struct aw_scan {
    aw_scan_member m[AW_SCAN_MAX_MEMBERS];
    size_t n;
    char *str;                   /* keys and strings, unescaped */
    size_t str_cap;
    int64_t *ids;
    size_t ids_cap;
    aw_scan_exact *exact;
    size_t exact_cap;
} aw_scan;

/* true: text[0..len) is an object of that shape, and s describes it.  false: declined (or out of
 * memory): parse the line some other way. */
bool aw_scan_line(aw_scan *s, const char *text, size_t len);

/* The same object read by a caller that knows which key comes next (the recorder writes a kind's
 * keys in schema order): each key is compared where it stands instead of being scanned and then
 * looked up.  Stricter than aw_scan_line (no spaces at all), with the same values in s->m; a
 * line it declines is still whatever aw_scan_line makes of it.
 *
 *     aw_scan_cursor c;
 *     if (!aw_scan_begin(s, &c, text, len)) ...declined
 *     aw_scan_named(&c, "seq", 3)   1: the next member is "seq" (now s->m[s->n - 1]);
 *                                   0: it is not (nothing read); -1: declined
 *     aw_scan_end(&c)               true: the object ends there, and the line with it
 */
typedef struct aw_scan_cursor {
    const unsigned char *p, *end;
    char *out;                   /* where the next string goes, in s->str */
    aw_scan *s;
    size_t nids, nexact;
} aw_scan_cursor;

bool aw_scan_begin(aw_scan *s, aw_scan_cursor *c, const char *text, size_t len);
int aw_scan_named(aw_scan_cursor *c, const char *key, size_t key_len);
bool aw_scan_end(const aw_scan_cursor *c);
void aw_scan_free(aw_scan *s);
/* Grows *p to hold `need` items of `size` bytes (for the buffers above).  false: out of memory. */
bool aw_scan_reserve(void **p, size_t *cap, size_t need, size_t size);

#endif /* AW_TRACE_SCAN_H */
