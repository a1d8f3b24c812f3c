/* value.c — results as values, and the loop's arena that owns their strings and lists. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct aw__arena_block {
    aw__arena_block *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char data[];
};

static void *arena_alloc(aw__arena_block **arena, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    aw__arena_block *b = *arena;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > 16384 ? size : 16384;
        b = malloc(sizeof *b + cap);
        if (!b) abort();
        b->used = 0;
        b->cap = cap;
        b->next = *arena;
        *arena = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

static char *arena_strdup(aw__arena_block **arena, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = arena_alloc(arena, n);
    memcpy(p, s, n);
    return p;
}

void *aw__arena_alloc(aw_loop *loop, size_t size) { return arena_alloc(&loop->arena, size); }
char *aw__arena_strdup(aw_loop *loop, const char *s) { return arena_strdup(&loop->arena, s); }

/* ---- a worker thread's strings -------------------------------------------------------------
 * A function running in the executor's worker thread has no loop, and must not use the loop's
 * arena (the loop's thread allocates from it meanwhile).  Its aw_str/aw_strf go to the job's own
 * blocks instead, which the loop adopts with the result (executor.c). */
static _Thread_local aw__arena_block **thread_arena;

void aw__arena_set_thread(aw__arena_block **blocks) { thread_arena = blocks; }

void aw__arena_adopt(aw_loop *loop, aw__arena_block *blocks)
{
    while (blocks) {
        aw__arena_block *b = blocks;
        blocks = b->next;
        /* Behind the loop's current block, which stays the one that is filled next. */
        aw__arena_block **at = loop->arena ? &loop->arena->next : &loop->arena;
        b->next = *at;
        *at = b;
    }
}

void aw__arena_blocks_free(aw__arena_block *blocks)
{
    while (blocks) {
        aw__arena_block *b = blocks;
        blocks = b->next;
        free(b);
    }
}

/* Where a value's string goes: the running loop's arena, else a worker's job (NULL: neither). */
char *aw__arena_strdup_here(const char *s)
{
    aw_loop *loop = aw__running_loop();
    if (loop) return arena_strdup(&loop->arena, s);
    if (thread_arena) return arena_strdup(thread_arena, s);
    return NULL;
}

void aw__arena_free(aw_loop *loop)
{
    while (loop->arena) {
        aw__arena_block *b = loop->arena;
        loop->arena = b->next;
        free(b);
    }
}

aw_value aw_str(const char *s)
{
    char *copy = aw__arena_strdup_here(s);
    aw_value v = {AW_STR, {.s = copy ? copy : s}};
    return v;
}

aw_value aw_strf(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *copy = aw__arena_strdup_here(buf);
    aw_value v = {AW_STR, {.s = copy ? copy : "<aw_strf outside a loop>"}};
    return v;
}

/* ---- bytes --------------------------------------------------------------------------------- */
static aw_bytesval *bytes_make(aw_bytesval *b, const void *data, size_t n)
{
    b->len = n;
    if (n) memcpy(b->data, data, n);
    b->data[n] = '\0';
    return b;
}

aw_value aw_bytes(const void *data, size_t n)
{
    aw_loop *loop = aw__running_loop();
    aw__arena_block **arena = loop ? &loop->arena : thread_arena;
    aw_value v = {AW_BYTES, {.bytes = NULL}};
    if (!arena) abort(); /* no loop and no executor job: nowhere for the bytes to live */
    v.as.bytes = bytes_make(arena_alloc(arena, sizeof(aw_bytesval) + n + 1), data, n);
    return v;
}

aw_value aw_bytes_str(const char *s) { return aw_bytes(s, strlen(s)); }
size_t aw_bytes_len(aw_value b) { return b.kind == AW_BYTES ? b.as.bytes->len : 0; }
const unsigned char *aw_bytes_data(aw_value b)
{
    return b.kind == AW_BYTES ? b.as.bytes->data : (const unsigned char *)"";
}

static size_t utf8_decode(const unsigned char *s, uint32_t *cp);

aw_value aw_bytes_decode(aw_value b)
{
    if (b.kind != AW_BYTES) {
        aw__fail(AW_TypeError, "descriptor 'decode' for 'bytes' objects doesn't apply to a '%s' object",
                 b.kind == AW_STR ? "str" : "object");
        return (aw_value){AW_STR, {.s = NULL}};
    }
    const unsigned char *d = b.as.bytes->data;
    for (size_t i = 0; i < b.as.bytes->len;) {
        uint32_t c;
        size_t n = d[i] ? utf8_decode(d + i, &c) : 1;
        if (n == 0 || i + n > b.as.bytes->len) { /* the reasons of CPython's utf-8 decoder */
            unsigned lead = d[i];
            size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
            const char *why = (lead & 0xc0) == 0x80 || lead >= 0xf5 || lead == 0xc0 || lead == 0xc1
                                  ? "invalid start byte"
                                  : i + want > b.as.bytes->len ? "unexpected end of data" : "invalid continuation byte";
            aw__fail(AW_UnicodeDecodeError, "'utf-8' codec can't decode byte 0x%02x in position %zu: %s", lead, i, why);
            return (aw_value){AW_STR, {.s = NULL}};
        }
        i += n;
    }
    return aw_str((const char *)d);
}

