#!/usr/bin/env python3
"""difffuzz.py — differential fuzzing of awaitlab against CPython's asyncio.

    difffuzz.py run BUILD N [--first SEED] [--no-save] [--keep DIR]
        generate N scenarios (seeds FIRST..FIRST+N-1), run each on awaitlab
        (BUILD/fuzz/scenario) and on CPython 3.14 (pyodide, one node process), compare;
        minimise every new kind of divergence and save it as tests/fuzz/cases/<name>.json with
        CPython 3.14's output.  Scenarios without 3.12+ constructs also run on python3 (3.11),
        whose differences from 3.14 are reported apart.  At most FUZZ_MAX_SAVE (5) new
        cases are saved per run.  Then each scenario whose output agrees is recorded under
        CPython 3.14 by awaitlab's recorder and compared with the C run's trace as a schedule
        (`awaitlab diff --schedule`: the order of scheduling events, not only the output).
        A scenario agrees when both agree.  Last line: `agreement: A/N`.
    difffuzz.py cases BUILD
        run every saved case on awaitlab against its recorded CPython 3.14 output.
    difffuzz.py minimise BUILD FILE
        minimise one diverging scenario and print it.

Exit status: 0 when everything agreed, 1 on a divergence, 2 on a usage or setup error.
"""

import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

CASES = os.path.join(HERE, 'cases')
PYODIDE_JS = os.path.join(HERE, 'pyodide_batch.mjs')
PYODIDE_PKG = os.path.join(HERE, '..', 'oracle', 'node_modules', 'pyodide', 'pyodide.mjs')
# Constructs whose semantics changed in 3.12 (wait_for became a timeout scope) or 3.13
# (TaskGroup; Queue.shutdown, which every queue's reaper calls); the 3.11 comparison leaves
# scenarios that use them out.  (condition_wait is a wait_for.)
NEWER_THAN_311 = {'wait_for', 'timeout', 'reschedule', 'taskgroup', 'queue_new', 'priority_queue_new',
                  'condition_wait'}


# ---- running the interpreters --------------------------------------------------------------
def run_c(build, path, timeout=30, trace=None):
    """awaitlab's output for one scenario file; a crash or hang shows in the text.  trace: also
    write the run's trace there."""
    env = dict(os.environ, AWAITLAB_TRACE=trace) if trace else None
    try:
        p = subprocess.run([os.path.join(build, 'fuzz', 'scenario'), path], capture_output=True,
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return '!! timed out after %d s\n' % timeout
    text = p.stdout.decode('utf-8', 'replace')
    if p.returncode != 0:
        text += '!! exit status %d\n' % p.returncode
    return text


def run_c_many(build, paths, traces=None):
    """{path: output}; traces: a directory for each run's trace (<name>.jsonl)."""
    def one(p):
        return run_c(build, p, trace=os.path.join(traces, os.path.basename(p)[:-5] + '.jsonl') if traces else None)
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 4) as ex:
        return dict(zip(paths, ex.map(one, paths)))


def schedule_divergences(build, paths, c_traces, work):
    """Each scenario recorded under CPython 3.14 (awaitlab's recorder in pyodide) and compared
    with the C run's trace by `awaitlab diff --schedule`: {path: first difference} for those
    whose schedules differ (a missing or invalid trace is a difference too)."""
    lst, outdir = os.path.join(work, 'record.list'), os.path.join(work, 'py314-traces')
    os.makedirs(outdir, exist_ok=True)
    with open(lst, 'w') as f:
        f.write(''.join(p + '\n' for p in paths))
    subprocess.run(['node', PYODIDE_JS, '--record', lst, outdir], stdout=subprocess.DEVNULL)
    awaitlab = os.path.join(build, 'awaitlab')

    def one(p):
        name = os.path.basename(p)[:-5] + '.jsonl'
        r = subprocess.run([awaitlab, 'diff', '--schedule', os.path.join(outdir, name),
                            os.path.join(c_traces, name)], capture_output=True, text=True)
        lines = (r.stdout + r.stderr).splitlines()
        return None if r.returncode == 0 else (lines[2] if len(lines) > 2 else ' '.join(lines))
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 4) as ex:
        found = dict(zip(paths, ex.map(one, paths)))
    return {p: d for p, d in found.items() if d is not None}


def have_pyodide():
    return shutil.which('node') is not None and os.path.exists(PYODIDE_PKG)


def run_batch(cmd, paths, work, tag):
    """Runs an interpreter over many files in one process; returns {path: output}."""
    lst, outdir = os.path.join(work, tag + '.list'), os.path.join(work, tag)
    os.makedirs(outdir, exist_ok=True)
    with open(lst, 'w') as f:
        f.write(''.join(p + '\n' for p in paths))
    subprocess.run(cmd + [lst, outdir], check=True, stdout=subprocess.DEVNULL)
    res = {}
    for p in paths:
        with open(os.path.join(outdir, os.path.basename(p)[:-5] + '.out'), encoding='utf-8') as f:
            res[p] = f.read()
    return res


