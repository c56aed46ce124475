"""A debate's log as flat records, one per entry, for `cruxcli export` (and back in through
`cruxcli import csv`). Pure. Every field is the text as written, so nothing is lost."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from cruxcli.core import ids
from cruxcli.core.model import Debate
from cruxcli.core.outcomes import Resolution

COLUMNS = ("kind", "id", "participant", "name", "group", "aggregate", "crux", "question", "given",
           "stated", "value", "low", "high", "at", "about", "source", "quote", "note")


def _resolution(d: Debate, r: Resolution) -> dict[str, Any]:
    return {"kind": "resolution", "id": r.id, "crux": r.crux,
            "question": d.cruxes[r.crux].question, "stated": r.outcome, "value": r.value,
            "at": r.when.text, "source": r.source, "quote": r.quote, "note": r.note}


def columns(d: Debate) -> dict[str, list[Any]]:
    """Every credence, resolution and retraction in file order, retracted ones included (the
    retraction that follows says so), as one list of values per name of COLUMNS: built a
    column at a time, as an export of 10^5 entries writes them."""
    entries = d.entries_written
    who, crux, credence = (list(map(attrgetter(k), entries)) for k in ("who", "crux", "credence"))
    person = {p: d.participants[p] for p in set(who)}
    question = {c: d.cruxes[c].question for c in set(crux)}
    out: dict[str, list[Any]] = {
        "kind": ["credence"] * len(entries), "id": list(ids.known(d).full), "participant": who,
        "name": [person[p].name for p in who], "group": [person[p].group for p in who],
        "aggregate": [person[p].aggregate for p in who], "crux": crux,
        "question": list(map(question.__getitem__, crux)),
        "given": [None if e.given is None else str(e.given) for e in entries],
        **{k: list(map(attrgetter(k), credence)) for k in ("text", "value", "low", "high")},
        "at": [e.when.text for e in entries],
        "about": [None if e.about is None else e.about.text for e in entries],
        **{k: list(map(attrgetter(k), entries)) for k in ("source", "quote", "note")}}
    out["stated"] = out.pop("text")
    rest = [_resolution(d, r) for r in d.resolutions_written]
    rest += [{"kind": "retraction", "id": r.target, "at": r.when.text, "note": r.why}
             for r in sorted(d.retractions, key=lambda r: r.position)]
    return {k: out[k] + [row.get(k) for row in rest] for k in COLUMNS}


def records(d: Debate) -> list[dict[str, Any]]:
    """`columns` as one record per entry, every record with every name of COLUMNS."""
    return [dict(zip(COLUMNS, row, strict=True)) for row in zip(*columns(d).values(), strict=True)]
