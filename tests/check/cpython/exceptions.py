# The Python twin of test_core_exc.c: exceptions as CPython has them (the class hierarchy,
# except by class and tuple, args and str/repr, exception groups, split and except*), and the
# str()/repr() of values.  test_core_exc.c prints the same lines from C and compares its log
# with exceptions.expected, which tests/scripts/test_core_cpython_twins.sh keeps equal to
# CPython's output.
import asyncio
import builtins
import errno


def log(s):
    print(f"t={asyncio.get_running_loop().time():.3f} {s}")


def cls(name):
    return getattr(builtins, name, None) or getattr(asyncio, name)


# Every class of awaitlab's table but QueueShutDown and PythonFinalizationError (3.13+; this twin
# also runs under 3.11): its bases, as the table must list them.
NAMES = """BaseException BaseExceptionGroup GeneratorExit KeyboardInterrupt SystemExit CancelledError
Exception ExceptionGroup ArithmeticError FloatingPointError OverflowError ZeroDivisionError
AssertionError AttributeError BufferError EOFError IncompleteReadError ImportError
ModuleNotFoundError LookupError IndexError KeyError MemoryError NameError UnboundLocalError OSError
BlockingIOError ChildProcessError ConnectionError BrokenPipeError ConnectionAbortedError
ConnectionRefusedError ConnectionResetError FileExistsError FileNotFoundError InterruptedError
IsADirectoryError NotADirectoryError PermissionError ProcessLookupError TimeoutError ReferenceError
RuntimeError NotImplementedError RecursionError BrokenBarrierError SendfileNotAvailableError
StopAsyncIteration StopIteration SyntaxError IndentationError TabError SystemError TypeError
ValueError UnicodeError UnicodeDecodeError UnicodeEncodeError UnicodeTranslateError Warning
BytesWarning DeprecationWarning EncodingWarning FutureWarning ImportWarning
PendingDeprecationWarning ResourceWarning RuntimeWarning SyntaxWarning UnicodeWarning UserWarning
InvalidStateError LimitOverrunError QueueEmpty QueueFull""".split()


class MyError(ValueError):
    pass


class SubError(MyError):
    pass


class Both(KeyError, TimeoutError):
    pass


def show_exc(e):
    log(f"{type(e).__name__} args={e.args!r} str={str(e)!r} repr={e!r}")


async def raises(e):
    await asyncio.sleep(0)
    raise e


async def catch(e):
    """Which clause of a try statement takes e (the first that matches, as Python tries them)."""
    try:
        await raises(e)
    except (TimeoutError, KeyError):
        return "except (TimeoutError, KeyError)"
    except MyError:
        return "except MyError"
    except OSError:
        return "except OSError"
    except Exception:
        return "except Exception"
    except BaseException:
        return "except BaseException"


