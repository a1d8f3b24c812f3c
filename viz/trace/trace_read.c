/* trace_read.c — see trace_read.h.  One line at a time: a trace of millions of events is never
 * held in memory here (the viewers' model keeps what it needs). */
#include "trace_read.h"

#include "json_arena.h"
#include "json_text_check.h"
#include "aw_trace_time.h"
#include "text_escape.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace_schema.h"

/* Bytes read from the file at a time; lines are cut out of this buffer. */
#define READ_CHUNK 65536

struct aw_trace_reader {
    FILE *f;
    bool own_file;
    char *name;
    char *line;            /* the current line, NUL-terminated */
    size_t cap;
    size_t len;            /* current line, newline removed */
    size_t max_line;       /* longer lines are refused (aw_trace_limits) */
    char *in;              /* what fread gave and no line has taken yet: in[in_pos..in_len) */
    size_t in_pos, in_len;
    long lineno;
    cJSON *cur;            /* the current line, parsed (in `arena`: never cJSON_Delete it) */
    aw_json_arena arena;
    aw_trace_status status;
    char msg[1024];
    bool have_header;
    aw_trace_header header;
    char *program, *clock, *source_file, *source; /* owned copies for the header */
    int64_t next_seq, last_iter, last_t;
    double last_tx;        /* the exact loop time of the last event */
    long count;
    bool saw_close;
    bool at_end;
    unsigned long long zero_tail; /* the zero bytes the file ended in (read_zero_tail) */
    bool values_only;      /* no cJSON tree for lines the scanner takes */
    aw_scan scan;
    aw_trace_value values[AW_TRACE_MAX_SLOTS];
    /* The file the last located event named (format 3 carries it to the events that leave it
     * out): a copy in `carried` (NUL-terminated), or null. */
    bool carrying, carried_null;
    char *carried;
    size_t carried_cap;
};

#define header_fields aw_trace_header_fields
#define N_HEADER_FIELDS aw_trace_n_header_fields
#define N_HEADER_REQUIRED 6 /* format .. wall_start_ns; source_file and source may be left out */
#define N_TAIL (sizeof aw_trace_tail_fields / sizeof aw_trace_tail_fields[0])

/* ---- reporting ------------------------------------------------------------------------------- */

/* Records the first problem only: later ones are usually consequences of it. */
__attribute__((format(printf, 4, 5))) static bool fail(aw_trace_reader *r, aw_trace_status st,
                                                       const char *field, const char *fmt, ...)
{
    if (r->status != AW_TRACE_OK) return false;
    r->status = st;
    char shown[128]; /* a field name may come from the trace: an unknown key */
    if (field) aw_text_escape(field, shown, sizeof shown);
    int n = field ? snprintf(r->msg, sizeof r->msg, "%s:%ld: field '%s': ", r->name, r->lineno, shown)
                  : snprintf(r->msg, sizeof r->msg, "%s:%ld: ", r->name, r->lineno);
    if (n < 0 || (size_t)n >= sizeof r->msg) return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg + n, sizeof r->msg - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

/* "got ..." for messages: the value, briefly. */
static const char *describe(const cJSON *v, char *buf, size_t n)
{
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsBool(v)) return cJSON_IsTrue(v) ? "true" : "false";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    if (cJSON_IsNumber(v)) {
        snprintf(buf, n, "%.17g", v->valuedouble);
        return buf;
    }
    if (cJSON_IsString(v)) {
        /* the first 40 bytes, never half a character, control characters made visible */
        size_t len = strlen(v->valuestring), cut = aw_utf8_prefix(v->valuestring, len > 40 ? 40 : len);
        char shown[200];
        aw_text_escape_n(v->valuestring, cut, shown, sizeof shown);
        snprintf(buf, n, "\"%s%s\"", shown, cut < len ? "..." : "");
        return buf;
    }
    return "an unknown value";
}

/* ---- values ---------------------------------------------------------------------------------- */

/* Doubles hold every integer up to 2^53 exactly; above that we still accept the value (the
 * exact digits are re-read from the text where it matters: seed, wall_start_ns). */
static bool is_integer(const cJSON *v)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble) &&
           fabs(v->valuedouble) < 9.2233720368547758e18;
}

static bool is_id(const cJSON *v) { return is_integer(v) && v->valuedouble >= 1; }

static int raw_u64(const char *text, const char *key, unsigned long long *out);

static bool check_value(aw_trace_reader *r, const cJSON *v, const aw_trace_field *f)
{
    bool ok = false;
    switch (f->type) {
    case AW_TF_ID: ok = is_id(v); break;
    case AW_TF_ID_NULL: ok = cJSON_IsNull(v) || is_id(v); break;
    case AW_TF_COUNT: ok = is_integer(v) && v->valuedouble >= 0; break;
    case AW_TF_COUNT_NULL: ok = cJSON_IsNull(v) || (is_integer(v) && v->valuedouble >= 0); break;
    case AW_TF_INT: ok = is_integer(v); break;
    case AW_TF_U64: {
        /* A double cannot tell 2^64 - 1 from 2^64: the digits decide when there are digits. */
        unsigned long long u;
        int raw = raw_u64(r->line, f->key, &u);
        ok = raw > 0 || (raw == 0 && cJSON_IsNumber(v) && v->valuedouble >= 0 &&
                         v->valuedouble < 18446744073709551616.0 && v->valuedouble == floor(v->valuedouble));
        if (raw < 0) {
            char b[256];
            return fail(r, AW_TRACE_INVALID, f->key, "expected %s, got %s (above 2^64-1)",
                        aw_trace_ftype_phrase(f->type), describe(v, b, sizeof b));
        }
        break;
    }
    case AW_TF_TIME: ok = is_integer(v) && v->valuedouble >= 0; break;
    case AW_TF_TIME_NULL: ok = cJSON_IsNull(v) || (is_integer(v) && v->valuedouble >= 0); break;
    case AW_TF_EXACT: ok = cJSON_IsObject(v) && v->child; break; /* its members: check_exact */
    case AW_TF_STR: ok = cJSON_IsString(v); break;
    case AW_TF_STR_NULL: ok = cJSON_IsNull(v) || cJSON_IsString(v); break;
    case AW_TF_BOOL: ok = cJSON_IsBool(v); break;
    case AW_TF_IDS: {
        ok = cJSON_IsArray(v);
        int i = 0;
        for (const cJSON *c = ok ? v->child : NULL; c; c = c->next, i++)
            if (!is_id(c)) {
                char b[256];
                return fail(r, AW_TRACE_INVALID, f->key, "item %d: expected an id (integer >= 1), got %s", i,
                            describe(c, b, sizeof b));
            }
        break;
    }
    case AW_TF_ENUM:
        if (cJSON_IsString(v)) {
            for (const char *const *s = f->values; *s; s++)
                if (strcmp(*s, v->valuestring) == 0) return true;
        }
        {
            char list[256] = "", b[256];
            for (const char *const *s = f->values; *s; s++) {
                strncat(list, *s, sizeof list - strlen(list) - 1);
                if (s[1]) strncat(list, ", ", sizeof list - strlen(list) - 1);
            }
            return fail(r, AW_TRACE_INVALID, f->key, "expected one of %s; got %s", list, describe(v, b, sizeof b));
        }
    }
    if (!ok) {
        char b[256];
        return fail(r, AW_TRACE_INVALID, f->key, "expected %s, got %s", aw_trace_ftype_phrase(f->type),
                    describe(v, b, sizeof b));
    }
    return true;
}

