"""The numbers `cruxcli summary` reports: where credences diverge and by how much (in bits of
log-odds), the bottom line stated versus implied by premises, which premise carries a gap
between two participants, crux metrics (VoI, VoD) and group views. Pure.

Only numeric credences enter the maths: a bound at its bound, a range or verbal term at its
log-odds midpoint; direction-only updates never do (they are reported as `then`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Literal, NamedTuple

from cruxcli.core import metrics
from cruxcli.core.analysis import crux_order
from cruxcli.core.coherence import Incoherence, held_latest, incoherences
from cruxcli.core.credence import BOUNDS, bits, log2_ratio
from cruxcli.core.metrics import median
from cruxcli.core.model import Condition, Debate, Entry
from cruxcli.core.view import KIND, VALUE, Held, View, current
from cruxcli.core.when import When
from cruxcli.reports.value import (
    CruxVod,
    CruxVoi,
    GroupVod,
    group_vods,
    verbal_inputs,
    vods,
    voi_inputs,
    vois,
)

FLAG_BITS = 1.0  # stated and implied bottom lines further apart than this are flagged


class Spread(NamedTuple):
    crux: str
    held: list[Held]  # sorted by value, lowest first
    bits: float  # log2 odds ratio between the highest and the lowest
    pooled: float | None  # geometric mean of odds (None: a stated 0% beside a stated 100%)
    median: float
    direction_only: Sequence[str] = ()
    verbal: bool = False  # a verbal term went in, at its scale's value
    bounded: bool = False  # a stated bound ("<1%") went in, at its bound
    values: Sequence[float] = ()  # the held values, lowest first (what is pooled)

    @property
    def low(self) -> Held:
        return self.held[0]

    @property
    def high(self) -> Held:
        return self.held[-1]

    @property
    def ratio(self) -> float:
        return 2.0 ** self.bits

    @property
    def from_bound(self) -> bool:
        """A stated bound ("<1%") is one of the two ends."""
        return self.low.bound or self.high.bound


def spreads(debate: Debate, view: View) -> list[Spread]:
    """Per crux (unconditional credences), widest disagreement first; ties by crux order."""
    out = []
    for crux, _ in crux_order(debate):
        held = sorted(view.held.get((crux, None), {}).values(), key=VALUE)
        if not held:
            continue
        values, kinds = list(map(VALUE, held)), set(map(KIND, held))
        out.append(Spread(crux, held, bits(values[-1], values[0]),
                          metrics.geo_mean_odds(values), median(values),
                          sorted(view.directions.get((crux, None), {})),
                          "verbal" in kinds, bool(kinds & BOUNDS), values))
    return sorted(out, key=lambda s: -s.bits)


class Implied(NamedTuple):
    """What a participant's premise credences imply for a crux."""

    value: float | None  # their product, when every premise was given (else None)
    from_bound: bool  # a stated bound ("<1%") went in
    missing: list[str]  # premises not given
    ceiling: bool  # some premises are necessary conditions: the product only bounds it above
    latest: Entry | None  # the latest premise statement that went in
    verbal: bool  # a verbal term went in, at its scale's value


def implied(debate: Debate, view: View, who: str, crux: str) -> Implied:
    """The product of `who`'s credences in `crux`'s premises (each read as conditional on the
    earlier ones); a premise with premises of its own and no stated value is implied in turn."""
    value, from_bound, missing = 1.0, False, []
    ceiling, latest, verbal = debate.cruxes[crux].ceiling, None, False
    for premise in debate.cruxes[crux].premises:
        held = view.get(who, premise)
        if held is not None:
            value, from_bound, verbal = value * held.value, from_bound or held.bound, \
                verbal or held.verbal
            if latest is None or held.entry.when.start > latest.when.start:
                latest = held.entry
        elif debate.cruxes[premise].premises:
            sub = implied(debate, view, who, premise)
            if sub.value is None:
                missing += sub.missing
            else:
                value, from_bound, ceiling = value * sub.value, \
                    from_bound or sub.from_bound, ceiling or sub.ceiling
                verbal = verbal or sub.verbal
                if sub.latest and (latest is None or sub.latest.when.start > latest.when.start):
                    latest = sub.latest
        else:
            missing.append(premise)
    return Implied(None if missing else value, from_bound, missing, ceiling, latest, verbal)


