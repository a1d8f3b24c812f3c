/* trace_fmt.c — see trace_fmt.h. */
#include "trace_fmt.h"

#include <float.h>
#include <inttypes.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_text_check.h"
#include "text_escape.h"

char *aw_trace_format_ns(int64_t ns, char *buf, size_t size)
{
    uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    char frac[16];
    snprintf(frac, sizeof frac, "%09" PRIu64, mag % 1000000000u);
    size_t n = strlen(frac);
    while (n > 3 && frac[n - 1] == '0') frac[--n] = '\0';
    snprintf(buf, size, "%s%" PRIu64 ".%ss", ns < 0 ? "-" : "", mag / 1000000000u, frac);
    return buf;
}

char *aw_trace_format_seconds(double s, char *buf, size_t size)
{
    char tmp[40];
    int digits = 1;
    if (!isfinite(s)) {
        snprintf(buf, size, "%ss", isnan(s) ? "nan" : s < 0 ? "-inf" : "inf");
        return buf;
    }
    /* The shortest digits that read back as s.  A double has 15.95 digits, so when any k <= 15
     * digits read back, the correctly rounded 15 digits are those k digits padded with zeros:
     * one try at 15 (trailing zeros dropped) stands for the tries at 1..15, then 16, then 17.
     * Subnormals have fewer digits: they try every count. */
    bool subnormal = s != 0 && fabs(s) < DBL_MIN;
    for (digits = subnormal ? 1 : 15; digits < 17; digits++) {
        snprintf(tmp, sizeof tmp, "%.*e", digits - 1, s);
        if (strtod(tmp, NULL) == s) break;
    }
    snprintf(tmp, sizeof tmp, "%.*e", digits - 1, s);
    if (digits == 15 && !subnormal) { /* "1.50000000000000e+00": 2 digits */
        const char *e = strchr(tmp, 'e');
        while (digits > 1 && e[-1] == '0') e--, digits--;
        snprintf(tmp, sizeof tmp, "%.*e", digits - 1, s);
    }
    int exp10 = atoi(strchr(tmp, 'e') + 1);
    if (exp10 >= -4 && exp10 < 16) {
        int decimals = digits - 1 - exp10;
        snprintf(buf, size, "%.*fs", decimals < 1 ? 1 : decimals, s);
    } else {
        snprintf(buf, size, "%ss", tmp);
    }
    return buf;
}

/* Appends to buf at *used, never past size. */
static void add(char *buf, size_t size, size_t *used, const char *s)
{
    size_t n = strlen(s);
    if (*used + 1 >= size) return;
    if (n > size - 1 - *used) n = aw_utf8_prefix(s, size - 1 - *used); /* never half a character */
    memcpy(buf + *used, s, n);
    *used += n;
    buf[*used] = '\0';
}

static long long int_of(const cJSON *ev, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, key);
    /* the cast is defined only inside long long's range */
    return cJSON_IsNumber(v) && v->valuedouble > -9.2e18 && v->valuedouble < 9.2e18 ? (long long)v->valuedouble : 0;
}

char *aw_trace_format_event(const cJSON *ev, char *buf, size_t size)
{
    size_t used = 0;
    char tmp[64];
    if (size == 0) return buf;
    buf[0] = '\0';
    snprintf(tmp, sizeof tmp, "#%lld iter %lld t=", int_of(ev, "seq"), int_of(ev, "iter"));
    add(buf, size, &used, tmp);
    add(buf, size, &used, aw_trace_format_ns(int_of(ev, "t_ns"), tmp, sizeof tmp));
    add(buf, size, &used, " ");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(ev, "ev");
    add(buf, size, &used, cJSON_IsString(kind) ? aw_text_escape(kind->valuestring, tmp, sizeof tmp) : "?");
    for (const cJSON *c = ev->child; c; c = c->next) {
        if (!c->string || !strcmp(c->string, "seq") || !strcmp(c->string, "iter") ||
            !strcmp(c->string, "t_ns") || !strcmp(c->string, "ev") || cJSON_IsNull(c))
            continue;
        add(buf, size, &used, " ");
        add(buf, size, &used, c->string);
        add(buf, size, &used, "=");
        char *val = cJSON_PrintUnformatted(c); /* exact numbers aside, JSON is the clearest form */
        if (cJSON_IsNumber(c) && c->valuedouble > -9.2e18 && c->valuedouble < 9.2e18 &&
            c->valuedouble == (double)(long long)c->valuedouble) {
            snprintf(tmp, sizeof tmp, "%lld", (long long)c->valuedouble);
            add(buf, size, &used, tmp);
        } else {
            /* JSON escapes C0 controls but not DEL or C1 (0x9b is CSI): escape what is left */
            char shown[1024];
            add(buf, size, &used, val ? aw_text_escape(val, shown, sizeof shown) : "?");
        }
        free(val);
    }
    return buf;
}
