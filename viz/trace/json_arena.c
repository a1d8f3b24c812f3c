/* json_arena.c — see json_arena.h. */
#include "json_arena.h"

#include <stdlib.h>

typedef struct aw_json_chunk {
    struct aw_json_chunk *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char data[];
} aw_json_chunk;

/* cJSON's hooks take no context, so the arena in use is this one (set only during a parse). */
static aw_json_arena *current;

static void *arena_malloc(size_t size)
{
    size = (size + 15) & ~(size_t)15;
    aw_json_chunk *c = current->chunks;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > 65536 ? size : 65536;
        c = malloc(sizeof *c + cap);
        if (!c) return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = current->chunks;
        current->chunks = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

static void arena_free(void *p) { (void)p; /* everything goes at the next reset */ }

/* Keeps the newest chunk (usually the only one) for the next line. */
static void arena_reset(aw_json_arena *a)
{
    aw_json_chunk *keep = a->chunks;
    if (!keep) return;
    for (aw_json_chunk *c = keep->next, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    keep->next = NULL;
    keep->used = 0;
}

cJSON *aw_json_arena_parse(aw_json_arena *a, const char *text, const char **end, int require_null_terminated)
{
    arena_reset(a);
    current = a;
    cJSON_Hooks hooks = {arena_malloc, arena_free};
    cJSON_InitHooks(&hooks);
    cJSON *o = cJSON_ParseWithOpts(text, end, require_null_terminated);
    cJSON_InitHooks(NULL); /* everyone else gets malloc and free again */
    current = NULL;
    return o;
}

bool aw_json_arena_insert(aw_json_arena *a, cJSON *obj, const cJSON *before, const char *key, const char *value)
{
    current = a;
    cJSON_Hooks hooks = {arena_malloc, arena_free};
    cJSON_InitHooks(&hooks);
    cJSON *item = value ? cJSON_CreateString(value) : cJSON_CreateNull();
    bool ok = item && cJSON_AddItemToObject(obj, key, item);
    cJSON_InitHooks(NULL);
    current = NULL;
    if (!ok || !before) return ok;
    /* cJSON appends; move the item before `before` in the member list (cJSON.h's layout: next,
     * prev, and the first member's prev is the last member).  cJSON_InsertItemInArray refuses
     * object members in Debian's cJSON 1.7.15. */
    cJSON_DetachItemViaPointer(obj, item);
    cJSON *at = (cJSON *)before;
    item->next = at;
    item->prev = at->prev;
    if (at == obj->child)
        obj->child = item;
    else
        item->prev->next = item;
    at->prev = item;
    return true;
}

void aw_json_arena_free(aw_json_arena *a)
{
    arena_reset(a);
    free(a->chunks);
    a->chunks = NULL;
}
