"""Rendering: big reports take the fast layout, which must keep every guarantee of the Rich one:
text inert, nothing lost, 80 columns, colour only when the console allows it."""

from __future__ import annotations

import io
import re

import pytest
import tomli
from rich.console import Console

from conftest import credence, debate_text
from cruxcli.core.checks import build
from cruxcli.output import tables
from cruxcli.reports.matrix import matrix
from cruxcli.reports.matrix_sheet import matrix_layout
from cruxcli.reports.sheet import Cell, Column, Layout, Sheet, pct


def big_matrix() -> Layout:
    """60 participants x 3 cruxes: more cells than tables.FAST_CELLS once a key is counted."""
    people = "".join(f'\n[participants.person-{i}]\nname = "Person {i}"\n' for i in range(60))
    header = debate_text().replace("[cruxes.h]", people + "\n[cruxes.h]")
    entries = [credence(f"person-{i}", crux, f"{i + 1}%") for i in range(60) for crux in "hab"]
    report = matrix_layout(matrix(build(tomli.loads(header + "".join(entries)))))
    sheet = report.sheets[0]
    return Layout([sheet._replace(rows=sheet.rows * 12)], report.data)  # 36 rows x 61 columns


def printed(report: Layout, **console: object) -> str:
    out = io.StringIO()
    tables.print_layout(report, Console(file=out, width=80, **console))  # type: ignore[arg-type]
    return out.getvalue()


def test_a_big_report_uses_the_fast_layout_and_fits() -> None:
    report = big_matrix()
    assert sum(len(s.rows) * len(s.columns) for s in report.sheets) > tables.FAST_CELLS
    text = printed(report)
    assert max(len(line) for line in text.splitlines()) <= 80
    headers = [w for line in text.splitlines() if line.startswith("crux ") for w in line.split()]
    assert sorted(h for h in headers if h != "crux") == sorted(f"person-{i}" for i in range(60))
    assert "\x1b" not in text


COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7])[;m]")  # a foreground colour


def test_colour_only_when_the_console_has_colour() -> None:
    report = big_matrix()
    assert COLOUR.search(printed(report, force_terminal=True, color_system="truecolor"))
    plain = printed(report, force_terminal=True, no_color=True)  # NO_COLOR: bold may stay
    assert not COLOUR.search(plain)


def test_fast_cells_wrap_and_never_lose_words() -> None:
    long = "a long note that will not fit in a narrow column at all"
    sheet = Sheet("t", [Column("id"), Column("note")], [[Cell("x"), Cell(long)]])
    text = tables.fast_table(sheet, 24, None)
    assert max(len(line) for line in text.splitlines()) <= 24
    assert text.split() == ["id", "note", "─" * len(text.splitlines()[1])] + ["x"] + long.split()


def test_a_folded_cell_and_a_cell_of_two_lines_in_one_fast_table() -> None:
    """12 columns: "id" keeps its 2, the note column gets the 7 left after the gap, and its
    one long cell folds at a space while the other rows keep their lines."""
    sheet = Sheet("t", [Column("id"), Column("note")],
                  [[Cell("x"), Cell("aaa bbb ccc ddd")], [Cell("y\nz"), Cell("e")]])
    assert tables.fast_table(sheet, 12, None).splitlines() == [
        "id   note", "─" * 12, "x    aaa bbb", "     ccc ddd", "y    e", "z"]


def test_fast_layout_shows_hostile_text_inert() -> None:
    sheet = Sheet("t", [Column("who")], [[Cell("[bold]x[/] \x1b]0;pwned\x07 \u202e")]])
    text = tables.fast_table(sheet, 80, "truecolor")
    assert "[bold]x[/]" in text and "\\x1b]0;pwned\\x07" in text
    assert "\x07" not in text and "\u202e" not in text


def test_wide_text_is_measured_in_cells() -> None:
    sheet = Sheet("t", [Column("a"), Column("b", "right")], [[Cell("日本語"), Cell("1%")]])
    lines = tables.fast_table(sheet, 80, None).splitlines()
    assert lines[2].endswith("1%") and lines[2].startswith("日本語")


def test_the_colour_legend_comes_with_colour_in_either_layout() -> None:
    small = matrix_layout(matrix(build(tomli.loads(debate_text(credence("alice", "h", "2%"))))))
    for report in (small, big_matrix()):
        assert "20-50%" in printed(report, force_terminal=True, color_system="truecolor")
        assert "20-50%" not in printed(report)  # no colour, no legend


def test_the_characters_laid_out_without_measuring_are_one_cell_wide() -> None:
    """Text of ASCII and tables.ONE_CELL is laid out as if a character were a cell: Rich
    (which measures the rest) must agree about every one of them."""
    from rich.cells import cell_len

    chars = [chr(c) for c in range(0x80, 0x2200) if re.fullmatch(f"[{tables.ONE_CELL}]", chr(c))]
    assert len(chars) == 0x17f - 0xa1 + (0x2028 - 0x2010) + (0x205f - 0x2030) + (0x2200 - 0x2190)
    assert all(c.isprintable() and cell_len(c) == 1 for c in chars)


def test_rows_of_several_lines_line_up_cell_by_cell() -> None:
    """Cells of one, two and three lines in one table: each row as tall as its tallest
    cell, each line padded to its column (the crux left, the numbers right)."""
    sheet = Sheet("t", [Column("crux"), Column("p", "right"), Column("note")],
                  [[Cell("c1\n  resolved"), Cell("5%"), Cell("a")],
                   [Cell("c2"), Cell("10%\nthen 20%"), Cell("b\nc\nd")],
                   [Cell("c3"), Cell("1%"), Cell("")]])
    assert tables.GAP == 3
    assert tables.fast_table(sheet, 80, None).splitlines() == [
        "crux" + " " * 16 + "p   note",
        "─" * 28,
        "c1" + " " * 17 + "5%   a",
        "  resolved",
        "c2" + " " * 16 + "10%   b",
        " " * 13 + "then 20%   c",
        " " * 24 + "d",
        "c3" + " " * 17 + "1%",
    ]


def test_rows_all_two_lines_tall_pad_the_one_line_cells_below() -> None:
    sheet = Sheet("t", [Column("crux"), Column("p", "right")],
                  [[Cell("a\nn = 2"), Cell("5%")], [Cell("bb\nn = 3"), Cell("10%")]])
    assert tables.fast_table(sheet, 80, None).splitlines() == [
        "crux      p", "─" * 11, "a        5%", "n = 2", "bb      10%", "n = 3"]


@pytest.mark.parametrize(("p", "shown"), [
    (0.0021, "0.21%"), (0.051, "5.1%"), (0.25, "25%"), (0.997, "99.7%"), (0.5, "50%"),
    (0.01, "1%"), (0.1, "10%"), (0.9, "90%"), (0.99, "99%"), (0.0999, "10%"),
    (0.00999, "1%"), (0.0, "0%"), (1.0, "100%"), (1e-6, "0.0001%"), (0.123456, "12%")])
def test_a_probability_shows_two_significant_digits_of_its_distance_from_the_edges(
        p: float, shown: str) -> None:
    assert pct(p) == shown
