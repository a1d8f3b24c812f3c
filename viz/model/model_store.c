/* model_store.c — every event of a trace, kept compactly in memory: why the viewers need not
 * keep the file, nor a cJSON tree per event (~1 KB each).
 *
 * An event is a tag byte (its kind, and two flags below), then the deltas of iter and t_ns from
 * the previous event unless both are 0, then its fields in schema order (trace_schema.c: the encoding follows the schema, so a field added
 * there is stored here without change): integers as LEB128 varints (ids and nullable numbers
 * shifted by one so that 0 means null; signed ones zigzagged), strings as ids into one pool of
 * interned strings (task names and callback names repeat on every line), enums as their index,
 * id arrays as an index into one pool.  Typical events take 8-20 bytes.  Every 64 events a block
 * entry records where the next event starts and the iter/t_ns it deltas from, so any event is
 * decoded after at most 63 others.
 *
 * Most events happen in the iteration and at the time of the one before, and most have no
 * location and no exact number: the tag's flags let such an event leave out those zeros (a null
 * of any type is the word 0), about 4 bytes of the ~15 an event took without them.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_exact.h"
#include "model_internal.h"

#define TAG_KIND 0x3f    /* the kind (AW_TK__COUNT kinds fit) */
#define TAG_MOVED 0x40   /* the iter and t_ns deltas follow (else both are 0) */
#define TAG_TAIL 0x80    /* the tail's words are stored (else all are 0: null) */
_Static_assert(AW_TK__COUNT <= TAG_KIND + 1, "an event's kind must fit the tag's low bits");

bool aw__grow(void **p, size_t *cap, size_t need, size_t size)
{
    /* even when nothing is needed yet the buffer is made, so that `buffer + 0` is never NULL + 0
     * (undefined behaviour; tests/libfuzz found it with an empty keyframe) */
    if (need <= *cap && *p) return true;
    size_t n = *cap ? *cap : 16;
    while (n < need) n += n / 2 + 16;
    if (n > SIZE_MAX / size) return false;
    void *q = realloc(*p, n * size);
    if (!q) return false;
    *p = q;
    *cap = n;
    return true;
}

/* ---- where each field goes in aw_model_event ------------------------------------------------ */

typedef struct member {
    const char *key;
    bool text;         /* a string or enum field (the same key may also name an id: "coro") */
    uint8_t dest;
    uint16_t off;
} member;

#define M(k, text, dest, field) {k, text, dest, (uint16_t)offsetof(aw_model_event, field)}
static const member members[] = {
    M("task", false, MSLOT_I64, task),           M("future", false, MSLOT_I64, future),
    M("handle", false, MSLOT_I64, handle),       M("parent", false, MSLOT_I64, parent),
    M("by", false, MSLOT_I64, by),               M("scope", false, MSLOT_I64, scope),
    M("coro", false, MSLOT_I64, coro),           M("deadline_ns", false, MSLOT_I64, deadline_ns),
    M("timeout_ns", false, MSLOT_I64, timeout_ns), M("count", false, MSLOT_I64, count),
    M("line", false, MSLOT_I64, line),           M("cancelling", false, MSLOT_I64, cancelling),
    M("duration_ns", false, MSLOT_I64, duration_ns), M("from_ns", false, MSLOT_I64, from_ns),
    M("to_ns", false, MSLOT_I64, to_ns),         M("fd", false, MSLOT_I64, fd),
    M("ready", false, MSLOT_I64, ready),         M("watched", false, MSLOT_I64, watched),
    M("name", true, MSLOT_STR, name),            M("coro", true, MSLOT_STR, coro_name),
    M("callback", true, MSLOT_STR, callback),    M("what", true, MSLOT_STR, what),
    M("file", true, MSLOT_STR, file),            M("text", true, MSLOT_STR, text),
    M("exact", true, MSLOT_STR, exact),
    M("result", true, MSLOT_STR, result),        M("exc", true, MSLOT_STR, exc),
    M("message", true, MSLOT_STR, message),      M("category", true, MSLOT_STR, category),
    M("clock", true, MSLOT_STR, clock),          M("reason", true, MSLOT_STR, reason),
    M("mode", true, MSLOT_STR, mode),            M("accepted", false, MSLOT_BOOL, accepted),
    M("raised", false, MSLOT_BOOL, raised),      M("readable", false, MSLOT_BOOL, readable),
    M("writable", false, MSLOT_BOOL, writable),  M("children", false, MSLOT_IDS, ids),
    M("futures", false, MSLOT_IDS, ids),         M("via", true, MSLOT_STR, via),
    M("phase", true, MSLOT_STR, phase),          M("library", false, MSLOT_BOOL, library),
    M("sync", false, MSLOT_I64, sync),           M("primitive", true, MSLOT_STR, primitive),
    M("op", true, MSLOT_STR, op),                M("value", true, MSLOT_STR, value),
    M("group", false, MSLOT_I64, group),         M("child", false, MSLOT_I64, child),
    M("errors", false, MSLOT_I64, errors),       M("action", true, MSLOT_STR, action),
    M("conn", false, MSLOT_I64, conn),           M("bytes", false, MSLOT_I64, bytes),
    M("at_ns", false, MSLOT_I64, at_ns),         M("from", true, MSLOT_STR, from),
    M("to", true, MSLOT_STR, to),                M("fault", true, MSLOT_STR, fault),
    M("stream", false, MSLOT_I64, stream),
    M("variation", true, MSLOT_STR, variation),  M("nominal_ns", false, MSLOT_I64, nominal_ns),
    M("chosen_ns", false, MSLOT_I64, chosen_ns),
};
#undef M

