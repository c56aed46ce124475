"""`cruxcli summary` as sheets and a JSON document (keys documented in docs/summary.md). Pure."""

from __future__ import annotations

import math
from typing import Any

from cruxcli.core.metrics import Vod
from cruxcli.core.view import Held
from cruxcli.reports import summary_rows
from cruxcli.reports.commitments_sheet import relations_sheet
from cruxcli.reports.pooling_sheet import pooling_sheet, spreads_verbal_note
from cruxcli.reports.sheet import (
    VERBAL,
    Cell,
    Column,
    Layout,
    Sheet,
    empty,
    key,
    num,
    pct,
    ratio,
    verbal_note,
)
from cruxcli.reports.summary import FLAG_BITS, BottomLine, Summary

DEGENERATE = "°"
DEGENERATE_NOTE = ("° a derived P(U|¬c) of exactly 0% or 100%: counted with 0·log 0 = 0, as "
                   "the mathematics has it; FRI's pipeline gets no number there and leaves the "
                   "row out (docs/summary.md)")
LEGEND = ("bits: log2 of the odds ratio (1 bit = odds x2); pooled: geometric mean of odds; "
          "<1% and 80%+ count at their bound")
EDGES = ("0% and 100%: bits and odds ratios from them are infinite (∞); in the pooled view a "
         "stated 0% (100%) makes the geometric mean of odds 0% (100%), and both together leave "
         "it undefined")


def _on(s: Summary, cruxes: set[str]) -> list[Any]:
    """The unconditional credences on `cruxes` (to name the verbal terms among them)."""
    return [e for e in s.debate.entries if e.crux in cruxes and e.given is None]


def _held_cell(h: Held, with_who: bool = True) -> Cell:
    then = "".join(" then " + e.credence.text for e in h.then)
    text = h.entry.credence.text + VERBAL * h.verbal + then + (f"\n{h.who}" if with_who else "")
    return Cell(text, h.value)


def _bits(value: float | None) -> str:
    return num(value, "+.1f") if value else "" if value is None else "0"


def _marks(held: list[Held]) -> str:
    """What a pooled figure rests on, if not only on numbers stated as such."""
    return (" (bound)" if any(h.bound for h in held) else "") + VERBAL * summary_rows.verbal(*held)


def _pooled(p: float | None) -> str:
    return "undefined" if p is None else pct(p)


def _vod(v: Vod) -> str:
    if v.incoherent:
        return "undefined" if v.expected is not None else "incoherent"
    return num(v.value, "+.3g")


def spread_sheet(s: Summary, verbal: str) -> Sheet:
    """Per crux, widest first; `verbal` is the † note of the spreads (spreads_verbal_note),
    shared with the pooling sheet, or ""."""
    rows, single = [], []
    for sp in s.spreads:
        if len(sp.held) < 2:
            single.append(sp.crux + (f" (directions only from {', '.join(sp.direction_only)})"
                                     if sp.direction_only else ""))
            continue
        mark = VERBAL * sp.verbal
        rows.append([Cell(f"{sp.crux}\nn = {len(sp.held)}",
                          style="bold" if sp.crux == s.debate.headline else None),
                     _held_cell(sp.low), _held_cell(sp.high),
                     Cell(f"{num(sp.bits)}{VERBAL * summary_rows.verbal(sp.low, sp.high)}\n"
                          f"{ratio(sp.bits)}"),
                     Cell(f"{_pooled(sp.pooled)}{mark}\n{pct(sp.median)}{mark}", sp.pooled)])
    notes = [LEGEND]
    if verbal:
        notes.append(verbal)
    if any(sp.low.value == 0.0 or sp.high.value == 1.0 for sp in s.spreads):  # held by value
        notes.append(EDGES)
    if single:
        notes.append("a number from one participant only: " + ", ".join(single))
    title = "Where credences diverge, widest first" + (f" (as of {s.as_of})" if s.as_of else "")
    columns = [Column("crux"), Column("lowest", "right"), Column("highest", "right"),
               Column("bits", "right"), Column("pooled\nmedian", "right")]
    return Sheet(title, columns, rows, notes, legend=True, section="divergence",
                 records=lambda: summary_rows.divergence(s))


