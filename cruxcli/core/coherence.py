"""Stated conditionals that cannot all hold. Pure.

With P(U), P(c), P(U|c) and P(U|¬c) from one participant, the law of total probability says
P(U) = P(U|c)·P(c) + P(U|¬c)·(1 − P(c)). Each stated form allows an interval ("<1%" is
[0, 1%], "likely" 55-80%), so the P(U) that the other three allow is an interval too; the four
are incoherent when that interval and the stated P(U)'s lie further apart than TOLERANCE_PP
percentage points or TOLERANCE_BITS bits (stated numbers are rounded, so a small gap is not a
contradiction). Without a stated P(U|¬c), the one derived from the other three must lie in
[0, 1], exactly as the VoI computation needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, product
from operator import attrgetter, itemgetter
from typing import NamedTuple

from cruxcli.core.credence import bits
from cruxcli.core.metrics import p_u_not_c
from cruxcli.core.model import Condition, Debate, Entry
from cruxcli.core.view import View

TOLERANCE_PP = 2.0
TOLERANCE_BITS = 1.0


class Incoherence(NamedTuple):
    who: str
    crux: str  # U
    condition: str  # c
    p_u: Entry
    p_c: Entry
    p_u_c: Entry
    p_u_not_c: Entry | None  # stated; None when derived
    implied: tuple[float, float]  # the P(U) the others allow, or the derived P(U|¬c) twice

    @property
    def message(self) -> str:
        u, c = self.crux, self.condition
        stated = (f"P({u}) = {self.p_u.credence.text}, P({c}) = {self.p_c.credence.text}, "
                  f"P({u} | {c}) = {self.p_u_c.credence.text}")
        if self.p_u_not_c is None:
            return (f"{self.who}'s {stated} cannot all hold: they imply P({u} | not {c}) = "
                    f"{self.implied[0]:.4g}, outside [0, 1]")
        lo, hi = self.implied
        span = f"{100 * lo:.3g}%" if lo == hi else f"{100 * lo:.3g}-{100 * hi:.3g}%"
        return (f"{self.who}'s {stated}, P({u} | not {c}) = {self.p_u_not_c.credence.text} "
                f"cannot all hold: by the law of total probability P({u}) would be {span}")


def _total(p_c: float, u_c: float, u_nc: float) -> float:
    return u_c * p_c + u_nc * (1.0 - p_c)


def _interval(e: Entry) -> tuple[float, float]:
    return e.credence.low, e.credence.high  # type: ignore[return-value]  # numeric: both set


def _apart(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two intervals lie further apart than the tolerance."""
    if a[0] > b[1]:
        a, b = b, a
    lo, hi = a[1], b[0]  # the nearest ends
    if hi <= lo:
        return False
    return 100.0 * (hi - lo) > TOLERANCE_PP or abs(bits(hi, lo)) > TOLERANCE_BITS


def incoherences(debate: Debate, latest: dict[tuple[str, str, Condition | None], Entry]
                 ) -> list[Incoherence]:
    """Every participant's stated conditionals that cannot hold together, from `latest`:
    each series' latest numeric entry, keyed (who, crux, given)."""
    out = []
    conditional = compress(latest.items(), map(itemgetter(2), latest))  # given: a few in 20
    for (who, crux, given), u_c in conditional:
        if given is None or not given.holds:
            continue
        p_u, p_c = latest.get((who, crux, None)), latest.get((who, given.crux, None))
        if p_u is None or p_c is None:
            continue
        u_nc = latest.get((who, crux, Condition(given.crux, holds=False)))
        if u_nc is None:
            if p_c.credence.value == 1.0:
                continue  # ¬c is impossible for them: nothing to derive
            derived = p_u_not_c(p_u.credence.value, p_c.credence.value, u_c.credence.value)  # type: ignore[arg-type]
            if not 0.0 <= derived <= 1.0:
                out.append(Incoherence(who, crux, given.crux, p_u, p_c, u_c, None,
                                       (derived, derived)))
            continue
        corners = [_total(pc, a, b) for pc, a, b in product(
            _interval(p_c), _interval(u_c), _interval(u_nc))]
        implied = (min(corners), max(corners))
        if _apart(implied, _interval(p_u)):
            out.append(Incoherence(who, crux, given.crux, p_u, p_c, u_c, u_nc, implied))
    return out


def latest_numbers(entries: Sequence[Entry]) -> dict[tuple[str, str, Condition | None], Entry]:
    """What incoherences reads, from a log in time order (as held_latest gives it from a
    view), keyed (who, crux, given): the latest numeric entry of each conditional series, and
    of each unconditional one that a series conditional on a crux holding is compared with;
    not every series, as most are unconditional (docs/performance.md, round 8)."""
    out: dict[tuple[str, str, Condition | None], Entry] = {}
    for e in compress(entries, map(_GIVEN, entries)):  # a few in 20
        if e.credence.value is not None:
            out[e.series] = e
    pairs = {(who, c) for who, crux, given in out if given and given.holds
             for c in (crux, given.crux)}
    # every entry of a wanted (who, crux) is walked in time order, so each series ends at its
    # latest number (conditional ones again, to the same end)
    for e in compress(entries, map(pairs.__contains__, map(_WHO_CRUX, entries))):
        if e.credence.value is not None:
            out[e.series] = e
    return out


_GIVEN, _WHO_CRUX = attrgetter("given"), attrgetter("who", "crux")


def held_latest(view: View) -> dict[tuple[str, str, Condition | None], Entry]:
    """From a view, what incoherences reads (as latest_numbers gives it, keyed (who, crux,
    given)): the latest entry of each series conditional on c, with the same person's on the
    crux, on c, and on the crux given not c; not every series, as most are unconditional."""
    out: dict[tuple[str, str, Condition | None], Entry] = {}
    for (crux, given), by in view.held.items():
        if given is None or not given.holds:
            continue
        related = [(crux, None), (given.crux, None), (crux, Condition(given.crux, holds=False))]
        for who, h in by.items():
            out[(who, crux, given)] = h.entry
            for key in related:
                if (other := view.held.get(key, {}).get(who)) is not None:
                    out[(who, key[0], key[1])] = other.entry
    return out
