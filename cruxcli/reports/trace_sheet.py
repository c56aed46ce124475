"""`cruxcli trace` as sheets and a JSON document (keys documented in docs/trace.md). Pure."""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from typing import Any

from cruxcli.core import ids
from cruxcli.core.commitments import Kept
from cruxcli.core.model import Debate, Entry
from cruxcli.reports.commitments_sheet import (
    pledge_records,
    pledges_as_of,
    pledges_sheet,
    sealed_counts,
    sealed_note,
)
from cruxcli.reports.sheet import (
    RECALLED_NOTE,
    VERBAL,
    Cell,
    Column,
    Layout,
    Sheet,
    credence_cell,
    debate_json,
    key,
    num,
    verbal,
    verbal_note,
    when_text,
)
from cruxcli.reports.trace import Line, Step, Trace

ARROW = {-1: "↓", 1: "↑"}


def _move(step: Step) -> tuple[Cell, Cell]:
    c = step.entry.credence
    if c.kind == "direction":
        return Cell(ARROW[c.direction], style="direction"), Cell("")
    if step.bits is None:
        return Cell("first" if step.since is None else ""), Cell("")
    mark = VERBAL * verbal(step.entry, step.since)
    return Cell(num(step.pp, "+.1f") + mark), Cell(num(step.bits, "+.1f") + mark)


def _total(ln: Line, mark: str) -> Cell:
    """A series' total movement in bits, once it has two numbers to move between; before
    that, its direction-only updates as arrows (never a 0.0 that reads "did not move")."""
    if len(ln.numeric) >= 2:
        return Cell(num(ln.total_bits) + mark)
    arrows = "".join(ARROW[s.entry.credence.direction] for s in ln.steps
                     if s.entry.credence.kind == "direction")
    return Cell(arrows, style="direction") if arrows else Cell("")


def movement_sheet(t: Trace) -> Sheet:
    rows = []
    for ln in t.lines:
        nums = ln.numeric
        mark = VERBAL * verbal(*nums)
        rows.append([Cell(ln.label), Cell(str(len(ln.steps))),
                     credence_cell(nums[0] if nums else None),
                     credence_cell(ln.steps[-1].entry),
                     Cell(num(ln.net_bits, "+.1f") + mark if ln.net_bits is not None else ""),
                     _total(ln, mark)])
    window = "".join([f" since {t.since}" if t.since else "", f" until {t.until}" if t.until else ""])
    notes = ["n: statements; net: first to last number, in bits; total: the sum of every move's "
             "size in bits, once there are two numbers (before that, ↓ ↑: directions only)"]
    entries = [s.entry for ln in t.lines for s in ln.steps]
    if any(verbal(e) for e in entries):
        notes.append(verbal_note(entries))
    if any(e.recalled for e in entries):
        notes.append("(about ...): " + RECALLED_NOTE)
    if not rows:
        notes = ["no credences on " + ", ".join(t.cruxes) + (window or "")]
    waiting = {c: n for c, n in sealed_counts(t.debate, t.until).items() if c in t.cruxes}
    if waiting:
        notes.append(sealed_note(waiting))
    return Sheet(f"How credences moved on {', '.join(t.cruxes)}{window}",
                 [Column("participant · crux", ratio=1), Column("n", "right"),
                  Column("first", "right"), Column("latest", "right"), Column("net", "right"),
                  Column("total", "right")], rows, notes, legend=True, section="movement",
                 records=lambda: [_line(ln) for ln in t.lines])


def line_sheet(ln: Line, short: dict[str, str]) -> Sheet:
    """One series, a row per statement, with its short id (for `retract`)."""
    rows = []
    for step in ln.steps:
        e = step.entry
        pp, mv = _move(step)
        rows.append([Cell(when_text(e), style="direction" if e.recalled else None),
                     credence_cell(e), pp, mv, Cell(short[e.id], style="dim"),
                     Cell(e.note or e.source or "", style="dim")])
    return Sheet(ln.label, [Column("at"), Column("stated", "right"), Column("pp", "right"),
                            Column("bits", "right"), Column("id"),
                            Column("note / source", ratio=1)], rows,
                 section="steps", records=lambda: [{**_series(ln), **_step(s)}
                                                   for s in ln.steps])


def spread_sheets(t: Trace) -> list[Sheet]:
    sheets = []
    for crux in t.cruxes:
        points = t.spread.get(crux, [])
        if not points:
            continue
        rows = [[Cell(p.entry.when.text), Cell(f"{p.entry.who}: {p.entry.credence.text}"),
                 Cell(str(p.n)), Cell(f"{p.low.credence.text}\n{p.low.who}", p.low.credence.value),
                 Cell(f"{p.high.credence.text}\n{p.high.who}", p.high.credence.value),
                 Cell(num(p.bits))] for p in points]
        trend, pair = t.trend(crux), t.compared(crux)
        if pair is not None:
            notes = [f"from {num(pair[0].bits)} bits ({pair[0].entry.when}) to "
                     f"{num(pair[1].bits)} bits, among the same {pair[1].n} participants: {trend}"]
        else:
            notes = ["one measurement so far" if len(points) < 2 else
                     f"the spread now covers {points[-1].n} participants, measured once so: "
                     "no trend yet"]
        sheets.append(Sheet(f"Spread on {crux} over time (everyone's latest numbers)",
                            [Column("after"), Column("update", ratio=1), Column("n", "right"),
                             Column("lowest", "right"), Column("highest", "right"),
                             Column("bits", "right")], rows, notes, section="spread",
                            records=partial(_spread_points, t, crux)))
    return sheets


