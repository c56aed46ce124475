"""Reports as neutral sheets (titled tables of cells) plus a JSON document. Pure.

A report is a module of numbers plus a `*_sheet` module that lays them out; output/tables.py
draws any sheet with Rich and output/export.py writes any sheet as CSV or Markdown, so a new
report needs no new renderer.
Cells carry the raw text from the file; sanitizing happens at the output boundary.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any, Literal, NamedTuple

from cruxcli.core.model import Condition, Debate, Entry
from cruxcli.core.outcomes import Resolution

Style = Literal["dim", "direction", "warn", "bold", "struck"]
Record = dict[str, Any]  # a tidy row: identifying columns, then one value per column


#: The probability bands a cell's colour shows, in every output (a sequential scale on log
#: odds, no judgement implied): (upper limit, label). `heat_band` is a cell's band.
HEAT_BANDS = [(0.01, "<1%"), (0.05, "1-5%"), (0.20, "5-20%"), (0.50, "20-50%"),
              (0.80, "50-80%"), (0.95, "80-95%"), (1.01, ">95%")]


def heat_band(p: float) -> int:
    return next(i for i, (limit, _) in enumerate(HEAT_BANDS) if p < limit)


class Cell(NamedTuple):
    text: str
    p: float | None = None  # colours the cell by probability
    style: Style | None = None


class Column(NamedTuple):
    header: str
    justify: Literal["left", "right", "center"] = "left"
    ratio: int | None = None  # share of spare width (long text columns)


class Sheet(NamedTuple):
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    notes: Sequence[str] = ()  # printed under the table
    key: Sequence[tuple[str, str]] = ()  # (id, meaning) under the table
    legend: bool = False  # whether the probability colour legend applies
    sticky: int | None = None  # if set: a too-wide table splits into column groups that
    # each repeat the first `sticky` columns (rows empty within a group are left out)
    section: str = ""  # the sheet's name in a tidy CSV's `section` column
    records: Sequence[Record] | Callable[[], Sequence[Record]] = ()  # the sheet as tidy rows, one
    # fact per row, for CSV (a function: built only if asked for)


class Layout:
    """A report's sheets (for tables, CSV and Markdown) and its JSON document, each built only
    when an output asks for it: a big report in JSON never lays out its tables."""

    def __init__(self, sheets: list[Sheet] | Callable[[], list[Sheet]],
                 data: Callable[[], dict[str, Any]]) -> None:
        self._sheets = sheets
        self.data = data

    @property
    def sheets(self) -> list[Sheet]:
        if callable(self._sheets):
            self._sheets = self._sheets()
        return self._sheets


def num(x: float | None, spec: str = ".1f") -> str:
    """A computed figure for people: "" for none, ∞ (signed if `spec` is) where it is infinite."""
    if x is None:
        return ""
    if math.isinf(x):
        return ("-" if x < 0 else "+" if spec.startswith("+") else "") + "∞"
    return format(x, spec)


def plural(n: int, one: str, many: str | None = None) -> str:
    """"1 crux", "2 cruxes", "0 credences"."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def ratio(bits: float) -> str:
    """An odds ratio of 2**bits, as "x333" or "x1.4" (x∞ where bits are infinite)."""
    value = 2.0 ** bits
    return "x∞" if math.isinf(value) else f"x{value:,.0f}" if value >= 10 else f"x{value:.1f}"


def pct(p: float | None) -> str:
    """A probability as a percentage with two significant digits of its distance from 0% or
    100% ("0.21%", "5.1%", "25%", "99.7%")."""
    if p is None:
        return ""
    x = 100.0 * p
    small = x if x <= 100.0 - x else 100.0 - x
    if small >= 10 or small <= 0:
        return f"{x:.0f}%"
    if small >= 1:
        return f"{x:.1f}".rstrip("0").rstrip(".") + "%"
    # 1 - floor(log10(small)) decimals: two significant digits of the distance
    return f"{x:.{1 - math.floor(math.log10(small))}f}".rstrip("0").rstrip(".") + "%"


VERBAL = "†"  # attached, so that a narrow column never leaves it on a line of its own
CREDENCE = attrgetter("credence")


def verbal_note(entries: Iterable[Entry]) -> str:
    """The † footnote, naming the verbal terms the figures it marks rest on."""
    credences = list(map(CREDENCE, entries))  # shared objects: each distinct one checked once
    terms = sorted({c.text for c in dict(zip(map(id, credences), credences, strict=True)).values()
                    if c.on_scale})
    named = ", ".join(f'"{t}"' for t in terms) or "a verbal term"
    return (f"† rests on a verbal term ({named}), counted at its scale's value "
            "(docs/format.md), not a number the speaker gave")
RECALLED_NOTE = ("recalled: said later about an earlier time (\"I would have put ~2%\"); "
                 "placed and counted when it was said, never as a forecast made back then")


def verbal(*entries: Entry | None) -> bool:
    """Whether a figure from these entries rests on a verbal term's scale value."""
    return any(e is not None and e.credence.on_scale for e in entries)


def when_text(e: Entry) -> str:
    """When it was stated, and for a recollection the time it is about."""
    return f"{e.when} (about {e.about})" if e.about else e.when.text


def credence_json(e: Entry) -> dict[str, Any]:
    c = e.credence
    return {
        "stated": c.text,
        "value": c.value,
        "form": c.kind,
        "verbal": verbal(e),
        "about": e.about.text if e.about else None,
        "low": c.low,
        "high": c.high,
        "approx": c.approx,
        "direction": {-1: "lower", 1: "higher"}.get(c.direction),
        "at": e.when.text,
        "given": str(e.given) if e.given else None,
        "source": e.source,
        "quote": e.quote,
        "note": e.note,
        "position": e.position,
        "id": e.id,
    }


def resolution_json(r: Resolution | None) -> dict[str, Any] | None:
    """A crux's standing resolution as every report's JSON gives it."""
    return None if r is None else {"outcome": r.outcome, "at": r.when.text, "id": r.id}


def debate_json(debate: Debate) -> dict[str, Any]:
    return {
        "title": debate.title,
        "headline": debate.headline,
        "participants": [
            {"id": pid, **p._asdict()} for pid, p in debate.participants.items()
        ],
        "cruxes": [
            {"id": cid, "question": c.question, "premises": list(c.premises),
             **({"resolves_by": c.resolves_by.text} if c.resolves_by else {})}
            for cid, c in debate.cruxes.items()
        ],
    }


def empty(title: str, as_of: object = None) -> Sheet:
    """What a report of a debate with no credences says (as of a date, if given)."""
    when = f" as of {as_of}" if as_of else ""
    return Sheet(title, [Column("")], [], [f"this debate has no credences{when} yet: add one "
                                           "with `cruxcli log`"])


def row_label(crux: str, given: Condition | None, depth: int = 0) -> str:
    label = "  " * depth + crux
    return f"{label} | {given}" if given else label


EMPTY = Cell("")


def credence_cell(e: Entry | None) -> Cell:
    """A stated credence as stated; marked † where its number is a verbal scale's."""
    if e is None:
        return EMPTY
    c = e.credence
    return Cell(c.text + VERBAL * verbal(e), c.value, "direction" if c.value is None else None)


def key(debate: Debate, participants: list[str], cruxes: list[str]) -> list[tuple[str, str]]:
    """What each crux asks and who is who: the key printed under a table."""
    return [(cid, debate.cruxes[cid].question) for cid in cruxes] + [
        (pid, debate.participants[pid].name) for pid in participants]
