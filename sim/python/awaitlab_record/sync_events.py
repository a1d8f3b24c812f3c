"""`sync` events for asyncio's synchronization primitives and queues (sim/trace-format.md,
"Synchronization events"), observed from inside CPython's own asyncio.locks and asyncio.queues.

Nothing of their logic is replaced: the recorder watches the state they change.
- A primitive's state attributes become properties: Lock._locked (acquire / release),
  Semaphore._value (acquire when it goes down outside a wake-up, release when it goes up),
  Event._value (set / clear).
- Their waiter deques (Lock, Semaphore, Event, Condition: _waiters; Queue: _getters, _putters)
  are replaced by a deque that reports each append: the task `block`s on that waiter future.
  When such a future gets its result, the task is woken (`wake`, before its future_done).
- A Semaphore waiter woken with a unit reports `acquire` when its acquire() returns.
- Queue._put / _get (each class's own: heapq for PriorityQueue, a list for LifoQueue) give
  `put` / `get` with the item's repr and qsize() after; task_done, shutdown and
  Condition.notify / notify_all their own events; __init__ the `created` event.
- A primitive another one made for itself (a Condition's own Lock, a Barrier's Condition, a
  Queue's _finished Event) speaks as its owner, and only of blocking and waking, as the C core's;
  except a Condition's own Lock, whose acquire and release are the Condition's (`async with
  cond` acquires the condition: sim/trace-format.md).  A Condition's wake says which of the
  waiters its notify wakes (1, 2, ...).
Not reported yet: Barrier's reset / abort (Barrier.wait: arrive when the count goes up, pass when
it returns; its waits show as blocks and wakes).
"""

import asyncio.locks
import asyncio.queues
import collections

from . import recorder

_KINDS = ('Lock', 'Event', 'Condition', 'Semaphore', 'BoundedSemaphore', 'Barrier', 'Queue',
          'PriorityQueue', 'LifoQueue')


def _rec():
    return recorder.REC


def _speaker(prim):
    """(the primitive events are reported as, quiet): an owned primitive speaks as its owner."""
    owner = prim.__dict__.get('_aw_owner')
    return (owner, True) if owner is not None else (prim, False)


def emit(prim, op, count=0, value=None, task=None, future=None, quiet_ok=False):
    rec = _rec()
    if rec is None:
        return
    as_, quiet = _speaker(prim)
    if quiet and not quiet_ok:
        return
    sid = as_.__dict__.get('_aw_sync')
    if sid is None:
        return                                      # made before the recording started
    rec.emit('sync', {'sync': sid, 'primitive': as_.__dict__['_aw_kind'], 'op': op,
                      'task': task if task is not None else rec.cur_id(),
                      'future': future, 'count': max(0, int(count)), 'value': value,
                      'name': None}, rec.where())


def _created(prim, count):
    rec = _rec()
    if rec is None or prim.__dict__.get('_aw_owner') is not None:
        return
    rec.next_sync += 1
    prim.__dict__['_aw_sync'] = rec.next_sync
    emit(prim, 'created', count)


class _WaiterDeque(collections.deque):
    """A primitive's line of waiter futures: an append is the current task blocking."""

    def __init__(self, prim, call, items=()):
        super().__init__(items)
        self.prim, self.call = prim, call

    def append(self, fut):
        super().append(fut)
        rec = _rec()
        if rec is None or not isinstance(fut, recorder._PyFuture):
            return
        fut._aw_waiter_of = (self.prim, rec.cur_id(), self.call)
        emit(self.prim, 'block', len(self), self.call, future=rec.fid(fut), quiet_ok=True)


def woken(fut):
    """Called by the recorder before a future's future_done: a primitive's waiter gets its
    result, so the task that blocked on it will resume."""
    info = getattr(fut, '_aw_waiter_of', None)
    if info is None or fut.cancelled() or fut._exception is not None:
        return
    prim, task, _ = info
    if isinstance(prim, asyncio.locks.Condition):   # the n-th waiter this notify wakes
        count = prim.__dict__['_aw_notified'] = prim.__dict__.get('_aw_notified', 0) + 1
    else:
        count = _state_count(_speaker(prim)[0])
    emit(prim, 'wake', count, task=task, future=_rec().fid(fut), quiet_ok=True)


def _state_count(prim):
    if isinstance(prim, asyncio.queues.Queue):
        return prim.qsize()
    if isinstance(prim, asyncio.locks.Semaphore):
        return prim.__dict__.get('_aw_value', 0)
    if isinstance(prim, asyncio.locks.Lock):
        return 1 if prim.__dict__.get('_aw_locked') else 0
    if isinstance(prim, asyncio.locks.Event):
        return 1 if prim.__dict__.get('_aw_value') else 0
    return 0


