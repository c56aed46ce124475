"""`cruxcli summary`'s rows: the JSON document's lists and, the same dicts, the CSV's records
(export.to_csv spreads a nested record over `key.field` columns). Keys: docs/keys.md. Pure."""

from __future__ import annotations

from typing import Any

from cruxcli.core.view import Held
from cruxcli.reports import pooling_sheet
from cruxcli.reports.commitments_sheet import relation_records
from cruxcli.reports.sheet import debate_json
from cruxcli.reports.summary import Summary
from cruxcli.reports.value import CruxVoi


def verbal(*held: Held | None) -> bool:
    """Whether any of these held credences is a verbal term's scale value."""
    return any(h is not None and h.verbal for h in held)


def held_json(h: Held | None) -> dict[str, Any] | None:
    if h is None:
        return None
    c = h.entry.credence
    return {"participant": h.who, "stated": c.text, "value": c.value, "bound": h.bound,
            "verbal": h.verbal, "recalled": h.entry.recalled, "at": h.entry.when.text,
            "then": [e.credence.text for e in h.then]}


def voi_json(s: Summary, v: CruxVoi) -> dict[str, Any]:
    return {"crux": v.crux, "p_u": v.voi.p_u, "p_c": v.voi.p_c, "p_u_c": v.voi.p_u_c,
            "p_u_not_c": v.voi.p_u_not_c, "p_u_not_c_derived": v.voi.derived,
            "p_u_not_c_degenerate": v.voi.degenerate,
            "voi": v.voi.value, "percent_of_max": v.voi.percent_of_max,
            "incoherent": v.voi.incoherent,
            "incoherence": x.message if (x := s.incoherence(v.who, v.crux)) else None,
            "rests_on_verbal": (v.who, v.crux) in s.verbal_voi}


def divergence(s: Summary) -> list[dict[str, Any]]:
    return [{"crux": sp.crux, "n": len(sp.held), "lowest": held_json(sp.low),
             "highest": held_json(sp.high), "bits": sp.bits, "ratio": sp.ratio,
             "pooled": sp.pooled, "median": sp.median, "rests_on_bound": sp.from_bound,
             "rests_on_verbal": sp.verbal,
             "credences": [held_json(h) for h in sp.held], "direction_only": sp.direction_only}
            for sp in s.spreads]


def bottom_line(s: Summary) -> list[dict[str, Any]]:
    return [{"participant": b.who, "crux": s.debate.headline, "aggregate": b.aggregate,
             "held": held_json(b.stated), "implied": b.value,
             "implied_ceiling": bool(b.implied and b.implied.ceiling),
             "implied_rests_on_bound": bool(b.implied and b.implied.from_bound),
             "implied_rests_on_verbal": bool(b.implied and b.implied.verbal),
             "premises_revised": b.premises_revised, "missing": b.missing,
             "gap_bits": b.gap_bits, "reading": b.reading or None, "flagged": b.flagged}
            for b in s.bottom]


def between(s: Summary) -> dict[str, Any]:
    g = s.between
    if g is None:
        return {"attribution": [], "gaps": [], "vod": []}
    pair = {"participant_a": g.a, "participant_b": g.b}
    return {
        "a": g.a, "b": g.b,
        "held": None if g.stated is None else {
            "a": held_json(g.stated.a), "b": held_json(g.stated.b), "bits": g.stated.bits},
        "implied": {"a": g.implied_a, "b": g.implied_b, "log2_ratio": g.implied_log2_ratio},
        "attribution": [{**pair, "premise": x.premise, "a": x.a, "b": x.b,
                         "log2_ratio": x.log2_ratio,
                         "share": x.share_of(g.implied_log2_ratio or 0.0)} for x in g.shares],
        "gaps": [{**pair, "crux": x.crux, "given": str(x.given) if x.given else None,
                  "a": held_json(x.a), "b": held_json(x.b), "bits": x.bits}
                 for x in s.pair_gaps],
        "vod": [{**pair, "crux": v.crux, "initial": v.vod.initial, "expected": v.vod.expected,
                 "vod": v.vod.value, "percent_of_max": v.vod.percent_of_max,
                 "incoherent": v.vod.incoherent, "degenerate": v.vod.degenerate}
                for v in s.pair_vods],
    }


def voi(s: Summary) -> list[dict[str, Any]]:
    return [{"participant": v.who, **voi_json(s, v)} for v in s.vois]


def groups(s: Summary) -> list[dict[str, Any]]:
    return [{"group": x.name, "crux": s.debate.headline, "members": x.members,
             "n": len(x.held), "pooled": x.pooled, "median": x.median} for x in s.groups]


def group_vod(s: Summary) -> list[dict[str, Any]]:
    return [{"crux": x.crux, "median_vod": x.median, "pairs": x.pairs,
             "median_vod_fri": x.fri_median, "degenerate_pairs": x.degenerate}
            for x in s.group_vods]


def summary_json(s: Summary) -> dict[str, Any]:
    return {
        **debate_json(s.debate),
        "as_of": str(s.as_of) if s.as_of else None,
        "divergence": divergence(s),
        "pooling": pooling_sheet.rows(s),
        "bottom_line": bottom_line(s),
        "between": None if s.between is None else between(s),
        "voi": voi(s),
        "groups": groups(s),
        "group_gap": None if s.group_gap is None else {
            "highest": s.group_gap[0].name, "lowest": s.group_gap[1].name,
            "bits": s.group_gap[2]},
        "group_vod": group_vod(s),
        "relations": relation_records(relations_checked(s)),
    }


def relations_checked(s: Summary) -> list[Any]:
    """Every relation against every participant's latest credences, as of the date."""
    from cruxcli.core.analysis import known_by
    from cruxcli.core.commitments import latest_held, violations

    if not s.debate.relations:
        return []
    d = known_by(s.debate, s.as_of)
    return violations(d, latest_held(d))
