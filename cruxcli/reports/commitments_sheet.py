"""Relations between cruxes (in `summary`) and pledged updates (in `trace` and `score`) as
sheets and records. The numbers are core/commitments.py's. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Any

from cruxcli.core.analysis import known_by
from cruxcli.core.commitments import TOLERANCE, Kept, Violation, pledges, sealed
from cruxcli.core.model import Debate
from cruxcli.core.when import When
from cruxcli.reports.sheet import Cell, Column, Sheet, credence_json, num


def relation_records(checked: list[Violation]) -> list[dict[str, Any]]:
    return [{"relation": v.relation.stated, "participant": v.who,
             "credences": [{"crux": c, **credence_json(e)} for c, e in v.held.items()],
             "bits": v.bits, "violated": v.violated} for v in checked]


def relations_sheet(checked: list[Violation]) -> Sheet | None:
    if not checked:
        return None
    rows = [[Cell(v.relation.label), Cell(v.who),
             Cell(", ".join(f"{c} {e.credence.text}" for c, e in v.held.items())),
             Cell(num(v.bits, ".2f"), style="warn" if v.violated else None),
             Cell("violated" if v.violated else "holds",
                  style="warn" if v.violated else None)] for v in checked]
    return Sheet("Relations between cruxes, against each participant's latest credences",
                 [Column("relation", ratio=1), Column("who"), Column("credences", ratio=1),
                  Column("bits", "right"), Column("")], rows,
                 ["bits: the smallest move of one of their credences, in bits, that would make "
                  f"the relation hold (0: it holds); within {TOLERANCE} bits is rounding "
                  "(docs/format.md)"], section="relations", records=relation_records(checked))


def pledge_records(kept: list[Kept]) -> list[dict[str, Any]]:
    return [{"participant": k.pledge.who, "crux": k.pledge.crux,
             "condition": str(k.pledge.condition), "pledged": k.pledge.promise.text,
             "at": k.pledge.when.text, "status": k.status,
             "resolved_at": k.resolution.when.text if k.resolution else None,
             "prior": credence_json(k.prior) if k.prior else None,
             "then": credence_json(k.then) if k.then else None, "gap_bits": k.bits}
            for k in kept]


def pledges_sheet(kept: list[Kept], title: str) -> Sheet | None:
    if not kept:
        return None
    rows = [[Cell(f"{k.pledge.who} · {k.pledge.crux}"),
             Cell(f"if {k.pledge.condition}: {k.pledge.promise.text}"),
             Cell(k.then.credence.text if k.then else ""),
             Cell(num(k.bits, ".2f")),
             Cell(k.status, style="warn" if k.status == "broken" else
                  "bold" if k.status == "kept" else "dim")] for k in kept]
    counts: dict[str, dict[str, int]] = {}
    for k in kept:
        if k.status in ("kept", "broken"):
            counts.setdefault(k.pledge.who, {"kept": 0, "broken": 0})[k.status] += 1
    notes = ["a pledge: should the condition resolve as stated, their next P(crux) will "
             "satisfy it (a number, a bound, a range or a direction from their last number "
             "before); bits: how far what they then said is from what they pledged"]
    notes += [f"{who}: {c['kept']} kept, {c['broken']} broken" for who, c in counts.items()]
    return Sheet(title, [Column("participant · crux", ratio=1), Column("pledged", ratio=1),
                         Column("then said", "right"), Column("bits", "right"),
                         Column("")], rows, notes, section="pledges",
                 records=pledge_records(kept))


def pledges_as_of(debate: Debate, when: When | None, who: Collection[str] = (),
                  cruxes: Collection[str] | None = None, settled: bool = False) -> list[Kept]:
    """Where each pledge stands as of `when`, by these participants (all if none) on these
    cruxes (all if None); `settled`: only those whose condition has resolved."""
    return [k for k in pledges(known_by(debate, when))
            if (not who or k.pledge.who in who) and (cruxes is None or k.pledge.crux in cruxes)
            and not (settled and k.status == "pending")]


def sealed_counts(debate: Debate, when: When | None) -> dict[str, int]:
    """How many seals on each crux are not yet revealed by the end of `when`."""
    return dict(Counter(s.crux for s in sealed(debate, when)))


def sealed_note(counts: dict[str, int]) -> str:
    return "sealed, not yet revealed (never a number until then): " + \
        ", ".join(f"{crux} ({n})" for crux, n in counts.items())
