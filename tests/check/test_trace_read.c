/* test_trace_read.c — the validator (viz/trace/trace_read.c) catches each kind of malformation with
 * the right line and field, tells a truncated trace from an invalid one, and refuses unknown
 * versions. */
#include "support_core.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_read.h"
#include "trace_schema.h"

static char dir[64];
static char path[128];

static void setup(void)
{
    strcpy(dir, "/tmp/aw_trace_read_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.trace", dir);
}

static void teardown(void)
{
    unlink(path);
    rmdir(dir);
}

static void write_file(const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

#define HEADER "{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"sim\",\"seed\":0,\"wall_start_ns\":0}\n"
#define EV1 "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"loop_start\",\"clock\":\"sim\"}\n"
#define EV2 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"step_begin\",\"task\":1,\"reason\":\"start\"}\n"
#define CLOSE3 "{\"seq\":3,\"iter\":1,\"t_ns\":0,\"ev\":\"loop_close\"}\n"

typedef struct {
    const char *text;
    aw_trace_status status;
    const char *msg; /* expected message, after "PATH" */
} bad_case;

static const bad_case cases[] = {
    /* header */
    {"", AW_TRACE_INVALID, ":1: empty file: no header line (not an awaitlab trace)"},
    {"{\"format\":\"awaitlab-trace\",\n", AW_TRACE_INVALID, ":1: header: not valid JSON (column 28)"},
    {"[1,2]\n", AW_TRACE_INVALID, ":1: header: not a JSON object"},
    {"{\"version\":2}\n", AW_TRACE_INVALID, ":1: field 'format': missing (not an awaitlab trace)"},
    {"{\"format\":\"chrome\",\"version\":2}\n", AW_TRACE_INVALID,
     ":1: field 'format': expected \"awaitlab-trace\", got \"chrome\" (not an awaitlab trace)"},
    {"{\"format\":\"awaitlab-trace\",\"version\":4,\"whatever\":[]}\n", AW_TRACE_UNSUPPORTED,
     ":1: field 'version': unsupported trace version 4 (this awaitlab reads versions 2 to 3)"},
    {"{\"format\":\"awaitlab-trace\",\"version\":1,\"whatever\":[]}\n", AW_TRACE_UNSUPPORTED,
     ":1: field 'version': unsupported trace version 1 (this awaitlab reads versions 2 to 3)"},
    {"{\"format\":\"awaitlab-trace\",\"version\":\"1\"}\n", AW_TRACE_INVALID,
     ":1: field 'version': expected an integer, got \"1\""},
    {"{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"sim\",\"wall_start_ns\":0}\n",
     AW_TRACE_INVALID, ":1: field 'seed': missing"},
    {"{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"fast\",\"seed\":0,\"wall_start_ns\":0}\n",
     AW_TRACE_INVALID, ":1: field 'clock': expected one of sim, real; got \"fast\""},
    {"{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"sim\",\"seed\":-1,\"wall_start_ns\":0}\n",
     AW_TRACE_INVALID, ":1: field 'seed': expected an integer in 0 .. 2^64-1, got -1"},
    {"{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"sim\",\"seed\":0,\"wall_start_ns\":0,\"x\":1}\n",
     AW_TRACE_INVALID, ":1: field 'x': unknown field for the header"},
    /* events: the line itself */
    {HEADER "\n" EV1, AW_TRACE_INVALID, ":2: event: empty line"},
    {HEADER "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"loop_start\",\"clock\":\"sim\"} x\n", AW_TRACE_INVALID,
     ":2: event: not valid JSON (column 61)"},
    {HEADER "\"loop_start\"\n", AW_TRACE_INVALID, ":2: event: not a JSON object"},
    {HEADER "{\"seq\":1,\0}\n", AW_TRACE_INVALID, ":2: event: contains a NUL byte (column 10)"},
    /* events: the common fields */
    {HEADER "{\"iter\":0,\"t_ns\":0,\"ev\":\"loop_start\",\"clock\":\"sim\"}\n", AW_TRACE_INVALID,
     ":2: field 'seq': missing"},
    {HEADER "{\"seq\":2,\"iter\":0,\"t_ns\":0,\"ev\":\"loop_start\",\"clock\":\"sim\"}\n", AW_TRACE_INVALID,
     ":2: field 'seq': expected 1, got 2"},
    {HEADER EV1 "{\"seq\":3,\"iter\":1,\"t_ns\":0,\"ev\":\"loop_close\"}\n", AW_TRACE_INVALID,
     ":3: field 'seq': expected 2, got 3"},
    {HEADER "{\"seq\":1,\"iter\":0,\"t_ns\":1.5,\"ev\":\"loop_start\",\"clock\":\"sim\"}\n", AW_TRACE_INVALID,
     ":2: field 't_ns': expected an integer >= 0, got 1.5"},
    {HEADER "{\"seq\":1,\"iter\":5,\"t_ns\":0,\"ev\":\"loop_start\",\"clock\":\"sim\"}\n"
            "{\"seq\":2,\"iter\":4,\"t_ns\":0,\"ev\":\"loop_close\"}\n",
     AW_TRACE_INVALID, ":3: field 'iter': goes back from 5 to 4"},
    {HEADER "{\"seq\":1,\"iter\":0,\"t_ns\":10,\"ev\":\"loop_start\",\"clock\":\"sim\"}\n"
            "{\"seq\":2,\"iter\":0,\"t_ns\":9,\"ev\":\"loop_close\"}\n",
     AW_TRACE_INVALID, ":3: field 't_ns': goes back from 10 to 9"},
    {HEADER "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"explode\"}\n", AW_TRACE_INVALID,
     ":2: field 'ev': unknown event kind \"explode\""},
    {HEADER "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":7}\n", AW_TRACE_INVALID,
     ":2: field 'ev': expected a string, got 7"},
    /* events: the kind's fields */
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"step_begin\",\"reason\":\"start\"}\n", AW_TRACE_INVALID,
     ":3: field 'task': missing"},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"step_begin\",\"task\":\"one\",\"reason\":\"start\"}\n",
     AW_TRACE_INVALID, ":3: field 'task': expected an id (integer >= 1), got \"one\""},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"step_begin\",\"task\":0,\"reason\":\"start\"}\n",
     AW_TRACE_INVALID, ":3: field 'task': expected an id (integer >= 1), got 0"},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"step_begin\",\"task\":1,\"reason\":\"begin\"}\n",
     AW_TRACE_INVALID, ":3: field 'reason': expected one of start, resume, throw; got \"begin\""},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"step_begin\",\"task\":1,\"reason\":\"start\",\"x\":0}\n",
     AW_TRACE_INVALID, ":3: field 'x': unknown field for event 'step_begin'"},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"step_begin\",\"task\":1,\"task\":2,\"reason\":\"start\"}\n",
     AW_TRACE_INVALID, ":3: field 'task': appears twice"},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"gather\",\"future\":3,\"task\":null,\"children\":[1,\"2\"]}\n",
     AW_TRACE_INVALID, ":3: field 'children': item 1: expected an id (integer >= 1), got \"2\""},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"gather\",\"future\":3,\"task\":null,\"children\":{}}\n",
     AW_TRACE_INVALID, ":3: field 'children': expected an array of ids, got an object"},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"cancel_requested\",\"task\":1,\"future\":null,"
                "\"by\":null,\"message\":null,\"cancelling\":1,\"accepted\":1}\n",
     AW_TRACE_INVALID, ":3: field 'accepted': expected true or false, got 1"},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"iteration\",\"ready\":1,\"timeout_ns\":-1}\n",
     AW_TRACE_INVALID, ":3: field 'timeout_ns': expected an integer >= 0 (ns) or null, got -1"},
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"output\",\"task\":null,\"text\":null}\n",
     AW_TRACE_INVALID, ":3: field 'text': expected a string, got null"},
    /* a bad line with a newline is invalid even when it is the last one (writes are whole lines) */
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\n", AW_TRACE_INVALID, ":3: event: not valid JSON (column 29)"},
    /* truncated: the last line is cut */
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev", AW_TRACE_TRUNCATED,
     ":3: truncated: the last line is incomplete (30 bytes, no newline); the 1 event before it is valid"},
    {"{\"format\":\"awaitlab-tr", AW_TRACE_TRUNCATED,
     ":1: truncated: the last line is incomplete (22 bytes, no newline); the 0 events before it are valid"},
    /* text cJSON would let through: bad UTF-8, a NUL escape that cuts a string, deep nesting */
    {HEADER "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"output\",\"task\":null,\"text\":\"caf\xe9\"}\n",
     AW_TRACE_INVALID, ":2: event: invalid UTF-8 (column 65)"},
    {HEADER "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"output\",\"task\":null,\"text\":\"\xed\xa0\x80\"}\n",
     AW_TRACE_INVALID, ":2: event: invalid UTF-8 (column 62)"},
    {HEADER "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"loop_close\\u0000garbage\"}\n", AW_TRACE_INVALID,
     ":2: event: a string contains \\u0000 (a NUL character) (column 44)"},
    {HEADER "{\"seq\":1,\"iter\":0,\"t_ns\":0,\"ev\":\"output\",\"task\":null,\"text\":"
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
            "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n",
     AW_TRACE_INVALID, ":2: event: nested deeper than 64 levels (column 124)"},
    /* integers are read exactly: 2^64 is not a seed, even though a double cannot tell it from 2^64-1 */
    {"{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"sim\",\"seed\":18446744073709551616,"
     "\"wall_start_ns\":0}\n",
     AW_TRACE_INVALID, ":1: field 'seed': expected an integer in 0 .. 2^64-1, got 1.8446744073709552e+19 (above 2^64-1)"},
    /* nothing after loop_close */
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"loop_close\"}\n"
                "{\"seq\":3,\"iter\":1,\"t_ns\":0,\"ev\":\"loop_close\"}\n",
     AW_TRACE_INVALID, ":4: event \"loop_close\" after loop_close (loop_close is the last event)"},
    /* a field name from the trace is shown escaped in the message */
    {HEADER EV1 "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"loop_close\",\"\\u001b[2J\":1}\n", AW_TRACE_INVALID,
     ":3: field '\\x1b[2J': unknown field for event 'loop_close'"},
    /* unfinished: no loop_close */
    {HEADER EV1 EV2, AW_TRACE_UNFINISHED,
     ": unfinished: no loop_close event after 2 events (the program stopped before closing its loop)"},
    {HEADER, AW_TRACE_UNFINISHED,
     ": unfinished: no loop_close event after 0 events (the program stopped before closing its loop)"},
};

