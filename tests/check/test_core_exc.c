/* test_core_exc.c — exceptions as CPython has them, and the errors core raises in CPython's words.
 *
 * as_cpython runs the C port of tests/check/cpython/exceptions.py statement by statement: its
 * log must equal exceptions.expected, which test_core_cpython_twins.sh keeps equal to what
 * CPython 3.14 and 3.11 print (the hierarchy's bases, except clauses and tuples, args with
 * str()/repr(), str()/repr() of values, exception groups with split/subgroup, except*, and
 * InvalidStateError's words).  The other tests check, each naming the CPython rule, what a
 * Python twin cannot show: names and classes meaning the same thing, `handler` trace events,
 * exceptions outliving their loop, and misuse raising instead of aborting. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aw_tracer.h"
#include "support_core.h"

/* class MyError(ValueError), class SubError(MyError), class Both(KeyError, TimeoutError) */
AW_EXCEPTION_CLASS(MyError, AW_ValueError);
AW_EXCEPTION_CLASS(SubError, MyError);
static AW_EXCEPTION_CLASS(Both, AW_KeyError, AW_TimeoutError);

/* ---- printing as the twin's f-strings do ------------------------------------------------------ */
static const char *repr_of(aw_value v)
{
    static char bufs[4][2048];
    static int next;
    char *b = bufs[next++ % 4];
    aw_value_repr(v, b, sizeof bufs[0]);
    return b;
}
static const char *str_of(aw_value v)
{
    static char bufs[2][2048];
    static int next;
    char *b = bufs[next++ % 2];
    aw_value_str(v, b, sizeof bufs[0]);
    return b;
}
static const char *exc_repr(const aw_exc *e)
{
    static char bufs[4][2048];
    static int next;
    char *b = bufs[next++ % 4];
    if (e)
        aw_exc_repr(e, b, sizeof bufs[0]);
    else
        strcpy(b, "None");
    return b;
}
static const char *pybool(bool b) { return b ? "True" : "False"; }

/* e.args as a tuple value (in the loop's arena, so it outlives nothing it should not). */
static aw_value args_tuple(const aw_exc *e)
{
    size_t n = aw_exc_nargs(e);
    aw_list *l = malloc(sizeof *l + (n ? n : 1) * sizeof(aw_value));
    ck_assert_ptr_nonnull(l);
    l->len = n;
    for (size_t i = 0; i < n; i++) l->items[i] = aw_exc_arg(e, i);
    return (aw_value){AW_TUPLE, {.list = l}};
}

static void show_exc(aw_exc *e)
{
    aw_value args = args_tuple(e);
    aw_print("%s args=%s str=%s repr=%s", aw_exc_type(e), repr_of(args), repr_of(aw_str(aw_exc_message(e))),
             exc_repr(e));
    free(args.as.list);
}

/* Lists and tuples a part of the test makes, freed by free_made() when it is done with them. */
static aw_list *made[64];
static size_t n_made;

static void free_made(void)
{
    while (n_made) free(made[--n_made]);
}

static aw_value list_of(size_t n, const aw_value *items)
{
    aw_list *l = malloc(sizeof *l + n * sizeof(aw_value) + 1);
    ck_assert_ptr_nonnull(l);
    ck_assert_int_lt(n_made, 64);
    made[n_made++] = l;
    l->len = n;
    if (n) memcpy(l->items, items, n * sizeof(aw_value));
    return (aw_value){AW_LIST, {.list = l}};
}

static aw_value tuple_of(size_t n, const aw_value *items)
{
    aw_value v = list_of(n, items);
    v.kind = AW_TUPLE;
    return v;
}

static aw_value exc_value(aw_exc *e) { return (aw_value){AW_EXC, {.exc = e}}; }

/* ---- the twin, part by part ------------------------------------------------------------------- */
static const char *const names[] = {
    "BaseException", "BaseExceptionGroup", "GeneratorExit", "KeyboardInterrupt", "SystemExit",
    "CancelledError", "Exception", "ExceptionGroup", "ArithmeticError", "FloatingPointError",
    "OverflowError", "ZeroDivisionError", "AssertionError", "AttributeError", "BufferError",
    "EOFError", "IncompleteReadError", "ImportError", "ModuleNotFoundError", "LookupError",
    "IndexError", "KeyError", "MemoryError", "NameError", "UnboundLocalError", "OSError",
    "BlockingIOError", "ChildProcessError", "ConnectionError", "BrokenPipeError",
    "ConnectionAbortedError", "ConnectionRefusedError", "ConnectionResetError", "FileExistsError",
    "FileNotFoundError", "InterruptedError", "IsADirectoryError", "NotADirectoryError",
    "PermissionError", "ProcessLookupError", "TimeoutError", "ReferenceError", "RuntimeError",
    "NotImplementedError", "RecursionError", "BrokenBarrierError", "SendfileNotAvailableError",
    "StopAsyncIteration", "StopIteration", "SyntaxError", "IndentationError", "TabError",
    "SystemError", "TypeError", "ValueError", "UnicodeError", "UnicodeDecodeError",
    "UnicodeEncodeError", "UnicodeTranslateError", "Warning", "BytesWarning", "DeprecationWarning",
    "EncodingWarning", "FutureWarning", "ImportWarning", "PendingDeprecationWarning",
    "ResourceWarning", "RuntimeWarning", "SyntaxWarning", "UnicodeWarning", "UserWarning",
    "InvalidStateError", "LimitOverrunError", "QueueEmpty", "QueueFull",
};

