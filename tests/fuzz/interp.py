#!/usr/bin/env python3
"""interp.py — runs a fuzz scenario (tests/fuzz/SCENARIOS.md) on CPython's asyncio.

The loop is the oracle's virtual-clock loop (tests/oracle/vloop.py), so every scheduling
decision is CPython's own and every line is stamped with virtual time, exactly as the C
interpreter (tests/fuzz/scenario.c) stamps its lines on awaitlab's sim clock.

    interp.py FILE.json                 print the scenario's output
    interp.py --batch LIST OUTDIR       run every FILE of LIST (one path a line), write
                                        OUTDIR/<basename of FILE>.out for each

The same module runs under python3 (3.11) and under pyodide (3.14: tests/fuzz/pyodide_batch.mjs
calls run_batch, or run_text for each scenario the minimiser sends).  Nothing here depends on set iteration order: where CPython iterates a set
(wait's done/pending, asyncio.run's cancellation of left-over tasks) we sort or use creation
order, as SCENARIOS.md explains.
"""

import asyncio
import asyncio.taskgroups
import asyncio.tasks
import collections.abc
import json
import logging
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'oracle'))
import vloop  # noqa: E402


class InsertionOrderedSet(collections.abc.MutableSet):
    """A set that iterates in insertion order.  asyncio.wait() copies its futures into a set and
    adds its done-callback to each in the set's order, which for futures is the order of their
    addresses: run to run, one of several orders.  Given this set instead, CPython takes the
    order of the list it was passed, the one awaitlab takes, so schedules compare event by
    event (outputs never depended on it: wait's results are printed sorted)."""

    def __init__(self, items=()):
        self._d = dict.fromkeys(items)

    def __contains__(self, x):
        return x in self._d

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)

    def add(self, x):
        self._d[x] = None

    def discard(self, x):
        self._d.pop(x, None)


asyncio.tasks.set = InsertionOrderedSet   # tasks.py's `set(fs)` in wait() and _wait()
# TaskGroup keeps its children in `self._tasks = set()` and _abort() cancels them in the set's
# order (addresses); given this set, in creation order, as awaitlab's taskgroup.c does.
asyncio.taskgroups.set = InsertionOrderedSet

# Exceptions a scenario raises itself (op "raise", set_exception).
USER_EXC = {'ValueError': ValueError, 'LookupError': LookupError, 'ArithmeticError': ArithmeticError}
# Exception types whose message both interpreters print.  Other messages (RuntimeError,
# InvalidStateError...) are CPython's own wording, often with a repr and an address in them.
# (An exception group shows its message and its members: fmt_exc.)  The queue exceptions have
# no message.
SHOW_MSG = set(USER_EXC) | {'CancelledError', 'TimeoutError', 'QueueEmpty', 'QueueFull', 'QueueShutDown',
                            'BrokenBarrierError'}
# What `try` can catch.
CATCH = {'CancelledError': asyncio.CancelledError, 'TimeoutError': TimeoutError,
         'Exception': Exception, 'BaseException': BaseException, 'ValueError': ValueError,
         'ExceptionGroup': ExceptionGroup}
MODES = {'FIRST_COMPLETED': asyncio.FIRST_COMPLETED, 'FIRST_EXCEPTION': asyncio.FIRST_EXCEPTION,
         'ALL_COMPLETED': asyncio.ALL_COMPLETED}
SYNC_OPS = {'print', 'cancel', 'set_result', 'set_exception', 'create_task', 'future',
            'call_soon', 'call_later',
            'event_new', 'event_set', 'event_clear', 'lock_new', 'lock_release', 'semaphore_new',
            'semaphore_release', 'queue_new', 'queue_put_nowait', 'queue_get_nowait',
            'queue_task_done', 'queue_shutdown', 'priority_queue_new', 'condition_new',
            'condition_notify', 'barrier_new'}


def fmt_exc(e):
    name = type(e).__name__
    if isinstance(e, BaseExceptionGroup):   # its message and members, in order
        return '%s(%s, [%s])' % (name, e.message, ', '.join(fmt_exc(x) for x in e.exceptions))
    return '%s(%s)' % (name, str(e) if name in SHOW_MSG else '...')