static size_t case_len(const char *t)
{
    /* the NUL-byte case has a NUL inside: its length runs to the closing "}\n" */
    const char *nul = strstr(t, "{\"seq\":1,");
    if (nul && nul[9] == '\0') return (size_t)(nul - t) + 9 + 3;
    return strlen(t);
}

/* The reader as the model uses it (aw_trace_reader_values_only: the scanner first, cJSON for
 * what it declines): the same status and message as the cJSON path. */
static aw_trace_status read_values_only(const char *file, char *msg, size_t size)
{
    aw_trace_reader *r = aw_trace_reader_open(file);
    ck_assert_ptr_nonnull(r);
    aw_trace_reader_values_only(r);
    aw_trace_event ev;
    while (aw_trace_reader_next(r, &ev) > 0) ck_assert_ptr_null(ev.json);
    aw_trace_status st = aw_trace_reader_status(r);
    snprintf(msg, size, "%s", aw_trace_reader_message(r));
    aw_trace_reader_close(r);
    return st;
}

START_TEST(malformed)
{
    const bad_case *c = &cases[_i];
    write_file(c->text, case_len(c->text));
    char msg[1024], want[1024];
    aw_trace_status st = aw_trace_validate_file(path, msg, sizeof msg, NULL);
    snprintf(want, sizeof want, "%s%s", path, c->msg);
    ck_assert_msg(st == c->status, "case %d: status %s, want %s (%s)", _i, aw_trace_status_name(st),
                  aw_trace_status_name(c->status), msg);
    ck_assert_str_eq(msg, want);
    ck_assert_int_eq(read_values_only(path, msg, sizeof msg), c->status);
    ck_assert_str_eq(msg, want);
}
END_TEST

