"""The crux tree `cruxcli cruxes` reports: every crux in display order (the headline first, each
crux's premises nested under it), what its premises are, and the conditions credences on it are
stated under. Pure."""

from __future__ import annotations

from typing import NamedTuple

from cruxcli.core.analysis import as_of, crux_order
from cruxcli.core.model import Debate
from cruxcli.core.outcomes import Resolution, latest_resolutions
from cruxcli.core.when import When


class CruxRow(NamedTuple):
    crux: str
    depth: int  # how deep under a crux it is a premise of (0: a top-level crux)
    conditions: list[str]  # the conditions credences on it are stated under
    credences: int  # credences stated on it (as of the date)
    resolved: Resolution | None  # its standing resolution (as of the date)


class CruxTree(NamedTuple):
    debate: Debate
    as_of: When | None
    rows: list[CruxRow]


def cruxes(debate: Debate, when: When | None = None) -> CruxTree:
    conditions: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for e in as_of(debate, when):
        counts[e.crux] = counts.get(e.crux, 0) + 1
        if e.given is not None:
            conditions.setdefault(e.crux, set()).add(str(e.given))
    settled = latest_resolutions(debate.resolutions, when.end if when else None)
    return CruxTree(debate, when, [CruxRow(c, depth, sorted(conditions.get(c, ())),
                                           counts.get(c, 0), settled.get(c))
                                   for c, depth in crux_order(debate)])
