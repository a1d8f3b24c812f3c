"""Makes a CPython recording and a C trace of one stream program comparable as schedules on the
real clock (used by test_core_stream_schedule.sh):
  - times are zeroed (real time differs run to run; the order of events is what is compared);
  - the C trace's selector callbacks (handle_run "reader"/"writer"), io_ready and stream events
    are dropped: CPython's recorder does not see the selector's callbacks, nor report streams;
  - getaddrinfo's result (a list of addrinfo tuples with enum members) is masked: C has no such
    value, and its future carries None;
  - both stop at asyncio.run's shutdown (the runner's "shutdown" event): python3 is 3.11, whose
    shutdown_default_executor has no timeout scope yet (3.12's, which the C core follows);
  - the done-callback of a client_connected_cb task (the task StreamReaderProtocol.connection_made
    creates) is left out of both: CPython added it in 3.11.7 and 3.12.1 (gh-110894, it reports
    "Unhandled exception in client_connected_cb"), so Debian 12's python3 (3.11.2) has none and
    pyenv's 3.11.7 has one; the C core has 3.12.1's.
usage: stream_schedule_norm.py IN OUT [--c]"""
import json
import sys

src, dst = sys.argv[1], sys.argv[2]
is_c = '--c' in sys.argv[3:]
out = []
running = None        # the callback of the handle running now
callback_tasks = set()  # tasks made by StreamReaderProtocol.connection_made
for i, line in enumerate(open(src)):
    o = json.loads(line)
    ev = o.get('ev')
    if ev == 'handle_run':
        running = o.get('callback')
    elif ev == 'task_created' and running == 'StreamReaderProtocol.connection_made':
        callback_tasks.add(o.get('task'))
    if o.get('future') in callback_tasks and (ev == 'callbacks' or o.get('callback') == 'done_callback'):
        continue
    if i == 0:
        o['wall_start_ns'] = 0
    else:
        o['t_ns'] = 0
        o.pop('exact', None)
        for k in ('deadline_ns', 'timeout_ns', 'duration_ns', 'from_ns', 'to_ns'):
            if o.get(k) is not None:
                o[k] = 0
        if o.get('ev') == 'future_done' and str(o.get('result') or '').startswith('[(<AddressFamily'):
            o['result'] = 'None'
        if is_c and (o.get('ev') in ('io_ready', 'stream') or
                     (o.get('ev') == 'handle_run' and o.get('callback') in ('reader', 'writer'))):
            continue
    out.append(o)
    if o.get('ev') == 'runner' and o.get('phase') == 'shutdown':
        break
with open(dst, 'w') as f:
    for i, o in enumerate(out):
        if i:
            o['seq'] = i
        f.write(json.dumps(o, separators=(',', ':')) + '\n')