/* Whether f printed with `digits` significant digits (correctly rounded) into sci ("%.*e")
 * reads back as f. */
static bool reads_back(double f, int digits, char sci[40])
{
    snprintf(sci, 40, "%.*e", digits - 1, f);
    return strtod(sci, NULL) == f;
}

/* The fewest significant digits, 1 to 17 (17 always read back), that read back as f, and f
 * printed with them into sci ("%.*e").
 * Searched downwards from 17: the decimal rounded to d + 1 digits is never farther from f than
 * the one rounded to d digits (a d-digit decimal is a (d+1)-digit one too), so when f's
 * rounding interval is symmetric, once d digits do not read back fewer do not either.  It is
 * not symmetric at a power of two (the interval below is half as wide): those, and 0, are
 * searched upwards.  The times a trace writes exactly (sim/recorder.c) need 16 or 17 digits:
 * one or two tries instead of sixteen (snprintf and strtod, ~2,500 instructions each). */
static int shortest_digits(double f, char sci[40])
{
    int e;
    double m = frexp(f, &e);
    if (m == 0 || fabs(m) == 0.5) {
        int digits = 1;
        while (digits < 17 && !reads_back(f, digits, sci)) digits++;
        if (digits == 17) snprintf(sci, 40, "%.16e", f);
        return digits;
    }
    char fewer[40];
    int digits = 17;
    while (digits > 1 && reads_back(f, digits - 1, fewer)) {
        digits--;
        memcpy(sci, fewer, sizeof fewer);
    }
    if (digits == 17) snprintf(sci, 40, "%.16e", f);
    return digits;
}

/* Python's float repr: the shortest digits that read back as the same double, in fixed
 * notation for exponents in [-4, 16), else scientific ("0.1", "1.0", "1e+16", "1.5e-05").
 * Fixed notation is made from the digits already printed in sci: "%.*f" with as many decimals
 * rounds at the same place, to the same digits (a snprintf less: ~2,500 instructions).  An
 * integer's ".0" (fewer digits than its integer part) is still printed by "%.1f". */
static int float_repr(double f, char *buf, size_t size)
{
    if (isnan(f)) return snprintf(buf, size, "nan");
    if (isinf(f)) return snprintf(buf, size, f < 0 ? "-inf" : "inf");
    char sci[40];
    int digits = shortest_digits(f, sci);
    const char *e = strchr(sci, 'e');
    int exp10 = atoi(e + 1);
    if (exp10 < -4 || exp10 >= 16) return snprintf(buf, size, "%s", sci);
    if (digits - 1 - exp10 < 1) return snprintf(buf, size, "%.1f", f);
    /* sci is [-]D[.DDD]e±XX: the digits moved around the point */
    char fixed[48], *o = fixed, ds[20];
    const char *p = sci;
    if (*p == '-') *o++ = *p++;
    int n = 0;
    for (; p < e; p++)
        if (*p != '.') ds[n++] = *p;
    if (exp10 < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int z = -1; z > exp10; z--) *o++ = '0';
        memcpy(o, ds, (size_t)n);
        o += n;
    } else {
        memcpy(o, ds, (size_t)exp10 + 1);
        o += exp10 + 1;
        *o++ = '.';
        memcpy(o, ds + exp10 + 1, (size_t)(n - exp10 - 1));
        o += n - exp10 - 1;
    }
    size_t len = (size_t)(o - fixed);
    if (size) { /* as snprintf: cut to fit, NUL-terminated, the whole length returned */
        size_t k = len < size - 1 ? len : size - 1;
        memcpy(buf, fixed, k);
        buf[k] = '\0';
    }
    return (int)len;
}

/* ---- bounded output (awaitlab.h's snprintf-like writers) ------------------------------------ */
void aw__out_write(aw__out *o, const char *s, size_t n)
{
    if (o->len < o->size) {
        size_t room = o->size - o->len - 1, k = n < room ? n : room;
        memcpy(o->buf + o->len, s, k);
        o->buf[o->len + k] = '\0';
    }
    o->len += n;
}

void aw__out_puts(aw__out *o, const char *s) { aw__out_write(o, s, strlen(s)); }

