/* decimal.c — see decimal.h. */
#include "decimal.h"

bool aw_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s) return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10) return false; /* exact: no wrap, no clamp */
        v = v * 10 + d;
    }
    *out = v;
    return true;
}