def run_314_many(paths, work):
    return run_batch(['node', PYODIDE_JS], paths, work, 'py314')


def run_311_many(paths, work):
    return run_batch([sys.executable, os.path.join(HERE, 'interp.py'), '--batch'], paths, work, 'py311')


class Oracle:
    """CPython 3.14 as a server (pyodide_batch.mjs --serve): one scenario in, its output out."""

    def __init__(self):
        self.p = subprocess.Popen(['node', PYODIDE_JS, '--serve'], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)

    def run(self, spec):
        self.p.stdin.write(json.dumps(spec) + '\n')
        self.p.stdin.flush()
        return json.loads(self.p.stdout.readline())

    def close(self):
        self.p.stdin.close()
        self.p.wait()


# ---- minimising ----------------------------------------------------------------------------
def op_lists(spec):
    """Every list of operations in a scenario, as (owner, key) pairs to mutate in place."""
    out = []

    def walk(lst):
        out.append(lst)
        for op in lst:
            for key in ('body', 'handler', 'ops'):
                if isinstance(op.get(key), list):
                    walk(op[key])
    for name in spec['coros']:
        walk(spec['coros'][name])
    return out


def candidates(spec):
    """Smaller variants of spec, biggest cuts first.  Deleting operations never breaks
    termination: an unset variable is skipped, an unreferenced coroutine never runs."""
    for name in list(spec['coros']):
        if name != 'main':
            s = json.loads(json.dumps(spec))
            del s['coros'][name]
            yield s
    n_lists = len(op_lists(spec))
    for li in range(n_lists):
        for i in range(len(op_lists(spec)[li])):
            s = json.loads(json.dumps(spec))
            lst = op_lists(s)[li]
            op = lst[i]
            yield_list = [s]
            if op['op'] in ('try', 'timeout', 'taskgroup', 'lock', 'semaphore', 'condition'):  # keep the body only
                s2 = json.loads(json.dumps(spec))
                l2 = op_lists(s2)[li]
                l2[i:i + 1] = l2[i]['body']
                yield_list.append(s2)
            del lst[i]
            yield from yield_list
            for key in ('items', 'targets'):        # one item less in gather / wait
                for j in range(len(op.get(key) or [])):
                    s3 = json.loads(json.dumps(spec))
                    del op_lists(s3)[li][i][key][j]
                    yield s3
            if op.get('msg') is not None and op['op'] == 'cancel':
                s4 = json.loads(json.dumps(spec))
                op_lists(s4)[li][i]['msg'] = None
                yield s4


def minimise(spec, diverges):
    """Greedy: take the first smaller variant that still diverges, until none does."""
    tries = 0
    changed = True
    while changed and tries < 3000:
        changed = False
        for s in candidates(spec):
            tries += 1
            if diverges(s):
                spec, changed = s, True
                break
    return spec


def signature(c_out, py_out):
    """The first differing pair of lines, with names and numbers blurred: similar divergences
    get one signature, so only one case is kept for each."""
    a, b = c_out.splitlines(), py_out.splitlines()
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))

    def blur(lines):
        s = lines[i] if i < len(lines) else '<end>'
        s = re.sub(r'^\[[0-9.]+\] ', '', s)
        s = re.sub(r'\b(main|[ctfpvemgq]\d+|ev\d+|lk\d+|sm\d+)\b', 'X', s)
        # A message read from freed memory is different every run: one name for all of them.
        return re.sub(r'\(([^()]*[^\x20-\x7e][^()]*)\)', '(<garbage>)', s)
    return blur(a) + ' <> ' + blur(b)


def case_signatures():
    sigs = set()
    for name in sorted(os.listdir(CASES)) if os.path.isdir(CASES) else []:
        with open(os.path.join(CASES, name)) as f:
            sigs.add(json.load(f).get('signature'))
    return sigs


def save_case(spec, seed, expected, sig):
    os.makedirs(CASES, exist_ok=True)
    body = {k: v for k, v in spec.items() if k in ('reap_after', 'coros')}
    digest = hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()[:8]
    name = 'seed%d-%s' % (seed, digest)
    body['seed'] = seed
    body['signature'] = sig
    body['expected'] = expected.splitlines()
    with open(os.path.join(CASES, name + '.json'), 'w') as f:
        f.write(gen.dumps(body))
    return name


def c_runner(build, work):
    path = os.path.join(work, 'candidate.json')

    def run(spec):
        with open(path, 'w') as f:
            f.write(gen.dumps(spec))
        return run_c(build, path)
    return run


