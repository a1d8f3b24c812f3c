"""The recorder: CPython's own asyncio, observed from inside, written as an awaitlab trace.

How it observes (sim/trace-format.md names every event):
- RecordingLoop (a mixin over vloop.VirtualLoop for --clock sim, over SelectorEventLoop for
  --clock real) makes every task a pure-Python Task (asyncio.tasks._PyTask) and every future a
  pure-Python Future (_PyFuture), so their methods can be watched; its _run_once is CPython's
  (same order, same arithmetic) with the iteration, timer_fired and handle_run events added.
- _PyTask._Task__step is wrapped: step_begin/step_end; after a step the task's await chain
  (coroutine .cr_await links, then the future it waits on) gives the await / await_return /
  coro_created events that the viewers build await stacks from.
- _PyFuture's callback scheduling gives future_done and callbacks; Task.cancel, Future.cancel,
  Task.uncancel, asyncio.timeouts.Timeout, gather: the cancellation and timeout events.
- Output: sys.stdout is replaced by a writer that passes the text through and records each
  line with the program line that printed it.
Lines: an event gets the `line` of the program's innermost frame on the stack (file null for
the program's own file, else that module's path); events the loop makes on its own get none.
Asyncio's own files, the standard library and this package are never "the program".
"""

import asyncio
import asyncio.base_events
import asyncio.events
import asyncio.futures
import asyncio.tasks
import asyncio.timeouts
import builtins
import collections
import heapq
import inspect
import json
import math
import os
import selectors
import sys
import sysconfig
import time

from . import sync_events, vloop

NS = vloop.NS
_PyFuture = asyncio.futures._PyFuture
_PyTask = asyncio.tasks._PyTask
_PENDING, _CANCELLED, _FINISHED = 'PENDING', 'CANCELLED', 'FINISHED'
_MAXSTR = 200


_encode = json.JSONEncoder(ensure_ascii=False, separators=(',', ':')).encode


class MaxTime(BaseException):
    """--max-time reached: the program is stopped, its trace kept (unfinished)."""


def _short(text):
    return text if len(text) <= _MAXSTR else text[:_MAXSTR - 3] + '...'


def _repr(value):
    try:
        return _short(repr(value))
    except Exception:                                # a broken __repr__ must not stop the run
        return '<%s>' % type(value).__name__


