"""What the Python peers (peer_asyncio.py, peer_trio.py) share with bench_util.h: the one output
line bench/run.py reads, and resident memory from /proc."""


def report(workload, value):
    print(f"BENCH {workload} {value:.1f}", flush=True)


def status_bytes(field):
    """A field of /proc/self/status in bytes ("VmRSS", "VmHWM"); 0 when it is not there."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0
