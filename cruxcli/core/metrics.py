"""Crux metrics as defined by the Forecasting Research Institute's `voivod` package (R/metrics.R):
value of information (VoI_log, maxVOI) and of discrimination (VoD_log_gmod, maxVOD). Pure.

Logs are base 10, as in voivod. Two edge cases are made explicit where voivod returns NaN:
0·log(0) is taken as its limit 0, and P(U|¬c) outside [0, 1] is incoherent (voivod checks only
< 0). Pooling by the geometric mean of odds is also here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from cruxcli.core.credence import EPSILON, expit, logit


def _clamp(p: float) -> float:
    """Stated 0% and 100% count as 1e-6 away, as in all log computations (docs/format.md)."""
    return min(max(p, EPSILON), 1.0 - EPSILON)


def _term(p: float, q: float) -> float:
    return 0.0 if p == 0.0 else p * math.log10(p / q)


def kl(p: float, q: float) -> float:
    """KL(p, q) = p·log10(p/q) + (1-p)·log10((1-p)/(1-q)): the expected excess surprise of
    someone who says q when the chance is p."""
    return _term(p, q) + _term(1.0 - p, 1.0 - q)


def skl(p: float, q: float) -> float:
    """Symmetric KL divergence."""
    return kl(p, q) + kl(q, p)


def geo_mean_odds(ps: Sequence[float]) -> float:
    """The geometric mean of odds, as a probability (log-odds are clamped, see credence.py)."""
    return expit(sum(logit(p) for p in ps) / len(ps))


def p_u_not_c(p_u: float, p_c: float, p_u_c: float) -> float:
    """P(U|¬c) implied by P(U), P(c) and P(U|c): (P(U) - P(U|c)·P(c)) / (1 - P(c))."""
    return (p_u - p_u_c * p_c) / (1.0 - p_c)


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


def voi(p_u: float, p_c: float, p_u_c: float, p_u_nc: float | None = None) -> Voi:
    """Value of information of crux c for U: the expected KL divergence of P(U|c or ¬c) from
    P(U), weighted by P(c). 0 when P(U|c) = P(U)."""
    derived = p_u_nc is None
    p_u, p_c, p_u_c = _clamp(p_u), _clamp(p_c), _clamp(p_u_c)
    if p_u_nc is None:
        p_u_nc = p_u_not_c(p_u, p_c, p_u_c) if p_c < 1.0 else p_u
    if not 0.0 <= p_u_nc <= 1.0:
        return Voi(p_u, p_c, p_u_c, p_u_nc, derived, None, None)
    p_u_nc = _clamp(p_u_nc) if not derived else p_u_nc
    value = _voi(p_u, p_c, p_u_c, p_u_nc)
    top = max_voi(p_u)
    return Voi(p_u, p_c, p_u_c, p_u_nc, derived, value, value / top if top > 0 else None)


def _voi(p_u: float, p_c: float, p_u_c: float, p_u_nc: float) -> float:
    if p_u <= 0.0 or p_u >= 1.0 or p_u_c == p_u:
        return 0.0
    return p_c * kl(p_u_c, p_u) + (1.0 - p_c) * kl(p_u_nc, p_u)


def max_voi(p_u: float) -> float:
    """voivod's maxVOI: the VoI of a crux with P(c) = P(U) that settles U (P(U|c) = 1 - 1e-16)."""
    p_u_c = 1.0 - 1e-16
    return _voi(p_u, p_u, p_u_c, max(p_u_not_c(p_u, p_u, p_u_c), 0.0)) if p_u < 1.0 else 0.0


class Vod(NamedTuple):
    initial: float  # D0: symmetric KL between their P(U)
    expected: float | None  # D1: the disagreement expected once c is resolved
    value: float | None  # D0 - D1; negative: resolving c is expected to widen the gap
    percent_of_max: float | None  # VoD / D0

    @property
    def incoherent(self) -> bool:
        return self.value is None


def vod(a: tuple[float, float, float, float | None], b: tuple[float, float, float, float | None]
        ) -> Vod:
    """Value of discrimination of crux c between A and B, each given as
    (P(U), P(c), P(U|c), P(U|¬c) or None to derive it)."""
    (ua, ca, uca, unca), (ub, cb, ucb, uncb) = ((*map(_clamp, x[:3]), x[3]) for x in (a, b))
    unca = p_u_not_c(ua, ca, uca) if unca is None else unca
    uncb = p_u_not_c(ub, cb, ucb) if uncb is None else uncb
    initial = skl(ua, ub)
    if not (0.0 <= unca <= 1.0 and 0.0 <= uncb <= 1.0):
        return Vod(initial, None, None, None)
    unca, uncb = _clamp(unca), _clamp(uncb)
    expected = skl(uca, ucb) * geo_mean_odds([ca, cb]) + \
        skl(unca, uncb) * geo_mean_odds([1.0 - ca, 1.0 - cb])
    value = initial - expected
    return Vod(initial, expected, value, value / initial if initial > 0 else None)