static bool nullable(aw_trace_ftype t)
{
    return t == AW_TF_ID_NULL || t == AW_TF_COUNT_NULL || t == AW_TF_TIME_NULL || t == AW_TF_STR_NULL;
}

/* absent_null: an event's field that may be null may also be left out (a writer may drop nulls);
 * the header's keys are all required. */
static bool check_fields(aw_trace_reader *r, const cJSON *o, const aw_trace_field *fs, size_t n, bool absent_null)
{
    for (size_t i = 0; i < n; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, fs[i].key);
        if (!v && absent_null && nullable(fs[i].type)) continue;
        if (!v) return fail(r, AW_TRACE_INVALID, fs[i].key, "missing");
        if (!check_value(r, v, &fs[i])) return false;
    }
    return true;
}

/* Fields that may be left out (absent: null). */
static bool check_optional(aw_trace_reader *r, const cJSON *o, const aw_trace_field *fs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, fs[i].key);
        if (v && !check_value(r, v, &fs[i])) return false;
    }
    return true;
}

static bool in_fields(const char *key, const aw_trace_field *fs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fs[i].key, key) == 0) return true;
    return false;
}

/* Unknown keys (the schema is closed: a new field is a new version) and duplicate keys (cJSON
 * keeps both; readers would silently disagree on which one counts). */
static bool check_keys(aw_trace_reader *r, const cJSON *o, const aw_trace_field *a, size_t na,
                       const aw_trace_field *b, size_t nb, const aw_trace_field *c3, size_t nc3, const char *what)
{
    /* Every key is known, so a duplicate is found among the first na + nb + 1 keys: each key is
     * compared with those before it, which stays bounded however many keys the line has. */
    for (const cJSON *c = o->child; c; c = c->next) {
        for (const cJSON *d = o->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0) return fail(r, AW_TRACE_INVALID, c->string, "appears twice");
        if (!in_fields(c->string, a, na) && !in_fields(c->string, b, nb) && !in_fields(c->string, c3, nc3))
            return fail(r, AW_TRACE_INVALID, c->string, "unknown field for %s", what);
    }
    return true;
}

/* The exact digits of an integer field, from the text: "key" as a key (after '{' or ','), then
 * ':' and the number.  A `"key"` inside a string value cannot look like that: its closing quote
 * would be escaped, or what precedes it would not be '{' or ','. */
static bool raw_integer(const char *text, const char *key, long long *s_out, unsigned long long *u_out)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    for (const char *p = strstr(text, pat); p; p = strstr(p + 1, pat)) {
        const char *q = p;
        while (q > text && (q[-1] == ' ' || q[-1] == '\t')) q--;
        if (q == text || (q[-1] != '{' && q[-1] != ',')) continue;
        q = p + strlen(pat);
        while (*q == ' ' || *q == '\t') q++;
        if (*q != ':') continue;
        q++;
        while (*q == ' ' || *q == '\t') q++;
        char *end;
        errno = 0;
        /* digits only: "1e3" or "1.0" are left to the double (strto* would stop at 'e') */
        size_t digits = strspn(q + (*q == '-'), "0123456789");
        char after = q[(*q == '-') + digits];
        if (digits == 0 || (after != ',' && after != '}' && after != ' ' && after != '\t')) return false;
        if (*q == '-') {
            long long v = strtoll(q, &end, 10);
            if (errno || end == q) return false;
            if (s_out) *s_out = v;
            if (u_out) return false;
        } else {
            unsigned long long v = strtoull(q, &end, 10);
            if (errno || end == q) return false;
            if (s_out) {
                if (v > (unsigned long long)INT64_MAX) return false;
                *s_out = (long long)v;
            }
            if (u_out) *u_out = v;
        }
        return true;
    }
    return false;
}

/* 1: the key's value is plain digits within 0..2^64-1 (*out exact); -1: plain digits, too
 * large (or negative); 0: not plain digits (1e3, a string...): the double decides. */
static int raw_u64(const char *text, const char *key, unsigned long long *out)
{
    if (raw_integer(text, key, NULL, out)) return 1;
    /* raw_integer refuses "not digits", "negative" and "out of range": find the last one */
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(text, pat);
    if (!p) return 0;
    p += strlen(pat);
    while (*p == ' ' || *p == '\t' || *p == ':') p++;
    size_t digits = strspn(p, "0123456789");
    char after = p[digits];
    return digits && (after == ',' || after == '}' || after == ' ' || after == '\t') ? -1 : 0;
}

/* A checked U64 field's value when its text is not plain digits (1e3): no UB at 2^64. */
static uint64_t u64_of(double d) { return d >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)d; }

/* ---- lines ----------------------------------------------------------------------------------- */

char *aw_trace_format_size(size_t bytes, char *buf, size_t n)
{
    if (bytes && bytes % ((size_t)1 << 20) == 0) snprintf(buf, n, "%zu MiB", bytes >> 20);
    else if (bytes && bytes % 1024 == 0) snprintf(buf, n, "%zu KiB", bytes >> 10);
    else snprintf(buf, n, "%zu bytes", bytes);
    return buf;
}