def _implied_text(b: BottomLine) -> str:
    i = b.implied
    if i is None or i.value is None:
        return ""
    return ("≤" if i.ceiling else "") + pct(i.value) + (" (bound)" if i.from_bound else "") + \
        VERBAL * i.verbal


def bottom_sheet(s: Summary) -> Sheet | None:
    if not s.bottom:
        return None
    head = s.debate.cruxes[s.debate.headline]
    rows = [[Cell(b.who + (" (aggregate)" if b.aggregate else "")),
             _held_cell(b.stated, with_who=False) if b.stated else Cell(""),
             Cell(_implied_text(b), b.value),
             Cell("" if b.reading == "within the bound" else
                  _bits(b.gap_bits) + (" !" if b.flagged else ""),
                  style="warn" if b.flagged else None),
             Cell(_reading(b), style="dim")]
            for b in s.bottom]
    notes = []
    if head.premises:
        notes.append("implied: the product of their premise credences, each read as "
                     "conditional on the earlier ones" + (
                         "; the premises are necessary conditions, so the product is only an "
                         "upper bound (≤) and only a stated value above it is a gap"
                         if head.ceiling else "") + "; bits: stated vs implied")
        if any(b.flagged for b in s.bottom):
            notes.append(f"! stated and implied differ by more than {FLAG_BITS:g} bit, with "
                         "the premises stated at the same time: they cannot all hold")
        if any(b.reading == "aggregate" for b in s.bottom):
            notes.append("aggregate: each number pools a group, so their product is nobody's "
                         "implied bottom line; the gap is not incoherence")
        if any(b.implied and b.implied.verbal for b in s.bottom):
            notes.append(verbal_note(_on(s, set(head.premises))))
        partial = [b for b in s.bottom if b.missing]
        if len(partial) <= 5:
            notes += [f"{b.who} gave no credence on: {', '.join(b.missing)}" for b in partial]
        else:
            notes.append(f"{len(partial)} participants have not given every premise, so no "
                         "implied value (which ones: --format json, key `missing`)")
    columns = [Column("who"), Column("stated", "right"), Column("implied", "right"),
               Column("bits", "right"), Column("reading", ratio=1)]
    return Sheet(f"Bottom line: {s.debate.headline}", columns, rows, notes, legend=True,
                 section="bottom_line", records=lambda: summary_rows.bottom_line(s))


def _reading(b: BottomLine) -> str:
    if b.reading == "dates differ":
        return f"premises last revised {b.premises_revised}: dates differ"
    if b.reading == "aggregate":
        return "aggregates: no one's implied view"
    return {"incoherent": "cannot all hold", "within the bound": "within the bound"}.get(
        b.reading, "")