static bool same_value(const aw_trace_value *a, const aw_trace_value *b)
{
    if (a->type != b->type || a->i != b->i) return false;
    switch (a->type) {
    case AW_TV_STR: return !strcmp(a->s, b->s);
    case AW_TV_IDS: return !memcmp(a->ids, b->ids, (size_t)a->i * sizeof *a->ids);
    case AW_TV_EXACT:
        for (int64_t j = 0; j < a->i; j++)
            if (strcmp(a->exact[j].key, b->exact[j].key) || a->exact[j].seconds != b->exact[j].seconds) return false;
        return true;
    default: return true;
    }
}

/* An event's keys (the common four, the kind's, the tail) are distinct, and key_len is each one's
 * length: the scanner (trace_read.c, scan_find) stops looking for a key once every member of
 * the line is taken, which is right only so. */
START_TEST(kind_keys_distinct)
{
    for (int k = 0; k < AW_TK__COUNT; k++) {
        const aw_trace_kind *kind = &aw_trace_kinds[k];
        const aw_trace_field *all[4 + AW_TRACE_MAX_SLOTS];
        size_t n = 0;
        for (size_t i = 0; i < 4; i++) all[n++] = &aw_trace_common_fields[i];
        for (size_t i = 0; i < kind->n_fields + 3; i++)
            all[n++] = i < kind->n_fields ? &kind->fields[i] : &aw_trace_tail_fields[i - kind->n_fields];
        for (size_t i = 0; i < n; i++) {
            ck_assert_uint_eq(all[i]->key_len, strlen(all[i]->key));
            for (size_t j = 0; j < i; j++)
                ck_assert_msg(strcmp(all[i]->key, all[j]->key), "event '%s': key '%s' twice", kind->name, all[i]->key);
        }
    }
}
END_TEST

