/* cli_util.c — small helpers shared by the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
    return false;
}

bool cli_opt_is(const char *arg, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

const char *cli_opt_value(const char *cmd, int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (*i + 1 < argc) return argv[++*i];
    fprintf(stderr, "awaitlab %s: %s needs a value\n", cmd, opt);
    return NULL;
}
