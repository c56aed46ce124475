"""Ways to pool several people's probabilities into one, side by side: how much the bottom line
depends on the method is itself worth knowing. Pure; the formulas are in docs/summary.md.

Each method is exact: a stated 0% or 100% is kept (the geometric means are then 0% or 100%,
and undefined, None, with both); nothing is clamped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

from cruxcli.core.credence import bits, expit, logit
from cruxcli.core.metrics import geo_mean_odds, median


def extremizing_factor(n: int) -> float:
    """Neyman & Roughgarden's (2021) factor for n forecasters, as Sevilla (2021) derives it
    for the average of log odds: d = n(sqrt(3n^2 - 3n + 1) - 2) / (n^2 - n - 1); 1 for one
    forecaster, about 1.29 for two, tending to sqrt(3) (about 1.73)."""
    if n <= 1:
        return 1.0
    return n * (math.sqrt(3 * n * n - 3 * n + 1) - 2) / (n * n - n - 1)


def mean(ps: Sequence[float]) -> float | None:
    return sum(ps) / len(ps)


def geo_mean(ps: Sequence[float]) -> float | None:
    """The geometric mean of the probabilities themselves (not of their odds)."""
    if 0.0 in ps:
        return 0.0
    return math.exp(sum(map(math.log, ps)) / len(ps))


def trimmed_mean(ps: Sequence[float]) -> float | None:
    """The mean after dropping the lowest and highest fifth (floor(n/5) from each end)."""
    cut = len(ps) // 5
    kept = sorted(ps)[cut:len(ps) - cut]
    return sum(kept) / len(kept)


def extremized(ps: Sequence[float]) -> float | None:
    """The geometric mean of odds, extremized: its log odds times extremizing_factor(n)."""
    return _extremize(geo_mean_odds(ps), len(ps))


def _extremize(pooled: float | None, n: int) -> float | None:
    if pooled is None or pooled in (0.0, 1.0):
        return pooled
    return expit(extremizing_factor(n) * logit(pooled))


class Method(NamedTuple):
    key: str  # the JSON key and the column
    name: str
    assumes: str  # what it assumes, for the reader
    pool: Callable[[Sequence[float]], float | None]


METHODS = (
    Method("geo_mean_odds", "geometric mean of odds",
           "each forecast is evidence on the log-odds scale; the default everywhere here",
           geo_mean_odds),
    Method("mean", "mean", "forecasts are noisy readings of one probability; keeps the "
           "pool away from the extremes", mean),
    Method("median", "median", "a few forecasters may be far off; ignores how far", median),
    Method("geo_mean", "geometric mean of probabilities",
           "like the geometric mean of odds, but asymmetric: pulls toward 0%, never toward "
           "100%", geo_mean),
    Method("trimmed_mean", "trimmed mean", "the most extreme fifth at each end are outliers",
           trimmed_mean),
    Method("extremized", "extremized geometric mean of odds",
           "forecasters hold partly different evidence, so the pool should be more confident "
           "than its average (Neyman & Roughgarden's factor for n forecasters)", extremized),
)


class Panel(NamedTuple):
    n: int
    pools: dict[str, float | None]  # by method key

    @property
    def spread_bits(self) -> float | None:
        """How far apart the methods land: log2 of the odds ratio of the highest pool to the
        lowest (0 when every method agrees; infinite when one gives 0% or 100%)."""
        values = [p for p in self.pools.values() if p is not None]
        if len(values) < 2:
            return None
        return bits(max(values), min(values))


def panel(ps: Sequence[float], pooled: float | None) -> Panel:
    """Every method's pool of `ps` (at least one probability), given `pooled`, their
    geometric mean of odds (which the summary has already computed, for 5,000 cruxes)."""
    shared = {"geo_mean_odds": pooled, "extremized": _extremize(pooled, len(ps))}
    return Panel(len(ps), {m.key: shared[m.key] if m.key in shared else m.pool(ps)
                           for m in METHODS})