/* Each kind is found by its exact name, and only by it: not by a prefix, an extension, another
 * case, or a name with the same length and end characters (trace_schema.c hashes on those). */
START_TEST(kind_find_exact)
{
    char name[64];
    for (int k = 0; k < AW_TK__COUNT; k++) {
        const char *kn = aw_trace_kinds[k].name;
        size_t len = strlen(kn);
        ck_assert_int_eq(aw_trace_kind_find(kn), k);
        snprintf(name, sizeof name, "%.*s", (int)len - 1, kn);
        ck_assert_int_ne(aw_trace_kind_find(name), k);
        snprintf(name, sizeof name, "%sx", kn);
        ck_assert_int_eq(aw_trace_kind_find(name), -1);
        snprintf(name, sizeof name, "%s", kn);
        name[0] = (char)(name[0] - 'a' + 'A');
        ck_assert_int_eq(aw_trace_kind_find(name), -1);
        if (len > 2) {
            name[0] = kn[0];
            name[1] = name[1] == 'z' ? 'y' : 'z';
            ck_assert_int_eq(aw_trace_kind_find(name), -1);
        }
    }
    ck_assert_int_eq(aw_trace_kind_find(""), -1);
}
END_TEST

/* Every golden trace gives the same events and values through the scanner as through cJSON. */
START_TEST(scanner_matches_cjson)
{
    static const char *const goldens[] = {"tests/golden/io-faults.jsonl", "tests/golden/sync-condition.jsonl",
                                          "tests/golden/taskgroup-terminate.jsonl", "tests/golden/to-thread.jsonl",
                                          "tests/golden/timeout-reschedule.jsonl", "tests/golden/tasks-gather.jsonl"};
    for (size_t g = 0; g < sizeof goldens / sizeof goldens[0]; g++) {
        aw_trace_reader *a = aw_trace_reader_open(goldens[g]), *b = aw_trace_reader_open(goldens[g]);
        aw_trace_reader_values_only(b);
        aw_trace_event ea, eb;
        long n = 0;
        for (;; n++) {
            int ga = aw_trace_reader_next(a, &ea), gb = aw_trace_reader_next(b, &eb);
            ck_assert_int_eq(ga, gb);
            if (ga <= 0) break;
            ck_assert_int_eq(ea.kind, eb.kind);
            ck_assert(ea.seq == eb.seq && ea.iter == eb.iter && ea.t_ns == eb.t_ns && ea.t == eb.t);
            ck_assert_uint_eq(ea.n_values, eb.n_values);
            for (size_t i = 0; i < ea.n_values; i++)
                ck_assert_msg(same_value(&ea.values[i], &eb.values[i]), "%s event %ld slot %zu", goldens[g], n + 1, i);
        }
        ck_assert_msg(n > 10, "%s: %s", goldens[g], aw_trace_reader_message(a));
        ck_assert_int_eq(aw_trace_reader_status(a), aw_trace_reader_status(b));
        aw_trace_reader_close(a);
        aw_trace_reader_close(b);
    }
}
END_TEST

