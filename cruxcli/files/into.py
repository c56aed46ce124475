"""`cruxcli import FORMAT SOURCE --into DEBATE`: bring new records into a debate that already
holds earlier ones, as hledger's `import` does. Only what the debate has not seen is appended,
an entry being known by its content id (the same text, date, source... is the same entry);
missing participants and cruxes are added next to the others of their kind. The whole result
is validated before anything is written, under the same lock as `log`, so running an import
twice adds nothing the second time."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from cruxcli.core.schema import LOGS
from cruxcli.files import edits, reading
from cruxcli.files.importers import Imported, debate_text


class Added(NamedTuple):
    added: dict[str, int]  # per kind: participants, cruxes, and each log
    known: dict[str, int]  # per log: entries the debate already had


def _keys(d: Any) -> dict[str, list[Any]]:
    """Each log's entries as the content they state, in file order: the identity `--into`
    compares (a credence's and a resolution's id derive from it)."""
    return {"credence": [e.id for e in d.entries_written],
            "resolution": [r.id for r in d.resolutions_written],
            "retraction": [tuple(r.stated.values()) for r in d.retractions],
            "seal": [s.id for s in d.seals],
            "pledge": [tuple(p.stated.values()) for p in d.pledges],
            "relation": [tuple(r.stated.values()) for r in d.relations]}


def into(path: Path, imported: Imported, origin: str) -> Added:
    """Append what `imported` has that the debate at `path` has not; nothing if it has it all."""
    alone = reading.parse_text(debate_text(imported, origin), origin)  # the import, checked
    theirs = _keys(alone)
    have = reading.load(path)
    ours = {log: set(keys) for log, keys in _keys(have).items()}
    tables = imported.logs()
    fresh: list[tuple[str, dict[str, Any]]] = []
    added = {log: 0 for log in LOGS}
    known = {log: 0 for log in LOGS}
    for log in LOGS:
        for key, table in zip(theirs[log], tables.get(log, []), strict=True):
            if key in ours[log]:
                known[log] += 1
            else:
                ours[log].add(key)  # the same entry twice in one import is added once
                fresh.append((log, table))
                added[log] += 1
    people = {p: v for p, v in imported.participants.items() if p not in have.participants}
    cruxes = {c: v for c, v in imported.cruxes.items() if c not in have.cruxes}
    changes = [edits.insert_table("participants", p, v, before=("cruxes", *LOGS))
               for p, v in people.items()]
    changes += [edits.insert_table("cruxes", c, v, before=LOGS) for c, v in cruxes.items()]
    if fresh:
        changes.append(edits.append_tables([(f"[[{log}]]", table) for log, table in fresh]))
    if changes:
        change = changes[0]
        for more in changes[1:]:
            change = edits.then(change, more)
        edits.rewrite(path, change)
    return Added({"participants": len(people), "cruxes": len(cruxes), **added}, known)
