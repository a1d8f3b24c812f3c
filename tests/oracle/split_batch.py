#!/usr/bin/env python3
"""Split a --batch run's output into one file per lesson.

    split_batch.py LESSONS_TSV OUT_DIR SUFFIX < batch-output

Reads the stdout (or stderr) of `run_example.py --batch` / `pyodide_run.mjs --batch`, framed by
`=== begin FILE` and `=== end FILE rc=N` lines, and writes each file's lines to
OUT_DIR/<lesson name>SUFFIX (the name is looked up by FILE in lessons.tsv). A lesson whose rc is
not 0 is reported on stderr and makes the exit status 1.
"""
import os
import sys


def main(tsv, out_dir, suffix):
    names = {}
    with open(tsv, encoding='utf-8') as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                name, _wall, path = line.rstrip('\n').split('\t')[:3]
                names[path] = name
    os.makedirs(out_dir, exist_ok=True)
    status, current, lines = 0, None, []
    for line in sys.stdin:
        if line.startswith('=== begin '):
            if current is not None:                  # stderr has no end lines
                _write(names, out_dir, suffix, current, lines)
            current, lines = line[len('=== begin '):].rstrip('\n'), []
        elif line.startswith('=== end '):
            path, _, rc = line[len('=== end '):].rstrip('\n').rpartition(' rc=')
            if rc != '0':
                print('split_batch: %s exited %s' % (path, rc), file=sys.stderr)
                status = 1
            current = _write(names, out_dir, suffix, path, lines)
        elif current is not None:
            lines.append(line)
    if current is not None:
        _write(names, out_dir, suffix, current, lines)
    return status


def _write(names, out_dir, suffix, path, lines):
    with open(os.path.join(out_dir, names[path] + suffix), 'w', encoding='utf-8') as f:
        f.writelines(lines)
    return None


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:4]))
