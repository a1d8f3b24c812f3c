/* exc.c — exceptions as values (a class and an args tuple, as CPython's BaseException), and the
 * exception "in flight" in the current task.
 *
 * Python propagates an exception by unwinding; here an await returns a status and the exception
 * stays in flight (per task, like the interpreter's per-thread current exception) until the
 * coroutine returns normally (handled), re-raises it (aw_reraise) or clears it (aw_exc_clear).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *s = malloc((size_t)n + 1);
    if (!s) abort();
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static bool is_group_class(const aw_exc_class *cls) { return aw_exc_class_is_subclass(cls, AW_BaseExceptionGroup); }

/* ---- str(e) ---------------------------------------------------------------------------------
 * BaseException_str: "" with no args, str(arg) with one, repr(args) with more.  KeyError_str
 * shows its one arg's repr (str(KeyError('k')) is "'k'": a missing key, not a message).  A
 * group's is BaseExceptionGroup_str's "msg (N sub-exceptions)".  OSError's errno form is made
 * by aw_exc_new_args, which alone sees the arguments it strips from args. */
static void str_to(aw__out *o, const void *arg)
{
    const aw_exc *e = arg;
    if (is_group_class(e->cls) && e->nargs == 2) {
        size_t n = e->args[1].as.list->len;
        aw__out_printf(o, "%s (%zu sub-exception%s)", e->args[0].as.s, n, n == 1 ? "" : "s");
    } else if (e->nargs == 0) {
    } else if (e->nargs == 1 && aw_exc_class_is_subclass(e->cls, AW_KeyError)) {
        aw__value_repr_to(o, e->args[0]);
    } else if (e->nargs == 1) {
        aw__value_str_to(o, e->args[0]);
    } else {
        aw__tuple_repr_to(o, e->nargs, e->args);
    }
}

/* An exception with these args (copied); its str is made now, since args never change. */
static aw_exc *exc_alloc(const aw_exc_class *cls, size_t n, const aw_value *args, char *str)
{
    aw_exc *e = calloc(1, sizeof *e);
    aw_value *copy = n ? calloc(n, sizeof *copy) : NULL;
    if (!e || (n && !copy)) abort();
    e->refs = 1;
    e->cls = cls;
    e->nargs = n;
    e->args = copy;
    for (size_t i = 0; i < n; i++) copy[i] = aw__value_copy(args[i]);
    e->str = str ? str : aw__out_strdup(str_to, e);
    return e;
}

aw_exc *aw__exc_make(const aw_exc_class *cls, size_t n, const aw_value *args)
{
    return exc_alloc(cls, n, args, NULL);
}

/* ExceptionGroup('msg') raises TypeError in CPython: groups are made by aw_exc_group_new. */
static aw_exc *refuse_group(const aw_exc_class *cls, size_t n)
{
    (void)cls;
    aw__fail(AW_TypeError, "BaseExceptionGroup.__new__() takes exactly 2 arguments (%zu given)", n);
    return NULL;
}

aw_exc *aw__exc_new_msg(const aw_exc_class *cls, const char *msg)
{
    if (is_group_class(cls)) return refuse_group(cls, msg ? 1 : 0);
    aw_value arg = {AW_STR, {.s = msg}};
    return exc_alloc(cls, msg ? 1 : 0, &arg, NULL);
}

static aw_exc *new_vformat(const aw_exc_class *cls, const char *fmt, va_list ap)
{
    if (!fmt) return aw__exc_new_msg(cls, NULL);
    char *msg = vformat(fmt, ap);
    aw_exc *e = aw__exc_new_msg(cls, msg);
    free(msg);
    return e;
}

aw_exc *aw_exc_new_class(const aw_exc_class *cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    aw_exc *e = new_vformat(cls, fmt, ap);
    va_end(ap);
    return e;
}

aw_exc *aw_exc_new(const char *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    aw_exc *e = new_vformat(aw_exc_class_named(type), fmt, ap);
    va_end(ap);
    return e;
}

