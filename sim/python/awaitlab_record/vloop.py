"""vloop: a virtual-clock asyncio event loop, the CPython oracle for awaitlab.

It is the loop that design.md's "Oracle" section describes, and it runs unchanged on
CPython 3.11 (python3) and CPython 3.14 (pyodide under node):

- VirtualLoop subclasses asyncio.BaseEventLoop, so every scheduling decision (ready queue,
  timer heap, _run_once order, tasks, futures, wait_for, timeout, gather, ...) is CPython's own.
- Time is a virtual counter. It only moves when the loop would sleep: the selector's
  select(timeout) advances it by `timeout` and returns no events. So a program that sleeps 10 s
  finishes at once and prints the same virtual times on every run.
- The counter is a float in seconds, as CPython's loop.time() is, and it moves only by float
  additions: select(timeout) does now = now + timeout (timeout = when - now, computed by
  CPython's _run_once), busy(d) does now = now + d. Deadlines are CPython's own arithmetic
  (call_later: time() + delay), so three sleep(0.1) end at 0.30000000000000004 and three
  sleep(1/3) end at exactly 1.0, tying with a sleep(1). The C core (sim/backend_sim.c,
  core/loop.c) does the same operations in the same order: both get the same bits.
- call_at/call_later make a VirtualTimerHandle, ordered by (deadline, creation sequence).
  CPython compares deadlines only; on a real clock two deadlines never tie because time moves
  between the calls, so timers fire in creation order. On a virtual clock they do tie, and plain
  heapq would pop them in an accidental order set by the heap's shape (8 sleeps of 1 s wake
  0 2 6 5 7 4 1 3; see tiebreak.py and RESULTS.md). The sequence gives the order a real run shows.
- busy(d) models CPU-bound code: it advances the clock by d while holding the loop.
- The wall clock (time.time, localtime, strftime('%X'), ...) reads wall_start + virtual elapsed,
  in UTC, so "started at 17:13:52" is reproducible.
- run_in_executor uses VirtualExecutor, which is deterministic and uses no threads (pyodide has
  none): see its docstring.
"""

import asyncio
import asyncio.base_events
import concurrent.futures
import datetime
import heapq
import math
import re
import time
from fractions import Fraction

NS = 1_000_000_000
SPIN_LIMIT = 1_000_000      # clock reads at one virtual instant before a busy-wait is reported

# The real time functions, kept before install_time() replaces them.
_real = {name: getattr(time, name) for name in ('gmtime', 'strftime', 'asctime')}
_real_datetime = datetime.datetime


class _VirtualDatetime(_real_datetime):
    """datetime.datetime whose now()/today()/utcnow() read the virtual wall clock (time.time).
    Naive local time is UTC, as for time.localtime() here."""

    @classmethod
    def now(cls, tz=None):
        if tz is None:
            return cls.fromtimestamp(time.time(), datetime.timezone.utc).replace(tzinfo=None)
        return cls.fromtimestamp(time.time(), tz)

    @classmethod
    def today(cls):
        return cls.now()

    @classmethod
    def utcnow(cls):
        return cls.now()