class BottomLine(NamedTuple):
    who: str
    stated: Held | None
    implied: Implied | None  # None when the headline has no premises
    aggregate: bool  # the participant is a group's aggregate

    @property
    def value(self) -> float | None:
        return self.implied.value if self.implied else None

    @property
    def missing(self) -> list[str]:
        return self.implied.missing if self.implied else []

    @property
    def gap_bits(self) -> float | None:
        """Stated vs implied in bits; against an upper bound, only the amount above it."""
        if self.stated is None or self.value is None:
            return None
        gap = bits(self.stated.value, self.value)
        return max(gap, 0.0) if self.implied.ceiling else gap  # type: ignore[union-attr]

    @property
    def premises_revised(self) -> str | None:
        """When the premises were last stated, if not in the stated bottom line's period
        (their gap is then a matter of dates, not of coherence)."""
        last = self.implied.latest if self.implied else None
        if self.stated is None or last is None:
            return None
        s = self.stated.entry.when
        overlap = s.start <= last.when.end and last.when.start <= s.end
        return None if overlap else last.when.text

    @property
    def reading(self) -> str:
        """Why a gap is or is not incoherence: "incoherent", "aggregate" (a product of
        aggregates is nobody's bottom line), "dates differ", "within the bound", or ""."""
        gap = self.gap_bits
        if gap is None or abs(gap) <= FLAG_BITS:
            return "within the bound" if self.implied and self.implied.ceiling and \
                self.value is not None and self.stated is not None else ""
        if self.aggregate:
            return "aggregate"
        if self.premises_revised is not None:
            return "dates differ"
        return "incoherent"

    @property
    def flagged(self) -> bool:
        return self.reading == "incoherent"


def bottom_lines(debate: Debate, view: View) -> list[BottomLine]:
    """Each participant's stated headline beside what their premises imply."""
    out = []
    premises = debate.cruxes[debate.headline].premises
    for who, person in debate.participants.items():
        stated = view.get(who, debate.headline)
        found = implied(debate, view, who, debate.headline) if premises else None
        gave_some = found is not None and len(found.missing) < len(premises)
        if stated is not None or gave_some:
            out.append(BottomLine(who, stated, found, person.aggregate))
    return out


class Share(NamedTuple):
    premise: str
    a: float
    b: float
    log2_ratio: float  # log2(P_A / P_B): a ratio of probabilities, which adds up over a product

    def share_of(self, total: float) -> float | None:
        """This premise's share of the total; none when the total is 0 or infinite."""
        return self.log2_ratio / total if total and math.isfinite(total) else None


class PairGap(NamedTuple):
    crux: str
    given: Condition | None
    a: Held
    b: Held

    @property
    def bits(self) -> float:
        return bits(self.a.value, self.b.value)


class Between(NamedTuple):
    a: str
    b: str
    stated: PairGap | None  # the headline, as stated
    implied_a: float | None
    implied_b: float | None
    shares: list[Share]  # per premise, when both gave every premise

    @property
    def implied_log2_ratio(self) -> float | None:
        """log2(P_A / P_B) of the implied bottom lines: the sum of the premises' shares, so that
        they add up exactly (infinite where a premise is 0% for one of them only)."""
        if self.shares:
            return sum(x.log2_ratio for x in self.shares)
        if self.implied_a is None or self.implied_b is None:
            return None
        return log2_ratio(self.implied_a, self.implied_b)


