/* cmd_list.c — `awaitlab list`: the lessons, one line each (name and summary), in teaching order. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lessons.h"

static int usage(FILE *f, int rc)
{
    fprintf(f, "usage: awaitlab list\n"
               "Lists the lessons, one line each: its name (for run, show, step, view) and what it\n"
               "teaches.\n");
    return rc;
}

int cmd_list(int argc, char **argv)
{
    const char *pos[1];
    int npos;
    int rc = cli_parse("list", argc, argv, NULL, 0, pos, 0, &npos);
    if (rc == CLI_HELP) return usage(stdout, 0);
    if (rc) return rc;
    int width = 0;
    for (size_t i = 0; i < aw_lesson_count(); i++) {
        int n = (int)strlen(aw_lesson_at(i)->name);
        if (n > width) width = n;
    }
    for (size_t i = 0; i < aw_lesson_count(); i++) {
        const aw_lesson *l = aw_lesson_at(i);
        printf("%-*s  %s\n", width, l->name, l->summary);
    }
    return 0;
}
