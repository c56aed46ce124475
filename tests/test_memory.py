"""files.memory: only a command's own process, reading a large debate, tunes the allocator."""

from __future__ import annotations

from conftest import HEADER, credence, debate_text, run


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


def test_without_glibc_mallopt_nothing_changes_and_nothing_fails(monkeypatch) -> None:
    import ctypes

    from cruxcli.files import memory

    monkeypatch.setattr(ctypes, "CDLL", lambda name: object())  # a C library with no mallopt
    monkeypatch.setattr(memory, "one_run", True)
    memory.reading(memory.LARGE)
    assert memory.one_run is False  # tried once, and no more


def test_only_a_command_process_keeps_the_reports_it_printed(write) -> None:
    """The command line keeps what it printed until it exits (cli._one_short_run); a program
    that runs commands in-process, as the tests do, must not pile them up."""
    from cruxcli.commands import common

    path = write(debate_text(credence("alice", "h", "40%"), credence("bob", "h", "10%"),
                             header=HEADER))
    assert run("summary", path).exit_code == 0
    assert common.shown is None
