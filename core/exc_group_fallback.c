/* exc_group_fallback.c — TEMPORARY: the exception-group constructor TaskGroup needs, until the
 * exception hierarchy (branch `exc`) provides the real one with the same signature.  Delete this
 * file when merging that branch.  This stand-in keeps only the type and CPython's str():
 * "unhandled errors in a TaskGroup (2 sub-exceptions)"; it does not keep the members. */
#include "internal.h"

#include <string.h>

/* BaseExceptionGroup(msg, excs) is an ExceptionGroup when every member is an Exception. */
static bool is_base_only(const aw_exc *e)
{
    static const char *const base[] = {"CancelledError", "KeyboardInterrupt", "SystemExit", "GeneratorExit",
                                       "BaseException", "BaseExceptionGroup"};
    for (size_t i = 0; i < sizeof base / sizeof *base; i++)
        if (strcmp(aw_exc_type(e), base[i]) == 0) return true;
    return false;
}

aw_exc *aw_exc_group_new(const char *msg, aw_exc *const *excs, size_t n)
{
    bool base = false;
    for (size_t i = 0; i < n; i++) base |= is_base_only(excs[i]);
    return aw_exc_new(base ? "BaseExceptionGroup" : "ExceptionGroup", "%s (%zu sub-exception%s)", msg, n,
                      n == 1 ? "" : "s");
}