class Recorder:
    """One trace per process: every loop the program makes writes into it."""

    def __init__(self, out, program_path, source, clock_kind, wall_start_ns, max_time_ns=None):
        self.out = out
        self.buf = []
        self.clock_kind = clock_kind
        self.seq = 0
        self.iter = 0
        self.max_time_ns = max_time_ns
        self.t0 = time.monotonic_ns()
        self.program = os.path.abspath(program_path)
        self.pending_close = None                    # a loop_close held back (see emit)
        self.next_future = self.next_handle = self.next_coro = self.next_scope = 0
        self.current = None                          # the task whose step is running
        self.step_open = False                       # its step_end is not written yet
        self.chains = {}                             # task -> [(coro, id)] at its last step end
        self.waiting = {}                            # task -> (future, id) it awaits
        self.coro_ids = {}                           # id(coro) -> (coro, id), while in a chain
        self.in_callbacks = None                     # the future scheduling its done-callbacks
        self.threadsafe = False
        self.queued, self.writing = [], False   # emit(): events waiting for the one being written
        self.last_t = None                      # (t_ns, the float) of the last event written
        self.next_sync = 0                      # ids of Lock, Event, Queue... (sync events)
        self.naming = None             # create_task(name=...) through a task factory: the name
        self.executor_handles = None   # run_in_executor: the handles its job schedules
        self._file_kind = {}
        self._lib_dirs = tuple(os.path.normcase(os.path.abspath(d)) + os.sep for d in {
            os.path.dirname(asyncio.__file__), os.path.dirname(os.path.abspath(__file__)),
            sysconfig.get_paths().get('stdlib', '/nonexistent'),
            sysconfig.get_paths().get('platstdlib', '/nonexistent')} if d)
        self.loop_codes = set()
        self.loops_started = 0
        self.stop = None                             # run.py: ends the run at --max-time
        header = {'format': 'awaitlab-trace', 'version': 2, 'program': os.path.basename(program_path),
                  'clock': clock_kind, 'seed': 0, 'wall_start_ns': wall_start_ns,
                  'source_file': os.path.basename(program_path), 'source': source}
        self._write(header)
        self.flush()

    # --- writing ---------------------------------------------------------------------------

    def now_ns(self):
        """The loop time: on the virtual clock the float itself (emit writes it as a time), on
        the real one integer ns since the recording started."""
        if self.clock_kind == 'sim':
            return float(vloop.clock.now)
        return time.monotonic_ns() - self.t0

    def _write(self, obj):
        self.buf.append(_encode(obj))
        if len(self.buf) >= 512:
            self.flush()

    def flush(self):
        if self.buf:
            data = '\n'.join(self.buf) + '\n'
            self.buf = []
            self.out.write(data.encode('utf-8', 'replace'))
            self.out.flush()

    def emit(self, ev, fields, where=None):
        """Write one event: head, the kind's fields (in schema order), the optional tail.
        A loop_close is held back until something follows it or the program ends well: a
        program that fails after its loop closed leaves an unfinished trace."""
        exact = {}
        obj = {'seq': None, 'iter': self.iter, 't_ns': self.now_ns(), 'ev': ev}  # t_ns: see below
        for key, value in fields.items():
            obj[key] = _time(value, key, exact) if key in _TIME_FIELDS else value
        obj['exact'] = exact                         # (left out below when it stays empty)
        if where is not None:
            obj['file'], obj['line'] = where
        # An event can arise while another is being written (a finalizer that the garbage
        # collector runs inside json.dumps): it waits, and seq numbers follow the written order.
        self.queued.append(obj)
        if self.writing:
            return
        self.writing = True
        try:
            while self.queued:
                obj = self.queued.pop(0)
                if self.pending_close is not None:
                    held, self.pending_close = self.pending_close, None
                    self._write(held)
                self.seq += 1
                obj['seq'] = self.seq
                self._loop_time(obj)
                if obj['ev'] == 'loop_close':
                    self.pending_close = obj
                else:
                    self._write(obj)
        finally:
            self.writing = False

    def _loop_time(self, obj):
        """t_ns of an event in written order: a float (the virtual clock) is written as ns, and
        in `exact` only when a reader would take another double: the previous event's time when
        t_ns did not change, else the double nearest t_ns / 1e9 (core/aw_trace_time.h)."""
        t = obj['t_ns']
        if isinstance(t, float):
            ns = vloop.to_ns(t)
            obj['t_ns'] = ns
            carried = self.last_t if self.last_t is not None and ns == self.last_t[0] else (ns, float(ns) / 1e9)
            if carried[1] != t:
                obj['exact'] = {'t': t, **obj['exact']}
            self.last_t = (ns, t)
        if not obj['exact']:
            del obj['exact']

    def finish(self, ok):
        if ok and self.pending_close is not None:
            self._write(self.pending_close)
        self.pending_close = None
        self.flush()

    # --- where in the program ----------------------------------------------------------------

    def _kind(self, filename):
        k = self._file_kind.get(filename)
        if k is None:
            path = os.path.normcase(os.path.abspath(filename)) if not filename.startswith('<') else filename
            if path == os.path.normcase(self.program):
                k = 1                                # the program itself: file null
            elif filename.startswith('<') or path.startswith(self._lib_dirs):
                k = 0                                # asyncio, the stdlib, this package
            else:
                k = 2                                # another module of the program's
            self._file_kind[filename] = k
        return k

    def _where_frame(self, f):
        k = self._kind(f.f_code.co_filename)
        return (None if k == 1 else f.f_code.co_filename, f.f_lineno)

    def where(self, depth=1):
        """The program's innermost frame on the stack, unless the loop runs it on its own."""
        f = sys._getframe(depth)
        codes = self.loop_codes
        while f is not None:
            code = f.f_code
            if code in codes:
                return None
            if self._kind(code.co_filename):
                return self._where_frame(f)
            f = f.f_back
        return None

    # --- ids ---------------------------------------------------------------------------------

    def fid(self, fut):
        """The future id of a task or future (given at creation; 0 for one made elsewhere)."""
        i = getattr(fut, '_aw_id', None)
        if i is None:
            if isinstance(fut, _PyTask):
                self.task_created(fut)
            elif isinstance(fut, _PyFuture):
                self.future_created(fut, None)
            else:
                return None
            i = fut._aw_id
        return i

    def cur_id(self):
        return self.current._aw_id if self.current is not None else None

    def task_created(self, task):
        self.next_future += 1
        task._aw_id = self.next_future
        task._aw_started = False
        coro = task.get_coro()
        parent = self.cur_id()
        name, self.naming = (self.naming if self.naming is not None else task.get_name()), None
        # a primitive's method made a task (create_task(b.wait())): by its qualified name, as the
        # C core names it (Barrier.wait), like the await chains do
        frame = getattr(coro, 'cr_frame', None)
        primitive = frame is not None and (frame.f_code in TRANSPARENT or  # (the recorder's wrappers of them)
                                           frame.f_globals.get('__name__') in ('asyncio.locks', 'asyncio.queues'))
        self.emit('task_created', {'task': task._aw_id, 'name': name,
                                   'coro': getattr(coro, '__qualname__' if primitive else '__name__', None),
                                   'parent': parent},
                  self.where())

    def future_created(self, fut, where):
        self.next_future += 1
        fut._aw_id = self.next_future
        self.emit('future_created', {'future': fut._aw_id, 'task': self.cur_id()}, where)

    def coro_id(self, coro, task):
        entry = self.coro_ids.get(id(coro))
        if entry is not None and entry[0] is coro:
            return entry[1], False
        self.next_coro += 1
        self.coro_ids[id(coro)] = (coro, self.next_coro)
        return self.next_coro, True

    # --- await chains ------------------------------------------------------------------------

    def chain(self, task):
        """[(coro, id, created?)] below the task's own coroutine, and the innermost program frame."""
        out, where = [], None
        c = task.get_coro()
        first = True
        while c is not None:
            frame = getattr(c, 'cr_frame', None) or getattr(c, 'gi_frame', None)
            if frame is None:
                break
            if self._kind(frame.f_code.co_filename):
                where = self._where_frame(frame)
            if not first and hasattr(c, 'cr_frame') and c.cr_code not in TRANSPARENT:
                out.append(c)                        # coroutines; a Future's __await__ is the future
            first = False
            c = getattr(c, 'cr_await', None) or getattr(c, 'gi_yieldfrom', None)
        return out, where

    def suspended_where(self, task):
        return self.chain(task)[1]

    def after_step(self, task, where, new):
        """Await events for the chain change of `task` over the step that just ran."""
        old = self.chains.get(task, [])
        tid = task._aw_id
        gone = 'result'
        if task.done():
            gone = 'cancelled' if task.cancelled() else ('exception' if task._exception is not None else 'result')
        k = 0
        while k < len(old) and k < len(new) and old[k][0] is new[k]:
            k += 1
        for coro, cid in reversed(old[k:]):          # returned during the step, innermost first
            self.emit('await_return', {'task': tid, 'future': None, 'coro': cid, 'reason': gone,
                                       'result': None, 'exc': None, 'message': None}, where)
            self.coro_ids.pop(id(coro), None)
        kept = old[:k]
        for coro in new[k:]:
            cid, made = self.coro_id(coro, task)
            frame = getattr(coro, 'cr_frame', None)
            lib = frame is not None and not self._kind(frame.f_code.co_filename)
            # asyncio's methods by their qualified name (Event.wait), as the C core names them
            name = getattr(coro, '__qualname__' if lib else '__name__', None)
            if made:
                self.emit('coro_created', {'coro': cid, 'name': name, 'task': tid, 'library': lib}, where)
            self.emit('await', {'task': tid, 'future': None, 'coro': cid, 'what': name}, where)
            kept.append((coro, cid))
        if kept:
            self.chains[task] = kept
        else:
            self.chains.pop(task, None)
        fut = task._fut_waiter
        if fut is not None and not task.done():
            fid = self.fid(fut)
            what = fut.get_name() if isinstance(fut, asyncio.Task) else 'future'
            self.emit('await', {'task': tid, 'future': fid, 'coro': None, 'what': what}, where)
            self.waiting[task] = (fut, fid)

    def outcome(self, fut):
        """(reason, result, exc, message) of a done future."""
        if fut.cancelled():
            msg = getattr(fut, '_cancel_message', None)
            return 'cancelled', None, None, None if msg is None else _short(str(msg))
        exc = fut._exception
        if exc is not None:
            return 'exception', None, type(exc).__name__, _short(str(exc))
        return 'result', _repr(fut._result), None, None

    # --- tasks -------------------------------------------------------------------------------

    def step(self, orig, task, exc):
        if getattr(task, '_aw_id', None) is None:
            self.task_created(task)
        tid = task._aw_id
        if not task._aw_started:
            reason = 'start'
            task._aw_started = True
        elif task._must_cancel and not isinstance(exc, asyncio.CancelledError):
            reason = 'throw'    # a pending cancel() is thrown in (a CancelledError on its way in
                                # from the awaited future is kept: that is a resume)
        else:
            reason = 'resume'
        where = None if reason == 'start' else task.__dict__.pop('_aw_where', None)
        self.emit('step_begin', {'task': tid, 'reason': reason}, where)
        waited = self.waiting.pop(task, None)
        # A cancellation reaches the coroutine: a pending cancel(); a CancelledError while this
        # task is being cancelled (its cancel() reached the future it waited on); or the future
        # it waited on was cancelled itself (not a task it merely awaits that was cancelled).
        cancelled = task._must_cancel or isinstance(exc, asyncio.CancelledError) and (
            task._num_cancels_requested > 0 or
            waited is not None and not isinstance(waited[0], _PyTask) and waited[0].cancelled())
        if cancelled:
            if isinstance(exc, asyncio.CancelledError):    # kept, even with a cancel() pending
                msg = exc.args[0] if exc.args else None
            else:
                msg = getattr(task, '_cancel_message', None)
            self.emit('cancel_delivered', {'task': tid, 'message': None if msg is None else str(msg)}, where)
        if waited is not None:
            fut, fid = waited
            if fut.done():
                r, res, e, m = self.outcome(fut)
            else:
                r, res, e, m = 'cancelled', None, 'CancelledError', None
            self.emit('await_return', {'task': tid, 'future': fid, 'coro': None, 'reason': r,
                                       'result': res, 'exc': e, 'message': m}, where)
        prev, prev_open = self.current, self.step_open
        self.current, self.step_open = task, True
        try:
            orig(task, exc)
        finally:
            if self.step_open:
                self.step_end(task)
            self.current, self.step_open = prev, prev_open

    def step_end(self, task):
        """Written once per step: when the task completes (before its future_done) or after."""
        self.step_open = False
        if task.done():
            new, where = [], self.where()
        else:
            new, where = self.chain(task)
            task._aw_where = where
        self.after_step(task, where, new)
        tid = task._aw_id
        fut, exc = None, None
        if task.done():
            if task.cancelled():
                # CancelledError when the coroutine raised it; none when it returned while a
                # cancel() was pending (super().cancel() then, as the C core writes it)
                reason = 'cancelled'
                exc = 'CancelledError' if getattr(task, '_cancelled_exc', None) is not None else None
            elif task._exception is not None:
                reason, exc = 'raised', type(task._exception).__name__
            else:
                reason = 'done'
        elif task._fut_waiter is not None:
            reason, fut = 'await', self.fid(task._fut_waiter)
        else:
            reason = 'yield'
        self.emit('step_end', {'task': tid, 'reason': reason, 'future': fut, 'exc': exc}, where)

    def schedule_callbacks(self, orig, fut):
        if self.current is fut and self.step_open:
            self.step_end(fut)
        fid = self.fid(fut)
        sync_events.woken(fut)
        r, res, e, m = self.outcome(fut)
        by = self.cur_id()
        if by == fid:
            by = None
        self.emit('future_done', {'future': fid, 'reason': r, 'result': res, 'exc': e,
                                  'message': m, 'by': by}, self.where())
        self.emit('callbacks', {'future': fid, 'count': len(fut._callbacks)}, self.where())
        prev, self.in_callbacks = self.in_callbacks, fut
        try:
            orig(fut)
        finally:
            self.in_callbacks = prev

    def via(self):
        """The library function on the stack that acts for the program, if any."""
        f = sys._getframe(1)
        while f is not None:
            code = f.f_code
            if code in self.loop_codes:
                break
            name = code.co_name
            qual = getattr(code, 'co_qualname', name)
            base = os.path.basename(code.co_filename)
            if '_GatheringFuture' in qual or base == 'tasks.py' and 'gather' in qual:
                return 'gather'
            if base == 'tasks.py' and name == 'wait_for':
                return 'wait_for'
            if base == 'tasks.py' and 'shield' in qual:
                return 'shield'
            if base == 'timeouts.py' or 'RecTimeout' in qual:
                t = f.f_locals.get('self')
                return getattr(t, '_aw_via', 'asyncio.timeout')
            if base == 'runners.py':
                return 'asyncio.run'
            if base == 'taskgroups.py':
                return 'TaskGroup'
            if code in ACTS_AS:
                return ACTS_AS[code]
            if self._kind(code.co_filename):
                break
            f = f.f_back
        return None

    def cancel_requested(self, fut, msg, is_task):
        done = fut.done()
        fid = self.fid(fut)
        n = fut._num_cancels_requested + (0 if done else 1) if is_task else 0
        self.emit('cancel_requested', {'task': fid if is_task else None,
                                       'future': fid, 'by': self.cur_id(),
                                       'message': None if msg is None else _short(str(msg)),
                                       'cancelling': n, 'accepted': not done, 'via': self.via()},
                  self.where())

    # --- handles -----------------------------------------------------------------------------

    def role(self, callback, args, timer):
        """(callback name, task, future) that a handle serves, in the C core's words."""
        func = getattr(callback, '__func__', None)
        owner = getattr(callback, '__self__', None)
        if func is not None and isinstance(owner, _PyTask):
            if func is _task_step or func is _step_wrapper[0]:
                return 'task_step', self.fid(owner), None
            if func is _task_wakeup:
                return 'task_wakeup', self.fid(owner), self.fid(args[0]) if args else None
        if self.in_callbacks is not None:
            return 'done_callback', None, self.fid(self.in_callbacks)
        if self.threadsafe:   # wrap_future's _set_state(destination, source): the asyncio future
            dest = args[0] if args and isinstance(args[0], _PyFuture) else None
            return 'call_soon_threadsafe', None, self.fid(dest) if dest is not None else None
        if callback is asyncio.futures._set_result_unless_cancelled and timer:   # sleep(delay)'s timer
            return 'sleep', self.cur_id(), self.fid(args[0]) if args else None
        if isinstance(owner, asyncio.timeouts.Timeout):
            return 'timeout', self.fid(owner._task) if owner._task is not None else None, None
        if getattr(callback, '__name__', '') == '_release_waiter' and _called_from('_wait'):
            return 'wait_timeout', self.cur_id(), self.fid(args[0]) if args else None   # wait(timeout=)
        if getattr(callback, '__name__', '') == '_release_waiter':     # 3.11's wait_for
            return 'timeout', self.cur_id(), None
        if getattr(callback, '__qualname__', '').startswith('VirtualExecutor.submit'):
            return 'executor', None, None
        name = getattr(callback, '__qualname__', None) or getattr(callback, '__name__', None)
        return (name if name else type(callback).__name__), None, None

    def scheduled(self, handle, callback, args, deadline_ns):
        # deadline_ns: float seconds (sim), int ns (real) or None (call_soon)
        self.next_handle += 1
        handle._aw_id = self.next_handle
        name, task, fut = self.role(callback, args, deadline_ns is not None)
        handle._aw_role = (name, task, fut)
        if name == 'executor' and self.executor_handles is not None:
            self.executor_handles.append(handle)
        self.emit('scheduled', {'handle': handle._aw_id, 'deadline_ns': deadline_ns, 'callback': name,
                                'task': task, 'future': fut}, self.where())

    # --- vloop's observer ----------------------------------------------------------------------

    def busy(self, d):
        self.emit('busy', {'task': self.cur_id(), 'duration_ns': d}, self.where())

    def io_wait(self, timeout):
        if timeout is not None and self.clock_kind == 'sim':
            timeout = float(timeout)
        elif timeout is not None:
            timeout = round(timeout * NS)
        self.emit('io_wait', {'timeout_ns': timeout, 'watched': 0}, None)

    def clock_jump(self, a, b):
        if self.max_time_ns is not None and vloop.to_ns(b) > self.max_time_ns:
            self.stop('stopped at --max-time %s s of virtual time (the next timer is at %s s)'
                      % (_secs(self.max_time_ns), _secs(vloop.to_ns(b))))
        if b != a:
            vloop.clock.now = b                      # stamp the jump at its end, as the C core does
            self.emit('clock_jump', {'from_ns': a, 'to_ns': b}, None)
            vloop.clock.now = a