def fmt_val(v):
    if v is None:
        return 'None'
    if isinstance(v, str):
        return "'%s'" % v
    if isinstance(v, list):
        return '[%s]' % ', '.join(fmt_val(x) for x in v)
    if isinstance(v, BaseException):
        return fmt_exc(v)
    return str(v)


def tf(b):
    return 'True' if b else 'False'


class Scenario:
    def __init__(self, spec):
        self.coros = spec['coros']
        self.reap_after = spec.get('reap_after', 10)
        self.vars = {}         # task and future variables, by name
        self.tasks = []        # every task, in creation order (the task factory records them)
        self.lines = []
        self.main_task = None
        self.printing = False  # recorded: each line is printed too (an `output` event)

    def out(self, text):
        self.lines.append(vloop.clock.stamp() + text)
        if self.printing:
            print(self.lines[-1])

    def task_factory(self, loop, coro, **kw):
        t = asyncio.Task(coro, loop=loop, **kw)
        self.tasks.append(t)
        return t

    # ---- coroutines ----------------------------------------------------------------------
    async def scenario_coro(self, name):   # named as the C interpreter's coroutine (traces)
        await self.run_ops(self.coros.get(name, []), name, [])
        return name

    async def root(self):
        self.main_task = asyncio.current_task()
        try:
            r = await self.scenario_coro('main')
        except BaseException as e:
            self.out('main -> raised %s' % fmt_exc(e))
        else:
            self.out('main -> %s' % fmt_val(r))

    def item(self, name):
        """A coroutine name makes a new coroutine object; anything else is a variable (None
        when the variable is not set yet)."""
        if name in self.coros:
            return self.scenario_coro(name)
        return self.var(name)

    def var(self, name):
        """A task or future variable; 'main' is the main task."""
        return self.main_task if name == 'main' else self.vars.get(name)

    async def outcome(self, label, what, aw):
        if aw is None:
            self.out('%s %s -> unset' % (label, what))
            return
        try:
            r = await aw
        except BaseException as e:
            self.out('%s %s -> raised %s' % (label, what, fmt_exc(e)))
            raise
        self.out('%s %s -> %s' % (label, what, fmt_val(r)))

    async def run_ops(self, ops, label, scopes):
        for op in ops:
            await self.step(op, label, scopes)

    # ---- operations that never suspend (also allowed in callbacks) -------------------------
    def sync_step(self, op, label):
        kind = op['op']
        loop = asyncio.get_running_loop()
        if kind == 'print':
            self.out('%s:%s' % (label, op['tag']))
        elif kind == 'create_task':
            self.vars[op['task']] = loop.create_task(self.scenario_coro(op['coro']), name=op['task'])
        elif kind == 'future':
            f = self.vars[op['fut']] = loop.create_future()
            loop.call_later(self.reap_after, self.reap, op['fut'], f)
        elif kind == 'cancel':
            t = self.var(op['target'])
            if t is None:
                self.out('%s cancel %s -> unset' % (label, op['target']))
            else:
                self.out('%s cancel %s -> %s' % (label, op['target'], tf(t.cancel(op.get('msg')))))
        elif kind in ('set_result', 'set_exception'):
            f = self.vars.get(op['fut'])
            if f is None:
                self.out('%s %s %s -> unset' % (label, kind, op['fut']))
                return
            try:
                if kind == 'set_result':
                    f.set_result(op['value'])
                else:
                    f.set_exception(USER_EXC[op['exc']](op['msg']))
            except BaseException as e:      # InvalidStateError: printed, not propagated
                self.out('%s %s %s -> raised %s' % (label, kind, op['fut'], fmt_exc(e)))
                return
            self.out('%s %s %s -> ok' % (label, kind, op['fut']))
        elif kind == 'event_new':
            ev = self.vars[op['ev']] = asyncio.Event()
            loop.call_later(self.reap_after, self.reap_event, op['ev'], ev)
        elif kind == 'lock_new':
            self.vars[op['lock']] = asyncio.Lock()
        elif kind == 'semaphore_new':
            make = asyncio.BoundedSemaphore if op.get('bounded') else asyncio.Semaphore
            self.vars[op['sem']] = make(op.get('value', 1))
        elif kind in ('queue_new', 'priority_queue_new'):
            make = asyncio.Queue if kind == 'queue_new' else asyncio.PriorityQueue
            q = self.vars[op['q']] = make(op.get('maxsize', 0))
            loop.call_later(self.reap_after, self.reap_queue, op['q'], q)
        elif kind == 'condition_new':
            self.vars[op['cond']] = asyncio.Condition()
        elif kind == 'barrier_new':
            b = self.vars[op['bar']] = asyncio.Barrier(op.get('parties', 1))
            loop.call_later(self.reap_after, self.reap_barrier, op['bar'], b)
        elif kind in ('event_set', 'event_clear', 'queue_shutdown'):
            name = op['q' if kind == 'queue_shutdown' else 'ev']
            x = self.vars.get(name)
            if x is None:
                self.out('%s %s %s -> unset' % (label, kind, name))
            elif kind == 'event_set':
                x.set()
            elif kind == 'event_clear':
                x.clear()       # and a new reaper: the first may have run already
                loop.call_later(self.reap_after, self.reap_event, name, x)
            else:
                x.shutdown(immediate=bool(op.get('immediate')))
        elif kind in ('lock_release', 'semaphore_release', 'queue_put_nowait', 'queue_get_nowait',
                      'queue_task_done', 'condition_notify'):
            # Printed with their outcome; an error (RuntimeError, ValueError, QueueFull,
            # QueueEmpty, QueueShutDown) is printed, not propagated, as set_result's.
            name = op[{'lock_release': 'lock', 'semaphore_release': 'sem',
                       'condition_notify': 'cond'}.get(kind, 'q')]
            x = self.vars.get(name)
            if x is None:
                self.out('%s %s %s -> unset' % (label, kind, name))
                return
            try:
                if kind == 'lock_release' or kind == 'semaphore_release':
                    r = 'ok'
                    x.release()
                elif kind == 'queue_put_nowait':
                    r = 'ok'
                    x.put_nowait(op['value'])
                elif kind == 'queue_get_nowait':
                    r = fmt_val(x.get_nowait())
                elif kind == 'condition_notify':   # n null: notify_all()
                    r = 'ok'
                    x.notify_all() if op.get('n') is None else x.notify(op['n'])
                else:
                    r = 'ok'
                    x.task_done()
            except Exception as e:
                self.out('%s %s %s -> raised %s' % (label, kind, name, fmt_exc(e)))
                return
            self.out('%s %s %s -> %s' % (label, kind, name, r))
        elif kind == 'call_soon':
            loop.call_soon(self.callback, op['ops'], label + '/cb')
        elif kind == 'call_later':
            loop.call_later(op['d'], self.callback, op['ops'], label + '/cb')
        else:
            raise ValueError('not an operation: %r' % kind)

    def callback(self, ops, label):
        for op in ops:
            if op['op'] in SYNC_OPS:        # a callback cannot await: other ops are ignored
                self.sync_step(op, label)

    def reap(self, name, fut):
        # The safety net that makes every scenario terminate (SCENARIOS.md, "Termination").
        if fut.cancel('reaped'):
            self.out('reap %s' % name)

    def reap_event(self, name, ev):
        # An event nobody sets is set (its waiters go on): SCENARIOS.md, "Termination".
        if not ev.is_set():
            ev.set()
            self.out('reap %s' % name)

    def reap_queue(self, name, q):
        # A queue is shut down at once (blocked gets and puts raise QueueShutDown), and what was
        # taken but never marked done is marked done (join() returns).
        if not q._is_shutdown:
            self.out('reap %s' % name)
        q.shutdown(immediate=True)
        while True:
            try:
                q.task_done()
            except ValueError:
                break

    def reap_barrier(self, name, b):
        # A barrier whose parties never all arrive is aborted (its waiters raise
        # BrokenBarrierError): by a task, abort() being a coroutine.  Each reset arms another.
        if not b.broken:
            self.out('reap %s' % name)
            asyncio.get_running_loop().create_task(b.abort(), name='reap-' + name)

    # ---- operations that may suspend ------------------------------------------------------
    async def step(self, op, label, scopes):
        kind = op['op']
        if kind in SYNC_OPS:
            self.sync_step(op, label)
        elif kind == 'sleep':
            try:
                await asyncio.sleep(op['d'])
            except BaseException as e:
                self.out('%s sleep -> raised %s' % (label, fmt_exc(e)))
                raise
        elif kind == 'busy':
            vloop.busy(op['d'])
        elif kind == 'raise':
            raise USER_EXC[op['exc']](op['msg'])
        elif kind == 'await':
            await self.outcome(label, 'await ' + op['target'], self.item(op['target']))
        elif kind == 'try':
            try:
                await self.run_ops(op['body'], label, scopes)
            except CATCH[op['catch']] as e:
                self.out('%s caught %s' % (label, fmt_exc(e)))
                await self.run_ops(op.get('handler', []), label, scopes)
                if op.get('reraise'):
                    raise
        elif kind == 'gather':
            items = [x for x in (self.item(n) for n in op['items']) if x is not None]
            re = bool(op.get('return_exceptions'))
            await self.outcome(label, 'gather', asyncio.gather(*items, return_exceptions=re))
        elif kind == 'wait_for':
            x = self.item(op['target'])
            aw = None if x is None else asyncio.wait_for(x, op.get('timeout'))
            await self.outcome(label, 'wait_for ' + op['target'], aw)
        elif kind == 'shield':
            x = self.item(op['target'])
            await self.outcome(label, 'shield ' + op['target'], None if x is None else asyncio.shield(x))
        elif kind == 'wait':
            await self.wait(op, label)
        elif kind == 'timeout':
            cm = asyncio.timeout(op.get('delay'))
            try:
                async with cm:
                    await self.run_ops(op['body'], label, scopes + [('timeout', cm)])
            except BaseException as e:
                self.out('%s timeout -> raised %s expired=%s' % (label, fmt_exc(e), tf(cm.expired())))
                raise
            self.out('%s timeout -> ok expired=%s' % (label, tf(cm.expired())))
        elif kind == 'reschedule':
            cms = [x[1] for x in scopes if x[0] == 'timeout']
            if not cms:
                self.out('%s reschedule -> no scope' % label)
                return
            d = op.get('delay')
            try:
                cms[-1].reschedule(None if d is None else asyncio.get_running_loop().time() + d)
            except BaseException as e:
                self.out('%s reschedule -> raised %s' % (label, fmt_exc(e)))
                raise
        elif kind == 'taskgroup':
            name = op['tg']
            try:
                async with asyncio.TaskGroup() as tg:
                    await self.run_ops(op['body'], label, scopes + [('taskgroup', name, tg)])
            except BaseException as e:
                self.out('%s taskgroup %s -> raised %s' % (label, name, fmt_exc(e)))
                raise
            self.out('%s taskgroup %s -> ok' % (label, name))
        elif kind == 'taskgroup_create_task':
            # The innermost group of that name open in this body (groups are not variables).
            tgs = [x[2] for x in scopes if x[0] == 'taskgroup' and x[1] == op['tg']]
            if not tgs:
                self.out('%s taskgroup_create_task %s -> no group' % (label, op['task']))
                return
            try:
                self.vars[op['task']] = tgs[-1].create_task(self.scenario_coro(op['coro']), name=op['task'])
            except BaseException as e:      # RuntimeError: the group is shutting down
                self.out('%s taskgroup_create_task %s -> raised %s' % (label, op['task'], fmt_exc(e)))
                raise
        elif kind in ('lock', 'semaphore', 'condition'):
            name = op[{'lock': 'lock', 'semaphore': 'sem', 'condition': 'cond'}[kind]]
            x = self.vars.get(name)
            if x is None:
                self.out('%s %s %s -> unset' % (label, kind, name))
                return
            try:
                async with x:
                    await self.run_ops(op['body'], label, scopes)
            except BaseException as e:
                self.out('%s %s %s -> raised %s' % (label, kind, name, fmt_exc(e)))
                raise
            self.out('%s %s %s -> ok' % (label, kind, name))
        elif kind == 'condition_wait':     # bounded: `await wait_for(cond.wait(), timeout)`
            c = self.vars.get(op['cond'])
            aw = None if c is None else asyncio.wait_for(c.wait(), op.get('timeout'))
            await self.outcome(label, 'condition_wait ' + op['cond'], aw)
        elif kind in ('barrier_wait', 'barrier_reset', 'barrier_abort'):
            b = self.vars.get(op['bar'])
            aw = None if b is None else b.wait() if kind == 'barrier_wait' else b.reset() if kind == 'barrier_reset' else b.abort()
            if b is not None and kind == 'barrier_reset':   # filling again: waits need a new reaper
                asyncio.get_running_loop().call_later(self.reap_after, self.reap_barrier, op['bar'], b)
            await self.outcome(label, '%s %s' % (kind, op['bar']), aw)
        elif kind == 'event_wait':
            ev = self.vars.get(op['ev'])
            await self.outcome(label, 'event_wait ' + op['ev'], None if ev is None else ev.wait())
        elif kind in ('queue_put', 'queue_get', 'queue_join'):
            q = self.vars.get(op['q'])
            aw = None
            if q is not None:
                aw = q.put(op['value']) if kind == 'queue_put' else q.get() if kind == 'queue_get' else q.join()
            await self.outcome(label, '%s %s' % (kind, op['q']), aw)
        else:
            raise ValueError('not an operation: %r' % kind)

    async def wait(self, op, label):
        names = [n for n in op['targets'] if self.vars.get(n) is not None]
        objs = [self.vars[n] for n in names]
        try:
            done, _ = await asyncio.wait(objs, timeout=op.get('timeout'),
                                         return_when=MODES[op.get('mode', 'ALL_COMPLETED')])
        except BaseException as e:
            self.out('%s wait -> raised %s' % (label, fmt_exc(e)))
            raise
        # done/pending are sets: print the variables' names, sorted, each once.  (The objects
        # waited for, not the variables: a variable may be set again meanwhile.)
        d = sorted({n for n, x in zip(names, objs) if x in done})
        p = sorted(set(names) - set(d))
        self.out('%s wait -> done=[%s] pending=[%s]' % (label, ', '.join(d), ', '.join(p)))


