"""awaitlab_record: run an unmodified asyncio program under CPython and record its schedule as
an awaitlab trace (format 2, sim/trace-format.md).

    python3 -m awaitlab_record PROGRAM.py -o TRACE [--clock sim|real] [--wall-start T]
                               [--max-time SECONDS] [-- ARGS...]

`awaitlab record` runs this. vloop is the virtual-clock loop, shared with tests/oracle.
Standard library only; CPython 3.11 and later (and CPython 3.14 in pyodide).
"""