def _waiters_property(attr, call):
    """A deque attribute that is always a _WaiterDeque (also when the class assigns a new one)."""
    key = '_aw' + attr

    def get(self):
        return self.__dict__.get(key)

    def set_(self, value):
        if isinstance(value, collections.deque) and not isinstance(value, _WaiterDeque):
            value = _WaiterDeque(self, call(self) if callable(call) else call, value)
        self.__dict__[key] = value
    return property(get, set_)


_constructing = []   # primitives whose __init__ is running: what they make is theirs


def _patch_init(cls, count_of):
    init = cls.__init__

    def __init__(self, *args, **kwargs):
        if _constructing:       # a Condition's own Lock, a Barrier's Condition, a Queue's Event
            self.__dict__['_aw_owner'] = _constructing[0]
        _constructing.append(self)
        try:
            init(self, *args, **kwargs)
        finally:
            _constructing.pop()
        if '_aw_kind' not in self.__dict__:
            self.__dict__['_aw_kind'] = next(c.__name__ for c in type(self).__mro__ if c.__name__ in _KINDS)
            if self.__dict__.get('_aw_owner') is None:
                _created(self, count_of(self))
    cls.__init__ = __init__


_patched = []


def install():
    """Once per process (the wrappers read recorder.REC)."""
    if _patched:
        return
    _patched.append(True)
    locks, queues = asyncio.locks, asyncio.queues

    # Lock
    def lock_get(self):
        return self.__dict__.get('_aw_locked', False)

    def lock_set(self, value):
        old = self.__dict__.get('_aw_locked')
        self.__dict__['_aw_locked'] = value
        if old is not None and bool(old) != bool(value):
            # a Condition's own lock: `async with cond` acquires the condition
            mine = isinstance(self.__dict__.get('_aw_owner'), locks.Condition)
            emit(self, 'acquire' if value else 'release', 1 if value else 0, quiet_ok=mine)
    locks.Lock._locked = property(lock_get, lock_set)
    locks.Lock._waiters = _waiters_property('_waiters', 'acquire')

    # Event
    def event_get(self):
        return self.__dict__.get('_aw_value', False)

    def event_set(self, value):
        old = self.__dict__.get('_aw_value')
        self.__dict__['_aw_value'] = value
        if old is not None and bool(old) != bool(value):
            emit(self, 'set' if value else 'clear', 1 if value else 0)
    locks.Event._value = property(event_get, event_set)
    locks.Event._waiters = _waiters_property(
        '_waiters', lambda self: 'join' if isinstance(self.__dict__.get('_aw_owner'), queues.Queue) else 'wait')

    # Semaphore (and BoundedSemaphore): the value going down is an acquire, except inside
    # _wake_up_next, where it passes to the waiter it wakes (its wake event says so)
    def sem_get(self):
        return self.__dict__.get('_aw_value', 0)

    def sem_set(self, value):
        old = self.__dict__.get('_aw_value')
        self.__dict__['_aw_value'] = value
        if old is None or value == old or self.__dict__.get('_aw_waking'):
            return
        emit(self, 'acquire' if value < old else 'release', value)
    locks.Semaphore._value = property(sem_get, sem_set)
    locks.Semaphore._waiters = _waiters_property('_waiters', 'acquire')
    wake_next = locks.Semaphore._wake_up_next

    def _wake_up_next(self):
        self.__dict__['_aw_waking'] = True
        try:
            return wake_next(self)
        finally:
            self.__dict__['_aw_waking'] = False
    locks.Semaphore._wake_up_next = _wake_up_next
    # A waiter woken by _wake_up_next holds the unit given to it once its acquire() returns: an
    # acquire event then, as the C core reports it (the value is unchanged: the wake took it).
    acquire = locks.Semaphore.acquire

    async def semaphore_acquire(self):
        waits = self.locked()
        r = await acquire(self)
        if waits:
            emit(self, 'acquire', self._value)
        return r
    semaphore_acquire.__name__, semaphore_acquire.__qualname__ = acquire.__name__, acquire.__qualname__
    recorder.TRANSPARENT.add(semaphore_acquire.__code__)
    locks.Semaphore.acquire = semaphore_acquire

    # Condition
    locks.Condition._waiters = _waiters_property('_waiters', 'wait')
    notify = locks.Condition.notify

    def notified(self, n):
        """A notify that goes ahead (the lock is held): its event, as the core writes it."""
        # A Barrier's reset()/abort() notify_all() its Condition once it holds the lock, right
        # after it changed the state and before anyone wakes: its own event then, as the core's.
        owner = self.__dict__.get('_aw_owner')
        pending = owner.__dict__.get('_aw_pending') if owner is not None else None
        if pending is not None and pending[1] is asyncio.current_task():
            del owner.__dict__['_aw_pending']
            emit(owner, pending[0], owner._count)
        emit(self, 'notify', n)
        self.__dict__['_aw_notified'] = 0

    if hasattr(locks.Condition, '_notify'):
        # 3.12+: notify() checks the lock, then calls _notify(), which wait() also calls when it
        # is left by an exception (a "spurious wakeup" for another waiter): both are notify
        # events, a notify() refused (RuntimeError) none.
        _notify = locks.Condition._notify

        def condition__notify(self, n):
            notified(self, n)
            return _notify(self, n)
        locks.Condition._notify = condition__notify
    else:
        def condition_notify(self, n=1):
            if self.locked():
                notified(self, n)
            return notify(self, n)
        locks.Condition.notify = condition_notify

    # Barrier: a task entering wait() (the count going up) arrives; wait() returning passes
    def barrier_count_get(self):
        return self.__dict__.get('_aw_count', 0)

    def barrier_count_set(self, value):
        old = self.__dict__.get('_aw_count')
        self.__dict__['_aw_count'] = value
        if old is not None and value > old:
            emit(self, 'arrive', value)
    locks.Barrier._count = property(barrier_count_get, barrier_count_set)
    barrier_wait = locks.Barrier.wait

    async def barrier_wait_(self):
        index = await barrier_wait(self)
        emit(self, 'pass', index)
        return index
    barrier_wait_.__name__, barrier_wait_.__qualname__ = barrier_wait.__name__, barrier_wait.__qualname__
    recorder.TRANSPARENT.add(barrier_wait_.__code__)
    locks.Barrier.wait = barrier_wait_
    for name in ('reset', 'abort'):
        setattr(locks.Barrier, name, _barrier_op(getattr(locks.Barrier, name), name))

    # Queues
    queues.Queue._getters = _waiters_property('_getters', 'get')
    queues.Queue._putters = _waiters_property('_putters', 'put')
    for cls in (queues.Queue, queues.PriorityQueue, queues.LifoQueue):
        _wrap_put_get(cls)
    task_done = queues.Queue.task_done

    def task_done_(self):
        if self._unfinished_tasks > 0:      # (else it raises ValueError: no event)
            emit(self, 'task_done', self._unfinished_tasks - 1)   # before join's waiter wakes
        return task_done(self)
    queues.Queue.task_done = task_done_
    if hasattr(queues.Queue, 'shutdown'):
        shutdown = queues.Queue.shutdown

        def shutdown_(self, immediate=False):
            emit(self, 'shutdown', 1 if immediate else 0)
            return shutdown(self, immediate)
        queues.Queue.shutdown = shutdown_

    # created (and what a primitive makes for itself is its own)
    _patch_init(locks.Lock, lambda p: 0)
    _patch_init(locks.Event, lambda p: 0)
    _patch_init(locks.Condition, lambda p: 0)
    _patch_init(locks.Semaphore, lambda p: p._value)
    _patch_init(locks.Barrier, lambda p: p._parties)
    _patch_init(queues.Queue, lambda p: p._maxsize)


def _barrier_op(op, name):
    """Barrier.reset / abort: the event is written by condition_notify (above), once the call holds
    the lock; this marks the call as the one to report."""
    async def barrier_op(self):
        self.__dict__['_aw_pending'] = (name, asyncio.current_task())
        try:
            return await op(self)
        finally:
            self.__dict__.pop('_aw_pending', None)
    barrier_op.__name__, barrier_op.__qualname__ = op.__name__, op.__qualname__
    recorder.TRANSPARENT.add(barrier_op.__code__)
    return barrier_op


def _wrap_put_get(cls):
    put, get = cls.__dict__['_put'], cls.__dict__['_get']

    def _put(self, item, *args):
        r = put(self, item, *args)
        emit(self, 'put', self.qsize(), recorder._repr(item))
        return r

    def _get(self, *args):
        item = get(self, *args)
        emit(self, 'get', self.qsize(), recorder._repr(item))
        return item
    cls._put, cls._get = _put, _get
