"""Every example in every command's --help works, run in order on a copy of the shipped
debates inside a git repository (with an `origin` remote, as in a pull request)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest

from conftest import REPO, init_repository, run
from cruxcli.commands.cli import cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def commands(group: click.Group, prefix: list[str]):
    every = group.every_command() if group is cli else group.commands
    for name, command in every.items():
        yield prefix + [name], command
        if isinstance(command, click.Group):
            yield from commands(command, prefix + [name])


def examples() -> list[str]:
    """Each example line of every help text (continuation lines joined), in command order."""
    out = []
    for _, command in [([], cli), *commands(cli, [])]:
        text = (command.help or "").replace("\\\n", " ")
        for line in text.splitlines():
            line = line.split(" #")[0].strip()
            if line.startswith("cruxcli ") and "%" not in line:  # %O...: git fills those in
                out.append(line)
    return list(dict.fromkeys(out))  # a group repeats its subcommands' examples


def git(*args: str) -> None:
    subprocess.run(["git", *args], check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("PATH", f"{Path(os.sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    root = tmp_path / "project"
    shutil.copytree(REPO / "debates", root / "debates")
    monkeypatch.chdir(root)
    init_repository("one")
    (root / "debates" / "scheming.toml").write_text(
        (root / "debates" / "scheming.toml").read_text() + "\n# reviewed\n")
    git("commit", "-qam", "two")
    git("remote", "add", "origin", str(root))
    git("fetch", "-q", "origin")
    shutil.copy(root / "debates" / "power-seeking.toml", root / "old.toml")
    shutil.copy(root / "debates" / "power-seeking.toml", root / "new.toml")
    return root


def test_there_are_examples_for_every_command() -> None:
    paths = [[]] + [p for p, _ in commands(cli, [])]
    assert len(paths) >= 15
    for path in paths:
        result = run(*path, "--help")
        assert result.exit_code == 0 and "Example" in result.output, path


def test_every_help_example_runs(project: Path) -> None:
    ran = 0
    for example in examples():
        for part in example.split("&&"):
            args = shlex.split(part)
            if args[0] == "git":
                git(*args[1:])
                continue
            into = None
            if ">" in args:  # a shell redirection: the output goes to that file
                into, args = Path(args[args.index(">") + 1]), args[:args.index(">")]
            result = run(*args[1:])
            assert result.exit_code == 0, f"{example}\n{result.output}"
            if into is not None:
                into.write_text(result.stdout, encoding="utf-8")
            ran += 1
    assert ran >= 25