/* OSError(errno, ...) is the subclass its errno names (Objects/exceptions.c's errnomap). */
static const aw_exc_class *oserror_subclass(long long err)
{
    static const struct { int err; const aw_exc_class *cls; } map[] = {
        {EAGAIN, AW_BlockingIOError},        {EALREADY, AW_BlockingIOError},
        {EINPROGRESS, AW_BlockingIOError},   {EWOULDBLOCK, AW_BlockingIOError},
        {EPIPE, AW_BrokenPipeError},         {ESHUTDOWN, AW_BrokenPipeError},
        {ECHILD, AW_ChildProcessError},      {ECONNABORTED, AW_ConnectionAbortedError},
        {ECONNREFUSED, AW_ConnectionRefusedError}, {ECONNRESET, AW_ConnectionResetError},
        {EEXIST, AW_FileExistsError},        {ENOENT, AW_FileNotFoundError},
        {EISDIR, AW_IsADirectoryError},      {ENOTDIR, AW_NotADirectoryError},
        {EINTR, AW_InterruptedError},        {EACCES, AW_PermissionError},
        {EPERM, AW_PermissionError},         {ESRCH, AW_ProcessLookupError},
        {ETIMEDOUT, AW_TimeoutError},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].err == err) return map[i].cls;
    return AW_OSError;
}

/* OSError_init with 2 to 5 args: (errno, strerror, filename, winerror, filename2).  str() is
 * "[Errno N] strerror" (with ": 'filename'" and " -> 'filename2'" when given), and a filename
 * is dropped from args, which keep (errno, strerror). */
typedef struct os_args {
    const aw_value *args;
    size_t n;
} os_args;

static void oserror_str_to(aw__out *o, const void *arg)
{
    const aw_value *a = ((const os_args *)arg)->args;
    size_t n = ((const os_args *)arg)->n;
    aw__out_puts(o, "[Errno ");
    aw__value_str_to(o, a[0]);
    aw__out_puts(o, "] ");
    aw__value_str_to(o, a[1]);
    if (n >= 3 && a[2].kind != AW_NONE) {
        aw__out_puts(o, ": ");
        aw__value_repr_to(o, a[2]);
        if (n == 5 && a[4].kind != AW_NONE) {
            aw__out_puts(o, " -> ");
            aw__value_repr_to(o, a[4]);
        }
    }
}

aw_exc *aw_exc_new_args(const aw_exc_class *cls, size_t n, const aw_value *args)
{
    /* Strings and bytes are copied into the exception (exc_alloc); plain pointers are kept. */
    for (size_t i = 0; i < n; i++)
        if (args[i].kind == AW_PTR || args[i].kind == AW_OBJECT)
            aw__abort_if_refused(aw__escapes_stack(args[i].as.p, "an exception's argument"));
    if (is_group_class(cls)) {
        if (n == 2 && args[0].kind == AW_STR && (args[1].kind == AW_LIST || args[1].kind == AW_TUPLE)) {
            aw_list *l = args[1].as.list;
            aw_exc **excs = malloc((l->len ? l->len : 1) * sizeof *excs);
            if (!excs) abort();
            for (size_t i = 0; i < l->len; i++) excs[i] = l->items[i].kind == AW_EXC ? l->items[i].as.exc : NULL;
            aw_exc *g = aw__exc_group_make(args[0].as.s, excs, l->len, args[1].kind);
            free(excs);
            return g;
        }
        return refuse_group(cls, n);
    }
    if (aw_exc_class_is_subclass(cls, AW_OSError) && n >= 2 && n <= 5) {
        if (cls == AW_OSError && args[0].kind == AW_INT) cls = oserror_subclass(args[0].as.i);
        os_args os = {args, n};
        char *str = aw__out_strdup(oserror_str_to, &os);
        return exc_alloc(cls, n >= 3 && args[2].kind != AW_NONE ? 2 : n, args, str);
    }
    return exc_alloc(cls, n, args, NULL);
}

