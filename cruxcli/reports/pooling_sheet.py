"""`summary`'s aggregation panel: each crux's credences pooled by every method of
core/pooling.py side by side, and how far apart the methods land, in bits. Pure."""

from __future__ import annotations

from itertools import chain
from operator import attrgetter
from typing import Any

from cruxcli.core.pooling import METHODS, panel
from cruxcli.reports.sheet import VERBAL, Cell, Column, Sheet, num, pct, verbal_note
from cruxcli.reports.summary import Summary

SHORT = {"geo_mean_odds": "geo odds", "mean": "mean", "median": "median",
         "geo_mean": "geo mean", "trimmed_mean": "trimmed", "extremized": "extremized"}


def rows(s: Summary) -> list[dict[str, Any]]:
    """Per crux with two or more numbers: n, each method's pool (by its key), the panel's
    spread in bits, and whether a bound or a verbal term went in."""
    out = []
    for sp in s.spreads:
        if len(sp.held) < 2:
            continue
        p = panel(sp.values, sp.pooled)
        out.append({"crux": sp.crux, "n": p.n, **p.pools, "bits": p.spread_bits,
                    "rests_on_bound": sp.bounded, "rests_on_verbal": sp.verbal})
    return out


def pooling_sheet(s: Summary, verbal: str) -> Sheet | None:
    """The panel; `verbal` is the spreads' † note (spreads_verbal_note), or "" if none."""
    records = rows(s)
    if not records:
        return None
    table, keys = [], [m.key for m in METHODS]
    for r in records:
        mark = ("*" if r["rests_on_bound"] else "") + VERBAL * r["rests_on_verbal"]
        pools = [r[k] for k in keys]
        table.append([Cell(f"{r['crux']}\nn = {r['n']}",
                           style="bold" if r["crux"] == s.debate.headline else None),
                      *[Cell(pct(p) + mark, p) if p is not None else Cell("undefined")
                        for p in pools],
                      Cell(num(r["bits"]))])
    notes = ["bits: log2 of the odds ratio between the highest and the lowest pool: how much "
             "the method matters here (0: not at all)"]
    notes += [f"{m.name}: {m.assumes}" for m in METHODS]
    if any(r["rests_on_bound"] for r in records):
        notes.append("*: a bound such as <1% went in, at its bound")
    if verbal:
        notes.append(verbal)
    return Sheet("How the pooled view depends on the method", [Column("crux")] +
                 [Column(SHORT[m.key], "right") for m in METHODS] + [Column("bits", "right")],
                 table, notes, legend=True, section="pooling", records=records)


def spreads_verbal_note(s: Summary) -> str:
    """The † note of the sheets of spreads and pools: the verbal terms among the credences of
    every crux that two or more people hold a number on."""
    held = chain.from_iterable(sp.held for sp in s.spreads if len(sp.held) > 1 and sp.verbal)
    return verbal_note(map(attrgetter("entry"), held))