void aw__out_printf(aw__out *o, const char *fmt, ...)
{
    char small[128];
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        aw__out_write(o, small, (size_t)n);
    } else if (n > 0) {
        char *big = malloc((size_t)n + 1);
        if (!big) abort();
        vsnprintf(big, (size_t)n + 1, fmt, ap2);
        aw__out_write(o, big, (size_t)n);
        free(big);
    }
    va_end(ap2);
    va_end(ap);
}

char *aw__out_strdup(void (*write)(aw__out *o, const void *arg), const void *arg)
{
    aw__out measure = {NULL, 0, 0};
    write(&measure, arg);
    char *s = malloc(measure.len + 1);
    if (!s) abort();
    aw__out o = {s, measure.len + 1, 0};
    s[0] = '\0';
    write(&o, arg);
    return s;
}

static size_t finish(const aw__out *o) { return o->len; }

/* ---- repr() of a string, as CPython's unicode_repr writes it --------------------------------- */

/* Decodes one UTF-8 sequence at s; returns its length, or 0 if it is not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    size_t len;
    uint32_t c = s[0], min;
    if (c < 0x80) { *cp = c; return 1; }
    if ((c & 0xe0) == 0xc0) { len = 2; c &= 0x1f; min = 0x80; }
    else if ((c & 0xf0) == 0xe0) { len = 3; c &= 0x0f; min = 0x800; }
    else if ((c & 0xf8) == 0xf0) { len = 4; c &= 0x07; min = 0x10000; }
    else return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
    *cp = c;
    return len;
}

/* Python's str.isprintable() for non-ASCII: false for the invisible characters (categories Cc,
 * Cf, Co, Zl, Zp and Zs), which repr() escapes.  A short table of where they are, not the whole
 * Unicode database: unassigned code points (Cn) are taken as printable. */
static bool printable(uint32_t c)
{
    static const uint32_t hidden[][2] = {
        {0x80, 0xa0},       {0xad, 0xad},       {0x600, 0x605},     {0x61c, 0x61c},
        {0x6dd, 0x6dd},     {0x70f, 0x70f},     {0x890, 0x891},     {0x8e2, 0x8e2},
        {0x1680, 0x1680},   {0x180e, 0x180e},   {0x2000, 0x200f},   {0x2028, 0x202f},
        {0x205f, 0x2064},   {0x2066, 0x206f},   {0x3000, 0x3000},   {0xe000, 0xf8ff},
        {0xfeff, 0xfeff},   {0xfff9, 0xfffb},   {0x110bd, 0x110bd}, {0x110cd, 0x110cd},
        {0x13430, 0x1343f}, {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001},
        {0xe0020, 0xe007f}, {0xf0000, 0x10ffff},
    };
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++)
        if (c >= hidden[i][0] && c <= hidden[i][1]) return false;
    return true;
}


/* The escapes str and bytes reprs share: the quote and the backslash, \t \n \r.  Returns
 * whether c was one of them (and written). */
static bool put_escape(aw__out *o, uint32_t c, char quote)
{
    const char *named = c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : NULL;
    if (named) {
        aw__out_puts(o, named);
        return true;
    }
    if (c != (uint32_t)(unsigned char)quote && c != '\\') return false;
    char esc[2] = {'\\', (char)c};
    aw__out_write(o, esc, 2);
    return true;
}

static void str_repr_to(aw__out *o, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    /* Single quotes, unless the text has one and no double quote. */
    char quote = strchr(str, '\'') && !strchr(str, '"') ? '"' : '\'';
    aw__out_write(o, &quote, 1);
    while (*s) {
        uint32_t c;
        size_t n = utf8_decode(s, &c);
        if (n == 0) { /* not UTF-8 (a C string may be anything): the byte, escaped */
            aw__out_printf(o, "\\x%02x", *s++);
            continue;
        }
        if (put_escape(o, c, quote)) { /* written */
        } else if (c < ' ' || c == 0x7f) {
            aw__out_printf(o, "\\x%02x", (unsigned)c);
        } else if (c < 0x7f || printable(c)) {
            aw__out_write(o, (const char *)s, n);
        } else if (c <= 0xff) {
            aw__out_printf(o, "\\x%02x", (unsigned)c);
        } else if (c <= 0xffff) {
            aw__out_printf(o, "\\u%04x", (unsigned)c);
        } else {
            aw__out_printf(o, "\\U%08x", (unsigned)c);
        }
        s += n;
    }
    aw__out_write(o, &quote, 1);
}

/* bytes_repr: b'...', single quotes unless the bytes have one and no double quote; \t \n \r
 * and the quote and backslash escaped; other bytes outside printable ASCII as \xhh. */
