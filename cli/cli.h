/* cli.h — what the awaitlab command's files share. */
#ifndef AW_CLI_H
#define AW_CLI_H

#include <stdbool.h>

/* true if argv has --help or -h; subcommands print their usage and return 0 then. */
bool cli_wants_help(int argc, char **argv);

#endif
