/* test_trace_schema_doc.c — sim/trace-format.md, the schema for people, says exactly what
 * core/aw_trace_schema.h, the schema for programs, says: the same event kinds in the same order,
 * each with the same fields in the same order, the same header keys and the same optional tail.
 * The document's tables name each field in backticks (`handle`); quoted values (`"await"`) are
 * not fields. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_schema.h"

#define DOC "sim/trace-format.md"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s (run from the repository root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* The backticked names (not quoted values) of a table cell, comma-joined into out. */
static void names_in(const char *cell, size_t len, char *out, size_t size)
{
    out[0] = '\0';
    for (const char *p = cell; p < cell + len; p++) {
        if (*p != '`') continue;
        const char *q = memchr(p + 1, '`', (size_t)(cell + len - p - 1));
        if (!q) break;
        if (p[1] != '"') {
            size_t used = strlen(out);
            snprintf(out + used, size - used, "%s%.*s", used ? "," : "", (int)(q - p - 1), p + 1);
        }
        p = q;
    }
}

/* The cells of a table row "| a | b | c |": pointers and lengths of up to 3 cells. */
static int cells(const char *line, const char **c, size_t *n)
{
    int k = 0;
    const char *p = strchr(line, '|');
    while (p && k < 3) {
        const char *q = p + 1;
        while (*q && *q != '\n' && !(*q == '|' && q[-1] != '\\')) q++;
        if (*q != '|') break;
        c[k] = p + 1;
        n[k] = (size_t)(q - p - 1);
        k++;
        p = q;
    }
    return k;
}

static void fields_of(const aw_trace_field *f, size_t n, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", i ? "," : "", f[i].key);
    }
}

START_TEST(event_table_matches_the_schema)
{
    char *doc = slurp(DOC);
    int kind = 0;
    for (char *line = doc; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *eol = strchr(line, '\n'), *kind_col = strstr(line, "| AW_EV_");
        if (strncmp(line, "| `", 3) != 0 || !kind_col || (eol && kind_col > eol)) continue;
        const char *c[3];
        size_t n[3];
        ck_assert_int_eq(cells(line, c, n), 3);
        char name[64], want[512], got[512];
        names_in(c[0], n[0], name, sizeof name);
        ck_assert_msg(kind < AW_TK__COUNT, "%s lists more kinds than the schema (%s)", DOC, name);
        ck_assert_msg(!strcmp(name, aw_trace_kinds[kind].name), "%s: kind %d is '%s', the schema says '%s'", DOC,
                      kind, name, aw_trace_kinds[kind].name);
        names_in(c[2], n[2], got, sizeof got);
        fields_of(aw_trace_kinds[kind].fields, aw_trace_kinds[kind].n_fields, want, sizeof want);
        ck_assert_msg(!strcmp(got, want), "%s: '%s' lists fields [%s], the schema [%s]", DOC, name, got, want);
        kind++;
    }
    ck_assert_msg(kind == AW_TK__COUNT, "%s lists %d kinds, the schema %d", DOC, kind, AW_TK__COUNT);
    free(doc);
}
END_TEST

/* Rows "| `key` | type | meaning |" of the table after `heading`, up to the next blank line. */
static void keys_after(const char *doc, const char *heading, char *out, size_t size)
{
    const char *p = strstr(doc, heading);
    ck_assert_msg(p != NULL, "%s: no '%s'", DOC, heading);
    p = strstr(p, "| key |");
    ck_assert_ptr_nonnull(p);
    out[0] = '\0';
    for (p = strchr(p, '\n') + 1; *p == '|'; p = strchr(p, '\n') + 1) {
        if (strncmp(p, "| `", 3) != 0) continue;
        const char *c[3];
        size_t n[3];
        cells(p, c, n);
        char name[64];
        names_in(c[0], n[0], name, sizeof name);
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", used ? "," : "", name);
    }
}

START_TEST(header_and_common_keys_match_the_schema)
{
    char *doc = slurp(DOC);
    char got[512], want[512];
    keys_after(doc, "## Header (line 1)", got, sizeof got);
    fields_of(aw_trace_header_fields, aw_trace_n_header_fields, want, sizeof want);
    ck_assert_str_eq(got, want);
    keys_after(doc, "Every event starts with the same four keys", got, sizeof got);
    fields_of(aw_trace_common_fields, 4, want, sizeof want);
    ck_assert_str_eq(got, want);
    keys_after(doc, "optionally, the\nexact times and where in the program the event comes from", got, sizeof got);
    fields_of(aw_trace_tail_fields, 3, want, sizeof want);
    ck_assert_str_eq(got, want);
    free(doc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace_schema_doc");
    TCase *tc = tcase_create("doc");
    tcase_add_test(tc, event_table_matches_the_schema);
    tcase_add_test(tc, header_and_common_keys_match_the_schema);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
