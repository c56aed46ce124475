"""`score`'s comparisons and decompositions as sheets and JSON records: peer, baseline and
relative scores, the Murphy decomposition, each pooling method scored like a participant, and
calibration by phrase. Formulas: core/verification.py and docs/score.md. Pure."""

from __future__ import annotations

from typing import Any

from cruxcli.core.pooling import METHODS
from cruxcli.core.scoring import wilson
from cruxcli.reports.score import Scores
from cruxcli.reports.sheet import Cell, Column, Sheet, num, pct

NAMES = {m.key: m.name for m in METHODS}


def compared_records(s: Scores) -> list[dict[str, Any]]:
    return [{"participant": c.who, "n": c.n, "peer": c.peer, "baseline": c.baseline,
             "relative_brier": c.relative_brier, "relative_time_brier": c.relative_time_brier,
             "alone": c.alone} for c in s.compared]


def compared_sheet(s: Scores) -> Sheet:
    rows = [[Cell(c.who), Cell(str(c.n)), Cell(num(c.peer, "+.1f")),
             Cell(num(c.baseline, "+.1f")), Cell(num(c.relative_brier, "+.4f")),
             Cell(num(c.relative_time_brier, "+.4f"))] for c in s.compared]
    notes = ["peer: 100 x (ln of their probability on the outcome - the mean of the others' ln "
             "probabilities on it), higher is better, 0 is as good as the others; baseline: "
             "100 x (log2 of their probability on the outcome + 1), against a forecast of 50%; "
             "relative: their Brier minus the others' median Brier, lower is better; n: "
             "questions with two or more others (peer and relative use only these)"]
    notes += [f"{c.who}: not compared on {', '.join(c.alone)} (fewer than two others "
              "forecast it)" for c in s.compared if c.alone]
    return Sheet("Against the others: peer, baseline and relative scores",
                 [Column("who"), Column("n", "right"), Column("peer", "right"),
                  Column("baseline", "right"), Column("relative\nBrier", "right"),
                  Column("relative\ntime-avg", "right")], rows, notes, section="compared",
                 records=compared_records(s))


def decomposition_records(s: Scores) -> list[dict[str, Any]]:
    return [{"participant": who, "n": m.n, "brier": m.brier,
             "reliability_term": m.reliability, "resolution_term": m.resolution,
             "uncertainty_term": m.uncertainty} for who, m in s.decomposed]


def decomposition_sheet(s: Scores) -> Sheet:
    rows = [[Cell(who or "everyone", style=None if who else "bold"), Cell(str(m.n)),
             Cell(f"{m.brier:.4f}"), Cell(f"{m.reliability:.4f}"), Cell(f"{m.resolution:.4f}"),
             Cell(f"{m.uncertainty:.4f}")] for who, m in s.decomposed]
    return Sheet("The Brier score, decomposed (Murphy)",
                 [Column("who"), Column("n", "right"), Column("Brier", "right"),
                  Column("reliability", "right"), Column("resolution", "right"),
                  Column("uncertainty", "right")], rows,
                 ["Brier = reliability - resolution + uncertainty, exactly (forecasts grouped "
                  "by their distinct values); reliability: how far forecasts are from what "
                  "then happened (0 is perfect); resolution: how much what happened after "
                  "each forecast differs from the base rate (higher is better); uncertainty: "
                  "base rate x (1 - base rate)"], section="decomposition",
                 records=decomposition_records(s))


def pool_records(s: Scores) -> list[dict[str, Any]]:
    return [{"method": p.method, "n": p.n, "brier": p.brier, "log_bits": p.log_bits}
            for p in s.pools]


def pools_sheet(s: Scores) -> Sheet | None:
    if not any(p.n for p in s.pools):
        return None
    rows = [[Cell(NAMES[p.method]), Cell(str(p.n)), Cell(num(p.brier, ".4f")),
             Cell(num(p.log_bits, "+.3f"))] for p in s.pools]
    return Sheet("Each pooling method scored like a participant",
                 [Column("pool"), Column("n", "right"), Column("Brier", "right"),
                  Column("log", "right")], rows,
                 ["each resolved crux's scored forecasts (two or more) pooled by the method, "
                  "then scored; summary's panel shows the same methods on open cruxes"],
                 section="pools", records=pool_records(s))


def phrase_records(s: Scores) -> list[dict[str, Any]]:
    out = []
    for p in s.phrases:
        low, high = wilson(p.yes, p.n)
        out.append({"participant": p.who, "phrase": p.phrase, "n": p.n, "yes": p.yes,
                    "share": p.share, "interval_low": low, "interval_high": high,
                    "scale_value": p.scale_value, "suggested": p.suggested})
    return out


def phrases_sheet(s: Scores) -> Sheet:
    rows = [[Cell(r["participant"]), Cell(r["phrase"]), Cell(str(r["n"])),
             Cell(pct(r["share"]), r["share"]),
             Cell(f"{pct(r['interval_low'])}-{pct(r['interval_high'])}"),
             Cell(pct(r["scale_value"]) if r["scale_value"] is not None else "no number"),
             Cell(pct(r["suggested"]) if r["suggested"] is not None else "")]
            for r in phrase_records(s)]
    return Sheet("Calibration by phrase: how often each person's words came true",
                 [Column("who"), Column("phrase"), Column("n", "right"),
                  Column("came true", "right"), Column("95% interval", "right"),
                  Column("scale says", "right"), Column("their record says", "right")], rows,
                 ["each participant's last statement in those words on a resolved crux, "
                  "before it resolved; 95% interval: Wilson's; their record says: the share "
                  "that came true, once a phrase has five or more resolutions"],
                 legend=True, section="phrases", records=phrase_records(s))