static void hierarchy(void)
{
    aw_print("-- the hierarchy: bases");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const aw_exc_class *c = aw_exc_class_named(names[i]);
        char bases[256] = "";
        for (const aw_exc_class *const *b = c->bases; *b; b++) {
            if (*bases) strcat(bases, " ");
            strcat(bases, (*b)->name);
        }
        aw_print("%s: %s", c->name, *bases ? bases : "object");
    }
    aw_print("asyncio.TimeoutError is TimeoutError: True"); /* one class, AW_TimeoutError */

    aw_print("-- isinstance");
    static const char *const pairs[][2] = {
        {"CancelledError", "Exception"}, {"CancelledError", "BaseException"},
        {"KeyboardInterrupt", "Exception"}, {"SystemExit", "Exception"},
        {"GeneratorExit", "Exception"}, {"TimeoutError", "OSError"},
        {"ConnectionResetError", "OSError"}, {"BrokenPipeError", "ConnectionError"},
        {"IncompleteReadError", "EOFError"}, {"BrokenBarrierError", "RuntimeError"},
        {"InvalidStateError", "Exception"}, {"ExceptionGroup", "Exception"},
        {"ExceptionGroup", "BaseExceptionGroup"}, {"BaseExceptionGroup", "Exception"},
        {"KeyError", "LookupError"}, {"RecursionError", "RuntimeError"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        aw_print("issubclass(%s, %s) = %s", pairs[i][0], pairs[i][1],
                 pybool(aw_exc_class_is_subclass(aw_exc_class_named(pairs[i][0]), aw_exc_class_named(pairs[i][1]))));
    aw_print("issubclass(SubError, ValueError) = %s", pybool(aw_exc_class_is_subclass(SubError, AW_ValueError)));
    aw_print("issubclass(Both, OSError) = %s", pybool(aw_exc_class_is_subclass(Both, AW_OSError)));
}

AW_COROUTINE(raises, aw_exc *e;)
{
    AW_AWAIT(aw_sleep(0));
    return aw_raise_exc(self->e);
}

/* The twin's catch(): the first clause that matches takes it; both spellings (class, name). */
AW_COROUTINE(catch_it, aw_exc *e;)
{
    aw_status st = aw_await(AW_CALL(raises, self->e), NULL);
    const char *clause = "none";
    if (AW_EXCEPT_ANY(st, AW_TimeoutError, AW_KeyError))
        clause = "except (TimeoutError, KeyError)";
    else if (aw_except(st, MyError))
        clause = "except MyError";
    else if (aw_except(st, "OSError"))
        clause = "except OSError";
    else if (aw_except(st, AW_Exception))
        clause = "except Exception";
    else if (aw_except(st, "BaseException"))
        clause = "except BaseException";
    aw_exc_clear();
    return aw_str(clause);
}

static aw_status except_clauses(void)
{
    aw_print("-- except clauses");
    aw_exc *excs[] = {
        aw_exc_new(AW_TimeoutError, NULL), aw_exc_new(AW_KeyError, "k"), aw_exc_new(SubError, "s"),
        aw_exc_new(MyError, "m"), aw_exc_new(AW_ConnectionResetError, NULL), aw_exc_new(Both, NULL),
        aw_exc_new(AW_ValueError, "v"), aw_exc_new(AW_CancelledError, NULL), aw_exc_new("KeyboardInterrupt", NULL),
    };
    for (size_t i = 0; i < sizeof excs / sizeof excs[0]; i++) {
        aw_value v;
        aw_status st = aw_await(AW_CALL(catch_it, excs[i]), &v);
        if (st != AW_OK) return st;
        aw_print("%s: %s", exc_repr(excs[i]), v.as.s);
        aw_exc_unref(excs[i]);
    }
    return AW_OK;
}

static void args_str_repr(void)
{
    aw_print("-- args, str, repr");
    aw_value one_a[] = {aw_int(1), aw_str("a")};
    aw_exc *k = aw_exc_new(AW_KeyError, "k");
    aw_exc *excs[] = {
        aw_exc_new(AW_CancelledError, NULL),
        aw_exc_new(AW_CancelledError, "%s", ""),
        aw_exc_new("CancelledError", "bye"),
        aw_exc_new(AW_ValueError, "x"),
        aw_exc_new(AW_ValueError, NULL),
        aw_exc_new_args(AW_ValueError, 2, (aw_value[]){aw_str("a"), aw_int(1)}),
        aw_exc_new(AW_KeyError, "k"),
        aw_exc_new(AW_KeyError, NULL),
        aw_exc_new_args(AW_KeyError, 2, (aw_value[]){aw_str("a"), aw_str("b")}),
        aw_exc_new_args(AW_KeyError, 1, (aw_value[]){aw_int(1)}),
        aw_exc_new_args(AW_ValueError, 1, (aw_value[]){aw_none()}),
        aw_exc_new_args(AW_ValueError, 1, (aw_value[]){aw_float(1.5)}),
        aw_exc_new_args(AW_ValueError, 1, (aw_value[]){list_of(2, one_a)}),
        aw_exc_new(AW_ValueError, "it's"),
        aw_exc_new_args(AW_ValueError, 1, (aw_value[]){exc_value(k)}),
        aw_exc_new(AW_TimeoutError, NULL),
        aw_exc_new(AW_RuntimeError, "Event loop is closed"),
        aw_exc_new_args(AW_OSError, 2, (aw_value[]){aw_int(1000), aw_str("No such thing")}),
        aw_exc_new_args(AW_OSError, 3, (aw_value[]){aw_int(1000), aw_str("x"), aw_str("f.txt")}),
        aw_exc_new_args(AW_OSError, 5, (aw_value[]){aw_int(1000), aw_str("x"), aw_str("a"), aw_none(), aw_str("b")}),
        aw_exc_new_args(AW_OSError, 2, (aw_value[]){aw_str("just"), aw_str("two")}),
        aw_exc_new_args(AW_ConnectionResetError, 2, (aw_value[]){aw_int(1000), aw_str("reset")}),
        aw_exc_new(MyError, "mine"),
        aw_exc_new(Both, "b"),
    };
    aw_exc_unref(k); /* the ValueError holds its own reference */
    for (size_t i = 0; i < sizeof excs / sizeof excs[0]; i++) {
        show_exc(excs[i]);
        aw_exc_unref(excs[i]);
    }
    free_made(); /* the exceptions copied what they keep */
    static const struct { const char *name; int err; } errnos[] = {
        {"ENOENT", ENOENT}, {"ETIMEDOUT", ETIMEDOUT}, {"ECONNRESET", ECONNRESET},
        {"ECONNREFUSED", ECONNREFUSED}, {"EPIPE", EPIPE}, {"EACCES", EACCES}, {"EPERM", EPERM},
        {"EAGAIN", EAGAIN}, {"EEXIST", EEXIST}, {"EINTR", EINTR}, {"ECHILD", ECHILD},
        {"ESRCH", ESRCH}, {"EISDIR", EISDIR}, {"ENOTDIR", ENOTDIR}, {"EIO", EIO},
    };
    for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++) {
        aw_exc *e = aw_exc_new_args(AW_OSError, 2, (aw_value[]){aw_int(errnos[i].err), aw_str("x")});
        aw_print("OSError(errno.%s, 'x') is a %s", errnos[i].name, aw_exc_type(e));
        aw_exc_unref(e);
    }
}