/* A writer may leave out a field that would be null: it reads as null, in either path. */
START_TEST(absent_null_fields)
{
    const char *text = HEADER EV1
        "{\"seq\":2,\"iter\":1,\"t_ns\":0,\"ev\":\"scheduled\",\"handle\":1,\"callback\":\"cb\"}\n"
        "{\"seq\":3,\"iter\":1,\"t_ns\":0,\"ev\":\"loop_close\"}\n";
    write_file(text, strlen(text));
    for (int values_only = 0; values_only < 2; values_only++) {
        aw_trace_reader *r = aw_trace_reader_open(path);
        if (values_only) aw_trace_reader_values_only(r);
        aw_trace_event ev;
        ck_assert_int_eq(aw_trace_reader_next(r, &ev), 1);
        ck_assert_int_eq(aw_trace_reader_next(r, &ev), 1);
        ck_assert_int_eq(ev.kind, AW_TK_SCHEDULED);
        ck_assert_int_eq(ev.values[0].type, AW_TV_INT);  /* handle */
        ck_assert_int_eq(ev.values[1].type, AW_TV_NULL); /* deadline_ns, left out */
        ck_assert_str_eq(ev.values[2].s, "cb");
        ck_assert_int_eq(ev.values[3].type, AW_TV_NULL); /* task */
        ck_assert_int_eq(aw_trace_reader_next(r, &ev), 1);
        ck_assert_int_eq(aw_trace_reader_next(r, &ev), 0);
        ck_assert_int_eq(aw_trace_reader_status(r), AW_TRACE_OK);
        aw_trace_reader_close(r);
    }
}
END_TEST

START_TEST(valid_traces)
{
    const char *ok = HEADER EV1 EV2 CLOSE3;
    write_file(ok, strlen(ok));
    char msg[256];
    long n = 0;
    ck_assert_int_eq(aw_trace_validate_file(path, msg, sizeof msg, &n), AW_TRACE_OK);
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(msg, "");

    /* a complete last event without its newline is still an event */
    write_file(ok, strlen(ok) - 1);
    ck_assert_int_eq(aw_trace_validate_file(path, msg, sizeof msg, &n), AW_TRACE_OK);
    ck_assert_int_eq(n, 3);

    /* key order and spacing are free */
    const char *spaced = "{ \"version\" : 2, \"format\" : \"awaitlab-trace\", \"seed\" : 7, \"program\" : null,"
                         " \"clock\" : \"real\", \"wall_start_ns\" : 1700000000123456789 }\n"
                         "{\"ev\":\"loop_close\",\"t_ns\":0,\"iter\":0,\"seq\":1}\r\n";
    write_file(spaced, strlen(spaced));
    ck_assert_int_eq(aw_trace_validate_file(path, msg, sizeof msg, &n), AW_TRACE_OK);
    aw_trace_reader *r = aw_trace_reader_open(path);
    const aw_trace_header *h = aw_trace_reader_header(r);
    ck_assert_ptr_nonnull(h);
    ck_assert_uint_eq(h->seed, 7);
    ck_assert_ptr_null(h->program);
    ck_assert_str_eq(h->clock, "real");
    ck_assert_int_eq(h->wall_start_ns, 1700000000123456789LL);
    aw_trace_reader_close(r);
}
END_TEST

START_TEST(streaming_events)
{
    const char *ok = HEADER EV1 EV2 CLOSE3;
    write_file(ok, strlen(ok));
    aw_trace_reader *r = aw_trace_reader_open(path);
    aw_trace_event ev;
    int kinds[3], n = 0;
    while (aw_trace_reader_next(r, &ev) > 0) {
        ck_assert_int_eq(ev.seq, n + 1);
        ck_assert_int_eq(ev.line, n + 2);
        kinds[n++] = ev.kind;
    }
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(kinds[0], AW_TK_LOOP_START);
    ck_assert_int_eq(kinds[1], AW_TK_STEP_BEGIN);
    ck_assert_int_eq(kinds[2], AW_TK_LOOP_CLOSE);
    ck_assert_int_eq(aw_trace_reader_status(r), AW_TRACE_OK);
    ck_assert_int_eq(aw_trace_reader_next(r, &ev), 0); /* stays at the end */
    aw_trace_reader_close(r);
}
END_TEST

