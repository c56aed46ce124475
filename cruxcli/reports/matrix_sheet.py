"""`cruxcli show` as a sheet and a JSON document. Pure."""

from __future__ import annotations

from typing import Any

from cruxcli.core.model import Entry
from cruxcli.reports.commitments_sheet import sealed_counts, sealed_note
from cruxcli.reports.matrix import Matrix
from cruxcli.reports.sheet import (
    EMPTY,
    RECALLED_NOTE,
    Cell,
    Column,
    Layout,
    Sheet,
    credence_cell,
    credence_json,
    debate_json,
    empty,
    key,
    resolution_json,
    row_label,
    verbal,
    verbal_note,
)


def matrix_layout(m: Matrix) -> Layout:
    d = m.debate
    title = d.title + (f" (as of {m.as_of})" if m.as_of else "")
    if not m.participants:
        nothing = empty(title, m.as_of)
        if waiting := _sealed(m):
            nothing = nothing._replace(notes=[*nothing.notes, sealed_note(waiting)])
        return Layout([nothing], lambda: matrix_json(m))
    shared: dict[int, Cell] = {}  # credences are shared objects: one cell for each

    def cell(e: Entry) -> Cell:
        if e.recalled:  # said later about an earlier time: the cell says when it is about
            c = credence_cell(e)
            return c._replace(text=f"{c.text}\n(about {e.about})")
        if (got := shared.get(id(e.credence))) is None:
            got = shared[id(e.credence)] = credence_cell(e)
        return got

    column = {who: i for i, who in enumerate(m.participants, start=1)}
    rows = []
    for r in m.rows:  # most cells of a big matrix are empty: fill only the others
        row = [EMPTY] * (len(m.participants) + 1)
        settled = m.resolved.get(r.crux) if r.given is None else None
        row[0] = Cell(row_label(r.crux, r.given, r.depth) +
                      (f"\n  resolved {settled.outcome} {settled.when}" if settled else ""),
                      style="bold" if r.crux == d.headline else None)
        for who, e in r.cells.items():
            row[column[who]] = cell(e)
        rows.append(row)
    notes = ["no credences yet: " + ", ".join(m.silent)] if m.silent else []
    shown = [e for r in m.rows for e in r.cells.values()]
    if any(verbal(e) for e in shown):
        notes.append(verbal_note(shown) + "; its colour is that value")
    if any(e.recalled for e in shown):
        notes.append("(about ...): " + RECALLED_NOTE)
    if waiting := _sealed(m):
        notes.append(sealed_note(waiting))
    sheet = Sheet(
        title=title,
        columns=[Column("crux")] + [Column(who, "right") for who in m.participants],
        rows=rows,
        notes=notes,
        key=key(d, m.participants, list(dict.fromkeys(r.crux for r in m.rows))),
        legend=True,
        sticky=1,
        section="matrix",
        records=lambda: [{"crux": row["crux"], "given": row["given"],
                          "resolution": row["resolution"], **cell}
                         for row in _rows(m) for cell in row["cells"]],
    )
    return Layout([sheet], lambda: matrix_json(m))


def _rows(m: Matrix) -> list[dict[str, Any]]:
    """The matrix's rows, each with its cells (one per participant who has a credence there):
    the JSON document's `rows`, and, a record per cell, the CSV's."""
    waiting = _sealed(m)
    return [{"crux": r.crux, "given": str(r.given) if r.given else None, "depth": r.depth,
             "resolution": resolution_json(m.resolved.get(r.crux)) if r.given is None else None,
             "sealed": waiting.get(r.crux, 0) if r.given is None else 0,
             "cells": [{"participant": who, **credence_json(e)} for who, e in r.cells.items()]}
            for r in m.rows]


def _sealed(m: Matrix) -> dict[str, int]:
    return sealed_counts(m.debate, m.as_of)


def matrix_json(m: Matrix) -> dict[str, Any]:
    return {**debate_json(m.debate), "as_of": str(m.as_of) if m.as_of else None,
            "rows": _rows(m)}
