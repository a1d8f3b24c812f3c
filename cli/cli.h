/* cli.h — what the awaitlab command's files share: one table-driven option parser, used by
 * every subcommand, so that `--opt V`, `--opt=V`, `--`, `-` (standard input), --help and the
 * messages for a missing or bad value are the same everywhere.
 *
 *     bool plain = false;
 *     const cli_option opts[] = {
 *         {"--plain", NULL, CLI_FLAG, NULL, &plain},
 *         CLI_MAX_LINE_OPTION(&limits),
 *     };
 *     const char *pos[2]; int npos;
 *     switch (cli_parse("tui", argc, argv, opts, CLI_COUNT(opts), pos, 2, &npos)) { ... }
 */
#ifndef AW_CLI_H
#define AW_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_read.h"

typedef enum cli_option_type {
    CLI_FLAG,   /* bool *: set to true */
    CLI_TEXT,   /* const char **: a non-empty value */
    CLI_U64,    /* uint64_t *: 0 .. 2^64-1, digits only (sim/decimal.h), e.g. --seed */
    CLI_INT,    /* long long *: min .. max */
    CLI_BYTES,  /* size_t *: a byte count >= 1, with an optional K, M or G suffix (KiB, MiB, GiB) */
    CLI_REAL    /* double *: a plain decimal number (1.5, 2e-3; no hex, inf or nan) in min .. max */
} cli_option_type;

typedef struct cli_option {
    const char *name;       /* "--seed" */
    const char *alias;      /* "-C", or NULL */
    cli_option_type type;
    const char *arg;        /* the value in option lists: "N", "FILE"; NULL for flags */
    void *out;
    const char *need;       /* the value in messages: "--trace needs a file name"; NULL: "a value" */
    long long min, max;     /* CLI_INT, CLI_REAL */
    bool *given;            /* may be NULL: set when the option appears (a default vs. an override) */
} cli_option;

/* At most this many arguments that are not options; commands check their own counts. */
#define CLI_MAX_POS 64

#define CLI_COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* Every command that reads traces takes --max-line BYTES (trace_read.h: aw_trace_limits). */
#define CLI_MAX_LINE_OPTION(limits) \
    {"--max-line", NULL, CLI_BYTES, "BYTES", &(limits)->max_line, "a number of bytes", 0, 0}

enum { CLI_OK = 0, CLI_HELP = -1, CLI_USAGE = 2 };

/* Parses argv[1..] against `opts`; arguments that are not options go to pos (room for max_pos;
 * more is an error naming the extra one).  Returns CLI_OK, CLI_HELP (--help or -h: the caller
 * prints its usage and exits 0) or CLI_USAGE after "awaitlab CMD: ..." on stderr. */
int cli_parse(const char *cmd, int argc, char **argv, const cli_option *opts, size_t nopts, const char **pos,
              int max_pos, int *npos);

/* "--plain, --seed N, --help": the valid options, for messages. */
void cli_option_list(const cli_option *opts, size_t nopts, char *buf, size_t n);

/* Exit status of a command whose standard output could not be written (main.c checks). */
#define CLI_EXIT_OUTPUT_LOST 9

#endif
