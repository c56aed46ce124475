"""What is due: open cruxes past their `resolves_by` date, and credences on open cruxes that
nobody has revisited for a while (as Metaculus reminds forecasters). Pure: the shell passes
today's date; the core never reads the clock."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from cruxcli.core.analysis import as_of, crux_order
from cruxcli.core.model import Debate, Entry
from cruxcli.core.outcomes import latest_resolutions
from cruxcli.core.when import When

OLDER_THAN = 180  # days without a new statement before a credence on an open crux is stale


class Overdue(NamedTuple):
    crux: str
    resolves_by: When
    days: int  # days past the end of its resolve-by date


class Stale(NamedTuple):
    who: str
    crux: str
    latest: Entry  # their latest statement on the crux
    days: int  # days since it


class Due(NamedTuple):
    debate: Debate
    as_of: When | None
    today: dt.datetime
    older_than: int
    overdue: list[Overdue]
    stale: list[Stale]

    @property
    def anything(self) -> bool:
        return bool(self.overdue or self.stale)


def due(debate: Debate, today: dt.datetime, older_than: int = OLDER_THAN,
        when: When | None = None) -> Due:
    """As of `today` (naive UTC; the end of `when` if given)."""
    now = when.end if when is not None else today
    settled = latest_resolutions(debate.resolutions, now)
    open_cruxes = [c for c, _ in crux_order(debate) if c not in settled]
    overdue = []
    for c in open_cruxes:
        by = debate.cruxes[c].resolves_by
        if by is not None and by.end < now:
            overdue.append(Overdue(c, by, (now - by.end).days))
    latest: dict[tuple[str, str], Entry] = {}
    for e in as_of(debate, when):
        latest[(e.who, e.crux)] = e  # in time order: the last is the latest
    rank = {c: n for n, c in enumerate(open_cruxes)}
    stale = sorted((Stale(who, crux, e, (now - e.when.end).days)
                    for (who, crux), e in latest.items()
                    if crux in rank and e.when.end < now - dt.timedelta(days=older_than)),
                   key=lambda s: (rank[s.crux], -s.days))
    return Due(debate, when, now, older_than, overdue, stale)