async def main():
    log("-- the hierarchy: bases")
    for n in NAMES:
        log(f"{n}: {' '.join(b.__name__ for b in cls(n).__bases__)}")
    log(f"asyncio.TimeoutError is TimeoutError: {asyncio.TimeoutError is TimeoutError}")

    log("-- isinstance")
    pairs = [("CancelledError", "Exception"), ("CancelledError", "BaseException"),
             ("KeyboardInterrupt", "Exception"), ("SystemExit", "Exception"),
             ("GeneratorExit", "Exception"), ("TimeoutError", "OSError"),
             ("ConnectionResetError", "OSError"), ("BrokenPipeError", "ConnectionError"),
             ("IncompleteReadError", "EOFError"), ("BrokenBarrierError", "RuntimeError"),
             ("InvalidStateError", "Exception"), ("ExceptionGroup", "Exception"),
             ("ExceptionGroup", "BaseExceptionGroup"), ("BaseExceptionGroup", "Exception"),
             ("KeyError", "LookupError"), ("RecursionError", "RuntimeError")]
    for a, b in pairs:
        log(f"issubclass({a}, {b}) = {issubclass(cls(a), cls(b))}")
    log(f"issubclass(SubError, ValueError) = {issubclass(SubError, ValueError)}")
    log(f"issubclass(Both, OSError) = {issubclass(Both, OSError)}")

    log("-- except clauses")
    for e in [TimeoutError(), KeyError("k"), SubError("s"), MyError("m"), ConnectionResetError(),
              Both(), ValueError("v"), asyncio.CancelledError(), KeyboardInterrupt()]:
        log(f"{e!r}: {await catch(e)}")

    log("-- args, str, repr")
    for e in [asyncio.CancelledError(), asyncio.CancelledError(""), asyncio.CancelledError("bye"),
              ValueError("x"), ValueError(), ValueError("a", 1), KeyError("k"), KeyError(),
              KeyError("a", "b"), KeyError(1), ValueError(None), ValueError(1.5),
              ValueError([1, "a"]), ValueError("it's"), ValueError(KeyError("k")),
              TimeoutError(), RuntimeError("Event loop is closed"), OSError(1000, "No such thing"),
              OSError(1000, "x", "f.txt"), OSError(1000, "x", "a", None, "b"), OSError("just", "two"),
              ConnectionResetError(1000, "reset"), MyError("mine"), Both("b")]:
        show_exc(e)
    # OSError(errno, ...) is the subclass its errno names (errno values are the platform's).
    for name in ["ENOENT", "ETIMEDOUT", "ECONNRESET", "ECONNREFUSED", "EPIPE", "EACCES", "EPERM",
                 "EAGAIN", "EEXIST", "EINTR", "ECHILD", "ESRCH", "EISDIR", "ENOTDIR", "EIO"]:
        log(f"OSError(errno.{name}, 'x') is a {type(OSError(getattr(errno, name), 'x')).__name__}")

    log("-- str and repr of values")
    values = ["plain", "it's", 'say "hi"', "both ' and \"", "tab\there", "nl\nhere", "cr\rhere",
              "back\\slash", "\x01\x1f\x7f", "caf\u00e9", "nb\u00a0sp", "soft\u00adhyphen",
              "ls\u2028ps\u2029", "zw\u200bsp", "\u65e5\u672c", "emoji \U0001F600", "bom\ufeff",
              "", 0, -42, 0.1, 1.0, 1e16, 1.5e-05, -0.0, 0.30000000000000004, 1e22, 123456789.125,
              float("inf"), float("-inf"), float("nan"), None, True, False, [], [1, "a", None, 2.5, ["x'y"]],
              (), (1,), (1, "a", (True,))]
    for v in values:
        s = str(v) if not isinstance(v, str) or ("\n" not in v and "\r" not in v and "\u2028" not in v) else "-"
        log(f"repr={v!r} str={s}")

    log("-- exception groups")
    v1, t2, k3, ki = ValueError(1), TypeError(2), KeyError(3), KeyboardInterrupt()
    eg = BaseExceptionGroup("m", [v1, t2])
    show_exc(eg)
    log(f"message={eg.message!r} count={len(eg.exceptions)}")
    beg = BaseExceptionGroup("b", [v1, ki])
    show_exc(beg)
    nested = BaseExceptionGroup("outer", [v1, BaseExceptionGroup("inner", [t2, k3, ki]), k3])
    show_exc(nested)
    for name, classes in [("ValueError", ValueError), ("(TypeError, KeyError)", (TypeError, KeyError)),
                          ("Exception", Exception), ("LookupError", LookupError),
                          ("BaseExceptionGroup", BaseExceptionGroup), ("ExceptionGroup", ExceptionGroup),
                          ("KeyboardInterrupt", KeyboardInterrupt), ("OSError", OSError)]:
        match, rest = nested.split(classes)
        log(f"split({name}): match={match!r} rest={rest!r}")
        log(f"subgroup({name}) = {nested.subgroup(classes)!r}")
    match, rest = eg.split(BaseExceptionGroup)
    log(f"eg.split(BaseExceptionGroup): match is eg: {match is eg}, rest={rest!r}")
    for excs in [[], [ValueError(), None]]:
        try:
            BaseExceptionGroup("x", excs)
        except Exception as e:
            log(f"BaseExceptionGroup('x', {excs!r}): {e!r}")

    log("-- except*")
    try:
        try:
            raise ExceptionGroup("m", [ValueError(1), TypeError(2), KeyError(3), ValueError(4)])
        except* ValueError as g:
            log(f"except* ValueError: {g!r}")
        except* (TypeError, IndexError) as g:
            log(f"except* (TypeError, IndexError): {g!r}")
        except* OSError as g:
            log(f"except* OSError: {g!r}")
    except* KeyError as g:
        log(f"outer except* KeyError: {g!r}")
    try:
        raise ValueError("naked")
    except* ValueError as g:
        log(f"naked: {g!r}")
    try:
        try:
            raise TypeError("naked")
        except* ValueError as g:
            log(f"not reached: {g!r}")
    except TypeError as e:
        log(f"unmatched naked exception propagates as itself: {e!r}")

    log("-- asyncio's own errors")
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.cancel()
    for call in (lambda: f.set_result(1), lambda: f.set_exception(ValueError())):
        try:
            call()
        except asyncio.InvalidStateError as e:
            log(f"after cancel(): {e!r}")
    g = loop.create_future()
    try:
        g.result()
    except asyncio.InvalidStateError as e:
        log(f"pending result(): {e!r}")

asyncio.run(main())