static void values(void)
{
    aw_print("-- str and repr of values");
    aw_value xy = aw_str("x'y");
    aw_value inner[] = {aw_int(1), aw_str("a"), aw_none(), aw_float(2.5), list_of(1, &xy)};
    aw_value true1 = aw_bool(true);
    aw_value t3[] = {aw_int(1), aw_str("a"), tuple_of(1, &true1)};
    aw_value one = aw_int(1);
    aw_value vs[] = {
        aw_str("plain"), aw_str("it's"), aw_str("say \"hi\""), aw_str("both ' and \""),
        aw_str("tab\there"), aw_str("nl\nhere"), aw_str("cr\rhere"), aw_str("back\\slash"),
        aw_str("\x01\x1f\x7f"), aw_str("caf\u00e9"), aw_str("nb\u00a0sp"), aw_str("soft\u00adhyphen"),
        aw_str("ls\u2028ps\u2029"), aw_str("zw\u200bsp"), aw_str("\u65e5\u672c"),
        aw_str("emoji \U0001F600"), aw_str("bom\ufeff"), aw_str(""), aw_int(0), aw_int(-42),
        aw_float(0.1), aw_float(1.0), aw_float(1e16), aw_float(1.5e-05), aw_float(-0.0),
        aw_float(0.1 + 0.2), aw_float(1e22), aw_float(123456789.125), aw_float(INFINITY),
        aw_float(-INFINITY), aw_float(NAN), aw_none(), aw_bool(true), aw_bool(false),
        list_of(0, NULL), list_of(5, inner), tuple_of(0, NULL), tuple_of(1, &one), tuple_of(3, t3),
    };
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        /* the twin prints str() of a string only when it stays on one line */
        bool multiline = vs[i].kind == AW_STR && (strpbrk(vs[i].as.s, "\n\r") || strstr(vs[i].as.s, "\u2028"));
        aw_print("repr=%s str=%s", repr_of(vs[i]), multiline ? "-" : str_of(vs[i]));
    }
    free_made();
}

