"""`cruxcli import csv`: cruxcli's own export (`cruxcli export --format csv`) back in, with
every stated text, date (at its precision), quote and note exact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cruxcli.core.text import unescape
from cruxcli.files.importers import (
    Imported,
    ImportFailed,
    Result,
    Skipped,
    each_row,
    stated,
    when,
)

REQUIRED = ("kind", "participant", "crux", "stated", "at")
#: The cells each kind of row must fill (`stated` is a resolution's outcome).
FILLED = {"credence": ("participant", "crux", "stated", "at"),
          "resolution": ("crux", "stated", "at"), "retraction": ("id", "at")}
#: Columns exports of earlier versions named otherwise: read under today's name.
RENAMED = {"who": "participant"}


def _text(value: str) -> str | None:
    """A cell as exported: empty is absent; a leading ' (added against spreadsheets) goes,
    and the escapes of control characters and backslashes are undone (core.text.escape)."""
    if not value:
        return None
    if value[0] == "'":
        value = value[1:]
    return unescape(value) if "\\" in value else value  # no backslash, no escape


def read(paths: list[Path], options: dict[str, Any]) -> Result:
    people: dict[str, dict[str, Any]] = {}
    cruxes: dict[str, dict[str, Any]] = {}
    credences, resolutions, retractions = [], [], []
    skipped: list[Skipped] = []
    records = each_row(paths, REQUIRED, RENAMED)
    count = 0  # rows read
    for where, r in records:
        count += 1
        cell = {k: _text(v) for k, v in r.items() if v}  # an empty cell is absent
        kind = cell.get("kind")
        if kind not in FILLED:
            raise ImportFailed(f'{where}: kind "{kind}": expected credence, resolution or '
                               "retraction")
        if empty := [c for c in FILLED[kind] if not cell.get(c)]:
            raise ImportFailed(f"{where}: a {kind} row needs {', '.join(FILLED[kind])}; "
                               f"{', '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty")
        filled: dict[str, str] = {c: cell[c] or "" for c in FILLED[kind]}  # none is empty
        crux = cell.get("crux")
        if crux and crux not in cruxes:
            cruxes[crux] = {"question": cell.get("question") or crux}
        about = cell.get("about")
        if kind == "credence":
            who = filled["participant"]
            if who not in people:
                people[who] = {"name": cell.get("name") or who, "group": cell.get("group"),
                               "aggregate": cell.get("aggregate") == "true" or None}
            credences.append({"who": who, "crux": crux, "given": cell.get("given"),
                              "p": stated(filled["stated"], where),
                              "at": when(filled["at"], where),
                              "about": when(about, where) if about else None,
                              "source": cell.get("source"), "quote": cell.get("quote"),
                              "note": cell.get("note")})
        elif kind == "resolution":
            resolutions.append({"crux": crux, "outcome": filled["stated"],
                                "at": when(filled["at"], where),
                                "source": cell.get("source"), "quote": cell.get("quote"),
                                "note": cell.get("note")})
        else:
            retractions.append({"id": filled["id"], "why": cell.get("note") or "",
                                "at": when(filled["at"], where)})
    if not credences and not resolutions:
        raise ImportFailed(f"{paths[0]}: no credences to import")
    for p in people.values():
        p["group"] = p["group"] or None
        if not p["aggregate"]:
            del p["aggregate"]
        if p["group"] is None:
            del p["group"]
    headline = options.get("headline") or next(iter(cruxes))
    name = options.get("name") or paths[0].stem
    return Result([Imported(name, options.get("title") or f"Imported from {paths[0].name}",
                            headline, people, cruxes, credences, resolutions, retractions)],
                  count, skipped)