static bool line_too_long(aw_trace_reader *r)
{
    char size[32];
    return fail(r, AW_TRACE_INVALID, NULL, "line %ld is longer than %s (--max-line)", r->lineno,
                aw_trace_format_size(r->max_line, size, sizeof size));
}

/* Appends `n` bytes to the current line, refusing to grow it past r->max_line. */
static bool line_append(aw_trace_reader *r, const char *p, size_t n)
{
    if (n > r->max_line - r->len) return line_too_long(r);
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 256;
        while (cap < r->len + n + 1) cap *= 2;
        char *q = realloc(r->line, cap);
        if (!q) {
            fail(r, AW_TRACE_IO, NULL, "out of memory reading line %ld", r->lineno);
            return false;
        }
        r->line = q;
        r->cap = cap;
    }
    memcpy(r->line + r->len, p, n);
    r->len += n;
    return true;
}

/* Reads on from in[in_pos], a zero byte after a line's r->len bytes.  1: the file goes on with
 * zeros only (all consumed, counted in zero_tail): the tail of a trace whose writer was killed
 * before it trimmed its mapped file (sim/file_map.h).  -1 (r->status says why): a non-zero byte
 * follows, a read error, or more zeros than a line may hold (the zeros are read as the line
 * they begin: /dev/zero is refused as any endless line is). */
static int read_zero_tail(aw_trace_reader *r)
{
    for (;;) {
        for (; r->in_pos < r->in_len; r->in_pos++, r->zero_tail++) {
            if (r->in[r->in_pos] != '\0')
                return fail(r, AW_TRACE_INVALID, NULL, "a zero byte inside the text (not a zero-filled end of file)"), -1;
            if (r->zero_tail >= r->max_line - r->len) return line_too_long(r), -1;
        }
        errno = 0;
        size_t got = fread(r->in, 1, READ_CHUNK, r->f);
        if (got == 0 && ferror(r->f))
            return fail(r, AW_TRACE_IO, NULL, "read error: %s", strerror(errno ? errno : EIO)), -1;
        if (got == 0) return 1;
        r->in_pos = 0;
        r->in_len = got;
    }
}

/* Reads the next line.  1: a line (r->line, r->len, *had_newline); 0: end of file; -1: error.
 * Not getline(): it would grow one endless line (/dev/zero) until memory runs out. */
static int read_line(aw_trace_reader *r, bool *had_newline)
{
    if (!r->in && !(r->in = malloc(READ_CHUNK))) {
        fail(r, AW_TRACE_IO, NULL, "out of memory");
        return -1;
    }
    bool any = false;
    r->len = 0;
    *had_newline = false;
    for (;;) {
        if (r->in_pos == r->in_len) {
            errno = 0;
            size_t got = fread(r->in, 1, READ_CHUNK, r->f);
            if (got == 0) {
                if (ferror(r->f)) {
                    if (!any) r->lineno++;
                    fail(r, AW_TRACE_IO, NULL, "read error: %s", strerror(errno ? errno : EIO));
                    return -1;
                }
                break; /* end of file */
            }
            r->in_pos = 0;
            r->in_len = got;
        }
        if (!any) r->lineno++;
        any = true;
        const char *start = r->in + r->in_pos;
        size_t avail = r->in_len - r->in_pos;
        const char *nl = memchr(start, '\n', avail);
        /* no newline in what is left of the buffer: the file may end in zeros here */
        const char *zero = nl ? NULL : memchr(start, '\0', avail);
        size_t take = nl ? (size_t)(nl - start) : zero ? (size_t)(zero - start) : avail;
        if (!line_append(r, start, take)) return -1;
        r->in_pos += take + (nl ? 1 : 0);
        if (nl) {
            *had_newline = true;
            break;
        }
        if (zero) {
            if (read_zero_tail(r) < 0) return -1;
            if (r->len == 0) { /* the zeros begin a line: no line, the end of the file */
                r->lineno--;
                return 0;
            }
            break;
        }
    }
    if (!any) return 0;
    if (!r->line && !line_append(r, "", 0)) return -1;
    r->line[r->len] = '\0';
    return 1;
}

/* Parses the current line into r->cur.  On failure: TRUNCATED if this is a last line without
 * newline (the writer was cut mid-line), else INVALID. */
static bool parse_line(aw_trace_reader *r, bool had_newline, const char *what)
{
    r->cur = NULL;
    const char *why = NULL;
    char deep[64]; /* why may point here: it lives as long as why is used */
    long col = 0;
    if (r->len == 0) {
        why = "empty line";
    } else {
        aw_json_text_problem tp;
        if (!aw_json_text_check(r->line, r->len, AW_TRACE_MAX_DEPTH, &tp)) {
            why = tp.why;
            col = (long)tp.column;
            if (strcmp(why, "nested too deep") == 0) {
                snprintf(deep, sizeof deep, "nested deeper than %d levels", AW_TRACE_MAX_DEPTH);
                why = deep;
            }
            /* a cut last line may end inside a character: that is truncation, not bad text */
            if (!had_newline && !aw_json_arena_parse(&r->arena, r->line, NULL, 1)) col = 0, why = "cut";
        } else {
            const char *end = NULL;
            r->cur = aw_json_arena_parse(&r->arena, r->line, &end, 1);
            if (!r->cur) {
                why = "not valid JSON";
                col = end ? (long)(end - r->line) + 1 : 1;
            } else if (!cJSON_IsObject(r->cur)) {
                why = "not a JSON object";
            }
        }
    }
    if (!why) return true;
    if (!had_newline && r->len > 0 && !r->cur && (strcmp(why, "cut") == 0 || strcmp(why, "not valid JSON") == 0))
        return fail(r, AW_TRACE_TRUNCATED, NULL,
                    "truncated: the last line is incomplete (%zu bytes, no newline); the %ld event%s "
                    "before it %s valid",
                    r->len, r->count, r->count == 1 ? "" : "s", r->count == 1 ? "is" : "are");
    if (col)
        return fail(r, AW_TRACE_INVALID, NULL, "%s: %s (column %ld)", what, why, col);
    return fail(r, AW_TRACE_INVALID, NULL, "%s: %s", what, why);
}