def retracted_sheet(debate: Debate, cruxes: Collection[str]) -> Sheet | None:
    """Credences on `cruxes` that were taken back: struck through, with the reason."""
    gone = _retracted(debate, cruxes)
    if not gone:
        return None
    rows = [[Cell(e.label), Cell(e.credence.text, style="struck"), Cell(e.when.text),
             Cell(f"{r.when}: {r.why}", style="dim")] for e, r in gone]
    return Sheet("Retracted: left out of every figure", [
        Column("participant · crux"), Column("stated", "right"), Column("at"),
        Column("retracted", ratio=1)], rows, section="retracted",
        records=lambda: _retractions(debate, cruxes))


def _retracted(debate: Debate, cruxes: Collection[str]) -> list[tuple[Entry, Any]]:
    return [(e, r) for e, r in debate.withdrawn if isinstance(e, Entry) and e.crux in cruxes]


def trace_layout(t: Trace) -> Layout:
    short = ids.short_ids(t.debate)
    sheets = [movement_sheet(t)] + [line_sheet(ln, short) for ln in t.lines] + spread_sheets(t)
    if gone := retracted_sheet(t.debate, t.cruxes):
        sheets.append(gone)
    if pledged := pledges_sheet(_pledges(t), "Pledged updates on " + ", ".join(t.cruxes)):
        sheets.append(pledged)
    sheets[-1] = sheets[-1]._replace(key=key(t.debate, [], t.cruxes))
    return Layout(sheets, lambda: trace_json(t))


# The report's rows: the JSON document's lists and, the same dicts, the CSV's records.
# Keys: docs/keys.md.

def _entry_json(e: Entry | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {"participant": e.who, "stated": e.credence.text, "value": e.credence.value,
            "at": e.when.text}


def _series(ln: Line) -> dict[str, Any]:
    return {"participant": ln.who, "crux": ln.crux, "given": str(ln.given) if ln.given else None}


def _step(s: Step) -> dict[str, Any]:
    e = s.entry
    return {"at": e.when.text, "stated": e.credence.text, "value": e.credence.value,
            "form": e.credence.kind,
            "direction": {-1: "lower", 1: "higher"}.get(e.credence.direction),
            "pp": s.pp, "bits": s.bits, "since": _entry_json(s.since),
            "about": e.about.text if e.about else None, "verbal": verbal(e, s.since),
            "note": e.note, "source": e.source, "quote": e.quote, "position": e.position,
            "id": e.id}


def _line(ln: Line) -> dict[str, Any]:
    nums = ln.numeric
    return {**_series(ln), "statements": len(ln.steps), "updates": ln.updates,
            "first": _entry_json(nums[0] if nums else None),
            "latest": _entry_json(ln.steps[-1].entry), "net_bits": ln.net_bits,
            "total_bits": ln.total_bits, "rests_on_verbal": verbal(*nums),
            "steps": [_step(s) for s in ln.steps]}


def _point(p: Any) -> dict[str, Any]:
    return {"at": p.entry.when.text, "update": _entry_json(p.entry), "n": p.n,
            "lowest": _entry_json(p.low), "highest": _entry_json(p.high), "bits": p.bits}


def _spread_points(t: Trace, crux: str) -> list[dict[str, Any]]:
    return [{"crux": crux, **_point(p)} for p in t.spread.get(crux, [])]


def _retractions(debate: Debate, cruxes: Collection[str]) -> list[dict[str, Any]]:
    return [{"participant": e.who, "crux": e.crux, "given": str(e.given) if e.given else None,
             "id": e.id, "stated": e.credence.text, "at": e.when.text,
             "retracted_at": r.when.text, "why": r.why}
            for e, r in _retracted(debate, cruxes)]


def _pledges(t: Trace) -> list[Kept]:
    """The traced participants' pledges on the traced cruxes as of the trace's end: pending
    ones are what to watch."""
    return pledges_as_of(t.debate, t.until, {ln.who for ln in t.lines}, t.cruxes)


def trace_json(t: Trace) -> dict[str, Any]:
    return {
        **debate_json(t.debate),
        "traced": t.cruxes,
        "since": str(t.since) if t.since else None,
        "until": str(t.until) if t.until else None,
        "lines": [_line(ln) for ln in t.lines],
        "retracted": _retractions(t.debate, t.cruxes),
        "pledges": pledge_records(_pledges(t)),
        "spread": [{"crux": crux, "trend": t.trend(crux),
                    "points": [_point(p) for p in t.spread.get(crux, [])]}
                   for crux in t.cruxes],
    }
