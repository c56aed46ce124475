"""The numbers `cruxcli score` reports: each forecast of a resolved crux scored, each
participant's means and calibration, and whether people updated as their conditionals said
they would. Pure: the formulas are in core/scoring.py and docs/score.md."""

from __future__ import annotations

from typing import Any, NamedTuple

from cruxcli.core import scoring, verification
from cruxcli.core.analysis import known_by
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
    compared: list[verification.Compared] = []
    decomposed: list[tuple[str | None, verification.Murphy]] = []  # per participant; None: all
    pools: list[verification.PoolScore] = []
    phrases: list[verification.Phrase] = []
    by_phrase: bool = False  # show calibration by phrase in the tables (JSON always has it)
    per_debate: list[tuple[str, scoring.Overall]] = []  # with several debates: each one's
    each_forecast: bool = True  # a row per forecast (in a terminal's table: with --forecasts)

    @property
    def annulled(self) -> list[str]:
        return [c for c, r in self.resolved.items() if r.value is None]


class Known(NamedTuple):
    """What one debate contributes: everyone's scored forecasts (others count in peer and
    relative scores), the updates checked, the phrases, and the standing resolutions."""

    everyone: list[scoring.Scored]
    updates: list[scoring.Update]
    phrases: list[verification.Phrase]
    resolved: dict[str, Resolution]


def known(debate: Debate, when: When | None, prefix: str = "") -> Known:
    """The debate as of `when`, scored; with `prefix`, each crux named "prefix:crux" (so that
    cruxes of several debates stay apart while a participant id is one person in all)."""
    d = known_by(debate, when)
    everyone, updates = scoring.score(d), scoring.updates(d)
    resolved = latest_resolutions(d.resolutions)
    if prefix:
        everyone = [x._replace(crux=f"{prefix}:{x.crux}") for x in everyone]
        updates = [u._replace(crux=f"{prefix}:{u.crux}") for u in updates]
        resolved = {f"{prefix}:{c}": r for c, r in resolved.items()}
    return Known(everyone, updates, verification.phrases(d), resolved)


def scores(debate: Debate, when: When | None = None, who: tuple[str, ...] = (),
           by_phrase: bool = False, parts: list[tuple[str, Known]] | None = None) -> Scores:
    """The scores of `debate`; with `parts` (name, Known), of several debates together, with
    `debate` standing for all of them (their participants, and their cruxes as "name:crux")."""
    parts = parts if parts is not None else [("", known(debate, when))]
    everyone = [x for _, k in parts for x in k.everyone]
    rank = {p: n for n, p in enumerate(debate.participants)}
    crux_rank = {c: n for n, c in enumerate(debate.cruxes)}
    scored = sorted((x for x in everyone if not who or x.who in who),
                    key=lambda x: (rank[x.who], crux_rank[x.crux], str(x.given or "")))
    compared = sorted((c for c in verification.compared(everyone) if not who or c.who in who),
                      key=lambda c: rank[c.who])
    pairs: dict[str | None, list[tuple[float, float]]] = {}
    for x in scored:
        pairs.setdefault(x.who, []).append((x.p, x.outcome))
    decomposed = [(p, verification.murphy(mine)) for p, mine in pairs.items()]
    if len(decomposed) > 1:
        decomposed.append((None, verification.murphy([(x.p, x.outcome) for x in scored])))
    return Scores(debate, when, who, {c: r for _, k in parts for c, r in k.resolved.items()},
                  scored, sorted(scoring.overall(scored), key=lambda o: rank[o.who]),
                  scoring.calibration(scored),
                  [u for _, k in parts for u in k.updates if not who or u.who in who],
                  compared, decomposed, verification.pools_scored(everyone),
                  [p for _, k in parts for p in k.phrases if not who or p.who in who], by_phrase,
                  [(name, o) for name, k in parts if name for o in sorted(
                      scoring.overall([x for x in k.everyone if not who or x.who in who]),
                      key=lambda o: rank[o.who])])


def together(debates: list[tuple[str, Debate]]) -> Debate:
    """The debates' participants (a participant id is the same person in all) and their cruxes
    named DEBATE:CRUX, as one debate with no entries: whom and what a track record covers."""
    from cruxcli.core.model import Debate as _Debate

    first = debates[0][1]
    people: dict[str, Any] = {}
    for _, d in debates:
        for p, x in d.participants.items():
            people.setdefault(p, x)  # the first debate's name and group for a person
    cruxes = {f"{name}:{c}": x for name, d in debates for c, x in d.cruxes.items()}
    return _Debate(f"{len(debates)} debates: " + ", ".join(n for n, _ in debates),
                   first.headline, people, cruxes, (), first.scale)


def several(debates: list[tuple[str, Debate]], when: When | None = None,
            who: tuple[str, ...] = (), by_phrase: bool = False) -> Scores:
    """One track record across debates."""
    return scores(together(debates), when, who, by_phrase,
                  [(name, known(d, when, name)) for name, d in debates])
