"""`cruxcli score` as sheets and a JSON document (keys documented in docs/score.md). Pure."""

from __future__ import annotations

from typing import Any

from cruxcli.core.commitments import Kept
from cruxcli.core.model import Entry
from cruxcli.core.scoring import Bin, Overall, Scored, Update
from cruxcli.reports.commitments_sheet import pledge_records, pledges_as_of, pledges_sheet
from cruxcli.reports.score import Scores
from cruxcli.reports.sheet import (
    VERBAL,
    Cell,
    Column,
    Layout,
    Sheet,
    debate_json,
    empty,
    num,
    pct,
    plural,
    verbal,
    verbal_note,
)
from cruxcli.reports.verification_sheet import (
    compared_records,
    compared_sheet,
    decomposition_records,
    decomposition_sheet,
    phrase_records,
    phrases_sheet,
    pool_records,
    pools_sheet,
)


def _who(s: Scores, who: str) -> str:
    return who + (" (aggregate)" if s.debate.participants[who].aggregate else "")


def _forecast(x: Scored) -> str:
    return (x.forecast.credence.text + VERBAL * x.verbal +
            (" (bound)" if x.bound else "") + f"\n{x.forecast.when}")


def _row(x: Scored) -> str:
    return x.crux + (f" | {x.given}" if x.given else "")


def forecasts_sheet(s: Scores) -> Sheet:
    rows = [[Cell(_who(s, x.who)), Cell(_row(x)),
             Cell(f"{x.resolution.outcome}\n{x.resolution.when}"),
             Cell(_forecast(x), x.p), Cell(f"{x.brier:.4f}"), Cell(num(x.log_bits, "+.3f")),
             Cell(num(x.time_brier, ".4f"))] for x in s.scored]
    notes = ["Brier: (p - outcome)², 0 is perfect; log: log2 of the probability given to what "
             "happened, in bits (0 is perfect, -∞ a certainty that failed); time-avg: the "
             "Brier of the credence standing at each moment, from the first to the resolution"]
    if any(x.bound for x in s.scored):
        notes.append("(bound): a bound such as <1% is scored at its bound")
    if any(x.verbal for x in s.scored):
        notes.append(verbal_note(x.forecast for x in s.scored if x.verbal))
    if s.annulled:
        notes.append("annulled, so not scored: " + ", ".join(s.annulled))
    columns = [Column("who"), Column("crux", ratio=1), Column("resolved", "right"),
               Column("forecast", "right"), Column("Brier", "right"), Column("log", "right"),
               Column("time-avg", "right")]
    title = "Forecasts of resolved cruxes" + (f" (as of {s.as_of})" if s.as_of else "")
    return Sheet(title, columns, rows, notes, legend=True, section="forecasts",
                 records=lambda: [_forecast_json(s, x) for x in s.scored])


def _counted(verbal_: int, bounds: int) -> str:
    """Which of a mean's forecasts are not numbers the speaker gave ("1 verbal†, 2 bounds")."""
    return ", ".join(x for x in (f"{verbal_} verbal{VERBAL}" if verbal_ else "",
                                 plural(bounds, "bound", "bounds") if bounds else "") if x)


COUNTED_NOTE = ("includes: the forecasts in the mean that are not a number the speaker gave: "
                "verbal terms† at their scale's value, bounds at their bound")


def participants_sheet(s: Scores) -> Sheet:
    rows = [[Cell(_who(s, o.who)), Cell(str(o.n)), Cell(f"{o.brier:.4f}"),
             Cell(num(o.log_bits, "+.3f")), Cell(num(o.time_brier, ".4f")),
             Cell(_counted(o.verbal, o.bounds))] for o in s.overall]
    return Sheet("Per participant: the mean over the cruxes scored",
                 [Column("who"), Column("n", "right"), Column("Brier", "right"),
                  Column("log", "right"), Column("time-avg", "right"), Column("includes")],
                 rows, [COUNTED_NOTE] if any(o.verbal or o.bounds for o in s.overall) else [],
                 section="participants", records=[_overall_json(o) for o in s.overall])


