/* scenario.c — `scenario FILE.json...`: runs fuzz scenarios on awaitlab's sim clock.
 *
 * Each file runs in a fresh loop (aw_run), and prints the lines SCENARIOS.md describes.  With
 * several files, each output is preceded by "=== FILE" (the differential fuzzer runs one file a
 * process, so that a crash is pinned to its scenario).  Exit status: 0, or 2 on unreadable input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

fz_scenario fz;

/* ---- strings ------------------------------------------------------------------------------ */
void fz_strf(fz_str *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) abort();
    }
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    va_end(ap);
}

/* The messages of these types are the scenario's own or CPython's plain ones; others (e.g.
 * InvalidStateError's) carry reprs that differ between the two implementations.  An exception
 * group shows its message and its members, in order (fz_str_exc). */
static int shows_message(const char *type)
{
    static const char *const types[] = {"ValueError", "LookupError",  "ArithmeticError", "CancelledError",
                                        "TimeoutError", "QueueEmpty", "QueueFull", "QueueShutDown",
                                        "BrokenBarrierError"};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(type, types[i]) == 0) return 1;
    return 0;
}

void fz_str_exc(fz_str *b, const aw_exc *e)
{
    const char *type = e ? aw_exc_type(e) : "NoException";
    if (e && aw_exc_is_group(e)) { /* ExceptionGroup(msg, [ValueError(a), ...]) */
        fz_strf(b, "%s(%s, [", type, aw_exc_group_message(e));
        for (size_t i = 0; i < aw_exc_group_count(e); i++) {
            if (i) fz_strf(b, ", ");
            fz_str_exc(b, aw_exc_group_item(e, i));
        }
        fz_strf(b, "])");
        return;
    }
    fz_strf(b, "%s(%s)", type, e && shows_message(type) ? aw_exc_message(e) : "...");
}

void fz_str_value(fz_str *b, aw_value v)
{
    switch (v.kind) {
    case AW_NONE: fz_strf(b, "None"); break;
    case AW_STR: fz_strf(b, "'%s'", v.as.s); break;
    case AW_INT: fz_strf(b, "%lld", v.as.i); break;
    case AW_BOOL: fz_strf(b, "%s", v.as.i ? "True" : "False"); break;
    case AW_EXC: fz_str_exc(b, v.as.exc); break;
    case AW_LIST:
        fz_strf(b, "[");
        for (size_t i = 0; i < v.as.list->len; i++) {
            if (i) fz_strf(b, ", ");
            fz_str_value(b, v.as.list->items[i]);
        }
        fz_strf(b, "]");
        break;
    default: fz_strf(b, "<kind %d>", (int)v.kind); break;
    }
}

/* ---- output ------------------------------------------------------------------------------- */
static void out_line(const char *text)
{
    aw_loop *loop = aw_current_loop();
    long long ns = loop ? (long long)aw_loop_time_ns(loop) : 0;
    aw_print("[%lld.%03lld] %s", ns / 1000000000, ns % 1000000000 / 1000000, text);
}

void fz_out(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    out_line(buf);
}

void fz_out_str(fz_str *b)
{
    out_line(b->s ? b->s : "");
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* ---- variables ----------------------------------------------------------------------------- */
void *fz_obj_get(const char *name, fz_kind kind)
{
    if (kind == FZ_FUTURE && strcmp(name, "main") == 0) return fz.main_task;
    for (size_t i = 0; i < fz.n_vars; i++)
        if (strcmp(fz.vars[i].name, name) == 0) return fz.vars[i].kind == kind ? fz.vars[i].obj : NULL;
    return NULL;
}

void fz_obj_set(const char *name, fz_kind kind, void *obj)
{
    for (size_t i = 0; i < fz.n_vars; i++)
        if (strcmp(fz.vars[i].name, name) == 0) {
            fz.vars[i].kind = kind;
            fz.vars[i].obj = obj;
            return;
        }
    if (fz.n_vars == fz.cap_vars) {
        fz.cap_vars = fz.cap_vars ? fz.cap_vars * 2 : 16;
        fz.vars = realloc(fz.vars, fz.cap_vars * sizeof *fz.vars);
        if (!fz.vars) abort();
    }
    fz.vars[fz.n_vars++] = (fz_var){name, kind, obj};
}

aw_future *fz_var_get(const char *name) { return fz_obj_get(name, FZ_FUTURE); }
void fz_var_set(const char *name, aw_future *f) { fz_obj_set(name, FZ_FUTURE, f); }

void *fz_alloc(size_t size)
{
    if (fz.n_allocs == fz.cap_allocs) {
        fz.cap_allocs = fz.cap_allocs ? fz.cap_allocs * 2 : 16;
        fz.allocs = realloc(fz.allocs, fz.cap_allocs * sizeof *fz.allocs);
        if (!fz.allocs) abort();
    }
    void *p = calloc(1, size);
    if (!p) abort();
    return fz.allocs[fz.n_allocs++] = p;
}

const cJSON *fz_coro_ops(const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(fz.coros, name);
}

/* ---- running a file ----------------------------------------------------------------------- */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) s[n] = '\0';
    fclose(f);
    return s;
}

static int run_file(const char *path)
{
    char *text = read_file(path);
    if (!text) {
        fprintf(stderr, "scenario: %s: cannot read\n", path);
        return 2;
    }
    cJSON *doc = cJSON_Parse(text);
    free(text);
    const cJSON *coros = cJSON_GetObjectItemCaseSensitive(doc, "coros");
    if (!cJSON_IsObject(coros) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(coros, "main"))) {
        fprintf(stderr, "scenario: %s: not a scenario (no \"coros\" with a \"main\" list)\n", path);
        cJSON_Delete(doc);
        return 2;
    }
    const cJSON *reap = cJSON_GetObjectItemCaseSensitive(doc, "reap_after");
    memset(&fz, 0, sizeof fz);
    fz.coros = coros;
    fz.reap_after = cJSON_IsNumber(reap) ? reap->valuedouble : 10.0;

    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.program = "fuzz-scenario";
    aw_status st = aw_run(fz_root(), &o, NULL);
    if (st == AW_CANCELLED) { /* the root task itself was cancelled (op "cancel main") */
        fz_str b = {0};
        fz_strf(&b, "root -> raised ");
        fz_str_exc(&b, aw_exc_current());
        printf("%s\n", b.s);
        free(b.s);
    } else if (st != AW_OK) { /* the root raises nothing else: the loop itself failed */
        printf("deadlock\n");
    }
    aw_exc_clear();
    fflush(stdout);
    for (size_t i = 0; i < fz.n_allocs; i++) free(fz.allocs[i]);
    free(fz.allocs);
    free(fz.vars);
    cJSON_Delete(doc);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: scenario FILE.json...\n");
        return 2;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (argc > 2) printf("=== %s\n", argv[i]);
        int r = run_file(argv[i]);
        if (r > rc) rc = r;
    }
    return rc;
}