# Traces name a plain callback by its qualified name; awaitlab's core names every callback a
# program schedules "callback".
Scenario.callback.__qualname__ = 'callback'
Scenario.reap.__qualname__ = 'callback'
Scenario.reap_event.__qualname__ = 'callback'
Scenario.reap_queue.__qualname__ = 'callback'
Scenario.reap_barrier.__qualname__ = 'callback'


def cancel_left_over_tasks(loop, tasks):
    """asyncio.Runner.close()'s _cancel_all_tasks, except that left-over tasks are cancelled in
    creation order: CPython's all_tasks() is a set, so its order depends on addresses (awaitlab's
    aw_run uses creation order, which is one of the orders CPython may show)."""
    pending = [t for t in tasks if not t.done()]
    if pending:
        for t in pending:
            t.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def _unraisable(u, default=sys.unraisablehook):
    """A scenario's coroutine left blocked in Queue.get/put when its loop closed is closed when
    collected (often while the next scenario runs): get's cleanup calls getter.cancel(), whose
    call_soon raises "Event loop is closed", reported as "Exception ignored".  CPython does that
    at garbage collection, which is not compared (SCENARIOS.md): not reported either."""
    if isinstance(u.exc_value, RuntimeError) and str(u.exc_value) == 'Event loop is closed':
        return
    default(u)


