/* cli.h — what the awaitlab command's files share. */
#ifndef AW_CLI_H
#define AW_CLI_H

#include <stdbool.h>

/* true if argv has --help or -h; subcommands print their usage and return 0 then. */
bool cli_wants_help(int argc, char **argv);

/* `--opt` or `--opt=value`: is argv entry `arg` the option `opt`? */
bool cli_opt_is(const char *arg, const char *opt);
/* The value of option `opt` at argv[*i] (`--opt=V`, or the next argument, consumed), or NULL
 * after "awaitlab CMD: --opt needs a value" on stderr. */
const char *cli_opt_value(const char *cmd, int argc, char **argv, int *i, const char *opt);

#endif
