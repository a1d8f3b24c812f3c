/* cmd_export.c — `awaitlab export TRACE|NAME --format chrome [--axis logical|time] [-o FILE]`: a trace file, or a
 * lesson run on the simulated clock first, converted for other tools.  One format so far:
 * Chrome's trace event JSON (viz/export/export_chrome.h), which Perfetto and chrome://tracing open. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "safe_file.h"
#include "cli_open.h"
#include "export_chrome.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab export TRACE|NAME --format chrome [--axis logical|time] [-o FILE]\n"
               "                      [--max-line BYTES]\n"
               "Converts a trace for other tools.  NAME is a lesson (see `awaitlab list`), run on\n"
               "the simulated clock first; TRACE is a trace file (sim/trace-format.md).\n"
               "  --format chrome  Chrome's trace event JSON, for https://ui.perfetto.dev and\n"
               "                   chrome://tracing: one thread per task, each step a slice named\n"
               "                   by its coroutine and line (cat run), CPU-bound work (busy),\n"
               "                   waits (wait), who woke whom as flow arrows (wake), output\n"
               "                   lines and cancel / timeout marks as instant events\n"
               "  --axis logical|time\n"
               "                   logical: one microsecond per trace event, so that steps at one\n"
               "                   instant of virtual time have a width; time: virtual time.  The\n"
               "                   default is logical when most steps take no virtual time, else\n"
               "                   time; otherData.axis says which\n"
               "  -o FILE          write to FILE (default, or '-': standard output); an existing\n"
               "                   FILE keeps its permissions, a symlink's target is replaced\n"
               "  --max-line BYTES refuse a trace line longer than this (default 16M)\n"
               "exit: 0 ok, 1 invalid trace, 2 usage, unknown lesson or unreadable file,\n"
               "      3 cannot write FILE, 5 unsupported trace version, 9 cannot write standard output\n");
    return rc;
}

int cmd_export(int argc, char **argv)
{
    const char *format = NULL, *path = NULL, *axis_arg = NULL;
    aw_trace_limits limits = {0};
    const cli_option opts[] = {
        {"--format", NULL, CLI_TEXT, "chrome", &format, "a format (chrome)"},
        {"--axis", NULL, CLI_TEXT, "logical|time", &axis_arg, "a value (logical or time)"},
        {"--output", "-o", CLI_TEXT, "FILE", &path, "a value (a file name, or - for standard output)"},
        CLI_MAX_LINE_OPTION(&limits),
    };
    const char *pos[CLI_MAX_POS];
    int npos, prc = cli_parse("export", argc, argv, opts, CLI_COUNT(opts), pos, CLI_MAX_POS, &npos);
    if (prc == CLI_HELP) return usage(stdout, 0);
    if (prc) return prc;
    if (npos > 1) {
        fprintf(stderr, "awaitlab export: one trace or lesson at a time ('%s' and '%s')\n", pos[0], pos[1]);
        return 2;
    }
    const char *what = npos ? pos[0] : NULL;
    if (!what) {
        fprintf(stderr, "awaitlab export: which trace or lesson? (see `awaitlab export --help`)\n");
        return 2;
    }
    if (!format) {
        fprintf(stderr, "awaitlab export: which format? --format chrome (the only one so far)\n");
        return 2;
    }
    if (strcmp(format, "chrome") != 0) {
        fprintf(stderr, "awaitlab export: --format: unknown format '%s'; valid formats: chrome\n", format);
        return 2;
    }
    aw_export_axis axis = AW_EXPORT_AXIS_AUTO;
    if (axis_arg) {
        if (strcmp(axis_arg, "logical") == 0) axis = AW_EXPORT_AXIS_LOGICAL;
        else if (strcmp(axis_arg, "time") == 0) axis = AW_EXPORT_AXIS_TIME;
        else {
            fprintf(stderr, "awaitlab export: --axis: expected 'logical' or 'time', got '%s'\n", axis_arg);
            return 2;
        }
    }
    cli_opened op;
    int rc = cli_open_model("export", what, &limits, &op);
    if (rc) return rc;

    bool to_stdout = !path || strcmp(path, "-") == 0;
    aw_safe_file sf = {0};
    if (!to_stdout && !aw_safe_open(&sf, path)) {
        fprintf(stderr, "awaitlab export: cannot write %s: %s\n", path, strerror(errno));
        aw_model_free(op.model);
        return 3;
    }
    int err = aw_export_chrome_axis(op.model, axis, to_stdout ? stdout : sf.f);
    int saved = errno;
    aw_model_free(op.model);
    if (err) {
        if (!to_stdout) aw_safe_abort(&sf); /* an existing file keeps its old content */
    } else if (!to_stdout && !aw_safe_commit(&sf)) {
        err = -1;
        saved = errno;
    } /* standard output is checked once for every command, in main.c */
    if (err && !(to_stdout && ferror(stdout))) {
        fprintf(stderr, "awaitlab export: cannot write %s: %s\n", to_stdout ? "the output" : path,
                saved ? strerror(saved) : "out of memory");
        return 3;
    }
    return 0;
}
