/* cli_parse.c — see cli.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decimal.h"

/* The option `arg` names ("--opt" or "--opt=value"), or NULL. */
static const cli_option *find(const cli_option *opts, size_t nopts, const char *arg, const char **inline_value)
{
    const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    for (size_t i = 0; i < nopts; i++) {
        const char *names[2] = {opts[i].name, opts[i].alias};
        for (int j = 0; j < 2; j++)
            if (names[j] && strlen(names[j]) == n && strncmp(arg, names[j], n) == 0) {
                *inline_value = eq ? eq + 1 : NULL;
                return &opts[i];
            }
    }
    return NULL;
}

static bool parse_bytes(const char *s, size_t *out)
{
    uint64_t v;
    char digits[32];
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n >= sizeof digits) return false;
    memcpy(digits, s, n);
    digits[n] = '\0';
    if (!aw_parse_u64(digits, &v) || v == 0) return false;
    const char *suffix = s + n;
    int shift = !*suffix ? 0 : !strcmp(suffix, "K") || !strcmp(suffix, "k") ? 10 : !strcmp(suffix, "M") ? 20
              : !strcmp(suffix, "G") ? 30 : -1;
    if (shift < 0 || v > (SIZE_MAX >> shift)) return false;
    *out = (size_t)v << shift;
    return true;
}

static int set_value(const char *cmd, const cli_option *o, const char *v)
{
    switch (o->type) {
    case CLI_FLAG: *(bool *)o->out = true; return CLI_OK;
    case CLI_TEXT:
        if (!*v) {
            fprintf(stderr, "awaitlab %s: %s needs %s\n", cmd, o->name, o->need ? o->need : "a value");
            return CLI_USAGE;
        }
        *(const char **)o->out = v;
        return CLI_OK;
    case CLI_U64:
        if (!aw_parse_u64(v, (uint64_t *)o->out)) {
            fprintf(stderr, "awaitlab %s: %s: expected " AW_U64_EXPECTED ", got '%s'\n", cmd, o->name, v);
            return CLI_USAGE;
        }
        return CLI_OK;
    case CLI_INT: {
        char *end;
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (!*v || *end || errno == ERANGE || x < o->min || x > o->max || (*v != '-' && (*v < '0' || *v > '9'))) {
            fprintf(stderr, "awaitlab %s: %s: expected %s (%lld..%lld), got '%s'\n", cmd, o->name,
                    o->need ? o->need : "a number", o->min, o->max, v);
            return CLI_USAGE;
        }
        *(long long *)o->out = x;
        return CLI_OK;
    }
    case CLI_REAL: {
        char *end;
        errno = 0;
        double x = strtod(v, &end);
        if (!*v || *end || errno == ERANGE || strspn(v, "0123456789.eE+-") != strlen(v) || !(x >= (double)o->min) ||
            !(x <= (double)o->max)) {
            fprintf(stderr, "awaitlab %s: %s: expected %s (%lld..%lld), got '%s'\n", cmd, o->name,
                    o->need ? o->need : "a number", o->min, o->max, v);
            return CLI_USAGE;
        }
        *(double *)o->out = x;
        return CLI_OK;
    }
    case CLI_BYTES:
        if (!parse_bytes(v, (size_t *)o->out)) {
            fprintf(stderr, "awaitlab %s: %s: expected a number of bytes (1 or more, optionally with K, M or G), "
                            "got '%s'\n", cmd, o->name, v);
            return CLI_USAGE;
        }
        return CLI_OK;
    }
    return CLI_USAGE;
}

void cli_option_list(const cli_option *opts, size_t nopts, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nopts && used < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s%s", opts[i].name, opts[i].type == CLI_FLAG ? "" : " ",
                         opts[i].type == CLI_FLAG ? "" : opts[i].arg);
        if (w > 0) used += (size_t)w;
        if (used < n) used += (size_t)snprintf(buf + used, n - used, ", ");
    }
    if (used < n) snprintf(buf + used, n - used, "--help");
}

int cli_parse(const char *cmd, int argc, char **argv, const cli_option *opts, size_t nopts, const char **pos,
              int max_pos, int *npos)
{
    *npos = 0;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && (!strcmp(a, "--help") || !strcmp(a, "-h"))) return CLI_HELP;
        if (!options_done && !strcmp(a, "--")) {
            options_done = true;
            continue;
        }
        if (options_done || a[0] != '-' || a[1] == '\0') { /* "-" is standard input */
            if (*npos >= max_pos) {
                if (max_pos == 0) fprintf(stderr, "awaitlab %s: unexpected argument '%s'; %s takes none\n", cmd, a, cmd);
                else fprintf(stderr, "awaitlab %s: too many arguments ('%s'); see `awaitlab %s --help`\n", cmd, a, cmd);
                return CLI_USAGE;
            }
            pos[(*npos)++] = a;
            continue;
        }
        const char *inline_value;
        const cli_option *o = find(opts, nopts, a, &inline_value);
        if (!o) {
            char list[512];
            cli_option_list(opts, nopts, list, sizeof list);
            fprintf(stderr, "awaitlab %s: unknown option '%s'; valid options: %s\n", cmd, a, list);
            return CLI_USAGE;
        }
        const char *v = inline_value;
        if (o->type == CLI_FLAG) {
            if (v) {
                fprintf(stderr, "awaitlab %s: %s takes no value\n", cmd, o->name);
                return CLI_USAGE;
            }
        } else if (!v) {
            if (i + 1 >= argc) { /* named as typed: -o or --output */
                fprintf(stderr, "awaitlab %s: %s needs %s\n", cmd, a, o->need ? o->need : "a value");
                return CLI_USAGE;
            }
            v = argv[++i];
        }
        int rc = set_value(cmd, o, v);
        if (rc != CLI_OK) return rc;
        if (o->given) *o->given = true;
    }
    return CLI_OK;
}