static void print_split(const char *what, aw_exc *eg, size_t n, const aw_exc_class *const *classes)
{
    aw_exc *match, *rest;
    aw_exc_group_split(eg, n, classes, &match, &rest);
    aw_print("split(%s): match=%s rest=%s", what, exc_repr(match), exc_repr(rest));
    aw_exc *sub = aw_exc_group_subgroup(eg, n, classes);
    aw_print("subgroup(%s) = %s", what, exc_repr(sub));
    aw_exc_unref(match);
    aw_exc_unref(rest);
    aw_exc_unref(sub);
}

static void groups(void)
{
    aw_print("-- exception groups");
    aw_exc *v1 = aw_exc_new_args(AW_ValueError, 1, (aw_value[]){aw_int(1)});
    aw_exc *t2 = aw_exc_new_args(AW_TypeError, 1, (aw_value[]){aw_int(2)});
    aw_exc *k3 = aw_exc_new_args(AW_KeyError, 1, (aw_value[]){aw_int(3)});
    aw_exc *ki = aw_exc_new(AW_KeyboardInterrupt, NULL);
    aw_exc *eg = aw_exc_group_new("m", (aw_exc *[]){v1, t2}, 2);
    show_exc(eg);
    aw_print("message=%s count=%zu", repr_of(aw_str(aw_exc_group_message(eg))), aw_exc_group_count(eg));
    aw_exc *beg = aw_exc_group_new("b", (aw_exc *[]){v1, ki}, 2);
    show_exc(beg);
    aw_exc *inner = aw_exc_group_new("inner", (aw_exc *[]){t2, k3, ki}, 3);
    aw_exc *nested = aw_exc_group_new("outer", (aw_exc *[]){v1, inner, k3}, 3);
    show_exc(nested);
    print_split("ValueError", nested, AW_EXC_TUPLE(AW_ValueError));
    print_split("(TypeError, KeyError)", nested, AW_EXC_TUPLE(AW_TypeError, AW_KeyError));
    print_split("Exception", nested, AW_EXC_TUPLE(AW_Exception));
    print_split("LookupError", nested, AW_EXC_TUPLE(AW_LookupError));
    print_split("BaseExceptionGroup", nested, AW_EXC_TUPLE(AW_BaseExceptionGroup));
    print_split("ExceptionGroup", nested, AW_EXC_TUPLE(AW_ExceptionGroup));
    print_split("KeyboardInterrupt", nested, AW_EXC_TUPLE(AW_KeyboardInterrupt));
    print_split("OSError", nested, AW_EXC_TUPLE(AW_OSError));
    aw_exc *match, *rest;
    aw_exc_group_split(eg, AW_EXC_TUPLE(AW_BaseExceptionGroup), &match, &rest);
    aw_print("eg.split(BaseExceptionGroup): match is eg: %s, rest=%s", pybool(match == eg), exc_repr(rest));
    aw_exc_unref(match);
    ck_assert_ptr_null(aw_exc_group_new("x", NULL, 0));
    aw_print("BaseExceptionGroup('x', []): %s", exc_repr(aw_exc_current()));
    aw_exc *plain = aw_exc_new(AW_ValueError, NULL);
    ck_assert_ptr_null(aw_exc_group_new("x", (aw_exc *[]){plain, NULL}, 2));
    aw_print("BaseExceptionGroup('x', [ValueError(), None]): %s", exc_repr(aw_exc_current()));
    aw_exc_clear();
    aw_exc *all[] = {plain, v1, t2, k3, ki, eg, beg, inner, nested};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) aw_exc_unref(all[i]);
}

static void print_star(const char *clause, aw_exc *g)
{
    aw_print("%s: %s", clause, exc_repr(g));
    aw_exc_unref(g);
}