# The time fields (sim/trace-format.md, Times): a float is seconds, written as ns rounded to the
# nearest (ties to even), plus its exact value in the event's `exact` object when those ns do not
# read back as the same double; an int is ns already (the real clock's); None is null.
_TIME_FIELDS = frozenset(('t_ns', 'deadline_ns', 'timeout_ns', 'from_ns', 'to_ns', 'duration_ns'))


def _time(value, key, exact):
    if not isinstance(value, float):
        return value
    if value != value or value < 0:
        value = 0.0
    if value == math.inf:
        return None
    ns = vloop.to_ns(value)
    if float(ns) / 1e9 != value:
        exact[key[:-3]] = value
    return ns


def _called_from(name):
    """Whether asyncio's tasks.py function `name` is on the stack."""
    f = sys._getframe(2)
    while f is not None:
        if f.f_code.co_name == name and os.path.basename(f.f_code.co_filename) == 'tasks.py':
            return True
        f = f.f_back
    return False


def _secs(ns):
    return ('%d.%09d' % (ns // NS, ns % NS)).rstrip('0').rstrip('.')


REC = None                                           # the recorder of this process
ACTS_AS = {}                                         # code object -> the library call it stands for
TRANSPARENT = set()                                  # code objects of the recorder's own wrappers: not in chains


def acts_as(func, api):
    """Record what `func` does in the name of `api` (e.g. 'asyncio.run'), as if the library's own
    code did it: for a harness that re-implements part of asyncio.run around a program."""
    ACTS_AS[func.__code__] = api
    return func
_task_step = _PyTask._Task__step
_task_wakeup = _PyTask._Task__wakeup
_step_wrapper = [None]                               # _patch's replacement of _Task__step


def _py_tasks_track_themselves():
    """True where _PyTask enters itself with tasks.py's _py_enter_task (CPython 3.14+) instead of
    the module's _enter_task (the C one when _asyncio is there: 3.11 to 3.13)."""
    names = set()
    for attr in ('_Task__step', '_Task__step_run_and_handle_result', '__init__', '__eager_start'):
        f = getattr(_PyTask, attr, None) or getattr(_PyTask, '_Task' + attr, None)
        if f is not None and hasattr(f, '__code__'):
            names.update(f.__code__.co_names)
    return '_py_enter_task' in names or '_py_register_task' in names


_PY_TASKS_TRACK_THEMSELVES = _py_tasks_track_themselves()


# --- handles that report themselves --------------------------------------------------------------

class _HandleMixin:
    __slots__ = ()

    def _run(self):
        rec = REC
        if rec is not None:
            name, task, fut = getattr(self, '_aw_role', (None, None, None))
            rec.emit('handle_run', {'handle': self._aw_id, 'callback': name, 'task': task,
                                    'future': fut}, None)
        self._aw_ran = True
        super()._run()

    def cancel(self):
        if not self._cancelled and REC is not None and getattr(self, '_aw_id', None) \
                and not getattr(self, '_aw_ran', False):
            REC.emit('handle_cancelled', {'handle': self._aw_id}, REC.where())
        super().cancel()


class RecHandle(_HandleMixin, asyncio.events.Handle):
    __slots__ = ('_aw_id', '_aw_role', '_aw_ran')


class RecTimerHandle(_HandleMixin, vloop.VirtualTimerHandle):
    __slots__ = ('_aw_id', '_aw_role', '_aw_ran')


# CPython 3.14's call_soon_threadsafe makes its own handle class (with a lock) instead of going
# through _call_soon as 3.11 to 3.13 do.
_ThreadSafeHandle = getattr(asyncio.events, '_ThreadSafeHandle', None)
if _ThreadSafeHandle is not None:
    class RecThreadSafeHandle(_HandleMixin, _ThreadSafeHandle):
        __slots__ = ('_aw_id', '_aw_role', '_aw_ran')


# --- the loop --------------------------------------------------------------------------------------

# How this Python's loop calls a task factory: with create_task's own arguments (3.14:
# `create_task(self, coro, **kwargs)`), or with none and set_name() afterwards (3.11 to 3.12),
# which costs a named task a Task-N number.
_FACTORY_TAKES_NAME = 'name' not in inspect.signature(asyncio.base_events.BaseEventLoop.create_task).parameters


class RecordingMixin:
    """What both clocks share: the loop's events, pure-Python tasks and futures."""

    def create_task(self, coro, *, name=None, context=None, **kwargs):
        self._check_closed()
        if self._task_factory is not None and _FACTORY_TAKES_NAME:
            # 3.14 hands the factory every argument: a named task takes no Task-N number
            given = dict(kwargs, **({'name': name} if name is not None else {}),
                         **({'context': context} if context is not None else {}))
            return self._task_factory(self, coro, **given)
        if self._task_factory is not None:
            # The factory gets no name (3.11 to 3.12 call it so); the task is named after it
            # was made, but its task_created event should carry the name the program gave.
            if REC is not None:
                REC.naming = name
            try:
                if context is None and not kwargs:
                    task = self._task_factory(self, coro)
                else:
                    task = self._task_factory(self, coro, context=context, **kwargs)
            finally:
                if REC is not None:
                    REC.naming = None
            if name is not None:
                task.set_name(name)
            return task
        return _PyTask(coro, loop=self, name=name, context=context, **kwargs)

    def create_future(self):
        return _PyFuture(loop=self)

    def _call_soon(self, callback, args, context):
        handle = RecHandle(callback, args, self, context)
        if handle._source_traceback:
            del handle._source_traceback[-1]
        if REC is not None:
            REC.scheduled(handle, callback, args, None)
        self._ready.append(handle)
        return handle

    def call_soon_threadsafe(self, callback, *args, context=None):
        rec = REC
        if rec is None:
            return super().call_soon_threadsafe(callback, *args, context=context)
        prev, rec.threadsafe = rec.threadsafe, True
        try:
            if _ThreadSafeHandle is None:
                return super().call_soon_threadsafe(callback, *args, context=context)
            # 3.14's base_events.call_soon_threadsafe, with the recording handle.
            self._check_closed()
            handle = RecThreadSafeHandle(callback, args, self, context)
            rec.scheduled(handle, callback, args, None)
            self._ready.append(handle)
            if handle._source_traceback:
                del handle._source_traceback[-1]
            self._write_to_self()
            return handle
        finally:
            rec.threadsafe = prev

    def run_in_executor(self, executor, func, *args):
        rec = REC
        if rec is None:
            return super().run_in_executor(executor, func, *args)
        prev, rec.executor_handles = rec.executor_handles, []
        try:
            fut = super().run_in_executor(executor, func, *args)
        finally:
            made, rec.executor_handles = rec.executor_handles, prev
        # The job's timer was scheduled before wrap_future made the asyncio future it serves:
        # its handle_run names that future, as the C core's does ('scheduled' could not).
        for handle in made:
            name, task, _ = handle._aw_role
            handle._aw_role = (name, task, rec.fid(fut))
        return fut

    def run_forever(self):
        if REC is not None:
            REC.loops_started += 1
            REC.emit('loop_start', {'clock': REC.clock_kind}, None)
        try:
            super().run_forever()
        finally:
            if REC is not None:
                REC.emit('loop_stop', {}, None)

    def close(self):
        closed = self.is_closed()
        super().close()
        if REC is not None and not closed:
            if getattr(self, '_aw_runner_closing', False):
                REC.emit('runner', {'phase': 'closed'}, None)
            REC.emit('loop_close', {}, None)

    def _run_once(self):
        # CPython's BaseEventLoop._run_once (3.11 and 3.14 agree), with the events added.
        rec = REC
        sched_count = len(self._scheduled)
        if (sched_count > asyncio.base_events._MIN_SCHEDULED_TIMER_HANDLES and
                self._timer_cancelled_count / sched_count >
                asyncio.base_events._MIN_CANCELLED_TIMER_HANDLES_FRACTION):
            new_scheduled = []
            for handle in self._scheduled:
                if handle._cancelled:
                    handle._scheduled = False
                else:
                    new_scheduled.append(handle)
            heapq.heapify(new_scheduled)
            self._scheduled = new_scheduled
            self._timer_cancelled_count = 0
        else:
            while self._scheduled and self._scheduled[0]._cancelled:
                self._timer_cancelled_count -= 1
                handle = heapq.heappop(self._scheduled)
                handle._scheduled = False

        timeout = None
        if self._ready or self._stopping:
            timeout = 0
        elif self._scheduled:
            timeout = self._scheduled[0]._when - self.time()
            if timeout > asyncio.base_events.MAXIMUM_SELECT_TIMEOUT:
                timeout = asyncio.base_events.MAXIMUM_SELECT_TIMEOUT
            elif timeout < 0:
                timeout = 0
        self._aw_before_iteration()
        if rec is not None:
            rec.iter += 1
            rec.emit('iteration', {'ready': len(self._ready), 'timeout_ns': self._aw_timeout_ns(timeout)}, None)
            if rec.buf and len(rec.buf) > 64:
                rec.flush()

        event_list = self._selector.select(timeout)
        self._process_events(event_list)
        event_list = None

        end_time = self.time() + self._clock_resolution
        while self._scheduled:
            handle = self._scheduled[0]
            if handle._when >= end_time:
                break
            handle = heapq.heappop(self._scheduled)
            handle._scheduled = False
            if rec is not None and getattr(handle, '_aw_id', None):
                rec.emit('timer_fired', {'handle': handle._aw_id, 'deadline_ns': self._aw_deadline(handle)}, None)
            self._ready.append(handle)

        ntodo = len(self._ready)
        for i in range(ntodo):
            handle = self._ready.popleft()
            if handle._cancelled:
                continue
            if self._debug:
                try:
                    self._current_handle = handle
                    t0 = self.time()
                    handle._run()
                    dt = self.time() - t0
                    if dt >= self.slow_callback_duration:
                        asyncio.base_events.logger.warning('Executing %s took %.3f seconds',
                                                           asyncio.base_events._format_handle(handle), dt)
                finally:
                    self._current_handle = None
            else:
                handle._run()
        handle = None


class SimLoop(RecordingMixin, vloop.VirtualLoop):
    """The recording loop on the virtual clock."""

    def _timer_at(self, when, callback, args, context, method='call_at'):
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, method)
        self._timer_seq += 1
        timer = RecTimerHandle(when, self._timer_seq, callback, args, self, context)
        if timer._source_traceback:
            del timer._source_traceback[-1]
        if REC is not None:
            REC.scheduled(timer, callback, args, float(when))
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def _aw_before_iteration(self):
        vloop.clock.iteration += 1

    def _aw_timeout_ns(self, timeout):
        return None if timeout is None else float(timeout)

    def _aw_deadline(self, handle):
        return float(handle._when)


class _RealTimerHandle(_HandleMixin, asyncio.events.TimerHandle):
    __slots__ = ('_aw_id', '_aw_role', '_aw_ran', '_seq')

    def __lt__(self, other):
        return (self._when, self._seq) < (other._when, other._seq)

    def __le__(self, other):
        return (self._when, self._seq) <= (other._when, other._seq)

    def __gt__(self, other):
        return (self._when, self._seq) > (other._when, other._seq)

    def __ge__(self, other):
        return (self._when, self._seq) >= (other._when, other._seq)


class _WatchedSelector:
    """The real selector, reporting each wait."""

    def __init__(self, inner):
        self._inner = inner

    def select(self, timeout=None):
        rec = REC
        if rec is not None and (timeout is None or timeout > 0):
            rec.io_wait(timeout)
        if rec is not None and rec.max_time_ns is not None:
            left = (rec.max_time_ns - rec.now_ns()) / NS
            if timeout is None or timeout > left:
                timeout = max(left, 0)
        events = self._inner.select(timeout)
        if rec is not None and rec.max_time_ns is not None and rec.now_ns() >= rec.max_time_ns:
            rec.stop('stopped at --max-time %s s' % _secs(rec.max_time_ns))
        return events

    def get_map(self):
        return self._inner.get_map()

    def __getattr__(self, name):
        return getattr(self._inner, name)


class RealLoop(RecordingMixin, asyncio.SelectorEventLoop):
    """The recording loop on the real clock (CLOCK_MONOTONIC, real I/O)."""

    def __init__(self):
        super().__init__()
        self._selector = _WatchedSelector(self._selector)
        self._timer_seq = 0

    def call_at(self, when, callback, *args, context=None):
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, 'call_at')
        self._timer_seq += 1
        timer = _RealTimerHandle(when, callback, args, self, context)
        timer._seq = self._timer_seq
        if timer._source_traceback:
            del timer._source_traceback[-1]
        if REC is not None:
            REC.scheduled(timer, callback, args, self._aw_ns(when))
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def _aw_ns(self, when):
        return max(round(when * NS) - REC.t0, 0) if REC is not None else 0

    def _aw_before_iteration(self):
        pass

    def _aw_timeout_ns(self, timeout):
        return None if timeout is None else round(timeout * NS)

    def _aw_deadline(self, handle):
        return self._aw_ns(handle._when)


