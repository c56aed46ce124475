"""`cruxcli cruxes` as a sheet, and its rows (the JSON document's `rows`, the CSV's records). Pure."""

from __future__ import annotations

from typing import Any

from cruxcli.reports.cruxes import CruxTree
from cruxcli.reports.sheet import Cell, Column, Layout, Sheet, debate_json, resolution_json


def _premises(kind: str, premises: tuple[str, ...]) -> str:
    """What the premises indented under a crux are."""
    if not premises:
        return ""
    return "necessary (≤)" if kind == "necessary" else "chain"


def _rows(t: CruxTree) -> list[dict[str, Any]]:
    d = t.debate
    return [{"crux": r.crux, "depth": r.depth, "is_headline": r.crux == d.headline,
             "question": d.cruxes[r.crux].question, "premises": list(d.cruxes[r.crux].premises),
             "premises_kind": d.cruxes[r.crux].premises_kind, "conditions": r.conditions,
             "n": r.credences, "resolution": resolution_json(r.resolved)} for r in t.rows]


def cruxes_layout(t: CruxTree) -> Layout:
    d = t.debate
    rows = [[Cell("  " * r.depth + r.crux, style="bold" if r.crux == d.headline else None),
             Cell(d.cruxes[r.crux].question),
             Cell(_premises(d.cruxes[r.crux].premises_kind, d.cruxes[r.crux].premises)),
             Cell(str(r.credences)), Cell(", ".join(r.conditions), style="dim"),
             Cell(f"{r.resolved.outcome}\n{r.resolved.when}" if r.resolved else "",
                  style="bold" if r.resolved else None)]
            for r in t.rows]
    resolved = any(r.resolved for r in t.rows)
    title = f"Cruxes of {d.title}" + (f" (as of {t.as_of})" if t.as_of else "")
    sheet = Sheet(title, [Column("crux"), Column("question", ratio=2),
                          Column("premises"), Column("n", "right"),
                          Column("stated given", ratio=1), Column("resolved")], rows,
                  ["the headline first, each crux's premises indented under it; premises: a "
                   "chain (their product is the crux) or necessary conditions (their product "
                   "is only a ceiling); n: credences stated on it"
                   + ("; resolved: the standing outcome, and when" if resolved else "")],
                  section="cruxes",
                  records=lambda: _rows(t))
    return Layout([sheet], lambda: {**debate_json(d), "as_of": str(t.as_of) if t.as_of
                                    else None, "rows": _rows(t)})
