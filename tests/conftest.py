"""Shared helpers: a small valid debate to build on, and a CLI runner that fails on tracebacks."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner, Result

from cruxcli.commands.cli import cli

REPO = Path(__file__).resolve().parent.parent

HEADER = """\
# A small debate for tests. This comment must survive every command.
format = 1
title = "Test debate"
headline = "h"

[participants.alice]
name = "Alice"
group = "one"

[participants.bob]
name = "Bob"
group = "two"

[cruxes.h]
question = "The headline?"
premises = ["a", "b"]

[cruxes.a]
question = "Premise A?"

[cruxes.b]
question = "Premise B?"
"""


def credence(who: str, crux: str, p: object, at: object = dt.date(2024, 1, 1),
             **more: object) -> str:
    """A [[credence]] table as TOML text; values are Python values serialized by tomli-w."""
    fields = {"who": who, "crux": crux, "p": p, "at": at, **more}
    return "\n[[credence]]\n" + tomli_w.dumps(fields)


def debate_text(*entries: str, header: str = HEADER) -> str:
    return header + "".join(entries)


@pytest.fixture
def write(tmp_path: Path):
    """write(text, name="d.toml") -> path of a new file in a temporary directory."""

    def _write(text: str | bytes, name: str = "d.toml") -> Path:
        path = tmp_path / name
        if isinstance(text, str):
            text = text.encode("utf-8")
        path.write_bytes(text)
        return path

    return _write


def run(*args: str, input: str | None = None) -> Result:
    """Invoke the CLI in-process; any exception other than SystemExit fails the test."""
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback for {args}: {result.exception!r}\n{result.output}") \
            from result.exception
    assert "Traceback" not in result.output
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def json_keys(value: object, out: set[str] | None = None) -> set[str]:
    """Every key in a JSON document, at any depth."""
    out = set() if out is None else out
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            json_keys(v, out)
    elif isinstance(value, list):
        for v in value:
            json_keys(v, out)
    return out


# The tests never read or fill the user's own cache of validated debates (files.cache).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="cruxcli-test-cache-")

CRUXCLI = [sys.executable, "-m", "cruxcli"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """A repository with one committed debate, debates/d.toml; the working directory."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # keep the user's global git config out of it
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # the drivers run `cruxcli` from PATH, as they would for a user with it installed
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    root = tmp_path / "repo"
    (root / "debates").mkdir(parents=True)
    (root / "debates" / "d.toml").write_text(debate_text(credence("alice", "h", "10%")))
    monkeypatch.chdir(root)
    init_repository("base")
    return root


def init_repository(message: str) -> None:
    """A git repository here, everything in it committed as `message`."""
    git("init", "-q", "-b", "main")
    git("config", "user.name", "Test")
    git("config", "user.email", "test@example.org")
    git("add", "-A")
    git("commit", "-qm", message)


def git(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=check)


def cruxcli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CRUXCLI, *args], capture_output=True, text=True,
                          cwd=os.getcwd(), env={**os.environ, "PYTHONPATH": str(REPO)})


def on_two_branches(other: list[str], main: list[str]) -> None:
    """`cruxcli OTHER` on a new branch `other` and `cruxcli MAIN` on main, each committed;
    main checked out, ready to merge `other`."""
    for branch, args in (("other", other), ("main", main)):
        git("checkout", "-q", *(["-b"] if branch == "other" else []), branch)
        result = cruxcli(*args)
        assert result.returncode == 0, result.stderr
        git("commit", "-qam", " ".join(args))