# --- patches of asyncio's pure-Python classes -------------------------------------------------------

class _GatheringFuture(_PyFuture):
    """asyncio.tasks._GatheringFuture (3.11-3.14, unchanged), on the pure-Python Future."""

    def __init__(self, children, *, loop):
        assert loop is not None
        super().__init__(loop=loop)
        self._children = children
        self._cancel_requested = False

    def cancel(self, msg=None):
        if self.done():
            return False
        ret = False
        for child in self._children:
            if child.cancel(msg=msg):
                ret = True
        if ret:
            self._cancel_requested = True
        return ret


class RecTimeout(asyncio.timeouts.Timeout):
    """asyncio.timeouts.Timeout with timeout_* events."""

    def __init__(self, when):
        super().__init__(when)
        self._aw_scope = None
        via = 'asyncio.timeout'
        f = sys._getframe(1)
        for _ in range(3):
            if f is None:
                break
            if f.f_code.co_name == 'wait_for':
                via = 'wait_for'
                break
            if f.f_code.co_name == 'timeout_at':
                via = 'asyncio.timeout_at'
            f = f.f_back
        self._aw_via = via

    def _aw_deadline(self, when):
        if when is None:
            return None
        # a deadline before the loop's start (timeout(-1) at time 0) is written 0, as the core does
        return float(when) if REC.clock_kind == 'sim' else max(round(when * NS) - REC.t0, 0)

    def reschedule(self, when):
        rec = REC
        # A scope no longer entered (expiring, expired, exited) refuses with RuntimeError and
        # changes nothing: no event, as the core traces none.
        if rec is not None and self._state is asyncio.timeouts._State.ENTERED:
            task = rec.fid(self._task) if self._task is not None else None
            if self._aw_scope is None:
                rec.next_scope += 1
                self._aw_scope = rec.next_scope
                ev = 'timeout_armed'
            else:
                ev = 'timeout_rescheduled'
            rec.emit(ev, {'scope': self._aw_scope, 'task': task, 'deadline_ns': self._aw_deadline(when),
                          'via': self._aw_via}, rec.where())
        return super().reschedule(when)

    def _on_timeout(self):
        rec = REC
        if rec is not None:
            rec.emit('timeout_expired', {'scope': self._aw_scope, 'task': rec.fid(self._task),
                                         'deadline_ns': self._aw_deadline(self._when) or 0,
                                         'via': self._aw_via}, None)
        return super()._on_timeout()

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        raised = False
        try:
            return await super().__aexit__(exc_type, exc_val, exc_tb)
        except TimeoutError:
            raised = True
            raise
        finally:
            rec = REC
            if rec is not None and self._aw_scope is not None:
                rec.emit('timeout_disarmed', {'scope': self._aw_scope, 'task': rec.fid(self._task),
                                              'raised': raised, 'via': self._aw_via}, rec.where())


