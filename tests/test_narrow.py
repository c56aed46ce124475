"""Narrow terminals lose nothing: at any width from 40 columns, every header, id and word of a
stated credence is in the output whole, and no line is wider than the terminal."""

from __future__ import annotations

from collections import Counter

import pytest
import tomli
from click.testing import CliRunner

from conftest import REPO
from cruxcli.commands.cli import cli

SHIPPED = ["scheming", "power-seeking"]


def draw(width: int, *args: str) -> str:
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def words_of_the_matrix(name: str) -> set[str]:
    """Read from the file itself (not through the code under test): every crux id, every
    participant with a credence, and every word of each credence that is the only statement
    of its series (so certainly the one `show` displays)."""
    doc = tomli.loads((REPO / "debates" / f"{name}.toml").read_text(encoding="utf-8"))
    assert "retraction" not in doc  # else which statements show would need the ids
    logged = doc.get("credence", [])
    series = Counter((c["who"], c["crux"], c.get("given")) for c in logged)
    words = set(doc["cruxes"]) | {c["who"] for c in logged}
    for c in logged:
        if series[(c["who"], c["crux"], c.get("given"))] == 1:
            words.update(str(c["p"]).split())
    return words


@pytest.mark.parametrize("width", [40, 60, 80, 200])
@pytest.mark.parametrize("name", SHIPPED)
def test_show_keeps_every_id_and_word_whole(width: int, name: str) -> None:
    out = draw(width, "show", str(REPO / "debates" / f"{name}.toml"))
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    shown = {w.rstrip("†") for line in lines for w in line.split()}  # † marks a verbal term
    missing = {w for w in words_of_the_matrix(name) if len(w) <= width - 4} - shown
    assert not missing, f"cut or dropped at {width} columns: {sorted(missing)}"


@pytest.mark.parametrize("width", [40, 60, 80, 200])
@pytest.mark.parametrize("args", [["summary"], ["trace", "--no-chart"],
                                  ["summary", "--between", "carlsmith", "superforecasters"]])
def test_every_report_fits_and_keeps_its_headers(width: int, args: list[str]) -> None:
    path = str(REPO / "debates" / "power-seeking.toml")
    out = draw(width, args[0], path, *args[1:])
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    shown = {w for line in lines for w in line.split()}
    for word in ("carlsmith", "superforecasters", "existential-catastrophe", "catastrophe"):
        assert word in shown, (width, word)