/* Slot i of a kind: its own fields, then the tail every event ends with (file, line). */
static const aw_trace_field *slot_field(int kind, size_t i)
{
    const aw_trace_kind *k = &aw_trace_kinds[kind];
    return i < k->n_fields ? &k->fields[i] : &aw_trace_tail_fields[i - k->n_fields];
}
#define N_TAIL (sizeof aw_trace_tail_fields / sizeof aw_trace_tail_fields[0])

static bool is_text(aw_trace_ftype t) { return t == AW_TF_STR || t == AW_TF_STR_NULL || t == AW_TF_ENUM || t == AW_TF_EXACT; }
static bool is_id(aw_trace_ftype t) { return t == AW_TF_ID || t == AW_TF_ID_NULL; }

static void init_slots(mstore *s)
{
    for (int k = 0; k < AW_TK__COUNT; k++) {
        size_t n = aw_trace_kinds[k].n_fields + N_TAIL;
        s->nslots[k] = (uint8_t)(n < MSLOT_MAX ? n : MSLOT_MAX);
        for (size_t i = 0; i < s->nslots[k]; i++) {
            const aw_trace_field *f = slot_field(k, i);
            mslot sl = {(uint8_t)f->type, MSLOT_SKIP, 0};
            for (size_t j = 0; j < sizeof members / sizeof members[0]; j++)
                if (!strcmp(members[j].key, f->key) && members[j].text == is_text(f->type)) {
                    sl.dest = members[j].dest;
                    sl.off = members[j].off;
                    break;
                }
            s->slots[k][i] = sl; /* a field unknown here is still stored (MSLOT_SKIP decodes nothing) */
        }
        /* a kind too wide for the slots has no whole tail to leave out */
        s->tail_from[k] = (uint8_t)(n <= MSLOT_MAX ? aw_trace_kinds[k].n_fields : s->nslots[k]);
    }
}

bool aw__mstore_init(mstore *s)
{
    memset(s, 0, sizeof *s);
    init_slots(s);
    s->stab_cap = 1024;
    s->stab = calloc(s->stab_cap, sizeof *s->stab);
    s->exact_cache = calloc(1, sizeof *s->exact_cache);
    return s->stab && s->exact_cache;
}

void aw__mstore_free(mstore *s)
{
    free(s->bytes);
    free(s->blocks);
    free(s->sbuf);
    free(s->stab);
    free(s->ids);
    free(s->exact_cache);
    memset(s, 0, sizeof *s);
}

size_t aw__mstore_memory(const mstore *s)
{
    return s->cap + s->bcap * sizeof *s->blocks + s->scap + s->stab_cap * sizeof *s->stab +
           s->idcap * sizeof *s->ids + sizeof *s->exact_cache;
}

/* ---- strings -------------------------------------------------------------------------------- */

static uint32_t hash_str(const char *p)
{
    uint32_t h = 2166136261u;
    for (; *p; p++) h = (h ^ (uint8_t)*p) * 16777619u;
    return h;
}

static bool rehash(mstore *s)
{
    size_t cap = s->stab_cap * 2;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t) return false;
    for (size_t i = 0; i < s->stab_cap; i++) {
        uint32_t id = s->stab[i];
        if (!id) continue;
        size_t j = hash_str(s->sbuf + id - 1) & (cap - 1);
        while (t[j]) j = (j + 1) & (cap - 1);
        t[j] = id;
    }
    free(s->stab);
    s->stab = t;
    s->stab_cap = cap;
    return true;
}