def between_sheets(s: Summary) -> list[Sheet]:
    g = s.between
    if g is None:
        return []
    sheets = []
    notes = []
    if g.stated:
        notes.append(f"stated: {g.a} {g.stated.a.entry.credence.text}, {g.b} "
                     f"{g.stated.b.entry.credence.text}: {num(g.stated.bits, '+.1f')} bits "
                     f"({ratio(abs(g.stated.bits))} in odds)")
    total = g.implied_log2_ratio
    if g.shares and total is not None:
        rows = [[Cell(x.premise), Cell(pct(x.a), x.a), Cell(pct(x.b), x.b),
                 Cell(num(x.log2_ratio, "+.2f")),
                 Cell(f"{x.share_of(total):.0%}" if x.share_of(total) is not None else "")]
                for x in g.shares]
        rows.append([Cell("product", style="bold"), Cell(pct(g.implied_a), g.implied_a),
                     Cell(pct(g.implied_b), g.implied_b), Cell(num(total, "+.2f"), style="bold"),
                     Cell("100%" if total and math.isfinite(total) else "")])
        notes.append(f"P-ratio: log2(P_{g.a} / P_{g.b}) of the probabilities, not bits (log2 of "
                     "the odds ratio, as everywhere else): probabilities multiply along a chain "
                     "of premises, so their log ratios add up exactly to the product's, and "
                     "odds do not")
        sheets.append(Sheet(f"Which premise carries the gap: {g.a} vs {g.b}",
                            [Column("premise", ratio=1), Column(g.a, "right"),
                             Column(g.b, "right"), Column("P-ratio", "right"),
                             Column("share", "right")], rows, notes, section="attribution",
                            records=lambda: summary_rows.between(s)["attribution"]))
        notes = []
    elif s.debate.cruxes[s.debate.headline].ceiling:
        notes.append("no attribution: the premises are necessary conditions, so their product "
                     "only bounds the bottom line and its gap does not split exactly")
    else:
        notes.append(f"no attribution: {g.a} and {g.b} have not both given every premise")
    gaps = [[Cell(x.crux + (f" | {x.given}" if x.given else "")), _held_cell(x.a, False),
             _held_cell(x.b, False), Cell(num(x.bits, "+.1f"))] for x in s.pair_gaps[:10]]
    if gaps:
        sheets.append(Sheet(f"Where {g.a} and {g.b} disagree most",
                            [Column("crux", ratio=1), Column(g.a, "right"),
                             Column(g.b, "right"), Column("bits", "right")], gaps, notes,
                            section="gaps", records=lambda: summary_rows.between(s)["gaps"]))
    else:
        notes.append(f"{g.a} and {g.b} have no crux in common")
        sheets.append(Sheet(f"{g.a} vs {g.b}", [Column("")], [], notes))
    if s.pair_vods:
        sheets.append(Sheet(
            f"Value of discrimination: {g.a} vs {g.b}",
            [Column("crux", ratio=1), Column("D0", "right"), Column("D1", "right"),
             Column("VoD", "right"), Column("% of max", "right")],
            [[Cell(v.crux), Cell(num(v.vod.initial, ".3g")), Cell(num(v.vod.expected, ".3g")),
              Cell(_vod(v.vod) + VERBAL * bool({(g.a, v.crux), (g.b, v.crux)} & s.verbal_voi),
                   style="warn" if v.vod.incoherent else None),
              Cell("" if v.vod.percent_of_max is None else f"{v.vod.percent_of_max:.0%}")]
             for v in s.pair_vods],
            ["D0: their disagreement now; D1: expected once the crux resolves (symmetric KL, "
             "log10); VoD = D0 - D1, negative if resolving it is expected to widen the gap"],
            section="vod", records=lambda: summary_rows.between(s)["vod"]))
    return sheets


def voi_sheet(s: Summary) -> Sheet:
    rows = []
    for v in s.vois:
        m = v.voi
        flag = " !" if s.incoherence(v.who, v.crux) else ""
        rows.append([Cell(v.who + flag, style="warn" if flag else None), Cell(v.crux),
                     Cell(pct(m.p_u), m.p_u), Cell(pct(m.p_c), m.p_c),
                     Cell(pct(m.p_u_c), m.p_u_c),
                     Cell(pct(m.p_u_not_c) + ("*" if m.derived else "") + DEGENERATE * m.degenerate
                          if 0 <= m.p_u_not_c <= 1 else f"{m.p_u_not_c:.2f}*"),
                     Cell("incoherent" if m.incoherent else
                          num(m.value, ".3g") + VERBAL * ((v.who, v.crux) in s.verbal_voi),
                          style="warn" if m.incoherent else None),
                     Cell("" if m.percent_of_max is None else f"{m.percent_of_max:.0%}")])
    notes = ["VoI: how much resolving the crux is expected to move their bottom line (expected "
             "KL divergence, log10), as in FRI's voivod; * P(U|not c) derived"]
    notes += [f"! {x.message}" for x in s.incoherent]
    if any(v.voi.degenerate for v in s.vois):
        notes.append(DEGENERATE_NOTE)
    if any((v.who, v.crux) in s.verbal_voi for v in s.vois):
        notes.append(verbal_note(_on(s, {s.debate.headline} | {v.crux for v in s.vois})))
    if not rows:
        notes = [f"VoI needs a participant's P({s.debate.headline}), P(c) and "
                 f"P({s.debate.headline} | c) for a crux c; no participant has stated all three"]
    columns = [Column("who"), Column("crux c", ratio=1), Column("P(U)", "right"),
               Column("P(c)", "right"), Column("P(U|c)", "right"), Column("P(U|¬c)", "right"),
               Column("VoI", "right"), Column("%max", "right")]
    return Sheet("Which crux would move each participant most (value of information)",
                 columns, rows, notes, section="voi", records=lambda: summary_rows.voi(s))


