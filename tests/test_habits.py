"""The habits people bring from other tools: case they do not think about, everyday phrases,
pipes, short ids, completion and a pager."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import credence, debate_text, run


def test_an_outcome_in_any_case_is_the_outcome(write) -> None:
    path = write(debate_text(credence("alice", "a", "30%")))
    assert run("resolve", path, "a", "Yes", "--at", "2024-06-01").exit_code == 0
    assert 'outcome = "yes"' in path.read_text()


def test_import_reads_standard_input(tmp_path: Path, write) -> None:
    exported = run("export", write(debate_text(credence("alice", "h", "30%")))).stdout
    result = run("import", "csv", "-", "-o", tmp_path / "copy.toml", input=exported)
    assert result.exit_code == 0, result.output
    doc = json.loads(run("show", tmp_path / "copy.toml", "--format", "json").stdout)
    assert [c["stated"] for r in doc["rows"] for c in r["cells"]] == ["30%"]


def test_short_ids_are_the_shortest_unique_prefixes_of_at_least_seven() -> None:
    from cruxcli.core.ids import shortest_unique

    short = shortest_unique(["abcdef1234", "abcdef1299", "0123456789"])
    assert short == {"abcdef1234": "abcdef123", "abcdef1299": "abcdef129",
                     "0123456789": "0123456"}
    # three sharing seven characters, two of them eight: each is as long as its closest needs
    short = shortest_unique(["aaaaaaa111", "aaaaaaa122", "aaaaaaa2ff", "aaaaaab000"])
    assert short == {"aaaaaaa111": "aaaaaaa11", "aaaaaaa122": "aaaaaaa12",
                     "aaaaaaa2ff": "aaaaaaa2", "aaaaaab000": "aaaaaab"}


def test_any_unique_prefix_of_four_names_an_id_and_an_ambiguous_one_lists_them() -> None:
    import pytest

    from cruxcli.core.ids import IdError, find

    known = ["abcd123456", "abcd999999", "ffff000000"]
    assert find("ffff", known) == "ffff000000" and find("abcd1", known) == "abcd123456"
    with pytest.raises(IdError, match="ambiguous.*abcd123456, abcd999999"):
        find("abcd", known)
    with pytest.raises(IdError, match="at least 4"):
        find("ff", known)


def test_trace_shows_each_statements_id_and_retract_takes_its_prefix(write) -> None:
    path = write(debate_text(credence("alice", "h", "30%"), credence("alice", "h", "20%",
                                                                     at="2024-02-01")))
    ident = json.loads(run("trace", path, "--format", "json").stdout)["lines"][0]["steps"][1]["id"]
    assert ident[:7] in run("trace", path, "--no-chart").output
    result = run("retract", path, ident[:5], "--why", "typo")
    assert result.exit_code == 0 and f'id = "{ident}"' in path.read_text()  # the full id


def _on_a_terminal(args: list[str], env: dict[str, str] | None = None, keys: bytes = b"") -> str:
    """Run cruxcli on a pseudo-terminal (stdin and stdout), typing `keys` (answers separated
    by |, one at a time as a person types); what it showed."""
    import os
    import pty
    import subprocess
    import sys
    import time

    from conftest import REPO

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "cruxcli", *args], stdin=follower,
                            stdout=follower, stderr=follower,
                            env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1",
                                 "TERM": "xterm", **(env or {})})
    os.close(follower)
    for key in keys.split(b"|") if keys else []:
        time.sleep(0.4)
        os.write(leader, key)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(leader)
    return seen.decode("utf-8", "replace")


def test_long_output_on_a_terminal_goes_through_the_pager(tmp_path: Path, write) -> None:
    path = write(debate_text(credence("alice", "h", "30%")))
    paged = tmp_path / "paged.txt"
    env = {"CRUXCLI_PAGER": f"cat > {paged}", "NO_COLOR": "1"}
    shown = _on_a_terminal(["show", str(path)], env)
    assert "alice" in paged.read_text() and "alice" not in shown  # the pager had it all
    paged.unlink()
    assert "alice" in _on_a_terminal(["--no-pager", "show", str(path)], env)
    assert not paged.exists()
    assert "alice" in _on_a_terminal(["show", str(path)], {**env, "CRUXCLI_PAGER": "cat"})
    assert not paged.exists()  # "cat": no pager
    for missing in ("no-such-pager-here -R", 'less "unbalanced'):  # shown, not lost
        assert "alice" in _on_a_terminal(["show", str(path)], {"CRUXCLI_PAGER": missing})
    result = run("show", path)  # not a terminal: never paged
    assert "alice" in result.output and not paged.exists()


def completions(args: list[str], incomplete: str) -> list[str]:
    from click.shell_completion import ShellComplete

    from cruxcli.commands.cli import cli

    return [c.value for c in ShellComplete(cli, {}, "cruxcli", "_C").get_completions(
        args, incomplete)]


def test_completion_offers_commands_debates_ids_and_formats(repo: Path) -> None:
    assert "summary" in completions([], "su")
    assert completions(["show"], "") == ["d"]  # debates/d.toml, by its bare name
    assert completions(["trace", "d", "--who"], "al") == ["alice"]
    assert completions(["summary", "d", "--between"], "b") == ["bob"]
    assert completions(["log", "d"], "") == ["alice", "bob"]  # WHO first
    assert completions(["log", "d", "alice"], "") == ["h", "a", "b"]  # then CRUX
    assert "not a" in completions(["log", "d", "--given"], "not")
    assert completions(["show", "d", "--format"], "") == ["table", "json", "csv", "md"]
    assert completions(["trace", "nosuch", "--who"], "") == []  # never an error


def test_completion_prints_a_script_for_each_shell() -> None:
    for shell, marker in (("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete")):
        result = run("completion", shell)
        assert result.exit_code == 0 and marker in result.output and "_CRUXCLI_COMPLETE" in \
            result.output


def test_log_asks_like_hledger_add_with_completion_typos_and_defaults(write) -> None:
    import tomli

    path = write(debate_text(credence("alice", "a", "30%", source="https://a.example")))
    shown = _on_a_terminal(["log", str(path), "--at", "2024-02-01"],
                           keys=b"ali\t\r|\r|maybe\r|25%\r|\r")  # Tab completes; Enter takes defaults
    entry = tomli.loads(path.read_text())["credence"][-1]
    assert (entry["who"], entry["crux"], entry["p"], entry["source"]) == \
        ("alice", "a", "25%", "https://a.example"), shown  # crux and source: her last entry's
    assert '"maybe" is not a credence' in shown and "(now 30%)" in shown


def test_a_typo_gets_a_did_you_mean_and_is_asked_again(write) -> None:
    path = write(debate_text())
    shown = _on_a_terminal(["log", str(path), "10%", "--at", "2024-01-01"],
                           keys=b"alcie\r|alice\r|h\r|\r")
    assert 'no participant "alcie" (did you mean "alice"?)' in shown
    assert "alice · h: 10%" in shown