uint32_t aw__mstore_intern(mstore *s, const char *str)
{
    size_t mask = s->stab_cap - 1, j = hash_str(str) & mask;
    for (; s->stab[j]; j = (j + 1) & mask)
        if (!strcmp(s->sbuf + s->stab[j] - 1, str)) return s->stab[j];
    size_t n = strlen(str) + 1;
    if (s->slen + n >= UINT32_MAX) return 0; /* ids are 32-bit: a 4 GB string pool is refused */
    if (!aw__grow((void **)&s->sbuf, &s->scap, s->slen + n, 1)) return 0;
    memcpy(s->sbuf + s->slen, str, n);
    uint32_t id = (uint32_t)s->slen + 1;
    s->slen += n;
    s->stab[j] = id;
    if (++s->scount * 2 > s->stab_cap && !rehash(s)) return 0;
    return id;
}

const char *aw__mstore_str(const mstore *s, uint32_t id) { return id ? s->sbuf + id - 1 : NULL; }

/* ---- one event as aw_model_event ------------------------------------------------------------ */

/* Each slot of an event is stored as one word (a varint; a byte for a bool): what `word_of`
 * makes of the reader's value when appending, and what `place` puts into aw_model_event, both
 * when decoding and when appending (the loader gets the event it appended without decoding it). */

static size_t enum_index(const aw_trace_field *f, const char *v)
{
    size_t i = 0;
    for (; f->values[i]; i++)
        if (!strcmp(f->values[i], v)) return i;
    return 0; /* the reader accepted it, so it is listed */
}

static void event_begin(aw_model_event *ev, int kind, int64_t iter, int64_t t_ns)
{
    memset(ev, 0, sizeof *ev);
    ev->deadline_ns = ev->timeout_ns = ev->count = ev->line = ev->cancelling = ev->duration_ns = ev->from_ns =
        ev->to_ns = ev->fd = ev->ready = ev->watched = ev->errors = ev->bytes = ev->at_ns = ev->nominal_ns =
            ev->chosen_ns = AW_MODEL_NULL;
    ev->kind = kind;
    ev->kind_name = aw_trace_kinds[kind].name;
    ev->iter = iter;
    ev->t_ns = t_ns;
}

/* Slot i's word (and for an id array, where its ids start in the pool). */
static void place(const mstore *s, aw_model_event *ev, size_t i, uint64_t word, uint64_t ids_at)
{
    const mslot *sl = &s->slots[ev->kind][i];
    int64_t iv = 0;
    const char *sv = NULL;
    switch ((aw_trace_ftype)sl->type) {
    case AW_TF_ID:
    case AW_TF_ID_NULL:
    case AW_TF_U64:
    case AW_TF_BOOL: iv = (int64_t)word; break;
    case AW_TF_COUNT:
    case AW_TF_COUNT_NULL:
    case AW_TF_TIME:
    case AW_TF_TIME_NULL: iv = word ? (int64_t)(word - 1) : AW_MODEL_NULL; break;
    case AW_TF_INT: iv = aw__unzigzag(word); break;
    case AW_TF_STR:
    case AW_TF_EXACT:
    case AW_TF_STR_NULL: sv = aw__mstore_str(s, (uint32_t)word); break;
    case AW_TF_ENUM: sv = slot_field(ev->kind, i)->values[word]; break;
    case AW_TF_IDS:
        if (sl->dest == MSLOT_IDS) {
            ev->n_ids = (size_t)word;
            ev->ids = word ? s->ids + ids_at : NULL;
        }
        return;
    }
    char *base = (char *)ev;
    switch (sl->dest) {
    case MSLOT_I64: memcpy(base + sl->off, &iv, sizeof iv); break;
    case MSLOT_STR: memcpy(base + sl->off, &sv, sizeof sv); break;
    case MSLOT_BOOL: base[sl->off] = (char)(iv != 0); break;
    default: break;
    }
}

/* The last touch of every event made (decoded or appended): a location without a file is in the
 * program's source. */
static void event_finish(const mstore *s, aw_model_event *ev)
{
    if (!ev->file && ev->line != AW_MODEL_NULL && ev->line > 0) ev->file = aw__mstore_str(s, s->default_file);
}

/* ---- appending ------------------------------------------------------------------------------ */

