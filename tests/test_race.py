"""No silent loss with git: `log` raced against a real `git merge` (whose merge driver takes a
while) never reports success for a credence that is then gone, and never drops the entries
the merge brought in. `log` refuses while git holds the repository and holds git's index.lock
while it writes; the merge driver takes the same lock as `log`."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tomli

from conftest import credence, debate_text

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
TRIES = int(os.environ.get("CRUXCLI_RACE_TRIES", "12"))


def git(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=check)


def cruxcli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "cruxcli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_log_raced_against_git_merge_loses_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "debates").mkdir()
    path = tmp_path / "debates" / "d.toml"
    path.write_text(debate_text(credence("alice", "h", "10%")))
    git("init", "-q", "-b", "main")
    git("config", "user.name", "T")
    git("config", "user.email", "t@example.org")
    assert cruxcli("git", "install").wait() == 0
    driver = git("config", "merge.cruxcli.driver").stdout.strip()
    git("config", "merge.cruxcli.driver", f"sleep 0.4; {driver}")  # a merge that takes a while
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "other")
    path.write_text(path.read_text() + credence("bob", "h", "40%", at="2025-01-02"))
    git("commit", "-qam", "bob")
    git("checkout", "-q", "main")
    path.write_text(path.read_text() + credence("alice", "h", "5%", at="2025-01-01"))
    git("commit", "-qam", "alice")
    tip = git("rev-parse", "HEAD").stdout.strip()
    rng = random.Random(7)
    outcomes = {"log ok": 0, "log refused": 0, "merge ok": 0, "merge refused": 0}
    for i in range(TRIES):
        merging = subprocess.Popen(["git", "merge", "-q", "--no-edit", "other"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.0, 1.5))  # before, during or after the merge
        stated = f"{i + 11}%"
        log = cruxcli("log", "d", "bob", "a", stated, "--at", "2025-02-01")
        log_out, log_err = log.communicate(timeout=60)
        merging.communicate(timeout=60)
        merged = git("rev-parse", "HEAD").stdout.strip() != tip and \
            not (tmp_path / ".git" / "MERGE_HEAD").exists()
        entries = tomli.loads(path.read_text())["credence"]
        said = [(e["who"], e["crux"], e["p"]) for e in entries]
        if log.returncode == 0:
            outcomes["log ok"] += 1
            assert ("bob", "a", stated) in said, f"try {i}: log said {log_out!r}, entry gone"
        else:
            outcomes["log refused"] += 1
            # git's checkout replaces the file: in that instant there is no debate to log to
            assert "nothing was changed" in log_err or "no such file" in log_err, log_err
            assert ("bob", "a", stated) not in said
        if merged:
            outcomes["merge ok"] += 1
            assert ("bob", "h", "40%") in said, f"try {i}: the merged entry is gone"
        else:
            outcomes["merge refused"] += 1
        git("merge", "--abort", check=False)
        git("reset", "-q", "--hard", tip)
    assert outcomes["log ok"] and (outcomes["merge ok"] or outcomes["merge refused"])
    print(outcomes)