_patched = []                                        # _patch's result, once per process


def _patch():
    """Point asyncio at the pure-Python classes and wrap the methods the recorder watches.
    Once per process: the wrappers read REC, the recorder of the program being recorded."""
    if _patched:
        return _patched[0]
    fut_init = _PyFuture.__init__
    sched = _PyFuture._Future__schedule_callbacks
    add_cb = _PyFuture.add_done_callback
    fut_await = _PyFuture.__await__
    fut_cancel = _PyFuture.cancel
    task_cancel = _PyTask.cancel
    task_uncancel = _PyTask.uncancel

    def __init__(self, *args, **kwargs):
        fut_init(self, *args, **kwargs)
        if REC is not None and not isinstance(self, _PyTask):
            REC.future_created(self, REC.where())

    def schedule_callbacks(self):
        if REC is None:
            return sched(self)
        REC.schedule_callbacks(sched, self)

    def await_(self):
        # Awaiting a future that is already done with a CancelledError raises it at once, with
        # no step boundary: delivered by the rule of step() (a cancelled plain future, or any
        # CancelledError while the awaiting task is being cancelled), as the C core says it.
        rec = REC
        if rec is not None and rec.current is not None and rec.step_open and self.done():
            # (read without result()/exception()/_make_cancelled_error(): they change state)
            if self.cancelled():
                kept = self._cancelled_exc
                msg = kept.args[0] if kept is not None and kept.args else self._cancel_message
                err = True
            else:
                err = isinstance(self._exception, asyncio.CancelledError)
                msg = self._exception.args[0] if err and self._exception.args else None
            if err and (self.cancelled() and not isinstance(self, _PyTask) or
                        rec.current._num_cancels_requested > 0):
                rec.emit('cancel_delivered', {'task': rec.cur_id(), 'message': None if msg is None else str(msg)},
                         rec.where())
        return (yield from fut_await(self))

    def add_done_callback(self, fn, *, context=None):
        rec = REC
        if rec is None or not self.done():
            return add_cb(self, fn, context=context)
        # Already done: CPython calls call_soon at once; that handle is this future's callback.
        prev, rec.in_callbacks = rec.in_callbacks, self
        try:
            return add_cb(self, fn, context=context)
        finally:
            rec.in_callbacks = prev

    def future_cancel(self, msg=None):
        if REC is not None:
            REC.cancel_requested(self, msg, False)
        return fut_cancel(self, msg=msg)

    def cancel(self, msg=None):
        if REC is not None:
            REC.cancel_requested(self, msg, True)
        return task_cancel(self, msg=msg)

    def uncancel(self):
        n = task_uncancel(self)
        if REC is not None:
            REC.emit('uncancel', {'task': REC.fid(self), 'cancelling': n, 'via': REC.via()}, REC.where())
        return n

    def step(self, exc=None):
        if REC is None:
            return _task_step(self, exc)
        REC.step(_task_step, self, exc)

    _PyFuture.__init__ = __init__
    _PyFuture._Future__schedule_callbacks = schedule_callbacks
    _PyFuture.add_done_callback = add_done_callback
    _PyFuture.__await__ = _PyFuture.__iter__ = await_
    _PyFuture.cancel = future_cancel
    _PyTask.cancel = cancel
    _PyTask.uncancel = uncancel
    _PyTask._Task__step = step
    _step_wrapper[0] = step
    _PyTask._aw_id = None
    _PyFuture._aw_id = None

    asyncio.Future = asyncio.futures.Future = _PyFuture
    asyncio.Task = asyncio.tasks.Task = _PyTask
    if _PY_TASKS_TRACK_THEMSELVES:
        # CPython 3.14's pure-Python tasks enter and register themselves in tasks.py's own
        # tables, which its C current_task() / all_tasks() do not read: asyncio.timeout and
        # TaskGroup would find no current task. Ask the tables the tasks write to.
        asyncio.current_task = asyncio.tasks.current_task = asyncio.tasks._py_current_task
        asyncio.all_tasks = asyncio.tasks.all_tasks = asyncio.tasks._py_all_tasks
    asyncio.tasks._GatheringFuture = _GatheringFuture
    asyncio.timeouts.Timeout = RecTimeout
    asyncio.Timeout = RecTimeout

    gather = asyncio.tasks.gather

    def gather_(*aws, return_exceptions=False):
        outer = gather(*aws, return_exceptions=return_exceptions)
        if REC is not None and getattr(outer, '_children', None) is not None:
            REC.emit('gather', {'future': REC.fid(outer), 'task': REC.cur_id(),
                                'children': [REC.fid(c) for c in outer._children if REC.fid(c)]},
                     REC.where())
        return outer
    asyncio.gather = asyncio.tasks.gather = gather_

    sync_events.install()
    run_once_code = RecordingMixin._run_once.__code__
    _patched.append({run_once_code})
    return _patched[0]
