"""vloop: the oracle's virtual-clock asyncio loop.

The loop itself lives in sim/python/awaitlab_record/vloop.py, shared with `awaitlab record`
(the recorder runs programs on the same clock). This file only makes `import vloop` (and
`from vloop import busy` in tests/oracle/variants) resolve to that one module, so there is no
twin to keep in step.
"""
import os
import sys

_shared = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'sim', 'python')
if os.path.isdir(_shared) and _shared not in sys.path:
    sys.path.insert(0, _shared)

from awaitlab_record import vloop as _vloop  # noqa: E402

sys.modules[__name__] = _vloop