static void read_header(aw_trace_reader *r)
{
    bool nl;
    int got = read_line(r, &nl);
    if (got < 0) return;
    if (got == 0 && r->zero_tail) {
        r->lineno = 1;
        fail(r, AW_TRACE_TRUNCATED, NULL, "truncated: the file holds only %llu zero bytes (its writer was killed "
             "before it wrote the header)", r->zero_tail);
        return;
    }
    if (got == 0) {
        r->lineno = 1;
        fail(r, AW_TRACE_INVALID, NULL, "empty file: no header line (not an awaitlab trace)");
        return;
    }
    if (!parse_line(r, nl, "header")) return;
    const cJSON *o = r->cur;
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(o, "format");
    if (!fmt) {
        fail(r, AW_TRACE_INVALID, "format", "missing (not an awaitlab trace)");
        return;
    }
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, AW_TRACE_FORMAT) != 0) {
        char b[256];
        fail(r, AW_TRACE_INVALID, "format", "expected \"%s\", got %s (not an awaitlab trace)", AW_TRACE_FORMAT,
             describe(fmt, b, sizeof b));
        return;
    }
    /* The version first: a newer trace may have any other shape. */
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(o, "version");
    if (!ver) {
        fail(r, AW_TRACE_INVALID, "version", "missing");
        return;
    }
    if (!is_integer(ver)) {
        char b[256];
        fail(r, AW_TRACE_INVALID, "version", "expected an integer, got %s", describe(ver, b, sizeof b));
        return;
    }
    if (ver->valuedouble < AW_TRACE_OLDEST_VERSION || ver->valuedouble > AW_TRACE_VERSION) {
        fail(r, AW_TRACE_UNSUPPORTED, "version",
             "unsupported trace version %.0f (this awaitlab reads versions %d to %d)", ver->valuedouble,
             AW_TRACE_OLDEST_VERSION, AW_TRACE_VERSION);
        return;
    }
    if (!check_fields(r, o, header_fields, N_HEADER_REQUIRED, false) ||
        !check_optional(r, o, header_fields + N_HEADER_REQUIRED, N_HEADER_FIELDS - N_HEADER_REQUIRED) ||
        !check_keys(r, o, header_fields, N_HEADER_FIELDS, NULL, 0, NULL, 0, "the header"))
        return;

    const cJSON *prog = cJSON_GetObjectItemCaseSensitive(o, "program");
    r->program = cJSON_IsString(prog) ? strdup(prog->valuestring) : NULL;
    const cJSON *src_file = cJSON_GetObjectItemCaseSensitive(o, "source_file");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "source");
    r->source_file = cJSON_IsString(src_file) ? strdup(src_file->valuestring) : NULL;
    r->source = cJSON_IsString(src) ? strdup(src->valuestring) : NULL;
    r->clock = strdup(cJSON_GetObjectItemCaseSensitive(o, "clock")->valuestring);
    r->header.version = (long long)ver->valuedouble;
    r->header.program = r->program;
    r->header.clock = r->clock;
    r->header.source_file = r->source_file;
    r->header.source = r->source;
    unsigned long long seed;
    long long wall;
    r->header.seed = raw_integer(r->line, "seed", NULL, &seed)
                         ? seed
                         : u64_of(cJSON_GetObjectItemCaseSensitive(o, "seed")->valuedouble);
    r->header.wall_start_ns = raw_integer(r->line, "wall_start_ns", &wall, NULL)
                                  ? wall
                                  : (int64_t)cJSON_GetObjectItemCaseSensitive(o, "wall_start_ns")->valuedouble;
    r->have_header = true;
}

static aw_trace_reader *reader_new(FILE *f, bool own, const char *name, const aw_trace_limits *limits)
{
    aw_trace_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->f = f;
    r->own_file = own;
    r->max_line = limits && limits->max_line ? limits->max_line : AW_TRACE_MAX_LINE_DEFAULT;
    char shown[512]; /* the name appears in every message: shown escaped */
    r->name = strdup(aw_text_escape(name, shown, sizeof shown));
    r->next_seq = 1;
    if (!r->name) {
        free(r);
        return NULL;
    }
    return r;
}

aw_trace_reader *aw_trace_reader_open_file_limits(FILE *f, const char *name, const aw_trace_limits *limits)
{
    aw_trace_reader *r = reader_new(f, false, name, limits);
    if (r) read_header(r);
    return r;
}

aw_trace_reader *aw_trace_reader_open_file(FILE *f, const char *name)
{
    return aw_trace_reader_open_file_limits(f, name, NULL);
}

aw_trace_reader *aw_trace_reader_open_limits(const char *path, const aw_trace_limits *limits)
{
    if (strcmp(path, "-") == 0) return aw_trace_reader_open_file_limits(stdin, "<stdin>", limits);
    FILE *f = fopen(path, "r");
    int open_errno = errno;
    struct stat sb;
    bool is_dir = f && fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode);
    aw_trace_reader *r = reader_new(f, f != NULL, path, limits);
    if (!r) {
        if (f) fclose(f);
        return NULL;
    }
    char shown[512];
    aw_text_escape(path, shown, sizeof shown);
    if (!f || is_dir) {
        r->status = AW_TRACE_IO;
        if (is_dir) snprintf(r->msg, sizeof r->msg, "%s is a directory, not a trace file", shown);
        else snprintf(r->msg, sizeof r->msg, "%s: cannot open: %s", shown, strerror(open_errno));
        return r;
    }
    read_header(r);
    return r;
}

aw_trace_reader *aw_trace_reader_open(const char *path) { return aw_trace_reader_open_limits(path, NULL); }

/* The fast path: the writer puts the keys in the schema's order (common fields, then the kind's),
 * so one walk down the object checks every key and value with one comparison each.  Any other
 * order falls back to the thorough checks below, which also find what exactly is wrong. */
static bool check_in_order(aw_trace_reader *r, const cJSON *o, const aw_trace_kind *kind, bool *in_order)
{
    const cJSON *c = o->child;
    for (size_t i = 0; i < 4 + kind->n_fields; i++, c = c->next) {
        const aw_trace_field *f = i < 4 ? &aw_trace_common_fields[i] : &kind->fields[i - 4];
        if (!c || strcmp(c->string, f->key) != 0) return *in_order = false;
        if (!check_value(r, c, f)) return false;
    }
    /* the optional tail: where in the program the event comes from */
    for (size_t i = 0; c && i < N_TAIL; i++) {
        if (strcmp(c->string, aw_trace_tail_fields[i].key) != 0) continue;
        if (!check_value(r, c, &aw_trace_tail_fields[i])) return false;
        c = c->next;
    }
    return *in_order = (c == NULL);
}

