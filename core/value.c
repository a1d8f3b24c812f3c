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
static char *value_strdup(const char *s)
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
    char *copy = value_strdup(s);
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
    char *copy = value_strdup(buf);
    aw_value v = {AW_STR, {.s = copy ? copy : "<aw_strf outside a loop>"}};
    return v;
}

/* Python's float repr: the shortest digits that read back as the same double, in fixed
 * notation for exponents in [-4, 16), else scientific ("0.1", "1.0", "1e+16", "1.5e-05"). */
static int float_repr(double f, char *buf, size_t size)
{
    if (isnan(f)) return snprintf(buf, size, "nan");
    if (isinf(f)) return snprintf(buf, size, f < 0 ? "-inf" : "inf");
    char tmp[40];
    int digits = 1;
    for (; digits < 17; digits++) {
        snprintf(tmp, sizeof tmp, "%.*e", digits - 1, f);
        if (strtod(tmp, NULL) == f) break;
    }
    snprintf(tmp, sizeof tmp, "%.*e", digits - 1, f);
    int exp10 = atoi(strchr(tmp, 'e') + 1);
    if (exp10 >= -4 && exp10 < 16) {
        int decimals = digits - 1 - exp10;
        if (decimals < 1) decimals = 1;
        return snprintf(buf, size, "%.*f", decimals, f);
    }
    return snprintf(buf, size, "%s", tmp);
}

/* repr() as Python prints it: what print(await gather(...)) shows. */
size_t aw_value_repr(aw_value v, char *buf, size_t size)
{
    int n = 0;
    switch (v.kind) {
    case AW_NONE: n = snprintf(buf, size, "None"); break;
    case AW_INT: n = snprintf(buf, size, "%lld", v.as.i); break;
    case AW_FLOAT: n = float_repr(v.as.f, buf, size); break;
    case AW_STR: n = snprintf(buf, size, "'%s'", v.as.s); break;
    case AW_PTR: n = snprintf(buf, size, "<pointer>"); break;
    case AW_EXC: return aw__exc_repr(v.as.exc, buf, size);
    case AW_RAISED: n = snprintf(buf, size, "<raised>"); break;
    case AW_LIST: {
        size_t used = 0;
        if (size) buf[0] = '\0';
        used += (size_t)snprintf(buf, size, "[");
        for (size_t i = 0; i < v.as.list->len; i++) {
            if (i) used += (size_t)snprintf(buf + (used < size ? used : size), used < size ? size - used : 0, ", ");
            used += aw_value_repr(v.as.list->items[i], buf + (used < size ? used : size),
                                  used < size ? size - used : 0);
        }
        used += (size_t)snprintf(buf + (used < size ? used : size), used < size ? size - used : 0, "]");
        return used;
    }
    }
    return n < 0 ? 0 : (size_t)n;
}
