/* cmd_view.c — `awaitlab view TRACE|NAME [--at WHERE] [--size WxH] [--scale F] [--quiz]
 * [--screenshot FILE.png] [--layout-json FILE] [--bench N]`: the graphical timeline (viz/sdl/)
 * of a trace file, or of a lesson run on the simulated clock first, with the lesson's source,
 * output and narrative beside it.  With --screenshot it renders one frame with no display and
 * exits: how the viewer is tested and how the README gets its pictures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_open.h"
#include "cli_where.h"
#include "sdl_view.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab view TRACE|NAME [--at WHERE] [--axis time|step] [--size WxH]\n"
               "                    [--scale F] [--quiz] [--screenshot FILE.png] [--layout-json FILE]\n"
               "                    [--bench N]\n"
               "Opens a window with one lane per task, arrows from each cause to what it wakes,\n"
               "the program's source with each task's line, the output in the tasks' colours, the\n"
               "loop's state (ready queue, timers, await stack), the lesson's narrative and the\n"
               "current event in words.  NAME is a lesson (see `awaitlab list`), run on the\n"
               "simulated clock first; TRACE is a trace file (sim/trace-format.md).\n"
               "  --at WHERE          start at a step: N (0..events), 'end', or output:K (the step\n"
               "                      that prints the K-th output line); default: 0 in a window,\n"
               "                      the end in a screenshot\n"
               "  --axis time|step    lanes over steps (default when most steps bunch up at a few\n"
               "                      instants, as in every lesson) or virtual time (key: a)\n"
               "  --size WxH          window or image size (default 1280x720)\n"
               "  --scale F           text size, times the window's own (0.5..4; ctrl+plus/minus)\n"
               "  --quiz              predict the loop: before each step whose outcome follows from\n"
               "                      the state, ask; hide the future; score the answers\n"
               "  --screenshot FILE   render one frame to a PNG with no display, and exit\n"
               "  --layout-json FILE  with --screenshot: also write where the lanes, their runs\n"
               "                      of each state, the marks and the playhead were drawn\n"
               "  --bench N           draw N frames while seeking and zooming, print frame times\n"
               "  --max-line BYTES    refuse a trace line longer than this (default 16M)\n"
               "keys: arrows/hjkl/np step, ] [ iteration, o next output, space play, + - speed,\n"
               "      g G start/end, x unfold asyncio.run's shutdown, ctrl+plus/minus text size,\n"
               "      1-8 answer the quiz, ? help, q quit; mouse: click seeks, wheel zooms, drag pans\n"
               "environment: AWAITLAB_FONT=FILE.ttf (default: DejaVu fonts from fonts-dejavu-core)\n"
               "exit: 0 ok, 1 invalid trace, 2 usage, unknown lesson or unreadable file,\n"
               "      5 unsupported trace version, 6 font missing, 7 no display or SDL failure,\n"
               "      8 cannot write the image\n");
    return rc;
}

static bool parse_int(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno == ERANGE || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static bool parse_size(const char *s, int *w, int *h)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    char *x = strchr(buf, 'x');
    long long a, b;
    if (!x) return false;
    *x = '\0';
    if (!parse_int(buf, 320, 8192, &a) || !parse_int(x + 1, 240, 8192, &b)) return false;
    *w = (int)a, *h = (int)b;
    return true;
}

int cmd_view(int argc, char **argv)
{
    const char *at_arg = NULL, *axis = NULL, *size = NULL, *scale = NULL;
    long long bench = 0;
    aw_view_options o = {0};
    aw_trace_limits limits = {0};
    const cli_option opts[] = {
        {"--at", NULL, CLI_TEXT, "WHERE", &at_arg, "a step (a number, end, or output:K)"},
        {"--axis", NULL, CLI_TEXT, "time|step", &axis, "a value (time or step)"},
        {"--size", NULL, CLI_TEXT, "WxH", &size, "a size (WxH)"},
        {"--scale", NULL, CLI_TEXT, "F", &scale, "a scale (0.5 to 4)"},
        {"--quiz", NULL, CLI_FLAG, NULL, &o.quiz},
        {"--screenshot", NULL, CLI_TEXT, "FILE", &o.screenshot, "a value (a PNG file name)"},
        {"--layout-json", NULL, CLI_TEXT, "FILE", &o.layout_json, "a value (a file name)"},
        {"--bench", NULL, CLI_INT, "N", &bench, "a number of frames", 1, 100000},
        CLI_MAX_LINE_OPTION(&limits),
    };
    const char *pos[CLI_MAX_POS];
    int npos, prc = cli_parse("view", argc, argv, opts, CLI_COUNT(opts), pos, CLI_MAX_POS, &npos);
    if (prc == CLI_HELP) return usage(stdout, 0);
    if (prc) return prc;
    if (npos > 1) {
        fprintf(stderr, "awaitlab view: one trace or lesson at a time ('%s' and '%s')\n", pos[0], pos[1]);
        return 2;
    }
    const char *what = npos ? pos[0] : NULL;
    o.bench_frames = (int)bench;
    if (axis) {
        if (strcmp(axis, "time") == 0) o.axis = AW_VIEW_AXIS_TIME;
        else if (strcmp(axis, "step") == 0) o.axis = AW_VIEW_AXIS_STEP;
        else {
            fprintf(stderr, "awaitlab view: --axis: expected 'time' or 'step', got '%s'\n", axis);
            return 2;
        }
    }
    if (size && !parse_size(size, &o.width, &o.height)) {
        fprintf(stderr, "awaitlab view: --size: expected WxH (320..8192 x 240..8192), got '%s'\n", size);
        return 2;
    }
    if (scale) {
        char *end;
        errno = 0;
        double f = strtod(scale, &end);
        if (*end || errno || !(f >= 0.5 && f <= 4)) {
            fprintf(stderr, "awaitlab view: --scale: expected a number from 0.5 to 4, got '%s'\n", scale);
            return 2;
        }
        o.scale = f;
    }
    if (!what) {
        fprintf(stderr, "awaitlab view: which trace or lesson? (see `awaitlab view --help`)\n");
        return 2;
    }
    if (o.layout_json && !o.screenshot) {
        fprintf(stderr, "awaitlab view: --layout-json goes with --screenshot\n");
        return 2;
    }
    cli_opened op;
    int rc = cli_open_model("view", what, &limits, &op);
    if (rc) return rc;

    o.at = -1;
    if (at_arg && cli_parse_where("view", op.model, at_arg, &o.at)) {
        aw_model_free(op.model);
        return 2;
    }
    aw_view_source src = {0};
    src.code = aw_model_source(op.model); /* the program the trace ran, as the trace carries it */
    src.code_name = aw_model_source_file(op.model);
    if (op.lesson) {
        src.title = op.lesson->name;
        if (!src.code) src.code = aw_lesson_python(op.lesson);
        src.code_name = *op.lesson->program_py ? "program.py (the document's example, completed: see # added)"
                                               : "example.py (the document's example)";
        src.code_file = op.lesson->c_file;
        src.c_line_of = cli_lesson_c_line;
        src.ud = op.lesson;
        src.c_code = op.lesson->c_port;
        src.narrative = op.lesson->narrative;
    }
    rc = aw_view_run(op.model, &src, &o);
    aw_model_free(op.model);
    return rc;
}
