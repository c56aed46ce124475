"""Hold under attack: every hostile input gets exit 0, 1 or 2 and a message, never an internal
error, a leak of another file, a hang, or a raw control character."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HEADER, credence, debate_text, digest, run
from cruxcli.files import atomic, reading

ESC = "\x1b]0;pwned\x07\x1b[2J"
RAW = ["\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\x7f"]


def no_raw_controls(text: str) -> bool:
    return not any(c in text for c in RAW)


# ---- limits -----------------------------------------------------------------------------------

def test_nesting_beyond_the_readers_limit_is_an_error_with_its_line(write) -> None:
    path = write(debate_text() + "x = " + "[" * 3000 + "]" * 3000 + "\n")
    result = run("check", path)
    line = debate_text().count("\n") + 1
    assert result.exit_code == 1 and f"{path}:{line}:" in result.output
    assert "nested more than the allowed 400 levels" in result.output


def test_a_key_of_a_thousand_parts_is_an_error_with_its_line(write) -> None:
    path = write("a." * 1000 + "b = 1\n" + debate_text())
    result = run("check", path)
    assert result.exit_code == 1 and f"{path}:1:" in result.output and "1000 parts" in result.output


def test_check_of_several_files_reports_every_file(write, tmp_path: Path) -> None:
    write("a." * 1000 + "b = 1\n" + debate_text(), "bad.toml")
    write(debate_text(credence("alice", "h", "10%")), "good.toml")
    result = run("check", tmp_path)
    assert result.exit_code == 1 and "ok " in result.output and "bad.toml:1:" in result.output


@pytest.mark.parametrize("args, code", [
    (["show", "{path}", "--as-of", "9999"], 0),
    (["trace", "{path}", "--as-of", "9999-12-31"], 0),
    (["trace", "{path}", "--since", "0001-01-01T00:00:00+14:00"], 2),
    (["log", "{path}", "alice", "h", "5%", "--at", "9999-12-31T23:59:59-14:00"], 2),
    (["log", "{path}", "alice", "h", "5%", "--at", "0001-01-01T00:00:00+14:00"], 2),
])
def test_dates_at_the_calendars_edges(write, args: list[str], code: int) -> None:
    path = write(debate_text(credence("alice", "h", "10%")))
    before = digest(path)
    result = run(*[a.format(path=path) for a in args])
    assert result.exit_code == code, result.output
    assert digest(path) == before or code == 0


def test_a_date_at_the_calendars_edge_in_a_file_is_an_error(write) -> None:
    text = debate_text(credence("alice", "h", "10%")).replace("at = 2024-01-01",
                                                              "at = 9999-12-31T23:00:00-05:00")
    result = run("check", write(text))
    assert result.exit_code == 1 and "outside the dates cruxcli can compare" in result.output


def test_bytes_that_are_not_utf8_in_an_option_are_a_usage_error(write) -> None:
    path = write(debate_text())
    before = digest(path)
    result = run("log", path, "alice", "h", "5%", "--note", "bad \udcff\udcfe bytes")
    assert result.exit_code == 2 and "not UTF-8 text: bad \\xff\\xfe bytes" in result.output
    assert digest(path) == before


def test_a_name_longer_than_the_file_system_allows(tmp_path: Path) -> None:
    result = run("show", "x" * 300)
    assert result.exit_code == 2 and "File name too long" in result.output


def test_a_bad_lock_timeout_breaks_only_writing_and_says_why(write, monkeypatch) -> None:
    path = write(debate_text())
    monkeypatch.setenv("CRUXCLI_LOCK_TIMEOUT", "abc")
    assert run("show", path).exit_code == 0
    result = run("log", path, "alice", "h", "5%")
    assert result.exit_code == 1 and 'CRUXCLI_LOCK_TIMEOUT is "abc"' in result.output


# ---- only regular files -----------------------------------------------------------------------

def test_a_symlinked_debate_is_refused_and_its_target_never_quoted(tmp_path: Path) -> None:
    secret = tmp_path / "credentials"
    secret.write_text("password = hunter2\n")
    (tmp_path / "debates").mkdir()
    (tmp_path / "debates" / "leak.toml").symlink_to(secret)
    result = run("check", tmp_path / "debates")
    assert result.exit_code == 1 and "is a symbolic link" in result.output
    assert "hunter2" not in result.output


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_fifo_or_device_is_an_error_not_an_endless_read(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "d.toml"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    for command in (["check", str(path)], ["show", str(path)],
                    ["log", str(path), "alice", "h", "5%"]):
        done = subprocess.run([sys.executable, "-m", "cruxcli", *command], capture_output=True,
                              text=True, timeout=20)
        assert done.returncode == 1, done.stderr
        assert "not a regular file" in done.stderr or "symbolic link" in done.stderr


def test_a_file_over_the_size_bound_is_refused(write, monkeypatch) -> None:
    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    result = run("check", write(debate_text() + "# " + "x" * 2000 + "\n"))
    assert result.exit_code == 1 and "over the 0 MB a debate may have" in result.output


# ---- every output channel ---------------------------------------------------------------------

@pytest.fixture
def hostile(write) -> Path:
    return write(debate_text(credence("alice", "h", "10%", note=f"n{ESC}\x9b\u202e\u2066\x7fz",
                                      source=f"s{ESC}")))


@pytest.mark.parametrize("args", [["show"], ["summary"], ["trace", "--no-chart"]])
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_no_raw_control_reaches_any_format(hostile: Path, args: list[str], fmt: str) -> None:
    out = run(args[0], hostile, *args[1:], "--format", fmt).output
    assert no_raw_controls(out)


def test_json_escapes_controls_and_stays_exact(hostile: Path) -> None:
    doc = json.loads(run("trace", hostile, "--format", "json").stdout)
    assert doc["lines"][0]["steps"][0]["note"] == f"n{ESC}\x9b\u202e\u2066\x7fz"  # exact


def test_textconv_sanitizes_valid_and_invalid_files(hostile: Path, write) -> None:
    assert no_raw_controls(run("git", "textconv", hostile).output)
    broken = write(f"not toml {ESC}\x07 at all\n", "broken.toml")
    out = run("git", "textconv", broken).output
    assert "not a valid debate" in out and no_raw_controls(out) and "\\x1b" in out


def test_typed_text_in_usage_errors_is_escaped(write) -> None:
    path = write(debate_text())
    for args in (["show", path, "--format", f"x{ESC}"], ["show", f"no{ESC}such"],
                 ["log", path, f"a{ESC}", "h", "5%"]):
        result = run(*args)
        assert result.exit_code == 2 and no_raw_controls(result.output), args


# ---- the smaller ones -------------------------------------------------------------------------

def test_diff_of_two_missing_files_is_a_usage_error(tmp_path: Path) -> None:
    result = run("diff", "--no-index", tmp_path / "a.toml", tmp_path / "b.toml")
    assert result.exit_code == 2 and "neither" in result.output


def test_an_unknown_table_is_reported_at_its_line(write) -> None:
    path = write(debate_text() + "\n[nope.x]\na = 1\n")
    line = (debate_text() + "\n").count("\n") + 1
    assert f"{path}:{line}:1: error: unknown key `nope`" in run("check", path).output


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
def test_a_file_logged_by_root_stays_its_owners(write) -> None:
    path = write(debate_text())
    os.chown(path, 65534, 65534)
    assert run("log", path, "alice", "h", "5%").exit_code == 0
    assert (path.stat().st_uid, path.stat().st_gid) == (65534, 65534)


def test_check_of_a_folder_without_debates_names_it(tmp_path: Path) -> None:
    result = run("check", tmp_path)
    assert result.exit_code == 2 and f"no debates to check in {tmp_path}" in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_temporary_files_live_in_git_and_non_ascii_paths_diff(tmp_path: Path,
                                                              monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    (tmp_path / "debates").mkdir()
    path = tmp_path / "debates" / "débat.toml"
    path.write_text(debate_text(credence("alice", "h", "10%")))
    subprocess.run(["git", "add", "-A"], check=True)
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@e.org", "commit", "-qm",
                    "x"], check=True)
    seen = []
    real = os.replace
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: (seen.append(a), real(a, b))[1])
    assert run("log", path, "bob", "h", "20%").exit_code == 0
    assert seen and Path(seen[0]).parent == tmp_path / ".git" / "cruxcli-tmp"
    status = subprocess.run(["git", "status", "--porcelain"], capture_output=True,
                            text=True).stdout
    assert ".tmp" not in status
    diff = run("diff")
    assert diff.exit_code == 0 and "débat.toml" in diff.output and "bob · h" in diff.output


def test_an_id_with_a_newline_stays_inside_the_conflict_comment(tmp_path: Path) -> None:
    from cruxcli.files.merge import merge

    header = HEADER.replace("[participants.bob]", '[participants."b\\nCONFLICT"]')
    base = debate_text(credence("b\nCONFLICT", "h", "10%"), header=header)
    ours = base.replace('p = "10%"', 'p = "20%"')
    theirs = base.replace('p = "10%"', 'p = "30%"')
    text, conflicts = merge(base, ours, theirs)
    assert conflicts
    comment = text.split("<<<<<<<")[0].split("\n")
    assert all(line.startswith("#") or not line.strip() or line.startswith("format")
               for line in comment[:len(conflicts) + 2])
