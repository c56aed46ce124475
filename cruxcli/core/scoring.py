"""Scoring forecasts against resolved cruxes, and checking stated conditionals against what
people said once the condition resolved. Pure; every formula is in docs/score.md.

Only forecasts count: a numeric credence (a bound or verbal term at the value the maths uses,
marked), stated wholly before the resolution (its whole period: a credence dated only "2024"
precedes a resolution only if that comes after 2024), not a recollection, not retracted.
Direction-only statements carry no number and are not scored; annulled cruxes are not scored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

from cruxcli.core.credence import bits
from cruxcli.core.metrics import p_u_not_c
from cruxcli.core.model import Condition, Debate, Entry
from cruxcli.core.outcomes import Resolution, latest_resolutions

BINS = 10  # calibration bins of stated probability: [0, 0.1), [0.1, 0.2), ..., [0.9, 1]


class Scored(NamedTuple):
    """One participant's forecast of one resolved crux (under one condition, if any)."""

    who: str
    crux: str
    given: Condition | None
    resolution: Resolution  # of the crux
    condition: Resolution | None  # of the given crux, for a conditional forecast
    forecasts: list[Entry]  # every scorable credence of the series, oldest first
    time_brier: float | None  # None when the forecasts stood for no time at all
    forecast: Entry  # the last numeric credence stated before the resolution: the one scored
    p: float  # its value
    outcome: float  # 1 for yes, 0 for no

    @property
    def brier(self) -> float:
        return (self.p - self.outcome) ** 2

    @property
    def log_bits(self) -> float:
        """log2 of the probability given to what happened: 0 is perfect, -inf a certainty
        that failed."""
        q = self.p if self.outcome == 1.0 else 1.0 - self.p
        return math.log2(q) if q > 0.0 else -math.inf

    @property
    def bound(self) -> bool:
        return self.forecast.credence.is_bound

    @property
    def verbal(self) -> bool:
        return self.forecast.credence.on_scale


def _before(e: Entry, r: Resolution) -> bool:
    return e.when.end < r.when.start


def scorable(e: Entry) -> bool:
    return e.credence.value is not None and not e.recalled


def time_averaged_brier(forecasts: list[Entry], outcome: float, end: Resolution) -> float | None:
    """Each forecast's Brier score weighted by how long it stood: from its statement to the
    next one, the last until the resolution (as Good Judgment Open and Fatebook average over
    days, here over seconds)."""
    total = weighted = 0.0
    for e, nxt in zip(forecasts, [*forecasts[1:], None], strict=True):
        stop = nxt.when.start if nxt is not None else end.when.start
        span = (stop - e.when.start).total_seconds()
        total += span
        weighted += span * (e.credence.value - outcome) ** 2  # type: ignore[operator]
    return weighted / total if total > 0 else None


def score(debate: Debate, entries: Iterable[Entry] | None = None,
          resolutions: tuple[Resolution, ...] | None = None) -> list[Scored]:
    """Every scorable series: per participant and resolved crux (and condition)."""
    settled = latest_resolutions(debate.resolutions if resolutions is None else resolutions)
    series: dict[tuple[str, str, Condition | None], list[Entry]] = {}
    for e in debate.entries if entries is None else entries:
        r = settled.get(e.crux)
        if r is None or r.value is None or not scorable(e) or not _before(e, r):
            continue
        series.setdefault(e.series, []).append(e)
    out = []
    for (who, crux, given), forecasts in series.items():
        r = settled[crux]
        condition = None
        if given is not None:
            condition = settled.get(given.crux)
            if condition is None or condition.value is None or \
                    (condition.value == 1.0) != given.holds:
                continue  # the condition did not happen (or is unknown): nothing to score
        out.append(Scored(who, crux, given, r, condition, forecasts,
                          time_averaged_brier(forecasts, r.value, r),  # type: ignore[arg-type]
                          forecasts[-1], forecasts[-1].credence.value, r.value))  # type: ignore[arg-type]
    return out


def last_words(debate: Debate) -> list[tuple[Entry, float]]:
    """Each participant's last verbal statement on a resolved crux stated wholly before the
    resolution (words kept with no number included: a phrase can be checked against what
    happened whether or not it was given a number), with the outcome (1 or 0)."""
    settled = latest_resolutions(debate.resolutions)
    last: dict[tuple[str, str], Entry] = {}
    for e in debate.entries:
        r = settled.get(e.crux)
        if e.given is None and e.credence.kind == "verbal" and not e.recalled and \
                r is not None and r.value is not None and _before(e, r):
            last[(e.who, e.crux)] = e
    return [(e, settled[e.crux].value) for e in last.values()]  # type: ignore[misc]


class Overall(NamedTuple):
    who: str
    n: int
    brier: float
    log_bits: float
    time_brier: float | None  # over the forecasts that stood for some time
    verbal: int = 0  # forecasts among them counted at a verbal term's scale value
    bounds: int = 0  # forecasts among them counted at a bound ("<1%" as 1%)


