/* trace_read.h — streams a trace (sim/trace-format.md) line by line, checking each line against
 * the schema as it goes.  Used by `awaitlab validate`, `awaitlab diff` and the viewers' model.
 *
 *     aw_trace_reader *r = aw_trace_reader_open(path);
 *     aw_trace_event ev;
 *     while (aw_trace_reader_next(r, &ev) > 0) { ... ev.json, ev.kind ... }
 *     switch (aw_trace_reader_status(r)) { ... aw_trace_reader_message(r) ... }
 *     aw_trace_reader_close(r);
 *
 * Problems are reported once, the first one, as "FILE:LINE: field 'x': reason" (or
 * "FILE:LINE: reason" when the line itself is wrong).
 */
#ifndef AW_TRACE_READ_H
#define AW_TRACE_READ_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace_scan.h"

/* The values are `awaitlab validate`'s exit codes. */
typedef enum aw_trace_status {
    AW_TRACE_OK = 0,         /* so far valid (at the end: valid and complete) */
    AW_TRACE_INVALID = 1,    /* a malformed line */
    AW_TRACE_IO = 2,         /* cannot open or read the file */
    AW_TRACE_TRUNCATED = 3,  /* the last line is cut (no newline, not a complete event) */
    AW_TRACE_UNFINISHED = 4, /* every line is fine, but there is no loop_close */
    AW_TRACE_UNSUPPORTED = 5     /* a version this reader does not know */
} aw_trace_status;

typedef struct aw_trace_header {
    long long version;
    const char *program;    /* NULL when the trace says null */
    const char *clock;
    uint64_t seed;          /* exact, read from the text */
    int64_t wall_start_ns;  /* exact, read from the text */
    const char *source_file; /* the program's source file name ("example.py"), or NULL */
    const char *source;      /* its text, or NULL */
} aw_trace_header;

/* One field of an event, by the schema's slot: the kind's fields, then the tail (exact, file,
 * line), as trace_schema.h lists them.  A field left out reads as null. */
typedef enum aw_trace_vtype {
    AW_TV_NULL,
    AW_TV_INT,              /* i (a U64 field: its bits) */
    AW_TV_STR,              /* s, NUL-terminated (an enum too) */
    AW_TV_BOOL,             /* i: 0 or 1 */
    AW_TV_IDS,              /* ids[0..i) */
    AW_TV_EXACT             /* exact[0..i): the `exact` object's members, in order */
} aw_trace_vtype;

typedef struct aw_trace_value {
    aw_trace_vtype type;
    int64_t i;
    const char *s;
    const int64_t *ids;
    const aw_scan_exact *exact;
} aw_trace_value;

#define AW_TRACE_MAX_SLOTS 16   /* a kind's fields + the tail, at most (trace_read.c checks) */

typedef struct aw_trace_event {
    int kind;               /* aw_trace_kind_id */
    int64_t seq, iter, t_ns;
    double t;               /* the exact loop time in seconds (t_ns with `exact`, carried) */
    long line;              /* 1-based line number in the file */
    /* the whole object; valid until the next call.  NULL after aw_trace_reader_values_only() */
    const cJSON *json;
    const char *text;       /* the line as written, without its newline; same lifetime */
    size_t len;
    const aw_trace_value *values;   /* by slot (see aw_trace_value); same lifetime */
    size_t n_values;
} aw_trace_event;

typedef struct aw_trace_reader aw_trace_reader;

/* Bounds on what one line may cost, so that a hostile or broken file (/dev/zero, one endless
 * line, brackets nested a million deep) is refused with a message instead of eating memory.
 * Each bound is named in the message that refuses it. */
#define AW_TRACE_MAX_LINE_DEFAULT ((size_t)16 << 20) /* 16 MiB: `--max-line BYTES` */
#define AW_TRACE_MAX_DEPTH 64   /* JSON nesting: the format needs 2 (an array in an object) */

typedef struct aw_trace_limits {
    size_t max_line;        /* bytes in one line, newline excluded; 0: the default */
} aw_trace_limits;

/* Opens and reads the header.  Never NULL unless out of memory: check aw_trace_reader_status().
 * path "-" reads standard input.  A directory is refused ("X is a directory"). */
aw_trace_reader *aw_trace_reader_open(const char *path);
aw_trace_reader *aw_trace_reader_open_limits(const char *path, const aw_trace_limits *limits);
/* Reads from `f` (not closed by the reader); `name` is used in messages.  limits may be NULL. */
aw_trace_reader *aw_trace_reader_open_file(FILE *f, const char *name);
aw_trace_reader *aw_trace_reader_open_file_limits(FILE *f, const char *name, const aw_trace_limits *limits);

/* "16 MiB", "4 KiB" or "1000 bytes": a line limit in messages. */
char *aw_trace_format_size(size_t bytes, char *buf, size_t n);

/* The exact seconds of an event's time field ("deadline_ns", "timeout_ns"...): its `exact` value,
 * else the double nearest its ns / 1e9; NAN when the field is null or absent.  For t_ns use ev->t
 * (the loop time is carried from event to event: sim/trace-format.md, Times). */
double aw_trace_event_seconds(const aw_trace_event *ev, const char *key);

/* Events come with their values only (ev->json stays NULL): lines in the recorder's plain shape
 * are then checked by a scanner (trace_scan.h) instead of a cJSON tree, five to ten times
 * faster; any other line still goes through cJSON, with the same checks and messages.  For
 * readers of millions of events that need no tree (the model).  Call before the first
 * aw_trace_reader_next(). */
void aw_trace_reader_values_only(aw_trace_reader *r);

/* 1: *ev is the next event.  0: the end, or a problem (see status and message). */
int aw_trace_reader_next(aw_trace_reader *r, aw_trace_event *ev);

aw_trace_status aw_trace_reader_status(const aw_trace_reader *r);
/* The first problem, "" when none.  For TRUNCATED and UNFINISHED, a warning to print. */
const char *aw_trace_reader_message(const aw_trace_reader *r);
/* NULL when the header is unusable. */
const aw_trace_header *aw_trace_reader_header(const aw_trace_reader *r);
long aw_trace_reader_count(const aw_trace_reader *r);   /* events read so far */
const char *aw_trace_reader_name(const aw_trace_reader *r);
void aw_trace_reader_close(aw_trace_reader *r);

/* Reads a whole trace through the reader alone; returns its status; msg gets the message (may be
 * NULL).  This checks each line against the schema only: `awaitlab validate` loads the trace
 * into the model (aw_model_load), which also checks what the lines mean together. */
aw_trace_status aw_trace_validate_file(const char *path, char *msg, size_t msglen, long *n_events);

/* A short name for a status: "ok", "invalid", "truncated"... */
const char *aw_trace_status_name(aw_trace_status s);

#endif /* AW_TRACE_READ_H */
