"""`make bench`: every workload on awaitlab and on each peer that has an equivalent, runs
alternating (awaitlab, peer, peer, ..., then again) so that a machine's slow moments fall on all
of them, and one table: median, min..max, awaitlab's figure as a fraction of the peer's, the
target, and PASS/MISS.

    python3 bench/run.py BUILD [--runs R] [--smoke] [--only WORKLOAD,...]

--smoke runs tiny sizes once and judges nothing (tests/scripts/test_bench_smoke.sh: it keeps the
programs compiling and running; `make test` never times anything).  The targets are issue 15's,
as ratios to the peers measured in the same run, or absolute where a figure is not noisy
(memory) or has no peer (tracing, trace loading).  Peers: CPython asyncio, uvloop and Trio under
Debian's python3, libuv and Boost.Fiber (bench/peer_*)."""
import argparse
import os
import statistics
import subprocess
import sys

DEBIAN_PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))


def implementations(build):
    """How each implementation runs a workload: a function (workload, n) -> argv."""
    bench = os.path.join(build, "bench")
    return {
        "awaitlab": lambda w, n: [os.path.join(bench, "awaitlab_bench"), w, str(n)],
        "awaitlab_copied": lambda w, n: [os.path.join(bench, "awaitlab_bench"), w + "_copied", str(n)],
        "asyncio": lambda w, n: [DEBIAN_PYTHON, os.path.join(HERE, "peer_asyncio.py"), "asyncio", w, str(n)],
        "uvloop": lambda w, n: [DEBIAN_PYTHON, os.path.join(HERE, "peer_asyncio.py"), "uvloop", w, str(n)],
        "trio": lambda w, n: [DEBIAN_PYTHON, os.path.join(HERE, "peer_trio.py"), w, str(n)],
        "fiber": lambda w, n: [os.path.join(bench, "peer_fiber"), w, str(n)],
        "libuv": lambda w, n: [os.path.join(bench, "peer_libuv"), w, str(n)],
        # awaitlab-only programs that print several figures at once
        "trace_bench": lambda w, n: [os.path.join(bench, "trace_bench"), str(n)],
        "viz_bench": lambda w, n: [os.path.join(bench, "viz_bench"), "-n", str(n)],
        # the machine itself: one fresh page per stack slot, populated ahead and touched, as the
        # stack pool gets a new task's stack (bench/page_touch_cost.c)
        "machine": lambda w, n: [os.path.join(bench, "page_touch_cost"), "popw", str(n * 65), "65"],
    }


class Row:
    """One line of the table: a figure (`metric`, as printed by `BENCH metric value`) of a
    workload run with n, by the implementations listed; awaitlab's is judged by `targets`:
    (peer, factor) means awaitlab <= factor x peer's median; (None, limit) means <= limit."""

    def __init__(self, label, unit, workload, metric, n, smoke_n, impls, targets=(), program="awaitlab",
                 must_finish=False):
        self.label, self.unit, self.workload, self.metric = label, unit, workload, metric
        self.n, self.smoke_n, self.impls, self.targets = n, smoke_n, impls, list(targets)
        self.program = program  # the implementation that stands for awaitlab in this row
        self.must_finish = must_finish


