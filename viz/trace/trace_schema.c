/* trace_schema.c — the tables behind trace_schema.h, made from core/aw_trace_schema.h. */
#include "trace_schema.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* One NULL-terminated array of names per enum list of the schema (enum_STEP_IN...). */
#define NAME(n) n,
#define ENUM_NAMES(L) static const char *const enum_##L[] = {AW_TRACE_ENUM_##L(NAME) NULL};
AW_TRACE_ENUMS(ENUM_NAMES)
#undef ENUM_NAMES
#undef NAME

#define F(key, type, member) {#key, AW_TF_##type, NULL, sizeof #key - 1},
#define E(key, list, member) {#key, AW_TF_ENUM, enum_##list, sizeof #key - 1},

const aw_trace_field aw_trace_common_fields[4] = {AW_TRACE_HEAD(F)};
const aw_trace_field aw_trace_tail_fields[3] = {AW_TRACE_TAIL(F)};
const aw_trace_field aw_trace_header_fields[] = {AW_TRACE_HEADER(F, E)};
const size_t aw_trace_n_header_fields = sizeof aw_trace_header_fields / sizeof aw_trace_header_fields[0];

/* Each kind's fields, with a sentinel so that a kind without fields is still an array. */
#define FIELDS(ID, name, fields) static const aw_trace_field f_##ID[] = {fields{NULL, AW_TF_ID, NULL, 0}};
AW_TRACE_EVENTS(FIELDS, F, E)
#undef FIELDS

#define KIND(ID, name, fields) [AW_TK_##ID] = {name, f_##ID, sizeof f_##ID / sizeof f_##ID[0] - 1},
const aw_trace_kind aw_trace_kinds[AW_TK__COUNT] = {AW_TRACE_EVENTS(KIND, F, E)};
#undef KIND
#undef E
#undef F

/* Kinds by name: a reader looks one up per line, and a binary search took five or six strcmp
 * calls of shared prefixes ("step_begin", "step_end").  An open-addressing table hashed on the
 * length and the end characters settles it with one strcmp, almost always; filled once. */
#define KIND_SLOTS 128   /* a power of two, over three times the kinds */
_Static_assert(AW_TK__COUNT * 3 <= KIND_SLOTS && AW_TK__COUNT < 255, "the kinds table is too small");
static uint8_t kind_slot[KIND_SLOTS];   /* kind + 1, 0: empty */

static unsigned kind_hash(const char *name, size_t len)
{
    return ((unsigned)len * 31u + (unsigned char)name[0] * 7u + (unsigned char)name[len - 1]) & (KIND_SLOTS - 1);
}

int aw_trace_kind_find(const char *name)
{
    static bool filled;
    if (!filled) {
        for (int k = 0; k < AW_TK__COUNT; k++) {
            const char *kn = aw_trace_kinds[k].name;
            unsigned j = kind_hash(kn, strlen(kn));
            while (kind_slot[j]) j = (j + 1) & (KIND_SLOTS - 1);
            kind_slot[j] = (uint8_t)(k + 1);
        }
        filled = true;
    }
    size_t len = strlen(name);
    if (!len) return -1;
    for (unsigned j = kind_hash(name, len); kind_slot[j]; j = (j + 1) & (KIND_SLOTS - 1))
        if (!strcmp(name, aw_trace_kinds[kind_slot[j] - 1].name)) return kind_slot[j] - 1;
    return -1;
}

const char *aw_trace_ftype_phrase(aw_trace_ftype t)
{
    switch (t) {
    case AW_TF_ID: return "an id (integer >= 1)";
    case AW_TF_ID_NULL: return "an id (integer >= 1) or null";
    case AW_TF_COUNT: return "an integer >= 0";
    case AW_TF_COUNT_NULL: return "an integer >= 0 or null";
    case AW_TF_INT: return "an integer";
    case AW_TF_U64: return "an integer in 0 .. 2^64-1";
    case AW_TF_TIME: return "an integer >= 0";
    case AW_TF_TIME_NULL: return "an integer >= 0 (ns) or null";
    case AW_TF_EXACT: return "an object of exact times (seconds)";
    case AW_TF_STR: return "a string";
    case AW_TF_STR_NULL: return "a string or null";
    case AW_TF_BOOL: return "true or false";
    case AW_TF_IDS: return "an array of ids";
    case AW_TF_ENUM: return "one of the names listed";
    }
    return "?";
}
