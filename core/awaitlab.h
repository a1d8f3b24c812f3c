/* awaitlab.h — the public face of awaitlab's core: an asyncio-style event loop in C.
 *
 * Semantics follow CPython 3.12+'s asyncio (Lib/asyncio): the ready queue, timer order,
 * done-callbacks, task steps, cancellation, gather, wait_for, timeout scopes, shield, wait and
 * as_completed produce the same order of events as CPython does.  core/loop-iteration.md draws
 * one loop iteration; the code in core/loop.c follows it.
 *
 * Naming: aw_<thing>_<verb> for the public API, aw__ for internals (never call those).
 *
 * Ownership, in one paragraph: the loop owns every future, task and handle it creates; they stay
 * valid until the loop is freed, so a coroutine may keep a task pointer and await it later, as in
 * Python.  A long-running program that creates millions of tasks calls aw_task_detach() (or
 * aw_future_detach()) on the ones it will not touch again, and the loop frees them as soon as they
 * are done.  Values carrying strings or lists live in the loop's arena until the loop is freed.
 * Coroutine objects (made by AW_CALL) are consumed by the one thing that awaits or wraps them;
 * one never consumed is reported, in CPython's words, when the loop closes.  An aw_coro * is a
 * checked handle: using it again raises RuntimeError, it never reads freed memory.  Timeout
 * scopes and task groups are `async with` blocks (AW_TIMEOUT, AW_TASKGROUP) that are always
 * exited, whatever leaves their body.
 */
#ifndef AWAITLAB_H
#define AWAITLAB_H

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aw_loop aw_loop;
typedef struct aw_future aw_future;
typedef struct aw_task aw_task;
typedef struct aw_coro aw_coro;
typedef struct aw_handle aw_handle;
typedef struct aw_exc aw_exc;
typedef struct aw_timeout aw_timeout;
typedef struct aw_backend aw_backend;
typedef struct aw_tracer aw_tracer;

/* ---------------------------------------------------------------------------------------------
 * Statuses and values.  Errors are values: every await returns a status; the exception that
 * caused a non-OK status is "in flight" in the current task (aw_exc_current()) until the
 * coroutine returns, re-raises it with aw_reraise(), or clears it with aw_exc_clear().
 */
typedef enum aw_status {
    AW_OK = 0,
    AW_CANCELLED, /* CancelledError */
    AW_TIMEOUT,   /* TimeoutError */
    AW_ERROR      /* any other exception: see aw_exc_type() */
} aw_status;

typedef enum aw_kind {
    AW_NONE = 0, /* Python's None */
    AW_INT,
    AW_FLOAT,
    AW_STR,    /* a string living in the loop's arena (or static storage) */
    AW_PTR,    /* any pointer the program chooses to pass */
    AW_LIST,   /* gather's results: a list of values */
    AW_EXC,    /* an exception as a value (gather with return_exceptions) */
    AW_RAISED, /* returned by a coroutine body: "the exception in flight propagates" */
    AW_TUPLE,  /* a tuple (as.list): repr (1,) and (); what `except*` wraps a lone exception in */
    AW_BOOL,   /* True / False (as.i) */
    AW_BYTES,  /* bytes (as.bytes): what streams read; lives in the loop's arena */
    AW_OBJECT  /* one of asyncio's objects (as.p: an aw_stream_reader, aw_stream_writer or
                * aw_server): what open_connection and start_server return; repr() names it */
} aw_kind;

typedef struct aw_list aw_list;
typedef struct aw_bytesval aw_bytesval;
typedef struct aw_value {
    aw_kind kind;
    union {
        long long i;
        double f;
        const char *s;
        void *p;
        aw_list *list;
        aw_exc *exc;
        aw_bytesval *bytes;
    } as;
} aw_value;

struct aw_bytesval {
    size_t len;
    unsigned char data[];   /* len bytes, then a '\0' that is not part of them (printf("%s")) */
};

struct aw_list {
    size_t len;
    aw_value items[];
};

static inline aw_value aw_none(void) { aw_value v = {AW_NONE, {0}}; return v; }
static inline aw_value aw_int(long long i) { aw_value v = {AW_INT, {.i = i}}; return v; }
static inline aw_value aw_float(double f) { aw_value v = {AW_FLOAT, {.f = f}}; return v; }
static inline aw_value aw_ptr(void *p) { aw_value v = {AW_PTR, {.p = p}}; return v; }
static inline aw_value aw_bool(bool b) { aw_value v = {AW_BOOL, {.i = b}}; return v; }
aw_value aw_str(const char *s);                        /* copies s into the loop's arena */
aw_value aw_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes a value as Python's repr() would ("42", "'hello'", "[1, 'x']", "None", "True", "(1,)",
 * "0.1", "1e+16"), snprintf-style (returns the full length).  Strings are quoted as CPython
 * quotes them: single quotes unless the text has a ' and no ", escapes for \\ \n \r \t, the
 * quote and control characters (\x01), and for the invisible non-ASCII characters (\xa0,
 * \u2028...; a short table, not the whole Unicode database); other UTF-8 is kept as it is. */
size_t aw_value_repr(aw_value v, char *buf, size_t size);

/* bytes: aw_bytes(data, n) copies n bytes into the loop's arena (b'...'); aw_bytes_str(s) is
 * b"s" for a C string.  Their repr is Python's: b'hello\n', b"it's", b'\x00\xff'.
 * aw_bytes_decode(b) is b.decode() (UTF-8): a str; NULL bytes inside end the C string early, and
 * bytes that are not UTF-8 raise UnicodeDecodeError as CPython's strict decoder does (NULL data
 * of an AW_STR, the error in flight).  aw_bytes_len / aw_bytes_data: len(b) and its bytes (0 /
 * "" for a value that is not bytes). */
aw_value aw_bytes(const void *data, size_t n);
aw_value aw_bytes_str(const char *s);
aw_value aw_bytes_decode(aw_value b);
size_t aw_bytes_len(aw_value b);
const unsigned char *aw_bytes_data(aw_value b);

/* Writes a value as Python's str() would: a string as it is, anything else as its repr(); an
 * exception as str(e) (its message). */
size_t aw_value_str(aw_value v, char *buf, size_t size);

/* ---------------------------------------------------------------------------------------------
 * Exceptions, as CPython has them: a class in a hierarchy, and an instance holding an args tuple.
 *
 * Classes are values a port names at compile time.  The built-ins (Python's, and asyncio's) are
 * AW_<Name>: AW_ValueError, AW_CancelledError, AW_TimeoutError (asyncio.TimeoutError is the
 * built-in since 3.11), AW_ExceptionGroup...; AW_BUILTIN_EXCEPTIONS below lists each with its
 * bases, checked against CPython's __mro__.  A program defines its own at file scope:
 *
 *     AW_EXCEPTION_CLASS(MyError, AW_ValueError);   // class MyError(ValueError): pass
 *     AW_EXCEPTION_DECLARE(MyError);                // in a header, for other files
 *
 * (several bases: AW_EXCEPTION_CLASS(Both, AW_KeyError, AW_TimeoutError); `static` in front
 * keeps it to its file).  A class is a `const aw_exc_class *`: AW_ValueError and MyError are
 * arrays of one, so they are addresses usable anywhere, including static initializers.
 *
 * Names still work wherever a class does (the code written before classes existed, and the
 * fuzzer's scenarios, name them): "ValueError" is AW_ValueError, "MyError" the class defined as
 * above, and a name that no built-in or defined class has is a class of that name under
 * Exception, the same one every time (aw_exc_class_named).  aw_exc_new, aw_exc_new_args,
 * aw_raise, aw_raise_args, aw_except and aw_exc_matches take either, a `const char *` or a
 * `const aw_exc_class *` (chosen at compile time by _Generic); the functions behind them
 * (aw_exc_new_class, aw_raise_class, aw_except_class...) are there for function pointers.
 *
 * Not kept (yet): __cause__, __context__, __notes__ and tracebacks; the str() forms of
 * SyntaxError and the Unicode errors (their args print as any exception's); an except* handler
 * that raises is not combined with the rest, as the interpreter would.
 */
typedef struct aw_exc_class aw_exc_class;
struct aw_exc_class {
    const char *name;                   /* __name__, as repr() and traces show it */
    const aw_exc_class *const *bases;   /* __bases__, NULL-terminated (BaseException: none) */
};

/* The built-in hierarchy: X(Name, bases...).  QueueShutDown and PythonFinalizationError are
 * 3.13's; the others are in 3.11 and 3.14 alike. */
