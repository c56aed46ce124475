"""`cruxcli import csv`: cruxcli's own export (`cruxcli export --format csv`) back in, with
every stated text, date (at its precision), quote and note exact."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cruxcli.core.text import unescape
from cruxcli.files.importers import (
    Imported,
    ImportFailed,
    Place,
    Result,
    Skipped,
    read_text,
    rows,
    stated,
    when,
)

REQUIRED = ("kind", "participant", "crux", "stated", "at")
#: The cells each kind of row must fill (`stated` is a resolution's outcome).
FILLED = {"credence": ("participant", "crux", "stated", "at"),
          "resolution": ("crux", "stated", "at"), "retraction": ("id", "at")}
#: Columns exports of earlier versions named otherwise: read under today's name.
RENAMED = {"who": "participant"}


def _text(value: str) -> str:
    """A cell as exported (not empty): a leading ' (added against spreadsheets) goes, and the
    escapes of control characters and backslashes are undone (core.text.escape)."""
    if value[0] == "'":
        value = value[1:]
    return unescape(value) if "\\" in value else value  # no backslash, no escape


#: A ' at the start of a cell, quoted or not (where an export adds one): found by looking for
#: each ' and then behind it, which is many times faster than trying every comma.
_MARKED = re.compile("'(?<=[,\n\r]')|'(?<=[,\n\r]\"')")


def cells(paths: list[Path]) -> Iterator[tuple[Place, dict[str, str]]]:
    """Each row's cells that are not empty, as exported (`_text`): a file with no backslash
    and no cell that starts with ' (most) holds each cell as it is."""
    for path in paths:
        text = read_text(path)
        plain = "\\" not in text and not _MARKED.search("\n" + text)
        for line, r in rows(text, str(path), REQUIRED, RENAMED, filled=True):
            yield Place(path, line), r if plain else {k: _text(v) for k, v in r.items()}


def read(paths: list[Path], options: dict[str, Any]) -> Result:
    people: dict[str, dict[str, Any]] = {}
    cruxes: dict[str, dict[str, Any]] = {}
    credences, resolutions, retractions = [], [], []
    skipped: list[Skipped] = []
    count = 0  # rows read
    for where, cell in cells(paths):
        count += 1
        kind, get = cell.get("kind"), cell.get
        if kind not in FILLED:
            raise ImportFailed(f'{where}: kind "{kind}": expected credence, resolution or '
                               "retraction")
        if not all(map(get, FILLED[kind])):
            empty = [c for c in FILLED[kind] if not get(c)]
            raise ImportFailed(f"{where}: a {kind} row needs {', '.join(FILLED[kind])}; "
                               f"{', '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty")
        crux = get("crux")
        if crux and crux not in cruxes:
            cruxes[crux] = {"question": get("question") or crux}
        if kind == "credence":
            who, about = cell["participant"], get("about")
            if who not in people:
                people[who] = {"name": get("name") or who, "group": get("group"),
                               "aggregate": get("aggregate") == "true" or None}
            credences.append({"who": who, "crux": crux, "given": get("given"),
                              "p": stated(cell["stated"], where), "at": when(cell["at"], where),
                              "about": when(about, where) if about else None,
                              "source": get("source"), "quote": get("quote"),
                              "note": get("note")})
        elif kind == "resolution":
            resolutions.append({"crux": crux, "outcome": cell["stated"],
                                "at": when(cell["at"], where), "source": get("source"),
                                "quote": get("quote"), "note": get("note")})
        else:
            retractions.append({"id": cell["id"], "why": get("note") or "",
                                "at": when(cell["at"], where)})
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