def per_debate_records(s: Scores) -> list[dict[str, Any]]:
    return [{"debate": name, **_overall_json(o)} for name, o in s.per_debate]


def per_debate_sheet(s: Scores) -> Sheet:
    rows = [[Cell(name), Cell(_who(s, o.who)), Cell(str(o.n)), Cell(f"{o.brier:.4f}"),
             Cell(num(o.log_bits, "+.3f")), Cell(num(o.time_brier, ".4f"))]
            for name, o in s.per_debate]
    return Sheet("Per debate: each participant's means in each", [
        Column("debate"), Column("who"), Column("n", "right"), Column("Brier", "right"),
        Column("log", "right"), Column("time-avg", "right")], rows,
        ["a participant id is the same person in every debate; the tables above pool all "
         "their forecasts"], section="per_debate", records=per_debate_records(s))


def calibration_sheet(s: Scores) -> Sheet:
    rows = [[Cell(_who(s, b.who)), Cell(f"{b.low:.0%}-{b.high:.0%}"), Cell(str(b.n)),
             Cell(pct(b.mean_stated), b.mean_stated), Cell(pct(b.observed), b.observed),
             Cell(f"{pct(b.interval[0])}-{pct(b.interval[1])}"),
             Cell(_counted(b.verbal, b.bounds))] for b in s.bins]
    notes = ["well calibrated: in each bin, the share that resolved yes is close to the mean "
             "stated; 95% interval: Wilson's, for the share that resolved yes: with few "
             "forecasts it is wide, and a bin says little"]
    return Sheet("Calibration: forecasts binned by stated probability",
                 [Column("who"), Column("bin", "right"), Column("n", "right"),
                  Column("mean stated", "right"), Column("resolved yes", "right"),
                  Column("95% interval", "right"), Column("includes")], rows,
                 notes + ([COUNTED_NOTE] if any(b.verbal or b.bounds for b in s.bins) else []),
                 legend=True, section="calibration",
                 records=[_bin_json(b) for b in s.bins])


def _said(u: Update) -> str:
    if u.said is None:
        return f"{pct(u.said_value)} (derived)"
    return u.said.credence.text + VERBAL * verbal(u.said)


def updates_sheet(s: Scores) -> Sheet | None:
    if not s.updates:
        return None
    rows = [[Cell(_who(s, u.who)),
             Cell(f"{u.crux}, once {u.condition.crux} resolved {u.condition.outcome}"),
             Cell(_said(u), u.said_value),
             Cell(f"{u.then.credence.text}{VERBAL * verbal(u.then)}\n{u.then.when}",
                  u.then.credence.value),
             Cell(num(u.gap_bits, "+.2f"))] for u in s.updates]
    return Sheet("Did they update as they said they would?",
                 [Column("who"), Column("crux", ratio=1), Column("said they would", "right"),
                  Column("then said", "right"), Column("gap", "right")], rows,
                 ["said they would: their P(crux | condition) stated before the condition "
                  "resolved (or P(crux | not c) derived from P(crux), P(c), P(crux | c)); then "
                  "said: their first P(crux) after it; gap: log2 odds ratio, negative if lower "
                  "than they said"], section="updates",
                 records=[_update_json(u) for u in s.updates])


def score_layout(s: Scores) -> Layout:
    return Layout(lambda: score_sheets(s), lambda: score_json(s))


def score_sheets(s: Scores) -> list[Sheet]:
    if not s.resolved:
        return [empty(f"Scores: {s.debate.title}", s.as_of)._replace(notes=[
            "no crux has resolved yet: record one with `cruxcli resolve`"])]
    if not s.scored:
        listed = forecasts_sheet(s)
        sheets = [listed._replace(notes=[
            f"{plural(len(s.resolved), 'crux', 'cruxes')} resolved, but no numeric credence "
            "was stated wholly before its resolution", *listed.notes[1:]])]
    else:
        sheets = [forecasts_sheet(s), participants_sheet(s)] if s.each_forecast else \
            [_participants_first(s)]
        sheets += ([per_debate_sheet(s)] if s.per_debate else []) + \
            [compared_sheet(s), decomposition_sheet(s), calibration_sheet(s)]
        if pooled := pools_sheet(s):
            sheets.append(pooled)
    if s.by_phrase:
        sheets.append(phrases_sheet(s))
    if updated := updates_sheet(s):
        sheets.append(updated)
    if pledged := pledges_sheet(_pledges(s), "Pledges: did they update as they pledged?"):
        sheets.append(pledged)
    return sheets


