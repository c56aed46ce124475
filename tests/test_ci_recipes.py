"""The hook and the action a team drops into its repository, run as they run: the pre-commit
hooks through `pre-commit try-repo` in a scratch repository, the composite action's steps as a
script (the install step aside: cruxcli is installed here already, and try-repo installs it
from this repository the way pre-commit does)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO, credence, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("pre-commit") or str(Path(os.sys.executable).parent / "pre-commit")
    return subprocess.run([exe, *args], capture_output=True, text=True)


def this_repository(tmp_path: Path) -> str:
    """This working tree as a repository of its own, committed: what pre-commit installs
    from (try-repo would leave out files not yet added to git)."""
    copy = tmp_path / "cruxcli"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", ".mypy_cache",
        ".ruff_cache", "build", "dist"))
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=T", "-c",
                                                 "user.email=t@example.org", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=copy, check=True, capture_output=True)
    return str(copy)


def test_the_pre_commit_hooks_check_and_keep_the_log_append_only(repo: Path, tmp_path: Path,
                                                                   monkeypatch) -> None:
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    source = this_repository(tmp_path)
    path = repo / "debates" / "d.toml"
    path.write_text(path.read_text() + credence("bob", "h", "40%", at="2024-02-01"))
    git("add", "-A")
    ok = pre_commit("try-repo", source, "--all-files")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"cruxcli check\.+Passed", ok.stdout)
    assert re.search(r"cruxcli diff --strict.*\.+Passed", ok.stdout)
    path.write_text(path.read_text().replace('p = "10%"', 'p = "12%"'))  # history rewritten
    git("add", "-A")
    rewritten = pre_commit("try-repo", source, "cruxcli-append-only", "--all-files")
    assert rewritten.returncode == 1 and "history rewritten" in rewritten.stdout
    path.write_text("format = 1\n")
    git("add", "-A")
    invalid = pre_commit("try-repo", source, "cruxcli-check", "--all-files")
    assert invalid.returncode == 1 and "d.toml" in invalid.stdout


def run_action(base: str, summary: Path) -> list[subprocess.CompletedProcess[str]]:
    """Each `run` step of action.yml after the install, with GitHub's expressions filled in
    as GitHub would for a pull request into `base`."""
    action = yaml.safe_load((REPO / "action.yml").read_text())
    done = []
    for step in action["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        env = {k: v.replace("${{ inputs.base || format('origin/{0}', github.base_ref) }}",
                            base) for k, v in (step.get("env") or {}).items()}
        assert "${{" not in "".join(env.values()) + step["run"]
        done.append(subprocess.run(["bash", "-ec", step["run"]], capture_output=True,
                                   text=True, env={**os.environ, **env,
                                                   "GITHUB_STEP_SUMMARY": str(summary),
                                                   "GITHUB_ACTION_PATH": str(REPO)}))
    return done


def test_the_action_passes_an_append_and_fails_a_rewrite(repo: Path, tmp_path: Path) -> None:
    path = repo / "debates" / "d.toml"
    git("checkout", "-qb", "pr")
    path.write_text(path.read_text() + credence("bob", "h", "40%", at="2024-02-01"))
    git("commit", "-qam", "bob")
    summary = tmp_path / "summary.md"
    steps = run_action("main", summary)
    assert [s.returncode for s in steps] == [0, 0, 0], [s.stderr for s in steps]
    assert "bob · h" in summary.read_text()  # the Markdown diff in the job summary
    path.write_text(path.read_text().replace('p = "10%"', 'p = "12%"'))
    git("commit", "-qam", "rewrite")
    steps = run_action("main", summary)
    assert steps[-1].returncode == 1 and "history rewritten" in steps[-1].stderr
