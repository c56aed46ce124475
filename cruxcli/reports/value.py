"""The value of information of each crux for each participant, and its value of
discrimination for each pair and across groups (FRI's voivod), from the participants' stated
P(U), P(c), P(U|c) and P(U|not c). Pure."""

from __future__ import annotations

import itertools
from typing import NamedTuple

from cruxcli.core import metrics
from cruxcli.core.metrics import median
from cruxcli.core.model import Condition, Debate
from cruxcli.core.view import View


class CruxVoi(NamedTuple):
    who: str
    crux: str
    voi: metrics.Voi


Inputs = dict[str, dict[str, tuple[float, float, float, float | None]]]


def verbal_inputs(debate: Debate, view: View, inputs: Inputs) -> set[tuple[str, str]]:
    """The (participant, crux c) whose VoI inputs include a verbal term's scale value."""
    head, out = debate.headline, set()
    for who, by_crux in inputs.items():
        for c in by_crux:
            held = (view.get(who, head), view.get(who, c), view.get(who, head, Condition(c)),
                    view.get(who, head, Condition(c, holds=False)))
            if any(h is not None and h.verbal for h in held):
                out.add((who, c))
    return out


def voi_inputs(debate: Debate, view: View) -> Inputs:
    """Per participant, per crux c: (P(U), P(c), P(U|c), P(U|¬c) or None) wherever all three of
    the first are given. Built from the conditional credences on the headline U alone."""
    head = debate.headline
    out: Inputs = {}
    for (crux, given), by in view.held.items():
        if crux != head or given is None or not given.holds:
            continue
        for who, u_c in by.items():
            p_u, p_c = view.get(who, head), view.get(who, given.crux)
            if p_u is None or p_c is None:
                continue
            not_c = view.get(who, head, Condition(given.crux, holds=False))
            out.setdefault(who, {})[given.crux] = (p_u.value, p_c.value, u_c.value,
                                                   not_c.value if not_c else None)
    return out


def vois(debate: Debate, inputs: Inputs) -> list[CruxVoi]:
    """VoI of every crux c for the headline, per participant who gave P(U), P(c) and P(U|c);
    highest first per participant (incoherent inputs last)."""
    out = []
    for who in debate.participants:
        mine = [CruxVoi(who, crux, metrics.voi(*values))
                for crux, values in inputs.get(who, {}).items()]
        mine.sort(key=lambda v: (v.voi.value is None, -(v.voi.value or 0.0)))
        out += mine
    return out


class CruxVod(NamedTuple):
    crux: str
    a: str
    b: str
    vod: metrics.Vod


def vods(inputs: Inputs, a: str, b: str) -> list[CruxVod]:
    """VoD of each crux that both A and B can be scored on, highest first."""
    ia, ib = inputs.get(a, {}), inputs.get(b, {})
    out = [CruxVod(c, a, b, metrics.vod(ia[c], ib[c])) for c in ia if c in ib]
    out.sort(key=lambda v: (v.vod.value is None, -(v.vod.value or 0.0)))
    return out


class GroupVod(NamedTuple):
    crux: str
    median: float
    pairs: int
    fri_median: float | None = None  # under FRI's conventions: degenerate pairs dropped, lower
    # median of the rest (None if none is left)
    degenerate: int = 0  # pairs with a derived P(U|¬c) of exactly 0 or 1


def group_vods(debate: Debate, inputs: Inputs) -> list[GroupVod]:
    """Per crux, the median VoD over all pairs of participants in different groups."""
    scorable = [p for p, who in debate.participants.items() if who.group and inputs.get(p)]
    scored: dict[str, list[tuple[float, bool]]] = {}
    for a, b in itertools.combinations(scorable, 2):
        if debate.participants[a].group == debate.participants[b].group:
            continue
        for v in vods(inputs, a, b):
            if v.vod.value is not None:
                scored.setdefault(v.crux, []).append((v.vod.value, v.vod.degenerate))
    out = []
    for c, pairs in scored.items():
        kept = [x for x, edge in pairs if not edge]
        out.append(GroupVod(c, median(x for x, _ in pairs), len(pairs),
                            metrics.lower_median(kept) if kept else None,
                            len(pairs) - len(kept)))
    return sorted(out, key=lambda g: -g.median)
