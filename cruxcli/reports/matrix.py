"""The credence matrix `cruxcli show` reports: cruxes (and conditional rows) by participants,
each cell the latest entry as of a date. Pure."""

from __future__ import annotations

from typing import NamedTuple

from cruxcli.core.analysis import as_of, crux_order
from cruxcli.core.model import Condition, Debate, Entry
from cruxcli.core.outcomes import Resolution, latest_resolutions
from cruxcli.core.when import When


class MatrixRow(NamedTuple):
    crux: str
    given: Condition | None
    depth: int
    cells: dict[str, Entry]  # participant id -> their latest entry on this row


class Matrix(NamedTuple):
    debate: Debate
    as_of: When | None
    participants: list[str]  # those with at least one credence, in file order
    silent: list[str]  # those with none (as of the date)
    rows: list[MatrixRow]
    resolved: dict[str, Resolution] = {}  # each resolved crux's standing resolution (as of)


def matrix(debate: Debate, when: When | None = None) -> Matrix:
    """The current credence matrix: cruxes (and conditional rows) by participants."""
    by_row: dict[tuple[str, Condition | None], dict[str, Entry]] = {}
    for e in as_of(debate, when):  # in time order, so the last entry kept is the latest
        row = by_row.get((e.crux, e.given))
        if row is None:
            row = by_row[(e.crux, e.given)] = {}
        row[e.who] = e
    speakers = set().union(*by_row.values())
    conditions: dict[str, list[Condition]] = {}
    for crux, given in by_row:
        if given is not None:
            conditions.setdefault(crux, []).append(given)
    rows = []
    for crux, depth in crux_order(debate):
        for given in [None, *sorted(conditions.get(crux, []), key=str)]:
            rows.append(MatrixRow(crux, given, depth, by_row.get((crux, given), {})))
    limit = when.end if when is not None else None
    return Matrix(
        debate=debate,
        as_of=when,
        participants=[p for p in debate.participants if p in speakers],
        silent=[p for p in debate.participants if p not in speakers],
        rows=rows,
        resolved=latest_resolutions(debate.resolutions, limit),
    )
