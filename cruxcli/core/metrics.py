"""Crux metrics as defined by the Forecasting Research Institute's `voivod` package (R/metrics.R):
value of information (VoI_log, maxVOI) and of discrimination (VoD_log_gmod, maxVOD). Pure.

Logs are base 10, as in voivod, and every input is used at full precision (no clamping).
Where voivod returns NaN the rule is explicit: 0·log(0) is its limit 0; a divergence from
a certainty that did not happen is infinite; P(U|¬c) outside [0, 1], or a P(c) of 100% with
P(U|c) ≠ P(U), is incoherent. The geometric mean of odds (the pooled view) is also here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from cruxcli.core.credence import expit, logit


def _term(p: float, q: float) -> float:
    """p·log10(p/q), with 0·log(0/q) = 0 and p·log(p/0) = ∞."""
    if p == 0.0:
        return 0.0
    if q == 0.0:
        return math.inf
    return p * math.log10(p / q)


def kl(p: float, q: float) -> float:
    """KL(p, q) = p·log10(p/q) + (1-p)·log10((1-p)/(1-q)): the expected excess surprise of
    someone who says q when the chance is p."""
    return _term(p, q) + _term(1.0 - p, 1.0 - q)


def skl(p: float, q: float) -> float:
    """Symmetric KL divergence."""
    return kl(p, q) + kl(q, p)


def geo_mean_odds(ps: Sequence[float]) -> float | None:
    """The geometric mean of odds, as a probability, computed exactly: a stated 0% makes it
    0% and a stated 100% makes it 100% (a zero or infinite factor in the product of odds);
    with both, it is undefined (None)."""
    if 0.0 in ps and 1.0 in ps:
        return None
    return expit(sum(map(logit, ps)) / len(ps))


def p_u_not_c(p_u: float, p_c: float, p_u_c: float) -> float:
    """P(U|¬c) implied by P(U), P(c) and P(U|c): (P(U) - P(U|c)·P(c)) / (1 - P(c))."""
    return (p_u - p_u_c * p_c) / (1.0 - p_c)


def _weighted(weight: float, divergence: float) -> float:
    """weight · divergence, where an impossible branch (weight 0) contributes nothing."""
    return 0.0 if weight == 0.0 else weight * divergence


class Voi(NamedTuple):
    p_u: float
    p_c: float
    p_u_c: float
    p_u_not_c: float
    derived: bool  # P(U|¬c) was derived, not stated
    value: float | None  # None when incoherent
    percent_of_max: float | None

    @property
    def incoherent(self) -> bool:
        return self.value is None

    @property
    def degenerate(self) -> bool:
        """A derived P(U|¬c) of exactly 0 or 1: where FRI's R pipeline gets NaN (0·log 0) and
        drops the row; cruxcli counts 0·log 0 = 0, as the mathematics has it."""
        return self.derived and self.p_u_not_c in (0.0, 1.0)


def voi(p_u: float, p_c: float, p_u_c: float, p_u_nc: float | None = None) -> Voi:
    """Value of information of crux c for U (voivod's VoI_log): the expected KL divergence of
    P(U|c or ¬c) from P(U), weighted by P(c). 0 when P(U) = 0 or P(U|c) = P(U)."""
    derived = p_u_nc is None
    if p_u_nc is None:
        p_u_nc = p_u_not_c(p_u, p_c, p_u_c) if p_c < 1.0 else p_u
    if p_u == 0.0 or p_u_c == p_u:
        value: float | None = 0.0
    elif not 0.0 <= p_u_nc <= 1.0 or p_c == 1.0:
        value = None  # incoherent: no P(U|¬c) in [0, 1] makes the three hold together
    else:
        value = _weighted(p_c, kl(p_u_c, p_u)) + _weighted(1.0 - p_c, kl(p_u_nc, p_u))
    top = max_voi(p_u)
    share = value / top if value is not None and 0.0 < top < math.inf else None
    return Voi(p_u, p_c, p_u_c, p_u_nc, derived, value, share)


def max_voi(p_u: float) -> float:
    """voivod's maxVOI: the VoI of a crux with P(c) = P(U) that settles U (P(U|c) = 1 - 1e-16)."""
    if p_u <= 0.0 or p_u >= 1.0:
        return 0.0
    p_u_c = 1.0 - 1e-16
    p_u_nc = max(p_u_not_c(p_u, p_u, p_u_c), 0.0)
    return p_u * kl(p_u_c, p_u) + (1.0 - p_u) * kl(p_u_nc, p_u)


class Vod(NamedTuple):
    initial: float  # D0: symmetric KL between their P(U)
    expected: float | None  # D1: the disagreement expected once c is resolved
    value: float | None  # D0 - D1; negative: resolving c is expected to widen the gap
    percent_of_max: float | None  # VoD / D0
    degenerate: bool = False  # a derived P(U|¬c) is exactly 0 or 1 (see Voi.degenerate)

    @property
    def incoherent(self) -> bool:
        return self.value is None


def vod(a: tuple[float, float, float, float | None], b: tuple[float, float, float, float | None]
        ) -> Vod:
    """Value of discrimination of crux c between A and B (voivod's VoD_log_gmod), each given
    as (P(U), P(c), P(U|c), P(U|¬c) or None to derive it)."""
    (ua, ca, uca, unca), (ub, cb, ucb, uncb) = a, b
    edge = (unca is None and p_u_not_c(ua, ca, uca) in (0.0, 1.0)) or \
        (uncb is None and p_u_not_c(ub, cb, ucb) in (0.0, 1.0))
    unca = p_u_not_c(ua, ca, uca) if unca is None else unca
    uncb = p_u_not_c(ub, cb, ucb) if uncb is None else uncb
    initial = skl(ua, ub)
    if not (0.0 <= unca <= 1.0 and 0.0 <= uncb <= 1.0):
        return Vod(initial, None, None, None, edge)
    w_c, w_not_c = geo_mean_odds([ca, cb]), geo_mean_odds([1.0 - ca, 1.0 - cb])
    if w_c is None or w_not_c is None:  # one says c is certain, the other that it is impossible
        return Vod(initial, None, None, None, edge)
    expected = _weighted(w_c, skl(uca, ucb)) + _weighted(w_not_c, skl(unca, uncb))
    if math.isinf(initial) and math.isinf(expected):
        return Vod(initial, expected, None, None, edge)  # ∞ - ∞: undefined
    value = initial - expected
    share = value / initial if 0.0 < initial < math.inf else None
    return Vod(initial, expected, value, share, edge)


def median(values: Iterable[float]) -> float:
    """The median, by hand: importing the statistics module costs more than a whole report."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def lower_median(values: Iterable[float]) -> float:
    """The lower median (R's quantile type 1 at 0.5, which FRI's pipeline takes): of an even
    number of values the smaller middle one, never their mean."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]
