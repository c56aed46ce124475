"""The numbers `cruxcli score` reports: each forecast of a resolved crux scored, each
participant's means and calibration, and whether people updated as their conditionals said
they would. Pure: the formulas are in core/scoring.py and docs/score.md."""

from __future__ import annotations

from typing import NamedTuple

from cruxcli.core import scoring
from cruxcli.core.analysis import as_of
from cruxcli.core.model import Debate
from cruxcli.core.outcomes import Resolution, latest_resolutions
from cruxcli.core.when import When


class Scores(NamedTuple):
    debate: Debate
    as_of: When | None
    who: tuple[str, ...]
    resolved: dict[str, Resolution]  # each crux's standing resolution, as of the date
    scored: list[scoring.Scored]
    overall: list[scoring.Overall]
    bins: list[scoring.Bin]
    updates: list[scoring.Update]

    @property
    def annulled(self) -> list[str]:
        return [c for c, r in self.resolved.items() if r.value is None]


def scores(debate: Debate, when: When | None = None, who: tuple[str, ...] = ()) -> Scores:
    resolutions = debate.resolutions if when is None else tuple(
        r for r in debate.resolutions if r.when.start <= when.end)
    known = debate._replace(entries=as_of(debate, when), resolutions=resolutions)
    scored = [s for s in scoring.score(known) if not who or s.who in who]
    rank = {p: n for n, p in enumerate(debate.participants)}
    crux_rank = {c: n for n, c in enumerate(debate.cruxes)}
    scored.sort(key=lambda s: (rank[s.who], crux_rank[s.crux], str(s.given or "")))
    updates = [u for u in scoring.updates(known) if not who or u.who in who]
    return Scores(debate, when, who, latest_resolutions(resolutions), scored,
                  sorted(scoring.overall(scored), key=lambda o: rank[o.who]),
                  scoring.calibration(scored), updates)