ALL_PEERS = ["asyncio", "uvloop", "trio", "fiber", "libuv"]
ROWS = [
    Row("sleep(0) switch, 2 tasks", "ns", "switch", "switch", 1_000_000, 200, ["awaitlab"] + ALL_PEERS,
        [("fiber", 1.0), ("bare_switch", 6.0)]),
    # The yardstick of the ratio targets: aw__ctx_switch, a called switch (core/switch_x86_64.S,
    # as the issue names it).  Tasks on their own stacks switch inline (core/fiber_switch.h): shown
    # beside it, measured in the same run.
    Row("bare register switch", "ns", "bare_switch", "bare_switch", 10_000_000, 200, ["awaitlab"]),
    Row("inline register switch", "ns", "bare_switch", "inline_switch", 10_000_000, 200, ["awaitlab"]),
    Row("create + await one task", "ns", "spawn", "spawn", 200_000, 100, ["awaitlab", "asyncio", "uvloop", "trio", "fiber"],
        [("fiber", 0.6)]),
    Row("call_soon callback", "ns", "call_soon", "call_soon", 1_000_000, 200, ["awaitlab", "asyncio", "uvloop", "libuv"],
        [("uvloop", 0.2)]),
    Row("RSS after 1M callbacks", "MB", "callbacks_rss", "callbacks_rss", 1_000_000, 200,
        ["awaitlab", "asyncio", "uvloop"], [("asyncio", 1.0)]),
    Row("timer (100k)", "ns", "timers", "timers", 100_000, 100, ["awaitlab", "asyncio", "uvloop", "libuv"]),
    Row("gather 20k new tasks", "ns/task", "gather", "gather", 20_000, 50, ["awaitlab"] + ALL_PEERS),
    Row("gather 100k new tasks", "ns/task", "gather", "gather", 100_000, 100, ["awaitlab"] + ALL_PEERS,
        [("asyncio", 0.1)]),
    # What a new task's own stack costs before any awaitlab code runs: the floor of the row above
    # with a stack per task (copied stacks, below, have no such floor).
    Row("stack page, first touch", "ns/page", "page_touch", "page_touch", 100_000, 100, ["machine"]),
    Row("memory per sleeping task", "B", "memory", "memory", 100_000, 100, ["awaitlab"] + ALL_PEERS,
        [(None, 4.5 * 1024)]),
    Row("1M sleeping tasks complete", "B/task", "memory", "memory", 1_000_000, 100, ["awaitlab"], must_finish=True),
    # Copied stacks (AW_STACKS_COPIED): the stretch target is below asyncio's memory per task.
    Row("gather 100k, copied stacks", "ns/task", "gather", "gather", 100_000, 100, ["awaitlab", "asyncio"],
        [("asyncio", 0.1)], program="awaitlab_copied"),
    Row("memory per sleeping task, copied", "B", "memory", "memory", 100_000, 100, ["awaitlab", "asyncio"],
        [("asyncio", 1.0)], program="awaitlab_copied"),
    Row("tracing to a file", "ns/event", "trace", "trace_ns", 50_000, 50, ["awaitlab"],
        [("bare_switch", 15.0)], program="trace_bench"),
    Row("trace bytes", "B/event", "trace", "trace_bytes", 50_000, 50, ["awaitlab"], [(None, 129.0)],
        program="trace_bench"),
    Row("load a 1M-event trace", "s", "load", "load_s", 1_000_000, 2000, ["awaitlab"], [(None, 0.6)],
        program="viz_bench"),
    Row("trace model memory", "B/event", "load", "load_bytes", 1_000_000, 2000, ["awaitlab"], [(None, 40.0)],
        program="viz_bench"),
    Row("seek (worst)", "ms", "load", "seek_ms", 1_000_000, 2000, ["awaitlab"], [(None, 1.0)],
        program="viz_bench"),
]