def between(debate: Debate, view: View, a: str, b: str) -> tuple[Between, list[PairGap]]:
    """The headline gap between A and B and its exact attribution to premises (with a product
    of premises, log(P_A/P_B) is the sum of the premises' log ratios); then every crux both
    gave, widest gap first."""
    head = debate.headline
    ha, hb = view.get(a, head), view.get(b, head)
    stated = PairGap(head, None, ha, hb) if ha and hb else None
    ia, ib = implied(debate, view, a, head).value, implied(debate, view, b, head).value
    shares = []
    if debate.cruxes[head].premises and not debate.cruxes[head].ceiling and ia is not None \
            and ib is not None:
        for premise in debate.cruxes[head].premises:
            pa, pb = implied_or_held(debate, view, a, premise), implied_or_held(debate, view, b, premise)
            shares.append(Share(premise, pa, pb, log2_ratio(pa, pb)))  # type: ignore[arg-type]
    gaps = [PairGap(crux, given, by[a], by[b]) for (crux, given), by in view.held.items()
            if a in by and b in by]
    gaps.sort(key=lambda g: -abs(g.bits))
    return Between(a, b, stated, ia, ib, shares), gaps


def implied_or_held(debate: Debate, view: View, who: str, crux: str) -> float | None:
    held = view.get(who, crux)
    return held.value if held else implied(debate, view, who, crux).value


class Group(NamedTuple):
    name: str
    members: list[str]  # all participants in the group
    held: list[Held]  # their current headline credences

    @property
    def pooled(self) -> float | None:
        return metrics.geo_mean_odds([h.value for h in self.held]) if self.held else None

    @property
    def median(self) -> float | None:
        return median(h.value for h in self.held) if self.held else None


def groups(debate: Debate, view: View) -> list[Group]:
    names = dict.fromkeys(p.group for p in debate.participants.values() if p.group)
    out = []
    for name in names:
        members = [pid for pid, p in debate.participants.items() if p.group == name]
        held = [h for m in members if (h := view.get(m, debate.headline)) is not None]
        out.append(Group(name, members, held))  # type: ignore[arg-type]
    return out


class Summary(NamedTuple):
    debate: Debate
    as_of: When | None
    spreads: list[Spread]
    bottom: list[BottomLine]
    groups: list[Group]
    vois: list[CruxVoi]
    group_vods: list[GroupVod]
    between: Between | None = None
    pair_gaps: Sequence[PairGap] = ()
    pair_vods: Sequence[CruxVod] = ()
    incoherent: Sequence[Incoherence] = ()  # stated conditionals that cannot all hold
    verbal_voi: AbstractSet[tuple[str, str]] = frozenset()  # (who, crux c) whose inputs are
    # verbal

    def incoherence(self, who: str, crux: str) -> Incoherence | None:
        """The incoherence in `who`'s credences on the headline and crux c, if any."""
        return next((x for x in self.incoherent if x.who == who and x.condition == crux
                     and x.crux == self.debate.headline), None)

    @property
    def group_gap(self) -> tuple[Group, Group, float] | None:
        """The highest and lowest pooled group headlines, and the gap between them in bits."""
        pooled = [g for g in self.groups if g.pooled is not None]
        if len(pooled) < 2:
            return None
        hi = max(pooled, key=lambda g: g.pooled)  # type: ignore[arg-type, return-value]
        lo = min(pooled, key=lambda g: g.pooled)  # type: ignore[arg-type, return-value]
        return hi, lo, bits(hi.pooled, lo.pooled)  # type: ignore[arg-type]


def summarize(debate: Debate, when: When | None = None,
              pair: tuple[str, str] | Literal["widest"] | None = None) -> Summary:
    """The summary report; with `pair`, also where those two part (`--between`): "widest" for
    the two furthest apart on the headline, if two have stated it."""
    view = current(debate, when)
    inputs = voi_inputs(debate, view)
    result = Summary(debate, when, spreads(debate, view), bottom_lines(debate, view),
                     groups(debate, view), vois(debate, inputs), group_vods(debate, inputs),
                     incoherent=incoherences(debate, held_latest(view)),
                     verbal_voi=verbal_inputs(debate, view, inputs))
    if pair == "widest":
        pair = next(((x.low.who, x.high.who) for x in result.spreads
                     if x.crux == debate.headline and len(x.held) > 1), None)
    if pair is None:
        return result
    gap, gaps = between(debate, view, *pair)
    return result._replace(between=gap, pair_gaps=gaps, pair_vods=vods(inputs, *pair))
