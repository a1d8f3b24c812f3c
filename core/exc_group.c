/* exc_group.c — BaseExceptionGroup and ExceptionGroup: a message and the exceptions it holds,
 * split by a tuple of classes the way eg.split() and `except*` do (Objects/exceptions.c). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* BaseExceptionGroup(msg, excs): the class is ExceptionGroup when every member is an Exception
 * (BaseExceptionGroup.__new__ picks it); args are (msg, [excs]). */
aw_exc *aw__exc_group_make(const char *msg, aw_exc *const *excs, size_t n, aw_kind seq)
{
    if (!msg) {
        aw__fail(AW_TypeError, "BaseExceptionGroup.__new__() argument 1 must be str, not None");
        return NULL;
    }
    if (n == 0) {
        aw__fail(AW_ValueError, "second argument (exceptions) must be a non-empty sequence");
        return NULL;
    }
    const aw_exc_class *cls = AW_ExceptionGroup;
    for (size_t i = 0; i < n; i++) {
        if (!excs[i]) {
            aw__fail(AW_ValueError, "Item %zu of second argument (exceptions) is not an exception", i);
            return NULL;
        }
        if (!aw_exc_matches(excs[i], AW_Exception)) cls = AW_BaseExceptionGroup;
    }
    aw_list *list = malloc(sizeof *list + n * sizeof(aw_value));
    if (!list) abort();
    list->len = n;
    for (size_t i = 0; i < n; i++) list->items[i] = (aw_value){AW_EXC, {.exc = excs[i]}};
    aw_value args[2] = {{AW_STR, {.s = msg}}, {seq, {.list = list}}};
    aw_exc *eg = aw__exc_make(cls, 2, args); /* copies the list, referencing each member */
    free(list);
    return eg;
}

aw_exc *aw_exc_group_new(const char *msg, aw_exc *const *excs, size_t n)
{
    return aw__exc_group_make(msg, excs, n, AW_LIST);
}

bool aw_exc_is_group(const aw_exc *e) { return aw_exc_matches(e, AW_BaseExceptionGroup); }
const char *aw_exc_group_message(const aw_exc *eg) { return aw_exc_is_group(eg) ? eg->args[0].as.s : NULL; }
size_t aw_exc_group_count(const aw_exc *eg) { return aw_exc_is_group(eg) ? eg->args[1].as.list->len : 0; }

aw_exc *aw_exc_group_item(const aw_exc *eg, size_t i)
{
    return i < aw_exc_group_count(eg) ? eg->args[1].as.list->items[i].as.exc : NULL;
}

/* eg.derive(excs): a new group with eg's message (its class chosen again from the members). */
static aw_exc *derive(const aw_exc *eg, aw_exc *const *excs, size_t n)
{
    return aw_exc_group_new(aw_exc_group_message(eg), excs, n);
}

/* exceptiongroup_split_recursive: e itself matching goes whole to `match`; a leaf that does not
 * goes to `rest`; a group is split member by member and each side rebuilt in its shape. */
static void split(aw_exc *e, size_t nc, const aw_exc_class *const *classes, aw_exc **match, aw_exc **rest)
{
    *match = *rest = NULL;
    if (aw_exc_matches_any(e, nc, classes)) {
        *match = aw_exc_ref(e);
        return;
    }
    if (!aw_exc_is_group(e)) {
        *rest = aw_exc_ref(e);
        return;
    }
    size_t n = aw_exc_group_count(e), nm = 0, nr = 0;
    aw_exc **ms = malloc(n * sizeof *ms), **rs = malloc(n * sizeof *rs);
    if (!ms || !rs) abort();
    for (size_t i = 0; i < n; i++) {
        aw_exc *m, *r;
        split(aw_exc_group_item(e, i), nc, classes, &m, &r);
        if (m) ms[nm++] = m;
        if (r) rs[nr++] = r;
    }
    if (nm) *match = derive(e, ms, nm);
    if (nr) *rest = derive(e, rs, nr);
    for (size_t i = 0; i < nm; i++) aw_exc_unref(ms[i]);
    for (size_t i = 0; i < nr; i++) aw_exc_unref(rs[i]);
    free(ms);
    free(rs);
}

void aw_exc_group_split(aw_exc *eg, size_t n, const aw_exc_class *const *classes, aw_exc **match, aw_exc **rest)
{
    aw_exc *m = NULL, *r = NULL;
    if (eg) split(eg, n, classes, &m, &r);
    if (match) *match = m; else aw_exc_unref(m);
    if (rest) *rest = r; else aw_exc_unref(r);
}

aw_exc *aw_exc_group_subgroup(aw_exc *eg, size_t n, const aw_exc_class *const *classes)
{
    aw_exc *m;
    aw_exc_group_split(eg, n, classes, &m, NULL);
    return m;
}

/* `except* classes:` — the interpreter wraps a plain exception in ExceptionGroup('', [e]),
 * gives the clause the matching part and keeps the rest for the next clause (then re-raises
 * what is left: the port's `if (aw_exc_current()) return aw_reraise();`). */
aw_exc *aw_except_star(aw_status st, size_t n, const aw_exc_class *const *classes)
{
    aw_exc *e = aw_exc_current();
    if (st == AW_OK || !e) return NULL;
    aw_exc *match, *rest;
    if (aw_exc_is_group(e)) {
        split(e, n, classes, &match, &rest);
    } else if (aw_exc_matches_any(e, n, classes)) {
        match = aw__exc_group_make("", &e, 1, AW_TUPLE); /* the interpreter's ('', (e,)) */
        rest = NULL;
    } else {
        return NULL;
    }
    if (!match) {
        aw_exc_unref(rest);
        return NULL;
    }
    aw__set_in_flight(rest);
    aw__trace_handler(AW_HANDLER_EXCEPT, match);
    return match;
}
