/* trace_schema.h — the trace format as data, for the validator, the diff and the viewers: every
 * event kind and its fields.  The table itself is core/aw_trace_schema.h, the one place the schema
 * is written (data only: viz includes it, links nothing of core); this is its reader's view.
 */
#ifndef AW_TRACE_SCHEMA_H
#define AW_TRACE_SCHEMA_H

#include <stddef.h>

#include "aw_trace_schema.h"

#define AW_TRACE_FORMAT AW_TRACE_FORMAT_NAME
#define AW_TRACE_VERSION AW_TRACE_FORMAT_VERSION
/* Version 2 traces read as version 3 ones: 3 only lets an event leave out a file it shares with
 * the located event before it. */
#define AW_TRACE_OLDEST_VERSION 2

#define AW__TK_KIND(ID, name, fields) AW_TK_##ID,
typedef enum aw_trace_kind_id { AW_TRACE_EVENTS(AW__TK_KIND, -, -) AW_TK__COUNT } aw_trace_kind_id;
#undef AW__TK_KIND

typedef enum aw_trace_ftype {
    AW_TF_ID,       /* integer >= 1 */
    AW_TF_ID_NULL,  /* id or null (none) */
    AW_TF_COUNT,    /* integer >= 0 (counts, durations, line numbers, descriptors) */
    AW_TF_COUNT_NULL, /* integer >= 0 or null (a descriptor that may not be there) */
    AW_TF_INT,      /* any integer (int64) */
    AW_TF_U64,      /* integer in 0 .. 2^64-1 (the seed) */
    AW_TF_TIME,     /* a time: integer >= 0 (ns, rounded; `exact` may give the double) */
    AW_TF_TIME_NULL,/* a time or null (never / forever / call_soon) */
    AW_TF_EXACT,    /* the tail's `exact`: an object, time field name without _ns -> seconds */
    AW_TF_STR,
    AW_TF_STR_NULL,
    AW_TF_BOOL,
    AW_TF_IDS,      /* array of ids */
    AW_TF_ENUM      /* one of `values` */
} aw_trace_ftype;

typedef struct aw_trace_field {
    const char *key;
    aw_trace_ftype type;
    const char *const *values; /* AW_TF_ENUM: NULL-terminated list */
    size_t key_len;            /* strlen(key): the scanner compares keys in place, by length first */
} aw_trace_field;

typedef struct aw_trace_kind {
    const char *name;          /* the "ev" string */
    const aw_trace_field *fields;
    size_t n_fields;
} aw_trace_kind;

/* Indexed by aw_trace_kind_id. */
extern const aw_trace_kind aw_trace_kinds[AW_TK__COUNT];

/* The four keys every event starts with, and the three it may end with. */
extern const aw_trace_field aw_trace_common_fields[4];
extern const aw_trace_field aw_trace_tail_fields[3];
/* The header's keys, in order. */
extern const aw_trace_field aw_trace_header_fields[];
extern const size_t aw_trace_n_header_fields;

/* Kind id of an "ev" string, or -1. */
int aw_trace_kind_find(const char *name);

/* A phrase for messages: "an id (integer >= 1)", "a string or null"... */
const char *aw_trace_ftype_phrase(aw_trace_ftype t);

#endif /* AW_TRACE_SCHEMA_H */