# ---- commands --------------------------------------------------------------------------------
def cmd_run(build, n, first, save, keep):
    if not have_pyodide():
        print('difffuzz: CPython 3.14 (pyodide) is not installed: run tests/oracle/setup.sh')
        return 2
    work = keep or tempfile.mkdtemp(prefix='difffuzz.')
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    paths = []
    for seed in range(first, first + n):
        p = os.path.join(work, 's%d.json' % seed)
        with open(p, 'w') as f:
            f.write(gen.dumps(gen.generate(seed)))
        paths.append(p)
    c_traces = os.path.join(work, 'c-traces')
    os.makedirs(c_traces, exist_ok=True)
    c_out = run_c_many(build, paths, c_traces)
    py314 = run_314_many(paths, work)
    old = [p for p in paths if not NEWER_THAN_311 & uses(p)]
    py311 = run_311_many(old, work) if old else {}
    t1 = time.time()

    diverging = [p for p in paths if c_out[p] != py314[p]]
    d311 = [p for p in old if py311[p] != py314[p]]
    # Same output, same schedule? (a scenario whose output differs is reported as such already)
    schedules = schedule_divergences(build, [p for p in paths if p not in diverging], c_traces, work)
    t2 = time.time()
    print('difffuzz: seeds %d..%d, %.1f s; awaitlab vs CPython 3.14: %d divergences'
          % (first, first + n - 1, t1 - t0, len(diverging)))
    print('difffuzz: CPython 3.11 vs 3.14 on the %d scenarios without wait_for/timeout/taskgroup/queues: %d differ%s'
          % (len(old), len(d311), (' (' + ', '.join(os.path.basename(p) for p in d311[:10]) + ')')
             if d311 else ''))
    print('difffuzz: schedules (awaitlab record under CPython 3.14 vs the C trace, awaitlab diff '
          '--schedule), %.1f s: %d of the %d with the same output differ'
          % (t2 - t1, len(schedules), n - len(diverging)))
    for p, first in schedules.items():
        print('SCHEDULE DIVERGENCE seed %s: %s' % (os.path.basename(p)[1:-5], first))
    seen = case_signatures()
    budget = int(os.environ.get('FUZZ_MAX_SAVE', '5'))   # new cases per run: enough to act on
    if diverging:
        oracle, run_one = Oracle(), c_runner(build, work)
        for p in diverging:
            seed = int(os.path.basename(p)[1:-5])
            sig = signature(c_out[p], py314[p])
            note = ''
            if save and sig not in seen and budget > 0:
                with open(p) as f:
                    small = minimise(json.load(f), lambda s: run_one(s) != oracle.run(s))
                expected, got = oracle.run(small), run_one(small)
                sig = signature(got, expected)
                if sig not in seen:
                    note = ' -> saved tests/fuzz/cases/%s.json' % save_case(small, seed, expected, sig)
                    budget -= 1
                seen.add(sig)
            print('DIVERGENCE seed %d: %s%s' % (seed, sig, note))
        oracle.close()
    if not keep:
        shutil.rmtree(work)
    print('agreement: %d/%d' % (n - len(diverging) - len(schedules), n))
    return 1 if diverging or schedules else 0


def uses(path):
    with open(path) as f:
        text = f.read()
    return {k for k in NEWER_THAN_311 if '"op": "%s"' % k in text}


def cmd_cases(build):
    names = sorted(x for x in os.listdir(CASES) if x.endswith('.json')) if os.path.isdir(CASES) else []
    paths = [os.path.join(CASES, x) for x in names]
    out = run_c_many(build, paths)
    bad = 0
    for p in paths:
        with open(p) as f:
            expected = ''.join(line + '\n' for line in json.load(f)['expected'])
        if out[p] != expected:
            bad += 1
            print('CASE %s diverges: %s' % (os.path.basename(p), signature(out[p], expected)))
    print('cases: %d/%d agree' % (len(paths) - bad, len(paths)))
    return 1 if bad else 0


def cmd_minimise(build, path):
    work = tempfile.mkdtemp(prefix='difffuzz.')
    oracle, run_one = Oracle(), c_runner(build, work)
    with open(path) as f:
        spec = json.load(f)
    if run_one(spec) == oracle.run(spec):
        print('difffuzz: %s does not diverge' % path, file=sys.stderr)
        return 1
    small = minimise(spec, lambda s: run_one(s) != oracle.run(s))
    sys.stdout.write(gen.dumps(small))
    oracle.close()
    shutil.rmtree(work)
    return 0


def main(argv):
    a = list(argv)
    opt = {'--first': None, '--keep': None}
    save = '--no-save' not in a
    a = [x for x in a if x != '--no-save']
    for k in opt:
        if k in a:
            i = a.index(k)
            opt[k] = a[i + 1]
            del a[i:i + 2]
    if len(a) == 3 and a[0] == 'run':
        first = int(opt['--first']) if opt['--first'] else int(time.time()) % 1000000 * 1000
        return cmd_run(a[1], int(a[2]), first, save, opt['--keep'])
    if len(a) == 2 and a[0] == 'cases':
        return cmd_cases(a[1])
    if len(a) == 3 and a[0] == 'minimise':
        return cmd_minimise(a[1], a[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
