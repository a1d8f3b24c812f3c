"""Run one program under the recorder: `python3 -m awaitlab_record PROGRAM.py [options] [-- ARGS]`.

Exit status: the program's own (0 when it ends normally, SystemExit's code), 1 when it raises
(the exception printed as Python prints it), 2 usage or an unreadable program, 3 when it never
started an asyncio event loop, 4 when --max-time stopped it. On any failure the trace keeps every
event recorded so far, whole lines only, and has no loop_close (unfinished).
"""

import argparse
import ast
import asyncio
import asyncio.events
import asyncio.runners
import asyncio.tasks
import builtins
import inspect
import itertools
import linecache
import os
import re
import sys
import traceback

from . import recorder, vloop

EXIT_RAISED, EXIT_USAGE, EXIT_NO_LOOP, EXIT_MAX_TIME = 1, 2, 3, 4
_PKG_DIR = os.path.dirname(os.path.abspath(__file__))


class OutputWriter:
    """sys.stdout for the program: the text goes through, each line is an output event."""

    def __init__(self, sink, rec):
        self.sink, self.rec, self.part = sink, rec, []
        self.encoding = getattr(sink, 'encoding', 'utf-8')
        self.errors = getattr(sink, 'errors', 'strict')

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not %s' % type(s).__name__)
        n = len(s)
        s = vloop.elide_addresses(s)                 # a trace holds no address (vloop.py)
        self.sink.write(s)
        while s:
            i = s.find('\n')
            if i < 0:
                self.part.append(s)
                break
            line = ''.join(self.part) + s[:i]
            self.part = []
            s = s[i + 1:]
            self.rec.emit('output', {'task': self.rec.cur_id(), 'text': line}, self.rec.where())
        if self.rec.clock_kind == 'real':
            self.sink.flush()
        return n                                     # (s is consumed by now: the caller's length)

    def finish(self):
        if self.part:
            line, self.part = ''.join(self.part), []
            self.rec.emit('output', {'task': self.rec.cur_id(), 'text': line}, None)
        self.sink.flush()

    def flush(self):
        self.sink.flush()

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self.sink.fileno()


def wall_start(text):
    """HH:MM:SS (that time on 1970-01-01, UTC) or epoch seconds (a decimal number) -> ns."""
    m = re.fullmatch(r'(\d{1,2}):(\d{2}):(\d{2})', text)
    if m:
        h, mi, s = map(int, m.groups())
        if h > 23 or mi > 59 or s > 60:
            raise argparse.ArgumentTypeError('not a time of day: %r' % text)
        return ((h * 60 + mi) * 60 + s) * vloop.NS
    if re.fullmatch(r'\d+(\.\d+)?', text):
        return vloop.to_ns(text)
    raise argparse.ArgumentTypeError('expected HH:MM:SS or epoch seconds, got %r' % text)


def seconds(text):
    if not re.fullmatch(r'\d+(\.\d+)?', text) or vloop.to_ns(text) <= 0:
        raise argparse.ArgumentTypeError('expected a positive number of seconds, got %r' % text)
    return vloop.to_ns(text)


_installed = []   # what record() installs once per process (it may record many programs)


def _install_runner_hooks():
    Runner = asyncio.runners.Runner
    run, close = Runner.run, Runner.close

    def run_(self, coro, *, context=None):
        if recorder.REC is not None:
            recorder.REC.emit('runner', {'phase': 'main'}, None)
        return run(self, coro, context=context)

    def close_(self):
        loop = getattr(self, '_loop', None)
        if recorder.REC is not None and loop is not None \
                and getattr(self, '_state', None) is asyncio.runners._State.INITIALIZED:
            recorder.REC.emit('runner', {'phase': 'shutdown'}, None)
            loop._aw_runner_closing = True
        return close(self)

    Runner.run, Runner.close = run_, close_


def _stop_max_time(rec, out, message):
    out.finish()
    rec.finish(False)
    sys.__stderr__.write('awaitlab record: %s\n' % message)
    sys.__stderr__.flush()
    os._exit(EXIT_MAX_TIME)


def _print_exception(e):
    """As Python prints it, without the recorder's own frames."""
    te = traceback.TracebackException(type(e), e, e.__traceback__)
    seen, todo = set(), [te]
    while todo:
        t = todo.pop()
        if t is None or id(t) in seen:
            continue
        seen.add(id(t))
        t.stack = traceback.StackSummary.from_list(
            [f for f in t.stack if not os.path.abspath(f.filename).startswith(_PKG_DIR + os.sep)])
        todo += [t.__cause__, t.__context__]
    sys.stderr.write(''.join(te.format()))