/* The word that stores value v of field f (interning strings: 0 on failure, with *ok false). */
static uint64_t word_of(mstore *s, const aw_trace_field *f, const aw_trace_value *v, bool *ok)
{
    bool null = v->type == AW_TV_NULL;
    uint32_t id = 0;
    switch (f->type) {
    case AW_TF_ID:
    case AW_TF_ID_NULL:
    case AW_TF_U64: return null ? 0 : (uint64_t)v->i;
    case AW_TF_COUNT:
    case AW_TF_COUNT_NULL:
    case AW_TF_TIME:
    case AW_TF_TIME_NULL: return null ? 0 : (uint64_t)v->i + 1;
    case AW_TF_EXACT: { /* kept as its JSON text */
        char text[512];
        if (v->type == AW_TV_EXACT && aw__exact_text(s->exact_cache, v, text, sizeof text))
            *ok = (id = aw__mstore_intern(s, text)) != 0;
        return id;
    }
    case AW_TF_INT: return aw__zigzag(null ? 0 : v->i);
    case AW_TF_STR:
    case AW_TF_STR_NULL:
        if (v->type == AW_TV_STR) *ok = (id = aw__mstore_intern(s, v->s)) != 0;
        return id;
    case AW_TF_BOOL: return v->type == AW_TV_BOOL && v->i;
    case AW_TF_ENUM: return v->type == AW_TV_STR ? enum_index(f, v->s) : 0;
    case AW_TF_IDS: return v->type == AW_TV_IDS ? (uint64_t)v->i : 0;
    }
    return 0;
}

bool aw__mstore_append(mstore *s, const aw_trace_event *ev, aw_model_event *out)
{
    int kind = ev->kind;
    if (s->n % MSTORE_BLOCK == 0) {
        if (!aw__grow((void **)&s->blocks, &s->bcap, s->nblocks + 1, sizeof *s->blocks)) return false;
        s->blocks[s->nblocks++] = (mblock){s->len, s->last_iter, s->last_t};
    }
    /* Worst case: 1 + 2 varints + 10 bytes a field (arrays go to the ids pool). */
    if (!aw__grow((void **)&s->bytes, &s->cap, s->len + 21 + 10 * (size_t)s->nslots[kind], 1)) return false;
    uint64_t words[MSLOT_MAX], ids_at[MSLOT_MAX];
    size_t n = s->nslots[kind] < ev->n_values ? s->nslots[kind] : ev->n_values;
    uint8_t tag = (uint8_t)kind;
    for (size_t i = 0; i < n; i++) {
        const aw_trace_field *f = slot_field(kind, i);
        const aw_trace_value *v = &ev->values[i];
        bool ok = true;
        uint64_t w = words[i] = word_of(s, f, v, &ok);
        ids_at[i] = 0;
        if (!ok) return false;
        if (w && i >= s->tail_from[kind]) tag |= TAG_TAIL;
        if (f->type == AW_TF_IDS && w) {
            if (!aw__grow((void **)&s->ids, &s->idcap, s->nids + w, sizeof *s->ids)) return false;
            ids_at[i] = s->nids;
            memcpy(s->ids + s->nids, v->ids, w * sizeof *s->ids);
            s->nids += w;
        }
    }
    if (ev->iter != s->last_iter || ev->t_ns != s->last_t) tag |= TAG_MOVED;
    uint8_t *start = s->bytes + s->len, *p = start;
    *p++ = tag;
    if (tag & TAG_MOVED) {
        aw__put_uv(&p, (uint64_t)(ev->iter - s->last_iter));
        aw__put_uv(&p, (uint64_t)(ev->t_ns - s->last_t));
    }
    size_t stored = tag & TAG_TAIL ? n : (n < s->tail_from[kind] ? n : s->tail_from[kind]);
    for (size_t i = 0; i < stored; i++) {
        if (s->slots[kind][i].type == AW_TF_BOOL) {
            *p++ = (uint8_t)words[i];
            continue;
        }
        aw__put_uv(&p, words[i]);
        if (s->slots[kind][i].type == AW_TF_IDS && words[i]) aw__put_uv(&p, ids_at[i]);
    }
    s->len += (size_t)(p - start);
    s->last_iter = ev->iter;
    s->last_t = ev->t_ns;
    s->n++;
    if (out) { /* once every string is interned: the pool no longer moves */
        event_begin(out, kind, ev->iter, ev->t_ns);
        out->step = s->n;
        for (size_t i = 0; i < n; i++) place(s, out, i, words[i], ids_at[i]);
        event_finish(s, out);
    }
    return true;
}

/* ---- decoding ------------------------------------------------------------------------------- */

