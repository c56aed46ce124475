"""How each participant's credence moved over time, and whether the debate converges. Pure.

A line is one participant's series on one crux (under one `given`). Moves are measured from
the previous numeric statement in the series, in percentage points and in bits; a direction-
only statement ("lower") is kept as a step with no number and never enters a computation.
"""

from __future__ import annotations

import fnmatch
import heapq
from typing import NamedTuple

from cruxcli.core.analysis import as_of, crux_order, history, move
from cruxcli.core.credence import bits
from cruxcli.core.model import Condition, Debate, Entry, series_label
from cruxcli.core.when import When


class Step(NamedTuple):
    entry: Entry
    since: Entry | None  # the previous numeric statement it is measured from
    pp: float | None  # move in percentage points
    bits: float | None  # move in bits (log2 of the odds ratio)


class Line(NamedTuple):
    who: str
    crux: str
    given: Condition | None
    steps: list[Step]

    @property
    def label(self) -> str:
        return series_label(self.who, self.crux, self.given)

    @property
    def numeric(self) -> list[Entry]:
        return [s.entry for s in self.steps if s.entry.credence.numeric]

    @property
    def updates(self) -> int:
        """Statements after the first."""
        return max(len(self.steps) - 1, 0)

    @property
    def net_bits(self) -> float | None:
        nums = self.numeric
        if len(nums) < 2:
            return None
        return bits(nums[-1].credence.value, nums[0].credence.value)  # type: ignore[arg-type]

    @property
    def total_bits(self) -> float:
        return sum(abs(s.bits) for s in self.steps if s.bits is not None)


class SpreadPoint(NamedTuple):
    entry: Entry  # the update after which the spread is measured
    n: int  # participants with a number on the crux at that point
    low: Entry
    high: Entry

    @property
    def bits(self) -> float:
        return bits(self.high.credence.value, self.low.credence.value)  # type: ignore[arg-type]


class Trace(NamedTuple):
    debate: Debate
    cruxes: list[str]
    lines: list[Line]
    spread: dict[str, list[SpreadPoint]]
    since: When | None = None
    until: When | None = None

    def compared(self, crux: str) -> tuple[SpreadPoint, SpreadPoint] | None:
        """The two spreads a trend compares, like for like: the last one, and the first one
        measured over the same participants (no one leaves the spread, so the same number of
        them is the same people); None if there is no such earlier one."""
        points = self.spread.get(crux, [])
        if len(points) < 2:
            return None
        last = points[-1]
        first = next(p for p in points if p.n == last.n)
        return None if first is last else (first, last)

    def trend(self, crux: str) -> str | None:
        """"converging", "diverging" or "steady", between the two spreads `compared` picks."""
        pair = self.compared(crux)
        if pair is None:
            return None
        first, last = pair[0].bits, pair[1].bits
        return "steady" if first == last or abs(last - first) < 0.05 else \
            "converging" if last < first else "diverging"


class UnknownCrux(ValueError):
    pass


def select_cruxes(debate: Debate, patterns: tuple[str, ...], who: tuple[str, ...] = ()
                  ) -> list[str]:
    """Crux ids matching the patterns (exact ids or shell-style globs such as 'scheming*'),
    in display order. Without patterns: every crux `who` spoke to, or else the headline."""
    order = [c for c, _ in crux_order(debate)]
    if not patterns:
        spoken = {e.crux for e in debate.entries if e.who in who}
        return [c for c in order if c in spoken] or [debate.headline]
    chosen = []
    for pattern in patterns:
        found = [c for c in order if fnmatch.fnmatchcase(c, pattern)]
        if not found:
            raise UnknownCrux(pattern)
        chosen += [c for c in found if c not in chosen]
    return chosen


def trace(debate: Debate, cruxes: list[str], who: tuple[str, ...] = (),
          since: When | None = None, until: When | None = None,
          entries: list[Entry] | None = None) -> Trace:
    """Every statement on `cruxes` by `who` (default: everyone) between `since` and `until`
    (moves are measured from the statement before, even if that is before `since`).
    `entries`: the debate's entries as of `until` on `cruxes`, when the caller has them."""
    if entries is None:
        entries = [e for e in as_of(debate, until) if e.crux in cruxes]
    lines: dict[tuple[str, str, Condition | None], Line] = {}
    for e, _, before in history(entries):
        key = e.series
        pp = mv = None
        if before is not None and e.credence.numeric:
            pp = 100.0 * (e.credence.value - before.credence.value)  # type: ignore[operator]
            mv = move(before, e)
        if who and e.who not in who:
            continue
        if since is None or e.when.start >= since.start:
            line = lines.setdefault(key, Line(e.who, e.crux, e.given, []))
            line.steps.append(Step(e, before, pp, mv))
    crux_rank = {c: n for n, c in enumerate(cruxes)}
    person_rank = {p: n for n, p in enumerate(debate.participants)}
    ordered = sorted(lines.values(), key=lambda ln: (crux_rank[ln.crux], person_rank[ln.who],
                                                      str(ln.given or "")))
    return Trace(debate, cruxes, ordered, {c: spread_over_time(entries, c, since) for c in cruxes},
                 since, until)


def each_crux(debate: Debate, cruxes: list[str], until: When | None = None) -> list[Trace]:
    """One trace per crux, from one pass over the log (linear in entries and cruxes)."""
    by_crux: dict[str, list[Entry]] = {c: [] for c in cruxes}
    for e in as_of(debate, until):
        if e.crux in by_crux:
            by_crux[e.crux].append(e)
    return [trace(debate, [c], until=until, entries=by_crux[c]) for c in cruxes]


def spread_over_time(entries: list[Entry], crux: str, since: When | None = None
                     ) -> list[SpreadPoint]:
    """After each dated numeric update on `crux` (unconditional), the spread between the
    lowest and highest latest credences, once two or more participants have one. Linear in
    updates (times a log): two heaps of latest values, stale ones dropped when they surface."""
    held: dict[str, Entry] = {}
    low: list[tuple[float, int, Entry]] = []  # (value, order, entry): the lowest on top
    high: list[tuple[float, int, Entry]] = []  # (-value, order, entry): the highest on top
    points = []
    for order, e in enumerate(entries):
        if e.crux != crux or e.given is not None or not e.credence.numeric:
            continue
        held[e.who] = e
        value: float = e.credence.value  # type: ignore[assignment]
        heapq.heappush(low, (value, order, e))
        heapq.heappush(high, (-value, -order, e))
        if len(held) >= 2 and (since is None or e.when.start >= since.start):
            for heap in (low, high):
                while held[heap[0][2].who] is not heap[0][2]:
                    heapq.heappop(heap)  # a credence since replaced by its author
            points.append(SpreadPoint(e, len(held), low[0][2], high[0][2]))
    return points
