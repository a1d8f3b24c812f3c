/* explore_outcomes.c — runs grouped into outcomes, and the report (see explore.h).
 *
 * Two runs have the same outcome when they ended the same way (exit status, signal, hang), their
 * --check said the same, and they printed the same bytes.  The report lists outcomes in the
 * order of their first seeds, so it depends only on the set of runs: one process, J workers or
 * merged shards print the same. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"

bool explore_runs_push(explore_runs *rs, const explore_run *r)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        explore_run *v = realloc(rs->v, cap * sizeof *v);
        if (!v) return false;
        rs->v = v;
        rs->cap = cap;
    }
    rs->v[rs->n++] = *r;
    return true;
}

void explore_runs_free(explore_runs *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->v[i].output);
        free(rs->v[i].replay);
    }
    free(rs->v);
    *rs = (explore_runs){0};
}

void explore_describe(const explore_run *r, char *buf, size_t n)
{
    size_t len = 0;
    switch (r->end) {
    case EXPLORE_EXIT:
        len = (size_t)(r->code ? snprintf(buf, n, "exit status %d", r->code) : snprintf(buf, n, "ok"));
        break;
    case EXPLORE_SIGNAL: {
        const char *abbrev = sigabbrev_np(r->code); /* "SEGV": the same words on every machine */
        len = (size_t)snprintf(buf, n, "crashed (signal %d, SIG%s)", r->code, abbrev ? abbrev : "?");
        break;
    }
    case EXPLORE_TIME_LIMIT: len = (size_t)snprintf(buf, n, "hang: stopped at the virtual time limit"); break;
    default: len = (size_t)snprintf(buf, n, "hang: killed after %d s of real time", r->code); break;
    }
    if (r->check != EXPLORE_NO_CHECK && r->check != 0 && len < n)
        snprintf(buf + len, n - len, "; check failed (exit status %d)", r->check);
}

static bool failed(const explore_run *r)
{
    return r->end != EXPLORE_EXIT || r->code != 0 || (r->check != EXPLORE_NO_CHECK && r->check != 0);
}

static bool same(const explore_run *a, const explore_run *b)
{
    return a->end == b->end && a->code == b->code && a->check == b->check && a->output_len == b->output_len &&
           memcmp(a->output, b->output, a->output_len) == 0;
}

static uint64_t hash_of(const explore_run *r)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    int fields[3] = {r->end, r->code, r->check};
    const unsigned char *p = (const unsigned char *)fields;
    for (size_t i = 0; i < sizeof fields; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    for (size_t i = 0; i < r->output_len; i++) h = (h ^ (unsigned char)r->output[i]) * 0x100000001b3ULL;
    return h;
}

static int by_seed(const void *a, const void *b)
{
    uint64_t x = ((const explore_run *)a)->seed, y = ((const explore_run *)b)->seed;
    return x < y ? -1 : x > y;
}

typedef struct group {
    size_t first;  /* index of its first run (the smallest seed) */
    size_t count;
    uint64_t hash;
    long next;     /* the next group in the same hash bucket, -1: none */
} group;

static void print_output(FILE *out, const explore_run *r)
{
    if (!r->output_len) {
        fprintf(out, "    (no output)\n");
        return;
    }
    const char *p = r->output, *end = r->output + r->output_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        fprintf(out, "    %.*s\n", (int)n, p);
        p += n + (nl != NULL);
    }
    if (r->output[r->output_len - 1] != '\n') fprintf(out, "    (no newline at the end)\n");
    if (r->output_len >= EXPLORE_MAX_OUTPUT) fprintf(out, "    (output cut at %zu bytes)\n", EXPLORE_MAX_OUTPUT);
}

int explore_report(FILE *out, explore_runs *rs)
{
    qsort(rs->v, rs->n, sizeof *rs->v, by_seed);
    for (size_t i = 1; i < rs->n; i++)
        if (rs->v[i].seed == rs->v[i - 1].seed) {
            fprintf(stderr, "awaitlab explore: seed %llu was run twice (overlapping shards?)\n",
                    (unsigned long long)rs->v[i].seed);
            return -1;
        }
    size_t nb = 1024;
    while (nb < rs->n) nb *= 2;
    long *bucket = malloc(nb * sizeof *bucket);
    group *g = malloc((rs->n ? rs->n : 1) * sizeof *g);
    if (!bucket || !g) {
        free(bucket);
        free(g);
        fprintf(stderr, "awaitlab explore: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < nb; i++) bucket[i] = -1;
    size_t ng = 0;
    int rc = 0;
    for (size_t i = 0; i < rs->n; i++) {
        const explore_run *r = &rs->v[i];
        if (failed(r)) rc = 1;
        uint64_t h = hash_of(r);
        long k = bucket[h & (nb - 1)];
        while (k >= 0 && !(g[k].hash == h && same(&rs->v[g[k].first], r))) k = g[k].next;
        if (k >= 0) {
            g[k].count++;
            continue;
        }
        g[ng] = (group){i, 1, h, bucket[h & (nb - 1)]};
        bucket[h & (nb - 1)] = (long)ng++;
    }
    for (size_t k = 0; k < ng; k++) { /* created in seed order: already in the order of first seeds */
        const explore_run *r = &rs->v[g[k].first];
        char how[160];
        explore_describe(r, how, sizeof how);
        fprintf(out, "outcome %zu: %zu of %zu runs, first seed %llu: %s; replay: %s\n", k + 1, g[k].count, rs->n,
                (unsigned long long)r->seed, how, r->replay ? r->replay : "");
        print_output(out, r);
    }
    fprintf(out, "explore: %zu runs, %zu distinct outcomes\n", rs->n, ng); /* always this line: scripts read it */
    free(bucket);
    free(g);
    return rc;
}