#define AW_BUILTIN_EXCEPTIONS(X)                                                               \
    X(BaseException, NULL)                                                                     \
    X(BaseExceptionGroup, AW_BaseException)                                                    \
    X(GeneratorExit, AW_BaseException)                                                         \
    X(KeyboardInterrupt, AW_BaseException)                                                     \
    X(SystemExit, AW_BaseException)                                                            \
    X(CancelledError, AW_BaseException)              /* asyncio's */                           \
    X(Exception, AW_BaseException)                                                             \
    X(ExceptionGroup, AW_BaseExceptionGroup, AW_Exception)                                     \
    X(ArithmeticError, AW_Exception)                                                           \
    X(FloatingPointError, AW_ArithmeticError)                                                  \
    X(OverflowError, AW_ArithmeticError)                                                       \
    X(ZeroDivisionError, AW_ArithmeticError)                                                   \
    X(AssertionError, AW_Exception)                                                            \
    X(AttributeError, AW_Exception)                                                            \
    X(BufferError, AW_Exception)                                                               \
    X(EOFError, AW_Exception)                                                                  \
    X(IncompleteReadError, AW_EOFError)              /* asyncio's */                           \
    X(ImportError, AW_Exception)                                                               \
    X(ModuleNotFoundError, AW_ImportError)                                                     \
    X(LookupError, AW_Exception)                                                               \
    X(IndexError, AW_LookupError)                                                              \
    X(KeyError, AW_LookupError)                                                                \
    X(MemoryError, AW_Exception)                                                               \
    X(NameError, AW_Exception)                                                                 \
    X(UnboundLocalError, AW_NameError)                                                         \
    X(OSError, AW_Exception)                                                                   \
    X(BlockingIOError, AW_OSError)                                                             \
    X(ChildProcessError, AW_OSError)                                                           \
    X(ConnectionError, AW_OSError)                                                             \
    X(BrokenPipeError, AW_ConnectionError)                                                     \
    X(ConnectionAbortedError, AW_ConnectionError)                                              \
    X(ConnectionRefusedError, AW_ConnectionError)                                              \
    X(ConnectionResetError, AW_ConnectionError)                                                \
    X(FileExistsError, AW_OSError)                                                             \
    X(FileNotFoundError, AW_OSError)                                                           \
    X(InterruptedError, AW_OSError)                                                            \
    X(IsADirectoryError, AW_OSError)                                                           \
    X(NotADirectoryError, AW_OSError)                                                          \
    X(PermissionError, AW_OSError)                                                             \
    X(ProcessLookupError, AW_OSError)                                                          \
    X(TimeoutError, AW_OSError)                      /* also asyncio.TimeoutError */           \
    X(ReferenceError, AW_Exception)                                                            \
    X(RuntimeError, AW_Exception)                                                              \
    X(NotImplementedError, AW_RuntimeError)                                                    \
    X(PythonFinalizationError, AW_RuntimeError)                                                \
    X(RecursionError, AW_RuntimeError)                                                         \
    X(BrokenBarrierError, AW_RuntimeError)           /* asyncio's */                           \
    X(SendfileNotAvailableError, AW_RuntimeError)    /* asyncio's */                           \
    X(StopAsyncIteration, AW_Exception)                                                        \
    X(StopIteration, AW_Exception)                                                             \
    X(SyntaxError, AW_Exception)                                                               \
    X(IndentationError, AW_SyntaxError)                                                        \
    X(TabError, AW_IndentationError)                                                           \
    X(SystemError, AW_Exception)                                                               \
    X(TypeError, AW_Exception)                                                                 \
    X(ValueError, AW_Exception)                                                                \
    X(UnicodeError, AW_ValueError)                                                             \
    X(UnicodeDecodeError, AW_UnicodeError)                                                     \
    X(UnicodeEncodeError, AW_UnicodeError)                                                     \
    X(UnicodeTranslateError, AW_UnicodeError)                                                  \
    X(Warning, AW_Exception)                                                                   \
    X(BytesWarning, AW_Warning)                                                                \
    X(DeprecationWarning, AW_Warning)                                                          \
    X(EncodingWarning, AW_Warning)                                                             \
    X(FutureWarning, AW_Warning)                                                               \
    X(ImportWarning, AW_Warning)                                                               \
    X(PendingDeprecationWarning, AW_Warning)                                                   \
    X(ResourceWarning, AW_Warning)                                                             \
    X(RuntimeWarning, AW_Warning)                                                              \
    X(SyntaxWarning, AW_Warning)                                                               \
    X(UnicodeWarning, AW_Warning)                                                              \
    X(UserWarning, AW_Warning)                                                                 \
    X(InvalidStateError, AW_Exception)               /* asyncio's */                           \
    X(LimitOverrunError, AW_Exception)               /* asyncio's */                           \
    X(QueueEmpty, AW_Exception)                      /* asyncio's */                           \
    X(QueueFull, AW_Exception)                       /* asyncio's */                           \
    X(QueueShutDown, AW_Exception)                   /* asyncio's */

#define AW__DECLARE_BUILTIN(name, ...) extern const aw_exc_class AW_##name[1];
AW_BUILTIN_EXCEPTIONS(AW__DECLARE_BUILTIN)

/* class Name(bases...): at file scope.  The class registers its name before main() runs, so
 * that aw_exc_class_named("Name") (and every macro given "Name") finds it. */
