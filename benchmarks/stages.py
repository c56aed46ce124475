"""Time the stages of reading one debate in one process, as a command reads it (collector off,
the allocator kept as files/memory.py keeps it), with the page faults and system time of all.

    python benchmarks/stages.py FILE [FILE ...]

What docs/performance.md's growth analysis quotes: which stage of parsing and validating
grows faster than the file, and how long placing `check`'s warnings takes. Not a test:
nothing here asserts.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
from pathlib import Path

from cruxcli.core import checks, coherence, schema
from cruxcli.files import locate, memory, reading, toml_text


def stages(path: Path) -> str:
    data = path.read_bytes()
    memory.one_run = True
    memory.reading(len(data))
    before = resource.getrusage(resource.RUSAGE_SELF)
    took: dict[str, float] = {}

    def timed(name, work):  # noqa: ANN001, ANN202
        start = time.perf_counter()
        result = work()
        took[name] = time.perf_counter() - start
        return result

    raw = timed("parse", lambda: toml_text.loads(reading.decode(data, str(path))))
    problems: list = []
    doc, logs = timed("validate", lambda: schema.validated(raw, problems))
    tables = checks.Document(doc)
    scale = checks._scale(tables, problems)
    # the credence log is validated as the entries are built (schema._credences)
    entries = timed("entries", lambda: checks._entries(tables, logs["credence"], scale,
                                                      problems))
    timed("sort", lambda: entries.sort(key=checks.start_of))
    timed("latest", lambda: coherence.latest_numbers(entries))
    # what check does to place warnings, for every 200th credence (5,000 of 10^6)
    text = reading.decode(data, str(path))
    counts = {log: len(raw.get(log, [])) for log in schema.LOGS}
    wanted = {("credence", i) for i in range(0, counts["credence"], 200)}
    found = timed("locate", lambda: locate.log_index(text, wanted, counts))
    timed("quote", lambda: locate.lines_at(text, {line for line, _ in found.values()}))
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (" ".join(f"{name} {seconds:.3f}" for name, seconds in took.items())
            + f" | faults {after.ru_minflt - before.ru_minflt}"
            f" system {after.ru_stime - before.ru_stime:.2f} s"
            f" peak {after.ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    gc.disable()
    for name in sys.argv[1:]:
        print(f"{name}: {stages(Path(name))}", flush=True)
