"""Formats are contracts: every report's CSV is one tidy table (checked with the csv module)
and its Markdown renders as GitHub-flavoured tables (checked with markdown-it-py's parser)."""

from __future__ import annotations

import csv
import io

import pytest
from markdown_it import MarkdownIt

from conftest import REPO, credence, debate_text, run

SHIPPED = [REPO / "debates" / "scheming.toml", REPO / "debates" / "power-seeking.toml"]
REPORTS = [["show"], ["summary"], ["summary", "--between", "carlsmith", "superforecasters"],
           ["trace", "--no-chart"], ["trace", "--who", "carlsmith", "--no-chart"]]
HOSTILE = 'x | y <b>z</b> =HYPERLINK("http://e.vil") [l](http://e.vil)\nsecond line'


def cases() -> list[tuple[str, list[str]]]:
    out = []
    for path in SHIPPED:
        for args in REPORTS:
            if "--between" in args or "carlsmith" in args:
                if path.stem != "power-seeking":
                    continue
            out.append((str(path), args))
    return out


@pytest.mark.parametrize("path, args", cases())
def test_csv_is_one_tidy_table(path: str, args: list[str]) -> None:
    text = run(args[0], path, *args[1:], "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["section", "participant", "crux", "given"]
    assert len(set(header)) == len(header) and body
    assert all(len(r) == len(header) for r in body)  # every row as wide as the header
    assert all(r[0] for r in body)  # every row says which section it belongs to
    assert all("\n" not in c and "\r" not in c for r in body for c in r)
    for r in body:
        record = dict(zip(header, r, strict=True))
        if record["section"] in ("matrix", "steps", "movement", "bottom_line", "voi"):
            assert record["participant"] and record["crux"], record
        for name in ("value", "bits", "net_bits", "lowest.value", "pooled"):
            if record.get(name):
                float(record[name])  # each number in its own column, parseable


def md_tables(text: str) -> list[list[list[str]]]:
    """Every table in the rendered Markdown, as rows of cell texts (inline children joined)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables, rows, row = [], None, None
    for tok in tokens:
        if tok.type == "table_open":
            rows = []
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and row is not None:
            row.append("".join(c.content if c.type != "html_inline" else "\n"
                               for c in tok.children or []))
        elif tok.type == "tr_close":
            rows.append(row)
            row = None
        elif tok.type == "table_close":
            tables.append(rows)
    return tables


@pytest.mark.parametrize("path, args", cases())
def test_markdown_renders_as_tables_with_every_cell(path: str, args: list[str]) -> None:
    text = run(args[0], path, *args[1:], "--format", "md").stdout
    tables = md_tables(text)
    assert tables
    for rows in tables:
        assert len({len(r) for r in rows}) == 1  # no row broke out of its table
    assert "\\x0a" not in text


def test_markdown_cells_keep_their_lines_and_hostile_text_stays_text(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%", note=HOSTILE),
                             credence("bob", "h", "40%")))
    text = run("trace", path, "--no-chart", "--format", "md").stdout
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<b>" not in html and 'href="http://e.vil"' not in html
    cells = [c for t in md_tables(text) for r in t for c in r]
    assert any(c.startswith("x | y <b>z</b>") and c.endswith("second line") for c in cells)
    summary = md_tables(run("summary", path, "--format", "md").stdout)[0]
    assert summary[1][1] == "10%\nalice"  # a two-line cell: <br> between its lines


def test_csv_neutralizes_formulas_and_keeps_each_note_on_one_line(write) -> None:
    path = write(debate_text(credence("alice", "h", "10%", note=HOSTILE),
                             credence("alice", "h", "20%", note="@SUM(A1)")))
    rows = list(csv.DictReader(io.StringIO(run("trace", path, "--format", "csv").stdout)))
    notes = [r["note"] for r in rows if r["section"] == "steps"]
    assert notes[0].startswith("x | y") and "\n" not in notes[0]
    assert notes[1] == "'@SUM(A1)"


def test_summary_csv_puts_bits_and_ratio_in_their_own_columns(write) -> None:
    path = write(debate_text(credence("alice", "h", "1%"), credence("bob", "h", "50%")))
    (row,) = [r for r in csv.DictReader(io.StringIO(run("summary", path, "--format",
                                                        "csv").stdout))
              if r["section"] == "divergence"]
    # 1% vs 50%: odds 1:99 vs 1:1, ratio 99, log2(99) = 6.6294 bits
    assert float(row["ratio"]) == pytest.approx(99) and float(row["bits"]) == pytest.approx(
        6.62935662)
    assert (row["lowest.participant"], row["lowest.stated"]) == ("alice", "1%")


def test_every_format_a_command_offers_works(tmp_path) -> None:
    import click

    from cruxcli.commands.cli import cli

    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(debate_text(credence("alice", "h", "10%")))
    new.write_text(debate_text(credence("alice", "h", "10%"), credence("bob", "h", "20%")))
    args = {"show": [str(old)], "summary": [str(old)], "trace": [str(old), "--no-chart"],
            "diff": ["--no-index", str(old), str(new)], "check": [str(old)]}
    for name, rest in args.items():
        option = next(p for p in cli.every_command()[name].params if p.name == "fmt")
        assert isinstance(option.type, click.Choice)
        for choice in option.type.choices:
            assert run(name, *rest, "--format", choice).exit_code == 0, (name, choice)
        assert f"{'/'.join(c for c in option.type.choices if c not in ('table', 'text'))}" in \
            run(name, "--help").output or name == "check"


def test_score_csv_spreads_each_nested_credence_over_its_own_columns(write) -> None:
    # alice said 30% on h given a, then a resolved yes, then she said 28% on h
    path = write(debate_text(credence("alice", "h", "30%", given="a"),
                             credence("alice", "a", "50%"),
                             credence("alice", "h", "28%", at="2025-02-01")))
    assert run("resolve", path, "a", "yes", "--at", "2025-01-01").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run("score", path, "--format", "csv").stdout)))
    (update,) = [r for r in rows if r["section"] == "updates"]
    assert (update["said.stated"], update["said.value"]) == ("30%", "0.3")
    assert (update["then.stated"], update["then.at"]) == ("28%", "2025-02-01")
    assert update["prior"] == ""  # no P(h) before the resolution: empty, not a column per field
    assert not any(c.startswith(("{", "['", "[{")) for r in rows for c in r.values())  # no reprs
