"""files.memory: only a command's own process, reading a large debate, tunes the allocator."""

from __future__ import annotations


def test_only_a_command_reading_a_large_debate_asks_glibc_to_keep_freed_memory(
        monkeypatch) -> None:
    import ctypes

    from cruxcli.files import memory

    calls: list[tuple[int, int]] = []

    class Libc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    monkeypatch.setattr(memory, "one_run", False)
    memory.reading(memory.LARGE)  # the Python API: never
    monkeypatch.setattr(memory, "one_run", True)
    memory.reading(memory.LARGE - 1)  # a small debate: not worth it
    assert calls == []
    memory.reading(memory.LARGE)
    memory.reading(memory.LARGE)  # once a process
    assert calls == [(-1, 1 << 30), (-2, 64 << 20)]  # M_TRIM_THRESHOLD, M_TOP_PAD