def run_once(argv):
    """Runs one program; returns {metric: value} from its BENCH lines, or an error string."""
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=1800)
    except FileNotFoundError:
        return f"{argv[0]} is missing"
    except subprocess.TimeoutExpired:
        return "timed out"
    figures = {}
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "BENCH":
            figures[parts[1]] = float(parts[2])
    if p.returncode != 0 and not figures:
        return (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
    return figures


def measure(rows, build, runs, smoke):
    """Runs every (program, workload, n) the rows need, alternating implementations within each
    round; returns {(impl, workload, n): [figures dicts]} and {(impl, workload, n): error}."""
    impls = implementations(build)
    jobs = []
    for row in rows:
        n = row.smoke_n if smoke else row.n
        for impl in row.impls:
            prog = row.program if impl == "awaitlab" else impl
            key = (prog, row.workload, n)
            if key not in jobs:
                jobs.append(key)
        for peer, _ in row.targets:  # a target's reference is measured even if not shown
            if peer == "bare_switch":
                key = ("awaitlab", "bare_switch", 200 if smoke else 10_000_000)
                if key not in jobs:
                    jobs.append(key)
    results = {k: [] for k in jobs}
    errors = {}
    for r in range(runs):
        for k in jobs:
            if k in errors:
                continue
            prog, workload, n = k
            if sys.stderr.isatty():
                print(f"\rbench: round {r + 1}/{runs}: {prog} {workload} {n}".ljust(70), end="", file=sys.stderr)
            out = run_once(impls[prog](workload, n))
            if isinstance(out, str):
                errors[k] = out
            else:
                results[k].append(out)
    if sys.stderr.isatty():
        print("\r".ljust(72) + "\r", end="", file=sys.stderr)
    return results, errors


def fmt(v):
    return "-" if v is None else (f"{v:.3g}" if abs(v) < 10 else f"{v:.0f}")


def floor_note(median):
    """The page floor beside the gather target it bounds, when both were measured: a gather of
    new tasks with a stack each touches one fresh page per task, whatever the loop does."""
    page = median("machine", "page_touch", 100_000, "page_touch")
    peer = median("asyncio", "gather", 100_000, "gather")
    if page and peer:
        print(f"floor: a new stack's first page costs {fmt(page)} ns on this machine, {page / peer:.2f}x asyncio's "
              f"gather per task: the bound under a gather with a stack per task (target 0.1x)")


def main():
    ap = argparse.ArgumentParser(description="awaitlab against its peers")
    ap.add_argument("build")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, one run, no verdicts")
    ap.add_argument("--only", help="comma-separated workloads (switch, spawn, ...)")
    a = ap.parse_args()
    rows = ROWS
    if a.only:
        wanted = set(a.only.split(","))
        rows = [r for r in ROWS if r.workload in wanted]
        if not rows:
            sys.exit(f"bench: no workload among {a.only}")
    runs = 1 if a.smoke else a.runs
    if runs < 1:
        sys.exit("bench: --runs must be at least 1")
    results, errors = measure(rows, a.build, runs, a.smoke)

    def figures(prog, workload, n, metric):
        vals = [f[metric] for f in results.get((prog, workload, n), []) if metric in f]
        return vals

    def median(prog, workload, n, metric):
        vals = figures(prog, workload, n, metric)
        return statistics.median(vals) if vals else None

    print(f"{'workload':<36} {'impl':<9} {'median':>9} {'min..max':>19} {'awaitlab/impl':>13}  {'target':<30} verdict")
    met = judged = failed = 0
    for row in rows:
        n = row.smoke_n if a.smoke else row.n
        ours = median(row.program, row.workload, n, row.metric)
        for i, impl in enumerate(row.impls):
            prog = row.program if impl == "awaitlab" else impl
            key = (prog, row.workload, n)
            vals = figures(prog, row.workload, n, row.metric)
            label = f"{row.label} ({row.unit})" if i == 0 else ""
            if not vals:
                why = errors.get(key, f"printed no {row.metric}")
                print(f"{label:<36} {impl:<9} {'failed':>9}  {why}")
                failed += 1
                continue
            med = statistics.median(vals)
            span = f"{fmt(min(vals))}..{fmt(max(vals))}"
            ratio = f"{ours / med:.2f}x" if impl != "awaitlab" and ours else ""
            target = verdict = ""
            if impl == "awaitlab":
                parts, ok = [], True
                for peer, factor in row.targets:
                    if peer is None:
                        parts.append(f"<= {fmt(factor)}")
                        ok = ok and med <= factor
                    else:
                        ref_n = (200 if a.smoke else 10_000_000) if peer == "bare_switch" else n
                        ref_w = "bare_switch" if peer == "bare_switch" else row.workload
                        ref_m = "bare_switch" if peer == "bare_switch" else row.metric
                        ref = median("awaitlab" if peer == "bare_switch" else peer, ref_w, ref_n, ref_m)
                        parts.append(f"<= {factor:g}x {peer}")
                        ok = ok and ref is not None and med <= factor * ref
                if row.must_finish:
                    parts.append("completes")
                target = ", ".join(parts)
                if parts and not a.smoke:
                    judged += 1
                    met += ok
                    verdict = "PASS" if ok else "MISS"
            print(f"{label:<36} {impl:<9} {fmt(med):>9} {span:>19} {ratio:>13}  {target:<30} {verdict}")
    if not a.smoke:
        floor_note(median)
    if a.smoke:
        print(f"bench smoke: {failed} failed")
    else:
        print(f"bench: {met} of {judged} targets met; medians of {runs} alternating runs; {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