def _group_view(g: Any) -> str:
    """A group's view as said: one member's credence as stated (">10%" stays ">10%"),
    else the pooled value, marked where it rests on a bound or a verbal term."""
    if len(g.held) == 1:
        return g.held[0].entry.credence.text + VERBAL * g.held[0].verbal
    return f"pooled {pct(g.pooled)}{_marks(g.held)}"


def _pooled_cells(g: Any) -> list[Cell]:
    """A group's pooled value and median; for a group of one, what that one stated."""
    if len(g.held) == 1:
        said = Cell(_group_view(g), g.held[0].value)
        return [said, said]
    return [Cell(pct(x) + _marks(g.held), x) if x is not None else Cell("")
            for x in (g.pooled, g.median)]


def group_sheets(s: Summary) -> list[Sheet]:
    if not s.groups:
        return []
    rows = [[Cell(g.name), Cell(", ".join(g.members) if len(g.members) <= 8 else
                                 f"{len(g.members)} participants"), Cell(str(len(g.held))),
             *_pooled_cells(g)] for g in s.groups]
    notes = ["(bound): a bound such as <1% counts at its bound"] if any(
        h.bound for g in s.groups if len(g.held) > 1 for h in g.held) else []
    if gap := s.group_gap:
        hi, lo, b = gap
        notes.append(f"gap between groups: {hi.name} {_group_view(hi)} vs {lo.name} "
                     f"{_group_view(lo)}: {num(b)} bits ({ratio(b)} in odds)")
    else:
        notes.append("no gap between groups: fewer than two groups have headline credences")
    sheets = [Sheet(f"Groups on {s.debate.headline}",
                    [Column("group"), Column("members", ratio=1), Column("n", "right"),
                     Column("pooled", "right"), Column("median", "right")], rows, notes,
                    legend=True, section="groups", records=lambda: summary_rows.groups(s))]
    if s.group_vods:
        notes = ["median VoD over all pairs of participants in different groups"]
        if any(g.degenerate or g.pairs % 2 == 0 for g in s.group_vods):
            notes.append("FRI: the same median as FRI's pipeline takes it: pairs with a "
                         f"derived P(U|¬c) of exactly 0 or 1 ({DEGENERATE}) left out, and of an "
                         "even number the lower middle value (docs/summary.md)")
        sheets.append(Sheet("Cruxes that would best settle the groups' disagreement",
                            [Column("crux", ratio=1), Column("median VoD", "right"),
                             Column("pairs", "right"), Column("FRI", "right")],
                            [[Cell(g.crux), Cell(num(g.median, "+.3g") + VERBAL * any(
                                c == g.crux for _, c in s.verbal_voi)),
                              Cell(f"{g.pairs}" + (f" ({g.degenerate}{DEGENERATE})"
                                                   if g.degenerate else "")),
                              Cell(num(g.fri_median, "+.3g"))]
                             for g in s.group_vods],
                            notes, section="group_vod", records=lambda: summary_rows.group_vod(s)))
    return sheets


def summary_layout(s: Summary) -> Layout:
    if not s.spreads and not s.bottom:
        return Layout([empty(f"Summary of {s.debate.title}", s.as_of)], lambda: summary_rows.summary_json(s))
    verbal = spreads_verbal_note(s) if any(sp.verbal for sp in s.spreads
                                           if len(sp.held) > 1) else ""
    sheets = [spread_sheet(s, verbal)]
    if bottom := bottom_sheet(s):
        sheets.append(bottom)
    sheets += between_sheets(s)
    if pooled := pooling_sheet(s, verbal):
        sheets.append(pooled)
    sheets.append(voi_sheet(s))
    sheets += group_sheets(s)
    if related := relations_sheet(summary_rows.relations_checked(s)):
        sheets.append(related)
    cruxes = [s.debate.headline] + [x.crux for x in s.spreads
                                    if len(x.held) > 1 and x.crux != s.debate.headline]
    sheets[-1] = sheets[-1]._replace(key=key(s.debate, [], cruxes))
    return Layout(sheets, lambda: summary_rows.summary_json(s))


