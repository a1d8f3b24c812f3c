/* cli_util.c — small helpers shared by the subcommands. */
#include <string.h>

#include "cli.h"

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
    return false;
}
