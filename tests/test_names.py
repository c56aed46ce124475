"""One rule for names and places: every command takes a debate as a path or a bare name the same
way, `new NAME` in a repository writes where the other commands look, and files they do not
look at by default are named, not silently skipped."""

from __future__ import annotations

from pathlib import Path

from conftest import credence, cruxcli, debate_text, git, run


def test_every_command_takes_a_bare_name_and_a_path_without_toml(repo: Path) -> None:
    for name in ("d", "debates/d", "debates/d.toml"):
        for args in (["show", name], ["check", name], ["summary", name], ["trace", name],
                     ["cruxes", name], ["export", name]):
            result = run(*args)
            assert result.exit_code == 0, (args, result.output)


def test_diff_takes_a_bare_name_before_and_after_dashes(repo: Path) -> None:
    assert run("log", "d", "bob", "h", "40%", "--at", "2024-02-01").exit_code == 0
    for args in (["diff", "d"], ["diff", "HEAD", "--", "d"], ["diff", "debates/d"]):
        result = cruxcli(*args)
        assert result.returncode == 0 and "bob · h" in result.stdout, (args, result.stderr)
    (Path("debates") / "d.toml").unlink()  # deleted in the work tree: HEAD still has it
    assert cruxcli("diff", "d").returncode == 0


def test_new_with_a_bare_name_in_a_repository_writes_to_debates(repo: Path) -> None:
    Path("sub").mkdir()
    result = cruxcli("new", "mine")
    assert result.returncode == 0 and Path("debates/mine.toml").is_file(), result.stderr
    assert cruxcli("show", "mine").returncode == 0


def test_new_outside_a_repository_writes_here(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("new", "mine").exit_code == 0 and (tmp_path / "mine.toml").is_file()


def test_check_and_diff_name_changed_debates_outside_debates(repo: Path) -> None:
    Path("loose.toml").write_text(debate_text(credence("alice", "h", "20%")))
    Path("pyproject.toml").write_text('[project]\nname = "x"\n')  # not a debate: not named
    checked = cruxcli("check")
    assert checked.returncode == 0 and "loose.toml" in checked.stderr
    assert "pyproject" not in checked.stderr and "loose.toml" not in checked.stdout
    assert "outside debates/" in cruxcli("diff").stderr
    git("add", "-A")
    git("commit", "-qm", "loose")
    assert "loose.toml" not in cruxcli("check").stderr  # unchanged since HEAD: nothing to say