class Clock:
    """Virtual time in seconds (a float), one per process (the loop, time.* and busy() share it)."""

    def __init__(self):
        self.reset(0)

    def reset(self, wall_start):
        self.now = 0.0                               # virtual seconds since the program started
        self.wall_start_ns = to_ns(wall_start)       # epoch of now == 0, for time.time()
        self.jobs = []                               # executor jobs running now (see VirtualExecutor)
        self._reads, self._read_at = 0, None         # for the busy-wait guard in read()
        self.iteration = 0                           # the loop iteration now running (0: none yet)
        self.show_iteration = False                  # stamp() adds it: '[S.mmm #N] '

    @property
    def wall_start(self):
        # as the C side computes it: (double)wall_start_ns / 1e9
        return float(self.wall_start_ns) / 1e9

    def time(self):
        # Inside an executor job, time is the job's own: submission time + what it slept so far.
        return self.jobs[-1].now if self.jobs else self.now

    def read(self):
        """time() for the patched time functions, with a guard: a busy-wait on the clock
        (`while time.time() - t0 < 10: pass`) never ends on a virtual clock, so rather than
        hang, fail with a message saying what to do."""
        now = self.time()
        if now == self._read_at:
            self._reads += 1
            if self._reads > SPIN_LIMIT:
                raise RuntimeError('vloop: the clock was read %d times while virtual time stood '
                                   'still; a busy-wait on time.time() never ends on a virtual '
                                   'clock: model CPU-bound work with vloop.busy(seconds)' % SPIN_LIMIT)
        else:
            self._reads, self._read_at = 0, now
        return now

    def advance(self, d):
        """Move the current timeline on by d seconds (now = now + d, one float addition): the
        loop's clock, or the running executor job's."""
        if d < 0:
            raise ValueError('time cannot go backwards')
        if self.jobs:
            self.jobs[-1].now = self.jobs[-1].now + d
        else:
            self.now = self.now + d

    def stamp(self):
        """'[S.mmm] ': virtual seconds, rounded to the nearest ns (ties to even) and then
        truncated to milliseconds (the C side prints the same)."""
        ns = to_ns(self.time())
        if self.show_iteration:
            return '[%d.%03d #%d] ' % (ns // NS, ns % NS // 1_000_000, self.iteration)
        return '[%d.%03d] ' % (ns // NS, ns % NS // 1_000_000)


_ADDRESS = re.compile(r'(?<= at )0x[0-9a-fA-F]+')


def elide_addresses(text):
    """object.__repr__'s address (`<... object at 0x7f3a...>`) written `0x...`, as the docs
    write it and as the C side prints it (core: aw_barrier_repr): an address changes from run to
    run, and a sim-mode line or trace never holds one. The oracle's output and the recorder's
    `output` events both pass through here, so the lines compare equal."""
    return _ADDRESS.sub('0x...', text)


def to_ns(seconds):
    """Seconds (int, float or a decimal string such as '1757760448.00') to integer nanoseconds:
    the exact value, rounded to the nearest ns, ties to even (core/aw_trace_time.h)."""
    return round(Fraction(seconds) * NS)


def ns_exact(seconds):
    """Whether seconds (a float) is the double that to_ns(seconds) reads back as, ns / 1e9 (else a
    trace writes the float too: sim/trace-format.md, Times). float(ns) / 1e9 as C computes it."""
    return float(to_ns(seconds)) / 1e9 == seconds


clock = Clock()

# An observer (awaitlab_record.recorder) may watch the clock: observer.busy(d) when busy()
# holds the loop, observer.io_wait(timeout) and observer.clock_jump(from, to) when the selector
# waits (all in seconds, floats). None (the oracle) costs one test.
observer = None


def busy(seconds):
    """CPU-bound work taking `seconds`: the clock moves on, and nothing else runs meanwhile
    (we never return to the loop). This replaces a busy loop such as
    `while time.time() - start < 10: pass`, which on a virtual clock would never end."""
    if observer is not None and not clock.jobs:
        observer.busy(float(seconds))
    clock.advance(seconds)


class Deadlock(RuntimeError):
    """The loop has nothing ready and no timer set: a real loop would wait forever."""


class VirtualTimerHandle(asyncio.TimerHandle):
    """A TimerHandle that breaks deadline ties by creation sequence (design.md, Oracle)."""

    __slots__ = ('_seq',)

    def __init__(self, when, seq, callback, args, loop, context=None):
        super().__init__(when, callback, args, loop, context)   # _when: CPython's, as given
        self._seq = seq

    def _key(self):
        return (self._when, self._seq)

    def __lt__(self, other):
        return self._key() < other._key()

    def __le__(self, other):
        return self._key() <= other._key()

    def __gt__(self, other):
        return self._key() > other._key()

    def __ge__(self, other):
        return self._key() >= other._key()


class _VirtualSelector:
    """The loop's selector: select(timeout) advances the clock by timeout, returns no events."""

    def __init__(self, loop):
        self._loop = loop

    def select(self, timeout=None):
        if timeout is None:
            raise Deadlock('vloop: nothing is ready and no timer is set; '
                           'a real event loop would wait here forever')
        if timeout <= 0:
            return []
        if self._loop._scheduled and self._loop._scheduled[0]._when == math.inf:
            raise Deadlock('vloop: only infinite timers are left; '
                           'a real event loop would wait here forever')
        if observer is not None:
            observer.io_wait(timeout)
        # The wait lasts `timeout` (_run_once's min(max(0, when - time()), 24 h)): the clock
        # moves by that float, now + (when - now), which is not always exactly `when`.
        before, after = clock.now, clock.now + timeout
        if observer is not None:
            observer.clock_jump(before, after)
        clock.now = after
        return []


class VirtualExecutor(concurrent.futures.Executor):
    """A deterministic stand-in for the default ThreadPoolExecutor (no threads).

    submit(fn, *args) runs fn(*args) at once, on the calling (loop) thread, in "job time":
    time.sleep()/busy() inside the job advance the job's own clock, not the loop's, as a worker
    thread would sleep while the loop goes on. The job's result (or exception) is then delivered
    by a loop timer at submission time + the time the job slept, i.e. when the worker thread
    would have finished. From there CPython's own wrap_future() takes over unchanged: the
    concurrent future's done-callback calls call_soon_threadsafe(), and the asyncio future is
    completed one loop iteration later, as with a real thread.
    Limits: prints inside a job come out at submission time (stamped with the job's clock), and
    a job that spins on time.time() never ends; use time.sleep() or busy() in jobs.
    """

    def __init__(self, loop):
        self._loop = loop

    def submit(self, fn, /, *args, **kwargs):
        cf = concurrent.futures.Future()
        cf.set_running_or_notify_cancel()
        job = _Job(clock.time())                    # (a job may submit another)
        clock.jobs.append(job)
        try:
            result, exc = fn(*args, **kwargs), None
        except BaseException as e:  # delivered through the future, like a thread would
            result, exc = None, e
        finally:
            clock.jobs.pop()

        def finish():
            if exc is None:
                cf.set_result(result)
            else:
                cf.set_exception(exc)
        self._loop._timer_at(job.now, finish, (), None)
        return cf

    def shutdown(self, wait=True, *, cancel_futures=False):
        pass


class _Job:
    def __init__(self, start):
        self.now = start                             # submission time, + each sleep (a float sum)


class VirtualLoop(asyncio.BaseEventLoop):
    """asyncio.BaseEventLoop on the virtual clock. Run it with asyncio.Runner(loop_factory=VirtualLoop)."""

    def __init__(self):
        super().__init__()
        self._selector = _VirtualSelector(self)
        # _run_once fires timers with _when < time() + resolution: CPython's resolution on Linux
        # (time.get_clock_info('monotonic').resolution), on every platform, as the C core has it.
        self._clock_resolution = 1e-9
        self._timer_seq = 0
        self._default_executor = VirtualExecutor(self)

    def time(self):
        return clock.now

    def _run_once(self):
        # Count iterations across all loops of the program (asyncio.run twice keeps counting),
        # for stamp()'s optional '#N'. The iteration itself is CPython's.
        clock.iteration += 1
        super()._run_once()

    def _process_events(self, event_list):
        pass                                         # no I/O: select() never returns events

    def _write_to_self(self):
        pass                                         # nothing to wake: no other threads

    async def shutdown_default_executor(self, *args):
        pass                                         # the base version joins a thread

    # call_later is CPython's own: self.call_at(self.time() + delay, ...).

    def call_at(self, when, callback, *args, context=None):
        if when is None:
            raise TypeError('when cannot be None')
        return self._timer_at(when, callback, args, context, 'call_at')

    def _timer_at(self, when, callback, args, context, method='call_at'):
        # Mirrors BaseEventLoop.call_at, with the sequenced handle.
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, method)
        self._timer_seq += 1
        timer = VirtualTimerHandle(when, self._timer_seq, callback, args, self, context)
        if timer._source_traceback:
            del timer._source_traceback[-1]
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer


def run(main, *, debug=None, **_ignored):
    """asyncio.run() on a VirtualLoop (runner and examples replace asyncio.run with this)."""
    with asyncio.Runner(debug=debug, loop_factory=VirtualLoop) as runner:
        return runner.run(main)


# --- the virtual wall clock --------------------------------------------------------------------

def _wall():
    # time.time() = wall_start + loop time, a float sum (as sim/backend_sim.c computes it)
    return clock.wall_start + clock.read()


def _wall_ns():
    return clock.wall_start_ns + to_ns(clock.read())


def _localtime(secs=None):
    # Always UTC, whatever the host's TZ (node under pyodide takes its zone from JavaScript).
    return _real['gmtime'](_wall() if secs is None else secs)


def _sleep(seconds):
    # time.sleep() blocks the thread it is called on: on the loop, that is busy(); in an
    # executor job, the job's own clock moves (see VirtualExecutor).
    if seconds < 0:
        raise ValueError('sleep length must be non-negative')
    busy(seconds)


def install_time():
    """Replace the time module's clocks with the virtual ones. Idempotent.

    Code that bound a time function before this (`from time import monotonic`) keeps the real
    one; asyncio reads its time through loop.time(), which VirtualLoop overrides.
    """
    time.time = _wall
    time.time_ns = _wall_ns
    time.localtime = _localtime
    time.gmtime = _localtime
    time.ctime = lambda secs=None: _real['asctime'](_localtime(secs))
    time.asctime = lambda t=None: _real['asctime'](_localtime() if t is None else t)
    time.strftime = lambda fmt, t=None: _real['strftime'](fmt, _localtime() if t is None else t)
    # Elapsed-time clocks read the virtual time since the program started.
    time.monotonic = time.perf_counter = clock.read
    time.monotonic_ns = time.perf_counter_ns = lambda: to_ns(clock.read())
    time.sleep = _sleep
    # datetime.now() reads the system clock in C, not time.time(): give it the virtual wall clock
    # too (`datetime.datetime.now()` and `dt.datetime.now()` look the class up when called).
    datetime.datetime = _VirtualDatetime