aw_exc *aw__cancelled_error(const char *msg) { return aw__exc_new_msg(AW_CancelledError, msg); }

const char *aw_exc_type(const aw_exc *e) { return e ? e->cls->name : NULL; }
const aw_exc_class *aw_exc_class_of(const aw_exc *e) { return e ? e->cls : NULL; }
const char *aw_exc_message(const aw_exc *e) { return e ? e->str : ""; }
const char *aw__exc_text(const aw_exc *e) { return e && e->nargs ? e->str : NULL; }
size_t aw_exc_nargs(const aw_exc *e) { return e ? e->nargs : 0; }
aw_value aw_exc_arg(const aw_exc *e, size_t i) { return e && i < e->nargs ? e->args[i] : aw_none(); }

void aw__exc_set_attr(aw_exc *e, const char *name, aw_value v)
{
    struct aw__exc_attr *a = realloc(e->attrs, (e->nattrs + 1) * sizeof *a);
    if (!a) abort();
    e->attrs = a;
    a[e->nattrs++] = (struct aw__exc_attr){name, aw__value_copy(v)};
}

aw_value aw_exc_attr(const aw_exc *e, const char *name)
{
    if (!e || !name) return aw_none();
    for (size_t i = e->nattrs; i-- > 0;)
        if (strcmp(e->attrs[i].name, name) == 0) return e->attrs[i].v;
    /* OSError keeps errno and strerror as its args (OSError_init). */
    if (aw_exc_class_is_subclass(e->cls, AW_OSError) && e->nargs == 2 && e->args[0].kind == AW_INT) {
        if (strcmp(name, "errno") == 0) return e->args[0];
        if (strcmp(name, "strerror") == 0) return e->args[1];
    }
    return aw_none();
}

aw_exc *aw_exc_ref(aw_exc *e)
{
    if (e) e->refs++;
    return e;
}

void aw_exc_unref(aw_exc *e)
{
    if (!e || --e->refs > 0) return;
    for (size_t i = 0; i < e->nargs; i++) aw__value_free(e->args[i]);
    free(e->args);
    for (size_t i = 0; i < e->nattrs; i++) aw__value_free(e->attrs[i].v);
    free(e->attrs);
    free(e->str);
    free(e);
}

bool aw_exc_matches(const aw_exc *e, const aw_exc_class *cls) { return e && aw_exc_class_is_subclass(e->cls, cls); }

bool aw_exc_matches_any(const aw_exc *e, size_t n, const aw_exc_class *const *classes)
{
    for (size_t i = 0; i < n; i++)
        if (aw_exc_matches(e, classes[i])) return true;
    return false;
}

aw_status aw_exc_status(const aw_exc *e)
{
    if (!e) return AW_OK;
    if (aw_exc_matches(e, AW_CancelledError)) return AW_CANCELLED;
    if (aw_exc_matches(e, AW_TimeoutError)) return AW_TIMEOUT;
    return AW_ERROR;
}

/* repr(e): BaseException_repr, the class's name and repr(args), one arg without the tuple's
 * trailing comma: ValueError('x'), ValueError(), ValueError('a', 1). */
void aw__exc_repr_to(aw__out *o, const aw_exc *e)
{
    aw__out_puts(o, e->cls->name);
    if (e->nargs == 1) {
        aw__out_puts(o, "(");
        aw__value_repr_to(o, e->args[0]);
        aw__out_puts(o, ")");
    } else {
        aw__tuple_repr_to(o, e->nargs, e->args);
    }
}

size_t aw_exc_repr(const aw_exc *e, char *buf, size_t size)
{
    aw__out o = {buf, size, 0};
    if (size) buf[0] = '\0';
    if (e) aw__exc_repr_to(&o, e);
    return o.len;
}

size_t aw__exc_repr(const aw_exc *e, char *buf, size_t size) { return aw_exc_repr(e, buf, size); }

