"""`cruxcli trace` as sheets and a JSON document (keys documented in docs/trace.md). Pure."""

from __future__ import annotations

from typing import Any

from cruxcli.core.model import Entry
from cruxcli.reports.sheet import (
    RECALLED_NOTE,
    VERBAL,
    VERBAL_NOTE,
    Cell,
    Column,
    Report,
    Sheet,
    credence_cell,
    debate_json,
    key,
    num,
    stated_fields,
    verbal,
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


def movement_sheet(t: Trace) -> Sheet:
    rows = []
    for ln in t.lines:
        nums = ln.numeric
        mark = VERBAL * verbal(*nums)
        rows.append([Cell(ln.label), Cell(str(len(ln.steps))),
                     credence_cell(nums[0] if nums else None),
                     credence_cell(ln.steps[-1].entry),
                     Cell(num(ln.net_bits, "+.1f") + mark if ln.net_bits is not None else ""),
                     Cell(num(ln.total_bits) + mark)])
    window = "".join([f" since {t.since}" if t.since else "", f" until {t.until}" if t.until else ""])
    notes = ["n: statements; net: first to last number, in bits; total: the sum of every move's "
             "size in bits"]
    entries = [s.entry for ln in t.lines for s in ln.steps]
    if any(verbal(e) for e in entries):
        notes.append(VERBAL_NOTE)
    if any(e.recalled for e in entries):
        notes.append("(about ...): " + RECALLED_NOTE)
    if not rows:
        notes = ["no credences on " + ", ".join(t.cruxes) + (window or "")]
    return Sheet(f"How credences moved on {', '.join(t.cruxes)}{window}",
                 [Column("participant · crux", ratio=1), Column("n", "right"),
                  Column("first", "right"), Column("latest", "right"), Column("net", "right"),
                  Column("total", "right")], rows, notes, legend=True, section="movement",
                 records=[{"participant": ln.who, "crux": ln.crux,
                           "given": str(ln.given) if ln.given else None, "n": len(ln.steps),
                           **stated_fields(ln.numeric[0] if ln.numeric else None, "first_"),
                           **stated_fields(ln.steps[-1].entry, "latest_"),
                           "net_bits": ln.net_bits, "total_bits": ln.total_bits}
                          for ln in t.lines])


def line_sheet(ln: Line) -> Sheet:
    rows = []
    for step in ln.steps:
        e = step.entry
        pp, mv = _move(step)
        rows.append([Cell(when_text(e), style="direction" if e.recalled else None),
                     credence_cell(e), pp, mv,
                     Cell(e.note or e.source or "", style="dim")])
    records = [{"participant": ln.who, "crux": ln.crux,
                "given": str(ln.given) if ln.given else None, "at": s.entry.when.text,
                "about": s.entry.about.text if s.entry.about else None,
                "stated": s.entry.credence.text, "value": s.entry.credence.value,
                "kind": s.entry.credence.kind, "pp": s.pp, "bits": s.bits,
                "note": s.entry.note, "source": s.entry.source} for s in ln.steps]
    return Sheet(ln.label, [Column("at"), Column("stated", "right"), Column("pp", "right"),
                            Column("bits", "right"), Column("note / source", ratio=1)], rows,
                 section="steps", records=records)


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
        trend = t.trend(crux)
        notes = [f"from {num(points[0].bits)} to {num(points[-1].bits)} bits: {trend}"] if trend \
            else ["one measurement so far"]
        sheets.append(Sheet(f"Spread on {crux} over time (everyone's latest numbers)",
                            [Column("after"), Column("update", ratio=1), Column("n", "right"),
                             Column("lowest", "right"), Column("highest", "right"),
                             Column("bits", "right")], rows, notes, section="spread",
                            records=[{"crux": crux, "at": p.entry.when.text,
                                      **stated_fields(p.entry, "update_"), "n": p.n,
                                      **stated_fields(p.low, "lowest_"),
                                      **stated_fields(p.high, "highest_"), "bits": p.bits}
                                     for p in points]))
    return sheets


def retracted_sheet(t: Trace) -> Sheet | None:
    """Entries on the traced cruxes that were taken back: struck through, with the reason."""
    gone = _retracted(t)
    if not gone:
        return None
    rows = [[Cell(e.label), Cell(e.credence.text, style="struck"), Cell(e.when.text),
             Cell(f"{r.when}: {r.why}", style="dim")] for e, r in gone]
    return Sheet("Retracted: left out of every figure", [
        Column("participant · crux"), Column("stated", "right"), Column("at"),
        Column("retracted", ratio=1)], rows, section="retracted",
        records=[{"participant": e.who, "crux": e.crux,
                  "given": str(e.given) if e.given else None, "id": e.id,
                  "stated": e.credence.text, "at": e.when.text, "retracted_at": r.when.text,
                  "why": r.why} for e, r in gone])


def _retracted(t: Trace) -> list[tuple[Entry, Any]]:
    return [(e, r) for e, r in t.debate.withdrawn if isinstance(e, Entry) and e.crux in t.cruxes]


def trace_report(t: Trace) -> Report:
    sheets = [movement_sheet(t)] + [line_sheet(ln) for ln in t.lines] + spread_sheets(t)
    if gone := retracted_sheet(t):
        sheets.append(gone)
    sheets[-1] = sheets[-1]._replace(key=key(t.debate, [], t.cruxes))
    return Report(sheets, lambda: trace_json(t))


def _entry_json(e: Entry | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {"who": e.who, "stated": e.credence.text, "value": e.credence.value, "at": e.when.text}


def trace_json(t: Trace) -> dict[str, Any]:
    return {
        **debate_json(t.debate),
        "traced": t.cruxes,
        "since": str(t.since) if t.since else None,
        "until": str(t.until) if t.until else None,
        "lines": [{
            "who": ln.who, "crux": ln.crux, "given": str(ln.given) if ln.given else None,
            "statements": len(ln.steps), "updates": ln.updates, "net_bits": ln.net_bits,
            "rests_on_verbal": verbal(*ln.numeric),
            "total_bits": ln.total_bits,
            "steps": [{
                "at": s.entry.when.text, "stated": s.entry.credence.text,
                "value": s.entry.credence.value, "kind": s.entry.credence.kind,
                "direction": {-1: "lower", 1: "higher"}.get(s.entry.credence.direction),
                "pp": s.pp, "bits": s.bits, "since": _entry_json(s.since),
                "about": s.entry.about.text if s.entry.about else None,
                "verbal": verbal(s.entry, s.since),
                "note": s.entry.note, "source": s.entry.source, "quote": s.entry.quote,
                "index": s.entry.position, "id": s.entry.id,
            } for s in ln.steps],
        } for ln in t.lines],
        "retracted": [{"id": e.id, "who": e.who, "crux": e.crux,
                       "given": str(e.given) if e.given else None, "stated": e.credence.text,
                       "at": e.when.text, "retracted_at": r.when.text, "why": r.why}
                      for e, r in _retracted(t)],
        "spread": {crux: {
            "trend": t.trend(crux),
            "points": [{"at": p.entry.when.text, "update": _entry_json(p.entry), "n": p.n,
                        "low": _entry_json(p.low), "high": _entry_json(p.high), "bits": p.bits}
                       for p in t.spread.get(crux, [])],
        } for crux in t.cruxes},
    }

