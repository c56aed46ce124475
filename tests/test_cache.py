"""The cache of validated debates (files.cache): a second report on an unchanged file reads
the debate from the cache, gives exactly the same output, and any entry that is not sound is
ignored and rebuilt, never trusted."""

from __future__ import annotations

import os
import pickle
import stat
import time
from pathlib import Path

import pytest

from conftest import credence, cruxcli, debate_text, run
from cruxcli.core.model import Entry
from cruxcli.files import cache, reading


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    """An empty cache folder, and every debate cached however small."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    return tmp_path / "cache" / "cruxcli"


@pytest.fixture
def debate(tmp_path: Path) -> Path:
    path = tmp_path / "d.toml"
    path.write_text(debate_text(credence("alice", "h", "10%"), credence("bob", "a", "<1%"),
                                credence("bob", "h", "likely", given="not a")))
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_a_second_report_reads_the_cache_and_prints_the_same(folder: Path, debate: Path,
                                                             monkeypatch) -> None:
    first = run("show", debate).output
    assert len(entries(folder)) == 1

    def not_parsed(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again: the cache was not used")

    with monkeypatch.context() as patched:
        patched.setattr(reading, "parse_text", not_parsed)
        assert run("show", debate).output == first
    assert run("trace", debate, "--no-chart").output == \
        run("--no-cache", "trace", debate, "--no-chart").output


def test_the_folder_and_its_entries_are_private(folder: Path, debate: Path) -> None:
    run("show", debate)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(entries(folder)[0].stat().st_mode) == 0o600


def test_a_folder_open_to_others_is_closed_before_use(folder: Path, debate: Path) -> None:
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    run("show", debate)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_folder_that_is_a_link_is_not_used(folder: Path, debate: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder.parent.mkdir(parents=True)
    folder.symlink_to(elsewhere)
    assert run("show", debate).exit_code == 0
    assert list(elsewhere.iterdir()) == []


def test_an_edited_file_is_validated_again(folder: Path, debate: Path) -> None:
    run("show", debate)
    debate.write_text(debate.read_text() + credence("alice", "h", "90%", at="2024-06-01"))
    assert "90%" in run("show", debate).output
    assert len(entries(folder)) == 2  # one per content


def test_an_invalid_edit_is_never_answered_from_the_cache(folder: Path, debate: Path) -> None:
    run("show", debate)
    debate.write_text(debate.read_text() + credence("carol", "h", "9%"))
    result = run("show", debate)
    assert result.exit_code == 1 and 'unknown participant "carol"' in result.output


@pytest.mark.parametrize("damage", [
    lambda blob: b"",
    lambda blob: blob[:-100],  # a write cut short
    lambda blob: blob[:40] + b"x" + blob[41:],  # another key in the header
    lambda blob: blob.replace(b"Alice", b"Alicf"),  # the body changed, not its length
])
def test_a_damaged_entry_is_ignored_removed_and_rebuilt(folder: Path, debate: Path,
                                                        damage) -> None:
    expected = run("show", debate).output
    entry = entries(folder)[0]
    entry.write_bytes(damage(entry.read_bytes()))
    assert run("show", debate).output == expected


def test_a_forged_entry_cannot_run_code(folder: Path, debate: Path, tmp_path: Path) -> None:
    expected = run("show", debate).output
    entry = entries(folder)[0]
    header = entry.read_bytes().partition(b"\n\n")[0]
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    body = pickle.dumps(Payload())
    name = header.removeprefix(cache.MAGIC).split()[0].decode()
    entry.write_bytes(cache._header(name, body) + b"\n\n" + body)
    assert run("show", debate).output == expected
    assert not marker.exists()


def test_an_entry_validated_later_than_now_is_not_used(folder: Path, debate: Path) -> None:
    """A debate valid when cached stays valid as time goes on, not if the clock goes back."""
    data = debate.read_bytes()
    now = reading.utc_now()
    reading.parse_bytes(data, str(debate))
    assert cache.get(data, now.replace(year=now.year + 1)) is not None
    assert cache.get(data, now.replace(year=now.year - 1)) is None


def test_no_cache_and_the_environment_turn_it_off(folder: Path, debate: Path,
                                                  monkeypatch) -> None:
    run("--no-cache", "show", debate)
    assert not folder.exists()
    monkeypatch.setenv("CRUXCLI_CACHE", "off")
    run("show", debate)
    assert not folder.exists()


def test_the_folder_keeps_to_its_limit_least_recently_used_first(folder: Path,
                                                                 tmp_path: Path) -> None:
    folder.mkdir(parents=True)
    for n, age in enumerate((300, 100, 200)):
        entry = folder / f"{n}.pickle"
        entry.write_bytes(b"x" * 1000)
        os.utime(entry, (time.time() - age, time.time() - age))
    cut_off = folder / ".writing-old"
    cut_off.write_bytes(b"x")
    os.utime(cut_off, (time.time() - 7200, time.time() - 7200))
    cache._evict(folder, limit=2000)
    assert sorted(p.name for p in folder.iterdir()) == ["1.pickle", "2.pickle"]


def test_a_write_caches_the_debate_it_wrote(folder: Path, debate: Path) -> None:
    assert run("log", debate, "alice", "h", "20%", "--at", "2024-02-01").exit_code == 0
    assert cache.get(debate.read_bytes(), reading.utc_now()) is not None


def test_the_command_line_writes_its_entry_after_its_output(tmp_path: Path, monkeypatch
                                                            ) -> None:
    """As installed (no test hooks): a debate of a megabyte or more is cached by a child
    process, and the next run answers from it with the same output."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "big.toml"
    note = "a long note about the argument " * 10
    path.write_text(debate_text(*(credence("alice" if n % 2 else "bob", "h", f"{n % 99 + 1}%",
                                           at=f"2024-01-{n % 28 + 1:02d}", note=note)
                                  for n in range(3500))))
    assert path.stat().st_size >= cache.MIN_BYTES
    first = cruxcli("show", str(path))
    folder = tmp_path / "cache" / "cruxcli"
    for _ in range(100):
        if list(folder.glob("*.pickle")):
            break
        time.sleep(0.1)
    (entry,) = folder.glob("*.pickle")
    os.utime(entry, (1e9, 1e9))  # a hit marks the entry as used now
    second = cruxcli("show", str(path))
    assert entry.stat().st_mtime > 1e9
    assert first.returncode == second.returncode == 0 and second.stdout == first.stdout