static void bytes_repr_to(aw__out *o, const aw_bytesval *b)
{
    const unsigned char *d = b->data;
    bool squote = memchr(d, '\'', b->len) != NULL, dquote = memchr(d, '"', b->len) != NULL;
    char quote = squote && !dquote ? '"' : '\'';
    aw__out_puts(o, quote == '"' ? "b\"" : "b'");
    for (size_t i = 0; i < b->len; i++) {
        unsigned c = d[i];
        if (put_escape(o, c, quote)) { /* written */
        } else if (c < ' ' || c >= 0x7f) {
            aw__out_printf(o, "\\x%02x", c);
        } else {
            char ch = (char)c;
            aw__out_write(o, &ch, 1);
        }
    }
    aw__out_write(o, &quote, 1);
}

/* ---- repr() and str() of values ---------------------------------------------------------------- */
void aw__tuple_repr_to(aw__out *o, size_t n, const aw_value *items)
{
    aw__out_puts(o, "(");
    for (size_t i = 0; i < n; i++) {
        if (i) aw__out_puts(o, ", ");
        aw__value_repr_to(o, items[i]);
    }
    aw__out_puts(o, n == 1 ? ",)" : ")");
}

void aw__value_repr_to(aw__out *o, aw_value v)
{
    char num[64];
    switch (v.kind) {
    case AW_NONE: aw__out_puts(o, "None"); break;
    case AW_INT: aw__out_printf(o, "%lld", v.as.i); break;
    case AW_FLOAT:
        float_repr(v.as.f, num, sizeof num);
        aw__out_puts(o, num);
        break;
    case AW_STR: str_repr_to(o, v.as.s ? v.as.s : ""); break;
    case AW_PTR: aw__out_puts(o, "<pointer>"); break;
    case AW_OBJECT: aw__object_repr_to(o, v.as.p); break;
    case AW_EXC: aw__exc_repr_to(o, v.as.exc); break;
    case AW_RAISED: aw__out_puts(o, "<raised>"); break;
    case AW_BOOL: aw__out_puts(o, v.as.i ? "True" : "False"); break;
    case AW_BYTES: bytes_repr_to(o, v.as.bytes); break;
    case AW_TUPLE: aw__tuple_repr_to(o, v.as.list->len, v.as.list->items); break;
    case AW_LIST:
        aw__out_puts(o, "[");
        for (size_t i = 0; i < v.as.list->len; i++) {
            if (i) aw__out_puts(o, ", ");
            aw__value_repr_to(o, v.as.list->items[i]);
        }
        aw__out_puts(o, "]");
        break;
    }
}

void aw__value_str_to(aw__out *o, aw_value v)
{
    if (v.kind == AW_STR)
        aw__out_puts(o, v.as.s ? v.as.s : "");
    else if (v.kind == AW_EXC)
        aw__out_puts(o, aw_exc_message(v.as.exc));
    else
        aw__value_repr_to(o, v);
}

/* repr() as Python prints it: what print(await gather(...)) shows. */
size_t aw_value_repr(aw_value v, char *buf, size_t size)
{
    aw__out o = {buf, size, 0};
    if (size) buf[0] = '\0';
    aw__value_repr_to(&o, v);
    return finish(&o);
}

size_t aw_value_str(aw_value v, char *buf, size_t size)
{
    aw__out o = {buf, size, 0};
    if (size) buf[0] = '\0';
    aw__value_str_to(&o, v);
    return finish(&o);
}

/* ---- copies an exception owns (its args outlive the loop's arena) ---------------------------- */
aw_value aw__value_copy(aw_value v)
{
    switch (v.kind) {
    case AW_STR:
        if (v.as.s && !(v.as.s = strdup(v.as.s))) abort();
        break;
    case AW_EXC: aw_exc_ref(v.as.exc); break;
    case AW_BYTES: {
        aw_bytesval *b = malloc(sizeof *b + v.as.bytes->len + 1);
        if (!b) abort();
        v.as.bytes = bytes_make(b, v.as.bytes->data, v.as.bytes->len);
        break;
    }
    case AW_LIST:
    case AW_TUPLE: {
        aw_list *l = malloc(sizeof *l + v.as.list->len * sizeof(aw_value));
        if (!l) abort();
        l->len = v.as.list->len;
        for (size_t i = 0; i < l->len; i++) l->items[i] = aw__value_copy(v.as.list->items[i]);
        v.as.list = l;
        break;
    }
    default: break;
    }
    return v;
}

void aw__value_free(aw_value v)
{
    switch (v.kind) {
    case AW_STR: free((char *)v.as.s); break;
    case AW_BYTES: free(v.as.bytes); break;
    case AW_EXC: aw_exc_unref(v.as.exc); break;
    case AW_LIST:
    case AW_TUPLE:
        for (size_t i = 0; i < v.as.list->len; i++) aw__value_free(v.as.list->items[i]);
        free(v.as.list);
        break;
    default: break;
    }
}