/* The tail's `exact`: each key names a time field of the event without its `_ns` ("t",
 * "deadline"...), whose value is a number that rounds to the field's ns (core/aw_trace_time.h). */
static bool check_exact(aw_trace_reader *r, const cJSON *o, const aw_trace_kind *kind)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, "exact");
    if (!x) return true;
    for (const cJSON *c = x->child; c; c = c->next) {
        char key[64];
        const aw_trace_field *f = NULL;
        snprintf(key, sizeof key, "%.50s_ns", c->string);
        if (!strcmp(key, "t_ns")) f = &aw_trace_common_fields[2];
        for (size_t i = 0; !f && i < kind->n_fields; i++)
            if ((kind->fields[i].type == AW_TF_TIME || kind->fields[i].type == AW_TF_TIME_NULL) &&
                !strcmp(kind->fields[i].key, key))
                f = &kind->fields[i];
        char shown[80], b[256];
        aw_text_escape(c->string, shown, sizeof shown);
        if (!f)
            return fail(r, AW_TRACE_INVALID, "exact", "'%s' is not a time field of event '%s'", shown, kind->name);
        for (const cJSON *d = x->child; d != c; d = d->next)
            if (!strcmp(d->string, c->string)) return fail(r, AW_TRACE_INVALID, "exact", "'%s' appears twice", shown);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, f->key);
        if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble) || c->valuedouble < 0)
            return fail(r, AW_TRACE_INVALID, "exact", "'%s': expected seconds (a number >= 0), got %s", shown,
                        describe(c, b, sizeof b));
        if (!v || !cJSON_IsNumber(v))
            return fail(r, AW_TRACE_INVALID, "exact", "'%s': the field %s is null", shown, f->key);
        if (aw_trace_time_ns(c->valuedouble) != (int64_t)v->valuedouble)
            return fail(r, AW_TRACE_INVALID, "exact", "'%s': %s s is not %s %.0f ns", shown, describe(c, b, sizeof b),
                        f->key, v->valuedouble);
    }
    return true;
}

/* ---- values ---------------------------------------------------------------------------------- */

/* Slot i of a kind: its own fields, then the tail. */
static const aw_trace_field *slot_field(const aw_trace_kind *kind, size_t i)
{
    return i < kind->n_fields ? &kind->fields[i] : &aw_trace_tail_fields[i - kind->n_fields];
}

/* A checked value from the cJSON tree (the lines the scanner leaves to cJSON, or every line
 * when the caller wants the tree).  Integers as the model always read them: (int64_t) of the
 * double. */
static bool values_from_json(aw_trace_reader *r, aw_trace_event *ev, const cJSON *o)
{
    const aw_trace_kind *kind = &aw_trace_kinds[ev->kind];
    aw_scan *sc = &r->scan;
    size_t nids = 0, nexact = 0, first[AW_TRACE_MAX_SLOTS];
    ev->n_values = kind->n_fields + N_TAIL;
    if (ev->n_values > AW_TRACE_MAX_SLOTS) return fail(r, AW_TRACE_INVALID, NULL, "the schema is wider than the reader");
    ev->values = r->values;
    for (size_t i = 0; i < ev->n_values; i++) {
        const aw_trace_field *f = slot_field(kind, i);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, f->key);
        aw_trace_value *out = &r->values[i];
        *out = (aw_trace_value){AW_TV_NULL, 0, NULL, NULL, NULL};
        if (!v || cJSON_IsNull(v)) continue;
        switch (f->type) {
        case AW_TF_U64: out->type = AW_TV_INT, out->i = (int64_t)u64_of(v->valuedouble); break;
        case AW_TF_STR:
        case AW_TF_STR_NULL:
        case AW_TF_ENUM: out->type = AW_TV_STR, out->s = v->valuestring; break;
        case AW_TF_BOOL: out->type = AW_TV_BOOL, out->i = cJSON_IsTrue(v); break;
        case AW_TF_IDS: {
            size_t n = (size_t)cJSON_GetArraySize(v);
            if (!aw_scan_reserve((void **)&sc->ids, &sc->ids_cap, nids + n, sizeof *sc->ids))
                return fail(r, AW_TRACE_IO, NULL, "out of memory");
            out->type = AW_TV_IDS, out->i = (int64_t)n, first[i] = nids; /* pointers once all have grown */
            for (const cJSON *c = v->child; c; c = c->next) sc->ids[nids++] = (int64_t)c->valuedouble;
            break;
        }
        case AW_TF_EXACT: {
            size_t n = (size_t)cJSON_GetArraySize(v);
            if (!aw_scan_reserve((void **)&sc->exact, &sc->exact_cap, nexact + n, sizeof *sc->exact))
                return fail(r, AW_TRACE_IO, NULL, "out of memory");
            out->type = AW_TV_EXACT, out->i = (int64_t)n, first[i] = nexact;
            for (const cJSON *c = v->child; c; c = c->next) sc->exact[nexact++] = (aw_scan_exact){c->string, c->valuedouble};
            break;
        }
        default: out->type = AW_TV_INT, out->i = (int64_t)v->valuedouble; break;
        }
    }
    for (size_t i = 0; i < ev->n_values; i++) {
        if (r->values[i].type == AW_TV_IDS) r->values[i].ids = sc->ids + first[i];
        if (r->values[i].type == AW_TV_EXACT) r->values[i].exact = sc->exact + first[i];
    }
    return true;
}