#define AW_EXCEPTION_CLASS(name, ...)                                                          \
    const aw_exc_class name[1] = {{#name, (const aw_exc_class *const[]){__VA_ARGS__, NULL}}}; \
    __attribute__((constructor)) static void aw__register_##name(void)                         \
    {                                                                                          \
        aw__exc_class_register(name);                                                          \
    }                                                                                          \
    extern const aw_exc_class name[1]
#define AW_EXCEPTION_DECLARE(name) extern const aw_exc_class name[1]
void aw__exc_class_register(const aw_exc_class *cls);

/* The class of that name: a built-in, a defined one, or (any other name) a class of that name
 * under Exception, made once for the process.  NULL only for a NULL name. */
const aw_exc_class *aw_exc_class_named(const char *name);
/* issubclass(cls, base): base is cls or one of its ancestors (any base, any depth). */
bool aw_exc_class_is_subclass(const aw_exc_class *cls, const aw_exc_class *base);

/* A tuple of classes, as `except (A, B):` and eg.split((A, B)) take one: expands to the two
 * arguments `count, array` that the *_any and split functions take. */
#define AW_EXC_TUPLE(...)                                                                      \
    sizeof((const aw_exc_class *const[]){__VA_ARGS__}) / sizeof(const aw_exc_class *),         \
        (const aw_exc_class *const[]){__VA_ARGS__}

/* Making exceptions.  Type(msg): aw_exc_new(type, fmt, ...) has one argument, the formatted
 * string; fmt NULL makes Type() with no arguments (so CancelledError() and CancelledError('')
 * differ, as in CPython: args () and str "" against args ('',) and str "").  Type(a, b, ...):
 * aw_exc_new_args(type, n, args).  The exception owns copies of its arguments (strings and lists
 * are copied, exceptions referenced), so it may outlive the loop.  A new exception has one
 * reference, the caller's.
 *   OSError(errno, strerror[, filename]) is made as CPython makes it: a known errno picks the
 * subclass (OSError(errno.ETIMEDOUT, 'x') is a TimeoutError), str() is "[Errno N] strerror"
 * (and ": 'filename'"), and args keep (errno, strerror).  A group class is made by
 * aw_exc_group_new (or aw_exc_new_args with (msg, [excs])): aw_exc_new(AW_ExceptionGroup, ...)
 * returns NULL with TypeError in flight, as ExceptionGroup('msg') raises in CPython. */
aw_exc *aw_exc_new(const char *type, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
aw_exc *aw_exc_new_class(const aw_exc_class *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
aw_exc *aw_exc_new_args(const aw_exc_class *cls, size_t n, const aw_value *args);

const char *aw_exc_type(const aw_exc *e);               /* type(e).__name__ */
const aw_exc_class *aw_exc_class_of(const aw_exc *e);   /* type(e) */
/* str(e): "" with no args; str(arg) with one (KeyError: repr(arg), so str(KeyError('k')) is
 * "'k'"); repr(args) with several; a group's "msg (N sub-exceptions)".  Lives as long as e. */
const char *aw_exc_message(const aw_exc *e);
size_t aw_exc_repr(const aw_exc *e, char *buf, size_t size);  /* ValueError('x'), KeyError('k') */
size_t aw_exc_nargs(const aw_exc *e);                   /* len(e.args) */
aw_value aw_exc_arg(const aw_exc *e, size_t i);         /* e.args[i] (None past the end); lives as long as e */
/* e.NAME for the attributes CPython's classes add beyond args: IncompleteReadError's `partial`
 * (bytes) and `expected` (an int, or None for readuntil's), LimitOverrunError's `consumed`, an
 * OSError's `errno` and `strerror` (its args (errno, strerror)).  None when e has no such
 * attribute.  Lives as long as e. */
aw_value aw_exc_attr(const aw_exc *e, const char *name);
bool aw_exc_matches(const aw_exc *e, const aw_exc_class *cls);   /* isinstance(e, cls) */
bool aw_exc_matches_any(const aw_exc *e, size_t n, const aw_exc_class *const *classes);
aw_exc *aw_exc_ref(aw_exc *e);
void aw_exc_unref(aw_exc *e);
aw_status aw_exc_status(const aw_exc *e);   /* CancelledError (or a subclass) -> AW_CANCELLED ... */

/* Exception groups: BaseExceptionGroup(msg, excs).  As in CPython, the class is ExceptionGroup
 * when every sub-exception is an Exception, else BaseExceptionGroup; n == 0 returns NULL with
 * ValueError in flight ("second argument (exceptions) must be a non-empty sequence").  Takes a
 * reference to each of excs (the caller keeps its own).  eg.args is (msg, [excs...]). */
aw_exc *aw_exc_group_new(const char *msg, aw_exc *const *excs, size_t n);
bool aw_exc_is_group(const aw_exc *e);                  /* isinstance(e, BaseExceptionGroup) */
const char *aw_exc_group_message(const aw_exc *eg);     /* eg.message */
size_t aw_exc_group_count(const aw_exc *eg);            /* len(eg.exceptions) */
aw_exc *aw_exc_group_item(const aw_exc *eg, size_t i);  /* eg.exceptions[i], borrowed */
/* match, rest = eg.split(classes): what matches (a leaf or a whole nested group), kept in the
 * group's shape; each is a new reference or NULL (None).  If eg itself matches, match is eg and
 * rest NULL.  Groups are rebuilt as BaseExceptionGroup(msg, ...) is: a part holding only
 * Exceptions is an ExceptionGroup.  subgroup() is split's match. */
void aw_exc_group_split(aw_exc *eg, size_t n, const aw_exc_class *const *classes, aw_exc **match,
                        aw_exc **rest);
aw_exc *aw_exc_group_subgroup(aw_exc *eg, size_t n, const aw_exc_class *const *classes);

aw_exc *aw_exc_current(void);   /* the exception in flight in the current task, or NULL */
void aw_exc_clear(void);        /* swallow it ("except ...: pass") */
/* "raise Type(msg)": puts a new exception in flight and returns the value a body returns.
 * aw_raise(AW_ValueError, NULL) is `raise ValueError` (no args). */
aw_value aw_raise(const char *type, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
aw_value aw_raise_class(const aw_exc_class *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
aw_value aw_raise_args(const aw_exc_class *cls, size_t n, const aw_value *args);  /* raise Type(a, b) */
aw_value aw_raise_exc(aw_exc *e);                     /* raise an existing exception (takes a ref) */
aw_value aw_reraise(void);                            /* "raise": propagate what is in flight */

/* A type argument that is a name or a class, as a class. */
static inline const aw_exc_class *aw__exc_class_id(const aw_exc_class *cls) { return cls; }
#define AW__EXC_CLASS(type)                                                                    \
    _Generic((type), const aw_exc_class *: aw__exc_class_id, aw_exc_class *: aw__exc_class_id, \
             default: aw_exc_class_named)(type)
#define AW__BY_CLASS(type, by_name, by_class)                                                  \
    _Generic((type), const aw_exc_class *: by_class, aw_exc_class *: by_class, default: by_name)

/* ---------------------------------------------------------------------------------------------
 * Coroutines.  A coroutine body is a C function over a block of arguments:
 *
 *     AW_COROUTINE(say_after, double delay; const char *what;) {
 *         AW_AWAIT(aw_sleep(self->delay));   // an error or cancellation returns from here
 *         aw_print("%s", self->what);
 *         return aw_none();
 *     }
 *     ... AW_CALL(say_after, 1, "hello") makes the coroutine object say_after(1, 'hello').
 *
 * AW_CALL only creates the object, as calling an async def does in Python; nothing runs until
 * it is awaited (it then runs inside the awaiting task) or wrapped in a task.
 */
typedef aw_value (*aw_coro_body)(void *self);

#define AW_COROUTINE(name, ...)                                                                \
    struct name##_args { char aw__first; __VA_ARGS__ };                                        \
    static aw_value name##_body(struct name##_args *self __attribute__((unused)));            \
    static aw_value name##_body(struct name##_args *self __attribute__((unused)))

/* Where a call comes from, for traces: the program's file and line; nothing in core's own code
 * (its calls are the library's, and its coroutines are marked so). */
#ifdef AW__CORE_INTERNAL
#define AW__HERE NULL, 0
#else
#define AW__HERE __FILE__, __LINE__
#endif

/* The argument block's padding is zeroed first (GCC and Clang): a compound literal leaves it as
 * whatever the stack held, and copied stacks read the block word by word for pointers into the
 * shared stack, so stale bytes there could refuse a task for an argument it does not have (and
 * would make that refusal depend on stack garbage). */
#if defined(__GNUC__)
#define AW__CAT2(a, b) a##b
#define AW__CAT(a, b) AW__CAT2(a, b)
/* A name of its own per expansion (__COUNTER__), so that AW_CALL inside AW_CALL shadows nothing. */
#define AW_CALL(name, ...) AW__CALL_INTO(AW__CAT(aw__call_args, __COUNTER__), name, __VA_ARGS__)
#define AW__CALL_INTO(args, name, ...)                                                         \
    __extension__({                                                                            \
        struct name##_args args;                                                               \
        __builtin_memset(&args, 0, sizeof args);                                               \
        args = (struct name##_args){0, __VA_ARGS__};                                           \
        aw_coro_new(#name, (aw_coro_body)name##_body, &args, sizeof args, AW__HERE);           \
    })
#else
#define AW_CALL(name, ...)                                                                     \
    aw_coro_new(#name, (aw_coro_body)name##_body, &(struct name##_args){0, __VA_ARGS__},       \
                sizeof(struct name##_args), AW__HERE)
#endif

/* file NULL: made by library code (its body is the library's: viewers show it as such). */
aw_coro *aw_coro_new(const char *name, aw_coro_body body, const void *args, size_t args_size,
                     const char *file, int line);
const char *aw_coro_name(const aw_coro *c);
/* Drops a coroutine object without running it ("coro.close()"): no never-awaited warning.  A
 * handle already consumed (awaited, given to a task, closed) is left alone, as closing a closed
 * coroutine is in Python.  aw_coro_name() of a consumed handle is NULL. */
void aw_coro_close(aw_coro *c);

/* ---------------------------------------------------------------------------------------------
 * Awaitables, checked by the compiler.  The types that can be awaited are listed once, here;
 * aw_await, aw_wait_for, aw_shield and AW_GATHER accept exactly these (anything else fails to
 * compile, as `await 42` fails in Python, only earlier).  A new awaitable type is one more X(...)
 * in this list and a tag its functions recognise at run time.  A void * that is known to hold an
 * awaitable (an array of mixed ones, say) goes through aw_any(p): checked at run time instead
 * (TypeError "object can't be used in 'await' expression").
 *
 * An aw_coro * is a handle, not a pointer: a coroutine object is consumed by the one thing that
 * awaits it or wraps it in a task, and any later use of the same handle (awaiting it again,
 * awaiting one a task owns) raises RuntimeError("cannot reuse already awaited coroutine"), as in
 * CPython, never reads freed memory.  Memory stays bounded by the objects alive at once.
 */
typedef struct aw_awaitable aw_awaitable;   /* "some awaitable, checked at run time" */
#define AW_AWAITABLE_TYPES(X) X(aw_coro) X(aw_task) X(aw_future) X(aw_awaitable)

static inline aw_awaitable *aw_any(void *p) { return (aw_awaitable *)p; }
static inline void *aw__awaitable_ptr(const void *p) { return (void *)p; }
#define AW__AWAITABLE_ASSOC(T) , T *: aw__awaitable_ptr
/* x, type-checked, as the void * the functions below take. */
#define AW_AWAITABLE(x) _Generic((x) AW_AWAITABLE_TYPES(AW__AWAITABLE_ASSOC))(x)
#ifdef AW__CORE_INTERNAL
#define AW__AWAITABLE_ARG(x) (x)   /* core stores awaitables as void * and checks their tags */
#else
#define AW__AWAITABLE_ARG(x) AW_AWAITABLE(x)
#endif

/* Await anything awaitable: an aw_coro* (runs it here, consuming it), an aw_task* or an
 * aw_future* (suspends the current task until it is done).  *out (may be NULL) gets the result.
 * Returns AW_OK, or the status of the exception now in flight.  A NULL awaitable is what a call
 * that raised returned (aw_gather, aw_create_task...): the exception it left in flight
 * propagates (with none in flight, TypeError "'NoneType' object can't be awaited"). */
#define aw_await(awaitable, out) aw__await(AW__AWAITABLE_ARG(awaitable), (out), AW__HERE)
aw_status aw__await(void *awaitable, aw_value *out, const char *file, int line);

/* The one-line propagation idioms ("await x" where an exception just propagates). */
#define AW_TRY(status_expr)                                                                    \
    do {                                                                                       \
        if ((status_expr) != AW_OK) return aw_reraise();                                       \
    } while (0)
#define AW_AWAIT(awaitable) AW_TRY(aw_await((awaitable), NULL))
#define AW_AWAIT_INTO(var, awaitable) AW_TRY(aw_await((awaitable), &(var)))

/* ---------------------------------------------------------------------------------------------
 * The loop.
 */
typedef enum aw_clock_kind { AW_CLOCK_REAL = 0, AW_CLOCK_SIM } aw_clock_kind;

/* What the program prints goes through the loop (so it is traced and can be timestamped). */
typedef void (*aw_output_fn)(aw_loop *loop, const char *line, void *ud);
/* Warnings (never awaited, exception never retrieved, slow callback), in CPython's words. */
typedef void (*aw_warning_fn)(aw_loop *loop, const char *category, const char *text, void *ud);

/* What the seed may vary (the simulated clock only; all 0, the default: the one schedule asyncio
 * gives).  Each choice is drawn from the simulator's seeded streams (sim/rng.h), so one seed gives
 * one schedule, byte for byte, and each is a `choice` event in the trace.  What asyncio itself fixes
 * is never varied: the ready queue stays FIFO and timers fire in (deadline, creation) order, never
 * before their deadline.  aw_loop_new refuses values outside the ranges below (ValueError). */
typedef struct aw_variations {
    double cpu;      /* aw_busy(d) holds the loop d * (1 + cpu * u) s, u uniform in [-1, 1); 0..1 */
    double executor; /* an executor job declared to take s seconds takes s * (1 + executor * u); 0..1 */
    double timer;    /* timer jitter: each wait of the loop for its next timer lasts up to `timer` s
                      * longer (u * timer more, u in [0, 1)), as a loaded machine wakes late; >= 0 */
} aw_variations;

/* Where tasks run (README "Task stacks", core/fiber.h): a stack per task, or ONE shared stack
 * whose live part each sleeping task keeps in a heap copy (less memory per sleeping task, a copy
 * per switch; nothing may point into a task's stack from outside it: such pointers are refused). */
typedef enum aw_stacks_kind {
    AW_STACKS_AUTO = 0,    /* AWAITLAB_STACKS=copied|separate, else separate */
    AW_STACKS_SEPARATE,
    AW_STACKS_COPIED,
} aw_stacks_kind;

typedef struct aw_loop_options {
    aw_clock_kind clock;         /* AW_CLOCK_REAL (CLOCK_MONOTONIC + epoll) or AW_CLOCK_SIM */
    aw_backend *backend;         /* overrides `clock` when set (e.g. a custom simulator) */
    int64_t sim_wall_start_ns;   /* sim clock: the wall time (Unix epoch, ns) at virtual 0 */
    uint64_t seed;               /* recorded in traces; seeds the simulator's choices */
    size_t stack_size;           /* per-task stack in bytes; 0: AW_DEFAULT_STACK_SIZE */
    double slow_callback_duration; /* warn when a callback holds the loop longer; 0: never */
    aw_output_fn output;         /* NULL: write the line and a newline to stdout */
    aw_warning_fn warning;       /* NULL: the text (as CPython prints it) to stderr */
    void *ud;                    /* passed to output and warning */
    const aw_tracer *tracer;     /* NULL: no tracing (costs one predictable branch) */
    void *tracer_ud;
    const char *program;         /* a name for traces (lesson or program name) */
    aw_variations vary;          /* what the seed varies (simulated clock only; 0: nothing) */
    double time_limit;           /* simulated clock: once loop.time() passes this many seconds,
                                  * the loop stops with RuntimeError (a run that would never end:
                                  * `awaitlab explore` calls it a hang); 0: no limit */
    aw_stacks_kind stacks;       /* AUTO (0) reads AWAITLAB_STACKS in aw_loop_new */
} aw_loop_options;

/* The ranges above (NaN fails): what aw_loop_new accepts. */
bool aw_variations_valid(const aw_variations *v, double time_limit);

/* true once a loop of this process has stopped at its time_limit (sim/env.c turns it into the
 * exit status AW_EXIT_TIME_LIMIT of a program linked with the sim library). */
bool aw_time_limit_reached(void);

#define AW_DEFAULT_STACK_SIZE (256u * 1024u)

/* Fills `opts` with the defaults, then applies the environment: AWAITLAB_CLOCK=sim|real,
 * AWAITLAB_SEED=N, AWAITLAB_STACK_SIZE=bytes, AWAITLAB_TRACE=path (handled by sim's recorder
 * when the program links it, see sim/recorder.h). */
aw_status aw_loop_options_init(aw_loop_options *opts);
/* A bad AWAITLAB_STACK_SIZE is not fatal: aw_loop_options_init returns AW_ERROR with a ValueError
 * in flight naming the variable and its value, and leaves a stack_size that aw_loop_new refuses
 * (ValueError again), so the program never runs with a value nobody asked for.  (The sim
 * library's own variables, AWAITLAB_CLOCK/_SEED/_TRACE, are checked by its options hook.) */

/* NULL opts: defaults + environment.  Returns NULL with the reason in flight: ValueError for bad
 * options (stack_size outside 16384..1073741824 bytes, a bad AWAITLAB_STACK_SIZE or
 * AWAITLAB_STACKS, a `stacks` out of the enum), RuntimeError
 * when the simulated clock is asked for and not linked in, OSError when epoll cannot be had. */
aw_loop *aw_loop_new(const aw_loop_options *opts);
/* Reports leftovers.  A running loop is not closed: RuntimeError("Cannot close a running event
 * loop") in flight and AW_ERROR; aw_loop_free then frees nothing, with the same error. */
aw_status aw_loop_close(aw_loop *loop);
aw_status aw_loop_free(aw_loop *loop);  /* closes if needed, then frees everything it owns */
bool aw_loop_is_running(const aw_loop *loop);
bool aw_loop_is_closed(const aw_loop *loop);

/* Runs until `fut` (a future or task) is done; *out gets its result.  The exception, if any,
 * is in flight for the caller (aw_exc_current()) until aw_exc_clear(). */
aw_status aw_loop_run_until_complete(aw_loop *loop, void *fut, aw_value *out);
aw_status aw_loop_run_forever(aw_loop *loop);           /* until aw_loop_stop() */
void aw_loop_stop(aw_loop *loop);

aw_loop *aw_current_loop(void);      /* the running loop, or NULL */
aw_task *aw_current_task(void);      /* the task whose step is running, or NULL */

/* loop.time(): monotonic seconds, a double as in CPython.  Every deadline is computed from it
 * with CPython's float arithmetic (call_later: time() + delay), so three sleep(0.1) end at
 * 0.30000000000000004, and three sleep(1/3) end at exactly 1.0.  On the simulated clock the
 * time moves by float additions only: now + (when - now) when waiting, now + d in aw_busy. */
double aw_loop_time(const aw_loop *loop);
int64_t aw_loop_time_ns(const aw_loop *loop);           /* loop.time() to the nearest ns */
aw_clock_kind aw_loop_clock(const aw_loop *loop);
uint64_t aw_loop_iteration(const aw_loop *loop);
const aw_loop_options *aw_loop_options_of(const aw_loop *loop);
double aw_time(void);                /* aw_loop_time(aw_current_loop()) */
double aw_wall_time(void);           /* time.time(): the virtual wall clock in sim mode */
/* time.strftime(fmt) at the (virtual) wall time, in UTC; the string lives in the arena. */
const char *aw_strftime(const char *fmt);

/* Callbacks.  The returned handle belongs to the loop.  A timer's (call_later, call_at) stays
 * valid until the loop is freed.  call_soon's is a reference that outlives the callback safely:
 * once the callback has run, the loop reuses the handle's memory (as CPython's garbage collector
 * frees a Handle nobody refers to) and the reference reads as a handle that ran: not cancelled,
 * aw_handle_cancel does nothing, aw_handle_when -1.  (One difference from CPython: there,
 * cancel() after the run makes cancelled() true.)  A call_soon handle cancelled before it ran
 * stays cancelled.  On a closed loop: NULL, with RuntimeError("Event loop is closed") in flight. */
typedef void (*aw_callback)(void *arg);
aw_handle *aw_call_soon(aw_loop *loop, aw_callback cb, void *arg);
aw_handle *aw_call_later(aw_loop *loop, double delay, aw_callback cb, void *arg);
aw_handle *aw_call_at(aw_loop *loop, double when, aw_callback cb, void *arg);
aw_handle *aw_call_at_ns(aw_loop *loop, int64_t when_ns, aw_callback cb, void *arg); /* at when_ns / 1e9 */
/* A name for traces and warnings (CPython shows the callback's repr). */
void aw_handle_set_name(aw_handle *h, const char *name);
void aw_handle_cancel(aw_handle *h);
bool aw_handle_cancelled(const aw_handle *h);
double aw_handle_when(const aw_handle *h);              /* timers: the deadline */

/* Descriptors (real backend: epoll; simulated backend: simulated descriptors). */
int aw_add_reader(aw_loop *loop, int fd, aw_callback cb, void *arg);
int aw_remove_reader(aw_loop *loop, int fd);
int aw_add_writer(aw_loop *loop, int fd, aw_callback cb, void *arg);
int aw_remove_writer(aw_loop *loop, int fd);

/* Output: print() through the loop (traced with the source line of the call). */
#define aw_print(...) aw__print(AW__HERE, __VA_ARGS__)
void aw__print(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void aw_vprint(const char *file, int line, const char *fmt, va_list ap);

/* A CPU-bound call: holds the loop for `seconds` (sim: advances the virtual clock, now = now +
 * seconds in floats, as the oracle's busy(); real: spins).
 * Nothing else runs meanwhile; a pending cancellation is delivered at the next await.  In an
 * executor job it is the job's time, not the loop's: as aw_thread_sleep (the oracle's busy() in a
 * job moves the job's clock). */
void aw_busy(double seconds);

/* ---------------------------------------------------------------------------------------------
 * Futures.
 */
aw_future *aw_future_new(aw_loop *loop);               /* loop.create_future() */
bool aw_future_done(const aw_future *f);
bool aw_future_cancelled(const aw_future *f);
/* result(): AW_OK with *out; the exception's status (now in flight); or InvalidStateError when
 * pending ("Result is not set."). */
aw_status aw_future_result(aw_future *f, aw_value *out);
aw_exc *aw_future_exception(aw_future *f);             /* borrowed; NULL if none (or pending) */
/* set_result / set_exception: AW_ERROR with InvalidStateError in flight if already done. */
aw_status aw_future_set_result(aw_future *f, aw_value v);
aw_status aw_future_set_exception(aw_future *f, aw_exc *e);   /* takes a reference */
bool aw_future_cancel(aw_future *f, const char *msg);         /* msg may be NULL */
typedef void (*aw_done_fn)(aw_future *f, void *arg);
void aw_future_add_done_callback(aw_future *f, aw_done_fn fn, void *arg);
size_t aw_future_remove_done_callback(aw_future *f, aw_done_fn fn, void *arg);
void aw_future_detach(aw_future *f);   /* the program will not touch f again */
unsigned aw_future_id(const aw_future *f);
aw_loop *aw_future_loop(const aw_future *f);

/* ---------------------------------------------------------------------------------------------
 * Tasks.  create_task schedules the first step with call_soon; it does not run the coroutine.
 */
/* Misuse returns NULL with CPython's error in flight: RuntimeError("no running event loop"),
 * RuntimeError("Event loop is closed"), TypeError("a coroutine was expected, got ..."). */
aw_task *aw_create_task(aw_coro *coro);                       /* named "Task-N" */
aw_task *aw_create_task_named(aw_coro *coro, const char *name);
aw_task *aw_loop_create_task(aw_loop *loop, aw_coro *coro, const char *name);
aw_future *aw_task_future(aw_task *t);                        /* the task as a future */
aw_task *aw_future_task(aw_future *f);                        /* NULL if f is not a task */
const char *aw_task_name(const aw_task *t);
void aw_task_set_name(aw_task *t, const char *name);
unsigned aw_task_id(const aw_task *t);
bool aw_task_done(const aw_task *t);
bool aw_task_cancel(aw_task *t, const char *msg);             /* msg may be NULL */
bool aw_task_cancelled(const aw_task *t);
int aw_task_cancelling(const aw_task *t);
int aw_task_uncancel(aw_task *t);
aw_status aw_task_result(aw_task *t, aw_value *out);
aw_exc *aw_task_exception(aw_task *t);
void aw_task_detach(aw_task *t);

/* ---------------------------------------------------------------------------------------------
 * Combinators, as in asyncio.  Those that are coroutines in Python return an aw_coro here.
 */
aw_coro *aw_sleep(double seconds);                 /* <= 0: one bare yield (one iteration) */
aw_coro *aw_sleep_value(double seconds, aw_value result);

/* gather(*aws, return_exceptions=...): a future whose result is an AW_LIST in argument order. */
/* NULL with TypeError in flight if one of them is not awaitable (nothing is started then), or
 * RuntimeError("no running event loop"). */
aw_future *aw_gather(bool return_exceptions, size_t n, void *const *awaitables);
/* The same with 1 to 16 awaitables, each type-checked (AW_AWAITABLE).  They are evaluated in the
 * order C evaluates an initializer list (unspecified by the standard; left to right with gcc and
 * clang).  Make them in separate statements if creation order matters to you (ids in traces
 * follow it). */
#define AW_GATHER(...)                                                                         \
    aw_gather(false, AW__NARG(__VA_ARGS__), (void *[]){AW__MAP(AW_AWAITABLE, __VA_ARGS__)})
#define AW__NARG(...) AW__NARG_(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define AW__NARG_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, N, ...) N
#define AW__CAT2(a, b) a##b
#define AW__CAT(a, b) AW__CAT2(a, b)
#define AW__MAP(f, ...) AW__CAT(AW__MAP_, AW__NARG(__VA_ARGS__))(f, __VA_ARGS__)
#define AW__MAP_1(f, a) f(a)
#define AW__MAP_2(f, a, ...) f(a), AW__MAP_1(f, __VA_ARGS__)
#define AW__MAP_3(f, a, ...) f(a), AW__MAP_2(f, __VA_ARGS__)
#define AW__MAP_4(f, a, ...) f(a), AW__MAP_3(f, __VA_ARGS__)
#define AW__MAP_5(f, a, ...) f(a), AW__MAP_4(f, __VA_ARGS__)
#define AW__MAP_6(f, a, ...) f(a), AW__MAP_5(f, __VA_ARGS__)
#define AW__MAP_7(f, a, ...) f(a), AW__MAP_6(f, __VA_ARGS__)
#define AW__MAP_8(f, a, ...) f(a), AW__MAP_7(f, __VA_ARGS__)
#define AW__MAP_9(f, a, ...) f(a), AW__MAP_8(f, __VA_ARGS__)
#define AW__MAP_10(f, a, ...) f(a), AW__MAP_9(f, __VA_ARGS__)
#define AW__MAP_11(f, a, ...) f(a), AW__MAP_10(f, __VA_ARGS__)
#define AW__MAP_12(f, a, ...) f(a), AW__MAP_11(f, __VA_ARGS__)
#define AW__MAP_13(f, a, ...) f(a), AW__MAP_12(f, __VA_ARGS__)
#define AW__MAP_14(f, a, ...) f(a), AW__MAP_13(f, __VA_ARGS__)
#define AW__MAP_15(f, a, ...) f(a), AW__MAP_14(f, __VA_ARGS__)
#define AW__MAP_16(f, a, ...) f(a), AW__MAP_15(f, __VA_ARGS__)

/* Timeouts and deadlines are seconds, as in asyncio; Python's None is AW_NO_TIMEOUT (+infinity;
 * NaN counts as None too).  Every finite value is a real one, negative ones included: a computed
 * delay that went negative is a deadline already past and expires at once, as in CPython
 * (timeout(-1) at the next iteration, wait_for(x, -1) takes wait_for's `timeout <= 0` path,
 * wait(fs, timeout=-1) returns after one iteration).  Before issue 13 a negative value meant None:
 * write AW_NO_TIMEOUT for that now. */
#define AW_NO_TIMEOUT ((double)INFINITY)

/* wait_for(aw, timeout): 3.12+ semantics (a timeout scope around the await; timeout <= 0: cancel
 * aw at once unless it is already done, and raise TimeoutError). */
aw_coro *aw_wait_for(void *awaitable, double timeout);

/* async with timeout(delay) / timeout_at(when): prefer the block AW_TIMEOUT below, which cannot
 * be left without exiting.  The lower level: begin, run the body, then pass the body's status to
 * aw_timeout_end(), which turns the scope's own cancellation into TimeoutError.  A scope still
 * open when the coroutine that began it returns is exited by the core and the coroutine raises
 * RuntimeError naming the line of aw_timeout_begin() (a leaked scope would cancel the task at
 * some later, unrelated await). */
aw_timeout *aw_timeout_begin(double delay);        /* AW_NO_TIMEOUT: never (None) */
aw_timeout *aw_timeout_begin_at(double when);      /* AW_NO_TIMEOUT: never (None) */
aw_status aw_timeout_end(aw_timeout *t, aw_status body_status);
aw_status aw_timeout_reschedule(aw_timeout *t, double when);   /* AW_NO_TIMEOUT: never */
bool aw_timeout_expired(const aw_timeout *t);
double aw_timeout_when(const aw_timeout *t);       /* AW_NO_TIMEOUT when never */

aw_future *aw_shield(void *awaitable);        /* awaitable: see AW_AWAITABLE */

typedef enum aw_wait_mode { AW_ALL_COMPLETED = 0, AW_FIRST_COMPLETED, AW_FIRST_EXCEPTION } aw_wait_mode;
/* await wait(fs, timeout, return_when): on return done[i] tells whether fs[i] is in `done`.
 * timeout: AW_NO_TIMEOUT for None.
 * Coroutines among fs are wrapped in tasks (fs[i] is replaced by the task). */
aw_status aw_wait(void **fs, size_t n, double timeout, aw_wait_mode mode, bool *done);

/* for aw in as_completed(fs, timeout): value = await aw  (timeout: AW_NO_TIMEOUT for None) */
typedef struct aw_as_completed aw_as_completed;
aw_as_completed *aw_as_completed_new(void **fs, size_t n, double timeout);
bool aw_as_completed_has_next(const aw_as_completed *it);
aw_status aw_as_completed_next(aw_as_completed *it, aw_value *out);

/* ---------------------------------------------------------------------------------------------
 * Synchronization primitives and queues (asyncio.Lock, Event, Condition, Semaphore,
 * BoundedSemaphore, Barrier, Queue, PriorityQueue, LifoQueue), with CPython 3.12+'s wake-up rules
 * (FIFO waiters; a waiter woken and then cancelled passes its turn on) and CPython's words in
 * every error.  Queue.shutdown is 3.13's.
 *
 * A primitive belongs to the loop running when it is made (make it inside a coroutine, as
 * Python programs do); it lives until that loop is freed.  Methods that are coroutines in Python
 * return an aw_coro here (await them); the others return an aw_status (AW_OK, or the error now
 * in flight).  Awaiting acquire() / wait() returns True as the int 1.
 *
 *     aw_lock *lock = aw_lock_new();
 *     AW_ASYNC_WITH(lock) {                 // async with lock:  (Lock, Semaphore, Condition)
 *         AW_AWAIT(aw_sleep(1));            //     the lock is released however the block ends:
 *     }                                     //     at its end, `break`, or a `return`
 *
 * AW_ASYNC_WITH returns aw_reraise() from the enclosing coroutine when the acquire fails (e.g.
 * cancelled while waiting), so the block runs only while the lock is held.  It releases with
 * __attribute__((cleanup)) (gcc, clang).  Without the macro: AW_AWAIT(aw_lock_acquire(lock)),
 * then aw_lock_release(lock) on every way out, as `try: ... finally: lock.release()`.
 *
 * Each operation is traced (a `sync` event: sim/trace-format.md); aw_sync_set_name() gives the
 * primitive a name that traces and viewers show ("forks[2]"), else they say "Lock #1".
 */
typedef struct aw_lock aw_lock;
typedef struct aw_sync_event aw_sync_event;   /* asyncio.Event (aw_event is the tracer's record) */
typedef struct aw_condition aw_condition;
typedef struct aw_semaphore aw_semaphore;     /* Semaphore and BoundedSemaphore */
typedef struct aw_barrier aw_barrier;
typedef struct aw_queue aw_queue;             /* Queue, PriorityQueue and LifoQueue */

void aw_sync_set_name(void *primitive, const char *name);   /* any of the above; copied */
unsigned aw_sync_id(const void *primitive);                 /* its id in traces */

aw_lock *aw_lock_new(void);
aw_coro *aw_lock_acquire(aw_lock *lock);
aw_status aw_lock_release(aw_lock *lock);     /* RuntimeError('Lock is not acquired.') */
bool aw_lock_locked(const aw_lock *lock);

aw_sync_event *aw_sync_event_new(void);
aw_coro *aw_sync_event_wait(aw_sync_event *ev);
void aw_sync_event_set(aw_sync_event *ev);
void aw_sync_event_clear(aw_sync_event *ev);
bool aw_sync_event_is_set(const aw_sync_event *ev);

/* Condition(lock): lock NULL makes its own.  wait() releases the lock, waits for a notify, and
 * re-acquires the lock before it returns, even when cancelled (as CPython does). */
aw_condition *aw_condition_new(aw_lock *lock);
aw_coro *aw_condition_acquire(aw_condition *cond);
aw_status aw_condition_release(aw_condition *cond);
bool aw_condition_locked(const aw_condition *cond);
aw_coro *aw_condition_wait(aw_condition *cond);    /* RuntimeError('cannot wait on un-acquired lock') */
/* wait_for(predicate): waits until predicate(arg) is true; returns True (1). */
typedef bool (*aw_predicate)(void *arg);
aw_coro *aw_condition_wait_for(aw_condition *cond, aw_predicate predicate, void *arg);
aw_status aw_condition_notify(aw_condition *cond, size_t n);   /* RuntimeError('cannot notify on un-acquired lock') */
aw_status aw_condition_notify_all(aw_condition *cond);

/* NULL with ValueError('Semaphore initial value must be >= 0') in flight when value < 0. */
aw_semaphore *aw_semaphore_new(long value);
aw_semaphore *aw_bounded_semaphore_new(long value);
aw_coro *aw_semaphore_acquire(aw_semaphore *sem);
aw_status aw_semaphore_release(aw_semaphore *sem);  /* ValueError('BoundedSemaphore released too many times') */
bool aw_semaphore_locked(const aw_semaphore *sem);

/* NULL with ValueError('parties must be >= 1') in flight when parties < 1.  wait() returns the
 * task's index (0 .. parties-1) as an int; BrokenBarrierError when the barrier is aborted or
 * reset while it waits. */
aw_barrier *aw_barrier_new(long parties);
aw_coro *aw_barrier_wait(aw_barrier *b);
aw_coro *aw_barrier_reset(aw_barrier *b);
aw_coro *aw_barrier_abort(aw_barrier *b);
long aw_barrier_parties(const aw_barrier *b);
long aw_barrier_n_waiting(const aw_barrier *b);
bool aw_barrier_broken(const aw_barrier *b);
const char *aw_barrier_state(const aw_barrier *b);   /* "filling", "draining", "resetting", "broken" */
/* repr(barrier): "<asyncio.locks.Barrier object at 0x... [filling, waiters:2/3]>" ("[broken]"
 * when broken); the address is written "0x..." (sim mode prints none).  The string lives in the
 * barrier's loop's arena. */
const char *aw_barrier_repr(const aw_barrier *b);

/* Queues of aw_values.  maxsize <= 0: unbounded.  A PriorityQueue pops the smallest item first,
 * ordered as Python's `<` orders them (ints and floats by value, strings by code point, lists
 * element by element) with heapq's own mechanics, so equal items come out as CPython's do; items
 * that Python cannot compare make put() fail with TypeError, as CPython's does. */
aw_queue *aw_queue_new(long maxsize);
aw_queue *aw_priority_queue_new(long maxsize);
aw_queue *aw_lifo_queue_new(long maxsize);
aw_coro *aw_queue_put(aw_queue *q, aw_value item);     /* QueueShutDown once shut down */
aw_coro *aw_queue_get(aw_queue *q);                    /* the item is the await's result */
aw_status aw_queue_put_nowait(aw_queue *q, aw_value item);   /* QueueFull, QueueShutDown */
aw_status aw_queue_get_nowait(aw_queue *q, aw_value *out);   /* QueueEmpty, QueueShutDown */
aw_status aw_queue_task_done(aw_queue *q);   /* ValueError('task_done() called too many times') */
aw_coro *aw_queue_join(aw_queue *q);
void aw_queue_shutdown(aw_queue *q, bool immediate);   /* 3.13: gets and puts raise QueueShutDown */
size_t aw_queue_qsize(const aw_queue *q);
long aw_queue_maxsize(const aw_queue *q);
bool aw_queue_empty(const aw_queue *q);
bool aw_queue_full(const aw_queue *q);

/* ---------------------------------------------------------------------------------------------
 * Streams (asyncio.open_connection, start_server, StreamReader, StreamWriter, Server), with
 * CPython's semantics: the transport under them is a port of _SelectorSocketTransport (a write
 * is sent at once as far as the socket takes it and buffered beyond; over 64 KiB buffered, the
 * writer pauses and drain() waits until the buffer is down to 16 KiB), and its protocol
 * callbacks run in the loop iterations CPython's do.  The network is the backend's: real TCP
 * (hosts "127.0.0.1", "localhost", "::1") on the real clock, a simulated one where the backend
 * has it; a backend without one raises NotImplementedError.
 *
 * The objects belong to the loop running when they are made and live until it is freed (a
 * socket still open then is closed); what reads return is bytes (AW_BYTES) in the loop's arena.
 * Errors are CPython's: ConnectionRefusedError("[Errno 111] Connect call failed ('127.0.0.1',
 * 1)"), ConnectionResetError, BrokenPipeError, IncompleteReadError("0 bytes read on a total of 5
 * expected bytes", with .partial and .expected: aw_exc_attr), LimitOverrunError (.consumed).
 * Coroutine methods return an aw_coro (await them); their results are the await's value.
 */
typedef struct aw_stream_reader aw_stream_reader;
typedef struct aw_stream_writer aw_stream_writer;
typedef struct aw_server aw_server;

/* reader, writer = await asyncio.open_connection(host, port): *reader and *writer are set when
 * the await succeeds (its value is the tuple of the two, as AW_OBJECT values: repr
 * (<StreamReader>, <StreamWriter>)). */
aw_coro *aw_open_connection(const char *host, int port, aw_stream_reader **reader, aw_stream_writer **writer);
/* client_connected_cb(reader, writer): called for each connection accepted; the coroutine it
 * returns (AW_CALL(...)) runs as a task of its own, as CPython runs a coroutine callback (NULL:
 * a plain callback, nothing more runs).  A callback task that fails or is cancelled closes the
 * connection ("Unhandled exception in client_connected_cb" is reported). */
typedef aw_coro *(*aw_client_connected_fn)(aw_stream_reader *reader, aw_stream_writer *writer, void *arg);
/* server = await asyncio.start_server(cb, host, port) (port 0: any free port, see
 * aw_server_port); *server is set when the await succeeds (also its value, an AW_OBJECT whose repr
 * is <Server sockets=(('127.0.0.1', 8888),)>).  Bind
 * errors are CPython's: OSError(EADDRINUSE, "error while attempting to bind on address (...):
 * address already in use"). */
aw_coro *aw_start_server(aw_client_connected_fn cb, void *arg, const char *host, int port, aw_server **server);
int aw_server_port(const aw_server *s);          /* server.sockets[0].getsockname()[1]; -1 once closed */
void aw_server_close(aw_server *s);              /* stops listening; connections stay open */
aw_coro *aw_server_wait_closed(aw_server *s);    /* until closed and every connection is gone */
aw_coro *aw_server_serve_forever(aw_server *s);  /* until cancelled (it then closes the server) */
bool aw_server_is_serving(const aw_server *s);
/* `async with server:` is AW_ASYNC_WITH(server): close() and wait_closed() when the block ends. */

/* StreamReader.  limit <= 0: ValueError('Limit cannot be <= 0'), NULL.  A reader made here is
 * fed by the program (feed_data/feed_eof), as StreamReader() is in Python. */
aw_stream_reader *aw_stream_reader_new(long limit);
aw_coro *aw_stream_reader_read(aw_stream_reader *r, long n);    /* read(n); n < 0: until EOF */
aw_coro *aw_stream_reader_readline(aw_stream_reader *r);
aw_coro *aw_stream_reader_readexactly(aw_stream_reader *r, long n);
aw_coro *aw_stream_reader_readuntil(aw_stream_reader *r, const char *separator);
bool aw_stream_reader_at_eof(const aw_stream_reader *r);
void aw_stream_reader_feed_data(aw_stream_reader *r, const void *data, size_t n);
void aw_stream_reader_feed_eof(aw_stream_reader *r);
void aw_stream_reader_set_exception(aw_stream_reader *r, aw_exc *e);   /* takes a reference */
aw_exc *aw_stream_reader_exception(const aw_stream_reader *r);        /* borrowed, or NULL */

/* StreamWriter.  write() after write_eof(): RuntimeError('Cannot call write() after
 * write_eof()'); after close() it is dropped silently, as CPython's is. */
aw_status aw_stream_writer_write(aw_stream_writer *w, const void *data, size_t n);
aw_status aw_stream_writer_write_str(aw_stream_writer *w, const char *s);   /* s.encode() */
aw_status aw_stream_writer_writelines(aw_stream_writer *w, size_t n, const aw_value *items);  /* bytes values */
aw_coro *aw_stream_writer_drain(aw_stream_writer *w);
void aw_stream_writer_write_eof(aw_stream_writer *w);
bool aw_stream_writer_can_write_eof(const aw_stream_writer *w);
void aw_stream_writer_close(aw_stream_writer *w);
bool aw_stream_writer_is_closing(const aw_stream_writer *w);
aw_coro *aw_stream_writer_wait_closed(aw_stream_writer *w);
/* get_extra_info('peername' / 'sockname'): the tuple ('127.0.0.1', 8888); None for other names. */
aw_value aw_stream_writer_get_extra_info(aw_stream_writer *w, const char *name);
void aw_stream_writer_abort(aw_stream_writer *w);   /* writer.transport.abort(): the peer sees a reset */
size_t aw_stream_writer_buffer_size(const aw_stream_writer *w);  /* transport.get_write_buffer_size() */

/* async with primitive: (see above).
 * Why this is not AW__WITH (the scope blocks below: timeout, TaskGroup), though both spell
 * `async with`: a scope's exit may await and may replace the coroutine's outcome (a timeout turns
 * CancelledError into TimeoutError, a group raises ExceptionGroup), so when the body leaves by
 * `return` or a propagating AW_AWAIT, the core runs the exit after the coroutine returned, where
 * it can still change the returned value (aw__scopes_exit_frame); for that the scope is linked
 * into the task and must outlive the C frame (it lives in the timeout or group object).  A
 * primitive's release (and a Server's close() and wait_closed(), which may await: the task's own
 * stack is still there) never changes the outcome (a failure is reported as an unraisable
 * RuntimeWarning, as C cannot raise at a block's end), and a Semaphore is held by many tasks at
 * once: the hold lives on the C stack, left by __attribute__((cleanup)) on every way out, with no
 * allocation and no link into the task.  Unifying them would either allocate a scope per acquire
 * for the loop's lifetime or lose the scopes' outcome rule. */
typedef struct aw__with_guard {
    void *primitive;
    const char *file;
    int line;
    bool once;
} aw__with_guard;
aw_status aw__with_enter(void *primitive, const char *file, int line);
void aw__with_exit(aw__with_guard *g);
#define AW_ASYNC_WITH(primitive)                                                               \
    if (aw__with_enter((primitive), AW__HERE) != AW_OK)                                        \
        return aw_reraise();                                                                   \
    else                                                                                       \
        for (aw__with_guard aw__with_g __attribute__((cleanup(aw__with_exit))) =               \
                 {(primitive), AW__HERE, true};                                                \
             aw__with_g.once; aw__with_g.once = false)

/* ---------------------------------------------------------------------------------------------
 * async with: blocks that are always exited.
 *
 *     aw_timeout *cm;                              // async with asyncio.timeout(10) as cm:
 *     aw_status st;
 *     AW_TIMEOUT(cm, 10, st) {
 *         AW_SCOPE_AWAIT(cm, long_running());      //     await long_running()
 *     }
 *     if (aw_except(st, "TimeoutError")) ...       // except TimeoutError: (st: after __aexit__)
 *
 * The block enters the scope, runs the body once and exits the scope whatever the body does:
 * - it ends, or `break`s: exit with no exception (st: the exit's status; AW_OK unless it raised);
 * - AW_SCOPE_AWAIT(cm, x) / AW_SCOPE_AWAIT_INTO(cm, var, x) / AW_SCOPE_TRY(cm, status) fail: the
 *   body is left at once, from any depth of loops inside it, and the scope exits with that
 *   exception (a try around the `async with`: st has what the exit let through);
 * - `return`, or AW_AWAIT / AW_TRY propagating out of the coroutine: the core exits the scope when
 *   the coroutine returns, with its outcome (an exception nothing catches in this function).
 * Never `goto` out of the block: the scope would stay open until the coroutine returns.
 * `cm` names the block (its variable of type aw_timeout *, set on entry, still valid after the
 * block for aw_timeout_expired(cm)); nested blocks need different names.  If entering fails
 * (outside a task), the body is skipped and st has the error.
 * The block form uses GNU C's labels as values (gcc and clang accept them with -std=c11; only
 * -Wpedantic objects).
 */
typedef struct aw__scope aw__scope;
typedef struct aw__with {
    aw__scope *scope;
    int phase;
    aw_status body;      /* how the body was left */
    void *leave;         /* where AW_SCOPE_TRY goes: the block's exit */
} aw__with;
bool aw__with_next(aw__with *w, aw_status *st);
aw__scope *aw__timeout_scope(aw_timeout *t);

#define AW__WITH(name, scope_expr, st) AW__WITH_(name, scope_expr, st, AW__CAT(aw__leave_, __COUNTER__))
#define AW__WITH_(name, scope_expr, st, label)                                                 \
    for (aw__with aw__with_##name = {(scope_expr), 0, AW_OK, &&label};                         \
         aw__with_next(&aw__with_##name, &(st));)                                              \
        if (0) {                                                                               \
        label: __attribute__((unused));                                                        \
            continue; /* to the exit, in aw__with_next */                                      \
        } else                                                                                 \
            for (int aw__once_##name = 1; aw__once_##name; aw__once_##name = 0)

#define AW_TIMEOUT(cm, delay, st) AW__WITH(cm, aw__timeout_scope((cm) = aw_timeout_begin(delay)), st)
#define AW_TIMEOUT_AT(cm, when, st) AW__WITH(cm, aw__timeout_scope((cm) = aw_timeout_begin_at(when)), st)

/* Leave block `name` with the exception of a failed status (the idioms of AW_TRY and AW_AWAIT,
 * going to the block's exit instead of returning from the coroutine). */
#define AW_SCOPE_TRY(name, status_expr)                                                        \
    do {                                                                                       \
        aw_status aw__scope_st = (status_expr);                                                \
        if (aw__scope_st != AW_OK) {                                                           \
            aw__with_##name.body = aw__scope_st;                                               \
            goto *aw__with_##name.leave;                                                       \
        }                                                                                      \
    } while (0)
#define AW_SCOPE_AWAIT(name, awaitable) AW_SCOPE_TRY(name, aw_await((awaitable), NULL))
#define AW_SCOPE_AWAIT_INTO(name, var, awaitable) AW_SCOPE_TRY(name, aw_await((awaitable), &(var)))

/* ---------------------------------------------------------------------------------------------
 * TaskGroup (CPython 3.13+ semantics, Lib/asyncio/taskgroups.py):
 *
 *     aw_taskgroup *tg;                            // async with asyncio.TaskGroup() as tg:
 *     aw_status st;
 *     AW_TASKGROUP(tg, st) {
 *         aw_taskgroup_create_task(tg, AW_CALL(some_coro));   //     tg.create_task(some_coro())
 *         AW_SCOPE_AWAIT(tg, aw_sleep(1));
 *     }                                            // exit: waits for every task of the group
 *     if (aw_except(st, "ExceptionGroup")) ...     // except* ...
 *
 * The first task that fails (an exception other than CancelledError) cancels the other tasks and
 * the body (its parent task); the exit waits for them all and raises ExceptionGroup("unhandled
 * errors in a TaskGroup", [the errors]).  A cancellation of the parent from outside cancels the
 * tasks and propagates CancelledError once they are done.  KeyboardInterrupt/SystemExit (by type
 * name) from a task or the body is raised as itself.
 * The block form is the way to use it; aw_taskgroup_new/enter/exit are the lower level (an entered
 * group still open when its coroutine returns is exited by the core, which then raises
 * RuntimeError, as for aw_timeout_begin).
 */
typedef struct aw_taskgroup aw_taskgroup;
aw_taskgroup *aw_taskgroup_new(void);                         /* TaskGroup(); NULL: no loop */
aw_status aw_taskgroup_enter(aw_taskgroup *tg);               /* __aenter__ */
aw_status aw_taskgroup_exit(aw_taskgroup *tg, aw_status body);/* __aexit__ (awaits the tasks) */
/* tg.create_task(coro): NULL with RuntimeError in flight (the coroutine closed) when the group
 * has not been entered, is finished, or is shutting down (CPython's words). */
aw_task *aw_taskgroup_create_task(aw_taskgroup *tg, aw_coro *coro);
aw_task *aw_taskgroup_create_task_named(aw_taskgroup *tg, aw_coro *coro, const char *name);
unsigned aw_taskgroup_id(const aw_taskgroup *tg);
aw__scope *aw__taskgroup_scope(aw_taskgroup *tg);             /* enters it (for the block) */
#define AW_TASKGROUP(tg, st) AW__WITH(tg, aw__taskgroup_scope((tg) = aw_taskgroup_new()), st)

/* ---------------------------------------------------------------------------------------------
 * asyncio.run(main): a fresh loop, run main, cancel and await what is left, close.
 * Calling it from inside a running loop is an error (RuntimeError, as in CPython).
 * *out gets main's result when it is None, an int, a float or a pointer; strings and lists live
 * in the loop's arena, which is gone when aw_run returns (print them inside main instead).
 */
aw_status aw_run(aw_coro *main, const aw_loop_options *opts, aw_value *out);

/* ---------------------------------------------------------------------------------------------
 * Threads: loop.run_in_executor, asyncio.to_thread, loop.call_soon_threadsafe.
 *
 * fn(arg) runs "in another thread" of the loop's default executor, and the future's result is
 * fn's return value (or the exception it raised with aw_raise: the future's exception).  The
 * result reaches the loop as a worker thread's does in CPython: through call_soon_threadsafe, so
 * the future completes one loop iteration after the work ended.
 *
 * - Real clock: a real thread pool (pthreads; at most min(32, CPUs + 4) threads, started as
 *   needed, as ThreadPoolExecutor).  fn runs in a worker thread; `seconds` is the least time the
 *   job takes (the worker sleeps out what fn did not use: a port that leaves out the blocking
 *   call of the Python it ports, e.g. time.sleep(1), declares it here and takes as long on both
 *   clocks).  Jobs run concurrently and finish in whatever order they finish; the loop's wait is
 *   woken as each one is handed over (no polling).  aw_run (asyncio.run) waits for the jobs still
 *   running before it returns (shutdown_default_executor, up to 300 s, then a RuntimeWarning).
 * - Simulated clock: no threads.  fn runs at once, inline, and the job takes exactly `seconds` of
 *   virtual time: a timer (`executor` in traces) at the end (loop.time() + seconds, in floats), then
 *   call_soon_threadsafe.  Same
 *   program, same trace, as CPython's oracle (vloop.py's VirtualExecutor).
 *
 * What fn may do (it runs in another thread, concurrently with the loop): compute, block, use its
 * own data, return aw_none/aw_int/aw_float/aw_ptr/aw_str/aw_strf values (their strings are the
 * job's until the loop adopts them) or aw_raise(...) an exception it makes.  As a thread, it may
 * also sleep (aw_thread_sleep: Python's time.sleep), read the clocks (aw_time, aw_wall_time,
 * aw_strftime: on the simulated clock the job's own, its submission time plus what it slept, as
 * a worker's clock goes on while the loop's stands still) and print (aw_print: on the simulated
 * clock, inline, traced as the calling task's line; on the real clock, written through the
 * loop's output one whole line at a time, never interleaved with the loop's lines, and not
 * traced).  It must not touch the loop otherwise: no futures, tasks, handles, awaits, no
 * aw_current_loop(); shared data needs the program's own locking.  The one loop call allowed in
 * another thread is aw_loop_call_soon_threadsafe.  (The loop's output callback may thus be
 * called from a worker thread, never at the same time as another call of it.)
 *
 * Cancelling the awaiting task cancels the future, as in CPython: a job still queued (all
 * workers busy) is withdrawn and never runs; a job already running cannot be stopped, runs to
 * its end, and its result is dropped.
 */
typedef aw_value (*aw_executor_fn)(void *arg);
/* loop.run_in_executor(None, fn): NULL with RuntimeError in flight if the loop is closed, its
 * executor was shut down, or no thread could be started. */
aw_future *aw_run_in_executor(aw_loop *loop, double seconds, aw_executor_fn fn, void *arg);
/* await asyncio.to_thread(fn): a coroutine (nothing is submitted until it runs) whose result is
 * fn's.  (Python's to_thread also copies the context variables; awaitlab has none.) */
aw_coro *aw_to_thread(aw_executor_fn fn, void *arg, double seconds);
/* time.sleep(seconds): blocks the calling thread.  In an executor job on the real clock the worker
 * sleeps; on the simulated clock (the job runs inline) the job's own clock moves on instead, and
 * the job ends no earlier than that clock (a port can sleep where the Python does, rather than
 * declare the time as run_in_executor's `seconds`).  On the loop's thread, outside a job, it holds
 * the loop as aw_busy does (the oracle's time.sleep is busy()). */
void aw_thread_sleep(double seconds);
/* loop.call_soon_threadsafe(cb, arg), from any thread: cb(arg) runs on the loop's thread, as a
 * handle of the loop, traced ("call_soon_threadsafe") when it is scheduled and when it runs.
 * From the loop's own thread while it runs, it is call_soon.  From another thread, the call
 * waits in a queue that the loop reads after its callbacks and after each wait, and the loop's
 * wait is woken.  Returns 0, or -1 once the loop is closed (CPython's RuntimeError: cb will not
 * run).  The loop must not be freed while other threads may still call this.  The loop waits
 * forever only for its own executor's jobs: a program whose other threads call in keeps the loop
 * busy meanwhile (a timer, a descriptor), else it stops with the deadlock error as usual. */
int aw_loop_call_soon_threadsafe(aw_loop *loop, aw_callback cb, void *arg);
/* await loop.shutdown_default_executor(timeout) (3.12+): no more submissions; waits (the loop
 * running, results delivered meanwhile) until the worker threads have finished, at most
 * `timeout` seconds (AW_NO_TIMEOUT: None); then a RuntimeWarning, and the threads are left to
 * finish on their own.  aw_run does this with 300 s. */
aw_coro *aw_loop_shutdown_default_executor(aw_loop *loop, double timeout);


/* ---------------------------------------------------------------------------------------------
 * The Python a port spells out.  C has no `except`, `finally` or `raise` statement that a trace
 * could see; a port marks them with these, so that a viewer shows the learner each one as a step
 * on its line:
 *
 *     aw_status st = aw_await(aw_sleep(10), NULL);
 *     if (st == AW_OK) { ... }
 *     else if (aw_except(st, "CancelledError")) { ... } // except asyncio.CancelledError:
 *     aw_finally();                                      // finally:
 *     return aw_raise_again();                           // raise (inside an except block)
 *
 * aw_except(st, type) is true, and records entering the handler, when st (the status of what the
 * try block ran) is not AW_OK and the exception in flight is an instance of `type`, a class or
 * a name (AW_CancelledError or "CancelledError"): `except Exception` does not catch
 * CancelledError, KeyboardInterrupt or SystemExit; `except OSError` catches TimeoutError and
 * ConnectionResetError; a user class catches its subclasses.  AW_EXCEPT_ANY(st, A, B) is
 * `except (A, B):`.  aw_raise() (raise Type(msg)) is recorded too; aw_reraise(), the
 * propagation of AW_AWAIT, is not a statement of the program and is not.
 *
 * `except* T as eg:` (after a TaskGroup, say): aw_except_star(st, AW_EXC_TUPLE(T...)) splits the
 * exception in flight (a plain exception counts as ExceptionGroup('', [e])) and returns the
 * matching part (a new reference, recorded as entering the handler) or NULL; what did not match
 * stays in flight (nothing, when all did).  After the clauses, `if (aw_exc_current()) return
 * aw_reraise();` propagates the rest, as Python does at the end of the try statement.
 */
bool aw_except(aw_status st, const char *type);
bool aw_except_class(aw_status st, const aw_exc_class *cls);
bool aw_except_any(aw_status st, size_t n, const aw_exc_class *const *classes);
aw_exc *aw_except_star(aw_status st, size_t n, const aw_exc_class *const *classes);
#define AW_EXCEPT_ANY(st, ...) aw_except_any((st), AW_EXC_TUPLE(__VA_ARGS__))
#define AW_EXCEPT_STAR(st, ...) aw_except_star((st), AW_EXC_TUPLE(__VA_ARGS__))
void aw_finally(void);
aw_value aw_raise_again(void);                    /* "raise": re-raise what is in flight */

/* ---------------------------------------------------------------------------------------------
 * Every call a program makes into the loop is recorded with the program's line (traces show the
 * learner the line that caused each step).  These macros only add that line to the calls
 * declared above; function pointers to them still work.
 */
void aw__site(const char *file, int line);
aw_value aw__raised_at(const char *file, int line, aw_value raised);
#ifndef AW__CORE_INTERNAL
#define AW__AT(call) (aw__site(__FILE__, __LINE__), call)
#define aw_create_task(...) AW__AT(aw_create_task(__VA_ARGS__))
#define aw_create_task_named(...) AW__AT(aw_create_task_named(__VA_ARGS__))
#define aw_loop_create_task(...) AW__AT(aw_loop_create_task(__VA_ARGS__))
#define aw_task_cancel(...) AW__AT(aw_task_cancel(__VA_ARGS__))
#define aw_task_uncancel(...) AW__AT(aw_task_uncancel(__VA_ARGS__))
#define aw_future_new(...) AW__AT(aw_future_new(__VA_ARGS__))
#define aw_future_set_result(...) AW__AT(aw_future_set_result(__VA_ARGS__))
#define aw_future_set_exception(...) AW__AT(aw_future_set_exception(__VA_ARGS__))
#define aw_future_cancel(...) AW__AT(aw_future_cancel(__VA_ARGS__))
#define aw_sleep(...) AW__AT(aw_sleep(__VA_ARGS__))
#define aw_sleep_value(...) AW__AT(aw_sleep_value(__VA_ARGS__))
#define aw_gather(...) AW__AT(aw_gather(__VA_ARGS__))
#define aw_wait_for(aw, ...) AW__AT(aw_wait_for(AW_AWAITABLE(aw), __VA_ARGS__))
#define aw_timeout_begin(...) AW__AT(aw_timeout_begin(__VA_ARGS__))
#define aw_timeout_begin_at(...) AW__AT(aw_timeout_begin_at(__VA_ARGS__))
#define aw_timeout_end(...) AW__AT(aw_timeout_end(__VA_ARGS__))
#define aw_timeout_reschedule(...) AW__AT(aw_timeout_reschedule(__VA_ARGS__))
#define aw_shield(aw) AW__AT(aw_shield(AW_AWAITABLE(aw)))
#define aw_taskgroup_new(...) AW__AT(aw_taskgroup_new(__VA_ARGS__))
#define aw_taskgroup_enter(...) AW__AT(aw_taskgroup_enter(__VA_ARGS__))
#define aw_taskgroup_exit(...) AW__AT(aw_taskgroup_exit(__VA_ARGS__))
#define aw_taskgroup_create_task(...) AW__AT(aw_taskgroup_create_task(__VA_ARGS__))
#define aw_taskgroup_create_task_named(...) AW__AT(aw_taskgroup_create_task_named(__VA_ARGS__))
#define aw_wait(...) AW__AT(aw_wait(__VA_ARGS__))
#define aw_as_completed_new(...) AW__AT(aw_as_completed_new(__VA_ARGS__))
#define aw_as_completed_next(...) AW__AT(aw_as_completed_next(__VA_ARGS__))
#define aw_busy(...) AW__AT(aw_busy(__VA_ARGS__))
#define aw_run_in_executor(...) AW__AT(aw_run_in_executor(__VA_ARGS__))
#define aw_to_thread(...) AW__AT(aw_to_thread(__VA_ARGS__))
#define aw_call_soon(...) AW__AT(aw_call_soon(__VA_ARGS__))
#define aw_call_later(...) AW__AT(aw_call_later(__VA_ARGS__))
#define aw_call_at(...) AW__AT(aw_call_at(__VA_ARGS__))
#define aw_sync_set_name(...) AW__AT(aw_sync_set_name(__VA_ARGS__))
#define aw_lock_new(...) AW__AT(aw_lock_new(__VA_ARGS__))
#define aw_lock_acquire(...) AW__AT(aw_lock_acquire(__VA_ARGS__))
#define aw_lock_release(...) AW__AT(aw_lock_release(__VA_ARGS__))
#define aw_sync_event_new(...) AW__AT(aw_sync_event_new(__VA_ARGS__))
#define aw_sync_event_wait(...) AW__AT(aw_sync_event_wait(__VA_ARGS__))
#define aw_sync_event_set(...) AW__AT(aw_sync_event_set(__VA_ARGS__))
#define aw_sync_event_clear(...) AW__AT(aw_sync_event_clear(__VA_ARGS__))
#define aw_condition_new(...) AW__AT(aw_condition_new(__VA_ARGS__))
#define aw_condition_acquire(...) AW__AT(aw_condition_acquire(__VA_ARGS__))
#define aw_condition_release(...) AW__AT(aw_condition_release(__VA_ARGS__))
#define aw_condition_wait(...) AW__AT(aw_condition_wait(__VA_ARGS__))
#define aw_condition_wait_for(...) AW__AT(aw_condition_wait_for(__VA_ARGS__))
#define aw_condition_notify(...) AW__AT(aw_condition_notify(__VA_ARGS__))
#define aw_condition_notify_all(...) AW__AT(aw_condition_notify_all(__VA_ARGS__))
#define aw_semaphore_new(...) AW__AT(aw_semaphore_new(__VA_ARGS__))
#define aw_bounded_semaphore_new(...) AW__AT(aw_bounded_semaphore_new(__VA_ARGS__))
#define aw_semaphore_acquire(...) AW__AT(aw_semaphore_acquire(__VA_ARGS__))
#define aw_semaphore_release(...) AW__AT(aw_semaphore_release(__VA_ARGS__))
#define aw_barrier_new(...) AW__AT(aw_barrier_new(__VA_ARGS__))
#define aw_barrier_wait(...) AW__AT(aw_barrier_wait(__VA_ARGS__))
#define aw_barrier_reset(...) AW__AT(aw_barrier_reset(__VA_ARGS__))
#define aw_barrier_abort(...) AW__AT(aw_barrier_abort(__VA_ARGS__))
#define aw_queue_new(...) AW__AT(aw_queue_new(__VA_ARGS__))
#define aw_priority_queue_new(...) AW__AT(aw_priority_queue_new(__VA_ARGS__))
#define aw_lifo_queue_new(...) AW__AT(aw_lifo_queue_new(__VA_ARGS__))
#define aw_queue_put(...) AW__AT(aw_queue_put(__VA_ARGS__))
#define aw_queue_get(...) AW__AT(aw_queue_get(__VA_ARGS__))
#define aw_queue_put_nowait(...) AW__AT(aw_queue_put_nowait(__VA_ARGS__))
#define aw_queue_get_nowait(...) AW__AT(aw_queue_get_nowait(__VA_ARGS__))
#define aw_queue_task_done(...) AW__AT(aw_queue_task_done(__VA_ARGS__))
#define aw_queue_join(...) AW__AT(aw_queue_join(__VA_ARGS__))
#define aw_queue_shutdown(...) AW__AT(aw_queue_shutdown(__VA_ARGS__))
#define aw_open_connection(...) AW__AT(aw_open_connection(__VA_ARGS__))
#define aw_start_server(...) AW__AT(aw_start_server(__VA_ARGS__))
#define aw_server_close(...) AW__AT(aw_server_close(__VA_ARGS__))
#define aw_server_wait_closed(...) AW__AT(aw_server_wait_closed(__VA_ARGS__))
#define aw_server_serve_forever(...) AW__AT(aw_server_serve_forever(__VA_ARGS__))
#define aw_stream_reader_new(...) AW__AT(aw_stream_reader_new(__VA_ARGS__))
#define aw_stream_reader_read(...) AW__AT(aw_stream_reader_read(__VA_ARGS__))
#define aw_stream_reader_readline(...) AW__AT(aw_stream_reader_readline(__VA_ARGS__))
#define aw_stream_reader_readexactly(...) AW__AT(aw_stream_reader_readexactly(__VA_ARGS__))
#define aw_stream_reader_readuntil(...) AW__AT(aw_stream_reader_readuntil(__VA_ARGS__))
#define aw_stream_reader_feed_data(...) AW__AT(aw_stream_reader_feed_data(__VA_ARGS__))
#define aw_stream_reader_feed_eof(...) AW__AT(aw_stream_reader_feed_eof(__VA_ARGS__))
#define aw_stream_reader_set_exception(...) AW__AT(aw_stream_reader_set_exception(__VA_ARGS__))
#define aw_stream_writer_write(...) AW__AT(aw_stream_writer_write(__VA_ARGS__))
#define aw_stream_writer_write_str(...) AW__AT(aw_stream_writer_write_str(__VA_ARGS__))
#define aw_stream_writer_writelines(...) AW__AT(aw_stream_writer_writelines(__VA_ARGS__))
#define aw_stream_writer_drain(...) AW__AT(aw_stream_writer_drain(__VA_ARGS__))
#define aw_stream_writer_write_eof(...) AW__AT(aw_stream_writer_write_eof(__VA_ARGS__))
#define aw_stream_writer_close(...) AW__AT(aw_stream_writer_close(__VA_ARGS__))
#define aw_stream_writer_wait_closed(...) AW__AT(aw_stream_writer_wait_closed(__VA_ARGS__))
#define aw_stream_writer_abort(...) AW__AT(aw_stream_writer_abort(__VA_ARGS__))
#define aw_except(st, type) AW__AT(AW__BY_CLASS(type, aw_except, aw_except_class)((st), (type)))
#define aw_except_class(...) AW__AT(aw_except_class(__VA_ARGS__))
#define aw_except_any(...) AW__AT(aw_except_any(__VA_ARGS__))
#define aw_except_star(...) AW__AT(aw_except_star(__VA_ARGS__))
#define aw_finally() AW__AT(aw_finally())
#define aw_raise_again() AW__AT(aw_raise_again())
#define aw_raise(type, ...)                                                                    \
    aw__raised_at(__FILE__, __LINE__, AW__BY_CLASS(type, aw_raise, aw_raise_class)((type), __VA_ARGS__))
#define aw_raise_class(...) aw__raised_at(__FILE__, __LINE__, aw_raise_class(__VA_ARGS__))
#define aw_raise_args(type, ...) aw__raised_at(__FILE__, __LINE__, aw_raise_args(AW__EXC_CLASS(type), __VA_ARGS__))
#define aw_raise_exc(...) aw__raised_at(__FILE__, __LINE__, aw_raise_exc(__VA_ARGS__))
/* Exceptions by name or class (see Exceptions above). */
#define aw_exc_new(type, ...) AW__BY_CLASS(type, aw_exc_new, aw_exc_new_class)((type), __VA_ARGS__)
#define aw_exc_new_args(type, ...) aw_exc_new_args(AW__EXC_CLASS(type), __VA_ARGS__)
#define aw_exc_matches(e, type) aw_exc_matches((e), AW__EXC_CLASS(type))
#endif

#ifdef __cplusplus
}
#endif
#endif /* AWAITLAB_H */
