/* cmd_show.c — `awaitlab show NAME`: a lesson's document example (numbered, as the py:N tags of
 * the C port count its lines), where it comes from, the C port and the narrative. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_lessons.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab show NAME\n"
               "Prints a lesson (see `awaitlab list`): the document's Python example with its line\n"
               "numbers and source, the C port (its /* py:N */ comments name the Python line each C\n"
               "line ports), and the narrative of what happens and why.\n");
    return rc;
}

static void heading(const char *title, const char *detail)
{
    printf("\n== %s%s%s ==\n\n", title, detail ? " " : "", detail ? detail : "");
}

/* Text that ends without a newline gets one, so the next heading starts on its own line. */
static void put_text(const char *s)
{
    fputs(s, stdout);
    size_t n = strlen(s);
    if (n && s[n - 1] != '\n') putchar('\n');
}

static void put_numbered(const char *s)
{
    int line = 1;
    while (*s) {
        const char *nl = strchr(s, '\n');
        int len = nl ? (int)(nl - s) : (int)strlen(s);
        if (len)
            printf("%4d  %.*s\n", line++, len, s);
        else
            printf("%4d\n", line++); /* no trailing blanks */
        s += len + (nl ? 1 : 0);
    }
}

int cmd_show(int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    int npos;
    int rc = cli_parse("show", argc, argv, NULL, 0, pos, CLI_MAX_POS, &npos);
    if (rc == CLI_HELP) return usage(stdout, 0);
    if (rc) return rc;
    if (npos != 1) {
        if (npos > 1) {
            fprintf(stderr, "awaitlab show: one lesson at a time ('%s' and '%s')\n", pos[0], pos[1]);
        } else {
            fprintf(stderr, "awaitlab show: which lesson? valid lessons: ");
            cli_lesson_names(stderr);
            fprintf(stderr, "\n");
        }
        return 2;
    }
    const aw_lesson *l = cli_lesson_find("show", pos[0]);
    if (!l) return 2;
    printf("%s: %s\n", l->name, l->summary);
    heading("The document's example", "(example.py)");
    put_numbered(l->example_py);
    printf("\nSource: ");
    put_text(l->source);
    heading("The C port", l->c_file);
    put_text(l->c_port);
    heading("What happens, and why", "(narrative.md)");
    put_text(l->narrative);
    return 0;
}