/* Whether a scanned value passes check_value (the cJSON path says what is wrong when not). */
static bool scan_value_ok(const aw_scan *s, const aw_scan_member *v, const aw_trace_field *f)
{
    bool null = v->type == AW_SCAN_NULL, in = v->type == AW_SCAN_INT;
    switch (f->type) {
    case AW_TF_ID: return in && v->i >= 1;
    case AW_TF_ID_NULL: return null || (in && v->i >= 1);
    case AW_TF_COUNT:
    case AW_TF_TIME:
    case AW_TF_U64: return in && v->i >= 0;
    case AW_TF_COUNT_NULL:
    case AW_TF_TIME_NULL: return null || (in && v->i >= 0);
    case AW_TF_INT: return in;
    case AW_TF_EXACT: return v->type == AW_SCAN_OBJ && v->i > 0;
    case AW_TF_STR: return v->type == AW_SCAN_STR;
    case AW_TF_STR_NULL: return null || v->type == AW_SCAN_STR;
    case AW_TF_BOOL: return v->type == AW_SCAN_BOOL;
    case AW_TF_IDS:
        if (v->type != AW_SCAN_IDS) return false;
        for (size_t j = 0; j < (size_t)v->i; j++)
            if (s->ids[v->first + j] < 1) return false;
        return true;
    case AW_TF_ENUM:
        if (v->type != AW_SCAN_STR) return false;
        for (const char *const *e = f->values; *e; e++)
            if (!strcmp(*e, v->s)) return true;
        return false;
    }
    return false;
}

static aw_trace_value value_of_member(const aw_scan *s, const aw_scan_member *v)
{
    switch (v->type) {
    case AW_SCAN_NULL: break;
    case AW_SCAN_INT: return (aw_trace_value){AW_TV_INT, v->i, NULL, NULL, NULL};
    case AW_SCAN_STR: return (aw_trace_value){AW_TV_STR, 0, v->s, NULL, NULL};
    case AW_SCAN_BOOL: return (aw_trace_value){AW_TV_BOOL, v->i, NULL, NULL, NULL};
    case AW_SCAN_IDS: return (aw_trace_value){AW_TV_IDS, v->i, NULL, s->ids + v->first, NULL};
    case AW_SCAN_OBJ: return (aw_trace_value){AW_TV_EXACT, v->i, NULL, NULL, s->exact + v->first};
    }
    return (aw_trace_value){AW_TV_NULL, 0, NULL, NULL, NULL};
}

static bool is_key(const aw_scan_member *m, const aw_trace_field *f)
{
    if (m->key_len != f->key_len) return false;
    for (size_t i = 0; i < f->key_len; i++) /* keys are a few characters: no call to memcmp */
        if (m->key[i] != f->key[i]) return false;
    return true;
}

/* The member named as field f: `*at` is tried first (the writer's order is the schema's), then
 * all, unless all `used` members are taken by other fields already (a kind's keys are distinct:
 * test_trace_read checks), as when a line leaves its optional tail out. */
static const aw_scan_member *scan_find(const aw_scan *s, size_t *at, const aw_trace_field *f, size_t used)
{
    if (*at < s->n && is_key(&s->m[*at], f)) return &s->m[(*at)++];
    if (used == s->n) return NULL;
    for (size_t i = 0; i < s->n; i++)
        if (is_key(&s->m[i], f)) return &s->m[i];
    return NULL;
}

/* The fast path: the line as the scanner read it passes every check of check_event (keys in any
 * order, each once; values of their types; `exact`; seq, iter and t_ns in order), and *ev is
 * filled as check_event fills it.  false: not so, or not sure; nothing has changed, and the
 * cJSON path takes the line (and reports what is wrong, if anything is). */
/* An event's file, as format 3 writes it: a located event in the file the located event before
 * it named gives only its `line`.  `named`: the line has a "file" key.  false: it leaves the file
 * out with no file to carry (the cJSON path says so; the scanned one leaves the line to it). */
#define SLOT_FILE(kind) ((kind)->n_fields + 1)
#define SLOT_LINE(kind) ((kind)->n_fields + 2)
static bool file_to_carry(const aw_trace_reader *r, bool named, const aw_trace_kind *kind)
{
    return named || r->values[SLOT_LINE(kind)].type == AW_TV_NULL || r->carrying;
}

/* Fills the file slot of an event that left it out, or keeps the one it named for the next. */
static bool carry_file(aw_trace_reader *r, bool named, const aw_trace_kind *kind)
{
    aw_trace_value *file = &r->values[SLOT_FILE(kind)];
    if (!named) {
        if (r->values[SLOT_LINE(kind)].type != AW_TV_NULL && !r->carried_null)
            *file = (aw_trace_value){AW_TV_STR, 0, r->carried, NULL, NULL};
        return true;
    }
    r->carrying = true;
    r->carried_null = file->type != AW_TV_STR;
    if (r->carried_null) return true;
    size_t n = strlen(file->s) + 1;
    if (!aw_scan_reserve((void **)&r->carried, &r->carried_cap, n, 1)) {
        r->carrying = false;
        return fail(r, AW_TRACE_IO, NULL, "out of memory");
    }
    memcpy(r->carried, file->s, n);
    return true;
}

/* A checked event becomes the reader's current one (both paths: scanned values or cJSON). */
static void accept_event(aw_trace_reader *r, aw_trace_event *ev, int k, int64_t seq, int64_t iter, int64_t t,
                         double tx)
{
    r->next_seq++;
    r->last_iter = iter;
    r->last_t = t;
    r->last_tx = tx;
    if (k == AW_TK_LOOP_CLOSE) r->saw_close = true;
    ev->kind = k;
    ev->seq = seq;
    ev->iter = iter;
    ev->t_ns = t;
    ev->t = tx;
    ev->line = r->lineno;
    ev->text = r->line;
    ev->len = r->len;
    r->count++;
}

/* Slot i of `kind` takes member v (NULL: the line leaves it out).  false: the scanned path cannot
 * accept the line. */
static bool scan_slot(aw_trace_reader *r, const aw_trace_kind *kind, size_t i, const aw_scan_member *v)
{
    const aw_trace_field *f = slot_field(kind, i);
    if (!v && i < kind->n_fields && !nullable(f->type)) return false;
    if (v && !scan_value_ok(&r->scan, v, f)) return false;
    r->values[i] = v ? value_of_member(&r->scan, v) : (aw_trace_value){AW_TV_NULL, 0, NULL, NULL, NULL};
    return true;
}

/* The kind of "ev", if it names one whose slots fit. */
static const aw_trace_kind *scan_kind(const aw_scan_member *ev)
{
    int k = aw_trace_kind_find(ev->s);
    if (k < 0 || aw_trace_kinds[k].n_fields + N_TAIL > AW_TRACE_MAX_SLOTS) return NULL;
    return &aw_trace_kinds[k];
}

/* The recorder's lines: the common keys, then the kind's fields and the tail in schema order, any
 * of them left out that may be.  Every member is read where the key expected next stands, so no
 * key is scanned or searched for.  NULL: the line is in some other order or shape (scan_any_order
 * then decides). */
