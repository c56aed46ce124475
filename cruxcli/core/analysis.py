"""Pure functions over a Debate: the view as of a date, the credence matrix, and the numbers
that summaries and traces report. No I/O, no click, no rich."""

from __future__ import annotations

from typing import NamedTuple

from cruxcli.core.credence import bits
from cruxcli.core.model import Condition, Debate, Entry
from cruxcli.core.when import When


def as_of(debate: Debate, when: When | None) -> tuple[Entry, ...]:
    """The entries stated by the end of `when` ("2024-10" includes October). An entry dated
    only by a period ("2024") counts from the period's start."""
    if when is None:
        return debate.entries
    limit = when.end
    return tuple(e for e in debate.entries if e.when.start <= limit)


def crux_order(debate: Debate) -> list[tuple[str, int]]:
    """Cruxes as (id, depth): the headline first with its premises nested under it, then the
    others in file order, each followed by its own premises."""
    order: list[tuple[str, int]] = []
    placed: set[str] = set()

    def place(crux: str, depth: int) -> None:
        if crux in placed or crux not in debate.cruxes:
            return
        placed.add(crux)
        order.append((crux, depth))
        for premise in debate.cruxes[crux].premises:
            place(premise, depth + 1)

    place(debate.headline, 0)
    for crux in debate.cruxes:
        place(crux, 0)
    return order


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
    return Matrix(
        debate=debate,
        as_of=when,
        participants=[p for p in debate.participants if p in speakers],
        silent=[p for p in debate.participants if p not in speakers],
        rows=rows,
    )


def previous(debate: Debate, entry: Entry) -> Entry | None:
    """The entry of the same series stated just before `entry` (in time order)."""
    before = None
    for e in debate.entries:
        if e is entry:
            return before
        if e.series == entry.series:
            before = e
    return None


def move(old: Entry | None, new: Entry) -> float | None:
    """The move from `old` to `new` in bits (log2 of the odds ratio), if both are numbers."""
    if old is None or old.credence.value is None or new.credence.value is None:
        return None
    return bits(new.credence.value, old.credence.value)
