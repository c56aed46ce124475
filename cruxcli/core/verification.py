"""Scores that compare like with like, and calibration with its uncertainty. Pure; every
formula is in docs/score.md.

- Peer score (Metaculus): 100 x (ln of the probability a forecaster gave the outcome minus the
  mean of the others' ln probabilities on it). Baseline score (Metaculus): 100 x (log2 of the
  probability given the outcome + 1), i.e. against a forecast of 50%. Relative Brier
  (Fatebook): a forecaster's Brier minus the median Brier of the others on the same question.
  A question counts toward the peer and relative scores only with at least MIN_OTHERS others.
- The Murphy decomposition of the mean Brier score: reliability - resolution + uncertainty,
  with the forecasts binned by their distinct values, so that the three add up exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from cruxcli.core.model import Debate
from cruxcli.core.scoring import Scored, last_words

MIN_OTHERS = 2


def ln_on_outcome(s: Scored) -> float:
    q = s.p if s.outcome == 1.0 else 1.0 - s.p
    return math.log(q) if q > 0.0 else -math.inf


class Murphy(NamedTuple):
    """Mean Brier score = reliability - resolution + uncertainty (Murphy 1973), exactly, with
    the forecasts binned by distinct value."""

    n: int
    brier: float
    reliability: float  # how far the forecasts are from what happened when they were given
    resolution: float  # how far what happened after each forecast is from the base rate
    uncertainty: float  # base rate x (1 - base rate): the Brier score of always saying it


def murphy(pairs: Sequence[tuple[float, float]]) -> Murphy:
    """The decomposition of (forecast, outcome) pairs."""
    n = len(pairs)
    base = sum(o for _, o in pairs) / n
    groups: dict[float, list[float]] = {}
    for p, o in pairs:
        groups.setdefault(p, []).append(o)
    reliability = sum(len(os) * (p - sum(os) / len(os)) ** 2 for p, os in groups.items()) / n
    resolution = sum(len(os) * (sum(os) / len(os) - base) ** 2 for os in groups.values()) / n
    brier = sum((p - o) ** 2 for p, o in pairs) / n
    return Murphy(n, brier, reliability, resolution, base * (1 - base))


class Compared(NamedTuple):
    """A participant's scores against the others, over the questions where that is fair."""

    who: str
    n: int  # questions with at least MIN_OTHERS others
    peer: float | None  # mean peer score
    baseline: float | None  # mean baseline score, over every question they forecast
    relative_brier: float | None  # mean relative Brier
    relative_time_brier: float | None  # the same with time-averaged Brier scores
    alone: list[str]  # questions they forecast with fewer than MIN_OTHERS others


def _question(s: Scored) -> tuple[str, str]:
    return s.crux, str(s.given or "")


class _Question:
    """One question's forecasts, summed once, so that each forecaster's comparison with the
    others is O(log n), not a pass over everyone (2,000 forecasters on a crux stay linear)."""

    def __init__(self, rows: list[Scored]) -> None:
        lns = [ln_on_outcome(x) for x in rows]
        self.n = len(rows)
        self.failed = sum(1 for v in lns if v == -math.inf)  # certainties that failed
        self.total = sum(v for v in lns if v != -math.inf)
        self.briers = sorted(x.brier for x in rows)
        self.timed = sorted(x.time_brier for x in rows if x.time_brier is not None)

    def others_ln_mean(self, own: float) -> float:
        failed = self.failed - (own == -math.inf)
        if failed:
            return -math.inf
        return (self.total - (own if own != -math.inf else 0.0)) / (self.n - 1)


def _median_without(ordered: list[float], value: float) -> float:
    """The median of `ordered` (sorted) with one occurrence of `value` left out."""
    import bisect

    i = bisect.bisect_left(ordered, value)
    rest = len(ordered) - 1

    def at(k: int) -> float:  # the k-th of the list without position i
        return ordered[k if k < i else k + 1]

    mid = rest // 2
    return at(mid) if rest % 2 else (at(mid - 1) + at(mid)) / 2.0


