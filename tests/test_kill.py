"""Nothing a killed cruxcli leaves behind blocks anyone: `log` holds git's index.lock only
around the replace (never for --dry-run), a lock left by a killed cruxcli is recognised and
removed, and a killed import leaves nothing, or what rerunning it completes."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, credence, cruxcli, debate_text, git, run
from cruxcli.files import locks

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
TRIES = int(os.environ.get("CRUXCLI_RACE_TRIES", "12"))
DEBATE = Path("debates") / "d.toml"


def started(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cruxcli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)})


def big(entries: int) -> str:
    return debate_text(*(credence("alice" if n % 2 else "bob", "h", f"{n % 97 + 1}%",
                                  at=f"2024-{n % 12 + 1:02d}-01", quote="q" * 40)
                         for n in range(entries)))


def test_dry_run_takes_no_git_lock_and_a_held_one_is_gits(repo: Path) -> None:
    held = Path(".git/index.lock")
    held.write_bytes(b"DIRC\x00\x00\x00\x02")  # git's own, while it works
    assert run("log", "d", "alice", "h", "20%", "--dry-run").exit_code == 0
    refused = run("log", "d", "alice", "h", "20%")
    assert refused.exit_code == 1 and "index.lock is held" in refused.output
    assert held.exists()  # never removed: it is not ours


def test_a_lock_left_by_a_killed_cruxcli_is_removed_and_said(repo: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that is gone
    Path(".git/index.lock").write_text(lock_text(dead.pid))
    assert git("commit", "--allow-empty", "-qm", "x", check=False).returncode != 0  # blocked
    result = cruxcli("log", "d", "alice", "h", "20%", "--at", "2025-01-01")
    assert result.returncode == 0, result.stderr
    assert f"left by cruxcli process {dead.pid}, which is gone" in result.stderr
    assert git("commit", "-qam", "logged", check=False).returncode == 0


def test_log_killed_at_any_moment_blocks_nothing(repo: Path) -> None:
    DEBATE.write_text(big(20_000))
    git("commit", "-qam", "big")
    timed = time.monotonic()
    assert cruxcli("log", "d", "alice", "h", "20%", "--at", "2025-01-01",
                   "--dry-run").returncode == 0
    took = time.monotonic() - timed
    rng = random.Random(5)
    for n in range(TRIES):
        before = DEBATE.read_bytes()
        victim = started("log", "d", "alice", "h", f"{n + 1}%", "--at", "2025-02-01")
        time.sleep(rng.uniform(0, took * 1.2))
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        after = DEBATE.read_bytes()
        assert after == before or (after.startswith(before) and b"2025-02-01" in after[len(before):])
        following = cruxcli("log", "d", "bob", "h", f"{n + 1}%", "--at", "2025-03-01")
        assert following.returncode == 0, following.stderr  # a stale lock of ours is cleared
        assert not Path(".git/index.lock").exists()
        assert git("commit", "-qam", f"round {n}", check=False).returncode == 0
    assert cruxcli("check", str(DEBATE)).returncode == 0


FRI_HEADER = "person,Camp,ID,PU,Pc,PUc\n"


def test_a_killed_import_leaves_nothing_or_what_a_rerun_completes(tmp_path: Path) -> None:
    table = tmp_path / "fri.csv"
    table.write_text(FRI_HEADER + "".join(f"p{n % 7},c{n % 2},crux{n // 7},0.{n % 9 + 1},0.5,"
                                          f"0.{n % 8 + 1}\n" for n in range(7 * 300)))
    reference = tmp_path / "reference"
    assert run("import", "fri", table, "-o", f"{reference}/", "--at", "2023").exit_code == 0
    expected = {p.name: p.read_bytes() for p in reference.iterdir()}
    assert len(expected) == 300
    timed = time.monotonic()
    assert cruxcli("import", "fri", str(table), "-o", f"{tmp_path}/timing/", "--at",
                   "2023").returncode == 0
    took = time.monotonic() - timed
    rng = random.Random(11)
    for n in range(max(3, TRIES // 2)):
        target = tmp_path / f"new{n}" / "debates"
        victim = started("import", "fri", str(table), "-o", f"{target}/", "--at", "2023")
        time.sleep(rng.uniform(took * 0.3, took * 1.1))
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        if target.exists():  # the new folder appears whole, or not at all
            assert {p.name: p.read_bytes() for p in target.iterdir()} == expected
        rerun = cruxcli("import", "fri", str(table), "-o", f"{target}/", "--at", "2023")
        assert rerun.returncode == 0, rerun.stderr
        assert {p.name: p.read_bytes() for p in target.iterdir()} == expected


def test_an_import_into_a_folder_that_exists_completes_on_a_rerun(tmp_path: Path) -> None:
    table = tmp_path / "fri.csv"
    table.write_text(FRI_HEADER + "a,x,one,0.1,0.5,0.2\nb,y,two,0.3,0.5,0.2\n")
    folder = tmp_path / "out"
    folder.mkdir()
    assert run("import", "fri", table, "-o", f"{folder}/", "--at", "2023").exit_code == 0
    made = sorted(folder.iterdir())
    made[1].unlink()  # as if killed between the two files
    again = run("import", "fri", table, "-o", f"{folder}/", "--at", "2023")
    assert again.exit_code == 0 and "1 file already held exactly this import" in again.output
    assert sorted(folder.iterdir()) == made
    made[0].write_text("edited by hand")
    refused = run("import", "fri", table, "-o", f"{folder}/", "--at", "2023")
    assert refused.exit_code == 2 and "never overwrites" in refused.output


def test_a_lock_of_a_live_cruxcli_is_left_alone(repo: Path) -> None:
    held = Path(".git/index.lock")
    held.write_text(lock_text(os.getpid()))  # this process: alive
    result = run("log", "d", "alice", "h", "20%")
    assert result.exit_code == 1 and "index.lock is held" in result.output
    assert held.exists()


def lock_text(pid: int) -> str:
    """What cruxcli writes into git's index.lock, as process `pid` on this host."""
    return locks._OURS.format(pid=pid, host=locks._host())