static void except_star(void)
{
    aw_print("-- except*");
    aw_exc *eg = aw_exc_group_new("m", (aw_exc *[]){aw_exc_new_args(AW_ValueError, 1, (aw_value[]){aw_int(1)}),
                                                    aw_exc_new_args(AW_TypeError, 1, (aw_value[]){aw_int(2)}),
                                                    aw_exc_new_args(AW_KeyError, 1, (aw_value[]){aw_int(3)}),
                                                    aw_exc_new_args(AW_ValueError, 1, (aw_value[]){aw_int(4)})},
                                  4);
    for (size_t i = 0; i < 4; i++) aw_exc_unref(aw_exc_group_item(eg, i)); /* the group holds them */
    aw_raise_exc(eg);
    aw_exc_unref(eg);
    aw_status st = AW_ERROR;
    aw_exc *g;
    if ((g = AW_EXCEPT_STAR(st, AW_ValueError))) print_star("except* ValueError", g);
    if ((g = AW_EXCEPT_STAR(st, AW_TypeError, AW_IndexError))) print_star("except* (TypeError, IndexError)", g);
    if ((g = AW_EXCEPT_STAR(st, AW_OSError))) print_star("except* OSError", g);
    if ((g = AW_EXCEPT_STAR(st, AW_KeyError))) print_star("outer except* KeyError", g);
    ck_assert_ptr_null(aw_exc_current()); /* everything was handled */

    aw_raise(AW_ValueError, "naked");
    if ((g = AW_EXCEPT_STAR(st, AW_ValueError))) print_star("naked", g);
    aw_raise(AW_TypeError, "naked");
    if ((g = AW_EXCEPT_STAR(st, AW_ValueError))) print_star("not reached", g);
    if (aw_except(st, AW_TypeError))
        aw_print("unmatched naked exception propagates as itself: %s", exc_repr(aw_exc_current()));
    aw_exc_clear();
}

static void asyncio_errors(void)
{
    aw_print("-- asyncio's own errors");
    aw_future *f = aw_future_new(aw_current_loop());
    aw_future_cancel(f, NULL);
    ck_assert_int_eq(aw_future_set_result(f, aw_int(1)), AW_ERROR);
    aw_print("after cancel(): %s", exc_repr(aw_exc_current()));
    ck_assert_int_eq(aw_future_set_exception(f, aw_exc_new(AW_ValueError, NULL)), AW_ERROR);
    aw_print("after cancel(): %s", exc_repr(aw_exc_current()));
    aw_future *g = aw_future_new(aw_current_loop());
    ck_assert_int_eq(aw_future_result(g, NULL), AW_ERROR);
    aw_print("pending result(): %s", exc_repr(aw_exc_current()));
    aw_exc_clear();
}

AW_COROUTINE(twin_main)
{
    hierarchy();
    aw_status st = except_clauses();
    if (st != AW_OK) return aw_reraise();
    args_str_repr();
    values();
    groups();
    except_star();
    asyncio_errors();
    return aw_none();
}

START_TEST(as_cpython)
{
    ck_assert_int_eq(run_sim(AW_CALL(twin_main)), AW_OK);
    ck_assert_log_twin("exceptions");
}
END_TEST

/* ---- names and classes -------------------------------------------------------------------------- */
START_TEST(names_are_the_classes)
{
    /* Every built-in is found by its name (the string API of earlier versions means the same). */
#define CHECK_BUILTIN(name, ...) ck_assert_ptr_eq(aw_exc_class_named(#name), AW_##name);
    AW_BUILTIN_EXCEPTIONS(CHECK_BUILTIN)
#undef CHECK_BUILTIN
    /* 3.13's, not in the 3.11 twin: Lib/asyncio/queues.py `class QueueShutDown(Exception)`,
     * Objects/exceptions.c PythonFinalizationError(RuntimeError). */
    ck_assert_ptr_eq(AW_QueueShutDown->bases[0], AW_Exception);
    ck_assert_ptr_null(AW_QueueShutDown->bases[1]);
    ck_assert_ptr_eq(AW_PythonFinalizationError->bases[0], AW_RuntimeError);
    /* A defined class is found by its name too, from any file. */
    ck_assert_ptr_eq(aw_exc_class_named("MyError"), MyError);
    ck_assert_ptr_eq(aw_exc_class_named("Both"), Both);
    /* An unknown name is a class of that name under Exception, the same one every time. */
    const aw_exc_class *c = aw_exc_class_named("NoSuchError");
    ck_assert_str_eq(c->name, "NoSuchError");
    ck_assert_ptr_eq(aw_exc_class_named("NoSuchError"), c);
    ck_assert(aw_exc_class_is_subclass(c, AW_Exception));
    ck_assert(!aw_exc_class_is_subclass(c, AW_ValueError));
    ck_assert_ptr_null(aw_exc_class_named(NULL));
    aw_exc *e = aw_exc_new("NoSuchError", "x");
    ck_assert_ptr_eq(aw_exc_class_of(e), c);
    ck_assert(aw_exc_matches(e, "NoSuchError"));
    ck_assert(aw_exc_matches(e, AW_Exception));
    ck_assert(!aw_exc_matches(e, "ValueError"));
    aw_exc_unref(e);
    /* Statuses follow the classes: a CancelledError subclass cancels, a TimeoutError's times out. */
    aw_exc *te = aw_exc_new_args(AW_OSError, 2, (aw_value[]){aw_int(ETIMEDOUT), aw_str("t")});
    ck_assert_int_eq(aw_exc_status(te), AW_TIMEOUT);
    aw_exc *both = aw_exc_new(Both, NULL);
    ck_assert_int_eq(aw_exc_status(both), AW_TIMEOUT);
    aw_exc *sub = aw_exc_new(aw_exc_class_named("NoSuchError"), NULL);
    ck_assert_int_eq(aw_exc_status(sub), AW_ERROR);
    aw_exc_unref(te);
    aw_exc_unref(both);
    aw_exc_unref(sub);
}
END_TEST

