#!/usr/bin/env python3
"""Extract each lesson's documentation example, verbatim, into lessons/<name>/example.py.

    extract_examples.py [--check]

Each example is a line range of a seed document (../shared/seeds beside the repository), copied
byte for byte. Only two presentational things are undone, both noted in source.txt:
- coroutines-hello-world: the doc shows an interactive session; the `>>> ` / `... ` prompts are
  stripped (what the docs' copy button gives), and the echoed output is left out;
- tasks-gather: no seed holds the gather reference's example, so it comes from the official
  docs shipped by Debian's python3.11-doc package (the reStructuredText source); its 6-space
  reST indent is removed.
--check compares the files in lessons/ with a fresh extraction and exits 1 on a difference.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SEEDS = os.path.join(os.path.dirname(REPO), 'shared', 'seeds')
GATHER_RST = '/usr/share/doc/python3.11/html/_sources/library/asyncio-task.rst.txt'

DOCS_AWAIT = ('seeds/000_828a39ff35ec815d.txt', 'Python docs, "Coroutines and Tasks" > Awaitables',
              'library/asyncio-task.html#awaitables')
DOCS_CORO = ('seeds/002_0726e67faba79d33.txt', 'Python docs, "Coroutines and Tasks" > Coroutines',
             'library/asyncio-task.html#coroutines')
TUTORIAL = ('seeds/004_5aba33205440c529.txt', 'asyncio tutorial (notebook)', None)

# name: (document, subsection, first line, last line, note)
LESSONS = {
    'awaitables-coroutines': (DOCS_AWAIT, 'Coroutines: nested() called without await, then awaited', 15, 29, ''),
    'awaitables-tasks': (DOCS_AWAIT, 'Tasks: create_task(nested())', 48, 62, ''),
    'awaitables-futures': (DOCS_AWAIT, 'Futures: awaiting and gathering a function that returns a future', 76, 83,
                           'a fragment: function_that_returns_a_future_object and some_python_coroutine are not '
                           'defined, asyncio is not imported, main() is not run; the runnable form is '
                           'lessons/awaitables-futures/program.py'),
    'coroutines-hello-world': (DOCS_CORO, 'hello, sleep(1), world', 11, 18,
                               'an interactive session in the doc: ">>> " and "... " prompts stripped'),
    'coroutines-say-after': (DOCS_CORO, 'Awaiting on a coroutine: say_after(1, hello) then say_after(2, world)',
                             37, 52, ''),
    'coroutines-create-task': (DOCS_CORO, 'asyncio.create_task(): the two say_after run concurrently', 67, 81,
                               'a fragment: only main(); imports, say_after and asyncio.run come from the '
                               'previous example; runnable form: lessons/coroutines-create-task/program.py'),
    'tutorial-my-coroutine': (TUTORIAL, 'Creating coroutines using async syntac: cell In [10]', 23, 55,
                              'the cell defines main() only; the doc runs it in cell In [12] with a notebook '
                              '`await main()`; runnable form: tests/oracle/variants/tutorial-my-coroutine.py'),
    'tutorial-await-tasks': (TUTORIAL, 'The await keyword > Example: Awaiting an asyncio.sleep()', 118, 142, ''),
    'tutorial-create-tasks': (TUTORIAL, 'Creating Tasks > Creating and Running Tasks', 206, 230, ''),
    'tutorial-cancel': (TUTORIAL, 'Canceling a Task > Example', 268, 305, ''),
    'tutorial-cancel-cpu-bound': (TUTORIAL, 'You can not cancel a Task when it is running plain python > '
                                  'Example (the same code again as cell In [7], lines 394-431)', 341, 378,
                                  'ends with a notebook `await main()`; its busy loop on time.time() needs the '
                                  'virtual clock\'s busy(): tests/oracle/variants/tutorial-cancel-cpu-bound.py'),
    'tutorial-wait-for-fast': (TUTORIAL, 'Setting a timeout for a Task > Example 1: Operation Completes in Time',
                               464, 479, ''),
    'tutorial-wait-for-slow': (TUTORIAL, 'Setting a timeout for a Task > Example 2: Operation Exceeds the Timeout',
                               497, 516, ''),
    'tutorial-future': (TUTORIAL, 'Futures in ayncio > Example: Manual Creation and Use', 553, 581, ''),
}


def seed_lines(relpath):
    with open(os.path.join(SEEDS, os.path.basename(relpath)), encoding='utf-8') as f:
        return f.read().split('\n')


def extract(name):
    """Return (example.py text, source.txt text) for one lesson."""
    if name == 'tasks-gather':
        return extract_gather()
    (doc, title, link), section, first, last, note = LESSONS[name]
    lines = seed_lines(doc)[first - 1:last]
    if name == 'coroutines-hello-world':
        lines = [l[4:] if l.startswith(('>>> ', '... ')) else l for l in lines]
    where = '%s, %s, lines %d-%d: %s > %s' % ('../shared/' + doc, 'link: ' + link if link else
                                               'no link line in the seed', first, last, title, section)
    return '\n'.join(lines) + '\n', where + ('; note: ' + note if note else '') + '\n'


def extract_gather():
    with open(GATHER_RST, encoding='utf-8') as f:
        rst = f.read().split('\n')
    start = rst.index('   .. _asyncio_example_gather:') + 4     # blank, 'Example::', blank, code
    end = start
    while end < len(rst) and (rst[end] == '' or rst[end].startswith('      ')):
        end += 1
    while rst[end - 1] == '':
        end -= 1
    code = [l[6:] for l in rst[start:end]]
    where = ('Python docs, "Coroutines and Tasks" > Running Tasks Concurrently > gather() example '
             '(link: library/asyncio-task.html#asyncio.gather); not in the seeds, taken from the official '
             'docs in Debian package python3.11-doc: %s, lines %d-%d, 6-space reST indent removed\n'
             % (GATHER_RST, start + 1, end))
    return '\n'.join(code) + '\n', where


def main(argv):
    check = '--check' in argv
    bad = 0
    for name in list(LESSONS) + ['tasks-gather']:
        if name == 'tasks-gather' and not os.path.exists(GATHER_RST):
            print('skip tasks-gather: %s missing (apt-get install python3.11-doc)' % GATHER_RST)
            continue
        example, source = extract(name)
        folder = os.path.join(REPO, 'lessons', name)
        for fname, text in (('example.py', example), ('source.txt', source)):
            path = os.path.join(folder, fname)
            if check:
                try:
                    with open(path, encoding='utf-8') as f:
                        same = f.read() == text
                except OSError:
                    same = False
                if not same:
                    print('DIFFERS: %s' % os.path.relpath(path, REPO))
                    bad += 1
            else:
                os.makedirs(folder, exist_ok=True)
                with open(path, 'w', encoding='utf-8') as f:
                    f.write(text)
    if check:
        print('extract_examples: %s' % ('all lessons match their documents' if not bad else '%d differ' % bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