/* ---- in flight ------------------------------------------------------------------------------
 * Outside any task (e.g. after aw_loop_run_until_complete returned an error) the exception lives
 * in a per-thread slot, so the caller can still inspect it. */
static _Thread_local aw_exc *outside_task;

aw_exc **aw__in_flight_slot(void)
{
    aw_loop *loop = aw__running_loop();
    if (loop && loop->current_task) return &loop->current_task->in_flight;
    return &outside_task;
}

void aw__set_in_flight(aw_exc *e)
{
    aw_exc **slot = aw__in_flight_slot();
    aw_exc *old = *slot;
    *slot = e;
    aw_exc_unref(old);
}

aw_exc *aw_exc_current(void) { return *aw__in_flight_slot(); }
void aw_exc_clear(void) { aw__set_in_flight(NULL); }

static const aw_value raised = {AW_RAISED, {0}};

/* Puts e in flight; a constructor that refused (NULL) has put its own error there already. */
static aw_status put_in_flight(aw_exc *e)
{
    if (!e) return aw_exc_status(aw_exc_current());
    aw_status st = aw_exc_status(e);
    aw__set_in_flight(e);
    return st;
}

aw_status aw__fail(const aw_exc_class *cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    aw_exc *e = new_vformat(cls, fmt, ap);
    va_end(ap);
    return put_in_flight(e);
}

aw_value aw_raise(const char *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_in_flight(new_vformat(aw_exc_class_named(type), fmt, ap));
    va_end(ap);
    return raised;
}

aw_value aw_raise_class(const aw_exc_class *cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_in_flight(new_vformat(cls, fmt, ap));
    va_end(ap);
    return raised;
}

aw_value aw_raise_args(const aw_exc_class *cls, size_t n, const aw_value *args)
{
    put_in_flight(aw_exc_new_args(cls, n, args));
    return raised;
}

aw_value aw_raise_exc(aw_exc *e)
{
    aw__set_in_flight(aw_exc_ref(e));
    return raised;
}

aw_value aw_reraise(void)
{
    if (!aw_exc_current()) /* "raise" with nothing to re-raise, as Python says it */
        aw__fail(AW_RuntimeError, "No active exception to reraise");
    return raised;
}

/* ---- the Python statements a port spells out (awaitlab.h): traced as `handler` events ---------- */

void aw__trace_handler(int what, const aw_exc *e)
{
    aw_loop *loop = aw__running_loop();
    if (!loop) return;
    AW__TRACE(loop, .kind = AW_EV_HANDLER, .task = aw__task_id(loop->current_task), .reason = what,
              .name = e ? e->cls->name : NULL, .text = e ? aw_exc_message(e) : NULL);
}

/* `except (classes):` — isinstance against each, as Python's except clause tests a tuple. */
bool aw_except_any(aw_status st, size_t n, const aw_exc_class *const *classes)
{
    aw_exc *e = aw_exc_current();
    if (st == AW_OK || !aw_exc_matches_any(e, n, classes)) return false;
    aw__trace_handler(AW_HANDLER_EXCEPT, e);
    return true;
}

bool aw_except_class(aw_status st, const aw_exc_class *cls) { return aw_except_any(st, 1, &cls); }

/* A name is its class (aw_exc_class_named): "Exception" does not catch CancelledError. */
bool aw_except(aw_status st, const char *type)
{
    return type && aw_except_class(st, aw_exc_class_named(type));
}

void aw_finally(void) { aw__trace_handler(AW_HANDLER_FINALLY, NULL); }

aw_value aw_raise_again(void)
{
    aw_value v = aw_reraise();
    aw__trace_handler(AW_HANDLER_RAISE, aw_exc_current());
    return v;
}

aw_value aw__raised_at(const char *file, int line, aw_value r)
{
    aw__site(file, line);
    aw__trace_handler(AW_HANDLER_RAISE, aw_exc_current());
    return r;
}