START_TEST(raise_by_name_or_class)
{
    /* Outside any task the exception in flight lives in the thread's slot. */
    aw_value r = aw_raise("TimeoutError", "%s", "");
    ck_assert_int_eq(r.kind, AW_RAISED);
    ck_assert_ptr_eq(aw_exc_class_of(aw_exc_current()), AW_TimeoutError);
    ck_assert_int_eq(aw_exc_nargs(aw_exc_current()), 1); /* TimeoutError(''), as written */
    ck_assert_int_eq(aw_exc_status(aw_exc_current()), AW_TIMEOUT);
    aw_raise(AW_CancelledError, NULL);
    ck_assert_int_eq(aw_exc_nargs(aw_exc_current()), 0);
    ck_assert_int_eq(aw_exc_status(aw_exc_current()), AW_CANCELLED);
    aw_raise_args(AW_KeyError, 1, (aw_value[]){aw_str("k")});
    ck_assert_str_eq(aw_exc_message(aw_exc_current()), "'k'");
    ck_assert_int_eq(aw_exc_arg(aw_exc_current(), 0).kind, AW_STR);
    ck_assert_int_eq(aw_exc_arg(aw_exc_current(), 5).kind, AW_NONE); /* past the end */
    /* ExceptionGroup('msg') raises TypeError in CPython: groups come from aw_exc_group_new. */
    ck_assert_ptr_null(aw_exc_new(AW_ExceptionGroup, "msg"));
    ck_assert_str_eq(exc_repr(aw_exc_current()),
                     "TypeError('BaseExceptionGroup.__new__() takes exactly 2 arguments (1 given)')");
    aw_raise(AW_BaseExceptionGroup, "msg");
    ck_assert_str_eq(aw_exc_type(aw_exc_current()), "TypeError");
    /* raise with nothing in flight: RuntimeError('No active exception to reraise') */
    aw_exc_clear();
    aw_reraise();
    ck_assert_str_eq(exc_repr(aw_exc_current()), "RuntimeError('No active exception to reraise')");
    aw_exc_clear();
}
END_TEST

/* ---- handler events: except by class, tuple and except* record entering the handler ---------- */
typedef struct handler_log {
    char text[2048];
} handler_log;
static handler_log hlog;

static void on_event(void *ud, const aw_event *ev)
{
    (void)ud;
    if (ev->kind != AW_EV_HANDLER) return;
    size_t n = strlen(hlog.text);
    snprintf(hlog.text + n, sizeof hlog.text - n, "%d %s '%s'\n", ev->reason, ev->name ? ev->name : "-",
             ev->text ? ev->text : "-");
}
static const aw_tracer handler_tracer = {NULL, on_event, NULL};

AW_COROUTINE(handlers_main)
{
    aw_exc *e = aw_exc_new(SubError, "s");
    aw_status st = aw_await(AW_CALL(raises, e), NULL);
    aw_exc_unref(e);
    if (aw_except(st, AW_KeyError)) return aw_none(); /* no match: no event */
    if (!aw_except(st, AW_ValueError)) return aw_reraise();
    aw_exc_clear();
    e = aw_exc_new(AW_ConnectionResetError, "reset");
    st = aw_await(AW_CALL(raises, e), NULL);
    aw_exc_unref(e);
    if (!AW_EXCEPT_ANY(st, AW_TimeoutError, AW_OSError)) return aw_reraise();
    aw_exc_clear();
    aw_raise(AW_ValueError, "v");
    aw_exc *g = AW_EXCEPT_STAR(AW_ERROR, AW_ValueError);
    aw_exc_unref(g);
    return aw_none();
}

START_TEST(handlers_are_traced)
{
    memset(&hlog, 0, sizeof hlog);
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    o.tracer = &handler_tracer;
    ck_assert_int_eq(aw_run(AW_CALL(handlers_main), &o, NULL), AW_OK);
    /* raise (reason 2) of SubError in raises(); except ValueError (0) catches it; then the
     * tuple; then except* with its ExceptionGroup('', (ValueError('v'),)). */
    ck_assert_str_eq(hlog.text, "2 SubError 's'\n"
                                "0 SubError 's'\n"
                                "2 ConnectionResetError 'reset'\n"
                                "0 ConnectionResetError 'reset'\n"
                                "2 ValueError 'v'\n"
                                "0 ExceptionGroup ' (1 sub-exception)'\n");
}
END_TEST

