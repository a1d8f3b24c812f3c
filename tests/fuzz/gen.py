#!/usr/bin/env python3
"""gen.py — random fuzz scenarios (SCENARIOS.md) from a seed.

    gen.py SEED                     print one scenario
    gen.py --out DIR FIRST N        write DIR/s<seed>.json for seeds FIRST .. FIRST+N-1

The same seed gives the same scenario on every machine (random.Random(seed), no hash order).
Sizes are bounded, and every scenario terminates (SCENARIOS.md, "Termination"):
- coroutines are ranked (main = 0, c1 = 1, ...); a coroutine of rank i awaits, gathers, waits
  for, shields or calls only coroutines and tasks of rank > i, so no await cycle can form;
- sleeps, busy work and timeouts are short, bodies are finite and nothing loops;
- a future that nobody resolves is cancelled by its reaper after `reap_after` seconds.
"""

import json
import os
import random
import sys

SLEEPS = [0, 0, 0, 0.1, 0.1, 0.2, 0.3, 0.5, 1.0]      # repeats make equal deadlines common
BUSY = [0.05, 0.1, 0.2, 0.3]
TIMEOUTS = [None, 0, 0.1, 0.2, 0.3, 0.5, 1.0]
CATCH = ['CancelledError'] * 4 + ['Exception', 'TimeoutError', 'BaseException', 'ValueError', 'ExceptionGroup']
USER_EXC = ['ValueError', 'LookupError', 'ArithmeticError']
MODES = ['FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED']


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.n_coros = self.r.randint(2, 6)
        self.coros = ['main'] + ['c%d' % i for i in range(1, self.n_coros)]
        self.uses = {c: 0 for c in self.coros}      # how often each coroutine is invoked
        self.tasks = {}                             # task variable -> rank of its coroutine
        self.futs = []
        self.local = []                             # variables made earlier in this body
        self.counter = 0
        # Primitives: made at the start of main (their creation ops are put in at the end).
        self.events, self.queues, self.barriers = [], [], []
        self.locks = {}                             # lock, semaphore or condition -> (kind, its user coroutine)
        self.made = []                              # their creation ops

    def fresh(self, prefix):
        self.counter += 1
        return '%s%d' % (prefix, self.counter)

    # ---- what a coroutine of rank i may refer to ------------------------------------------
    def callee(self, i):
        """A coroutine of rank > i that has not been invoked too often (bounds the run), or None."""
        c = [k for k in range(i + 1, self.n_coros) if self.uses[self.coros[k]] < 2]
        if not c:
            return None
        k = self.r.choice(c)
        self.uses[self.coros[k]] += 1
        return self.coros[k]

    def awaitable_var(self, i):
        """A task of rank > i or a future, or None.  Mostly one made earlier in the same body,
        which is set when the operation runs (others may not be yet: the op prints "unset")."""
        ok = lambda v: v in self.futs or self.tasks[v] > i
        local = [v for v in self.local if ok(v)]
        if local and self.r.random() < 0.7:
            return self.r.choice(local)
        c = [v for v in list(self.tasks) + self.futs if ok(v)]
        return self.r.choice(c) if c else None

    def target(self, i, allow_coro=True):
        choices = []
        if allow_coro and self.r.random() < 0.4:
            choices.append(self.callee(i))
        choices.append(self.awaitable_var(i))
        choices = [c for c in choices if c]
        return choices[0] if choices else None

    # ---- primitives ------------------------------------------------------------------------
    def make(self, op):
        self.made.append(op)
        return op

    def event(self):
        """An event, mostly one made before: waits and sets meet on few events."""
        if not self.events or self.r.random() < 0.25:
            self.events.append(self.make({'op': 'event_new', 'ev': self.fresh('ev')})['ev'])
        return self.r.choice(self.events)

    def queue(self):
        if not self.queues or self.r.random() < 0.2:
            kind = 'priority_queue_new' if self.r.random() < 0.3 else 'queue_new'
            self.queues.append(self.make({'op': kind, 'q': self.fresh('q'),
                                          'maxsize': self.r.choice([0, 0, 1, 1, 2])})['q'])
        return self.r.choice(self.queues)

    def barrier(self):
        if not self.barriers or self.r.random() < 0.2:
            self.barriers.append(self.make({'op': 'barrier_new', 'bar': self.fresh('bar'),
                                            'parties': self.r.choice([1, 2, 2, 3, 3])})['bar'])
        return self.r.choice(self.barriers)

    def lock(self, i, kind, held):
        """A lock (kind 'lock') or semaphore of coroutine i, not held in this block already.
        Only one coroutine takes a given lock in `async with` (its user): it awaits only
        coroutines and tasks of higher rank, which never take it, so no task waits for a lock
        that a task it waits for holds (SCENARIOS.md, "Termination")."""
        mine = [x for x, (k, u) in self.locks.items() if k == kind and u == i and x not in held]
        if mine and self.r.random() < 0.8:
            return self.r.choice(mine)
        if kind == 'lock':
            name = self.make({'op': 'lock_new', 'lock': self.fresh('lk')})['lock']
        elif kind == 'condition':
            name = self.make({'op': 'condition_new', 'cond': self.fresh('cd')})['cond']
        else:
            name = self.make({'op': 'semaphore_new', 'sem': self.fresh('sm'),
                              'value': self.r.choice([1, 1, 2, 3]),
                              'bounded': self.r.random() < 0.5})['sem']
        self.locks[name] = (kind, i)
        return name

    def held_conditions(self, held):
        return [x for x in held if self.locks[x][0] == 'condition']

    def any_lock(self, kind):
        c = [x for x, (k, _) in self.locks.items() if k == kind]
        return self.r.choice(c) if c else None

    def sync_prim_op(self):
        """An operation on a primitive that never suspends (also for callbacks), or None."""
        r = self.r
        x = r.random()
        if x < 0.4 and self.events:
            return {'op': r.choice(['event_set'] * 4 + ['event_clear']), 'ev': r.choice(self.events)}
        if x < 0.8 and self.queues:
            kind = r.choice(['queue_put_nowait'] * 3 + ['queue_get_nowait'] * 2 + ['queue_task_done'] * 2
                            + ['queue_shutdown'])
            op = {'op': kind, 'q': r.choice(self.queues)}
            if kind == 'queue_put_nowait':
                op['value'] = self.fresh('v')
            if kind == 'queue_shutdown':
                op['immediate'] = r.random() < 0.5
            return op
        kind = r.choice(['lock', 'semaphore', 'condition'])
        name = self.any_lock(kind)
        if name and kind == 'condition':  # outside its block: RuntimeError unless someone holds it
            return {'op': 'condition_notify', 'cond': name, 'n': r.choice([1, 2, None])}
        if name:
            return {'op': kind + '_release', 'lock' if kind == 'lock' else 'sem': name}
        return None

    # ---- operations ------------------------------------------------------------------------
    def sync_op(self):
        """An operation for a callback: print, or resolve/cancel a future, or set an event..."""
        x = self.r.random()
        if x < 0.15:
            op = self.sync_prim_op()
            if op:
                return op
            x = self.r.random()
        if self.futs and x < 0.25:
            return {'op': 'set_result', 'fut': self.r.choice(self.futs), 'value': self.fresh('v')}
        if self.futs and x < 0.35:
            return {'op': 'set_exception', 'fut': self.r.choice(self.futs),
                    'exc': self.r.choice(USER_EXC), 'msg': self.fresh('e')}
        if x < 0.45 and (self.tasks or self.futs):
            return {'op': 'cancel', 'target': self.r.choice(list(self.tasks) + self.futs),
                    'msg': self.r.choice([None, self.fresh('m')])}
        return {'op': 'print', 'tag': self.fresh('p')}

    def op(self, i, depth, in_timeout, groups=(), held=()):
        """One operation of coroutine i.  groups: the task groups open around it in this body
        (innermost last); held: the locks and semaphores held there."""
        r = self.r
        kind = r.choices(
            ['print', 'sleep', 'busy', 'create_task', 'await', 'cancel', 'try', 'gather',
             'wait_for', 'timeout', 'reschedule', 'shield', 'wait', 'future', 'set_result',
             'set_exception', 'call_soon', 'call_later', 'raise',
             'taskgroup', 'taskgroup_create_task', 'event_set', 'event_wait', 'lock', 'semaphore',
             'queue_put', 'queue_get', 'queue_join', 'sync_prim',
             'condition', 'condition_wait', 'condition_notify', 'barrier_wait', 'barrier_op'],
            [10, 12, 2, 8, 8, 6, 5 if depth < 2 else 0, 3, 3, 3 if depth < 2 else 0,
             3 if in_timeout else 0, 2, 2, 4, 4, 2, 2, 2, 2 if i else 1,
             3 if depth < 2 else 0, 8 if groups else 0, 5, 2, 2 if depth < 2 else 0,
             2 if depth < 2 else 0, 4, 2, 1, 4,
             3 if depth < 2 else 0, 6 if self.held_conditions(held) else 0,
             5 if self.held_conditions(held) else 0, 4, 1])[0]
        sub = lambda n, **kw: self.ops(i, n, depth + 1, kw.get('in_timeout', in_timeout),
                                       kw.get('groups', groups), kw.get('held', held))
        if kind == 'taskgroup':
            g = self.fresh('g')
            return {'op': 'taskgroup', 'tg': g, 'body': sub(r.randint(1, 4), groups=tuple(groups) + (g,))}
        if kind == 'taskgroup_create_task':
            c = self.callee(i)
            if not c:
                return {'op': 'sleep', 'd': 0}
            t = self.fresh('t')
            self.tasks[t] = self.coros.index(c)
            self.local.append(t)
            g = groups[-1] if r.random() < 0.8 else r.choice(groups)
            return {'op': kind, 'tg': g, 'task': t, 'coro': c}
        if kind == 'event_set':
            return {'op': 'event_set', 'ev': self.event()}
        if kind == 'event_wait':
            return {'op': 'event_wait', 'ev': self.event()}
        if kind in ('lock', 'semaphore', 'condition'):
            name = self.lock(i, kind, held)
            return {'op': kind, {'lock': 'lock', 'semaphore': 'sem', 'condition': 'cond'}[kind]: name,
                    'body': sub(r.randint(1, 3), held=tuple(held) + (name,))}
        if kind == 'condition_wait':      # bounded: a notify may never come
            return {'op': kind, 'cond': r.choice(self.held_conditions(held)),
                    'timeout': r.choice([0, 0.1, 0.2, 0.5, 1.0])}
        if kind == 'condition_notify':
            return {'op': kind, 'cond': r.choice(self.held_conditions(held)), 'n': r.choice([1, 1, 2, None])}
        if kind == 'barrier_wait':
            return {'op': kind, 'bar': self.barrier()}
        if kind == 'barrier_op':
            return {'op': r.choice(['barrier_reset', 'barrier_abort']), 'bar': self.barrier()}
        if kind in ('queue_put', 'queue_get', 'queue_join'):
            op = {'op': kind, 'q': self.queue()}
            if kind == 'queue_put':
                op['value'] = self.fresh('v')
            return op
        if kind == 'sync_prim':
            if not (self.events or self.queues or self.locks) or r.random() < 0.3:
                self.queue() if r.random() < 0.5 else self.event()
            return self.sync_prim_op() or {'op': 'print', 'tag': self.fresh('p')}
        if kind == 'print':
            return {'op': 'print', 'tag': self.fresh('p')}
        if kind == 'sleep':
            return {'op': 'sleep', 'd': r.choice(SLEEPS)}
        if kind == 'busy':
            return {'op': 'busy', 'd': r.choice(BUSY)}
        if kind == 'create_task':
            c = self.callee(i)
            if not c:
                return {'op': 'sleep', 'd': 0}
            t = self.fresh('t')
            self.tasks[t] = self.coros.index(c)
            self.local.append(t)
            return {'op': 'create_task', 'task': t, 'coro': c}
        if kind in ('await', 'wait_for', 'shield'):
            t = self.target(i)
            if not t:
                return {'op': 'print', 'tag': self.fresh('p')}
            op = {'op': kind, 'target': t}
            if kind == 'wait_for':
                op['timeout'] = r.choice(TIMEOUTS)
            return op
        if kind == 'cancel':
            vars_ = (self.local if self.local and r.random() < 0.6 else list(self.tasks) + self.futs)
            vars_ = vars_ + (['main'] if r.random() < 0.05 else [])
            if not vars_:
                return {'op': 'print', 'tag': self.fresh('p')}
            return {'op': 'cancel', 'target': r.choice(vars_), 'msg': r.choice([None, self.fresh('m')])}
        if kind == 'try':
            return {'op': 'try', 'body': sub(r.randint(1, 3)),
                    'catch': r.choice(CATCH),
                    'handler': sub(r.randint(0, 2)),
                    'reraise': r.random() < 0.5}
        if kind == 'gather':
            items = [x for x in (self.target(i) for _ in range(r.randint(1, 3))) if x]
            return {'op': 'gather', 'items': items, 'return_exceptions': r.random() < 0.5}
        if kind == 'timeout':
            return {'op': 'timeout', 'delay': r.choice(TIMEOUTS), 'body': sub(r.randint(1, 3), in_timeout=True)}
        if kind == 'reschedule':
            return {'op': 'reschedule', 'delay': r.choice(TIMEOUTS)}
        if kind == 'wait':
            targets = [x for x in (self.awaitable_var(i) for _ in range(r.randint(1, 3))) if x]
            if not targets:
                return {'op': 'sleep', 'd': 0}
            return {'op': 'wait', 'targets': targets, 'mode': r.choice(MODES),
                    'timeout': r.choice([None, None, 0, 0.2, 0.5])}
        if kind == 'future':
            f = self.fresh('f')
            self.futs.append(f)
            self.local.append(f)
            return {'op': 'future', 'fut': f}
        if kind in ('set_result', 'set_exception'):
            if not self.futs:
                return {'op': 'print', 'tag': self.fresh('p')}
            if kind == 'set_result':
                return {'op': kind, 'fut': r.choice(self.futs), 'value': self.fresh('v')}
            return {'op': kind, 'fut': r.choice(self.futs), 'exc': r.choice(USER_EXC),
                    'msg': self.fresh('e')}
        if kind in ('call_soon', 'call_later'):
            op = {'op': kind, 'ops': [self.sync_op() for _ in range(r.randint(1, 2))]}
            if kind == 'call_later':
                op['d'] = r.choice(SLEEPS)
            return op
        return {'op': 'raise', 'exc': r.choice(USER_EXC), 'msg': self.fresh('e')}

    def ops(self, i, n, depth=0, in_timeout=False, groups=(), held=()):
        return [self.op(i, depth, in_timeout, groups, held) for _ in range(n)]

    def scenario(self):
        coros = {}
        for i, name in enumerate(self.coros):     # main first: it creates most of the tasks
            self.local = []
            coros[name] = self.ops(i, self.r.randint(3, 10) if i == 0 else self.r.randint(1, 6))
        # The primitives are made by main, mostly before anything else (else a use may come
        # first: the operation then prints "unset").
        for op in self.made:
            main = coros['main']
            main.insert(0 if self.r.random() < 0.8 else self.r.randint(0, len(main)), op)
        return {'reap_after': 10, 'coros': coros}


def generate(seed):
    return Gen(seed).scenario()


def dumps(spec):
    """One scenario as JSON: compact, but one coroutine a line, so diffs stay readable."""
    lines = ['{"reap_after": %s, "coros": {' % json.dumps(spec.get('reap_after', 10))]
    names = list(spec['coros'])
    for k, name in enumerate(names):
        lines.append('  %s: %s%s' % (json.dumps(name), json.dumps(spec['coros'][name]),
                                     ',' if k + 1 < len(names) else ''))
    extra = {k: v for k, v in spec.items() if k not in ('reap_after', 'coros')}
    tail = ''.join(',\n %s: %s' % (json.dumps(k), json.dumps(v)) for k, v in extra.items())
    lines.append('}' + tail + '}')
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == '--out':
        first, n = int(a[2]), int(a[3])
        os.makedirs(a[1], exist_ok=True)
        for seed in range(first, first + n):
            with open(os.path.join(a[1], 's%d.json' % seed), 'w') as f:
                f.write(dumps(generate(seed)))
    elif len(a) == 1:
        sys.stdout.write(dumps(generate(int(a[0]))))
    else:
        sys.exit('usage: gen.py SEED | gen.py --out DIR FIRST N')
