/* explore_shard.c — the runs of one shard as JSON Lines (see explore.h), so that shards run on
 * other machines merge into what one run would have printed.  One line per run:
 *
 *   {"seed":12,"end":"exit","code":0,"check":null,"output":"...","replay":"awaitlab run x --seed 12"}
 *
 * `end` is "exit", "signal", "time_limit" or "timeout" (explore_end); `check` is the --check
 * command's exit status or null.  The seed is written as a string when it is above 2^53, where
 * a JSON number read as a double would lose digits. */
#include <cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "explore.h"
#include "safe_file.h"

static const char *const end_names[] = {"exit", "signal", "time_limit", "timeout"};
#define N_ENDS (sizeof end_names / sizeof end_names[0])

static char *run_line(const explore_run *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
    bool ok = (r->seed <= (1ULL << 53) ? cJSON_AddNumberToObject(o, "seed", (double)r->seed)
                                       : cJSON_AddStringToObject(o, "seed", seed)) &&
              cJSON_AddStringToObject(o, "end", end_names[r->end]) && cJSON_AddNumberToObject(o, "code", r->code) &&
              (r->check == EXPLORE_NO_CHECK ? cJSON_AddNullToObject(o, "check") != NULL
                                            : cJSON_AddNumberToObject(o, "check", r->check) != NULL) &&
              cJSON_AddStringToObject(o, "output", r->output) && cJSON_AddStringToObject(o, "replay", r->replay);
    char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return text;
}

bool explore_write_runs(const char *path, const explore_runs *rs)
{
    aw_safe_file sf;
    if (!aw_safe_open(&sf, path)) {
        fprintf(stderr, "awaitlab explore: --out %s: %s\n", path, strerror(errno));
        return false;
    }
    for (size_t i = 0; i < rs->n; i++) {
        if (memchr(rs->v[i].output, '\0', rs->v[i].output_len)) {
            fprintf(stderr, "awaitlab explore: --out %s: the run of seed %llu printed a NUL byte, which a JSON "
                            "string cannot keep\n", path, (unsigned long long)rs->v[i].seed);
            aw_safe_abort(&sf);
            return false;
        }
        char *line = run_line(&rs->v[i]);
        if (!line) {
            fprintf(stderr, "awaitlab explore: --out %s: out of memory\n", path);
            aw_safe_abort(&sf);
            return false;
        }
        fputs(line, sf.f);
        fputc('\n', sf.f);
        free(line);
    }
    if (!aw_safe_commit(&sf)) {
        fprintf(stderr, "awaitlab explore: --out %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

static bool get_int(const cJSON *o, const char *key, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int)v->valuedouble) return false;
    *out = (int)v->valuedouble;
    return true;
}

static bool parse_seed(const cJSON *v, uint64_t *seed)
{
    if (cJSON_IsString(v)) return aw_parse_u64(v->valuestring, seed);
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) || v->valuedouble > 9007199254740992.0 ||
        v->valuedouble != (double)(uint64_t)v->valuedouble)
        return false;
    *seed = (uint64_t)v->valuedouble;
    return true;
}

static bool parse_run(const char *line, explore_run *r)
{
    cJSON *o = cJSON_Parse(line);
    const cJSON *end = cJSON_GetObjectItemCaseSensitive(o, "end");
    const cJSON *check = cJSON_GetObjectItemCaseSensitive(o, "check");
    const cJSON *out = cJSON_GetObjectItemCaseSensitive(o, "output");
    const cJSON *replay = cJSON_GetObjectItemCaseSensitive(o, "replay");
    *r = (explore_run){0};
    bool ok = cJSON_IsObject(o) && parse_seed(cJSON_GetObjectItemCaseSensitive(o, "seed"), &r->seed) &&
              cJSON_IsString(end) && get_int(o, "code", &r->code) && cJSON_IsString(out) && cJSON_IsString(replay) &&
              (cJSON_IsNull(check) || get_int(o, "check", &r->check));
    if (ok && cJSON_IsNull(check)) r->check = EXPLORE_NO_CHECK;
    r->end = -1;
    for (size_t i = 0; ok && i < N_ENDS; i++)
        if (!strcmp(end->valuestring, end_names[i])) r->end = (int)i;
    ok = ok && r->end >= 0;
    if (ok) {
        r->output_len = strlen(out->valuestring);
        r->output = strdup(out->valuestring);
        r->replay = strdup(replay->valuestring);
        ok = r->output && r->replay;
        if (!ok) {
            free(r->output);
            free(r->replay);
        }
    }
    cJSON_Delete(o);
    return ok;
}

bool explore_read_runs(const char *path, explore_runs *rs)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "awaitlab explore merge: %s: %s\n", path, strerror(errno));
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    bool ok = true;
    while (ok && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (n && line[n - 1] == '\n') line[--n] = '\0';
        explore_run r;
        if ((size_t)n != strlen(line) || !parse_run(line, &r)) {
            fprintf(stderr, "awaitlab explore merge: %s:%ld: not a run written by `awaitlab explore --out`\n", path,
                    lineno);
            ok = false;
        } else if (!explore_runs_push(rs, &r)) {
            free(r.output);
            free(r.replay);
            fprintf(stderr, "awaitlab explore merge: out of memory\n");
            ok = false;
        }
    }
    if (ok && ferror(f)) {
        fprintf(stderr, "awaitlab explore merge: %s: read error\n", path);
        ok = false;
    }
    free(line);
    fclose(f);
    return ok;
}