def record(path, source, trace_file, clock='sim', wall_ns=0, max_time_ns=None, args=()):
    """Run `source` (the program at `path`) with the recorder writing to the binary file
    `trace_file`. Returns the exit status."""
    if clock == 'sim':
        os.environ['TZ'] = 'UTC'
        if hasattr(__import__('time'), 'tzset'):
            __import__('time').tzset()
    else:
        import time
        wall_ns = time.time_ns()
    rec = recorder.Recorder(trace_file, path, source, clock, wall_ns, max_time_ns)
    recorder.REC = rec
    rec.loop_codes = recorder._patch()
    loop_cls = recorder.SimLoop if clock == 'sim' else recorder.RealLoop
    if sys.platform == 'emscripten':
        asyncio.events._set_running_loop(None)       # pyodide's own WebLoop (design.md, Oracle)
    asyncio.new_event_loop = asyncio.events.new_event_loop = loop_cls
    try:
        policy = asyncio.events.get_event_loop_policy()
        if hasattr(policy, '_loop_factory'):
            policy._loop_factory = loop_cls
    except Exception:
        pass
    asyncio.tasks._task_name_counter = itertools.count(1).__next__
    if not _installed:
        _install_runner_hooks()
        _installed.append('runner')
    if clock == 'sim':
        vloop.clock.reset(0)
        vloop.clock.wall_start_ns = wall_ns
        vloop.install_time()           # time.* and datetime.now() on the virtual wall clock
        vloop.observer = rec
    out = OutputWriter(sys.stdout, rec)
    rec.stop = lambda message: _stop_max_time(rec, out, message)
    linecache.cache[path] = (len(source), None, source.splitlines(True), path)
    saved = sys.stdout, sys.argv[:], sys.path[:]
    sys.stdout = out
    sys.argv[:] = [path] + list(args)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    ok, status = False, 0
    try:
        try:
            code = compile(source, path, 'exec', flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        except (SyntaxError, ValueError) as e:
            out.finish()
            traceback.print_exception(type(e), e, None)
            return EXIT_RAISED
        env = {'__name__': '__main__', '__file__': path, '__builtins__': builtins}
        if code.co_flags & inspect.CO_COROUTINE:     # a notebook's top-level `await main()`
            asyncio.run(eval(code, env))
        else:
            exec(code, env)
        ok = True
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if e.code is not None and not isinstance(e.code, int):
            out.finish()
            print(e.code, file=sys.stderr)
        ok = status == 0
    except vloop.Deadlock as e:
        out.finish()
        sys.stderr.write('awaitlab record: %s\n' % e)
        status = EXIT_RAISED
    except BaseException as e:
        out.finish()
        _print_exception(e)
        status = EXIT_RAISED
    finally:
        out.finish()
        sys.stdout, sys.argv[:], sys.path[:] = saved[0], saved[1], saved[2]
        vloop.observer = None
        rec.finish(ok)
        recorder.REC = None
    if ok and rec.loops_started == 0:
        sys.stderr.write('awaitlab record: %s never started an asyncio event loop (asyncio.run, '
                         'asyncio.Runner, loop.run_until_complete or a top-level await)\n' % path)
        return EXIT_NO_LOOP
    return status


def main(argv=None):
    p = argparse.ArgumentParser(prog='awaitlab record', description='Record an asyncio program as an awaitlab trace.')
    p.add_argument('program')
    p.add_argument('-o', '--output', metavar='TRACE')
    p.add_argument('--clock', choices=('sim', 'real'), default='sim')
    p.add_argument('--wall-start', type=wall_start, default=None)
    p.add_argument('--max-time', type=seconds, default=None)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = []
    if '--' in argv:                                 # the program's own arguments follow `--`
        i = argv.index('--')
        argv, args = argv[:i], argv[i + 1:]
    a = p.parse_args(argv)
    if a.clock == 'real' and a.wall_start is not None:
        p.error('--wall-start sets the simulated wall clock; it needs --clock sim')
    try:
        with open(a.program, encoding='utf-8') as f:
            source = f.read()
    except (OSError, UnicodeDecodeError) as e:
        sys.stderr.write('awaitlab record: cannot read %s: %s\n' % (a.program, e))
        return EXIT_USAGE
    out = a.output or os.path.splitext(os.path.basename(a.program))[0] + '.jsonl'
    try:
        trace = open(out, 'wb')
    except OSError as e:
        sys.stderr.write('awaitlab record: cannot create %s: %s\n' % (out, e))
        return EXIT_USAGE
    with trace:
        return record(a.program, source, trace, a.clock, a.wall_start or 0, a.max_time, args)
