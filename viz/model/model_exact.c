/* model_exact.c — see model_exact.h. */
#include "model_exact.h"

#include <string.h>

#include "trace_fmt.h"

/* Python's repr of s (aw_trace_format_seconds without its "s"); its length, 0 if it does not fit
 * in out[0..size). */
static size_t repr(mexact_cache *cache, double s, char *out, size_t size)
{
    uint64_t bits;
    memcpy(&bits, &s, sizeof bits);
    mexact_entry *e = cache ? &cache->e[(bits ^ bits >> 29 ^ bits >> 47) % MEXACT_CACHE] : NULL;
    if (!e || e->len == 0 || e->bits != bits) {
        char num[48];
        aw_trace_format_seconds(s, num, sizeof num);
        size_t k = strlen(num);
        if (k && num[k - 1] == 's') num[--k] = '\0'; /* "0.30000000000000004s" */
        if (k >= size) return 0;
        memcpy(out, num, k + 1);
        if (e && k < sizeof e->text) {
            e->bits = bits;
            e->len = (uint8_t)k;
            memcpy(e->text, num, k + 1);
        }
        return k;
    }
    if (e->len >= size) return 0;
    memcpy(out, e->text, (size_t)e->len + 1);
    return e->len;
}

/* Appends src[0..n) at buf + *len, keeping room for the NUL.  false: no room. */
static bool put(char *buf, size_t size, size_t *len, const char *src, size_t n)
{
    if (n >= size - *len) return false;
    memcpy(buf + *len, src, n);
    *len += n;
    buf[*len] = '\0';
    return true;
}

bool aw__exact_text(mexact_cache *cache, const aw_trace_value *v, char *buf, size_t size)
{
    size_t len = 0;
    if (!size) return false;
    buf[0] = '\0';
    if (!put(buf, size, &len, "{", 1)) return false;
    for (size_t i = 0; i < (size_t)v->i; i++) {
        const char *key = v->exact[i].key;
        char num[48];
        size_t k = repr(cache, v->exact[i].seconds, num, sizeof num);
        if (!k || (i && !put(buf, size, &len, ",", 1)) || !put(buf, size, &len, "\"", 1) ||
            !put(buf, size, &len, key, strlen(key)) || !put(buf, size, &len, "\":", 2) || !put(buf, size, &len, num, k))
            return false;
    }
    return put(buf, size, &len, "}", 1);
}
