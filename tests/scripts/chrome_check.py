#!/usr/bin/env python3
"""chrome_check.py — checks `awaitlab export --format chrome` output field by field against the
Trace Event Format (Chrome's "Trace Event Format" document: the JSON Object Format with
traceEvents; complete events ph X with dur; instant events ph i with scope s; flow events ph s/f
with id and cat, bp "e" binding a finish to its enclosing slice; metadata events ph M).

    chrome_check.py FILE.json...      exit 0 when every file passes, else 1 (one line a problem)

Checks: the top level (traceEvents a list, displayTimeUnit ms|ns, otherData.axis logical|time);
every event has the keys its ph requires, with the right types; one pid; every tid that carries an
event has a thread_name (a task's name "Task-N (coro)", or "loop" for tid 0); slices have
dur > 0 and nest properly on their track; every flow start has exactly one finish with the same id
and cat (and no finish is alone); the finish binds to an enclosing slice ("bp":"e") and follows its
start; each flow endpoint falls inside a slice on its own track (ts within [ts, ts + dur])."""
import json
import re
import sys
from collections import defaultdict

NUM = (int, float)
COMMON = {"ph": str, "pid": int, "tid": int, "name": str}
REQUIRED = {
    "M": {"args": dict},
    "X": {"ts": NUM, "dur": NUM, "cat": str, "args": dict},
    "i": {"ts": NUM, "s": str, "cat": str, "args": dict},
    "s": {"ts": NUM, "id": (int, str), "cat": str},
    "f": {"ts": NUM, "id": (int, str), "cat": str, "bp": str},
}
TASK_NAME = re.compile(r"^(Task-\d+|task \d+|.+?)( \(.+\))?$")


def check(path):
    problems = []

    def bad(msg, ev=None):
        problems.append(f"{path}: {msg}" + (f": {json.dumps(ev)[:300]}" if ev is not None else ""))

    try:
        doc = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as e:
        return [f"{path}: not JSON: {e}"]
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        return [f"{path}: not the JSON Object Format (an object with a traceEvents list)"]
    if doc.get("displayTimeUnit", "ms") not in ("ms", "ns"):
        bad(f"displayTimeUnit {doc.get('displayTimeUnit')!r} is neither ms nor ns")
    other = doc.get("otherData", {})
    if other.get("axis") not in ("logical", "time") or not other.get("axis_unit"):
        bad(f"otherData does not say the axis and its unit: {other}")
    evs = doc["traceEvents"]

    pids = set()
    thread_names = {}
    slices = defaultdict(list)        # tid -> [(ts, end, ev)]
    starts, finishes = defaultdict(list), defaultdict(list)   # (cat, id) -> [ev]
    used_tids = set()
    for ev in evs:
        if not isinstance(ev, dict):
            bad("an event is not an object", ev)
            continue
        ph = ev.get("ph")
        if ph not in REQUIRED:
            bad(f"unexpected ph {ph!r}", ev)
            continue
        for key, typ in {**COMMON, **REQUIRED[ph]}.items():
            if key not in ev:
                bad(f"ph {ph} without {key!r}", ev)
            elif not isinstance(ev[key], typ) or isinstance(ev[key], bool):
                bad(f"ph {ph}: {key!r} has the wrong type", ev)
        if any(k not in ev for k in {**COMMON, **REQUIRED[ph]}):
            continue
        pids.add(ev["pid"])
        if "ts" in ev and ev["ts"] < 0:
            bad("negative ts", ev)
        if ph == "M":
            if ev["name"] in ("process_name", "thread_name") and not isinstance(ev["args"].get("name"), str):
                bad(f"{ev['name']} without args.name", ev)
            if ev["name"] == "thread_name":
                if ev["tid"] in thread_names:
                    bad(f"tid {ev['tid']} named twice", ev)
                thread_names[ev["tid"]] = ev["args"]["name"]
            elif ev["name"] == "thread_sort_index" and not isinstance(ev["args"].get("sort_index"), int):
                bad("thread_sort_index without an integer args.sort_index", ev)
            continue
        used_tids.add(ev["tid"])
        if ph == "X":
            if not ev["dur"] > 0:
                bad("a slice without a positive dur", ev)
            if not ev["name"]:
                bad("a slice without a name", ev)
            slices[ev["tid"]].append((ev["ts"], ev["ts"] + ev["dur"], ev))
        elif ph == "i":
            if ev["s"] not in ("g", "p", "t"):
                bad(f"instant scope {ev['s']!r} is not g, p or t", ev)
        elif ph == "s":
            starts[(ev["cat"], ev["id"])].append(ev)
        elif ph == "f":
            if ev["bp"] != "e":
                bad("a flow finish that does not bind to its enclosing slice (bp e)", ev)
            finishes[(ev["cat"], ev["id"])].append(ev)

    if len(pids) != 1:
        bad(f"events in {len(pids)} processes: {sorted(pids)}")
    for tid in sorted(used_tids):
        name = thread_names.get(tid)
        if name is None:
            bad(f"tid {tid} carries events but has no thread_name")
        elif tid == 0 and name != "loop":
            bad(f"tid 0 is named {name!r}, not 'loop'")
        elif tid != 0 and not TASK_NAME.match(name):
            bad(f"tid {tid} is named {name!r}, not a task's name")

    # slices on one track nest: each begins after the enclosing one began and ends before it ends
    eps = 1e-6
    for tid, ss in slices.items():
        ss.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for b, e, ev in ss:
            while stack and stack[-1][1] <= b + eps:
                stack.pop()
            if stack and e > stack[-1][1] + eps:
                bad(f"slices overlap on tid {tid} without nesting", [stack[-1][2], ev])
            stack.append((b, e, ev))

    def inside(ev):
        return any(b - eps <= ev["ts"] <= e + eps for b, e, _ in slices.get(ev["tid"], []))

    for key in sorted(set(starts) | set(finishes), key=str):
        s, f = starts.get(key, []), finishes.get(key, [])
        if len(s) != 1 or len(f) != 1:
            bad(f"flow cat {key[0]!r} id {key[1]!r}: {len(s)} start(s) and {len(f)} finish(es), not one each")
            continue
        if f[0]["ts"] < s[0]["ts"]:
            bad(f"flow id {key[1]!r} finishes before it starts", [s[0], f[0]])
        if s[0]["name"] != f[0]["name"]:
            bad(f"flow id {key[1]!r}: start and finish are named differently", [s[0], f[0]])
        for ev in (s[0], f[0]):
            if not inside(ev):
                bad(f"flow {'start' if ev['ph'] == 's' else 'finish'} id {key[1]!r} is not inside a slice on tid {ev['tid']}", ev)
    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    problems = [p for path in argv[1:] for p in check(path)]
    for p in problems[:50]:
        print("FAIL:", p)
    if len(problems) > 50:
        print(f"FAIL: ... {len(problems) - 50} more")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