static const aw_trace_kind *scan_in_order(aw_trace_reader *r, const aw_scan_member *common[4], bool *file_named)
{
    aw_scan *s = &r->scan;
    aw_scan_cursor c;
    if (!aw_scan_begin(s, &c, r->line, r->len)) return NULL;
    for (size_t i = 0; i < 4; i++) {
        const aw_trace_field *f = &aw_trace_common_fields[i];
        if (aw_scan_named(&c, f->key, f->key_len) != 1) return NULL;
        common[i] = &s->m[i];
        if (!scan_value_ok(s, common[i], f)) return NULL;
    }
    const aw_trace_kind *kind = scan_kind(common[3]);
    if (!kind) return NULL;
    size_t n = kind->n_fields + N_TAIL;
    for (size_t i = 0; i < n; i++) {
        const aw_trace_field *f = slot_field(kind, i);
        int got = aw_scan_named(&c, f->key, f->key_len);
        if (got < 0 || !scan_slot(r, kind, i, got ? &s->m[s->n - 1] : NULL)) return NULL;
        if (i == SLOT_FILE(kind)) *file_named = got;
    }
    return aw_scan_end(&c) ? kind : NULL;
}

/* Any line the scanner takes: keys in any order, each once. */
static const aw_trace_kind *scan_any_order(aw_trace_reader *r, const aw_scan_member *common[4], bool *file_named)
{
    aw_scan *s = &r->scan;
    if (!aw_scan_line(s, r->line, r->len)) return NULL;
    size_t at = 0, used = 0;
    for (size_t i = 0; i < 4; i++) {
        common[i] = scan_find(s, &at, &aw_trace_common_fields[i], used);
        if (!common[i] || !scan_value_ok(s, common[i], &aw_trace_common_fields[i])) return NULL;
        used++;
    }
    const aw_trace_kind *kind = scan_kind(common[3]);
    if (!kind) return NULL;
    size_t n = kind->n_fields + N_TAIL;
    for (size_t i = 0; i < n; i++) {
        const aw_scan_member *v = scan_find(s, &at, slot_field(kind, i), used);
        if (!scan_slot(r, kind, i, v)) return NULL;
        used += v != NULL;
        if (i == SLOT_FILE(kind)) *file_named = v != NULL;
    }
    return used == s->n ? kind : NULL; /* else an unknown key, or one twice */
}

static bool scan_event(aw_trace_reader *r, aw_trace_event *ev)
{
    if (r->saw_close) return false;
    const aw_scan_member *common[4];
    bool file_named = false;
    const aw_trace_kind *kind = scan_in_order(r, common, &file_named);
    if (!kind) kind = scan_any_order(r, common, &file_named);
    if (!kind) return false;
    int k = (int)(kind - aw_trace_kinds);
    size_t n = kind->n_fields + N_TAIL;
    if (!file_to_carry(r, file_named, kind)) return false;

    int64_t seq = common[0]->i, iter = common[1]->i, t = common[2]->i;
    double tx = NAN;
    const aw_trace_value *x = &r->values[kind->n_fields]; /* the tail's first: exact */
    for (size_t j = 0; x->type == AW_TV_EXACT && j < (size_t)x->i; j++) {
        const aw_scan_exact *e = &x->exact[j];
        size_t klen = strlen(e->key);
        const aw_trace_value *field = NULL;
        int64_t ns = 0;
        if (!strcmp(e->key, "t")) {
            ns = t, tx = e->seconds;
            field = x; /* any non-null marker */
        }
        for (size_t i = 0; !field && i < kind->n_fields; i++) {
            const aw_trace_field *f = &kind->fields[i];
            if ((f->type == AW_TF_TIME || f->type == AW_TF_TIME_NULL) && strlen(f->key) == klen + 3 &&
                !strncmp(f->key, e->key, klen) && !strcmp(f->key + klen, "_ns")) {
                if (r->values[i].type != AW_TV_INT) return false;
                field = &r->values[i];
                ns = field->i;
            }
        }
        if (!field || !isfinite(e->seconds) || e->seconds < 0 || aw_trace_time_ns(e->seconds) != ns) return false;
        for (size_t d = 0; d < j; d++)
            if (!strcmp(x->exact[d].key, e->key)) return false;
    }
    if (seq != r->next_seq || iter < r->last_iter || t < r->last_t) return false;
    if (isnan(tx)) tx = aw_trace_time_carried(r->count > 0, r->last_t, r->last_tx, t);
    if (!carry_file(r, file_named, kind)) return false;
    accept_event(r, ev, k, seq, iter, t, tx);
    ev->json = NULL;
    ev->values = r->values;
    ev->n_values = n;
    return true;
}

