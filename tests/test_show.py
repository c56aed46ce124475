"""`cruxcli show`: the credence matrix, in every format, with hostile text kept inert."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import REPO, credence, debate_text, run

ENTRIES = [
    credence("alice", "h", "10%", at="2023"),
    credence("alice", "h", "<1%", at="2024-05"),
    credence("bob", "a", "very unlikely"),
    credence("bob", "h", "30%", given="a"),
    credence("bob", "b", "lower"),
]


@pytest.fixture
def debate(write) -> Path:
    return write(debate_text(*ENTRIES))


def test_cells_are_the_latest_stated_form(debate: Path) -> None:
    doc = json.loads(run("show", debate, "--format", "json").stdout)
    rows = {(r["crux"], r["given"]): {c["participant"]: c for c in r["cells"]}
            for r in doc["rows"]}
    assert rows[("h", None)]["alice"]["stated"] == "<1%"
    assert rows[("h", None)]["alice"]["form"] == "upper"
    assert "bob" not in rows[("h", None)]  # blank where never stated
    assert rows[("h", "a")]["bob"]["stated"] == "30%"
    assert rows[("b", None)]["bob"]["direction"] == "lower"
    assert rows[("b", None)]["bob"]["value"] is None


def test_headline_first_with_premises_indented(debate: Path) -> None:
    doc = json.loads(run("show", debate, "--format", "json").stdout)
    assert [(r["crux"], r["depth"]) for r in doc["rows"]] == [
        ("h", 0), ("h", 0), ("a", 1), ("b", 1)]
    table = run("show", debate).stdout
    assert table.index(" h ") < table.index("   a ") < table.index("   b ")


def test_table_fits_80_columns_and_has_no_colour_in_a_pipe(debate: Path) -> None:
    out = run("show", debate).stdout
    assert "\x1b" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "<1%" in out and "very unlikely" in out and "h | a" in out


@pytest.mark.parametrize("name", ["scheming", "power-seeking"])
def test_wide_matrices_split_into_groups_that_show_every_column_whole(name: str) -> None:
    from cruxcli.files import reading

    out = run("show", REPO / "debates" / f"{name}.toml").stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    headers = [line.split() for line in out.splitlines() if line.startswith(" crux ")]
    shown = [word for line in headers for word in line[1:]]
    speakers = {e.who for e in reading.load(REPO / "debates" / f"{name}.toml").entries}
    assert sorted(shown) == sorted(speakers)  # each participant whole, exactly once


def test_as_of_shows_the_past(debate: Path) -> None:
    doc = json.loads(run("show", debate, "--as-of", "2023-12-31", "--format", "json").stdout)
    cells = {c["participant"]: c for c in doc["rows"][0]["cells"]}
    assert cells["alice"]["stated"] == "10%" and doc["as_of"] == "2023-12-31"


def test_csv_and_markdown(debate: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("show", debate, "--format", "csv").stdout)))
    assert (rows[0]["section"], rows[0]["crux"], rows[0]["given"], rows[0]["participant"],
            rows[0]["stated"], rows[0]["value"]) == ("matrix", "h", "", "alice", "<1%", "0.01")
    assert {(r["crux"], r["given"], r["participant"]) for r in rows} >= {("h", "a", "bob")}
    md = run("show", debate, "--format", "md").stdout
    assert "| crux | alice | bob |" in md and "\\<1%" in md


def test_a_bare_name_is_found_in_debates(tmp_path: Path, monkeypatch, debate: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "debates").mkdir()
    (tmp_path / "debates" / "mine.toml").write_bytes(debate.read_bytes())
    assert run("show", "mine").exit_code == 0
    missing = run("show", "mien")
    assert missing.exit_code == 2 and 'did you mean "mine"' in missing.output


def test_a_directory_is_not_a_debate(tmp_path: Path) -> None:
    result = run("show", tmp_path)
    assert result.exit_code == 1 and "is a directory" in result.output


HOSTILE = [
    "[bold red]x[/]",
    "\x1b]0;pwned\x07",
    "[/x]",
    "\x1b[2J\x1b[31mred",
    "\u202eevil",
    "\x9b31m",  # C1 CSI
]


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_hostile_text_is_shown_literally_and_safely(write, fmt: str) -> None:
    text = debate_text(credence("alice", "h", "2%"))
    header_names = "".join(
        f'\n[participants.p{i}]\nname = {json.dumps(bad)}\n' for i, bad in enumerate(HOSTILE))
    text = text.replace("[cruxes.h]", header_names + "\n[cruxes.h]")
    text = text.replace('title = "Test debate"', 'title = "[/x] \\u001b]8;;http://evil\\u0007"')
    text += "".join(credence(f"p{i}", "h", "3%") for i in range(len(HOSTILE)))
    result = run("show", write(text), "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for ch in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert ch not in out
    if fmt == "table":
        assert "[bold red]x[/]" in out  # markup shown literally, not applied
        assert "\\x1b]0;pwned\\x07" in out


def test_json_keeps_text_exact(write) -> None:
    text = debate_text(credence("alice", "h", "2%", note="\x1b[31m [b]x[/b]"))
    doc = json.loads(run("show", write(text), "--format", "json").stdout)
    assert doc["rows"][0]["cells"][0]["participant"] == "alice"
    assert doc["rows"][0]["cells"][0]["note"] == "\x1b[31m [b]x[/b]"


@pytest.mark.parametrize("report", ["show", "summary"])
def test_an_empty_debate_says_that_it_is_empty(write, report: str) -> None:
    out = run(report, write(debate_text()))
    assert out.exit_code == 0 and "this debate has no credences yet" in out.output


def test_cruxes_lists_the_tree_with_counts_and_conditions(debate: Path) -> None:
    doc = json.loads(run("cruxes", debate, "--format", "json").stdout)
    rows = {r["crux"]: r for r in doc["rows"]}
    assert [r["crux"] for r in doc["rows"]] == ["h", "a", "b"]  # the headline, its premises
    assert (rows["h"]["depth"], rows["a"]["depth"], rows["h"]["is_headline"]) == (0, 1, True)
    assert rows["h"]["premises"] == ["a", "b"] and rows["h"]["premises_kind"] == "chain"
    assert {c: r["n"] for c, r in rows.items()} == {"h": 3, "a": 1, "b": 1}  # by hand
    assert rows["h"]["conditions"] == ["a"] and rows["a"]["conditions"] == []
    table = run("cruxes", debate).output
    assert "  a " in table and "chain" in table


def test_the_verbal_footnote_names_the_terms_the_table_holds(write) -> None:
    path = write(debate_text(credence("alice", "h", "likely"), credence("bob", "h", "10%")))
    for args in (["show", path], ["summary", path], ["trace", path, "--no-chart"]):
        out = " ".join(run(*args).output.split())
        assert 'rests on a verbal term ("likely")' in out, args
        assert "very unlikely" not in out


def test_show_says_which_cruxes_resolved_and_how(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%"), credence("alice", "a", "30%"))
                 + '\n[[resolution]]\ncrux = "a"\noutcome = "no"\nat = 2024-06-01\n')
    rows = {r["crux"]: r for r in json.loads(run("show", path, "--format", "json").stdout)["rows"]}
    assert rows["a"]["resolution"]["outcome"] == "no" and rows["h"]["resolution"] is None
    assert "resolved no 2024-06-01" in run("show", path).output
    assert "resolved no 2024-06-01" in run("show", path, "--format", "md").output
    assert rows["a"]["resolution"]["at"] == "2024-06-01"
    before = json.loads(run("show", path, "--as-of", "2024-05", "--format", "json").stdout)
    assert all(r["resolution"] is None for r in before["rows"])  # not yet resolved then
    tree = {r["crux"]: r["resolution"] for r in
            json.loads(run("cruxes", path, "--format", "json").stdout)["rows"]}
    assert tree["a"]["outcome"] == "no" and tree["h"] is None  # the crux tree says it too
    assert "2024-06-01" in run("cruxes", path).output
    earlier = json.loads(run("cruxes", path, "--as-of", "2024-05", "--format", "json").stdout)
    assert all(r["resolution"] is None for r in earlier["rows"])


def test_a_recollection_is_marked_in_its_cell(write) -> None:
    path = write(debate_text(credence("bob", "h", "~2%", at="2026", about="2024")))
    out = run("show", path).output
    assert "~2%" in out and "(about 2024)" in out and "(about ...): recalled:" in out
    md = run("show", path, "--format", "md").output
    assert "(about 2024)" in md