/* A file cut at every byte of its last line: truncated, and every complete line before it is
 * still delivered. */
START_TEST(cut_at_every_byte)
{
    const char *ok = HEADER EV1 EV2 CLOSE3;
    size_t start = strlen(HEADER EV1 EV2);
    for (size_t cut = start + 1; cut < strlen(ok) - 1; cut++) {
        write_file(ok, cut);
        aw_trace_reader *r = aw_trace_reader_open(path);
        aw_trace_event ev;
        int n = 0;
        while (aw_trace_reader_next(r, &ev) > 0) n++;
        ck_assert_int_eq(n, 2);
        ck_assert_msg(aw_trace_reader_status(r) == AW_TRACE_TRUNCATED, "cut at %zu: %s", cut,
                      aw_trace_reader_message(r));
        aw_trace_reader_close(r);
    }
}
END_TEST

/* The largest seed is read exactly; a line longer than the limit is refused, naming the limit. */
START_TEST(limits_and_exact_seed)
{
    const char *big = "{\"format\":\"awaitlab-trace\",\"version\":2,\"program\":\"p\",\"clock\":\"sim\","
                      "\"seed\":18446744073709551615,\"wall_start_ns\":0}\n" EV1 CLOSE3;
    write_file(big, strlen(big));
    aw_trace_limits lim = {0};
    aw_trace_reader *r = aw_trace_reader_open_limits(path, &lim);
    ck_assert_int_eq(aw_trace_reader_status(r), AW_TRACE_OK);
    ck_assert_uint_eq(aw_trace_reader_header(r)->seed, UINT64_MAX);
    aw_trace_reader_close(r);

    const char *ok = HEADER EV1 EV2 CLOSE3;
    write_file(ok, strlen(ok));
    lim.max_line = strlen(EV2) - 1; /* EV2 is the longest event line; the header is longer still */
    r = aw_trace_reader_open_limits(path, &lim);
    ck_assert_int_eq(aw_trace_reader_status(r), AW_TRACE_INVALID);
    char want[256];
    snprintf(want, sizeof want, "%s:1: line 1 is longer than %zu bytes (--max-line)", path, lim.max_line);
    ck_assert_str_eq(aw_trace_reader_message(r), want);
    aw_trace_reader_close(r);
    lim.max_line = 1024;
    r = aw_trace_reader_open_limits(path, &lim);
    aw_trace_event ev;
    while (aw_trace_reader_next(r, &ev) > 0) {
    }
    ck_assert_int_eq(aw_trace_reader_status(r), AW_TRACE_OK);
    aw_trace_reader_close(r);

    /* a directory is named as one, not reported at line 0 */
    r = aw_trace_reader_open(dir);
    ck_assert_int_eq(aw_trace_reader_status(r), AW_TRACE_IO);
    snprintf(want, sizeof want, "%s is a directory, not a trace file", dir);
    ck_assert_str_eq(aw_trace_reader_message(r), want);
    aw_trace_reader_close(r);
}
END_TEST

START_TEST(missing_file)
{
    char msg[256];
    ck_assert_int_eq(aw_trace_validate_file("/nonexistent/t.trace", msg, sizeof msg, NULL), AW_TRACE_IO);
    ck_assert_str_eq(msg, "/nonexistent/t.trace: cannot open: No such file or directory");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace_read");
    TCase *tc = tcase_create("validator");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, malformed, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, valid_traces);
    tcase_add_test(tc, scanner_matches_cjson);
    tcase_add_test(tc, kind_keys_distinct);
    tcase_add_test(tc, kind_find_exact);
    tcase_add_test(tc, absent_null_fields);
    tcase_add_test(tc, streaming_events);
    tcase_add_test(tc, cut_at_every_byte);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, limits_and_exact_seed);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
