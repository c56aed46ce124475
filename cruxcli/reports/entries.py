"""A debate's log as flat records, one per entry, for `cruxcli export` (and back in through
`cruxcli import csv`). Pure. Every field is the text as written, so nothing is lost."""

from __future__ import annotations

from typing import Any

from cruxcli.core import ids
from cruxcli.core.model import Debate, Entry
from cruxcli.core.outcomes import Resolution

COLUMNS = ("kind", "id", "participant", "name", "group", "aggregate", "crux", "question", "given",
           "stated", "value", "low", "high", "at", "about", "source", "quote", "note")


def _credence(d: Debate, e: Entry, ident: str) -> dict[str, Any]:
    """In COLUMNS' order, every column."""
    person, c = d.participants[e.who], e.credence
    return {"kind": "credence", "id": ident, "participant": e.who, "name": person.name,
            "group": person.group, "aggregate": person.aggregate, "crux": e.crux,
            "question": d.cruxes[e.crux].question, "given": str(e.given) if e.given else None,
            "stated": c.text, "value": c.value, "low": c.low, "high": c.high,
            "at": e.when.text, "about": e.about.text if e.about else None,
            "source": e.source, "quote": e.quote, "note": e.note}


def _resolution(d: Debate, r: Resolution) -> dict[str, Any]:
    return {"kind": "resolution", "id": r.id, "crux": r.crux,
            "question": d.cruxes[r.crux].question, "stated": r.outcome, "value": r.value,
            "at": r.when.text, "source": r.source, "quote": r.quote, "note": r.note}


def records(d: Debate) -> list[dict[str, Any]]:
    """Every credence, resolution and retraction in file order, retracted ones included (the
    retraction that follows says so)."""
    out = [_credence(d, e, ident) for e, ident in zip(d.entries_written, ids.known(d).full,
                                                      strict=True)]
    rest = [_resolution(d, r) for r in d.resolutions_written]
    rest += [{"kind": "retraction", "id": r.target, "at": r.when.text, "note": r.why}
             for r in sorted(d.retractions, key=lambda r: r.position)]
    return out + [{column: row.get(column) for column in COLUMNS} for row in rest]