void aw__mstore_cursor(const mstore *s, int64_t step, mcursor *c)
{
    if (step < 1) step = 1;
    if (step > s->n) { /* at the end: next() returns false */
        c->next = s->n + 1;
        c->off = s->len;
        c->iter = s->last_iter;
        c->t_ns = s->last_t;
        return;
    }
    const mblock *b = &s->blocks[(size_t)(step - 1) >> MSTORE_BLOCK_SHIFT];
    c->next = (int64_t)(((uint64_t)(step - 1) >> MSTORE_BLOCK_SHIFT) << MSTORE_BLOCK_SHIFT) + 1;
    c->off = b->off;
    c->iter = b->iter;
    c->t_ns = b->t_ns;
    aw_model_event skip;
    while (c->next < step) aw__mstore_next(s, c, &skip);
}

bool aw__mstore_next(const mstore *s, mcursor *c, aw_model_event *ev)
{
    if (c->next > s->n) return false;
    const uint8_t *p = s->bytes + c->off;
    uint8_t tag = *p++;
    int kind = tag & TAG_KIND;
    if (tag & TAG_MOVED) {
        c->iter += (int64_t)aw__get_uv(&p);
        c->t_ns += (int64_t)aw__get_uv(&p);
    }
    event_begin(ev, kind, c->iter, c->t_ns);
    ev->step = c->next;
    size_t stored = tag & TAG_TAIL ? s->nslots[kind] : s->tail_from[kind];
    for (size_t i = 0; i < s->nslots[kind]; i++) {
        aw_trace_ftype type = (aw_trace_ftype)s->slots[kind][i].type;
        uint64_t word = i >= stored ? 0 : type == AW_TF_BOOL ? *p++ : aw__get_uv(&p);
        place(s, ev, i, word, type == AW_TF_IDS && word ? aw__get_uv(&p) : 0);
    }
    event_finish(s, ev);
    c->off = (size_t)(p - s->bytes);
    c->next++;
    return true;
}

bool aw__mstore_get(const mstore *s, int64_t step, aw_model_event *ev)
{
    if (step < 1 || step > s->n) return false;
    mcursor c;
    aw__mstore_cursor(s, step, &c);
    return aw__mstore_next(s, &c, ev);
}

/* ---- back to JSON --------------------------------------------------------------------------- */

/* The writer leaves the location out when the event has none. */
static bool is_source_location(const aw_model_event *ev) { return ev->line != AW_MODEL_NULL && ev->line > 0; }

cJSON *aw__mstore_json(const mstore *s, const aw_model_event *ev)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "seq", (double)ev->step);
    cJSON_AddNumberToObject(o, "iter", (double)ev->iter);
    cJSON_AddNumberToObject(o, "t_ns", (double)ev->t_ns);
    cJSON_AddStringToObject(o, "ev", ev->kind_name);
    const char *base = (const char *)ev;
    for (size_t i = 0; i < s->nslots[ev->kind]; i++) {
        const mslot *sl = &s->slots[ev->kind][i];
        const char *key = slot_field(ev->kind, i)->key;
        cJSON *v = NULL;
        switch (sl->dest) {
        case MSLOT_I64: {
            int64_t iv;
            memcpy(&iv, base + sl->off, sizeof iv);
            bool null = is_id((aw_trace_ftype)sl->type) ? iv == 0 : iv == AW_MODEL_NULL;
            v = null ? cJSON_CreateNull() : cJSON_CreateNumber((double)iv);
            break;
        }
        case MSLOT_STR: {
            const char *sv;
            memcpy(&sv, base + sl->off, sizeof sv);
            if (sv && sl->off == offsetof(aw_model_event, file) && sv == aw__mstore_str(s, s->default_file))
                sv = NULL; /* the program's source file: the writer leaves it null */
            if (sl->type == AW_TF_EXACT) {
                if (!sv) continue; /* left out when empty */
                v = cJSON_Parse(sv);
                cJSON_AddItemToObject(o, key, v);
                continue;
            }
            v = sv ? cJSON_CreateString(sv) : cJSON_CreateNull();
            break;
        }
        case MSLOT_BOOL: v = cJSON_CreateBool(base[sl->off]); break;
        case MSLOT_IDS: {
            v = cJSON_CreateArray();
            for (size_t j = 0; v && j < ev->n_ids; j++) cJSON_AddItemToArray(v, cJSON_CreateNumber((double)ev->ids[j]));
            break;
        }
        default: v = cJSON_CreateNull(); break; /* a field this model does not know */
        }
        if (!v) {
            cJSON_Delete(o);
            return NULL;
        }
        if (i >= aw_trace_kinds[ev->kind].n_fields && !is_source_location(ev)) { /* the optional tail */
            cJSON_Delete(v);
            continue;
        }
        cJSON_AddItemToObject(o, key, v);
    }
    return o;
}
