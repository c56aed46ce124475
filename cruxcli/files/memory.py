"""How a command's process lets the C allocator keep memory it frees.

Reading a large debate allocates and frees hundreds of megabytes in the C allocator (rtoml's
tree of each piece it reads, pydantic-core's work, Python's large lists). glibc hands memory
freed at the top of its heap back to the system as soon as 128 kB lie free, and the next
allocation faults it in again, a page at a time: `check` of a 70 MB debate took 975,000 page
faults and 2.0-2.3 s of system time. A command's process reads one debate and exits, so it
keeps what it frees instead (a higher trim threshold, and its heap grown 64 MB at a time):
371,000 faults, 1.0-1.4 s, and the whole check 8.9-9.2 s -> 7.3-7.7 s (0.90-0.95 s -> 0.75-0.78 s
at 100,000 credences; docs/performance.md, round 7).

Only the command line asks for this (cli sets `one_run`): a program using the Python API
keeps its allocator as it was. Where there is no glibc `mallopt` (macOS, Windows), nothing
changes.
"""

from __future__ import annotations

#: Set by the command line: this process runs one command and exits.
one_run = False
#: Debates smaller than this are read in milliseconds: the allocator is left alone.
LARGE = 1 << 20

_M_TRIM_THRESHOLD, _M_TOP_PAD = -1, -2  # glibc's malloc.h


def reading(size: int) -> None:
    """Before a command reads `size` bytes of debate: keep freed memory if that is large."""
    global one_run
    if not one_run or size < LARGE:
        return
    one_run = False  # once a process
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (ImportError, OSError, AttributeError, TypeError):  # no ctypes, or no glibc
        return
    mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    mallopt(_M_TOP_PAD, 64 << 20)
