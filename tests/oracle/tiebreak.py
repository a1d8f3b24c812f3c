#!/usr/bin/env python3
"""Check design.md's claim about equal timer deadlines (python3 tiebreak.py; ~1 s, it really sleeps).

Eight timers due at +1 s, created in order 0..7, record their number when they fire. Two
scenarios (A: 8 sleeping tasks; B: 8 call_later callbacks followed by a later timer), each run
three ways:
  1. virtual clock, plain asyncio.TimerHandle (CPython compares deadlines only; they all tie)
  2. virtual clock, vloop.VirtualTimerHandle (ties broken by creation sequence)
  3. CPython's own loop on the real clock (the order a real run shows)
Found: 1 gives A: 0 2 6 5 7 4 1 3 and B: 0 2 6 5 7 1 3 4 (design.md quotes B's order);
2 and 3 give 0 1 2 3 4 5 6 7 in both. Exit 0 when that still holds.
"""
import asyncio
import heapq
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vloop  # noqa: E402


class PlainTimerLoop(vloop.VirtualLoop):
    """The virtual loop, but timers compare as CPython's do: ties fall to heapq's order."""

    def _timer_at(self, when, callback, args, context, method='call_at'):
        timer = asyncio.TimerHandle(when, callback, args, self, context)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer


async def eight_sleepers():
    """Scenario A: 8 tasks each `await asyncio.sleep(1)`; no other timer."""
    order = []

    async def sleeper(i):
        await asyncio.sleep(1)
        order.append(i)
    await asyncio.gather(*(sleeper(i) for i in range(8)))
    return ' '.join(map(str, order))


async def eight_callbacks_then_sleep():
    """Scenario B: 8 loop.call_later(1, ...) in a row, then main sleeps 2 s: a 9th, later timer
    is pushed after the 8 ties, which changes heapq's shape and so the order of the ties."""
    order = []
    loop = asyncio.get_running_loop()
    for i in range(8):
        loop.call_later(1, order.append, i)
    await asyncio.sleep(2)
    return ' '.join(map(str, order))


def run_all(scenario):
    vloop.clock.reset(0)
    with asyncio.Runner(loop_factory=PlainTimerLoop) as r:
        plain = r.run(scenario())
    vloop.clock.reset(0)
    with asyncio.Runner(loop_factory=vloop.VirtualLoop) as r:
        seq = r.run(scenario())
    real = asyncio.run(scenario())                    # CPython's own loop on the real clock
    return plain, seq, real


def main():
    ok = True
    expect_plain = {'A': '0 2 6 5 7 4 1 3', 'B': '0 2 6 5 7 1 3 4'}
    for name, scenario in (('A', eight_sleepers), ('B', eight_callbacks_then_sleep)):
        plain, seq, real = run_all(scenario)
        print('%s: %s' % (name, scenario.__doc__.split('\n')[0].split(': ', 1)[1]))
        print('   virtual clock, plain TimerHandle (heapq order): %s' % plain)
        print('   virtual clock, (deadline, sequence) order:      %s' % seq)
        print('   real clock, CPython %d.%d default loop:         %s' % (sys.version_info[:2] + (real,)))
        ok = ok and plain == expect_plain[name] and seq == real == '0 1 2 3 4 5 6 7'
    print('as RESULTS.md says: %s' % ('yes' if ok else 'NO'))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