/* ---- lifetimes ------------------------------------------------------------------------------------ */
static aw_exc *kept;

AW_COROUTINE(keeps_an_exception)
{
    /* aw_str copies into the loop's arena, which goes with the loop: the exception copies it. */
    aw_value l = list_of(1, (aw_value[]){aw_str("in the arena")});
    kept = aw_exc_new_args(AW_ValueError, 2, (aw_value[]){aw_str("arena string"), l});
    free_made();
    return aw_none();
}

START_TEST(exceptions_outlive_their_loop)
{
    ck_assert_int_eq(run_sim(AW_CALL(keeps_an_exception)), AW_OK);
    ck_assert_str_eq(aw_exc_message(kept), "('arena string', ['in the arena'])");
    ck_assert_str_eq(aw_exc_arg(kept, 0).as.s, "arena string");
    aw_exc *g = aw_exc_group_new("g", &kept, 1);
    aw_exc_unref(kept);
    ck_assert_str_eq(exc_repr(aw_exc_group_item(g, 0)), "ValueError('arena string', ['in the arena'])");
    aw_exc_unref(g);
}
END_TEST

START_TEST(reprs_are_bounded)
{
    char small[6];
    aw_exc *e = aw_exc_new(AW_ValueError, "a long message");
    ck_assert_int_eq(aw_exc_repr(e, small, sizeof small), (int)strlen("ValueError('a long message')"));
    ck_assert_str_eq(small, "Value");
    ck_assert_int_eq(aw_value_str(aw_str("it's"), small, sizeof small), 4);
    ck_assert_str_eq(small, "it's");
    ck_assert_int_eq(aw_value_repr(aw_str("it's"), small, sizeof small), 6);
    ck_assert_str_eq(small, "\"it's");
    aw_exc_unref(e);
    /* a C string that is not UTF-8: each stray byte escaped, never read past the end */
    char buf[64];
    aw_value_repr(aw_str("a\xff\xc3"), buf, sizeof buf);
    ck_assert_str_eq(buf, "'a\\xff\\xc3'");
}
END_TEST

/* ---- misuse raises CPython's errors instead of aborting --------------------------------------------- */
AW_COROUTINE(nothing) { return aw_none(); }

START_TEST(create_task_without_a_running_loop)
{
    /* asyncio.create_task(c) outside a loop: RuntimeError('no running event loop') */
    aw_coro *c = AW_CALL(nothing);
    ck_assert_ptr_null(aw_create_task(c));
    ck_assert_str_eq(exc_repr(aw_exc_current()), "RuntimeError('no running event loop')");
    aw_exc_clear();
    aw_coro_close(c);
    ck_assert_ptr_null(aw_gather(false, 0, NULL));
    ck_assert_str_eq(exc_repr(aw_exc_current()), "RuntimeError('no running event loop')");
    aw_exc_clear();
}
END_TEST

START_TEST(closed_loop_refuses_work)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    aw_loop *loop = aw_loop_new(&o);
    aw_future *f = aw_future_new(loop);
    /* loop.create_task(1): TypeError('a coroutine was expected, got 1') */
    ck_assert_ptr_null(aw_loop_create_task(loop, (aw_coro *)f, NULL));
    ck_assert_str_eq(exc_repr(aw_exc_current()), "TypeError('a coroutine was expected, got <Future>')");
    ck_assert_ptr_null(aw_loop_create_task(loop, NULL, NULL));
    ck_assert_str_eq(exc_repr(aw_exc_current()), "TypeError('a coroutine was expected, got None')");
    ck_assert_int_eq(aw_loop_close(loop), AW_OK);
    /* BaseEventLoop._check_closed: RuntimeError('Event loop is closed') */
    aw_coro *c = AW_CALL(nothing);
    ck_assert_ptr_null(aw_loop_create_task(loop, c, NULL));
    ck_assert_str_eq(exc_repr(aw_exc_current()), "RuntimeError('Event loop is closed')");
    aw_exc_clear();
    ck_assert_ptr_null(aw_call_soon(loop, NULL, NULL));
    ck_assert_str_eq(exc_repr(aw_exc_current()), "RuntimeError('Event loop is closed')");
    aw_exc_clear();
    ck_assert_ptr_null(aw_call_later(loop, 1, NULL, NULL));
    ck_assert_str_eq(exc_repr(aw_exc_current()), "RuntimeError('Event loop is closed')");
    aw_exc_clear();
    aw_coro_close(c);
    ck_assert_int_eq(aw_loop_free(loop), AW_OK);
}
END_TEST

static aw_loop *the_loop;

