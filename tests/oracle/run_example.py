#!/usr/bin/env python3
"""Run a Python asyncio example on the virtual-clock loop and print its output, timestamped.

    run_example.py FILE [--wall-start EPOCH_SECONDS]
    run_example.py --batch LIST        (LIST: one `FILE [WALL_START]` per line; '#' comments)
    --iterations: stamp `[S.mmm #N] ` instead, N = the loop iteration that printed (a debug aid)

Every line the example prints goes to stdout as `[S.mmm] line`, S.mmm being the virtual
seconds since the program started (truncated to ms); an object's address in a repr is written
`0x...` (vloop.elide_addresses: the C side prints no address). Warnings and tracebacks go to stderr as
CPython writes them. Exit status: 0, or 1 if the example raised.

The same code serves CPython 3.11 (this file, run by python3) and CPython 3.14 (pyodide_run.mjs
loads this module into pyodide and calls run_source / run_batch).

How an example is run:
- asyncio.run() (and asyncio.new_event_loop()) are replaced by the virtual loop's: the example
  runs under asyncio.Runner(loop_factory=vloop.VirtualLoop);
- the time module reads the virtual clock (vloop.install_time), wall clock starting at
  --wall-start, in UTC;
- a top-level `await main()` (as in the tutorial's notebook cells) is allowed: the file is
  compiled with PyCF_ALLOW_TOP_LEVEL_AWAIT and the resulting coroutine runs as the main task,
  as asyncio.run(main()) would.
"""

import ast
import asyncio
import builtins
import inspect
import linecache
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vloop  # noqa: E402  (after the path is set, so variants can `from vloop import busy` too)


class StampedWriter:
    """A text stream that prefixes every line with the virtual time at which it began."""

    def __init__(self, sink):
        self.sink = sink
        self.at_line_start = True

    def write(self, s):
        n = len(s)
        s = vloop.elide_addresses(s)                 # `at 0x...`, as the C side prints (vloop.py)
        while s:
            i = s.find('\n')
            piece, s = (s, '') if i < 0 else (s[:i + 1], s[i + 1:])
            if self.at_line_start:
                self.sink.write(vloop.clock.stamp())
            self.sink.write(piece)
            self.at_line_start = piece.endswith('\n')
        return n

    def finish(self):
        if not self.at_line_start:                   # a last line without a newline
            self.sink.write('\n')
            self.at_line_start = True
        self.sink.flush()

    def flush(self):
        self.sink.flush()

    def writable(self):
        return True

    def isatty(self):
        return False


def _install():
    """Point asyncio and time at the virtual loop (idempotent)."""
    os.environ['TZ'] = 'UTC'
    vloop.install_time()
    asyncio.run = vloop.run
    asyncio.new_event_loop = asyncio.events.new_event_loop = vloop.VirtualLoop


def run_source(source, filename, wall_start=0, iterations=False):
    """Run one example's source text; return its exit status (0 ok, 1 raised).
    iterations: stamp lines '[S.mmm #N] ', N being the loop iteration (1, 2, ...) that printed."""
    _install()
    if sys.platform == 'emscripten':
        # pyodide runs its own WebLoop as "the running loop"; asyncio.Runner refuses to start
        # while one runs, so clear it (design.md, Oracle).
        asyncio.events._set_running_loop(None)
    vloop.clock.reset(wall_start)
    vloop.clock.show_iteration = iterations
    # Tracebacks and warnings quote the source line; make it available even when `filename`
    # is not a file here (pyodide gets the text, not the file).
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    out = StampedWriter(sys.__stdout__)
    saved = sys.stdout
    sys.stdout = out
    status = 0
    try:
        code = compile(source, filename, 'exec', flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                       dont_inherit=True)
        env = {'__name__': '__main__', '__file__': filename, '__builtins__': builtins}
        if code.co_flags & inspect.CO_COROUTINE:     # top-level await: run it as the main task
            vloop.run(eval(code, env))
        else:
            exec(code, env)
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:                            # the example's own error: report, go on
        out.finish()
        traceback.print_exc()
        status = 1
    finally:
        out.finish()
        sys.stdout = saved
        sys.stderr.flush()
    return status


def read_list(text):
    """Parse a batch LIST: `FILE [WALL_START]` per line, blank lines and '#' comments skipped."""
    items = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            parts = line.split()
            items.append((parts[0], parts[1] if len(parts) > 1 else '0'))
    return items


def run_batch(items, read, iterations=False):
    """Run many examples in this process. Around each one, on stdout (and the begin line on
    stderr too): `=== begin FILE` ... `=== end FILE rc=N`. Example lines always start with '[',
    so these cannot be confused with them. Returns 0 if every example exited 0."""
    worst = 0
    for path, wall in items:
        for stream in (sys.__stdout__, sys.__stderr__):
            stream.write('=== begin %s\n' % path)
            stream.flush()
        try:
            source = read(path)
        except Exception as e:                       # OSError here; a JavaScript error in pyodide
            print('run_example: cannot read %s: %s' % (path, e), file=sys.__stderr__)
            rc = 2
        else:
            try:
                rc = run_source(source, path, wall, iterations)
            except ValueError as e:                  # a bad WALL_START in the list
                print('run_example: %s: %s' % (path, e), file=sys.__stderr__)
                rc = 2
        sys.__stdout__.write('=== end %s rc=%d\n' % (path, rc))
        sys.__stdout__.flush()
        worst = worst or rc
    return 0 if worst == 0 else 1


def _read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def _epoch(text):
    import argparse
    try:
        vloop.to_ns(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError('not a number of seconds: %r' % text)
    return text


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('file', nargs='?', help='the example to run')
    p.add_argument('--wall-start', default='0', type=_epoch,
                   help='epoch seconds (UTC) of the virtual wall clock at t=0, e.g. 1757760448.00')
    p.add_argument('--batch', metavar='LIST', help='run every `FILE [WALL_START]` line of LIST')
    p.add_argument('--iterations', action='store_true',
                   help="stamp '[S.mmm #N] ': N is the loop iteration that printed the line")
    a = p.parse_args(argv)
    if a.batch:
        return run_batch(read_list(_read(a.batch)), _read, a.iterations)
    if not a.file:
        p.error('give FILE or --batch LIST')
    try:
        source = _read(a.file)
    except OSError as e:
        print('run_example: %s' % e, file=sys.stderr)
        return 2
    return run_source(source, a.file, a.wall_start, a.iterations)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
