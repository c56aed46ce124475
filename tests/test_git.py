"""Debates in real git repositories: drivers installed, branches merged, diffs read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, credence, cruxcli, debate_text, git, json_keys, on_two_branches, run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

def two_branches_log() -> None:
    """On branch `other` bob logs; on main alice logs: both append at the end of the file."""
    on_two_branches(["log", "d", "bob", "h", "40%", "--at", "2025-01-02"],
                    ["log", "d", "alice", "h", "5%", "--at", "2025-01-01"])


def test_install_is_idempotent_and_uninstall_removes_it(repo: Path) -> None:
    first = run("git", "install")
    assert first.exit_code == 0 and "added to" in first.output and "merge.cruxcli.driver" \
        in first.output
    assert run("git", "install").output.strip() == "already installed; nothing changed"
    assert (repo / ".gitattributes").read_text() == \
        "debates/*.toml diff=cruxcli merge=cruxcli\n"
    assert "git merge-driver %O %A %B %P" in git("config", "merge.cruxcli.driver").stdout
    assert run("git", "uninstall").exit_code == 0
    assert not (repo / ".gitattributes").exists()  # the tree as it was
    assert git("status", "--porcelain").stdout == ""
    assert "cruxcli" not in (repo / ".git" / "config").read_text()
    assert run("git", "uninstall").output.strip() == "not installed; nothing changed"


def test_install_global_writes_the_users_files(repo: Path) -> None:
    assert run("git", "install", "--global").exit_code == 0
    attributes = Path(os.environ["XDG_CONFIG_HOME"]) / "git" / "attributes"
    assert "debates/*.toml diff=cruxcli merge=cruxcli" in attributes.read_text()
    assert "cruxcli git textconv" in git("config", "--global", "diff.cruxcli.textconv").stdout


def test_without_the_driver_two_logs_conflict(repo: Path) -> None:
    two_branches_log()
    merged = git("merge", "other", "-m", "merge", check=False)
    assert merged.returncode != 0 and "CONFLICT" in merged.stdout


def test_with_the_driver_two_logs_merge_cleanly(repo: Path) -> None:
    assert run("git", "install").exit_code == 0
    git("add", ".gitattributes")
    git("commit", "-qm", "drivers")
    two_branches_log()
    merged = git("merge", "other", "-m", "merge", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = (repo / "debates" / "d.toml").read_text()
    assert text.index('p = "5%"') < text.index('p = "40%"')  # by date: alice's is earlier
    assert run("check", "debates/d.toml").exit_code == 0
    shown = run("diff", "HEAD~1", "--format", "json")
    added = json.loads(shown.stdout)["debates"][0]["added"]
    assert [(a["participant"], a["stated"]) for a in added] == [("bob", "40%")]


def test_a_real_conflict_is_marked_and_fails(repo: Path) -> None:
    run("git", "install")
    git("add", ".gitattributes")
    git("commit", "-qm", "drivers")
    path = repo / "debates" / "d.toml"
    base = path.read_text()
    git("checkout", "-qb", "other")
    path.write_text(base.replace('question = "Premise A?"', 'question = "A, theirs?"'))
    git("commit", "-qam", "theirs")
    git("checkout", "-q", "main")
    path.write_text(base.replace('question = "Premise A?"', 'question = "A, ours?"'))
    git("commit", "-qam", "ours")
    merged = git("merge", "other", "-m", "merge", check=False)
    assert merged.returncode != 0
    text = path.read_text()
    assert 'crux "a" changed on both sides' in text
    assert "A, ours?" in text and "A, theirs?" in text and "<<<<<<< ours" in text
    assert run("check", "debates/d.toml").exit_code == 1  # the markers keep it invalid


def test_textconv_shows_beliefs_in_git_diff(repo: Path) -> None:
    run("git", "install")
    assert cruxcli("log", "d", "bob", "h", "~4%", "--at", "2025-03-01").returncode == 0
    shown = git("diff").stdout
    assert '+credence 2025-03-01 bob · h = "~4%"' in shown
    assert "[[credence]]" not in shown


def test_textconv_of_an_invalid_file_shows_the_raw_text(write) -> None:
    path = write("format = 2\n")
    result = run("git", "textconv", path)
    assert result.exit_code == 0
    assert result.stdout.startswith("# cruxcli: not a valid debate") and "format = 2" in \
        result.stdout


def test_diff_flags_an_edited_old_entry_and_a_reworded_crux(repo: Path) -> None:
    path = repo / "debates" / "d.toml"
    path.write_text(path.read_text().replace('p = "10%"', 'p = "12%"')
                    .replace('question = "The headline?"', 'question = "A new headline?"'))
    result = run("diff")
    assert result.exit_code == 0
    out = result.stdout
    assert "HISTORY REWRITTEN" in out and 'p: "10%" -> "12%"' in out
    assert "reworded after 1 credence," in out
    doc = json.loads(run("diff", "--format", "json").stdout)["debates"][0]
    assert doc["history_rewritten"][0]["change"] == "edited"
    change = next(c for c in doc["changes"] if c["id"] == "h")
    assert change["reworded"] and change["meaning_at_risk"]


def test_diff_reports_a_removed_entry(repo: Path) -> None:
    path = repo / "debates" / "d.toml"
    path.write_text(debate_text())
    doc = json.loads(run("diff", "--format", "json", "HEAD", "--", "debates/d.toml").stdout)
    assert doc["debates"][0]["history_rewritten"][0]["change"] == "removed"


def test_diff_between_two_revisions_and_as_markdown(repo: Path) -> None:
    assert cruxcli("log", "d", "bob", "h", "20%", "--at", "2025-01-01").returncode == 0
    git("commit", "-qam", "bob")
    md = run("diff", "HEAD~1", "HEAD", "--format", "md").stdout
    assert "credences added" in md and "bob · h" in md and "20% (first)" in md


def test_a_new_debate_in_a_revision_is_all_additions(repo: Path) -> None:
    (repo / "debates" / "new.toml").write_text(debate_text(credence("bob", "h", "3%")))
    doc = json.loads(run("diff", "debates/new.toml", "--format", "json").stdout)
    assert [a["stated"] for a in doc["debates"][0]["added"]] == ["3%"]


def test_a_new_debate_shows_each_statement_after_the_one_just_before_it(repo: Path) -> None:
    # "lower" carries no number: the move of 5% is from 10%, but the statement before it is "lower"
    (repo / "debates" / "new.toml").write_text(debate_text(
        credence("bob", "h", "10%", at="2024-01-01"), credence("bob", "h", "lower", at="2024-02-01"),
        credence("bob", "h", "5%", at="2024-03-01")))
    added = json.loads(run("diff", "debates/new.toml", "--format", "json").stdout)["debates"][0][
        "added"]
    assert [(a["previous"] or {}).get("stated") for a in added] == [None, "10%", "lower"]
    assert added[2]["bits"] < 0  # measured from 10%, not from "lower"


def test_unknown_revision_or_path_is_a_usage_error(repo: Path) -> None:
    result = run("diff", "no-such-rev", "debates/d.toml")
    assert result.exit_code == 2 and "no-such-rev" in result.output


def test_no_change_says_so(repo: Path) -> None:
    assert run("diff").stdout.strip() == "no debate changed"


def test_two_plain_files_outside_git(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    old = tmp_path / "old.toml"
    new = tmp_path / "new.toml"
    old.write_text(debate_text(credence("alice", "h", "10%")))
    new.write_text(debate_text(credence("alice", "h", "10%"), credence("alice", "h", "5%")))
    result = run("diff", old, new)
    assert result.exit_code == 0 and "alice · h" in result.stdout and "10% -> 5%" in \
        result.stdout


def test_pre_commit_hook_is_declared() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "id: cruxcli-check" in text and "entry: cruxcli check" in text


def test_every_diff_json_key_is_documented(repo: Path) -> None:
    import re

    path = repo / "debates" / "d.toml"
    path.write_text(path.read_text().replace('p = "10%"', 'p = "12%"')
                    .replace('question = "Premise A?"', 'question = "A?"')
                    .replace('title = "Test debate"', 'title = "T"'))
    assert cruxcli("log", "d", "bob", "h", "20%").returncode == 0
    doc = json.loads(run("diff", "--format", "json").stdout)


    documented = set(re.findall(r"`([a-z_0-9]+)`", (REPO / "docs" / "git.md").read_text()))
    found = json_keys(doc) - {"title", "question"}  # field names inside `fields`
    assert not found - documented, sorted(found - documented)


def test_diff_errors_name_the_side_they_come_from(repo: Path, tmp_path: Path) -> None:
    path = repo / "debates" / "d.toml"
    good = path.read_text()
    path.write_text(good.replace('p = "10%"', 'p = "150%"'))
    git("commit", "-qam", "a bad credence")
    path.write_text(good)
    result = run("diff", "HEAD", "debates/d.toml")
    assert result.exit_code == 1 and "HEAD:debates/d.toml:" in result.output
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text("format = 2\n")
    new.write_text(good)
    result = run("diff", "--no-index", old, new)
    assert result.exit_code == 1 and f"{old}:1:10: error: format 2" in result.output


def test_merge_driver_leaves_ours_when_a_side_is_not_toml(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    base.write_text(debate_text())
    ours.write_text(debate_text() + "<<<<<<< left over\n")
    theirs.write_text(debate_text(credence("bob", "h", "2%")))
    before = ours.read_bytes()
    result = run("git", "merge-driver", base, ours, theirs, "debates/d\x1b[2J.toml")
    assert result.exit_code == 1 and "cannot merge" in result.output
    assert "\x1b" not in result.output and "debates/d\\x1b[2J.toml" in result.output
    assert ours.read_bytes() == before


def test_merge_driver_flags_sides_that_are_valid_alone_but_not_together(tmp_path: Path) -> None:
    """Ours logs a credence on crux a; theirs deletes crux a (and its use as a premise)."""
    base_text = debate_text()
    base, ours, theirs = (tmp_path / n for n in ("base", "ours", "theirs"))
    base.write_text(base_text)
    ours.write_text(base_text + credence("alice", "a", "20%"))
    theirs.write_text(base_text.replace('premises = ["a", "b"]', 'premises = ["b"]')
                      .replace('[cruxes.a]\nquestion = "Premise A?"\n\n', ""))
    result = run("git", "merge-driver", base, ours, theirs, "d.toml")
    assert result.exit_code == 1 and "the merged debate is invalid" in result.output
    merged = ours.read_text()
    assert '#   unknown crux "a"' in merged and 'p = "20%"' in merged
    assert run("check", ours).exit_code == 1


def test_drivers_name_cruxcli_on_path_and_never_break_git_without_it(repo: Path) -> None:
    run("git", "install")
    driver = git("config", "diff.cruxcli.textconv").stdout
    assert str(REPO) not in driver and sys.executable not in driver  # no environment's path
    path = repo / "debates" / "d.toml"
    path.write_text(path.read_text() + credence("bob", "h", "20%"))
    shown = git("diff").stdout
    assert 'credence 2024-01-01 bob · h = "20%"' in shown  # through cruxcli on PATH
    bare = {**os.environ, "PATH": os.path.dirname(shutil.which("git"))}  # no cruxcli
    raw = subprocess.run(["git", "diff"], capture_output=True, text=True, env=bare)
    assert raw.returncode == 0 and '+p = "20%"' in raw.stdout  # the raw text, as git shows it
    assert "cruxcli: not found, so git shows the raw text" in raw.stderr
    assert "cruxcli git uninstall" in raw.stderr


def test_without_cruxcli_a_merge_is_gits_own_line_merge(repo: Path) -> None:
    run("git", "install")
    git("add", "-A")
    git("commit", "-qm", "drivers")
    on_two_branches(["log", "d", "bob", "h", "40%", "--at", "2024-02-01"],
                    ["log", "d", "alice", "h", "5%", "--at", "2024-02-02"])
    bare = {**os.environ, "PATH": os.path.dirname(shutil.which("git"))}
    merged = subprocess.run(["git", "merge", "other", "-m", "m"], capture_output=True,
                            text=True, env=bare)
    assert merged.returncode == 1 and "CONFLICT" in merged.stdout  # lines, as git merges them
    assert "cruxcli: not found, so git merges the lines itself" in merged.stderr
    text = (repo / "debates" / "d.toml").read_text()
    assert "<<<<<<< ours" in text and 'p = "40%"' in text and 'p = "5%"' in text


def test_install_absolute_runs_this_cruxcli_without_path(repo: Path) -> None:
    assert run("git", "install", "--absolute").exit_code == 0
    assert sys.executable in git("config", "diff.cruxcli.textconv").stdout
    path = repo / "debates" / "d.toml"
    path.write_text(path.read_text() + credence("bob", "h", "20%"))
    bare = {**os.environ, "PATH": os.path.dirname(shutil.which("git")),
            "PYTHONPATH": str(REPO)}
    shown = subprocess.run(["git", "diff"], capture_output=True, text=True, env=bare)
    assert 'credence 2024-01-01 bob · h = "20%"' in shown.stdout and not shown.stderr


def test_uninstall_keeps_the_users_own_attributes(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.png binary\n")
    run("git", "install")
    run("git", "uninstall")
    assert (repo / ".gitattributes").read_text() == "*.png binary\n"


# ---- the same answers from any directory ------------------------------------------------------

def test_diff_check_and_names_work_from_any_directory_in_the_repository(repo: Path,
                                                                         monkeypatch) -> None:
    path = repo / "debates" / "d.toml"
    path.write_text(path.read_text() + credence("bob", "h", "20%"))
    git("commit", "-qam", "bob")
    (repo / "docs").mkdir()
    for where in (repo, repo / "debates", repo / "docs"):
        monkeypatch.chdir(where)
        changed = run("diff", "HEAD~1")
        assert changed.exit_code == 0 and "credences added" in changed.output, where
        assert "bob · h" in changed.output
        assert run("show", "d").exit_code == 0
        assert run("check").output.startswith("ok"), where


def test_new_and_show_agree_on_where_a_bare_name_is(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("new", "mydebate").exit_code == 0
    assert (tmp_path / "mydebate.toml").is_file()
    assert run("show", "mydebate").exit_code == 0


def test_a_new_untracked_debate_is_reported_as_added(repo: Path) -> None:
    (repo / "debates" / "fresh.toml").write_text(debate_text(credence("alice", "h", "30%")))
    for step in ("untracked", "staged"):
        out = run("diff").output
        assert "debates/fresh.toml (HEAD -> working tree): debate added" in out, step
        assert "title changed" not in out and "''" not in out
        git("add", "-A")
    git("commit", "-qm", "fresh")
    (repo / "debates" / "fresh.toml").unlink()
    assert "DEBATE REMOVED" in run("diff").output
    assert json.loads(run("diff", "--format", "json").stdout)["debates"][0]["status"] == \
        "removed"


def test_diff_shows_values_as_in_the_file_not_python_reprs(repo: Path) -> None:
    path = repo / "debates" / "d.toml"
    path.write_text(path.read_text().replace('question = "Premise A?"',
                                             'question = "Premise A?"\npremises = ["b"]'))
    out = run("diff").output
    assert 'premises: (none) -> "b"' in out
    assert "()" not in out and "('b',)" not in out and "None" not in out


# ---- append-only, enforced; resolutions and retractions in git --------------------------------

def test_diff_strict_fails_on_an_edit_and_passes_an_append(repo: Path) -> None:
    path = repo / "debates" / "d.toml"
    path.write_text(path.read_text() + credence("bob", "h", "20%"))
    assert run("diff", "--strict").exit_code == 0  # appended only
    path.write_text(path.read_text().replace('p = "10%"', 'p = "12%"'))
    result = run("diff", "--strict")
    assert result.exit_code == 1 and "history rewritten" in result.output


def test_diff_reports_resolutions_and_retractions(repo: Path) -> None:
    path = repo / "debates" / "d.toml"
    ident = json.loads(run("trace", path, "--format", "json").stdout)["lines"][0]["steps"][0]["id"]
    assert run("resolve", path, "a", "yes", "--at", "2025-01-01").exit_code == 0
    assert run("retract", path, ident, "--why", "wrong number").exit_code == 0
    out = run("diff").output
    assert "cruxes resolved" in out and "retracted" in out and "wrong number" in out
    assert "HISTORY REWRITTEN" not in out  # a retraction appends; it rewrites nothing
    assert run("diff", "--strict").exit_code == 0


def test_the_merge_driver_unions_resolutions_and_retractions(repo: Path) -> None:
    run("git", "install")
    on_two_branches(["resolve", "d", "a", "yes", "--at", "2025-01-01"],
                    ["resolve", "d", "b", "no", "--at", "2025-02-01"])
    merged = git("merge", "-q", "--no-edit", "other", check=False)
    assert merged.returncode == 0, merged.stderr
    doc = json.loads(run("score", "d", "--format", "json").stdout)
    assert {r["crux"] for r in doc["resolved"]} == {"a", "b"}
