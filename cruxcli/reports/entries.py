"""A debate's log as flat records, one per entry, for `cruxcli export` (and back in through
`cruxcli import csv`). Pure. Every field is the text as written, so nothing is lost."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from cruxcli.core import ids
from cruxcli.core.model import Debate
from cruxcli.core.outcomes import RESOLUTION_KEYS, RETRACTION_KEYS, written, written_columns

COLUMNS = ("kind", "id", "participant", "name", "group", "aggregate", "crux", "question", "given",
           "stated", "value", "low", "high", "at", "about", "source", "quote", "note")


#: A file's key -> the export's column, where they differ (the rest keep their names).
EXPORTED = {"who": "participant", "p": "stated", "outcome": "stated", "why": "note"}
#: The keys of outcomes.CREDENCE_KEYS the export has a column for (all but a seal's three).
STATED = ("who", "crux", "given", "p", "at", "about", "source", "quote", "note")


def _renamed(fields: dict[str, Any]) -> dict[str, Any]:
    return {EXPORTED.get(k, k): v for k, v in fields.items()}


def columns(d: Debate) -> dict[str, list[Any]]:
    """Every credence, resolution and retraction in file order, retracted ones included (the
    retraction that follows says so), as one list of values per name of COLUMNS: each text
    as written (outcomes.written, a key at a time for the 10^5 credences of an archive)."""
    entries = d.entries_written
    stated = _renamed(dict(zip(STATED, written_columns(entries, STATED), strict=True)))
    people = d.participants
    question = {c: d.cruxes[c].question for c in set(stated["crux"])}
    credence = list(map(attrgetter("credence"), entries))
    out: dict[str, list[Any]] = {
        "kind": ["credence"] * len(entries), "id": list(ids.known(d).full), **stated,
        "name": [people[p].name for p in stated["participant"]],
        "group": [people[p].group for p in stated["participant"]],
        "aggregate": [people[p].aggregate for p in stated["participant"]],
        "question": list(map(question.__getitem__, stated["crux"])),
        **{k: list(map(attrgetter(k), credence)) for k in ("value", "low", "high")}}
    rest = [{"kind": "resolution", "id": r.id, "question": d.cruxes[r.crux].question,
             "value": r.value, **_renamed(written(r, RESOLUTION_KEYS))}
            for r in d.resolutions_written]
    rest += [{"kind": "retraction", **_renamed(written(r, RETRACTION_KEYS))}
             for r in sorted(d.retractions, key=lambda r: r.position)]
    return {k: out[k] + [row.get(k) for row in rest] for k in COLUMNS}


def records(d: Debate) -> list[dict[str, Any]]:
    """`columns` as one record per entry, every record with every name of COLUMNS."""
    return [dict(zip(COLUMNS, row, strict=True)) for row in zip(*columns(d).values(), strict=True)]