def _participants_first(s: Scores) -> Sheet:
    """Without `--forecasts`: the means per participant lead, and say what was scored (at
    archive scale a row per forecast runs to tens of thousands of lines)."""
    means, listed = participants_sheet(s), forecasts_sheet(s)
    scored = (f"{plural(len(s.scored), 'forecast')} of "
              f"{plural(len(s.resolved), 'resolved crux', 'resolved cruxes')} scored; "
              "`--forecasts` lists each with its Brier and log scores")
    return means._replace(title=f"{listed.title}: the mean per participant",
                          notes=[scored, *listed.notes, *means.notes])


def _entry(e: Entry | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {"id": e.id, "stated": e.credence.text, "value": e.credence.value,
            "at": e.when.text, "verbal": verbal(e)}


def _forecast_json(s: Scores, x: Scored) -> dict[str, Any]:
    return {
        "participant": x.who, "crux": x.crux, "given": str(x.given) if x.given else None,
        "aggregate": s.debate.participants[x.who].aggregate,
        "id": x.forecast.id, "stated": x.forecast.credence.text, "value": x.p,
        "at": x.forecast.when.text, "bound": x.bound, "verbal": x.verbal,
        "outcome": x.resolution.outcome, "resolved_at": x.resolution.when.text,
        "resolution_id": x.resolution.id,
        "condition_outcome": x.condition.outcome if x.condition else None,
        "brier": x.brier, "log_bits": x.log_bits, "time_brier": x.time_brier,
        "forecasts": len(x.forecasts),
    }


def _overall_json(o: Overall) -> dict[str, Any]:
    return {"participant": o.who, "n": o.n, "brier": o.brier, "log_bits": o.log_bits,
            "time_brier": o.time_brier, "verbal_forecasts": o.verbal,
            "bound_forecasts": o.bounds}


def _bin_json(b: Bin) -> dict[str, Any]:
    return {"participant": b.who, "bin_low": b.low, "bin_high": b.high, "n": b.n,
            "mean_stated": b.mean_stated, "observed": b.observed, "yes": b.yes,
            "interval_low": b.interval[0], "interval_high": b.interval[1],
            "verbal_forecasts": b.verbal, "bound_forecasts": b.bounds}


def _update_json(u: Update) -> dict[str, Any]:
    return {
        "participant": u.who, "crux": u.crux, "condition": u.condition.crux,
        "condition_outcome": u.condition.outcome, "said": _entry(u.said),
        "said_value": u.said_value, "derived": u.said is None, "prior": _entry(u.prior),
        "then": _entry(u.then), "gap_bits": u.gap_bits, "expected_move_bits": u.expected_move,
    }


def _pledges(s: Scores) -> list[Kept]:
    """Pledges whose condition resolved (kept, broken, awaiting or not triggered)."""
    return pledges_as_of(s.debate, s.as_of, s.who, settled=True)


def score_json(s: Scores) -> dict[str, Any]:
    return {
        **debate_json(s.debate),
        "as_of": str(s.as_of) if s.as_of else None,
        "resolved": [{"crux": c, "outcome": r.outcome, "at": r.when.text, "id": r.id}
                     for c, r in s.resolved.items()],
        "forecasts": [_forecast_json(s, x) for x in s.scored],
        "overall": [_overall_json(o) for o in s.overall],
        "per_debate": per_debate_records(s),
        "calibration": [_bin_json(b) for b in s.bins],
        "compared": compared_records(s),
        "decomposition": decomposition_records(s),
        "pools": pool_records(s),
        "phrases": phrase_records(s),
        "updates": [_update_json(u) for u in s.updates],
        "pledges": pledge_records(_pledges(s)),
    }
