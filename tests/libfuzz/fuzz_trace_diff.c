/* fuzz_trace_diff.c — libFuzzer target: `awaitlab diff`'s comparison (viz/trace/trace_diff.h)
 * of two traces cut from one input.  The input is A, a line "=====", then B (no separator: B is
 * A, which must compare the same).  Both go to temporary files, since the diff reads paths. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_diff.h"

static char path_a[64], path_b[64];

static int put(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(p, 1, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(path_a, sizeof path_a, "/tmp/awaitlab-fuzz-diff-%d.a", (int)getpid());
    snprintf(path_b, sizeof path_b, "/tmp/awaitlab-fuzz-diff-%d.b", (int)getpid());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n=====\n";
    const uint8_t *cut = memmem(data, size, sep, sizeof sep - 1);
    size_t na = cut ? (size_t)(cut - data) + 1 : size; /* A keeps its last newline */
    const uint8_t *b = cut ? cut + sizeof sep - 1 : data;
    size_t nb = cut ? size - (size_t)(b - data) : size;
    if (put(path_a, data, na) || put(path_b, b, nb)) abort();
    int context = (int)(size % 5);
    int rc = aw_trace_diff_files(path_a, path_b, context, NULL);
    if (rc != AW_DIFF_SAME && rc != AW_DIFF_DIFFERENT && rc != AW_DIFF_ERROR) abort();
    /* a trace compared with itself is the same (or an error); the answer does not depend on
     * the order of the two (with the same context: a longer one may read on into an error) */
    if (!cut && rc == AW_DIFF_DIFFERENT) abort();
    if (cut && aw_trace_diff_files(path_b, path_a, context, NULL) != rc) abort();
    unlink(path_a);
    unlink(path_b);
    return 0;
}