sys.unraisablehook = _unraisable


def run(spec, recorded=False):
    """Run one scenario (a dict); return its output text.  recorded: under awaitlab's recorder
    (record_batch): the loop is the recorder's, and this asyncio.run-like frame records the
    runner phases that aw_run records (sim/trace-format.md, `runner`)."""
    # "Task exception was never retrieved" and friends: CPython logs them when objects are
    # garbage collected, which C cannot mirror; only the printed lines are compared.
    logging.getLogger('asyncio').setLevel(logging.CRITICAL)
    asyncio.events._set_running_loop(None)   # pyodide runs a loop of its own around us
    rec = None
    if recorded:
        from awaitlab_record import recorder
        rec = recorder.REC
        recorder.acts_as(cancel_left_over_tasks, 'asyncio.run')
    else:
        vloop.clock.reset(0)
    s = Scenario(spec)
    s.printing = recorded
    loop = asyncio.new_event_loop() if recorded else vloop.VirtualLoop()
    loop.set_task_factory(s.task_factory)
    failed = None
    try:
        try:
            if rec is not None:
                rec.emit('runner', {'phase': 'main'}, None)
            loop.run_until_complete(s.root())
        except vloop.Deadlock:
            raise
        except BaseException as e:      # the root task itself was cancelled (op "cancel main")
            failed = e
        if rec is not None:
            rec.emit('runner', {'phase': 'shutdown'}, None)
            loop._aw_runner_closing = True
        cancel_left_over_tasks(loop, s.tasks)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    except vloop.Deadlock:
        s.lines.append('deadlock')                  # (unstamped, as the C side prints it)
    finally:
        loop.close()
        s.printing = False          # (a coroutine collected later must not print into another run)
    if failed is not None:              # as asyncio.run, the error comes out after the shutdown
        s.lines.append('root -> raised %s' % fmt_exc(failed))
    return ''.join(line + '\n' for line in s.lines)


