"""`cruxcli log` and `cruxcli add`: a write adds exactly the new lines, or changes nothing."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomli

from conftest import HEADER, REPO, credence, debate_text, digest, run
from cruxcli.commands import asking as cli_module
from cruxcli.files import atomic, locks


@pytest.fixture
def debate(write) -> Path:
    return write(debate_text(credence("alice", "h", "10%", at="2024")))


def entries(path: Path) -> list[dict]:
    return tomli.loads(path.read_text(encoding="utf-8")).get("credence", [])


# ---- what a successful log does ---------------------------------------------------------------

def test_log_appends_one_entry_and_reports_the_move_in_bits(debate: Path) -> None:
    result = run("log", debate, "alice", "h", "5%", "--at", "2024-06-01", "--note", "new data")
    assert result.exit_code == 0
    assert result.stdout.strip().split("  [id ")[0] == "alice · h: 10% -> 5% (-1.1 bits)"
    last = entries(debate)[-1]
    assert last == {"who": "alice", "crux": "h", "p": "5%", "at": tomli.loads(
        "d = 2024-06-01")["d"], "note": "new data"}


def test_the_file_only_grows_at_the_end(debate: Path) -> None:
    before = debate.read_bytes()
    run("log", debate, "bob", "a", "very unlikely", "--at", "2025-01")
    after = debate.read_bytes()
    assert after.startswith(before)
    added = after[len(before):].decode()
    assert added.startswith("\n[[credence]]\n") and 'p = "very unlikely"' in added
    assert 'at = "2025-01"' in added


def test_comments_and_crlf_are_kept_byte_for_byte(write) -> None:
    text = debate_text(credence("alice", "h", "10%")).replace("\n", "\r\n")
    text = text.replace("[cruxes.a]", "# premise A, explained\r\n[cruxes.a]  # trailing")
    path = write(text.encode())
    before = path.read_bytes()
    assert run("log", path, "alice", "h", "20%", "--note", 'a "quoted"\nnote é').exit_code == 0
    after = path.read_bytes()
    assert after.startswith(before)
    added = after[len(before):]
    assert b"\n" not in added.replace(b"\r\n", b"")  # every new line ends in CRLF too
    assert entries(path)[-1]["note"] == 'a "quoted"\nnote é'  # serialized, not formatted


def test_a_file_without_a_final_newline_gets_one(write) -> None:
    path = write(debate_text().rstrip("\n"))
    before = path.read_bytes()
    run("log", path, "alice", "h", "2%")
    assert path.read_bytes().startswith(before + b"\n")


def test_git_diff_shows_only_added_lines(debate: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    repo = debate.parent
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for args in (["init", "-q"], ["add", debate.name], ["commit", "-qm", "base"]):
        subprocess.run([git, *args], cwd=repo, check=True, env=env)
    run("log", debate, "alice", "h", "2%", "--source", "https://example.org", "--quote", "2%")
    numstat = subprocess.run([git, "diff", "--numstat"], cwd=repo, capture_output=True,
                             text=True, check=True).stdout.split()
    assert numstat[:2] == ["8", "0"]  # a blank line and seven keys added, nothing removed


def test_mode_is_kept_and_symlinks_are_refused(debate: Path) -> None:
    os.chmod(debate, 0o640)
    run("log", debate, "alice", "h", "2%")
    assert (debate.stat().st_mode & 0o777) == 0o640 and len(entries(debate)) == 2
    link = debate.with_name("link.toml")
    link.symlink_to(debate.name)
    before = digest(debate)
    result = run("log", link, "alice", "h", "3%")
    assert result.exit_code == 1 and "is a symbolic link" in result.output
    assert link.is_symlink() and digest(debate) == before


def test_dry_run_validates_and_shows_but_writes_nothing(debate: Path) -> None:
    before = digest(debate)
    result = run("log", debate, "alice", "h", "~4%", "--dry-run")
    assert result.exit_code == 0
    assert '[[credence]]\nwho = "alice"' in result.stdout and "dry run" in result.stdout
    assert digest(debate) == before
    bad = run("log", debate, "alice", "h", "400%", "--dry-run")
    assert bad.exit_code == 2 and digest(debate) == before


def test_direction_only_and_conditional_entries(debate: Path) -> None:
    assert run("log", debate, "alice", "h", "lower").stdout.strip().split("  [id ")[0] == "alice · h: 10% -> lower"
    result = run("log", debate, "bob", "h", "30%", "--given", "not a")
    assert result.stdout.strip().split("  [id ")[0] == "bob · h | not a: 30% (first credence)"


def test_a_timestamp_defaults_to_now(debate: Path) -> None:
    run("log", debate, "alice", "h", "2%")
    assert "T" in entries(debate)[-1]["at"].isoformat()  # a date-time, not a date


# ---- prompts --------------------------------------------------------------------------------

def test_missing_ids_are_prompted_for_on_a_terminal(debate: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli_module, "stdin_is_terminal", lambda: True)
    result = run("log", debate, "7%", input="bob\na\n\n")
    assert result.exit_code == 0, result.output
    assert entries(debate)[-1]["who"] == "bob" and entries(debate)[-1]["crux"] == "a"


def test_a_wrong_choice_is_asked_again(debate: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli_module, "stdin_is_terminal", lambda: True)
    result = run("log", debate, "alice", "7%", input="zz\nh\n\n")
    assert result.exit_code == 0 and 'no crux "zz"' in result.output


def test_missing_ids_without_a_terminal_are_a_usage_error(debate: Path) -> None:
    before = digest(debate)
    result = run("log", debate, "7%")
    assert result.exit_code == 2 and "missing WHO, CRUX" in result.output
    assert digest(debate) == before


# ---- every failure leaves the file byte-for-byte as it was ----------------------------------

@pytest.mark.parametrize(
    "args, code, message",
    [
        (["alice", "h", "150%"], 2, "above 100%"),
        (["alise", "h", "2%"], 2, 'did you mean "alice"'),
        (["alice", "hh", "2%"], 2, 'did you mean "h"'),
        (["alice", "h", "2%", "--given", "zz"], 2, "unknown crux"),
        (["alice", "h", "2%", "--at", "yesterday"], 2, "not a date"),
        (["alice", "h", "2%", "--at", "2023/.."], 2, "open-ended"),
        (["alice", "h", "very", "unlikely"], 2, "quote a credence"),
    ],
)
def test_bad_arguments_change_nothing(debate: Path, args, code, message) -> None:
    before = digest(debate)
    result = run("log", debate, *args)
    assert result.exit_code == code and message in result.output
    assert digest(debate) == before


def test_an_invalid_file_is_reported_with_its_own_lines(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%"), credence("carol", "h", "5%")))
    before = digest(path)
    result = run("log", path, "alice", "h", "2%")
    assert result.exit_code == 1
    line = path.read_text().splitlines().index('who = "carol"') + 1
    assert f"{path}:{line}:" in result.output
    assert digest(path) == before


def test_sources_required_are_enforced_on_log(write) -> None:
    path = write(HEADER.replace('headline = "h"', 'headline = "h"\nsources_required = true'))
    before = digest(path)
    result = run("log", path, "alice", "h", "2%")
    assert result.exit_code == 2
    assert "missing `source`: this debate has sources_required = true (give --source URL)" \
        in result.output and "(give --quote TEXT)" in result.output
    assert digest(path) == before


def _leftovers(path: Path) -> list[str]:
    return [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("target, error", [
    ("fsync", OSError(errno.ENOSPC, "No space left on device")),
    ("replace", PermissionError(errno.EACCES, "Permission denied")),
])
def test_a_failed_write_changes_nothing(debate: Path, monkeypatch, target, error) -> None:
    before = digest(debate)

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(atomic.os, target, fail)
    result = run("log", debate, "alice", "h", "2%")
    monkeypatch.undo()
    assert result.exit_code == 1 and error.strerror in result.output
    assert "nothing was changed" in result.output
    assert digest(debate) == before and _leftovers(debate) == []


def test_a_read_only_file_is_not_replaced(debate: Path, monkeypatch) -> None:
    before = digest(debate)
    monkeypatch.setattr(atomic.os, "access", lambda path, mode: False)  # root ignores chmod
    result = run("log", debate, "alice", "h", "2%")
    assert result.exit_code == 1 and "Permission denied" in result.output
    assert digest(debate) == before


def test_a_held_lock_times_out_cleanly(debate: Path, monkeypatch) -> None:
    from filelock import FileLock

    monkeypatch.setattr(locks, "LOCK_TIMEOUT", 0.2)
    before = digest(debate)
    with FileLock(str(locks.lock_path(debate.resolve()))):
        result = run("log", debate, "alice", "h", "2%")
    assert result.exit_code == 1 and "another process holds the lock" in result.output
    assert digest(debate) == before


def test_inside_a_repository_the_lock_lives_in_dot_git(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    target = tmp_path / "debates" / "d.toml"
    assert locks.lock_path(target) == tmp_path / ".git" / "cruxcli-locks" / "debates%d.toml.lock"
    assert locks.lock_path(Path("/nowhere/d.toml")) == Path("/nowhere/.d.toml.lock")


def test_twenty_concurrent_writers_leave_twenty_entries(debate: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-m", "cruxcli", "log", str(debate), "bob", "h",
                          f"{n + 1}%", "--note", f"writer {n}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                         env={**os.environ, "CRUXCLI_LOCK_TIMEOUT": "60"})
        for n in range(20)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]  # type: ignore[union-attr]
    assert all(code == 0 for code, _ in results), results
    notes = sorted(e.get("note", "") for e in entries(debate))
    assert notes == sorted([""] + [f"writer {n}" for n in range(20)])
    assert run("check", debate).exit_code == 0


# ---- add --------------------------------------------------------------------------------------

def test_add_participant_goes_next_to_the_others(debate: Path) -> None:
    before = debate.read_text()
    assert run("add", "participant", debate, "carol", "--name", 'Carol "C"').exit_code == 0
    after = debate.read_text()
    assert after.index("[participants.carol]") < after.index("[cruxes.h]")
    assert after.replace('\n[participants.carol]\nname = "Carol \\"C\\""\n', "", 1) == before
    assert run("log", debate, "carol", "h", "3%").exit_code == 0


def test_add_crux_as_a_premise(debate: Path) -> None:
    assert run("add", "crux", debate, "c", "--question", "C?", "--premise-of", "h").exit_code == 0
    doc = tomli.loads(debate.read_text())
    assert doc["cruxes"]["h"]["premises"] == ["a", "b", "c"]
    assert doc["cruxes"]["c"] == {"question": "C?"}
    assert "# A small debate for tests." in debate.read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["participant", "alice", "--name", "A"], 'already has "alice"'),
        (["participant", "Al ice", "--name", "A"], "not a slug"),
        (["crux", "c", "--question", "C?", "--premise-of", "hh"], 'did you mean "h"'),
        (["crux", "a", "--question", "again"], 'already has "a"'),
    ],
)
def test_add_refuses_bad_ids_and_changes_nothing(debate: Path, args, message) -> None:
    before = digest(debate)
    kind, *rest = args
    result = run("add", kind, debate, *rest)
    assert result.exit_code == 2 and message in result.output
    assert digest(debate) == before


@pytest.mark.parametrize("command", [["log", "alice", "h", "2%"],
                                     ["add", "participant", "carol", "--name", "Carol"]])
def test_a_file_that_is_not_text_is_reported_and_kept(write, command) -> None:
    path = write(debate_text().encode() + b'\n# caf\xe9\n')
    before = digest(path)
    args = [command[0], path, *command[1:]] if command[0] == "log" else \
        [command[0], command[1], path, *command[2:]]
    result = run(*args)
    assert result.exit_code == 1 and "not UTF-8" in result.output
    assert digest(path) == before


def test_add_crux_as_the_first_premise_of_a_crux_with_none(write) -> None:
    path = write(debate_text().replace("\n", "\r\n").encode())
    assert run("add", "crux", path, "a1", "--question", "A1?", "--premise-of", "a").exit_code == 0
    text = path.read_bytes().decode()
    assert "\n" not in text.replace("\r\n", "")  # still CRLF throughout
    doc = tomli.loads(text)
    assert doc["cruxes"]["a"] == {"question": "Premise A?", "premises": ["a1"]}
    new_line = text.index('premises = [\r\n    "a1"')
    assert text.index('question = "Premise A?"') < new_line < text.index("[cruxes.b]")