def overall(scored: list[Scored]) -> list[Overall]:
    """Per participant: the mean of each score over the cruxes scored."""
    mine: dict[str, list[Scored]] = {}
    for s in scored:
        mine.setdefault(s.who, []).append(s)
    out = []
    for who, rows in mine.items():
        timed = [s.time_brier for s in rows if s.time_brier is not None]
        logs = [s.log_bits for s in rows]
        out.append(Overall(who, len(rows), sum(s.brier for s in rows) / len(rows),
                           -math.inf if -math.inf in logs else sum(logs) / len(logs),
                           sum(timed) / len(timed) if timed else None,
                           sum(s.verbal for s in rows), sum(s.bound for s in rows)))
    return out


Z95 = 1.959963984540054  # the standard normal's 97.5% quantile: a 95% interval


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for k successes in n trials (Wilson 1927): never outside
    [0, 1], and sensible at k = 0 and k = n, where the normal approximation is not."""
    if n == 0:
        return 0.0, 1.0
    share = k / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


class Bin(NamedTuple):
    who: str
    low: float
    high: float
    n: int
    mean_stated: float
    observed: float  # the share that resolved yes
    verbal: int = 0  # forecasts in the bin counted at a verbal term's scale value
    bounds: int = 0  # forecasts in the bin counted at a bound
    yes: int = 0  # forecasts in the bin that resolved yes

    @property
    def interval(self) -> tuple[float, float]:
        """95% Wilson interval of the share that resolved yes."""
        return wilson(self.yes, self.n)


def calibration(scored: list[Scored]) -> list[Bin]:
    """Per participant, their scored forecasts in BINS bins of stated probability."""
    groups: dict[tuple[str, int], list[Scored]] = {}
    for s in scored:
        groups.setdefault((s.who, min(int(s.p * BINS), BINS - 1)), []).append(s)
    return [Bin(who, k / BINS, (k + 1) / BINS, len(rows), sum(s.p for s in rows) / len(rows),
                sum(s.outcome for s in rows) / len(rows), sum(s.verbal for s in rows),
                sum(s.bound for s in rows), sum(int(s.outcome) for s in rows))
            for (who, k), rows in sorted(groups.items(), key=lambda item: item[0][1])]


class Update(NamedTuple):
    """What someone said they would believe once a condition resolved, and what they said."""

    who: str
    crux: str  # U
    condition: Resolution  # of c
    said: Entry | None  # their P(U|c) (or P(U|not c)), stated before c resolved; None: derived
    said_value: float
    prior: Entry | None  # their P(U) before c resolved
    then: Entry  # their first P(U) after c resolved

    @property
    def gap_bits(self) -> float:
        """How far what they then said lies from what they said they would: log2 odds ratio
        (negative: lower than they said)."""
        return bits(self.then.credence.value, self.said_value)  # type: ignore[arg-type]

    @property
    def expected_move(self) -> float | None:
        """The move they said resolution would bring, from their prior, in bits."""
        if self.prior is None:
            return None
        return bits(self.said_value, self.prior.credence.value)  # type: ignore[arg-type]


def updates(debate: Debate) -> list[Update]:
    """Per participant, crux U and resolved condition c: the P(U|c) (or P(U|not c), stated or
    derived from P(U), P(c), P(U|c)) held just before c resolved, against their first P(U)
    stated after it."""
    settled = latest_resolutions(debate.resolutions)
    by_series: dict[tuple[str, str, Condition | None], list[Entry]] = {}
    for e in debate.entries:
        if scorable(e):
            by_series.setdefault(e.series, []).append(e)
    out = []
    pairs = dict.fromkeys((who, crux, given.crux) for who, crux, given in by_series
                          if given is not None and given.crux in settled)
    for who, crux, c in pairs:  # linear: only conditionals whose condition resolved
        r = settled[c]
        entries = by_series.get((who, crux, None), [])
        then = next((e for e in entries if r.when.end < e.when.start), None)
        if r.value is None or then is None:
            continue
        before = [e for e in entries if _before(e, r)]
        prior = before[-1] if before else None
        held = [e for e in by_series.get((who, crux, Condition(c, r.value == 1.0)), [])
                if _before(e, r)]
        if held:
            out.append(Update(who, crux, r, held[-1], held[-1].credence.value, prior, then))  # type: ignore[arg-type]
        elif r.value == 0.0 and prior is not None:  # P(U|not c) from P(U), P(c), P(U|c)
            p_c = [e for e in by_series.get((who, c, None), []) if _before(e, r)]
            u_c = [e for e in by_series.get((who, crux, Condition(c)), []) if _before(e, r)]
            if p_c and u_c and p_c[-1].credence.value != 1.0:
                derived = p_u_not_c(prior.credence.value, p_c[-1].credence.value,  # type: ignore[arg-type]
                                    u_c[-1].credence.value)  # type: ignore[arg-type]
                if 0.0 <= derived <= 1.0:
                    out.append(Update(who, crux, r, None, derived, prior, then))
    return out