def compared(scored: Sequence[Scored]) -> list[Compared]:
    """Peer, baseline and relative scores per participant, on the forecasts Brier uses."""
    rows_of: dict[tuple[str, str], list[Scored]] = {}
    for s in scored:
        rows_of.setdefault(_question(s), []).append(s)
    questions = {q: _Question(rows) for q, rows in rows_of.items()}
    mine: dict[str, list[Scored]] = {}
    for s in scored:
        mine.setdefault(s.who, []).append(s)
    out = []
    for who, rows in mine.items():
        peers, relative, relative_time, alone = [], [], [], []
        for s in rows:
            q = questions[_question(s)]
            if q.n - 1 < MIN_OTHERS:
                alone.append(s.crux + (f" | {s.given}" if s.given else ""))
                continue
            own = ln_on_outcome(s)
            others = q.others_ln_mean(own)
            if not (math.isinf(own) and math.isinf(others)):  # -inf minus -inf: no number
                peers.append(100 * (own - others))
            relative.append(s.brier - _median_without(q.briers, s.brier))
            if s.time_brier is not None and len(q.timed) - 1 >= MIN_OTHERS:
                relative_time.append(s.time_brier - _median_without(q.timed, s.time_brier))
        baseline = [100 * (ln_on_outcome(s) / math.log(2) + 1) for s in rows]
        out.append(Compared(who, len(relative), _mean(peers), _mean(baseline),
                            _mean(relative), _mean(relative_time), alone))
    return out


def _mean(values: Sequence[float]) -> float | None:
    """The mean; -inf or +inf when one value is (a certainty that failed is -inf however
    the others did); None for no values; nan never (inf - inf is left as None)."""
    if not values:
        return None
    if -math.inf in values and math.inf in values:
        return None
    if -math.inf in values or math.inf in values:
        return -math.inf if -math.inf in values else math.inf
    return sum(values) / len(values)


class PoolScore(NamedTuple):
    """A pooling method scored like a participant: its pool of everyone's scored forecasts
    of each resolved crux with two or more of them."""

    method: str  # pooling.METHODS key
    n: int
    brier: float | None
    log_bits: float | None


def pools_scored(scored: Sequence[Scored]) -> list[PoolScore]:
    from cruxcli.core.pooling import METHODS

    by_question: dict[tuple[str, str], list[Scored]] = {}
    for s in scored:
        by_question.setdefault(_question(s), []).append(s)
    many = [rows for rows in by_question.values() if len(rows) >= 2]
    out = []
    for m in METHODS:
        briers, logs = [], []
        for rows in many:
            pooled = m.pool([s.p for s in rows])
            if pooled is None:
                continue
            o = rows[0].outcome
            briers.append((pooled - o) ** 2)
            q = pooled if o == 1.0 else 1.0 - pooled
            logs.append(math.log2(q) if q > 0.0 else -math.inf)
        out.append(PoolScore(m.key, len(briers), _mean(briers), _mean(logs)))
    return out


MIN_PHRASE = 5  # resolutions of a phrase before a person's own record suggests its value


class Phrase(NamedTuple):
    """How often one participant's verbal term turned out true."""

    who: str
    phrase: str  # as the scale knows it (lower case)
    n: int
    yes: int
    scale_value: float | None  # the debate's scale value; None for words kept with no number

    @property
    def share(self) -> float:
        return self.yes / self.n

    @property
    def suggested(self) -> float | None:
        """What their own record says the phrase means, once it has MIN_PHRASE resolutions."""
        return self.share if self.n >= MIN_PHRASE else None


def phrases(debate: Debate) -> list[Phrase]:
    """Per participant and verbal term: how many of their resolved statements in those words
    came true (scoring.last_words)."""
    from cruxcli.core.credence import normal_term

    counts: dict[tuple[str, str], list[float]] = {}
    values: dict[tuple[str, str], float | None] = {}
    for e, outcome in last_words(debate):
        key = (e.who, normal_term(e.credence.text))
        counts.setdefault(key, []).append(outcome)
        values[key] = e.credence.value
    return [Phrase(who, phrase, len(os), int(sum(os)), values[(who, phrase)])
            for (who, phrase), os in sorted(counts.items())]