AW_COROUTINE(misuses_its_loop)
{
    /* loop.close() while running: RuntimeError('Cannot close a running event loop') */
    ck_assert_int_eq(aw_loop_close(the_loop), AW_ERROR);
    ck_assert_str_eq(exc_repr(aw_exc_current()), "RuntimeError('Cannot close a running event loop')");
    ck_assert_int_eq(aw_loop_free(the_loop), AW_ERROR);
    ck_assert_str_eq(exc_repr(aw_exc_current()), "RuntimeError('Cannot close a running event loop')");
    /* run_until_complete on the running loop: 'This event loop is already running' */
    aw_coro *c = AW_CALL(nothing);
    ck_assert_int_eq(aw_loop_run_until_complete(the_loop, c, NULL), AW_ERROR);
    ck_assert_str_eq(exc_repr(aw_exc_current()), "RuntimeError('This event loop is already running')");
    aw_coro_close(c);
    /* gather(1): TypeError from ensure_future, and nothing started; awaiting the NULL it
     * returned propagates that TypeError (not "'NoneType' object can't be awaited"). */
    int not_awaitable = 0;
    aw_status st = aw_await(aw_gather(false, 1, (void *[]){&not_awaitable}), NULL);
    ck_assert_int_eq(st, AW_ERROR);
    ck_assert_str_eq(exc_repr(aw_exc_current()),
                     "TypeError('An asyncio.Future, a coroutine or an awaitable is required')");
    aw_exc_clear();
    ck_assert_int_eq(aw_await(aw_any(NULL), NULL), AW_ERROR); /* 3.14's words */
    ck_assert_str_eq(exc_repr(aw_exc_current()), "TypeError(\"'NoneType' object can't be awaited\")");
    aw_exc_clear();
    return aw_none();
}

START_TEST(misuse_inside_a_running_loop)
{
    aw_loop_options o;
    aw_loop_options_init(&o);
    o.clock = AW_CLOCK_SIM;
    the_loop = aw_loop_new(&o);
    ck_assert_int_eq(aw_loop_run_until_complete(the_loop, AW_CALL(misuses_its_loop), NULL), AW_OK);
    ck_assert_int_eq(aw_loop_free(the_loop), AW_OK);
}
END_TEST

START_TEST(bad_stack_size_in_the_environment)
{
    setenv("AWAITLAB_STACK_SIZE", "lots", 1);
    aw_loop_options o;
    ck_assert_int_eq(aw_loop_options_init(&o), AW_ERROR);
    ck_assert_str_eq(exc_repr(aw_exc_current()),
                     "ValueError(\"AWAITLAB_STACK_SIZE='lots': expected bytes between 16384 and 1073741824\")");
    aw_exc_clear();
    /* options it filled are refused, so ignoring the status cannot run with an unasked value */
    o.clock = AW_CLOCK_SIM;
    ck_assert_ptr_null(aw_loop_new(&o));
    ck_assert_str_eq(aw_exc_type(aw_exc_current()), "ValueError");
    aw_exc_clear();
    ck_assert_ptr_null(aw_loop_new(NULL));
    ck_assert_ptr_nonnull(strstr(aw_exc_message(aw_exc_current()), "AWAITLAB_STACK_SIZE='lots'"));
    aw_exc_clear();
    ck_assert_int_eq(aw_run(AW_CALL(nothing), NULL, NULL), AW_ERROR);
    ck_assert_ptr_nonnull(strstr(aw_exc_message(aw_exc_current()), "AWAITLAB_STACK_SIZE='lots'"));
    aw_exc_clear();
    setenv("AWAITLAB_STACK_SIZE", "100", 1);
    ck_assert_int_eq(aw_loop_options_init(&o), AW_ERROR);
    aw_exc_clear();
    unsetenv("AWAITLAB_STACK_SIZE");
    ck_assert_int_eq(aw_loop_options_init(&o), AW_OK);
    o.stack_size = 5;
    ck_assert_ptr_null(aw_loop_new(&o));
    ck_assert_str_eq(exc_repr(aw_exc_current()), "ValueError('stack_size=5: expected bytes between 16384 and 1073741824')");
    aw_exc_clear();
    /* asyncio.run(1): 3.14's Runner.run says TypeError */
    ck_assert_int_eq(aw_run(NULL, NULL, NULL), AW_ERROR);
    ck_assert_str_eq(exc_repr(aw_exc_current()), "TypeError('An asyncio.Future, a coroutine or an awaitable is required')");
    aw_exc_clear();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_exc");
    TCase *tc = tcase_create("exc");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, as_cpython);
    tcase_add_test(tc, names_are_the_classes);
    tcase_add_test(tc, raise_by_name_or_class);
    tcase_add_test(tc, handlers_are_traced);
    tcase_add_test(tc, exceptions_outlive_their_loop);
    tcase_add_test(tc, reprs_are_bounded);
    tcase_add_test(tc, create_task_without_a_running_loop);
    tcase_add_test(tc, closed_loop_refuses_work);
    tcase_add_test(tc, misuse_inside_a_running_loop);
    tcase_add_test(tc, bad_stack_size_in_the_environment);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
