/* json_arena.h — parse one JSON text with cJSON into a bump allocator.
 *
 * A trace reader parses a million small objects and drops each before the next: with malloc and
 * free per node that is a fifth of the load time.  Here every node of a line comes from one
 * arena, and "freeing" the line is resetting the arena.  Objects parsed this way must never be
 * given to cJSON_Delete (or anything else that frees their nodes). */
#ifndef AW_JSON_ARENA_H
#define AW_JSON_ARENA_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct aw_json_arena {
    struct aw_json_chunk *chunks;
} aw_json_arena;

/* cJSON_ParseWithOpts(text, end, require_null_terminated) with every allocation from `a`.
 * The previous object parsed with `a` is invalid afterwards. */
cJSON *aw_json_arena_parse(aw_json_arena *a, const char *text, const char **end, int require_null_terminated);
/* Puts "key": value (a string; NULL: null) into `obj`, an object parsed with `a`, right before its
 * member `before` (NULL: at the end); every allocation from `a`.  false: out of memory. */
bool aw_json_arena_insert(aw_json_arena *a, cJSON *obj, const cJSON *before, const char *key, const char *value);
void aw_json_arena_free(aw_json_arena *a);

#endif