static bool check_event(aw_trace_reader *r, aw_trace_event *ev)
{
    const cJSON *o = r->cur;
    /* "ev" is the fourth key when the line is in order; find it anyway if not. */
    const cJSON *evv = o->child && o->child->next && o->child->next->next ? o->child->next->next->next : NULL;
    if (!evv || !evv->string || strcmp(evv->string, "ev") != 0) evv = cJSON_GetObjectItemCaseSensitive(o, "ev");
    int k = cJSON_IsString(evv) ? aw_trace_kind_find(evv->valuestring) : -1;
    if (r->saw_close) {
        char b[256];
        return fail(r, AW_TRACE_INVALID, NULL, "event %s after loop_close (loop_close is the last event)",
                    describe(evv, b, sizeof b));
    }
    bool in_order = false;
    if (k >= 0 && !check_in_order(r, o, &aw_trace_kinds[k], &in_order) && in_order) return false;
    if (!in_order) {
        if (!check_fields(r, o, aw_trace_common_fields, 4, false)) return false;
        if (k < 0) {
            char b[256];
            return fail(r, AW_TRACE_INVALID, "ev", "unknown event kind %s", describe(evv, b, sizeof b));
        }
        const aw_trace_kind *kind = &aw_trace_kinds[k];
        char what[64];
        snprintf(what, sizeof what, "event '%s'", kind->name);
        if (!check_fields(r, o, kind->fields, kind->n_fields, true) || !check_optional(r, o, aw_trace_tail_fields, N_TAIL) ||
            !check_keys(r, o, aw_trace_common_fields, 4, kind->fields, kind->n_fields, aw_trace_tail_fields, N_TAIL,
                        what))
            return false;
    }

    if (!check_exact(r, o, &aw_trace_kinds[k])) return false;

    int64_t seq = (int64_t)cJSON_GetObjectItemCaseSensitive(o, "seq")->valuedouble; /* first keys: cheap */
    int64_t iter = (int64_t)cJSON_GetObjectItemCaseSensitive(o, "iter")->valuedouble;
    int64_t t = (int64_t)cJSON_GetObjectItemCaseSensitive(o, "t_ns")->valuedouble;
    if (seq != r->next_seq)
        return fail(r, AW_TRACE_INVALID, "seq", "expected %lld, got %lld", (long long)r->next_seq, (long long)seq);
    if (iter < r->last_iter)
        return fail(r, AW_TRACE_INVALID, "iter", "goes back from %lld to %lld", (long long)r->last_iter,
                    (long long)iter);
    if (t < r->last_t)
        return fail(r, AW_TRACE_INVALID, "t_ns", "goes back from %lld to %lld", (long long)r->last_t, (long long)t);
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, "exact");
    const cJSON *xt = x ? cJSON_GetObjectItemCaseSensitive(x, "t") : NULL;
    double tx = xt ? xt->valuedouble : aw_trace_time_carried(r->count > 0, r->last_t, r->last_tx, t);
    accept_event(r, ev, k, seq, iter, t, tx);
    ev->json = r->cur;
    if (!values_from_json(r, ev, o)) return false;
    const aw_trace_kind *kind = &aw_trace_kinds[k];
    bool named = cJSON_GetObjectItemCaseSensitive(o, "file") != NULL;
    if (!file_to_carry(r, named, kind))
        return fail(r, AW_TRACE_INVALID, "file", "left out, and no event before this one names a file to carry over");
    if (!carry_file(r, named, kind)) return false;
    /* The tree says what the values say (awaitlab diff compares trees): the carried file too. */
    const aw_trace_value *file = &r->values[SLOT_FILE(kind)];
    const cJSON *line = named ? NULL : cJSON_GetObjectItemCaseSensitive(o, "line");
    if (line && !aw_json_arena_insert(&r->arena, r->cur, line, "file", file->type == AW_TV_STR ? file->s : NULL))
        return fail(r, AW_TRACE_IO, NULL, "out of memory");
    return true;
}

double aw_trace_event_seconds(const aw_trace_event *ev, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev->json, key);
    if (!cJSON_IsNumber(v)) return NAN;
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(ev->json, "exact");
    size_t n = strlen(key);
    if (x && n > 3 && !strcmp(key + n - 3, "_ns"))
        for (const cJSON *c = x->child; c; c = c->next)
            if (strlen(c->string) == n - 3 && !strncmp(c->string, key, n - 3)) return c->valuedouble;
    return aw_trace_time_of_ns((int64_t)v->valuedouble);
}

int aw_trace_reader_next(aw_trace_reader *r, aw_trace_event *ev)
{
    if (r->status != AW_TRACE_OK || r->at_end) return 0;
    bool nl;
    int got = read_line(r, &nl);
    if (got <= 0) {
        r->at_end = true;
        if (got == 0 && r->zero_tail) {
            r->lineno++;
            fail(r, AW_TRACE_TRUNCATED, NULL,
                 "truncated: the file ends in %llu zero bytes (its writer was killed before it trimmed "
                 "the file); the %ld event%s before them %s valid",
                 r->zero_tail, r->count, r->count == 1 ? "" : "s", r->count == 1 ? "is" : "are");
        } else if (got == 0 && !r->saw_close) {
            r->status = AW_TRACE_UNFINISHED;
            snprintf(r->msg, sizeof r->msg,
                     "%s: unfinished: no loop_close event after %ld event%s (the program stopped before "
                     "closing its loop)",
                     r->name, r->count, r->count == 1 ? "" : "s");
        }
        return 0;
    }
    if (r->values_only && scan_event(r, ev)) return 1;
    if (r->status != AW_TRACE_OK) return 0; /* the scanned path ran out of memory */
    if (!parse_line(r, nl, "event") || !check_event(r, ev)) return 0;
    return 1;
}

void aw_trace_reader_values_only(aw_trace_reader *r) { r->values_only = true; }

aw_trace_status aw_trace_reader_status(const aw_trace_reader *r) { return r->status; }
const char *aw_trace_reader_message(const aw_trace_reader *r) { return r->msg; }
const aw_trace_header *aw_trace_reader_header(const aw_trace_reader *r) { return r->have_header ? &r->header : NULL; }
long aw_trace_reader_count(const aw_trace_reader *r) { return r->count; }
const char *aw_trace_reader_name(const aw_trace_reader *r) { return r->name; }

void aw_trace_reader_close(aw_trace_reader *r)
{
    if (!r) return;
    if (r->own_file) fclose(r->f);
    aw_json_arena_free(&r->arena);
    aw_scan_free(&r->scan);
    free(r->line);
    free(r->in);
    free(r->carried);
    free(r->name);
    free(r->program);
    free(r->clock);
    free(r->source_file);
    free(r->source);
    free(r);
}

aw_trace_status aw_trace_validate_file(const char *path, char *msg, size_t msglen, long *n_events)
{
    aw_trace_reader *r = aw_trace_reader_open(path);
    if (!r) {
        if (msg && msglen) snprintf(msg, msglen, "%s: out of memory", path);
        return AW_TRACE_IO;
    }
    aw_trace_event ev;
    while (aw_trace_reader_next(r, &ev) > 0) {
    }
    aw_trace_status st = r->status;
    if (msg && msglen) snprintf(msg, msglen, "%s", r->msg);
    if (n_events) *n_events = r->count;
    aw_trace_reader_close(r);
    return st;
}

const char *aw_trace_status_name(aw_trace_status s)
{
    switch (s) {
    case AW_TRACE_OK: return "ok";
    case AW_TRACE_INVALID: return "invalid";
    case AW_TRACE_IO: return "unreadable";
    case AW_TRACE_TRUNCATED: return "truncated";
    case AW_TRACE_UNFINISHED: return "unfinished";
    case AW_TRACE_UNSUPPORTED: return "unsupported version";
    }
    return "?";
}