def test_a_cached_debate_is_the_debate_read_from_the_file(folder: Path, debate: Path) -> None:
    """Field by field (the scale has no equality of its own: its terms are compared), with a
    resolution and a retraction, and the ids the cache keeps beside it."""
    from cruxcli.core import ids

    assert run("resolve", debate, "a", "no", "--at", "2024-02-01").exit_code == 0
    first = reading.load(debate).entries_written[0]
    assert run("retract", debate, first.id, "--why", "misquoted", "--at",
               "2024-03-01").exit_code == 0
    data = debate.read_bytes()
    fresh = reading.parse_text(data.decode(), str(debate))
    cached = cache.get(data, reading.utc_now())
    assert cached is not None and cached.withdrawn and cached.resolutions
    for field in fresh._fields:
        if field != "scale":
            assert getattr(cached, field) == getattr(fresh, field), field
    assert cached.scale.terms == fresh.scale.terms
    assert ids.known(cached) == (Entry.ids(fresh.entries_written),
                                 ids.shortest_unique(Entry.ids(fresh.entries_written)))


def test_a_relative_cache_home_is_ignored_so_nothing_lands_in_the_repository(
        tmp_path: Path, monkeypatch, debate: Path) -> None:
    """The XDG spec says a relative $XDG_CACHE_HOME is invalid: the cache goes to ~/.cache."""
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    monkeypatch.chdir(tmp_path)
    assert run("show", debate).exit_code == 0
    assert not (tmp_path / "cache").exists()
    assert list((tmp_path / "home" / ".cache" / "cruxcli").glob("*.pickle"))


def test_a_fork_that_fails_costs_only_the_cache(folder: Path, debate: Path, monkeypatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(cache, "defer", True)
    monkeypatch.setattr(os, "fork", no_fork)
    assert run("show", debate).exit_code == 0
    cache.write_pending()  # what the command line does after its output: no error
    assert not entries(folder) and not cache._pending


def test_the_size_bound_is_read_from_the_environment(folder: Path, debate: Path,
                                                     monkeypatch) -> None:
    monkeypatch.setenv("CRUXCLI_CACHE_MB", "0")  # nothing may stay
    assert run("show", debate).exit_code == 0
    assert entries(folder) == []
    monkeypatch.setenv("CRUXCLI_CACHE_MB", "lots")  # not a number: the default bound
    assert run("show", debate).exit_code == 0
    assert len(entries(folder)) == 1


def test_an_upgraded_validator_never_meets_an_old_entry(tmp_path: Path, monkeypatch) -> None:
    """The stamp names pydantic-core by its installed files: replacing them (an upgrade)
    changes every key."""
    import importlib.util

    package = tmp_path / "pydantic_core"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "_pydantic_core.so").write_bytes(b"version 1")
    spec = importlib.util.spec_from_file_location("pydantic_core", package / "__init__.py")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
    before = cache._stamp.__wrapped__()
    (package / "_pydantic_core.so").write_bytes(b"version 2, longer")
    assert cache._stamp.__wrapped__() != before


def test_ids_forged_after_a_sound_debate_are_computed_again(folder: Path, debate: Path) -> None:
    """An entry's ids are read only when a report asks for them; if what follows the debate
    is not a pair of ids (here: one forged with a valid checksum), they are computed."""
    from cruxcli.core import ids

    run("show", debate)
    entry = entries(folder)[0]
    header, _, body = entry.read_bytes().partition(b"\n\n")
    debate_part = pickle.loads(body)  # the first of the two pickles
    forged = pickle.dumps(debate_part, protocol=5) + pickle.dumps(("not", "ids"), protocol=5)
    name = header.removeprefix(cache.MAGIC).split()[0].decode()
    entry.write_bytes(cache._header(name, forged) + b"\n\n" + forged)
    cached = cache.get(debate.read_bytes(), reading.utc_now())
    assert cached is not None
    written = Entry.ids(cached.entries_written)
    assert ids.known(cached) == (written, ids.shortest_unique(written))
