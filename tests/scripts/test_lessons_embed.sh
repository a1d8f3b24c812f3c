#!/bin/sh
# lessons/embed.sh: the generated table carries every file byte for byte (quotes, backslashes,
# "??=" that -std=c11 would read as a trigraph, tabs, UTF-8, a last line without a newline, an
# empty file), the py:N line map, and the list order (the issue's order, then other folders).
#   tests/scripts/test_lessons_embed.sh [BUILD]
BUILD=${1:-${AWAITLAB_BUILD:-build}}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CC=${CC:-cc}

mkdir -p "$T/lessons/zz-extra" "$T/lessons/tutorial-future" "$T/lessons/no-port"
L="$T/lessons/zz-extra"
printf 'print("a \\\\ b")\t# tab, "quotes", ??= ??/ ??( and caf\303\251\n\nlast line without newline' > "$L/example.py"
printf 'src\n' > "$L/source.txt"
: > "$L/narrative.md"
cat > "$L/lesson.c" <<'C'
/* a lesson for the test */
AW_COROUTINE(main) {          /* py:1 */
    return aw_none();
}                             /* py:3 */
AW_LESSON(zz_extra, "extra", 0, main);
C
cp "$L/source.txt" "$L/narrative.md" "$T/lessons/tutorial-future/"
printf 'x\n' > "$T/lessons/tutorial-future/example.py"
printf 'AW_LESSON(tutorial_future, "tf", 0, main);\n' > "$T/lessons/tutorial-future/lesson.c"
printf 'not a lesson: no lesson.c\n' > "$T/lessons/no-port/example.py"

sh lessons/embed.sh "$T/lessons" > "$T/gen.c" 2> "$T/gen.err" || { cat "$T/gen.err"; exit 1; }
cat > "$T/main.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "registry.h"
static aw_coro *none(void) { return NULL; }
const aw_lesson_def lesson_zz_extra_def = {.summary = "extra", .make_main = none};
const aw_lesson_def lesson_tutorial_future_def = {.summary = "tf", .make_main = none};
int main(int argc, char **argv)
{
    (void)argc;
    FILE *f = fopen(argv[1], "wb");
    fputs(aw__lesson_entries[1].example_py, f);
    fclose(f);
    const aw_lesson_entry *e = &aw__lesson_entries[1];
    printf("%zu %s %s [%s] %s", aw__lesson_entry_count, aw__lesson_entries[0].name, e->name,
           e->narrative, e->c_file);
    for (size_t i = 0; i < e->line_map_len; i++) printf(" %d:%d", e->line_map[i].c_line, e->line_map[i].py_line);
    printf("\n");
    return 0;
}
C
$CC -std=c11 -Wall -Wextra -Werror -Icore -Ilessons -o "$T/prog" "$T/main.c" "$T/gen.c" || exit 1
got=$("$T/prog" "$T/example.out")
want="2 tutorial-future zz-extra [] $T/lessons/zz-extra/lesson.c 2:1 4:3"
[ "$got" = "$want" ] || { echo "FAIL: got '$got', want '$want'"; exit 1; }
cmp "$L/example.py" "$T/example.out" || { echo "FAIL: example.py did not survive embedding"; exit 1; }
exit 0
