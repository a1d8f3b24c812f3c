#!/usr/bin/env python3
"""sync_events_equal.py A B: the `sync` events of two traces (a recording of CPython and the C
port's trace of the same program) are the same, event by event: loop iteration, primitive id and
kind, operation, task (by creation order), count and value.  Prints the first difference; exit 1."""
import json
import sys


def project(path):
    tasks, out = {}, []
    with open(path, encoding='utf-8') as f:
        for line in f:
            e = json.loads(line)
            if e.get('ev') == 'task_created':
                tasks[e['task']] = 'T%d' % (len(tasks) + 1)
            elif e.get('ev') == 'sync':
                out.append((e['iter'], e['sync'], e['primitive'], e['op'], tasks.get(e['task']),
                            e['count'], e['value']))
    return out


a, b = project(sys.argv[1]), project(sys.argv[2])
for i, (x, y) in enumerate(zip(a, b)):
    if x != y:
        print('sync event #%d differs:\n  %s\n  %s' % (i + 1, x, y))
        sys.exit(1)
if len(a) != len(b):
    print('%d sync events against %d' % (len(a), len(b)))
    sys.exit(1)