def run_text(text):
    """run() on a scenario's JSON text; an interpreter error becomes the output's text."""
    import traceback
    try:
        return run(json.loads(text))
    except BaseException:
        return 'interp.py: error\n' + traceback.format_exc()


def run_file(path, recorded=False):
    with open(path, encoding='utf-8') as f:
        return run(json.load(f), recorded)


def run_batch(list_path, outdir, prefix=''):
    """Run every scenario named in list_path; write OUTDIR/<basename>.out.  `prefix` is
    prepended to every path (pyodide sees the host's files under a mount point)."""
    import traceback
    with open(prefix + list_path, encoding='utf-8') as f:
        paths = [line.strip() for line in f if line.strip()]
    for p in paths:
        try:
            text = run_file(prefix + p)
        except BaseException:
            text = 'interp.py: error\n' + traceback.format_exc()
        name = os.path.basename(p)
        if name.endswith('.json'):
            name = name[:-5]
        with open(os.path.join(prefix + outdir, name + '.out'), 'w', encoding='utf-8') as f:
            f.write(text)
    return len(paths)


def record_batch(list_path, outdir, prefix=''):
    """Record every scenario named in list_path with awaitlab's recorder (sim/python):
    OUTDIR/<basename>.jsonl, a trace as `awaitlab record` writes it, for `awaitlab diff
    --schedule` against the C interpreter's trace of the same scenario."""
    sys.path.insert(0, os.path.join(HERE, '..', '..', 'sim', 'python'))
    from awaitlab_record import run as record_run
    with open(prefix + list_path, encoding='utf-8') as f:
        paths = [line.strip() for line in f if line.strip()]
    import gc
    failed = 0
    for p in paths:
        name = os.path.basename(p)[:-5] if p.endswith('.json') else os.path.basename(p)
        # The recorded "program": this module running the scenario; its lines are not compared.
        source = 'import interp\ninterp.run_file(%r, recorded=True)\n' % (prefix + p)
        # Each scenario as if alone in its process: what the previous ones left behind (coroutines
        # never finished, whose except/finally clauses run when they are collected) is
        # collected before, not during, this one's recording.
        gc.collect()
        gc.disable()
        try:
            with open(os.path.join(prefix + outdir, name + '.jsonl'), 'wb') as trace:
                status = record_run.record(os.path.join(HERE, 'scenario_program.py'), source, trace)
        finally:
            gc.enable()
        failed += status != 0
    gc.collect()
    return failed


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == '--batch':
        run_batch(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == '--record':
        sys.exit(1 if record_batch(sys.argv[2], sys.argv[3]) else 0)
    elif len(sys.argv) == 2:
        sys.stdout.write(run_file(sys.argv[1]))
    else:
        sys.exit('usage: interp.py FILE.json | interp.py --batch|--record LIST OUTDIR')
